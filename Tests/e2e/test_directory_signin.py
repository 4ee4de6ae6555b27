"""People from a real OpenLDAP directory (scripts/ldap-servers) sign in to Sesame in headless
Chromium: into an OpenID Connect app and a CAS app with one sign-in, two-step verification
required by a role that a directory group gives, nested groups' roles in the ID token and the CAS
attributes (groupOfNames nested two deep, a cycle, a posixGroup's memberUid), logins with filter
metacharacters, what the password policy says (expired, grace logins, expiry warning, locked, must
change → the change-password page and back to the app), StartTLS checked against the configured
CA, and a person removed from the directory losing their session at the next periodic check."""

import json

import pyotp
import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from selenium.webdriver.common.by import By

from conftest import click_and_wait, sign_in
from directory_helpers import (GROUPS, INCORRECT, PEOPLE, Catcher, add_openldap_directory, cas_attributes,
                               change_password, directory_sesame, discovery, env, id_token_claims, ldap_bind_works,
                               need_openldap, openldap_person, page_error)
from test_audit import export, wait_for
from test_browser import error_text, fill_and_submit
from test_two_factor import next_code, type_code

pytestmark = pytest.mark.usefixtures("openldap")


@pytest.fixture(scope="module")
def openldap():
    need_openldap()


@pytest.fixture(scope="module")
def corp(tmp_path_factory):
    """One server for this module: directory `corp` first, local passwords after; the groups
    a (alice's), c (a is in b is in c), admins and the posixGroup staff (memberUid) give roles."""
    sesame = directory_sesame(tmp_path_factory.mktemp("corp"))
    for role in ("direct", "deep", "needs-2fa", "posix-staff"):
        assert sesame.cli("role", "add", role).returncode == 0
    add_openldap_directory(sesame, "corp", None,
                           "--map-group", "a", "--to-role", "direct",
                           "--map-group", f"cn=c,{GROUPS}", "--to-role", "deep",
                           "--map-group", "admins", "--to-role", "needs-2fa",
                           "--map-group", "staff", "--to-role", "posix-staff")
    assert sesame.cli("two-factor", "require-role", "needs-2fa").returncode == 0
    sesame.start()
    yield sesame
    assert sesame.stop() == 0, sesame.log_text()
    # After every test here: no directory password the people typed is in the server's log, the
    # audit trail or any byte of the store (database, WAL).
    typed = ["alice-password", "bob-password", "carol-password", "dave-password", "jsmith-password",
             "filter-password", "twin1-password", "jose-pässword", env("SESAME_TEST_LDAP_BIND_PASSWORD")]
    written = sesame.log_text() + sesame.cli("audit", "export").stdout
    stored = b"".join(path.read_bytes() for path in sesame.data_dir.iterdir() if path.name.startswith("sesame.db"))
    assert b"carol@sesame.test" in stored, "the check reads the store's real bytes"
    for password in typed:
        assert password not in written and password.encode() not in stored, password


