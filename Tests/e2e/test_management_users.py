"""Every user and access operation through both doors, the CLI and the admin API, against one
server: each must leave the same audit events (type, subject and detail), so an alert or a
report on the audit trail cannot tell which door a change came through."""

import json
import re
import time

import requests

from conftest import sign_in

API = "/admin/api/v1"
PASSWORD = "first-password-1"


def ok(result):
    assert result.returncode == 0, result.stderr
    return result.stdout


class Door:
    """One door: runs the named operation for the users, roles and groups prefixed `prefix`."""

    def __init__(self, sesame, prefix):
        self.sesame, self.p = sesame, prefix


class CLI(Door):
    actor = "cli"

    def run(self, *args, input=None):
        ok(self.sesame.cli(*args, input=input))

    def end_one_session(self, username):
        sign_in(self.sesame.base, username, "second-password-2")
        sessions = json.loads(ok(self.sesame.cli("user", "sessions", username, "--json")))
        assert len(sessions) == 1
        self.run("user", "revoke-sessions", username, "--session", sessions[0]["id"])
        assert json.loads(ok(self.sesame.cli("user", "sessions", username, "--json"))) == []

    def ops(self):
        p = self.p
        return [
            lambda: self.run("user", "add", f"{p}ann", "--email", f"{p}ann@example.com", "--name", "Ann", "--password-stdin", input=PASSWORD + "\n"),
            lambda: self.run("user", "update", f"{p}ann", "--name", "Ann B", "--email", ""),
            lambda: self.run("user", "disable", f"{p}ann"),
            lambda: self.run("user", "enable", f"{p}ann"),
            lambda: self.run("user", "set-password", f"{p}ann", "--password-stdin", input="second-password-2\n"),
            lambda: self.end_one_session(f"{p}ann"),
            lambda: self.run("user", "add", f"{p}nopw", "--no-password"),
            lambda: self.run("user", "delete", f"{p}nopw"),
            lambda: self.run("user", "require-2fa", f"{p}ann"),
            lambda: self.run("user", "require-2fa", f"{p}ann", "--off"),
            lambda: self.run("user", "reset-2fa", f"{p}ann"),
            lambda: self.run("user", "revoke-sessions", f"{p}ann"),
            lambda: self.run("role", "add", f"{p}ed", "--description", "Editors", "--permission", "docs:read"),
            lambda: self.run("two-factor", "require-role", f"{p}ed"),
            lambda: self.run("two-factor", "require-role", f"{p}ed", "--off"),
            lambda: self.run("role", "allow", f"{p}ed", "docs:write"),
            lambda: self.run("role", "disallow", f"{p}ed", "docs:read"),
            lambda: self.run("role", "grant", f"{p}ed", f"{p}ann"),
            lambda: self.run("role", "revoke", f"{p}ed", f"{p}ann"),
            lambda: self.run("group", "add", f"{p}staff", "--description", "Staff", "--role", f"{p}ed"),
            lambda: self.run("group", "add-member", f"{p}staff", f"{p}ann"),
            lambda: self.run("group", "remove-member", f"{p}staff", f"{p}ann"),
            lambda: self.run("group", "remove-role", f"{p}staff", f"{p}ed"),
            lambda: self.run("group", "add-role", f"{p}staff", f"{p}ed"),
            lambda: self.run("group", "delete", f"{p}staff"),
            lambda: self.run("role", "delete", f"{p}ed"),
            lambda: self.run("user", "import", "-", input=f"{p}imp:imported-pass-1:{p}crew {p}ed\n"),
            lambda: self.run("user", "delete", f"{p}ann"),
        ]


