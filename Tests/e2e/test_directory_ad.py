"""People from a real Active Directory (a Samba AD DC started by scripts/ldap-servers) sign in to
Sesame: by sAMAccountName or userPrincipalName; disabled, expired and must-change accounts read
their own messages; a wrong password and an unknown name read the same; a nested group found
through LDAP_MATCHING_RULE_IN_CHAIN gives its role; objectGUID keeps a renamed person the same
Sesame user; and a must-change person goes through the change-password page (unicodePwd) and
is signed in, the new password working in a fresh bind."""

import json
import re

import pytest
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from ldap3 import MODIFY_REPLACE
from selenium.webdriver.common.by import By

from conftest import click_and_wait, sign_in
from directory_helpers import (AD_USERS, INCORRECT, Catcher, ad_admin, ad_bind_works, ad_entry, ad_person,
                               add_ad_directory, change_password, directory_sesame, discovery, env, id_token_claims,
                               need_ad, page_error)
from test_browser import error_text, fill_and_submit


@pytest.fixture(scope="module")
def ad(tmp_path_factory):
    need_ad()
    sesame = directory_sesame(tmp_path_factory.mktemp("ad"))
    for role in ("chained", "first", "everyone"):
        assert sesame.cli("role", "add", role).returncode == 0
    add_ad_directory(sesame, "ad", "--map-group", "ad-g2", "--to-role", "chained",
                     "--map-group", f"CN=ad-g1,{AD_USERS}", "--to-role", "first",
                     "--map-group", "Domain Users", "--to-role", "everyone")
    sesame.start()
    yield sesame
    assert sesame.stop() == 0, sesame.log_text()
    # No AD password typed here (nor the service account's) is in the log, the audit trail or the store.
    written = sesame.log_text() + sesame.cli("audit", "export").stdout
    stored = b"".join(path.read_bytes() for path in sesame.data_dir.iterdir() if path.name.startswith("sesame.db"))
    assert b"ad-alice@sesame.test" in stored, "the check reads the store's real bytes"
    for password in ("Alice-Passw0rd!", "Brand-New-Passw0rd!1", env("SESAME_TEST_AD_BIND_PASSWORD")):
        assert password not in written and password.encode() not in stored, password


def test_sam_account_name_and_user_principal_name_sign_in_the_same_person(ad, browser):
    browser.delete_all_cookies()
    fill_and_submit(browser, ad.base, "ad-alice", "Alice-Passw0rd!")
    assert browser.current_url == ad.base + "/account"
    assert browser.find_element(By.ID, "username").text == "ad-alice"
    first = ad.show("ad-alice")
    assert first["email"] == "ad-alice@sesame.test" and first["password_scheme"] is None
    _, again = sign_in(ad.base, "ad-alice@sesame.test", "Alice-Passw0rd!")
    assert again.status_code == 303
    assert ad.show("ad-alice")["id"] == first["id"]


def test_a_nested_group_through_in_chain_gives_its_role(ad):
    """ad-alice is in ad-g1, ad-g1 is in ad-g2: the rule on ad-g2 (by cn) and on ad-g1 (by DN) both
    apply. Domain Users is everyone's primary group (primaryGroupID, not in memberOf)."""
    assert sign_in(ad.base, "ad-alice", "Alice-Passw0rd!")[1].status_code == 303
    assert sorted(ad.show("ad-alice")["roles"]) == ["chained", "everyone", "first"]
    with ad_person("plain") as (name, password, _):
        assert sign_in(ad.base, name, password)[1].status_code == 303
        assert ad.show(name)["roles"] == ["everyone"]


def test_wrong_password_and_unknown_name_read_the_same(ad, browser):
    browser.delete_all_cookies()
    fill_and_submit(browser, ad.base, "ad-alice", "Not-Her-Passw0rd!")
    assert error_text(browser) == INCORRECT
    fill_and_submit(browser, ad.base, "ad-nobody", "Alice-Passw0rd!")
    assert error_text(browser) == INCORRECT
    fill_and_submit(browser, ad.base, "nobody@sesame.test", "Alice-Passw0rd!")
    assert error_text(browser) == INCORRECT


@pytest.mark.parametrize("state, message", [
    ("disabled", "Your account is disabled. Contact your administrator."),  # bind: data 533
    ("expired", "Your account has expired. Contact your administrator."),  # bind: data 701
])
def test_a_refused_account_reads_its_own_message_only_with_the_right_password(ad, browser, state, message):
    with ad_person(state, **{state: True}) as (name, password, _):
        browser.delete_all_cookies()
        fill_and_submit(browser, ad.base, name, password)
        assert error_text(browser) == message
        assert browser.get_cookie("sesame_session") is None
        # The same account with a wrong password tells nothing about its state.
        fill_and_submit(browser, ad.base, name, "Wrong-Passw0rd!")
        assert error_text(browser) == INCORRECT