def test_a_directory_person_signs_in_to_an_oidc_app_and_a_cas_app_with_two_step_required_by_a_directory_group(corp, browser):
    app = Catcher()
    try:
        client = json.loads(corp.cli("client", "add", "portal", "--json", "--first-party",
                                     "--redirect-uri", app.base + "/cb").stdout)
        assert corp.cli("cas-service", "add", "wiki", "--pattern", app.base + "/wiki",
                        "--attribute", "roles", "--attribute", "email", "--attribute", "name").returncode == 0
        # carol's directory group `admins` gives needs-2fa, which requires two-step verification.
        oauth = OAuth2Session(client["client_id"], client["client_secret"], scope="openid profile email roles",
                              redirect_uri=app.base + "/cb", code_challenge_method="S256")
        verifier = generate_token(48)
        url, _ = oauth.create_authorization_url(discovery(corp)["authorization_endpoint"], code_verifier=verifier)
        browser.delete_all_cookies()
        browser.get(url)
        browser.find_element(By.NAME, "username").send_keys("carol")
        browser.find_element(By.NAME, "password").send_keys("carol-password")
        click_and_wait(browser, "#login-form button[type=submit]")
        assert "/login/two-factor" in browser.current_url, "the directory group's role requires a second step"
        assert "requires two-step verification" in browser.page_source
        totp = pyotp.TOTP(browser.find_element(By.ID, "secret").text)
        used = set()
        type_code(browser, next_code(totp, used))
        click_and_wait(browser, "#continue")
        assert browser.current_url.startswith(app.base + "/cb?"), browser.current_url
        token = oauth.fetch_token(discovery(corp)["token_endpoint"], authorization_response=browser.current_url,
                                  code_verifier=verifier)
        claims = id_token_claims(corp, token)
        carol = corp.show("carol")
        assert claims["sub"] == carol["id"] and claims["preferred_username"] == "carol"
        assert claims["email"] == "carol@sesame.test" and claims["name"] == "Carol Cole"
        assert "needs-2fa" in claims["roles"] and claims["amr"] == ["pwd", "otp", "mfa"]
        assert carol["password_scheme"] is None, "the directory password is never stored"

        # The CAS app: the same sign-in, no form, a ticket whose attributes carry the directory's role.
        app.requests.clear()
        browser.get(corp.base + "/cas/login?service=" + requests.utils.quote(app.base + "/wiki", safe=""))
        assert browser.current_url.startswith(app.base + "/wiki?ticket="), browser.current_url
        user, attributes = cas_attributes(corp, app.base + "/wiki", app.query("ticket"))
        assert user == "carol" and "needs-2fa" in attributes["roles"] and attributes["email"] == ["carol@sesame.test"]
    finally:
        app.close()


def test_a_nested_group_gives_its_role_in_the_id_token_and_the_cas_attributes(corp, browser):
    """alice is in a; a is in b; b is in c. The rule on c gives `deep` through two levels; the
    posixGroup staff lists her by memberUid."""
    app = Catcher()
    try:
        client = json.loads(corp.cli("client", "add", "nested", "--json", "--first-party",
                                     "--redirect-uri", app.base + "/cb").stdout)
        assert corp.cli("cas-service", "add", "nested-wiki", "--pattern", app.base + "/wiki",
                        "--attribute", "roles").returncode == 0
        oauth = OAuth2Session(client["client_id"], client["client_secret"], scope="openid roles",
                              redirect_uri=app.base + "/cb", code_challenge_method="S256")
        verifier = generate_token(48)
        url, _ = oauth.create_authorization_url(discovery(corp)["authorization_endpoint"], code_verifier=verifier)
        browser.delete_all_cookies()
        browser.get(url)
        browser.find_element(By.NAME, "username").send_keys("alice")
        browser.find_element(By.NAME, "password").send_keys("alice-password")
        click_and_wait(browser, "#login-form button[type=submit]")
        assert browser.current_url.startswith(app.base + "/cb?"), browser.current_url
        token = oauth.fetch_token(discovery(corp)["token_endpoint"], authorization_response=browser.current_url,
                                  code_verifier=verifier)
        assert sorted(id_token_claims(corp, token)["roles"]) == ["deep", "direct", "posix-staff"]

        browser.get(corp.base + "/cas/login?service=" + requests.utils.quote(app.base + "/wiki", safe=""))
        assert browser.current_url.startswith(app.base + "/wiki?ticket=")
        _, attributes = cas_attributes(corp, app.base + "/wiki", app.query("ticket"))
        assert sorted(attributes["roles"]) == ["deep", "direct", "posix-staff"]

        # bob's groups form a cycle (cycle1 ↔ cycle2): he signs in, the server lives on, and his
        # one role is the posixGroup's (memberUid: bob).
        _, bob = sign_in(corp.base, "bob", "bob-password")
        assert bob.status_code == 303
        assert corp.show("bob")["roles"] == ["posix-staff"]
    finally:
        app.close()