class Admin(Door):
    def __init__(self, sesame, prefix, token, client_id):
        super().__init__(sesame, prefix)
        self.http = requests.Session()
        self.http.headers["Authorization"] = "Bearer " + token
        self.actor = "client:" + client_id

    def call(self, method, path, status, **kwargs):
        response = self.http.request(method, self.sesame.base + API + path, timeout=30, **kwargs)
        assert response.status_code == status, f"{method} {path}: {response.status_code} {response.text}"

    def end_one_session(self, username):
        sign_in(self.sesame.base, username, "second-password-2")
        sessions = self.http.get(f"{self.sesame.base}{API}/users/{username}/sessions", timeout=30).json()["items"]
        assert len(sessions) == 1
        self.call("DELETE", f"/users/{username}/sessions/{sessions[0]['id']}", 204)
        assert self.http.get(f"{self.sesame.base}{API}/users/{username}/sessions", timeout=30).json()["items"] == []

    def ops(self):
        p, c = self.p, self.call
        return [
            lambda: c("POST", "/users", 201, json={"username": f"{p}ann", "password": PASSWORD, "email": f"{p}ann@example.com", "name": "Ann"}),
            lambda: c("PATCH", f"/users/{p}ann", 200, json={"name": "Ann B", "email": None}),
            lambda: c("PATCH", f"/users/{p}ann", 200, json={"disabled": True}),
            lambda: c("PATCH", f"/users/{p}ann", 200, json={"disabled": False}),
            lambda: c("PUT", f"/users/{p}ann/password", 204, json={"password": "second-password-2"}),
            lambda: self.end_one_session(f"{p}ann"),
            lambda: c("POST", "/users", 201, json={"username": f"{p}nopw", "password": None}),
            lambda: c("DELETE", f"/users/{p}nopw", 204),
            lambda: c("PUT", f"/users/{p}ann/require-two-factor", 204),
            lambda: c("DELETE", f"/users/{p}ann/require-two-factor", 204),
            lambda: c("POST", f"/users/{p}ann/reset-two-factor", 204),
            lambda: c("DELETE", f"/users/{p}ann/sessions", 204),
            lambda: c("POST", "/roles", 201, json={"name": f"{p}ed", "description": "Editors", "permissions": ["docs:read"]}),
            lambda: c("PUT", f"/roles/{p}ed/require-two-factor", 204),
            lambda: c("DELETE", f"/roles/{p}ed/require-two-factor", 204),
            lambda: c("PUT", f"/roles/{p}ed/permissions/docs:write", 204),
            lambda: c("DELETE", f"/roles/{p}ed/permissions/docs:read", 204),
            lambda: c("PUT", f"/users/{p}ann/roles/{p}ed", 204),
            lambda: c("DELETE", f"/users/{p}ann/roles/{p}ed", 204),
            lambda: c("POST", "/groups", 201, json={"name": f"{p}staff", "description": "Staff", "roles": [f"{p}ed"]}),
            lambda: c("PUT", f"/groups/{p}staff/members/{p}ann", 204),
            lambda: c("DELETE", f"/groups/{p}staff/members/{p}ann", 204),
            lambda: c("DELETE", f"/groups/{p}staff/roles/{p}ed", 204),
            lambda: c("PUT", f"/groups/{p}staff/roles/{p}ed", 204),
            lambda: c("DELETE", f"/groups/{p}staff", 204),
            lambda: c("DELETE", f"/roles/{p}ed", 204),
            lambda: c("POST", "/users/import", 201, json={"users": f"{p}imp:imported-pass-1:{p}crew {p}ed\n"}),
            lambda: c("DELETE", f"/users/{p}ann", 204),
        ]


def admin_token(sesame):
    if hasattr(sesame, "_mgmt_token"):
        return sesame._mgmt_token
    bot = json.loads(ok(sesame.cli("client", "add", "mgmt-bot", "--json", "--grant", "client_credentials", "--scope", "sesame:admin")))
    answer = requests.post(sesame.base + "/token", data={"grant_type": "client_credentials", "scope": "sesame:admin"},
                           auth=(bot["client_id"], bot["client_secret"]))
    assert answer.status_code == 200, answer.text
    sesame._mgmt_token = answer.json()["access_token"], bot["client_id"]
    return sesame._mgmt_token


