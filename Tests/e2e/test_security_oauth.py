"""OAuth 2.0 / OpenID Connect security rules over real HTTP (issue 13): strict refresh-reuse
detection across two instances, OAuth JSON errors for broken bodies at /token, the admin scope
kept from persons, and throttled client authentication."""

import concurrent.futures
import json
import os
import socket
from urllib.parse import urlparse

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session

from conftest import Sesame
from oidc_helpers import Person

REDIRECT = "http://127.0.0.1:9/callback"


def add_client(sesame, name, *args):
    result = sesame.cli("client", "add", name, "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def code_flow(base, client, username, password):
    discovery = requests.get(base + "/.well-known/openid-configuration").json()
    oauth = OAuth2Session(client["client_id"], client["client_secret"], scope="openid offline_access", redirect_uri=REDIRECT,
                          code_challenge_method="S256")
    verifier = generate_token(48)
    url, _ = oauth.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier, nonce=generate_token(16))
    landed = Person(base, username, password).authorize(url)
    assert landed.startswith(REDIRECT), landed
    return oauth.fetch_token(discovery["token_endpoint"], authorization_response=landed, code_verifier=verifier)


def refresh(base, client, token):
    return requests.post(base + "/token", data={"grant_type": "refresh_token", "refresh_token": token},
                         auth=(client["client_id"], client["client_secret"]), timeout=30)


def raw_request(base, data: bytes):
    """Sends bytes as they are and returns the status line and the body."""
    url = urlparse(base)
    with socket.create_connection((url.hostname, url.port), timeout=10) as connection:
        connection.sendall(data)
        received = b""
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
            head, _, body = received.partition(b"\r\n\r\n")
            if b"content-length:" in head.lower():
                length = int([line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")][0].split(b":")[1])
                if len(body) >= length:
                    break
    head, _, body = received.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(), head.decode(errors="replace"), body


def test_a_malformed_chunked_body_at_token_is_an_oauth_error(sesame):
    request = (b"POST /token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
               b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\ngrant_type=x\r\n0\r\n\r\n")
    status, head, body = raw_request(sesame.direct, request)
    assert " 500 " not in status, status
    assert " 400 " in status, status
    assert "application/json" in head.lower()
    assert json.loads(body)["error"] == "invalid_request"


def test_a_too_large_body_at_token_is_an_oauth_error(sesame):
    response = requests.post(sesame.direct + "/token", data={"grant_type": "client_credentials", "pad": "a" * 200_000})
    assert response.status_code == 413
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["error"] == "invalid_request"


def test_a_code_grant_client_cannot_hold_the_admin_scope(sesame):
    refused = sesame.cli("client", "add", "sneaky", "--redirect-uri", REDIRECT, "--scope", "openid", "--scope", "sesame:admin")
    assert refused.returncode != 0 and "sesame:admin" in refused.stderr
    public = sesame.cli("client", "add", "sneaky-spa", "--public", "--redirect-uri", REDIRECT, "--scope", "sesame:admin")
    assert public.returncode != 0
    bot = add_client(sesame, "fine-bot", "--grant", "client_credentials", "--scope", "sesame:admin")
    token = requests.post(sesame.direct + "/token", data={"grant_type": "client_credentials", "scope": "sesame:admin"},
                          auth=(bot["client_id"], bot["client_secret"])).json()["access_token"]
    assert requests.get(sesame.direct + "/admin/api/v1/users", headers={"Authorization": "Bearer " + token}).status_code == 200


def test_a_loopback_lookalike_host_is_not_a_redirect_uri(sesame):
    refused = sesame.cli("client", "add", "lookalike", "--redirect-uri", "http://127.evil.test/cb")
    assert refused.returncode != 0 and "loopback" in refused.stderr


@pytest.fixture(scope="module")
def two_instances(tmp_path_factory):
    """Two `sesame serve` on one PostgreSQL database, strict reuse detection (no grace period)."""
    from cluster_helpers import data_key_file, drop_database, new_database

    root = tmp_path_factory.mktemp("strict")
    database = new_database()
    key = data_key_file(root)
    common = ["--database", database, "--data-key-file", str(key)]
    nodes = [Sesame(root / f"node{i}", common=common) for i in (1, 2)]
    for node in nodes:
        node.base = nodes[0].direct  # one issuer
        node.start()
    assert nodes[0].add_user("rita", "rita-password").returncode == 0
    client = add_client(nodes[0], "web", "--redirect-uri", REDIRECT)
    yield nodes, client
    for node in nodes:
        node.stop()
    drop_database(database)


def test_strict_refresh_reuse_detection_across_two_instances(two_instances):
    (a, b), client = two_instances
    token = code_flow(a.direct, client, "rita", "rita-password")
    first = refresh(a.direct, client, token["refresh_token"])
    assert first.status_code == 200, first.text
    # The old token again, on the other instance: a replay, which ends the whole grant.
    replay = refresh(b.direct, client, token["refresh_token"])
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    after = refresh(a.direct, client, first.json()["refresh_token"])
    assert after.status_code == 400 and after.json()["error"] == "invalid_grant", "the family was revoked everywhere"
    info = requests.get(b.direct + "/userinfo", headers={"Authorization": "Bearer " + first.json()["access_token"]})
    assert info.status_code == 401


def test_a_race_between_two_instances_has_one_winner_and_ends_the_grant(two_instances):
    (a, b), client = two_instances
    token = code_flow(a.direct, client, "rita", "rita-password")
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda node: refresh(node.direct, client, token["refresh_token"]), [a, b] * 4))
    # At most one request wins the token. The others are reuse, which ends the whole grant; when
    # that lands before the winner has stored its successor, the winner is refused too (an attack
    # and a client bug look the same). Either way nothing of the grant works afterwards.
    winners = [answer for answer in answers if answer.status_code == 200]
    assert len(winners) <= 1, [answer.text for answer in answers]
    assert all(answer.json()["error"] == "invalid_grant" for answer in answers if answer.status_code != 200)
    for answer in winners:
        assert refresh(b.direct, client, answer.json()["refresh_token"]).json()["error"] == "invalid_grant"
    assert refresh(a.direct, client, token["refresh_token"]).json()["error"] == "invalid_grant"


def test_failed_client_authentication_is_throttled_per_address(fresh_sesame):
    sesame = fresh_sesame.start()
    bot = add_client(sesame, "guessed", "--grant", "client_credentials")
    wrong, right = (bot["client_id"], "not-the-secret"), (bot["client_id"], bot["client_secret"])
    # A 60 KB client_id is refused before any lookup; it counts as a failure like any other.
    huge = requests.post(sesame.direct + "/token", data={"grant_type": "client_credentials", "client_id": "x" * 60_000, "client_secret": "s"})
    assert huge.status_code == 401 and huge.json() == {"error": "invalid_client", "error_description": "client_id is too long"}
    for _ in range(19):
        answer = requests.post(sesame.direct + "/token", data={"grant_type": "client_credentials"}, auth=wrong)
        assert answer.status_code == 401
    for endpoint in ("/token", "/introspect", "/revoke"):
        held = requests.post(sesame.direct + endpoint, data={"grant_type": "client_credentials", "token": "x"}, auth=right)
        assert held.status_code == 429, (endpoint, held.text)
        assert held.json()["error"] == "invalid_client" and int(held.headers["Retry-After"]) >= 1
    other = requests.post(sesame.direct + "/token", data={"grant_type": "client_credentials"}, auth=right,
                          headers={"X-Forwarded-For": "192.0.2.1"})  # not trusted: still the same address
    assert other.status_code == 429


def test_concurrent_refreshes_within_the_grace_period_leave_one_chain(tmp_path):
    sesame = Sesame(tmp_path / "data", serve_args=["--refresh-grace-period", "10s"]).start()
    try:
        assert sesame.add_user("gina", "gina-password").returncode == 0
        client = add_client(sesame, "web", "--redirect-uri", REDIRECT)
        token = code_flow(sesame.direct, client, "gina", "gina-password")
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(lambda _: refresh(sesame.direct, client, token["refresh_token"]), range(64)))
        assert all(answer.status_code == 200 for answer in answers), [a.text for a in answers if a.status_code != 200][:3]
        successors = {answer.json()["refresh_token"] for answer in answers}
        assert len(successors) == 1, f"{len(successors)} live chains"
        assert refresh(sesame.direct, client, successors.pop()).status_code == 200
    finally:
        sesame.stop()