def test_a_group_removed_in_the_directory_takes_its_role_away_at_the_next_sign_in(corp):
    with openldap_person("mover", groups=["a"]) as (uid, password, _):
        assert sign_in(corp.base, uid, password)[1].status_code == 303
        assert sorted(corp.show(uid)["roles"]) == ["deep", "direct"]
    # The entry is gone now; a new one with the same uid is a different person (another entryUUID).
    with openldap_person("mover") as (uid, password, _):
        assert sign_in(corp.base, uid, password)[1].status_code == 303
        assert corp.show(uid)["roles"] == []


def test_wrong_password_and_unknown_person_read_the_same(corp, browser):
    browser.delete_all_cookies()
    fill_and_submit(browser, corp.base, "dave", "not-daves-password")
    assert error_text(browser) == INCORRECT
    fill_and_submit(browser, corp.base, "nobody-in-the-directory", "dave-password")
    assert error_text(browser) == INCORRECT
    # A login with filter metacharacters is escaped: it finds exactly the entry it names (whose
    # uid is no valid Sesame username, so it is refused as unusable), and `*` finds nobody.
    before = len(export(corp, "--type", "sign_in.failed"))
    for login in ("filter(*)user", "*", "filter(*", "*)(uid=*"):
        assert sign_in(corp.base, login, "filter-password")[1].status_code == 401
    reasons = [e["detail"].split()[0] for e in wait_for(corp, "sign_in.failed", before + 4)[before:]]
    assert reasons == ["reason=unusable_entry", "reason=unknown_user", "reason=unknown_user", "reason=unknown_user"]
    # An e-mail that two entries share is ambiguous: refused, whichever password.
    assert sign_in(corp.base, "twins@sesame.test", "twin1-password")[1].status_code == 401
    assert wait_for(corp, "sign_in.failed", before + 5)[before + 4]["detail"].startswith("reason=ambiguous_login directory=corp")
    # Non-ASCII passwords and names go through as UTF-8; a DN with an escaped comma binds.
    assert sign_in(corp.base, "jose", "jose-pässword")[1].status_code == 303
    assert corp.show("jose")["name"] == "José Müller"
    assert sign_in(corp.base, "jsmith", "jsmith-password")[1].status_code == 303


def test_an_expired_password_without_grace_logins_reads_so_and_signs_nobody_in(corp, browser):
    with openldap_person("expired", changed_days_ago=400) as (uid, password, _):
        browser.delete_all_cookies()
        fill_and_submit(browser, corp.base, uid, password)
        assert browser.find_element(By.ID, "reason").text == "Your password has expired. Choose a new one to sign in."
        assert browser.get_cookie("sesame_session") is None
        # The same expired account with a wrong password learns nothing about its state.
        fill_and_submit(browser, corp.base, uid, "not-" + password)
        assert error_text(browser) == INCORRECT


def test_an_expired_password_without_grace_logins_is_changed_on_the_page_with_the_old_one(corp, browser):
    """slapd refuses every bind of such a password, Password Modify as the person included: the
    change goes through the service account with the old password, which slapd checks. A wrong
    old password changes nothing; the right one changes it and the person is signed in."""
    with openldap_person("expired", changed_days_ago=400) as (uid, password, dn):
        browser.delete_all_cookies()
        fill_and_submit(browser, corp.base, uid, password)
        assert browser.find_element(By.ID, "reason").text == "Your password has expired. Choose a new one to sign in."
        change_password(browser, "not-" + password, "Fresh-password-1")
        assert page_error(browser.page_source) == "The username or current password is incorrect."
        assert not ldap_bind_works(dn, "Fresh-password-1")
        assert browser.get_cookie("sesame_session") is None
        change_password(browser, password, "Fresh-password-1")
        assert browser.get_cookie("sesame_session") is not None, browser.page_source
        assert ldap_bind_works(dn, "Fresh-password-1")
        assert sign_in(corp.base, uid, "Fresh-password-1")[1].status_code == 303


