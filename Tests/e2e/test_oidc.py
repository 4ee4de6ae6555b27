"""The OpenID Connect / OAuth provider against implementations nobody here wrote: authlib as
the client, joserfc checking every token against /jwks."""

import base64
import hashlib
import json
import time
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet

from oidc_helpers import Person

REDIRECT = "http://127.0.0.1:9/callback"  # never contacted: the flow stops at the redirect


def add_client(sesame, name, *args):
    result = sesame.cli("client", "add", name, "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def provider(sesame):
    sesame.add_user("olivia", "olivia-pass", "--email", "olivia@example.com", "--name", "Olivia Oidc")
    discovery = requests.get(sesame.base + "/.well-known/openid-configuration").json()
    web = add_client(sesame, "web", "--redirect-uri", REDIRECT, "--post-logout-redirect-uri", "http://127.0.0.1:9/bye")
    return sesame, discovery, web


def keyset(discovery):
    return KeySet.import_key_set(requests.get(discovery["jwks_uri"]).json())


def code_flow(provider, client, scope="openid profile email offline_access", consent="allow", **extra):
    sesame, discovery, _ = provider
    oauth = OAuth2Session(
        client["client_id"], client.get("client_secret"), scope=scope, redirect_uri=REDIRECT,
        code_challenge_method="S256", token_endpoint_auth_method=client["token_endpoint_auth_method"],
    )
    verifier = generate_token(48)
    nonce = generate_token(16)
    url, state = oauth.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier, nonce=nonce, **extra)
    landed = Person(sesame.base, "olivia", "olivia-pass").authorize(url, consent=consent)
    return oauth, landed, verifier, nonce, state


def test_discovery_is_complete_and_truthful(provider):
    sesame, discovery, _ = provider
    assert discovery["issuer"] == sesame.base
    assert discovery["response_types_supported"] == ["code"]
    assert discovery["code_challenge_methods_supported"] == ["S256"]
    assert "token" not in discovery["response_types_supported"] and "implicit" not in discovery["grant_types_supported"]
    for key in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "end_session_endpoint",
                "introspection_endpoint", "revocation_endpoint"):
        assert discovery[key].startswith(sesame.base)
    assert requests.get(sesame.base + "/.well-known/oauth-authorization-server").json() == discovery
    algs = {key["alg"] for key in requests.get(discovery["jwks_uri"]).json()["keys"]}
    assert algs == {"ES256", "RS256"}


def test_code_flow_with_pkce_consent_and_token_checks(provider):
    sesame, discovery, web = provider
    oauth, landed, verifier, nonce, state = code_flow(provider, web)
    query = parse_qs(urlparse(landed).query)
    assert query["state"] == [state] and query["iss"] == [sesame.base]
    token = oauth.fetch_token(discovery["token_endpoint"], authorization_response=landed, code_verifier=verifier)
    assert token["token_type"] == "Bearer" and token["refresh_token"]

    keys = keyset(discovery)
    id_token = jwt.decode(token["id_token"], keys)
    claims = id_token.claims
    assert id_token.header["alg"] == "ES256"
    assert claims["iss"] == sesame.base and claims["aud"] == web["client_id"] and claims["azp"] == web["client_id"]
    assert claims["nonce"] == nonce and claims["amr"] == ["pwd"] and claims["sid"]
    assert claims["exp"] > time.time() and abs(claims["auth_time"] - time.time()) < 120
    digest = hashlib.sha256(token["access_token"].encode()).digest()
    assert claims["at_hash"] == base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()
    assert claims["email"] == "olivia@example.com" and claims["name"] == "Olivia Oidc"

    access = jwt.decode(token["access_token"], keys)
    assert access.header["typ"] == "at+jwt"
    assert access.claims["client_id"] == web["client_id"] and access.claims["jti"] and access.claims["sub"] == claims["sub"]

    info = requests.get(discovery["userinfo_endpoint"], headers={"Authorization": "Bearer " + token["access_token"]})
    assert info.status_code == 200 and info.json()["sub"] == claims["sub"] and info.json()["email"] == "olivia@example.com"
    posted = requests.post(discovery["userinfo_endpoint"], data={"access_token": token["access_token"]})
    assert posted.status_code == 200