def serve_page(directory):
    """A static web server on a loopback port of its own: another origin than Sesame's."""
    import functools
    import http.server
    import threading
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_single_page_app_calls_the_endpoints_from_its_registered_origin_in_chromium(sesame, browser, tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>spa</title>")
    page, stranger = serve_page(tmp_path), serve_page(tmp_path)
    try:
        origin = f"http://127.0.0.1:{page.server_address[1]}"
        spa = add_client(sesame, "spa", "--public", "--redirect-uri", origin + "/callback")

        def fetch_from(site):
            browser.get(f"http://127.0.0.1:{site.server_address[1]}/index.html")
            return browser.execute_async_script("""
                const [base, clientID, done] = arguments;
                const out = {};
                const read = async (name, promise) => {
                    try { const r = await promise; out[name] = [r.status, await r.json()]; } catch (e) { out[name] = 'blocked'; }
                };
                await read('discovery', fetch(base + '/.well-known/openid-configuration'));
                await read('token', fetch(base + '/token', {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                    body: 'grant_type=authorization_code&code=nope&code_verifier=' + 'v'.repeat(43) + '&client_id=' + clientID}));
                await read('userinfo', fetch(base + '/userinfo', {headers: {'Authorization': 'Bearer nope'}}));
                done(out);
            """, sesame.direct, spa["client_id"])

        allowed = fetch_from(page)
        assert allowed["discovery"][0] == 200 and allowed["discovery"][1]["issuer"] == sesame.base
        assert allowed["token"] == [400, {"error": "invalid_grant", "error_description": "the authorization code is invalid"}]
        assert allowed["userinfo"][0] == 401
        elsewhere = fetch_from(stranger)
        assert elsewhere["discovery"][0] == 200, "discovery is public"
        assert elsewhere["token"] == "blocked" and elsewhere["userinfo"] == "blocked"
    finally:
        page.shutdown()
        stranger.shutdown()
