"""Apache's mod_auth_openidc (Debian's libapache2-mod-auth-openidc) protects a page with Sesame,
configured only through Sesame's discovery URL; a person signs in with headless Chromium and the
page shows the claims Apache passes on."""

import json
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from conftest import free_port

MODULES = Path("/usr/lib/apache2/modules")

PAGE = """<!doctype html>
<html><body>
<p>email=<span id="email"><!--#echo var="OIDC_CLAIM_email" --></span></p>
<p>username=<span id="username"><!--#echo var="OIDC_CLAIM_preferred_username" --></span></p>
<p>sub=<span id="sub"><!--#echo var="OIDC_CLAIM_sub" --></span></p>
<p>remote_user=<span id="remote-user"><!--#echo var="REMOTE_USER" --></span></p>
</body></html>
"""


@pytest.fixture(scope="module")
def apache(sesame):
    assert shutil.which("apache2"), "apache2 is not installed (scripts/test installs it)"
    assert (MODULES / "mod_auth_openidc.so").exists(), "libapache2-mod-auth-openidc is not installed"
    port = free_port()
    # A third-party client, so the person also sees and answers Sesame's consent page.
    client = json.loads(sesame.cli("client", "add", "apache", "--json",
                                   "--redirect-uri", f"http://127.0.0.1:{port}/protected/redirect_uri").stdout)
    # Apache drops to www-data, so its files live outside pytest's private (0700) temp folder.
    root = Path(tempfile.mkdtemp(prefix="sesame-apache-"))
    root.chmod(0o755)
    www = root / "www" / "protected"
    www.mkdir(parents=True)
    (www / "index.shtml").write_text(PAGE)
    for path in (root / "www", www, www / "index.shtml"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    modules = ["mpm_event", "authz_core", "authz_user", "authn_core", "mime", "dir", "include", "auth_openidc"]
    loads = "\n".join(f"LoadModule {name}_module {MODULES}/mod_{name}.so" for name in modules)
    config = root / "apache.conf"
    config.write_text(f"""
ServerRoot {root}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {root}/apache.pid
ErrorLog {root}/error.log
LogLevel warn auth_openidc:info
User www-data
Group www-data
{loads}
TypesConfig /etc/mime.types
DocumentRoot {root}/www
<Directory {root}/www>
    Options +Includes
    AddType text/html .shtml
    AddOutputFilter INCLUDES .shtml
    DirectoryIndex index.shtml
    Require all granted
</Directory>
OIDCProviderMetadataURL {sesame.base}/.well-known/openid-configuration
OIDCClientID {client["client_id"]}
OIDCClientSecret {client["client_secret"]}
OIDCRedirectURI http://127.0.0.1:{port}/protected/redirect_uri
OIDCCryptoPassphrase {secrets.token_hex(16)}
OIDCScope "openid email profile"
OIDCPKCEMethod S256
OIDCRemoteUserClaim sub
<Location /protected>
    AuthType openid-connect
    Require valid-user
</Location>
""")
    env = {**os.environ, "APACHE_LOG_DIR": str(root), "APACHE_RUN_DIR": str(root), "APACHE_LOCK_DIR": str(root)}
    started = subprocess.run(["apache2", "-f", str(config), "-k", "start"], capture_output=True, text=True, env=env)
    assert started.returncode == 0, started.stderr
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 15
    while time.time() < deadline:
        try:
            requests.get(base + "/", timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    yield base, root
    subprocess.run(["apache2", "-f", str(config), "-k", "stop"], capture_output=True, env=env)
    pidfile = root / "apache.pid"
    deadline = time.time() + 10
    while pidfile.exists() and time.time() < deadline:
        time.sleep(0.1)
    if os.environ.get("KEEP_APACHE") != "1":
        shutil.rmtree(root, ignore_errors=True)


def sign_in_at_sesame(browser, username, password):
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(password)
    button = browser.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]")
    button.click()
    WebDriverWait(browser, 15).until(expected_conditions.staleness_of(button))


def test_apache_page_protected_by_sesame(sesame, apache, browser):
    base, root = apache
    sesame.add_user("ada", "ada-apache-pass", "--email", "ada@example.com", "--name", "Ada Apache")
    browser.delete_all_cookies()
    browser.get(base + "/protected/")
    WebDriverWait(browser, 15).until(lambda b: "/login" in b.current_url)
    assert browser.current_url.startswith(sesame.base + "/login")
    sign_in_at_sesame(browser, "ada", "ada-apache-pass")
    scopes = [item.get_attribute("data-scope") for item in browser.find_elements(By.CSS_SELECTOR, "#scopes li")]
    assert scopes == ["openid", "email", "profile"]
    allow = browser.find_element(By.CSS_SELECTOR, "#consent-form button[value=allow]")
    allow.click()
    WebDriverWait(browser, 15).until(expected_conditions.staleness_of(allow))
    WebDriverWait(browser, 15).until(
        lambda b: b.current_url.startswith(base + "/protected/") and "redirect_uri" not in b.current_url,
        message=f"{browser.current_url}\n{browser.page_source[:800]}",
    )
    error_log = (root / "error.log").read_text()
    assert browser.find_element(By.ID, "email").text == "ada@example.com", error_log
    assert browser.find_element(By.ID, "username").text == "ada"
    user_id = sesame.show("ada")["id"]
    assert browser.find_element(By.ID, "sub").text == user_id
    assert browser.find_element(By.ID, "remote-user").text == user_id

    # Signed in at Sesame and consent remembered: a new Apache session needs no page at all.
    browser.delete_cookie("mod_auth_openidc_session")
    browser.get(base + "/protected/")
    WebDriverWait(browser, 15).until(lambda b: b.current_url == base + "/protected/")
    assert browser.find_element(By.ID, "email").text == "ada@example.com"


def test_wrong_password_stays_at_sesame(sesame, apache, browser):
    base, _ = apache
    sesame.add_user("bob-apache", "right-pass")
    browser.delete_all_cookies()
    browser.get(base + "/protected/")
    WebDriverWait(browser, 15).until(lambda b: "/login" in b.current_url)
    sign_in_at_sesame(browser, "bob-apache", "wrong-pass")
    assert browser.current_url.startswith(sesame.base)
    assert browser.find_element(By.CSS_SELECTOR, "p.error").text == "Incorrect username or password."
    assert requests.get(base + "/protected/", allow_redirects=False).status_code == 302  # still protected
