"""Issue 13, CAS and sessions: service patterns with a host boundary, single log-out as one POST
to the registered origin, proxy callbacks https-only, sign-out ending what the session handed out,
/end-session hints that must name the session, front-channel logout only to the apps used, and a
data directory closed to others."""

import http.server
import json
import os
import re
import stat
import threading
import time
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlparse

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session

from conftest import sign_in
from oidc_helpers import Person

NS = {"cas": "http://www.yale.edu/tp/cas"}
REDIRECT = "http://127.0.0.1:9/callback"


def loopback_server(answer):
    """A loopback HTTP server: `answer(handler, method, path, body)` replies; returns (server, requests seen)."""
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def handle_one(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            seen.append((self.command, self.path, body))
            answer(self)

        do_GET = do_POST = do_PUT = do_HEAD = handle_one

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


def reply(status, headers=()):
    def answer(handler):
        handler.send_response(status)
        for name, value in headers:
            handler.send_header(name, value)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return answer


def cli_ok(sesame, *args):
    result = sesame.cli(*args)
    assert result.returncode == 0, result.stderr
    return result


def cas_ticket(sesame, session, service):
    response = session.get(sesame.base + "/cas/login", params={"service": service}, allow_redirects=False)
    assert response.status_code == 303, response.text[:300]
    return parse_qs(urlparse(response.headers["Location"]).query)["ticket"][0]


def test_cas_login_gives_no_ticket_to_another_host_or_a_longer_path(sesame):
    cli_ok(sesame, "cas-service", "add", "intranet", "--pattern", "https://intranet.example.test")
    cli_ok(sesame, "cas-service", "add", "intranet-app", "--pattern", "https://app.example.test/app")
    sesame.add_user("hope", "hope-pass")
    session, _ = sign_in(sesame.base, "hope", "hope-pass")
    for stranger in ("https://intranet.example.test.evil.test/", "https://intranet.example.test@127.0.0.1/steal",
                     "https://app.example.test/application"):
        response = session.get(sesame.base + "/cas/login", params={"service": stranger}, allow_redirects=False)
        assert response.status_code == 400 and "Location" not in response.headers, stranger
        assert "ticket=" not in response.text
    assert cas_ticket(sesame, session, "https://intranet.example.test/").startswith("ST-")
    assert cas_ticket(sesame, session, "https://app.example.test/app/x").startswith("ST-")


def test_single_log_out_is_one_post_and_a_redirect_is_not_followed(sesame):
    elsewhere, elsewhere_seen = loopback_server(reply(200))
    app, app_seen = loopback_server(reply(302, [("Location", f"http://127.0.0.1:{elsewhere.server_port}/landing")]))
    try:
        service = f"http://127.0.0.1:{app.server_port}/slo/"
        cli_ok(sesame, "cas-service", "add", "redirecting", "--pattern", service)
        sesame.add_user("ruth", "ruth-pass")
        session, _ = sign_in(sesame.base, "ruth", "ruth-pass")
        ticket = cas_ticket(sesame, session, service)
        assert session.get(sesame.base + "/cas/logout", allow_redirects=False).status_code == 200
        deadline = time.time() + 5
        while not app_seen and time.time() < deadline:
            time.sleep(0.1)
        time.sleep(1.5)  # time for any redirect to be (wrongly) followed
        assert [(method, path) for method, path, _ in app_seen] == [("POST", "/slo/")], app_seen
        assert ticket in app_seen[0][2]
        assert elsewhere_seen == [], "the app's redirect was followed"
        log = sesame.log_text()
        assert re.search(r"status=302 .*single log-out sent", log), log[-2000:]
        assert "single log-out failed" not in log and "single log-out refused" not in log
    finally:
        app.shutdown()
        elsewhere.shutdown()


def proxy_validation(sesame, username, callback_port):
    """Registers a service whose proxy callbacks are http on loopback, validates a fresh ticket
    with such a callback, and returns the authenticationFailure element (None on success)."""
    name = f"plainproxy{callback_port}"
    service = f"http://127.0.0.1:9/{name}/"
    if sesame.cli("cas-service", "show", name).returncode != 0:
        cli_ok(sesame, "cas-service", "add", name, "--pattern", service, "--proxy-callback-pattern", f"http://127.0.0.1:{callback_port}/pgt/")
        sesame.add_user(username, username + "-pass")
    session, _ = sign_in(sesame.base, username, username + "-pass")
    ticket = cas_ticket(sesame, session, service)
    root = ET.fromstring(requests.get(sesame.base + "/cas/serviceValidate", params={
        "ticket": ticket, "service": service, "pgtUrl": f"http://127.0.0.1:{callback_port}/pgt/cb"}).text)
    return root.find("cas:authenticationFailure", NS)


def test_an_http_proxy_callback_is_refused_for_that_reason_without_the_test_flag(sesame):
    callback_server, seen = loopback_server(reply(200))
    try:
        assert "--insecure-proxy-callback-for-tests" not in sesame.serve_args
        failure = proxy_validation(sesame, "pia", callback_server.server_port)
        assert failure is not None and failure.get("code") == "INVALID_PROXY_CALLBACK"
        assert failure.text.strip() == "the proxy callback must use https", failure.text
        assert seen == [], "nothing was sent to the callback"
    finally:
        callback_server.shutdown()


def test_only_a_loud_flag_allows_http_proxy_callbacks_and_the_environment_variable_is_gone(fresh_sesame):
    callback_server, seen = loopback_server(reply(200))
    try:
        os.environ["SESAME_ALLOW_INSECURE_PROXY_CALLBACK"] = "1"  # what the suite used to set for every server
        try:
            fresh_sesame.start()
        finally:
            del os.environ["SESAME_ALLOW_INSECURE_PROXY_CALLBACK"]
        failure = proxy_validation(fresh_sesame, "paz", callback_server.server_port)
        assert failure is not None and failure.text.strip() == "the proxy callback must use https"
        assert fresh_sesame.stop() == 0

        fresh_sesame.serve_args.append("--insecure-proxy-callback-for-tests")
        fresh_sesame.start()
        assert "--insecure-proxy-callback-for-tests is on" in fresh_sesame.log_text()
        assert proxy_validation(fresh_sesame, "paz", callback_server.server_port) is None
        assert [path.split("?")[0] for _, path, _ in seen] == ["/pgt/cb"]
    finally:
        callback_server.shutdown()


def oidc_client(sesame, name, *extra):
    result = sesame.cli("client", "add", name, "--json", "--first-party", "--redirect-uri", REDIRECT, *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def id_token_for(sesame, client, person):
    discovery = requests.get(sesame.base + "/.well-known/openid-configuration").json()
    oauth = OAuth2Session(client["client_id"], client["client_secret"], scope="openid", redirect_uri=REDIRECT, code_challenge_method="S256")
    verifier = generate_token(48)
    url, _ = oauth.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier)
    landed = person.authorize(url)
    return oauth.fetch_token(discovery["token_endpoint"], authorization_response=landed, code_verifier=verifier)


def test_end_session_with_someone_elses_id_token_asks_first(sesame):
    client = oidc_client(sesame, "hinted")
    sesame.add_user("mallory", "mallory-pass")
    sesame.add_user("victor", "victor-pass")
    mallory = Person(sesame.base, "mallory", "mallory-pass")
    mallorys_token = id_token_for(sesame, client, mallory)["id_token"]
    victor = Person(sesame.base, "victor", "victor-pass")
    victors_token = id_token_for(sesame, client, victor)["id_token"]

    asked = victor.http.get(sesame.base + "/end-session", params={"id_token_hint": mallorys_token}, allow_redirects=False)
    assert asked.status_code == 200 and 'name="decision"' in asked.text, "a confirmation page"
    assert victor.http.get(sesame.base + "/account", allow_redirects=False).status_code == 200, "victor is still signed in"

    # An older token of victor's own, from another session, does not name this one either.
    old_session = victor.http.cookies.copy()
    victor.http.cookies.clear()
    newer = id_token_for(sesame, client, victor)["id_token"]
    victor.http.cookies.clear()
    victor.http.cookies.update(old_session)
    assert victor.http.get(sesame.base + "/end-session", params={"id_token_hint": newer}, allow_redirects=False).status_code == 200
    assert victor.http.get(sesame.base + "/account", allow_redirects=False).status_code == 200

    done = victor.http.get(sesame.base + "/end-session", params={"id_token_hint": victors_token}, allow_redirects=False)
    assert done.status_code == 200 and 'name="decision"' not in done.text
    assert victor.http.get(sesame.base + "/account", allow_redirects=False).status_code == 303, "his own token signs him out at once"


def test_sign_out_ends_the_sessions_refresh_tokens(sesame):
    client = oidc_client(sesame, "refresher")
    sesame.add_user("rhea", "rhea-pass")
    rhea = Person(sesame.base, "rhea", "rhea-pass")
    tokens = id_token_for(sesame, client, rhea)
    assert tokens.get("refresh_token")
    page = rhea.http.get(sesame.base + "/end-session")
    form = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1), "decision": "logout"}
    assert rhea.http.post(sesame.base + "/end-session", data=form, allow_redirects=False).status_code == 200
    refreshed = requests.post(sesame.base + "/token", auth=(client["client_id"], client["client_secret"]),
                              data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant", refreshed.text


def test_front_channel_logout_tells_only_the_apps_the_session_used(sesame):
    used = oidc_client(sesame, "used-app", "--frontchannel-logout-uri", "http://127.0.0.1:9/used/fc-logout")
    oidc_client(sesame, "unused-app", "--frontchannel-logout-uri", "http://127.0.0.1:9/unused/fc-logout")
    sesame.add_user("fran", "fran-pass")
    fran = Person(sesame.base, "fran", "fran-pass")
    token = id_token_for(sesame, used, fran)["id_token"]
    page = fran.http.get(sesame.base + "/end-session", params={"id_token_hint": token}, allow_redirects=False)
    assert page.status_code == 200
    text = page.text.replace("&#x2F;", "/").replace("&#47;", "/")
    assert "127.0.0.1:9/used/fc-logout" in text
    assert "unused" not in text, "an app this session never signed in to is not told (nor shown the sid)"


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_data_directory_and_its_files_are_for_the_owner_only(fresh_sesame):
    data = fresh_sesame.data_dir
    fresh_sesame.add_user("owner", "owner-pass")
    fresh_sesame.start()
    fresh_sesame.add_user("second", "second-pass")  # writes through the running server's WAL
    files = [p for p in (data / "sesame.db", data / "sesame.db-wal", data / "sesame.db-shm", data / "data.key") if p.exists()]
    assert data / "sesame.db" in files and data / "sesame.db-wal" in files
    for path in files:
        assert mode(path) & 0o077 == 0, f"{path.name} is {oct(mode(path))}"
    assert mode(data) == 0o700
    fresh_sesame.stop()

    os.chmod(data, 0o755)
    refused = fresh_sesame.cli("user", "list")
    assert refused.returncode != 0 and "open to others" in refused.stderr and f"chmod 700 {data}" in refused.stderr
    os.chmod(data, 0o700)

    os.chmod(data / "sesame.db", 0o644)  # as an older Sesame left it
    assert fresh_sesame.cli("user", "list").returncode == 0
    assert mode(data / "sesame.db") == 0o600, "repaired"

    os.chmod(data / "data.key", 0o644)
    refused = fresh_sesame.cli("user", "list")
    assert refused.returncode != 0 and "readable by others" in refused.stderr and "chmod 600" in refused.stderr
    os.chmod(data / "data.key", 0o600)
    assert fresh_sesame.cli("user", "list").returncode == 0


def test_the_proxy_policy_is_set_from_the_cli_and_the_admin_api(sesame):
    cli_ok(sesame, "cas-service", "add", "front", "--pattern", "https://front.example.test/")
    cli_ok(sesame, "cas-service", "add", "back", "--pattern", "https://back.example.test/", "--allow-proxy-from", "FRONT")
    assert "allow_proxy_from: front" in cli_ok(sesame, "cas-service", "show", "back").stdout
    cli_ok(sesame, "cas-service", "update", "back", "--allow-proxy-from", "")
    assert "allow_proxy_from: \n" in cli_ok(sesame, "cas-service", "show", "back").stdout
    assert sesame.cli("cas-service", "update", "back", "--allow-proxy-from", "not a name").returncode != 0

    bot = json.loads(cli_ok(sesame, "client", "add", "cas-admin-bot", "--json", "--grant", "client_credentials", "--scope", "sesame:admin").stdout)
    token = requests.post(sesame.base + "/token", auth=(bot["client_id"], bot["client_secret"]),
                          data={"grant_type": "client_credentials", "scope": "sesame:admin"}).json()["access_token"]
    api = requests.Session()
    api.headers["Authorization"] = "Bearer " + token
    url = sesame.base + "/admin/api/v1/cas-services"
    created = api.post(url, json={"name": "api-back", "pattern": "https://api-back.example.test/", "allowed_proxies": ["front"]})
    assert created.status_code == 201 and created.json()["allowed_proxies"] == ["front"], created.text
    assert api.get(url + "/back").json()["allowed_proxies"] == []
    patched = api.patch(url + "/api-back", json={"allowed_proxies": []})
    assert patched.status_code == 200 and patched.json()["allowed_proxies"] == []
    assert api.patch(url + "/api-back", json={"allowed_proxies": ["bad name"]}).status_code in (400, 422)
    bad = api.post(url, json={"name": "sneaky", "pattern": "https://user@api-back.example.test/"})
    assert bad.status_code in (400, 422), "a pattern with user info is refused"


def test_a_password_change_ends_every_refresh_token_offline_access_too(sesame):
    client = oidc_client(sesame, "password-changer")
    sesame.add_user("dora", "dora-pass")
    discovery = requests.get(sesame.base + "/.well-known/openid-configuration").json()
    oauth = OAuth2Session(client["client_id"], client["client_secret"], scope="openid offline_access", redirect_uri=REDIRECT,
                          code_challenge_method="S256")
    verifier = generate_token(48)
    url, _ = oauth.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier)
    landed = Person(sesame.base, "dora", "dora-pass").authorize(url)
    tokens = oauth.fetch_token(discovery["token_endpoint"], authorization_response=landed, code_verifier=verifier)
    result = sesame.cli("user", "set-password", "dora", "--password-stdin", input="a-new-long-password\n")
    assert result.returncode == 0, result.stderr
    refreshed = requests.post(sesame.base + "/token", auth=(client["client_id"], client["client_secret"]),
                              data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant", refreshed.text
