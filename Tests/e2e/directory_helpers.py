"""The real directories of scripts/ldap-servers (two slapd and a Samba AD DC, their addresses in
SESAME_TEST_LDAP_* / SESAME_TEST_AD_*), Sesame pointed at them through `sesame directory add`,
and people made in them for one test (so a test that expires, locks or changes a password leaves
the shared accounts as they were)."""

import datetime
import http.server
import os
import re
import secrets
import signal
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import KeySet
from ldap3 import MODIFY_ADD, MODIFY_DELETE, MODIFY_REPLACE, Connection, Server, Tls

from conftest import Sesame, click_and_wait

INCORRECT = "Incorrect username or password."
RELAX = ("1.3.6.1.4.1.4203.666.5.12", True, None)  # lets the rootdn set ppolicy's operational attributes


def env(name):
    return os.environ.get(name)


def need_openldap():
    if not env("SESAME_TEST_LDAP_URL"):
        pytest.skip("no OpenLDAP: run `eval \"$(scripts/ldap-servers start DIR)\"` (scripts/test does)")


def need_ad():
    if not env("SESAME_TEST_AD_URL"):
        pytest.skip("no Samba AD: run `eval \"$(scripts/ldap-servers start DIR)\"` with Samba installed (scripts/test does)")


SUFFIX = "dc=sesame,dc=test"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
AD_USERS = "CN=Users,DC=sesame,DC=test"


def unique(prefix):
    return f"{prefix}-{secrets.token_hex(3)}"


# --- OpenLDAP --------------------------------------------------------------------------------

def slapd_pids():
    """Read from the pid files, so a `scripts/ldap-servers reset` since the env was made is no trap."""
    root = env("SESAME_TEST_LDAP_SERVERS_DIR")
    if root:
        return [int(Path(root, f"slapd{n}", "slapd.pid").read_text()) for n in (1, 2)]
    return [int(pid) for pid in env("SESAME_TEST_LDAP_PIDS").split()]


def openldap_admin(url=None):
    connection = Connection(Server(url or env("SESAME_TEST_LDAP_URL")), env("SESAME_TEST_LDAP_ADMIN_DN"),
                            env("SESAME_TEST_LDAP_ADMIN_PASSWORD"), auto_bind=True)
    return connection


def ldap_bind_works(dn, password, url=None):
    """A fresh simple bind as the person, outside Sesame."""
    connection = Connection(Server(url or env("SESAME_TEST_LDAP_URL")), dn, password)
    try:
        return connection.bind()
    finally:
        connection.unbind()


def gtime(moment):
    return moment.strftime("%Y%m%d%H%M%SZ")


@contextmanager
def openldap_person(prefix, password=None, groups=(), **state):
    """A person made in the first slapd for one test and removed after. `state`: changed_days_ago
    (pwdChangedTime), policy ("grace", "mustchange"), locked=True, reset=True (pwdReset)."""
    uid = unique(prefix)
    password = password or f"{uid}-password"
    dn = f"uid={uid},{PEOPLE}"
    admin = openldap_admin()
    now = datetime.datetime.now(datetime.timezone.utc)
    attributes = {
        "objectClass": ["inetOrgPerson"], "uid": uid, "cn": f"Person {uid}", "sn": uid,
        "mail": f"{uid}@sesame.test", "userPassword": password,
        "pwdChangedTime": gtime(now - datetime.timedelta(days=state.get("changed_days_ago", 1))),
    }
    if state.get("policy"):
        attributes["pwdPolicySubentry"] = f"cn={state['policy']},ou=policies,{SUFFIX}"
    if state.get("locked"):
        attributes["pwdAccountLockedTime"] = "000001010000Z"
    if state.get("reset"):
        attributes["pwdReset"] = "TRUE"
    assert admin.add(dn, attributes=attributes, controls=[RELAX]), admin.result
    for group in groups:
        assert admin.modify(f"cn={group},{GROUPS}", {"member": [(MODIFY_ADD, [dn])]}), admin.result
    try:
        yield uid, password, dn
    finally:
        for group in groups:
            admin.modify(f"cn={group},{GROUPS}", {"member": [(MODIFY_DELETE, [dn])]})
        admin.delete(dn)
        admin.unbind()


