"""Apache's mod_auth_cas (Debian's libapache2-mod-auth-cas) protects two pages with Sesame's CAS
server, validating over TLS through nginx; headless Chromium signs in once and opens both, and
an OpenID Connect page (mod_auth_openidc) in the same Apache opens without a sign-in too."""

import json
import secrets
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from apache_helpers import Apache, TLSProxy
from test_mod_auth_openidc import sign_in_at_sesame

PAGE = """<!doctype html><html><body>
<p>page=<span id="page">{name}</span> user=<span id="remote-user"><!--#echo var="REMOTE_USER" --></span></p>
</body></html>
"""

DIRECTIVES = """
CASCookiePath {cache}/
CASLoginURL {sesame}/cas/login
CASValidateURL {tls}/cas/serviceValidate
CASCertificatePath {cert}
CASVersion 2
CASSSOEnabled On
<Location /one>
    AuthType CAS
    Require valid-user
</Location>
<Location /two>
    AuthType CAS
    Require valid-user
</Location>
OIDCProviderMetadataURL {sesame}/.well-known/openid-configuration
OIDCClientID {client_id}
OIDCClientSecret {client_secret}
OIDCRedirectURI http://127.0.0.1:{{port}}/oidc/redirect_uri
OIDCCryptoPassphrase {passphrase}
OIDCScope "openid email profile"
OIDCRemoteUserClaim preferred_username
<Location /oidc>
    AuthType openid-connect
    Require valid-user
</Location>
"""


@pytest.fixture(scope="module")
def apache(sesame):
    tls = TLSProxy(sesame.port)  # mod_auth_cas validates tickets over https only
    cache = Path(tempfile.mkdtemp(prefix="sesame-cas-cache-"))
    shutil.chown(cache, "www-data", "www-data")
    client = json.loads(sesame.cli("client", "add", "apache-oidc", "--first-party", "--json", "--redirect-uri", "http://127.0.0.1:1/x").stdout)
    directives = DIRECTIVES.format(
        cache=cache, sesame=sesame.base, tls=tls.base, cert=tls.cert, client_id=client["client_id"],
        client_secret=client["client_secret"], passphrase=secrets.token_hex(16),
    )
    pages = {f"{name}/index.shtml": PAGE.format(name=name) for name in ("one", "two", "oidc")}
    server = Apache(["auth_cas", "auth_openidc"], directives, pages)
    assert sesame.cli("cas-service", "add", "apache", "--pattern", server.base + "/").returncode == 0
    assert sesame.cli("client", "update", "apache-oidc", "--redirect-uri", f"{server.base}/oidc/redirect_uri").returncode == 0
    time.sleep(2.1)  # the running server sees client changes within 2 s
    yield server
    server.stop()
    tls.stop()
    shutil.rmtree(cache, ignore_errors=True)


def wait_for_page(browser, url, server):
    WebDriverWait(browser, 15).until(lambda b: b.current_url.startswith(url), message=server.error_log()[-2000:])


def test_cas_single_sign_on_across_apps_and_protocols(sesame, apache, browser):
    sesame.add_user("casey", "casey-pass", "--email", "casey@example.com")
    browser.delete_all_cookies()
    browser.get(apache.base + "/one/")
    WebDriverWait(browser, 15).until(lambda b: "/login" in b.current_url)
    assert browser.current_url.startswith(sesame.base + "/login")
    sign_in_at_sesame(browser, "casey", "casey-pass")
    wait_for_page(browser, apache.base + "/one/", apache)
    assert browser.find_element(By.ID, "page").text == "one"
    assert browser.find_element(By.ID, "remote-user").text == "casey", apache.error_log()[-2000:]

    # A second CAS page: Sesame's session answers at once, no sign-in page.
    browser.get(apache.base + "/two/")
    wait_for_page(browser, apache.base + "/two/", apache)
    assert browser.find_element(By.ID, "remote-user").text == "casey"

    # An OpenID Connect page in the same Apache: the same session, no sign-in either.
    browser.get(apache.base + "/oidc/")
    wait_for_page(browser, apache.base + "/oidc/", apache)
    assert browser.find_element(By.ID, "remote-user").text == "casey"


def test_signing_out_of_sesame_signs_out_of_the_cas_app(sesame, apache, browser):
    """Single log-out: Sesame posts a SAML LogoutRequest to Apache, which drops its own session."""
    browser.get(apache.base + "/one/")
    wait_for_page(browser, apache.base + "/one/", apache)  # still signed in from the test above
    browser.get(sesame.base + "/cas/logout")
    assert "signed out" in browser.page_source.lower()
    time.sleep(1)  # the log-out requests go out in the background
    # Both CAS pages ask for a sign-in again: neither kept its session.
    for page in ("/one/", "/two/"):
        browser.get(apache.base + page)
        WebDriverWait(browser, 15).until(lambda b: "/login" in b.current_url, message=apache.error_log()[-2000:])
        assert browser.current_url.startswith(sesame.base + "/login")