def events(http, base, actor):
    found, cursor = [], None
    while True:
        params = {"actor": actor, "limit": 1000, **({"cursor": cursor} if cursor else {})}
        page = http.get(base + API + "/audit-events", params=params, timeout=30).json()
        found += page["items"]
        if not (cursor := page["next_cursor"]):
            return sorted(found, key=lambda e: e["id"])


def test_cli_and_api_leave_identical_audit_events_for_every_user_and_access_operation(sesame):
    token, client_id = admin_token(sesame)
    admin = Admin(sesame, "a-", token, client_id)
    cli = CLI(sesame, "c-")
    assert len(cli.ops()) == len(admin.ops())
    before = {door.actor: {e["id"] for e in events(admin.http, sesame.base, door.actor)} for door in (cli, admin)}

    ids = {}  # user id -> username, so subjects compare by name
    per_op = {}
    for door in (cli, admin):
        for index, op in enumerate(door.ops()):
            op()
            for name in (f"{door.p}ann", f"{door.p}imp", f"{door.p}nopw"):
                shown = sesame.cli("user", "show", name, "--json")
                if shown.returncode == 0:
                    ids[json.loads(shown.stdout)["id"]] = name
        # Both doors write in batches: wait until the API's events are all stored.
        deadline = time.time() + 10
        while time.time() < deadline:
            new = [e for e in events(admin.http, sesame.base, door.actor) if e["id"] not in before[door.actor]]
            if door is cli or len(new) >= len(per_op.get("cli", [])):
                break
            time.sleep(0.2)
        per_op[door.actor if door is cli else "api"] = new

    def same_names(text, prefix):
        if text is None:
            return None
        for user_id, name in ids.items():
            text = text.replace(user_id, name)
        return re.sub(rf"\b{re.escape(prefix)}", "X-", text)

    def comparable(found, prefix):
        return [(e["type"], same_names(e["subject"], prefix), same_names(e["detail"], prefix)) for e in found]

    from_cli, from_api = comparable(per_op["cli"], "c-"), comparable(per_op["api"], "a-")
    assert [t for t, _, _ in from_cli] == [
        "user.created", "user.updated", "user.disabled", "sessions.revoked", "user.enabled", "user.password_set", "sessions.revoked",
        "session.revoked", "user.created", "sessions.revoked", "user.deleted",
        "two_factor.required", "two_factor.not_required", "two_factor.reset", "sessions.revoked", "sessions.revoked",
        "role.created", "two_factor.role_required", "two_factor.role_not_required", "role.permission_granted", "role.permission_revoked",
        "role.granted", "role.revoked", "group.created", "group.member_added", "group.member_removed", "group.role_removed",
        "group.role_added", "group.deleted", "role.deleted", "user.imported", "sessions.revoked", "user.deleted",
    ]
    assert from_cli == from_api
    assert all(e["actor"] == "cli" for e in per_op["cli"]) and all(e["actor"] == admin.actor for e in per_op["api"])


def test_role_and_group_show_the_same_at_both_doors(sesame):
    token, _ = admin_token(sesame)
    http = requests.Session()
    http.headers["Authorization"] = "Bearer " + token
    ok(sesame.cli("role", "add", "shown-role", "--description", "Shown", "--permission", "docs:read"))
    ok(sesame.cli("group", "add", "shown-group", "--role", "shown-role"))
    for kind, name in (("role", "shown-role"), ("group", "shown-group")):
        from_cli = json.loads(ok(sesame.cli(kind, "show", name)))
        from_api = http.get(f"{sesame.base}{API}/{kind}s/{name}", timeout=30).json()
        assert from_cli == from_api and from_cli["name"] == name
    missing = sesame.cli("role", "show", "no-such-role")
    assert missing.returncode == 1 and "no role 'no-such-role'" in missing.stderr
