"""Issue 14, point 4: one way to end a session. The account page's "Sign out" now signs out of
the apps too: a front-channel app (the example dashboard, in Chromium) and a back-channel app (a
receiver written here) that gets a logout token Sesame's JWKS verifies; an app the person never
signed in to gets nothing."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import Sesame, click_and_wait, free_port
from oidc_helpers import Person
from test_two_apps import ExampleApp, sign_in

EVENT = "http://schemas.openid.net/event/backchannel-logout"


class Receiver:
    """An app's back-channel logout endpoint on loopback: keeps every POST by path; its
    /callback answers 200, so a browser can land there with a code."""

    def __init__(self):
        self.posts = {}
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
                with receiver.lock:
                    receiver.posts.setdefault(self.path, []).append((self.headers.get("Content-Type"), body))
                self.send_response(200)
                self.send_header("Cache-Control", "no-store")
                self.end_headers()

            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(b"<p id='landed'>back at the app</p>")

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.port}"

    def received(self, path):
        with self.lock:
            return list(self.posts.get(path, []))

    def wait_for(self, path, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.received(path):
                return self.received(path)
            time.sleep(0.05)
        raise AssertionError(f"nothing was POSTed to {path}")

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def cli_ok(sesame, *args):
    result = sesame.cli(*args)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("logout")
    receiver = Receiver()
    sesame = Sesame(root / "data")
    dashboard_port = free_port()
    dashboard_client = json.loads(cli_ok(
        sesame, "client", "add", "dashboard", "--json", "--first-party", "--redirect-uri", f"http://127.0.0.1:{dashboard_port}/callback",
        "--frontchannel-logout-uri", f"http://127.0.0.1:{dashboard_port}/frontchannel-logout").stdout)
    clients = {}
    for name in ("notes", "wiki", "tasks"):
        clients[name] = json.loads(cli_ok(
            sesame, "client", "add", name, "--json", "--first-party", "--redirect-uri", receiver.base + f"/{name}/callback",
            "--backchannel-logout-uri", receiver.base + f"/{name}/backchannel-logout").stdout)
    sesame.add_user("bo", "bo-password-1")
    sesame.start()
    dashboard = ExampleApp("example-dashboard", sesame, dashboard_client, dashboard_port, root)
    yield sesame, dashboard, receiver, clients
    dashboard.stop()
    receiver.stop()
    assert sesame.stop() == 0, sesame.log_text()


def test_the_back_channel_uri_is_checked_and_listed(setup):
    sesame, _, receiver, _ = setup
    refused = sesame.cli("client", "update", "wiki", "--backchannel-logout-uri", "http://apps.example.test/logout")
    assert refused.returncode != 0 and "back-channel logout URI" in refused.stderr, "plain http only on loopback"
    refused = sesame.cli("client", "update", "wiki", "--backchannel-logout-uri", "https://apps.example.test/logout#x")
    assert refused.returncode != 0
    shown = cli_ok(sesame, "client", "show", "notes").stdout
    assert f"backchannel_logout_uri: {receiver.base}/notes/backchannel-logout" in shown
    assert json.loads(cli_ok(sesame, "client", "show", "notes", "--json").stdout)["backchannel_logout_uri"].endswith("/notes/backchannel-logout")
    discovery = requests.get(sesame.base + "/.well-known/openid-configuration").json()
    assert discovery["backchannel_logout_supported"] is True and discovery["backchannel_logout_session_supported"] is True


def test_the_account_pages_sign_out_ends_the_apps_sessions_front_and_back_channel(setup, browser):
    sesame, dashboard, receiver, clients = setup
    browser.delete_all_cookies()
    browser.get(dashboard.base + "/")
    assert browser.current_url.startswith(sesame.base + "/login")
    sign_in(browser, "bo", "bo-password-1")
    assert browser.current_url == dashboard.base + "/"
    dashboard_session = lambda: [c["name"] for c in browser.get_cookies() if c["name"].startswith("sesame_session_")]
    assert dashboard_session(), "the dashboard keeps its own session"

    # The same browser session signs in to "notes" (a back-channel app), never to "wiki".
    notes = clients["notes"]
    discovery = requests.get(sesame.base + "/.well-known/openid-configuration").json()
    oauth = OAuth2Session(notes["client_id"], notes["client_secret"], scope="openid", redirect_uri=receiver.base + "/notes/callback",
                          code_challenge_method="S256")
    verifier = generate_token(48)
    url, _ = oauth.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier, nonce=generate_token(16))
    browser.get(url)
    WebDriverWait(browser, 10).until(lambda b: b.current_url.startswith(receiver.base + "/notes/callback"))
    id_token = oauth.fetch_token(discovery["token_endpoint"], authorization_response=browser.current_url, code_verifier=verifier)["id_token"]
    keys = KeySet.import_key_set(requests.get(discovery["jwks_uri"]).json())
    id_claims = jwt.decode(id_token, keys).claims
    assert id_claims.get("sid"), "ID tokens carry the session id the logout token names"
    assert receiver.received("/notes/backchannel-logout") == [], "nothing before the sign-out"

    # Sesame's own account page: "Sign out".
    browser.get(sesame.base + "/account")
    click_and_wait(browser, "#logout-form button[type=submit]")
    WebDriverWait(browser, 10).until(lambda b: b.current_url.startswith(sesame.base + "/login"))

    # Front channel: the dashboard's frame ended its session.
    assert dashboard_session() == [], "the front-channel frame ended the dashboard's session"
    browser.get(dashboard.base + "/")
    assert browser.current_url.startswith(sesame.base + "/login"), "the dashboard's session ended, and Sesame's"

    # Back channel: one logout token for "notes", verified against Sesame's JWKS.
    content_type, body = receiver.wait_for("/notes/backchannel-logout")[0]
    assert content_type.startswith("application/x-www-form-urlencoded")
    form = parse_qs(body)
    assert list(form) == ["logout_token"]
    token = jwt.decode(form["logout_token"][0], keys)
    claims = token.claims
    assert token.header["typ"] == "logout+jwt"
    assert claims["iss"] == sesame.base and claims["aud"] == notes["client_id"]
    assert claims["sid"] == id_claims["sid"] and claims["sub"] == id_claims["sub"]
    assert claims["events"] == {EVENT: {}}
    assert "nonce" not in claims, "a logout token never carries a nonce"
    assert claims["jti"] and 0 < claims["exp"] - claims["iat"] <= 300 and abs(claims["iat"] - time.time()) < 60

    # "wiki" registered a back-channel URI but was never signed in to: nothing, ever.
    time.sleep(1)
    assert receiver.received("/wiki/backchannel-logout") == []
    assert len(receiver.received("/notes/backchannel-logout")) == 1, "delivered once"

    # Each delivery is audited.
    deadline = time.time() + 5
    events = []
    while time.time() < deadline and not events:
        result = cli_ok(sesame, "audit", "export", "--type", "backchannel_logout.delivered")
        events = [json.loads(line) for line in result.stdout.splitlines()]
        time.sleep(0.1)
    assert [e["client_id"] for e in events] == [notes["client_id"]], events


def sign_in_to(sesame, receiver, client, person):
    """The code flow for `client` in `person`'s own HTTP session; returns the ID token's claims."""
    discovery = requests.get(sesame.base + "/.well-known/openid-configuration").json()
    name = client["name"]
    oauth = OAuth2Session(client["client_id"], client["client_secret"], scope="openid", redirect_uri=receiver.base + f"/{name}/callback",
                          code_challenge_method="S256")
    verifier = generate_token(48)
    url, _ = oauth.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier)
    landed = person.authorize(url)
    id_token = oauth.fetch_token(discovery["token_endpoint"], authorization_response=landed, code_verifier=verifier)["id_token"]
    return jwt.decode(id_token, KeySet.import_key_set(requests.get(discovery["jwks_uri"]).json())).claims


def logout_sids(sesame, receiver, path):
    keys = KeySet.import_key_set(requests.get(sesame.base + "/jwks").json())
    return [jwt.decode(parse_qs(body)["logout_token"][0], keys).claims["sid"] for _, body in receiver.received(path)]


def wait_until(predicate, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline and not predicate():
        time.sleep(0.05)
    return predicate()


def test_an_administrators_revocation_and_disabling_tell_the_back_channel_app(setup):
    sesame, _, receiver, clients = setup
    tasks, path = clients["tasks"], "/tasks/backchannel-logout"
    bot = json.loads(cli_ok(sesame, "client", "add", "admin-bot", "--json", "--grant", "client_credentials", "--scope", "sesame:admin").stdout)
    token = requests.post(sesame.base + "/token", data={"grant_type": "client_credentials", "scope": "sesame:admin"},
                          auth=(bot["client_id"], bot["client_secret"])).json()["access_token"]
    api = requests.Session()
    api.headers["Authorization"] = "Bearer " + token
    admin = sesame.base + "/admin/api/v1"
    sesame.add_user("cy", "cy-password-1")

    # One session revoked by an administrator: its logout token names that session.
    first = sign_in_to(sesame, receiver, tasks, Person(sesame.base, "cy", "cy-password-1"))
    sessions = api.get(admin + "/users/cy/sessions").json()["items"]
    assert len(sessions) == 1
    assert api.delete(admin + f"/users/cy/sessions/{sessions[0]['id']}").status_code == 204
    assert wait_until(lambda: logout_sids(sesame, receiver, path) == [first["sid"]]), receiver.received(path)

    # Disabling the person ends their new session: one more token, naming it.
    second = sign_in_to(sesame, receiver, tasks, Person(sesame.base, "cy", "cy-password-1"))
    assert second["sid"] != first["sid"]
    assert api.patch(admin + "/users/cy", json={"disabled": True}).status_code == 200
    assert wait_until(lambda: logout_sids(sesame, receiver, path) == [first["sid"], second["sid"]]), receiver.received(path)
    assert receiver.received("/wiki/backchannel-logout") == []


def test_cas_logout_loads_the_front_channel_frames_then_goes_to_the_service(setup, browser):
    sesame, dashboard, receiver, _ = setup
    cli_ok(sesame, "cas-service", "add", "portal", "--pattern", receiver.base + "/portal/")
    browser.delete_all_cookies()
    browser.get(dashboard.base + "/")
    sign_in(browser, "bo", "bo-password-1")
    assert browser.current_url == dashboard.base + "/"
    assert [c for c in browser.get_cookies() if c["name"].startswith("sesame_session_")]
    browser.get(sesame.base + "/cas/logout?service=" + requests.utils.quote(receiver.base + "/portal/bye", safe=""))
    WebDriverWait(browser, 10).until(lambda b: b.current_url.startswith(receiver.base + "/portal/bye"))
    assert [c for c in browser.get_cookies() if c["name"].startswith("sesame_session_")] == [], "the dashboard's frame ran first"
    browser.get(dashboard.base + "/")
    assert browser.current_url.startswith(sesame.base + "/login"), "neither the dashboard nor Sesame kept a session"
