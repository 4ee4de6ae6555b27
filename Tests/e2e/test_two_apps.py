"""One sign-in, two apps: the dashboard and the document library in Examples/, both built on
SesameHummingbird, signed in to through Sesame in headless Chromium."""

import json
import os
import subprocess
import time
from pathlib import Path

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import REPO, Sesame, click_and_wait, free_port

BIN = Path(os.environ.get("SESAME_BIN", str(REPO / ".build" / "debug" / "sesame"))).parent


class ExampleApp:
    def __init__(self, product, sesame, client, port, log_dir):
        self.base = f"http://127.0.0.1:{port}"
        self.secret = client["client_secret"]
        self.log = open(log_dir / f"{product}.log", "w")
        self.proc = subprocess.Popen([str(BIN / product)], stdout=self.log, stderr=subprocess.STDOUT, env={
            **os.environ, "SESAME_ISSUER": sesame.base, "CLIENT_ID": client["client_id"], "CLIENT_SECRET": client["client_secret"],
            "APP_URL": self.base, "PORT": str(port), "COOKIE_SECRET": os.urandom(32).hex(),
        })
        deadline = time.time() + 30
        while time.time() < deadline:
            assert self.proc.poll() is None, (log_dir / f"{product}.log").read_text()
            try:
                requests.get(self.base + "/login", timeout=1, allow_redirects=False)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise AssertionError(f"{product} did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.log.close()


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    root = tmp_path_factory.mktemp("apps")
    sesame = Sesame(root / "data")
    ports = {"dashboard": free_port(), "library": free_port()}
    clients = {}
    for name, port in ports.items():
        result = sesame.cli("client", "add", name, "--json", "--first-party", "--redirect-uri", f"http://127.0.0.1:{port}/callback",
                            "--post-logout-redirect-uri", f"http://127.0.0.1:{port}/",
                            "--frontchannel-logout-uri", f"http://127.0.0.1:{port}/frontchannel-logout")
        assert result.returncode == 0, result.stderr
        clients[name] = json.loads(result.stdout)
    users = root / "users.txt"
    users.write_text("wes:wes-password:writers\neve:eve-password:editors\n")
    for command in (["user", "import", str(users)], ["role", "add", "editor", "--app", "dashboard"], ["role", "add", "editor", "--app", "library"],
                    ["group", "add-role", "editors", "dashboard:editor"], ["group", "add-role", "editors", "library:editor"]):
        result = sesame.cli(*command)
        assert result.returncode == 0, result.stderr
    sesame.start()
    dashboard = ExampleApp("example-dashboard", sesame, clients["dashboard"], ports["dashboard"], root)
    library = ExampleApp("example-library", sesame, clients["library"], ports["library"], root)
    yield sesame, dashboard, library
    dashboard.stop()
    library.stop()
    assert sesame.stop() == 0


def sign_in(browser, username, password):
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(password)
    click_and_wait(browser, "button[type=submit]")


def test_one_sign_in_two_apps_roles_and_sign_out(apps, browser):
    sesame, dashboard, library = apps
    browser.delete_all_cookies()
    browser.get(dashboard.base + "/")
    assert browser.current_url.startswith(sesame.base + "/login"), "a stranger is sent to Sesame"
    sign_in(browser, "wes", "wes-password")
    assert browser.current_url == dashboard.base + "/"
    assert "Welcome, wes" in browser.find_element(By.ID, "message").text

    # The library: no sign-in form, Sesame remembers wes.
    browser.get(library.base + "/")
    assert browser.current_url == library.base + "/"
    assert browser.find_element(By.ID, "message").text == "Hello wes. You may read."
    app_sessions = lambda: sorted(c["name"] for c in browser.get_cookies() if c["name"].startswith("sesame_session_"))
    assert len(app_sessions()) == 2, "each app keeps its own session"

    # The editors' page is not for a writer: 403, in either app.
    for app in (library, dashboard):
        browser.get(app.base + "/editors")
        assert browser.current_url == app.base + "/editors"
        assert "not open to you" in browser.page_source

    # Signing out of the dashboard signs out everywhere: Sesame, and (front-channel) the library.
    browser.get(dashboard.base + "/")
    click_and_wait(browser, "#logout")
    WebDriverWait(browser, 10).until(lambda b: b.current_url.startswith(sesame.base + "/login"))
    assert app_sessions() == [], "the front-channel frame ended the library's session, the dashboard ended its own"
    browser.get(sesame.base + "/account")
    assert browser.current_url.startswith(sesame.base + "/login"), "the Sesame session ended"
    browser.get(library.base + "/")
    assert browser.current_url.startswith(sesame.base + "/login"), "the library's session ended too"

    # An editor gets in, and is taken back to the page asked for.
    browser.delete_all_cookies()
    browser.get(library.base + "/editors")
    sign_in(browser, "eve", "eve-password")
    assert browser.current_url == library.base + "/editors"
    assert "review queue" in browser.find_element(By.ID, "message").text
    browser.get(dashboard.base + "/editors")
    assert browser.current_url == dashboard.base + "/editors" and "drafts" in browser.find_element(By.ID, "message").text


def test_apis_get_401_with_a_bearer_challenge_and_no_open_redirect(apps):
    _, _, library = apps
    plain = requests.get(library.base + "/api/me", headers={"Accept": "application/json"}, allow_redirects=False)
    assert plain.status_code == 401 and plain.headers["WWW-Authenticate"].startswith("Bearer")
    forged = requests.get(library.base + "/api/me", headers={"Authorization": "Bearer not.a.token"}, allow_redirects=False)
    assert forged.status_code == 401 and 'error="invalid_token"' in forged.headers["WWW-Authenticate"]
    page = requests.get(library.base + "/", headers={"Accept": "text/html"}, allow_redirects=False)
    assert page.status_code == 303 and page.headers["Location"] == "/login?return_to=%2F"
    away = requests.get(library.base + "/login", params={"return_to": "https://evil.example/"}, allow_redirects=False)
    assert away.status_code == 303 and "evil.example" not in away.headers["Location"]


def test_the_library_api_takes_access_tokens_checked_locally_or_by_introspection(apps):
    from authlib.common.security import generate_token
    from authlib.integrations.requests_client import OAuth2Session
    from oidc_helpers import Person
    sesame, _, library = apps
    clients = json.loads(sesame.cli("client", "list", "--json").stdout)
    client = next(c for c in clients if c["name"] == "library")
    discovery = requests.get(sesame.base + "/.well-known/openid-configuration").json()
    redirect = library.base + "/callback"
    # The library's own client, in authlib's hands (its secret is the one the app was given).
    oauth = OAuth2Session(client["client_id"], library.secret, scope="openid roles", redirect_uri=redirect, code_challenge_method="S256")
    verifier = generate_token(48)
    url, _ = oauth.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier)
    landed = Person(sesame.base, "eve", "eve-password").authorize(url)
    token = oauth.fetch_token(discovery["token_endpoint"], authorization_response=landed, code_verifier=verifier)["access_token"]
    me = requests.get(library.base + "/api/me", headers={"Authorization": "Bearer " + token})
    assert me.status_code == 200 and json.loads(me.text)["roles"] == ["editor"]
    asked = requests.get(library.base + "/api/introspect", headers={"Authorization": "Bearer " + token})
    assert asked.status_code == 200 and asked.json()["active"] is True
    # Revoked at Sesame: introspection says so at once (a local check would accept it until it expires).
    assert requests.post(discovery["revocation_endpoint"], data={"token": token}, auth=(client["client_id"], library.secret)).status_code == 200
    assert requests.get(library.base + "/api/introspect", headers={"Authorization": "Bearer " + token}).status_code == 401
