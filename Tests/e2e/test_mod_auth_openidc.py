"""Apache's mod_auth_openidc (Debian's libapache2-mod-auth-openidc) protects a page with Sesame,
configured only through Sesame's discovery URL; a person signs in with headless Chromium and the
page shows the claims Apache passes on."""

import json
import secrets
import time

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from apache_helpers import Apache
from conftest import click_and_wait

PAGE = """<!doctype html>
<html><body>
<p>email=<span id="email"><!--#echo var="OIDC_CLAIM_email" --></span></p>
<p>username=<span id="username"><!--#echo var="OIDC_CLAIM_preferred_username" --></span></p>
<p>sub=<span id="sub"><!--#echo var="OIDC_CLAIM_sub" --></span></p>
<p>remote_user=<span id="remote-user"><!--#echo var="REMOTE_USER" --></span></p>
</body></html>
"""

DIRECTIVES = """
OIDCProviderMetadataURL {issuer}/.well-known/openid-configuration
OIDCClientID {client_id}
OIDCClientSecret {client_secret}
OIDCRedirectURI http://127.0.0.1:{{port}}/protected/redirect_uri
OIDCCryptoPassphrase {passphrase}
OIDCScope "openid email profile"
OIDCPKCEMethod S256
OIDCRemoteUserClaim sub
<Location /protected>
    AuthType openid-connect
    Require valid-user
</Location>
"""


@pytest.fixture(scope="module")
def apache(sesame):
    # The redirect URI names Apache's port, which is only known once Apache is configured: register
    # a placeholder first, then point the client at the real port.
    client = json.loads(sesame.cli("client", "add", "apache", "--json", "--redirect-uri", "http://127.0.0.1:1/x").stdout)
    directives = DIRECTIVES.format(issuer=sesame.base, client_id=client["client_id"], client_secret=client["client_secret"],
                                   passphrase=secrets.token_hex(16))
    server = Apache(["auth_openidc"], directives, {"protected/index.shtml": PAGE})
    # A third-party client, so the person also sees and answers Sesame's consent page.
    assert sesame.cli("client", "update", "apache", "--redirect-uri", f"{server.base}/protected/redirect_uri").returncode == 0
    time.sleep(2.1)  # the running server sees client changes within 2 s
    yield server.base, server.root
    server.stop()


def sign_in_at_sesame(browser, username, password):
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(password)
    click_and_wait(browser, "#login-form button[type=submit]")


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
    click_and_wait(browser, "#consent-form button[value=allow]")
    WebDriverWait(browser, 15).until(
        lambda b: b.current_url.startswith(base + "/protected/") and "redirect_uri" not in b.current_url,
        message=f"{browser.current_url}\n{browser.page_source[:800]}",
    )
    assert browser.find_element(By.ID, "email").text == "ada@example.com", (root / "error.log").read_text()
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