def test_consent_is_remembered_and_denial_is_reported(provider):
    _, _, web = provider
    _, landed, *_ = code_flow(provider, web, scope="openid email")
    assert "code=" in landed  # consented before: no page this time
    _, denied, *_ = code_flow(provider, web, scope="openid email", consent="deny", prompt="consent")
    query = parse_qs(urlparse(denied).query)
    assert query["error"] == ["access_denied"]


def test_refresh_rotation_and_reuse_detection(provider):
    _, discovery, web = provider
    oauth, landed, verifier, *_ = code_flow(provider, web)
    first = oauth.fetch_token(discovery["token_endpoint"], authorization_response=landed, code_verifier=verifier)
    second = oauth.refresh_token(discovery["token_endpoint"], refresh_token=first["refresh_token"])
    assert second["refresh_token"] != first["refresh_token"]
    reuse = requests.post(discovery["token_endpoint"], data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
                          auth=(web["client_id"], web["client_secret"]))
    assert reuse.status_code == 400 and reuse.json()["error"] == "invalid_grant"
    # The reuse revoked the whole family: the newest refresh token and its access token are dead too.
    after = requests.post(discovery["token_endpoint"], data={"grant_type": "refresh_token", "refresh_token": second["refresh_token"]},
                          auth=(web["client_id"], web["client_secret"]))
    assert after.json()["error"] == "invalid_grant"
    info = requests.get(discovery["userinfo_endpoint"], headers={"Authorization": "Bearer " + second["access_token"]})
    assert info.status_code == 401 and 'error="invalid_token"' in info.headers["WWW-Authenticate"]


def test_code_is_single_use_and_replay_revokes_its_tokens(provider):
    _, discovery, web = provider
    oauth, landed, verifier, *_ = code_flow(provider, web)
    token = oauth.fetch_token(discovery["token_endpoint"], authorization_response=landed, code_verifier=verifier)
    code = parse_qs(urlparse(landed).query)["code"][0]
    again = requests.post(discovery["token_endpoint"], auth=(web["client_id"], web["client_secret"]), data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier})
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    introspected = requests.post(discovery["introspection_endpoint"], auth=(web["client_id"], web["client_secret"]),
                                 data={"token": token["access_token"]}).json()
    assert introspected == {"active": False}


def test_introspection_and_revocation(provider):
    _, discovery, web = provider
    oauth, landed, verifier, *_ = code_flow(provider, web)
    token = oauth.fetch_token(discovery["token_endpoint"], authorization_response=landed, code_verifier=verifier)
    auth = (web["client_id"], web["client_secret"])
    active = requests.post(discovery["introspection_endpoint"], auth=auth, data={"token": token["access_token"]}).json()
    assert active["active"] is True and active["client_id"] == web["client_id"] and active["username"] == "olivia"
    refresh = requests.post(discovery["introspection_endpoint"], auth=auth, data={"token": token["refresh_token"]}).json()
    assert refresh["active"] is True and refresh["token_type"] == "refresh_token"
    assert requests.post(discovery["revocation_endpoint"], auth=auth, data={"token": token["refresh_token"]}).status_code == 200
    for kind in ("refresh_token", "access_token"):
        assert requests.post(discovery["introspection_endpoint"], auth=auth, data={"token": token[kind]}).json() == {"active": False}
    unauthenticated = requests.post(discovery["introspection_endpoint"], data={"token": token["access_token"]})
    assert unauthenticated.status_code == 401 and unauthenticated.json()["error"] == "invalid_client"


def test_client_credentials(provider):
    sesame, discovery, _ = provider
    bot = add_client(sesame, "bot", "--grant", "client_credentials", "--scope", "sesame:admin")
    oauth = OAuth2Session(bot["client_id"], bot["client_secret"], scope="sesame:admin")
    token = oauth.fetch_token(discovery["token_endpoint"], grant_type="client_credentials")
    claims = jwt.decode(token["access_token"], keyset(discovery)).claims
    assert claims["sub"] == bot["client_id"] and claims["scope"] == "sesame:admin"
    assert "refresh_token" not in token
    post = requests.post(discovery["token_endpoint"], data={"grant_type": "client_credentials", "client_id": bot["client_id"],
                                                            "client_secret": bot["client_secret"]})
    assert post.status_code == 401 and post.json()["error"] == "invalid_client"  # registered for basic, not post
    bad_scope = requests.post(discovery["token_endpoint"], auth=(bot["client_id"], bot["client_secret"]),
                              data={"grant_type": "client_credentials", "scope": "openid"})
    assert bad_scope.json()["error"] == "invalid_scope"