def add_openldap_directory(sesame, name="corp", urls=None, *extra, base=None):
    """`sesame directory add` for the test slapd: LDAPS with the test CA, certificates checked."""
    password_file = sesame.data_dir.parent / f"{name}-bind-password"
    password_file.write_text(env("SESAME_TEST_LDAP_BIND_PASSWORD") + "\n")
    urls = urls or [env("SESAME_TEST_LDAPS_URL")]
    result = sesame.cli(
        "directory", "add", name, "--profile", "openldap", *[a for url in urls for a in ("--url", url)],
        "--bind-dn", env("SESAME_TEST_LDAP_BIND_DN"), "--bind-password-file", str(password_file),
        "--base-dn", base or env("SESAME_TEST_LDAP_BASE_DN"), "--ca-file", env("SESAME_TEST_LDAP_CA"), *extra,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def directory_sesame(tmp_path, *serve_args):
    """A Sesame whose sign-in asks the directories first, then local passwords."""
    return Sesame(tmp_path / "data", serve_args=["--authenticator", "directories", "--authenticator", "local", *serve_args])


@contextmanager
def stopped(pid):
    """SIGSTOP a server for the block: it holds its sockets open but answers nothing (a hung host)."""
    os.kill(pid, signal.SIGSTOP)
    # The stop is delivered asynchronously: wait until the kernel shows the process stopped.
    for _ in range(200):
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        if state == "T":
            break
        time.sleep(0.01)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


# --- Samba Active Directory ------------------------------------------------------------------

def ad_server():
    import ssl
    url = urlparse(env("SESAME_TEST_AD_URL"))
    tls = Tls(ca_certs_file=env("SESAME_TEST_AD_CA"), validate=ssl.CERT_REQUIRED)
    return Server(url.hostname, port=url.port or 636, use_ssl=True, tls=tls)


def ad_admin():
    return Connection(ad_server(), env("SESAME_TEST_AD_ADMIN_DN"), env("SESAME_TEST_AD_ADMIN_PASSWORD"), auto_bind=True)


def ad_bind_works(login, password):
    connection = Connection(ad_server(), login, password)
    try:
        return connection.bind()
    finally:
        connection.unbind()


def unicode_pwd(password):
    return f'"{password}"'.encode("utf-16-le")


# AD's FILETIME: 100 ns steps since 1601.
def filetime(moment):
    return int((moment - datetime.datetime(1601, 1, 1, tzinfo=datetime.timezone.utc)).total_seconds() * 10_000_000)


@contextmanager
def ad_person(prefix, password=None, groups=(), disabled=False, expired=False, must_change=False):
    """A user made in Samba for one test (as Administrator over LDAPS) and removed after."""
    name = unique(prefix)
    password = password or f"{name.capitalize()}-Passw0rd!"
    dn = f"CN={name},{AD_USERS}"
    admin = ad_admin()
    assert admin.add(dn, attributes={
        "objectClass": ["top", "person", "organizationalPerson", "user"], "sAMAccountName": name,
        "userPrincipalName": f"{name}@sesame.test", "displayName": f"Person {name}", "mail": f"{name}@sesame.test",
        "unicodePwd": unicode_pwd(password), "userAccountControl": "514" if disabled else "512",
    }), admin.result
    changes = {}
    if expired:
        changes["accountExpires"] = [(MODIFY_REPLACE, [str(filetime(datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)))])]
    if must_change:
        changes["pwdLastSet"] = [(MODIFY_REPLACE, ["0"])]
    if changes:
        assert admin.modify(dn, changes), admin.result
    for group in groups:
        assert admin.modify(f"CN={group},{AD_USERS}", {"member": [(MODIFY_ADD, [dn])]}), admin.result
    try:
        yield name, password, dn
    finally:
        admin.delete(dn)
        admin.unbind()


def ad_entry(dn, *attributes):
    admin = ad_admin()
    try:
        admin.search(dn, "(objectClass=*)", search_scope="BASE", attributes=list(attributes))
        return admin.entries[0]
    finally:
        admin.unbind()


def add_ad_directory(sesame, name="ad", *extra):
    password_file = sesame.data_dir.parent / f"{name}-bind-password"
    password_file.write_text(env("SESAME_TEST_AD_BIND_PASSWORD") + "\n")
    result = sesame.cli(
        "directory", "add", name, "--profile", "active-directory", "--url", env("SESAME_TEST_AD_URL"),
        "--bind-dn", env("SESAME_TEST_AD_BIND_DN"), "--bind-password-file", str(password_file),
        "--base-dn", env("SESAME_TEST_AD_BASE_DN"), "--ca-file", env("SESAME_TEST_AD_CA"), *extra,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


# --- Pages and apps --------------------------------------------------------------------------

def discovery(sesame):
    return requests.get(sesame.base + "/.well-known/openid-configuration").json()


def id_token_claims(sesame, token):
    keys = KeySet.import_key_set(requests.get(discovery(sesame)["jwks_uri"]).json())
    return jwt.decode(token["id_token"], keys).claims


def cas_attributes(sesame, service, ticket):
    answer = requests.get(sesame.base + "/cas/p3/serviceValidate",
                          params={"service": service, "ticket": ticket, "format": "JSON"}).json()
    success = answer["serviceResponse"]["authenticationSuccess"]
    return success["user"], success["attributes"]


def change_password(browser, old, new, again=None):
    """Fills the change-password page: current password, then the new one twice."""
    from selenium.webdriver.common.by import By
    for field, value in (("current_password", old), ("new_password", new), ("new_password_again", again or new)):
        element = browser.find_element(By.ID, field)
        element.clear()
        element.send_keys(value)
    click_and_wait(browser, "#change-password-form button[type=submit]")


ERROR = re.compile(r'<p class="error"[^>]*>(.*?)</p>', re.S)


def page_error(html):
    """The sign-in page's error paragraph, or None."""
    from html import unescape
    match = ERROR.search(html)
    return unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else None


class Catcher:
    """A loopback app that only records what arrives (an OAuth redirect with its code, a CAS
    service URL with its ticket) and says "landed"."""

    def __init__(self):
        self.requests = []
        catcher = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                catcher.requests.append(self.path)
                body = b"<html><body><p id='landed'>landed</p></body></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def query(self, name):
        """`name` from the latest request that carried it (the browser also asks for /favicon.ico)."""
        for path in reversed(self.requests):
            values = parse_qs(urlparse(path).query).get(name)
            if values:
                return values[0]
        raise AssertionError(f"no request with {name} arrived at the app: {self.requests}")

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def wait_until(predicate, timeout=10, step=0.1):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("condition not met in time")
