"""The audit log: what is recorded (with reasons, actors and before/after values, never a
secret), `sesame audit export`, and the JSON lines copy for a SIEM."""

import json
import time

import requests

from conftest import Sesame, sign_in


def export(node, *args):
    result = node.cli("audit", "export", *args)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def wait_for(node, event_type, count=1):
    deadline = time.time() + 5
    while time.time() < deadline:
        events = export(node, "--type", event_type)
        if len(events) >= count:
            return events
        time.sleep(0.1)
    raise AssertionError(f"no {event_type} event")


def test_security_events_are_recorded_without_secrets(tmp_path):
    log = tmp_path / "audit.jsonl"
    node = Sesame(tmp_path / "data", serve_args=["--audit-log", str(log)])
    node.add_user("vic", "vic-secret-pass")
    bot = json.loads(node.cli("client", "add", "bot", "--json", "--grant", "client_credentials").stdout)
    node.start()
    try:
        sign_in(node.base, "vic", "wrong-password")
        sign_in(node.base, "nobody-here", "whatever-pass")
        session, response = sign_in(node.base, "vic", "vic-secret-pass")
        assert response.status_code == 303
        import re
        token = re.search(r'name="csrf_token" value="([^"]+)"', session.get(node.base + "/account").text).group(1)
        session.post(node.base + "/logout", data={"csrf_token": token}, allow_redirects=False)
        for _ in range(6):
            sign_in(node.base, "vic", "wrong-again")
        requests.post(node.base + "/token", data={"grant_type": "client_credentials"}, auth=(bot["client_id"], bot["client_secret"]))

        failed = wait_for(node, "sign_in.failed", 2)
        vic = node.show("vic")["id"]
        assert {(e.get("subject"), e["detail"]) for e in failed[:2]} == {(vic, "reason=wrong_password"), (None, "reason=unknown_user")}
        assert all(e["client_address"] == "127.0.0.1" for e in failed)
        assert wait_for(node, "sign_in.succeeded")[0]["actor"] == vic
        assert wait_for(node, "session.ended")[0]["detail"] == "sign-out"
        assert wait_for(node, "sign_in.locked_out")[0]["detail"] == "reason=account"
        assert wait_for(node, "token.issued")[0]["client_id"] == bot["client_id"]

        # Changes made with the CLI name the actor and what changed.
        assert node.cli("user", "disable", "vic").returncode == 0
        disabled = export(node, "--type", "user.disabled")[0]
        assert disabled["actor"] == "cli" and json.loads(disabled["detail"]) == {"disabled": {"before": "false", "after": "true"}}
        assert export(node, "--type", "sessions.revoked")[0]["subject"] == vic
        assert node.cli("role", "add", "auditor").returncode == 0
        assert node.cli("role", "grant", "auditor", "vic").returncode == 0
        granted = export(node, "--type", "role.granted")[0]
        assert json.loads(granted["detail"]) == {"roles": {"before": [], "after": ["auditor"]}}
        # The same change detail as the admin API records: the whole list before and after.
        assert node.cli("role", "allow", "auditor", "reports:read").returncode == 0
        allowed = export(node, "--type", "role.permission_granted")[0]
        assert json.loads(allowed["detail"]) == {"permissions": {"before": [], "after": ["reports:read"]}}
        assert node.cli("group", "add", "audit-team").returncode == 0
        assert node.cli("group", "add-role", "audit-team", "auditor").returncode == 0
        added = export(node, "--type", "group.role_added")[0]
        assert added["subject"] == "audit-team" and json.loads(added["detail"]) == {"roles": {"before": [], "after": ["auditor"]}}

        everything = node.cli("audit", "export").stdout
        assert "vic-secret-pass" not in everything and "wrong-password" not in everything and bot["client_secret"] not in everything
        assert "nobody-here" not in everything  # what was typed as a login may be a password
        # Filters and the text format.
        text = node.cli("audit", "export", "--format", "text", "--since", "2000-01-01", "--type", "user.disabled").stdout.splitlines()
        assert len(text) == 1 and "\tuser.disabled\tcli\t" in text[0]
        assert export(node, "--until", "2000-01-01") == []
    finally:
        assert node.stop() == 0
    # The server also wrote its events to the JSON lines log, as they were stored.
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert {"sign_in.failed", "sign_in.succeeded", "session.ended", "sign_in.locked_out", "token.issued"} <= {line["type"] for line in lines}
    assert all(line["audit"] == "true" for line in lines)
    assert "vic-secret-pass" not in log.read_text()
    verify = node.cli("audit", "verify")
    assert verify.returncode == 0 and verify.stdout.startswith("audit chain intact")
