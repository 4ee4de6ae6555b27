"""The admin API under /admin/api/v1 against a live server: its OpenAPI document (checked with
openapi-spec-validator), who may call it, every kind of resource end to end, RFC 9457 problems
for bad requests, and schemathesis fuzzing every operation in the document."""

import json
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest
import requests
from openapi_spec_validator import validate

from conftest import csrf_token, sign_in

API = "/admin/api/v1"
REDIRECT = "https://app.example/callback"

# The contract's operations, relative to the server URL /admin/api/v1.
OPERATIONS = {
    ("GET", "/users"), ("POST", "/users"), ("GET", "/users/{username}"), ("PATCH", "/users/{username}"),
    ("DELETE", "/users/{username}"), ("PUT", "/users/{username}/password"), ("POST", "/users/{username}/reset-two-factor"),
    ("GET", "/users/{username}/sessions"), ("DELETE", "/users/{username}/sessions"),
    ("DELETE", "/users/{username}/sessions/{session_id}"), ("PUT", "/users/{username}/roles/{role}"),
    ("DELETE", "/users/{username}/roles/{role}"),
    ("POST", "/users/import"), ("PUT", "/users/{username}/require-two-factor"), ("DELETE", "/users/{username}/require-two-factor"),
    ("PUT", "/roles/{role}/require-two-factor"), ("DELETE", "/roles/{role}/require-two-factor"),
    ("GET", "/roles"), ("POST", "/roles"), ("GET", "/roles/{role}"), ("DELETE", "/roles/{role}"),
    ("PUT", "/roles/{role}/permissions/{permission}"), ("DELETE", "/roles/{role}/permissions/{permission}"),
    ("GET", "/groups"), ("POST", "/groups"), ("GET", "/groups/{group}"), ("DELETE", "/groups/{group}"),
    ("PUT", "/groups/{group}/members/{username}"), ("DELETE", "/groups/{group}/members/{username}"),
    ("PUT", "/groups/{group}/roles/{role}"), ("DELETE", "/groups/{group}/roles/{role}"),
    ("GET", "/clients"), ("POST", "/clients"), ("GET", "/clients/{name}"), ("PATCH", "/clients/{name}"), ("DELETE", "/clients/{name}"),
    ("GET", "/cas-services"), ("POST", "/cas-services"), ("GET", "/cas-services/{name}"), ("DELETE", "/cas-services/{name}"),
    ("PATCH", "/cas-services/{name}"), ("POST", "/clients/{name}/rotate-secret"),
    ("GET", "/keys"), ("POST", "/keys/rotate"), ("GET", "/audit-events"), ("GET", "/openapi.json"),
    ("GET", "/directories"), ("POST", "/directories"), ("GET", "/directories/{name}"), ("PATCH", "/directories/{name}"),
    ("DELETE", "/directories/{name}"), ("POST", "/directories/{name}/sync"), ("POST", "/directories/{name}/test"),
}

USER_FIELDS = {"id", "username", "email", "name", "disabled", "groups", "roles", "effective_roles", "two_factor", "password_scheme",
               "created_at", "updated_at"}
SESSION_FIELDS = {"id", "created_at", "last_seen_at", "authenticated_at", "auth_methods"}
ROLE_FIELDS = {"name", "app", "description", "permissions", "created_at"}
GROUP_FIELDS = {"name", "description", "roles", "members", "created_at"}
CLIENT_FIELDS = {"client_id", "name", "redirect_uris", "post_logout_redirect_uris", "grant_types", "scopes", "token_endpoint_auth_method",
                 "jwks_uri", "first_party", "id_token_signed_response_alg", "require_two_factor", "required_roles", "required_groups",
                 "claims", "frontchannel_logout_uri", "backchannel_logout_uri", "resource_server", "created_at", "display_name"}
CAS_SERVICE_FIELDS = {"id", "name", "pattern", "attributes", "require_two_factor", "required_roles", "required_groups", "allowed_proxies",
                      "created_at", "proxy_callback_pattern", "logout_url"}