def test_grace_logins_left_and_the_expiry_warning_are_shown(corp, browser):
    with openldap_person("grace", changed_days_ago=400, policy="grace") as (uid, password, _):
        browser.delete_all_cookies()
        fill_and_submit(browser, corp.base, uid, password)
        assert browser.find_element(By.ID, "notice").text == \
            "Your password has expired. You can sign in 2 more times before you must change it."
        click_and_wait(browser, "#continue")
        assert browser.current_url == corp.base + "/account", "signed in on a grace login"
        browser.delete_all_cookies()
        fill_and_submit(browser, corp.base, uid, password)
        assert "1 more time before" in browser.find_element(By.ID, "notice").text
    with openldap_person("soon", changed_days_ago=84.5) as (uid, password, _):
        browser.delete_all_cookies()
        fill_and_submit(browser, corp.base, uid, password)
        # 90-day maximum, changed 84.5 days ago: 5.5 days left, shown in whole days.
        assert browser.find_element(By.ID, "notice").text == "Your password expires in 5 days. Change it soon."
        click_and_wait(browser, "#continue")
        assert browser.current_url == corp.base + "/account"
    with openldap_person("fresh", changed_days_ago=1) as (uid, password, _):
        browser.delete_all_cookies()
        fill_and_submit(browser, corp.base, uid, password)
        assert browser.current_url == corp.base + "/account", "no warning, no notice page"


def test_a_locked_account_says_so_and_signs_nobody_in(corp, browser):
    with openldap_person("locked", locked=True) as (uid, password, _):
        browser.delete_all_cookies()
        fill_and_submit(browser, corp.base, uid, password)
        assert error_text(browser) == ("Your account is locked after too many failed sign-ins. "
                                       "Try again later or contact your administrator.")
        assert browser.get_cookie("sesame_session") is None
        # slapd answers "locked" before it looks at the password, so a wrong one reads the same
        # (as Sesame's own lock-out does); either way nobody is signed in.
        fill_and_submit(browser, corp.base, uid, password + "x")
        assert error_text(browser).startswith("Your account is locked")
        assert browser.get_cookie("sesame_session") is None


def test_must_change_goes_through_the_change_password_page_back_to_the_app(corp, browser):
    app = Catcher()
    try:
        client = json.loads(corp.cli("client", "add", "after-change", "--json", "--first-party",
                                     "--redirect-uri", app.base + "/cb").stdout)
        with openldap_person("reset", reset=True, policy="mustchange") as (uid, password, dn):
            oauth = OAuth2Session(client["client_id"], client["client_secret"], scope="openid",
                                  redirect_uri=app.base + "/cb", code_challenge_method="S256")
            verifier = generate_token(48)
            url, _ = oauth.create_authorization_url(discovery(corp)["authorization_endpoint"], code_verifier=verifier)
            browser.delete_all_cookies()
            browser.get(url)
            browser.find_element(By.NAME, "username").send_keys(uid)
            browser.find_element(By.NAME, "password").send_keys(password)
            click_and_wait(browser, "#login-form button[type=submit]")
            assert browser.get_cookie("sesame_session") is None, "no session before the password is changed"
            assert password not in browser.current_url
            assert browser.find_element(By.ID, "reason").text == "You must choose a new password before you sign in."
            assert browser.find_element(By.ID, "username").get_attribute("value") == uid
            # The directory's own refusal (too short for its policy) is shown; nothing changes.
            change_password(browser, password, "short")
            assert page_error(browser.page_source), browser.page_source
            assert ldap_bind_works(dn, password)
            # Two different new passwords are refused before the directory is asked.
            change_password(browser, password, "Changed-password-1", "Changed-password-2")
            assert page_error(browser.page_source)
            assert ldap_bind_works(dn, password)
            change_password(browser, password, "Changed-password-1")
            # The sign-in continues where it was going: the app gets its code.
            assert browser.current_url.startswith(app.base + "/cb?"), browser.current_url
            token = oauth.fetch_token(discovery(corp)["token_endpoint"], authorization_response=browser.current_url,
                                      code_verifier=verifier)
            assert id_token_claims(corp, token)["sub"] == corp.show(uid)["id"]
            assert ldap_bind_works(dn, "Changed-password-1") and not ldap_bind_works(dn, password)
            assert sign_in(corp.base, uid, "Changed-password-1")[1].status_code == 303
            # Neither password is written anywhere: the server's log, the audit trail.
            for written in (corp.log_text(), corp.cli("audit", "export").stdout):
                assert "Changed-password-1" not in written and password not in written
    finally:
        app.close()