def test_rs256_id_tokens_for_clients_that_ask(provider):
    sesame, discovery, _ = provider
    legacy = add_client(sesame, "legacy", "--redirect-uri", REDIRECT, "--id-token-alg", "RS256", "--first-party")
    oauth, landed, verifier, *_ = code_flow(provider, legacy, scope="openid")
    token = oauth.fetch_token(discovery["token_endpoint"], authorization_response=landed, code_verifier=verifier)
    assert jwt.decode(token["id_token"], keyset(discovery)).header["alg"] == "RS256"


def test_public_client_needs_pkce_and_gets_refresh_only_offline(provider):
    sesame, discovery, _ = provider
    app = add_client(sesame, "native", "--public", "--redirect-uri", "http://127.0.0.1/callback", "--first-party")
    assert "client_secret" not in app or app["client_secret"] is None
    no_pkce = requests.get(discovery["authorization_endpoint"], allow_redirects=False, params={
        "client_id": app["client_id"], "response_type": "code", "redirect_uri": "http://127.0.0.1:5555/callback", "scope": "openid"})
    assert no_pkce.status_code == 303 and "error=invalid_request" in no_pkce.headers["Location"]
    assert no_pkce.headers["Location"].startswith("http://127.0.0.1:5555/callback")  # loopback: any port (RFC 8252)
    verifier = generate_token(48)
    oauth = OAuth2Session(app["client_id"], scope="openid", redirect_uri="http://127.0.0.1:5555/callback",
                          code_challenge_method="S256", token_endpoint_auth_method="none")
    url, _ = oauth.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier)
    landed = Person(sesame.base, "olivia", "olivia-pass").authorize(url)
    token = oauth.fetch_token(discovery["token_endpoint"], authorization_response=landed, code_verifier=verifier)
    assert "refresh_token" not in token  # no offline_access asked


def test_authorization_errors(provider):
    sesame, discovery, web = provider
    endpoint = discovery["authorization_endpoint"]
    base = {"client_id": web["client_id"], "response_type": "code", "redirect_uri": REDIRECT, "scope": "openid", "state": "s1"}

    def ask(**changes):
        params = {**base, **changes}
        return requests.get(endpoint, params={k: v for k, v in params.items() if v is not None}, allow_redirects=False)

    for bad in (ask(client_id="nope"), ask(redirect_uri="http://127.0.0.1:9/other"), ask(redirect_uri="https://evil.example/cb")):
        assert bad.status_code == 400 and "Location" not in bad.headers and "text/html" in bad.headers["Content-Type"]
    cases = {
        "unsupported_response_type": ask(response_type="token"),
        "invalid_scope": ask(scope="openid sesame:admin"),  # unknown scopes are ignored; this one is refused
        "request_not_supported": ask(request="eyJ..."),
        "request_uri_not_supported": ask(request_uri="https://x"),
        "login_required": ask(prompt="none"),
    }
    plain = ask(code_challenge="a" * 43, code_challenge_method="plain")
    cases["invalid_request"] = plain
    for error, response in cases.items():
        assert response.status_code == 303, error
        query = parse_qs(urlparse(response.headers["Location"]).query)
        assert query["error"] == [error] and query["state"] == ["s1"], (error, query)