KEY_FIELDS = {"kid", "algorithm", "created_at", "superseded_at", "current"}
AUDIT_FIELDS = {"id", "type", "at", "actor", "subject", "client_id", "client_address", "detail", "hash", "prev_hash"}


def ok(result):
    assert result.returncode == 0, result.stderr
    return result.stdout


class Api:
    """The admin API with one set of credentials: `api.get("/users")`, `api.post("/users", json=...)`."""

    def __init__(self, base, token=None, http=None):
        self.url = base + API
        self.http = http or requests.Session()
        if token:
            self.http.headers["Authorization"] = "Bearer " + token

    def request(self, method, path, **kwargs):
        return self.http.request(method, self.url + path, allow_redirects=False, timeout=30, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request("PATCH", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)


def expect(response, status):
    """Checks a success answer and returns its JSON (None for 204)."""
    assert response.status_code == status, f"{response.request.method} {response.url}: {response.status_code} {response.text}"
    if status == 204:
        assert response.content == b""
        return None
    assert response.headers["Content-Type"].startswith("application/json"), response.headers["Content-Type"]
    return response.json()


def problem(response, status):
    """Checks an RFC 9457 problem answer and returns its body."""
    assert response.status_code == status, f"{response.request.method} {response.url}: {response.status_code} {response.text}"
    assert response.headers["Content-Type"].startswith("application/problem+json"), response.headers["Content-Type"]
    body = response.json()
    assert body["status"] == status and isinstance(body["title"], str) and body["title"] and isinstance(body["detail"], str)
    assert body["type"] == "about:blank" or body["type"].startswith("https://sesame.dev/problems/"), body["type"]
    return body


def problem_in(response, statuses):
    """A problem whose status may be any of `statuses` (the contract allows 400 or 422 for some bodies)."""
    assert response.status_code in statuses, f"{response.request.method} {response.url}: {response.status_code} {response.text}"
    return problem(response, response.status_code)


def client_token(base, client, scope=None):
    data = {"grant_type": "client_credentials"}
    if scope is not None:
        data["scope"] = scope
    response = requests.post(base + "/token", data=data, auth=(client["client_id"], client["client_secret"]))
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def signed_in(base, session):
    """True when the browser session still reaches the account page (a signed-out one is sent to /login)."""
    status = session.get(base + "/account", allow_redirects=False).status_code
    assert status in (200, 303)
    return status == 200


@pytest.fixture(scope="module")
def admin(sesame):
    bot = json.loads(ok(sesame.cli("client", "add", "admin-bot", "--json", "--grant", "client_credentials", "--scope", "sesame:admin")))
    plain = json.loads(ok(sesame.cli("client", "add", "plain-bot", "--json", "--grant", "client_credentials", "--scope", "openid")))
    token = client_token(sesame.base, bot, scope="sesame:admin")
    # plain-bot may not ask for openid (a person's scope) with client_credentials: its token has no scope at all.
    plain_token = client_token(sesame.base, plain)
    return SimpleNamespace(api=Api(sesame.base, token), bot=bot, plain=plain, plain_token=plain_token)


def test_the_document_is_served_without_authentication_and_is_valid_openapi(sesame):
    response = requests.get(sesame.base + API + "/openapi.json")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/json")
    document = response.json()
    validate(document)
    assert document["openapi"] == "3.1.0" and document["info"]["title"] == "Sesame admin API" and document["info"]["version"] == "1"
    assert document["servers"] == [{"url": API}]
    assert document["security"] == [{"bearer": []}, {"session": []}]
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"] == {**schemes["bearer"], "type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    assert schemes["session"] == {**schemes["session"], "type": "apiKey", "in": "cookie", "name": "sesame_session"}
    operations = {(method.upper(), path) for path, item in document["paths"].items() for method in item if method != "parameters"}
    assert operations == OPERATIONS
    assert document["paths"]["/openapi.json"]["get"]["security"] == []
    ids = [op["operationId"] for item in document["paths"].values() for method, op in item.items() if method != "parameters"]
    assert len(ids) == len(set(ids)) == len(OPERATIONS)


def test_who_may_call(sesame, admin):
    url = sesame.base + API + "/users"
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Bearer e30.e30.c2ln"}):
        refused = requests.get(url, headers=headers)
        assert problem(refused, 401)
        assert refused.headers["WWW-Authenticate"].startswith('Bearer realm="sesame"'), refused.headers["WWW-Authenticate"]
    # Also for changing requests, before the body is looked at.
    assert problem(requests.post(url, json={"username": "mallory", "password": "mallory-pass"}), 401)
    # A valid token without the sesame:admin scope is known but not allowed.
    assert problem(requests.get(url, headers={"Authorization": "Bearer " + admin.plain_token}), 403)
    assert problem(requests.post(url, headers={"Authorization": "Bearer " + admin.plain_token},
                                 json={"username": "mallory", "password": "mallory-pass"}), 403)
    assert isinstance(expect(admin.api.get("/users"), 200)["items"], list)
    assert problem(admin.api.get("/users/mallory"), 404)


def test_users_their_sessions_and_passwords(sesame, admin):
    api, base = admin.api, sesame.base
    created = expect(api.post("/users", json={"username": "ursula", "password": "ursula-pass-1", "email": "ursula@example.com",
                                              "name": "Ursula U"}), 201)
    assert set(created) == USER_FIELDS
    assert created["username"] == "ursula" and created["email"] == "ursula@example.com" and created["name"] == "Ursula U"
    assert created["disabled"] is False and created["two_factor"] is False and created["password_scheme"] == "scrypt"
    assert created["groups"] == created["roles"] == created["effective_roles"] == []
    assert isinstance(created["id"], str) and created["id"]
    assert expect(api.get("/users/ursula"), 200) == created
    assert "ursula" in [user["username"] for user in expect(api.get("/users"), 200)["items"]]

    patched = expect(api.patch("/users/ursula", json={"email": "ursula@example.org", "name": "Ursula V", "disabled": True}), 200)
    assert (patched["email"], patched["name"], patched["disabled"]) == ("ursula@example.org", "Ursula V", True)
    assert patched["id"] == created["id"] and expect(api.get("/users/ursula"), 200) == patched
    assert sign_in(base, "ursula", "ursula-pass-1")[1].status_code == 401  # disabled
    patched = expect(api.patch("/users/ursula", json={"disabled": False, "name": None}), 200)
    assert patched["disabled"] is False and patched["name"] is None and patched["email"] == "ursula@example.org"
    # The CLI's --json shows a user exactly as the API does.
    assert json.loads(ok(sesame.cli("user", "show", "ursula", "--json"))) == patched
    assert patched in json.loads(ok(sesame.cli("user", "list", "--json")))

    # A new password ends the sessions the old one opened.
    before, response = sign_in(base, "ursula", "ursula-pass-1")
    assert response.status_code == 303 and signed_in(base, before)
    expect(api.put("/users/ursula/password", json={"password": "ursula-pass-2"}), 204)
    assert not signed_in(base, before)
    assert sign_in(base, "ursula", "ursula-pass-1")[1].status_code == 401

    first, response = sign_in(base, "ursula", "ursula-pass-2")
    assert response.status_code == 303
    sessions = expect(api.get("/users/ursula/sessions"), 200)["items"]
    assert len(sessions) == 1 and set(sessions[0]) == SESSION_FIELDS and isinstance(sessions[0]["auth_methods"], list)
    second, _ = sign_in(base, "ursula", "ursula-pass-2")
    sessions = expect(api.get("/users/ursula/sessions"), 200)["items"]
    assert len(sessions) == 2
    # Ending one session by its id signs out exactly one of the two browsers.
    expect(api.delete(f"/users/ursula/sessions/{sessions[0]['id']}"), 204)
    assert sorted([signed_in(base, first), signed_in(base, second)]) == [False, True]
    assert problem(api.delete(f"/users/ursula/sessions/{sessions[0]['id']}"), 404)
    assert len(expect(api.get("/users/ursula/sessions"), 200)["items"]) == 1
    # Ending all of them signs out the other one too.
    expect(api.delete("/users/ursula/sessions"), 204)
    assert not signed_in(base, first) and not signed_in(base, second)
    assert first.get(base + "/account", allow_redirects=False).status_code == 303
    assert expect(api.get("/users/ursula/sessions"), 200)["items"] == []

    expect(api.post("/users/ursula/reset-two-factor"), 204)
    assert expect(api.get("/users/ursula"), 200)["two_factor"] is False
    expect(api.delete("/users/ursula"), 204)
    assert problem(api.get("/users/ursula"), 404)
    assert problem(api.delete("/users/ursula"), 404)


def test_roles_groups_and_effective_roles(sesame, admin):
    api = admin.api
    expect(api.post("/users", json={"username": "gail", "password": "gail-pass-1"}), 201)
    editor = expect(api.post("/roles", json={"name": "api-editor", "app": None, "description": "Edits articles",
                                             "permissions": ["articles:publish"]}), 201)
    assert set(editor) == ROLE_FIELDS
    assert (editor["name"], editor["app"], editor["description"], editor["permissions"]) == ("api-editor", None, "Edits articles",
                                                                                              ["articles:publish"])
    assert expect(api.get("/roles/api-editor"), 200) == editor
    viewer = expect(api.post("/roles", json={"name": "api-viewer", "permissions": []}), 201)
    assert viewer["app"] is None and viewer["description"] is None and viewer["permissions"] == []
    assert {"api-editor", "api-viewer"} <= {role["name"] for role in expect(api.get("/roles"), 200)["items"]}

    expect(api.put("/roles/api-editor/permissions/articles:delete"), 204)
    assert sorted(expect(api.get("/roles/api-editor"), 200)["permissions"]) == ["articles:delete", "articles:publish"]
    expect(api.delete("/roles/api-editor/permissions/articles:delete"), 204)
    assert expect(api.get("/roles/api-editor"), 200)["permissions"] == ["articles:publish"]

    expect(api.put("/users/gail/roles/api-editor"), 204)
    staff = expect(api.post("/groups", json={"name": "api-staff", "description": "Everyone", "roles": ["api-viewer"]}), 201)
    assert set(staff) == GROUP_FIELDS
    assert (staff["name"], staff["description"], staff["roles"], staff["members"]) == ("api-staff", "Everyone", ["api-viewer"], [])
    expect(api.put("/groups/api-staff/members/gail"), 204)
    assert expect(api.get("/groups/api-staff"), 200)["members"] == ["gail"]
    assert "api-staff" in [group["name"] for group in expect(api.get("/groups"), 200)["items"]]
    gail = expect(api.get("/users/gail"), 200)
    assert gail["roles"] == ["api-editor"] and gail["groups"] == ["api-staff"]
    assert sorted(gail["effective_roles"]) == ["api-editor", "api-viewer"]

    expect(api.put("/groups/api-staff/roles/api-editor"), 204)
    assert sorted(expect(api.get("/groups/api-staff"), 200)["roles"]) == ["api-editor", "api-viewer"]
    expect(api.delete("/groups/api-staff/roles/api-editor"), 204)
    assert expect(api.get("/groups/api-staff"), 200)["roles"] == ["api-viewer"]

    expect(api.delete("/groups/api-staff/members/gail"), 204)
    expect(api.delete("/users/gail/roles/api-editor"), 204)
    gail = expect(api.get("/users/gail"), 200)
    assert gail["roles"] == gail["groups"] == gail["effective_roles"] == []
    assert expect(api.get("/groups/api-staff"), 200)["members"] == []

    expect(api.delete("/roles/api-editor"), 204)
    assert problem(api.get("/roles/api-editor"), 404)
    assert problem(api.delete("/roles/api-editor"), 404)
    expect(api.delete("/groups/api-staff"), 204)
    assert problem(api.get("/groups/api-staff"), 404)
    assert problem(api.delete("/groups/api-staff"), 404)


def test_client_keys_signing_and_front_channel_logout(sesame, admin):
    api = admin.api
    keyed = expect(api.post("/clients", json={
        "name": "api-keyed", "grant_types": ["client_credentials"], "token_endpoint_auth_method": "private_key_jwt",
        "jwks_uri": "https://keys.example.com/jwks.json",
    }), 201)
    assert keyed["client_secret"] is None and keyed["jwks_uri"] == "https://keys.example.com/jwks.json"
    assert keyed["token_endpoint_auth_method"] == "private_key_jwt"
    refused = problem(api.post("/clients", json={"name": "api-keyless", "grant_types": ["client_credentials"],
                                                 "token_endpoint_auth_method": "private_key_jwt"}), 422)
    assert "jwks_uri" in refused["detail"]
    assert problem(api.get("/clients/api-keyless"), 404)

    app = expect(api.post("/clients", json={"name": "api-web", "redirect_uris": [REDIRECT], "id_token_signed_response_alg": "RS256",
                                            "frontchannel_logout_uri": "https://app.example.com/frontchannel-logout"}), 201)
    assert app["id_token_signed_response_alg"] == "RS256" and app["frontchannel_logout_uri"] == "https://app.example.com/frontchannel-logout"
    assert problem(api.patch("/clients/api-web", json={"id_token_signed_response_alg": "HS256"}), 422)
    assert problem(api.patch("/clients/api-web", json={"frontchannel_logout_uri": "not a url"}), 422)
    kept = expect(api.patch("/clients/api-web", json={"scopes": ["openid"]}), 200)
    assert kept["frontchannel_logout_uri"] == "https://app.example.com/frontchannel-logout", "absent leaves it"
    removed = expect(api.patch("/clients/api-web", json={"frontchannel_logout_uri": None}), 200)
    assert removed["frontchannel_logout_uri"] is None and removed["id_token_signed_response_alg"] == "RS256"
    # The change is in the audit log, field by field.
    def logged():
        events = expect(api.get("/audit-events", params={"type": "client.updated", "subject": app["client_id"]}), 200)["items"]
        return any("frontchannel_logout_uri" in (event["detail"] or "") for event in events)
    deadline = time.time() + 5  # audit events are written in batches every few milliseconds
    while not logged() and time.time() < deadline:
        time.sleep(0.1)
    assert logged()
    expect(api.delete("/clients/api-web"), 204)
    expect(api.delete("/clients/api-keyed"), 204)


def test_clients(sesame, admin):
    api = admin.api
    created = expect(api.post("/clients", json={"name": "api-app", "redirect_uris": [REDIRECT], "scopes": ["openid", "email"]}), 201)
    assert set(created) == CLIENT_FIELDS | {"client_secret"}
    assert isinstance(created["client_secret"], str) and created["client_secret"]
    assert created["name"] == "api-app" and created["redirect_uris"] == [REDIRECT] and created["scopes"] == ["openid", "email"]
    assert created["token_endpoint_auth_method"] == "client_secret_basic" and created["required_roles"] == []
    shown = expect(api.get("/clients/api-app"), 200)
    assert set(shown) == CLIENT_FIELDS  # the secret is shown once, on create
    assert shown == {key: value for key, value in created.items() if key != "client_secret"}
    assert expect(api.get("/clients/" + created["client_id"]), 200)["name"] == "api-app"  # by client_id too
    assert {"api-app", "admin-bot", "plain-bot"} <= {client["name"] for client in expect(api.get("/clients"), 200)["items"]}
    # The secret is real: the token endpoint accepts it (and then finds nothing wrong but the made-up refresh token).
    answer = requests.post(sesame.base + "/token", auth=(created["client_id"], created["client_secret"]),
                           data={"grant_type": "refresh_token", "refresh_token": "made-up"})
    assert answer.json()["error"] == "invalid_grant"

    patched = expect(api.patch("/clients/api-app", json={"required_roles": ["staff"]}), 200)
    assert set(patched) == CLIENT_FIELDS and patched["required_roles"] == ["staff"]
    assert patched["redirect_uris"] == [REDIRECT] and patched["client_id"] == created["client_id"]
    assert expect(api.get("/clients/api-app"), 200)["required_roles"] == ["staff"]

    rotated = expect(api.post("/clients/api-app/rotate-secret"), 200)
    assert rotated["client_id"] == created["client_id"] and rotated["client_secret"] != created["client_secret"]
    time.sleep(2.1)  # running servers cache clients for 2 s
    old = requests.post(sesame.base + "/token", auth=(created["client_id"], created["client_secret"]),
                        data={"grant_type": "refresh_token", "refresh_token": "made-up"})
    assert old.status_code == 401 and old.json()["error"] == "invalid_client"
    new = requests.post(sesame.base + "/token", auth=(created["client_id"], rotated["client_secret"]),
                        data={"grant_type": "refresh_token", "refresh_token": "made-up"})
    assert new.json()["error"] == "invalid_grant"

    # The CLI's --json shows a client exactly as the API does.
    assert json.loads(ok(sesame.cli("client", "show", "api-app", "--json"))) == expect(api.get("/clients/api-app"), 200)

    expect(api.delete("/clients/api-app"), 204)
    assert problem(api.get("/clients/api-app"), 404)
    assert problem(api.get("/clients/" + created["client_id"]), 404)
    assert problem(api.delete("/clients/api-app"), 404)


def test_cas_services(sesame, admin):
    api = admin.api
    created = expect(api.post("/cas-services", json={"name": "api-wiki", "pattern": "https://wiki.example/",
                                                     "attributes": ["email", "roles"]}), 201)
    assert set(created) == CAS_SERVICE_FIELDS
    assert created["name"] == "api-wiki" and created["pattern"] == "https://wiki.example/"
    assert sorted(created["attributes"]) == ["email", "roles"]
    assert created["require_two_factor"] is False and created["required_roles"] == created["required_groups"] == []
    assert expect(api.get("/cas-services/api-wiki"), 200) == created
    assert "api-wiki" in [service["name"] for service in expect(api.get("/cas-services"), 200)["items"]]
    assert problem(api.post("/cas-services", json={"name": "api-wiki", "pattern": "https://wiki.example/"}), 409)
    patched = expect(api.patch("/cas-services/api-wiki", json={"required_groups": ["Editors"], "attributes": ["email"]}), 200)
    assert patched["required_groups"] == ["editors"] and patched["attributes"] == ["email"] and patched["pattern"] == created["pattern"]
    assert expect(api.get("/cas-services/api-wiki"), 200) == patched
    bad = problem(api.patch("/cas-services/api-wiki", json={"pattern": "not a url"}), 422)
    assert expect(api.get("/cas-services/api-wiki"), 200)["pattern"] == created["pattern"], bad
    expect(api.delete("/cas-services/api-wiki"), 204)
    assert problem(api.get("/cas-services/api-wiki"), 404)
    assert problem(api.delete("/cas-services/api-wiki"), 404)


def test_signing_keys_rotate(sesame, admin):
    api = admin.api
    before = expect(api.get("/keys"), 200)["items"]
    assert before and all(set(key) == KEY_FIELDS for key in before)
    current_before = {key["kid"] for key in before if key["current"]}
    assert {key["algorithm"] for key in before if key["current"]} == {"ES256", "RS256"}

    rotated = expect(api.post("/keys/rotate"), 200)["items"]
    assert len(rotated) == 2 and all(set(key) == KEY_FIELDS for key in rotated)
    assert {key["algorithm"] for key in rotated} == {"ES256", "RS256"}
    assert all(key["current"] is True and key["superseded_at"] is None for key in rotated)
    new = {key["kid"] for key in rotated}
    assert not new & {key["kid"] for key in before}

    after = {key["kid"]: key for key in expect(api.get("/keys"), 200)["items"]}
    assert {kid for kid, key in after.items() if key["current"]} == new
    for kid in current_before:
        assert after[kid]["current"] is False and isinstance(after[kid]["superseded_at"], str)


def test_audit_events_name_the_caller_and_page_with_a_cursor(sesame, admin):
    api = admin.api
    user = expect(api.post("/users", json={"username": "audra", "password": "audra-pass-1"}), 201)

    def events(**params):
        page = expect(api.get("/audit-events", params=params), 200)
        assert set(page) == {"items", "next_cursor"}
        return page

    deadline = time.time() + 5  # audit events are written in batches every few milliseconds
    while not (found := events(type="user.created", subject=user["id"])["items"]) and time.time() < deadline:
        time.sleep(0.1)
    assert len(found) == 1
    event = found[0]
    assert set(event) == AUDIT_FIELDS and isinstance(event["id"], int)
    assert event["type"] == "user.created" and event["subject"] == user["id"]
    assert event["actor"] == "client:" + admin.bot["client_id"]
    assert "audra-pass-1" not in json.dumps(event)
    assert event["id"] in [e["id"] for e in events(actor=event["actor"], type="user.created")["items"]]
    assert events(until="2000-01-01T00:00:00Z")["items"] == []
    assert event["id"] in [e["id"] for e in events(since="2000-01-01T00:00:00Z", type="user.created", limit=1000)["items"]]

    # Pages: a full page has a cursor, and following it gives the next events, none seen before.
    first = events(limit=2)
    assert len(first["items"]) == 2 and isinstance(first["next_cursor"], str)
    second = events(limit=2, cursor=first["next_cursor"])
    assert second["items"]
    ids, next_ids = [e["id"] for e in first["items"]], [e["id"] for e in second["items"]]
    assert not set(ids) & set(next_ids)
    assert max(next_ids) < min(ids) or min(next_ids) > max(ids)
    # Walking one event at a time gives exactly what one big page gives, and the last page says so.
    everything = events(type="user.created", limit=1000)
    assert everything["next_cursor"] is None
    walked, cursor = [], None
    for _ in range(len(everything["items"]) + 2):
        page = events(type="user.created", limit=1, **({"cursor": cursor} if cursor else {}))
        walked += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert cursor is None and walked == [e["id"] for e in everything["items"]]


def test_errors_are_problems_naming_the_field(sesame, admin):
    api = admin.api
    expect(api.post("/users", json={"username": "erin", "password": "erin-pass-1", "email": "erin@example.com"}), 201)
    assert problem(api.post("/users", json={"username": "erin", "password": "other-pass-1"}), 409)["field"] == "username"
    assert problem(api.post("/users", json={"username": "erin2", "password": "other-pass-1", "email": "erin@example.com"}),
                   409)["field"] == "email"
    assert problem(api.post("/users", json={"username": "frank", "password": "short"}), 422)["field"] == "password"
    assert problem(api.post("/users", json={"username": "bad name!", "password": "frank-pass-1"}), 422)["field"] == "username"
    assert problem(api.put("/users/erin/password", json={"password": "short"}), 422)["field"] == "password"
    # Not a JSON object at all: a malformed request.
    assert problem(api.post("/users", json=[]), 400)
    assert problem(api.post("/users", data="{not json", headers={"Content-Type": "application/json"}), 400)
    assert problem(api.patch("/users/erin", data="", headers={"Content-Type": "application/json"}), 400)
    # A member of the wrong type, or one the schema does not have, is named.
    assert problem_in(api.post("/users", json={"username": 5, "password": "frank-pass-1"}), (400, 422))["field"] == "username"
    assert problem_in(api.patch("/users/erin", json={"disabled": "yes"}), (400, 422))["field"] == "disabled"
    unknown_member = {"username": "frank", "password": "frank-pass-1", "colour": "blue"}
    assert problem_in(api.post("/users", json=unknown_member), (400, 422))["field"] == "colour"
    assert problem_in(api.post("/users", json={"username": "frank"}), (400, 422))["field"] == "password"
    assert problem(api.get("/users/frank"), 404)  # none of those made a user

    for path in ("/users/nobody-here", "/roles/no-such-role", "/groups/no-such-group", "/clients/no-such-client",
                 "/cas-services/no-such-service", "/users/nobody-here/sessions"):
        assert problem(api.get(path), 404)
    assert problem(api.delete("/users/nobody-here"), 404)
    assert problem(api.put("/users/erin/roles/no-such-role"), 404)
    assert problem(api.put("/users/nobody-here/roles/no-such-role"), 404)
    assert problem(api.put("/groups/no-such-group/members/erin"), 404)

    expect(api.post("/roles", json={"name": "api-auditor"}), 201)
    assert problem(api.post("/roles", json={"name": "api-auditor"}), 409)
    assert problem(api.post("/roles", json={"name": "editor", "app": "no-such-app"}), 422)["field"] == "app"
    assert problem_in(api.post("/roles", json={}), (400, 422))["field"] == "name"
    assert problem(api.post("/clients", json={"name": "admin-bot", "grant_types": ["client_credentials"]}), 409)
    assert problem(api.post("/clients", json={"name": "api-bad", "redirect_uris": ["https://app.example/cb#fragment"]}), 422)

    for params, field in (({"limit": 0}, "limit"), ({"limit": 1001}, "limit"), ({"limit": "ten"}, "limit"),
                          ({"since": "yesterday"}, "since")):
        assert problem(api.get("/audit-events", params=params), 422)["field"] == field


def test_a_person_with_the_admin_role_uses_their_session_and_the_csrf_token(sesame, admin):
    base, url = sesame.base, sesame.base + API
    sesame.add_user("ada", "ada-admin-pass")
    sesame.add_user("pat", "pat-plain-pass")
    if "admin" not in [line.split("\t")[0] for line in ok(sesame.cli("role", "list")).splitlines()]:
        ok(sesame.cli("role", "add", "admin"))
    ok(sesame.cli("role", "grant", "admin", "ada"))

    session, response = sign_in(base, "ada", "ada-admin-pass")
    assert response.status_code == 303
    listed = session.get(url + "/users", allow_redirects=False)
    assert "ada" in [user["username"] for user in expect(listed, 200)["items"]]
    new_user = {"username": "from-browser", "password": "browser-pass-1"}
    assert problem(session.post(url + "/users", json=new_user, allow_redirects=False), 403)
    assert problem(session.post(url + "/users", json=new_user, headers={"X-CSRF-Token": "x" * 43}, allow_redirects=False), 403)
    token = csrf_token(session.get(base + "/account").text)
    created = session.post(url + "/users", json=new_user, headers={"X-CSRF-Token": token}, allow_redirects=False)
    assert expect(created, 201)["username"] == "from-browser"
    assert expect(admin.api.get("/users/from-browser"), 200)["username"] == "from-browser"

    # Signed in without the admin role: known, not allowed. A session that is not one: unknown.
    other, response = sign_in(base, "pat", "pat-plain-pass")
    assert response.status_code == 303
    assert problem(other.get(url + "/users", allow_redirects=False), 403)
    assert problem(requests.get(url + "/users", cookies={"sesame_session": "not-a-session"}, allow_redirects=False), 401)


def test_schemathesis_finds_no_server_errors(sesame, admin, tmp_path):
    """Every operation in the document with generated valid and invalid input: no answer may be a
    5xx. DELETE is left out so the run cannot delete admin-bot, the client it runs as."""
    token = client_token(sesame.base, admin.bot, scope="sesame:admin")  # fresh: the run takes a while
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", sesame.base + API + "/openapi.json",
        "--base-url", sesame.base + API,
        "--header", "Authorization: Bearer " + token,
        "--experimental", "openapi-3.1",
        "--checks", "not_a_server_error",
        "--data-generation-method", "all",
        "--exclude-method", "DELETE",
        "--generation-with-security-parameters", "false",
        "--hypothesis-max-examples", "25",
        "--hypothesis-seed", "1",
        "--hypothesis-database", "none",
        "--request-timeout", "10000",
        "--no-color",
    ]
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    assert requests.get(sesame.base + "/healthz").status_code == 200