def test_objectguid_is_the_link_a_renamed_person_stays_the_same_user(ad):
    with ad_person("renamed") as (name, password, dn):
        assert sign_in(ad.base, name, password)[1].status_code == 303
        before = ad.show(name)
        admin = ad_admin()
        try:
            new_name = name + "-new"
            assert admin.modify(dn, {"sAMAccountName": [(MODIFY_REPLACE, [new_name])],
                                     "userPrincipalName": [(MODIFY_REPLACE, [new_name + "@sesame.test"])]}), admin.result
            assert sign_in(ad.base, new_name, password)[1].status_code == 303
            after = ad.show(new_name)
            assert after["id"] == before["id"], "the same Sesame user, found by objectGUID"
            assert ad.cli("user", "show", name).returncode != 0, "the old username went with the rename"
            # The user's DN moves too (a rename of the CN): still the same person.
            assert admin.modify_dn(dn, f"CN={new_name}"), admin.result
            moved = f"CN={new_name},{AD_USERS}"
            assert sign_in(ad.base, new_name, password)[1].status_code == 303
            assert ad.show(new_name)["id"] == before["id"]
            admin.modify_dn(moved, f"CN={name}")
        finally:
            admin.unbind()


def test_must_change_changes_the_password_with_unicodepwd_and_signs_in(ad, browser):
    app = Catcher()
    try:
        client = json.loads(ad.cli("client", "add", "ad-portal", "--json", "--first-party",
                                   "--redirect-uri", app.base + "/cb").stdout)
        with ad_person("change", must_change=True) as (name, password, dn):
            oauth = OAuth2Session(client["client_id"], client["client_secret"], scope="openid profile",
                                  redirect_uri=app.base + "/cb", code_challenge_method="S256")
            verifier = generate_token(48)
            url, _ = oauth.create_authorization_url(discovery(ad)["authorization_endpoint"], code_verifier=verifier)
            browser.delete_all_cookies()
            browser.get(url)
            browser.find_element(By.NAME, "username").send_keys(name)
            browser.find_element(By.NAME, "password").send_keys(password)
            click_and_wait(browser, "#login-form button[type=submit]")
            assert browser.get_cookie("sesame_session") is None
            assert browser.find_element(By.ID, "reason").text == "You must choose a new password before you sign in."
            assert not ad_bind_works(name + "@sesame.test", password), "AD itself refuses the old password until changed"
            # The wrong current password: AD refuses the change; the page says so and nothing changed.
            change_password(browser, "Not-The-Passw0rd!", "Brand-New-Passw0rd!1")
            assert page_error(browser.page_source)
            assert ad_entry(dn, "pwdLastSet").pwdLastSet.raw_values == [b"0"]
            change_password(browser, password, "Brand-New-Passw0rd!1")
            assert browser.current_url.startswith(app.base + "/cb?"), browser.current_url
            token = oauth.fetch_token(discovery(ad)["token_endpoint"], authorization_response=browser.current_url,
                                      code_verifier=verifier)
            assert id_token_claims(ad, token)["preferred_username"] == name
            # A fresh bind with the new password works; the old one does not.
            assert ad_bind_works(name + "@sesame.test", "Brand-New-Passw0rd!1")
            assert not ad_bind_works(name + "@sesame.test", password)
            assert sign_in(ad.base, name, "Brand-New-Passw0rd!1")[1].status_code == 303
    finally:
        app.close()
    for written in (ad.log_text(), ad.cli("audit", "export").stdout):
        assert "Brand-New-Passw0rd!1" not in written


def test_a_person_disabled_in_ad_is_disabled_by_a_sync_and_loses_their_session(ad):
    with ad_person("quitter") as (name, password, dn):
        session, response = sign_in(ad.base, name, password)
        assert response.status_code == 303
        admin = ad_admin()
        try:
            assert admin.modify(dn, {"userAccountControl": [(MODIFY_REPLACE, ["514"])]}), admin.result
        finally:
            admin.unbind()
        synced = ad.cli("directory", "sync", "ad")
        assert synced.returncode == 0, synced.stderr
        # (Earlier tests' people, removed since, are disabled by the same sync.)
        assert int(re.search(r"disabled (\d+)", synced.stdout).group(1)) >= 1, synced.stdout
        assert ad.show(name)["disabled"] is True
        assert session.get(ad.base + "/account", allow_redirects=False).status_code == 303, "the session ended"