@pytest.mark.parametrize("ca, works", [("SESAME_TEST_LDAP_CA", True), ("SESAME_TEST_LDAP_OTHER_CA", False)])
def test_start_tls_checks_the_certificate_against_the_configured_ca(tmp_path, ca, works):
    """ldap:// with StartTLS: with the CA that signed slapd's certificate, people sign in; with
    another CA the handshake fails, no password is sent, and the directory reads as unreachable."""
    from conftest import Sesame
    from directory_helpers import env
    sesame = Sesame(tmp_path / "data", serve_args=["--authenticator", "directories"])
    password_file = tmp_path / "bind-password"
    password_file.write_text(env("SESAME_TEST_LDAP_BIND_PASSWORD"))
    added = sesame.cli("directory", "add", "corp", "--profile", "openldap", "--url", env("SESAME_TEST_LDAP_URL"),
                       "--start-tls", "true", "--ca-file", env(ca), "--bind-dn", env("SESAME_TEST_LDAP_BIND_DN"),
                       "--bind-password-file", str(password_file), "--base-dn", env("SESAME_TEST_LDAP_BASE_DN"),
                       "--connect-timeout", "2", "--operation-timeout", "3")
    assert added.returncode == 0, added.stderr
    sesame.start()
    try:
        _, response = sign_in(sesame.base, "dave", "dave-password")
        if works:
            assert response.status_code == 303
        else:
            assert response.status_code == 503
            assert page_error(response.text).startswith("The directory cannot be reached right now")
            failed = wait_for(sesame, "sign_in.failed")[0]
            assert failed["detail"].startswith("reason=directory_unavailable")
    finally:
        assert sesame.stop() == 0, sesame.log_text()


def test_a_person_removed_from_the_directory_loses_their_session_at_the_next_check(tmp_path, browser):
    """The server's periodic directory check (every 2 s here) disables the Sesame user of an entry
    that is gone, and ends their session; a person still there keeps theirs."""
    from directory_helpers import wait_until
    sesame = directory_sesame(tmp_path, "--directory-check-interval", "2s")
    add_openldap_directory(sesame, "corp", None, base=PEOPLE)
    sesame.start()
    try:
        with openldap_person("stayer") as (stayer, stayer_password, _):
            staying, _ = sign_in(sesame.base, stayer, stayer_password)
            with openldap_person("leaver") as (leaver, password, _):
                browser.delete_all_cookies()
                fill_and_submit(browser, sesame.base, leaver, password)
                assert browser.current_url == sesame.base + "/account"
            # The entry is gone now.
            def signed_out():
                browser.get(sesame.base + "/account")
                return "/login" in browser.current_url
            wait_until(signed_out, timeout=20, step=0.5)
            assert sesame.show(leaver)["disabled"] is True
            assert staying.get(sesame.base + "/account", allow_redirects=False).status_code == 200
            assert sesame.show(stayer)["disabled"] is False
    finally:
        assert sesame.stop() == 0, sesame.log_text()