def test_token_errors(provider):
    _, discovery, web = provider
    token_url = discovery["token_endpoint"]
    auth = (web["client_id"], web["client_secret"])
    wrong_secret = requests.post(token_url, auth=(web["client_id"], "wrong"), data={"grant_type": "authorization_code", "code": "x"})
    assert wrong_secret.status_code == 401 and wrong_secret.json()["error"] == "invalid_client"
    assert wrong_secret.headers["WWW-Authenticate"].startswith("Basic")
    assert requests.post(token_url, auth=auth, data={"grant_type": "password"}).json()["error"] == "unsupported_grant_type"
    assert requests.post(token_url, auth=auth, data={"grant_type": "client_credentials"}).json()["error"] == "unauthorized_client"
    assert requests.post(token_url, auth=auth, data={"grant_type": "authorization_code", "code": "made-up"}).json()["error"] == "invalid_grant"
    missing = requests.post(token_url, auth=auth, data={})
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    assert missing.headers["Cache-Control"] == "no-store"

    oauth, landed, verifier, *_ = code_flow(provider, web)
    code = parse_qs(urlparse(landed).query)["code"][0]
    wrong_verifier = requests.post(token_url, auth=auth, data={"grant_type": "authorization_code", "code": code,
                                                               "redirect_uri": REDIRECT, "code_verifier": generate_token(48)})
    assert wrong_verifier.json()["error"] == "invalid_grant"

    oauth, landed, verifier, *_ = code_flow(provider, web)
    code = parse_qs(urlparse(landed).query)["code"][0]
    no_verifier = requests.post(token_url, auth=auth, data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT})
    assert no_verifier.json()["error"] == "invalid_grant"


def test_tampered_and_unsigned_tokens_are_refused(provider):
    _, discovery, web = provider
    oauth, landed, verifier, *_ = code_flow(provider, web)
    token = oauth.fetch_token(discovery["token_endpoint"], authorization_response=landed, code_verifier=verifier)["access_token"]
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["scope"] = "openid profile email roles groups"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    none_header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"at+jwt"}').rstrip(b"=").decode()
    for forged in (f"{header}.{forged_payload}.{signature}", f"{none_header}.{payload}."):
        response = requests.get(discovery["userinfo_endpoint"], headers={"Authorization": "Bearer " + forged})
        assert response.status_code == 401


def test_rp_initiated_logout(provider):
    sesame, discovery, web = provider
    oauth = OAuth2Session(web["client_id"], web["client_secret"], scope="openid", redirect_uri=REDIRECT, code_challenge_method="S256")
    verifier = generate_token(48)
    url, _ = oauth.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier)
    person = Person(sesame.base, "olivia", "olivia-pass")
    landed = person.authorize(url)
    id_token = oauth.fetch_token(discovery["token_endpoint"], authorization_response=landed, code_verifier=verifier)["id_token"]
    assert person.http.get(sesame.base + "/account", allow_redirects=False).status_code == 200
    out = person.http.get(discovery["end_session_endpoint"], allow_redirects=False, params={
        "id_token_hint": id_token, "post_logout_redirect_uri": "http://127.0.0.1:9/bye", "state": "st"})
    assert out.status_code == 303 and out.headers["Location"] == "http://127.0.0.1:9/bye?state=st"
    assert person.http.get(sesame.base + "/account", allow_redirects=False).status_code == 303
    unregistered = requests.get(discovery["end_session_endpoint"], params={
        "id_token_hint": id_token, "post_logout_redirect_uri": "https://evil.example/"}, allow_redirects=False)
    assert unregistered.status_code == 400 and "Location" not in unregistered.headers


def test_form_post_response_mode(provider):
    _, _, web = provider
    _, page, *_ = code_flow(provider, web, response_mode="form_post")
    assert page.status_code == 200 and 'id="form-post"' in page.text and f'action="{REDIRECT}"' in page.text.replace("&#x2F;", "/")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert 'name="code"' in page.text and "<script>" not in page.text


def test_private_key_jwt_with_joserfc_assertions(provider):
    from joserfc.jwk import ECKey
    sesame, discovery, _ = provider
    key = ECKey.generate_key("P-256", parameters={"kid": "app-key-1"})
    public = json.dumps({"keys": [key.as_dict(private=False)]})
    signed = add_client(sesame, "signed", "--grant", "client_credentials", "--scope", "sesame:admin",
                        "--token-auth", "private_key_jwt", "--jwks", public)
    assert signed.get("client_secret") is None

    def assertion(jti, audience=discovery["token_endpoint"]):
        now = int(time.time())
        claims = {"iss": signed["client_id"], "sub": signed["client_id"], "aud": audience, "jti": jti, "iat": now, "exp": now + 60}
        return jwt.encode({"alg": "ES256", "kid": "app-key-1"}, claims, key)

    def ask(client_assertion):
        return requests.post(discovery["token_endpoint"], data={
            "grant_type": "client_credentials", "client_assertion": client_assertion,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"})

    first = assertion(generate_token(16))
    assert ask(first).status_code == 200
    replay = ask(first)
    assert replay.status_code == 401 and replay.json()["error"] == "invalid_client"
    assert ask(assertion(generate_token(16), audience="https://elsewhere.example")).status_code == 401
    stranger = ECKey.generate_key("P-256", parameters={"kid": "app-key-1"})
    now = int(time.time())
    forged = jwt.encode({"alg": "ES256", "kid": "app-key-1"}, {"iss": signed["client_id"], "sub": signed["client_id"],
                        "aud": discovery["token_endpoint"], "jti": "x", "exp": now + 60}, stranger)
    assert ask(forged).status_code == 401


def test_private_key_jwt_with_keys_from_a_jwks_uri(provider):
    import http.server
    import threading
    from joserfc.jwk import RSAKey
    sesame, discovery, _ = provider
    key = RSAKey.generate_key(2048, parameters={"kid": "rsa-1"})
    body = json.dumps({"keys": [key.as_dict(private=False)]}).encode()

    class JWKS(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), JWKS)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        remote = add_client(sesame, "remote-keys", "--grant", "client_credentials", "--scope", "sesame:admin",
                            "--token-auth", "private_key_jwt", "--jwks-uri", f"http://127.0.0.1:{server.server_port}/jwks.json")
        now = int(time.time())
        claims = {"iss": remote["client_id"], "sub": remote["client_id"], "aud": discovery["token_endpoint"],
                  "jti": generate_token(16), "exp": now + 60}
        response = requests.post(discovery["token_endpoint"], data={
            "grant_type": "client_credentials", "client_id": remote["client_id"],
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": jwt.encode({"alg": "RS256", "kid": "rsa-1"}, claims, key)})
        assert response.status_code == 200, response.text
    finally:
        server.shutdown()


def test_keys_rotate_and_old_keys_stay_published(provider):
    sesame, discovery, web = provider
    before = {key["kid"] for key in requests.get(discovery["jwks_uri"]).json()["keys"]}
    oauth, landed, verifier, *_ = code_flow(provider, web)
    token = oauth.fetch_token(discovery["token_endpoint"], authorization_response=landed, code_verifier=verifier)
    rotated = sesame.cli("keys", "rotate")
    assert rotated.returncode == 0 and rotated.stdout.count("new current") == 2
    listed = sesame.cli("keys", "list").stdout
    assert listed.count("current") >= 2 and listed.count("superseded") == 2
    deadline = time.time() + 20  # running servers reload keys every 10 s
    while time.time() < deadline:
        after = {key["kid"] for key in requests.get(discovery["jwks_uri"]).json()["keys"]}
        if len(after) == 4:
            break
        time.sleep(0.5)
    assert before < after and len(after) == 4
    # A token signed by the superseded key still verifies against the published set...
    assert jwt.decode(token["id_token"], keyset(discovery)).claims["sub"]
    # ...and new tokens are signed with the new key.
    oauth, landed, verifier, *_ = code_flow(provider, web)
    fresh = oauth.fetch_token(discovery["token_endpoint"], authorization_response=landed, code_verifier=verifier)
    assert jwt.decode(fresh["id_token"], keyset(discovery)).header["kid"] not in before


def test_tokens_and_failed_client_authentication_are_audited(provider):
    import sqlite3
    sesame, discovery, web = provider
    requests.post(discovery["token_endpoint"], auth=(web["client_id"], "wrong-secret"), data={"grant_type": "refresh_token"})
    time.sleep(0.2)  # audit events are written in batches every few milliseconds
    db = sqlite3.connect(f"file:{sesame.data_dir / 'sesame.db'}?mode=ro", uri=True)
    rows = db.execute("SELECT type, client_id, client_address, detail FROM audit_events").fetchall()
    db.close()
    issued = [row for row in rows if row[0] == "token.issued"]
    failed = [row for row in rows if row[0] == "client.authentication_failed" and row[1] == web["client_id"]]
    assert issued and all(row[2] == "127.0.0.1" for row in issued)
    assert any("grant=authorization_code" in row[3] for row in issued)
    assert any("grant=client_credentials" in row[3] for row in issued)
    assert failed
    assert not any("wrong-secret" in str(row) for row in rows)


def test_codes_and_refresh_tokens_are_bound_to_their_client_and_redirect(provider):
    sesame, discovery, web = provider
    other = add_client(sesame, "other", "--redirect-uri", REDIRECT, "--first-party")
    oauth, landed, verifier, *_ = code_flow(provider, web)
    code = parse_qs(urlparse(landed).query)["code"][0]
    stolen = requests.post(discovery["token_endpoint"], auth=(other["client_id"], other["client_secret"]), data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier})
    assert stolen.json()["error"] == "invalid_grant"

    oauth, landed, verifier, *_ = code_flow(provider, web)
    code = parse_qs(urlparse(landed).query)["code"][0]
    wrong_redirect = requests.post(discovery["token_endpoint"], auth=(web["client_id"], web["client_secret"]), data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": "http://127.0.0.1:9/elsewhere", "code_verifier": verifier})
    assert wrong_redirect.json()["error"] == "invalid_grant"

    oauth, landed, verifier, *_ = code_flow(provider, web)
    token = oauth.fetch_token(discovery["token_endpoint"], authorization_response=landed, code_verifier=verifier)
    foreign = requests.post(discovery["token_endpoint"], auth=(other["client_id"], other["client_secret"]),
                            data={"grant_type": "refresh_token", "refresh_token": token["refresh_token"]})
    assert foreign.json()["error"] == "invalid_grant"
    # The owner's refresh token was not burnt by the other client's attempt.
    assert oauth.refresh_token(discovery["token_endpoint"], refresh_token=token["refresh_token"])["access_token"]


def test_prompt_login_and_max_age_force_a_fresh_sign_in_without_looping(provider):
    sesame, discovery, web = provider
    person = Person(sesame.base, "olivia", "olivia-pass")
    oauth = OAuth2Session(web["client_id"], web["client_secret"], scope="openid", redirect_uri=REDIRECT, code_challenge_method="S256")

    def flow(**extra):
        verifier = generate_token(48)
        url, _ = oauth.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier, **extra)
        landed = person.authorize(url)
        token = oauth.fetch_token(discovery["token_endpoint"], authorization_response=landed, code_verifier=verifier)
        return jwt.decode(token["id_token"], keyset(discovery)).claims["auth_time"]

    first = flow()
    time.sleep(1.1)
    assert flow() == first  # the session answers: no new sign-in
    forced = flow(prompt="login")
    assert forced > first  # a new sign-in happened, and the flow still ended with a code
    time.sleep(2.1)
    assert flow(max_age="1") > forced
    assert flow(max_age="600") > forced


def test_client_cli_refuses_bad_registrations(provider):
    sesame, _, _ = provider
    for args in (["--redirect-uri", "https://app.example/cb#fragment"], ["--redirect-uri", "http://app.example/cb"],
                 ["--redirect-uri", "https://app.example/cb", "--grant", "password"], []):
        result = sesame.cli("client", "add", "bad-" + str(len(args)), *args)
        assert result.returncode != 0 and result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
    assert sesame.cli("client", "add", "web", "--redirect-uri", "https://x.example/cb").returncode != 0  # name taken
    shown = json.loads(sesame.cli("client", "show", "web", "--json").stdout)
    assert shown.get("client_secret") is None
    new_secret = sesame.cli("client", "rotate-secret", "web").stdout.split()[-1]
    updated = sesame.cli("client", "update", "web", "--redirect-uri", REDIRECT, "--redirect-uri", "https://app.example/two")
    assert updated.returncode == 0
    assert json.loads(sesame.cli("client", "show", "web", "--json").stdout)["redirect_uris"] == [REDIRECT, "https://app.example/two"]
    time.sleep(2.1)  # a running server reads a changed client again within 2 s
    ok = requests.post(sesame.base + "/token", auth=(shown["client_id"], new_secret), data={"grant_type": "refresh_token", "refresh_token": "x"})
    assert ok.json()["error"] == "invalid_grant"  # authenticated with the rotated secret
    assert sesame.cli("client", "delete", "bad-0").returncode != 0
