"""Sessions ended from the CLI tell the apps, as the server does: `sesame serve` records the
issuer it serves under, and `user disable`, `user set-password`, `user reset-2fa` and `user
delete` send each back-channel app its logout token under that issuer, waiting for delivery
before they exit. An app never signed in to gets nothing; without a recorded issuer the CLI says
so and still ends the sessions."""

import json
import sqlite3
import time
from urllib.parse import parse_qs

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import KeySet

from conftest import Sesame
from oidc_helpers import Person
from test_pipeline_logout import EVENT, Receiver, cli_ok, sign_in_to


def add_apps(sesame, receiver):
    return {
        name: json.loads(cli_ok(
            sesame, "client", "add", name, "--json", "--first-party", "--redirect-uri", receiver.base + f"/{name}/callback",
            "--backchannel-logout-uri", receiver.base + f"/{name}/backchannel-logout").stdout)
        for name in ("notes", "wiki")
    }


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    receiver = Receiver()
    sesame = Sesame(tmp_path_factory.mktemp("cli-logout") / "data")
    clients = add_apps(sesame, receiver)
    sesame.start()
    yield sesame, receiver, clients
    receiver.stop()
    assert sesame.stop() == 0, sesame.log_text()


COMMANDS = {
    "disable": lambda user: (["user", "disable", user], None),
    "set-password": lambda user: (["user", "set-password", user, "--password-stdin"], "a-new-password-2\n"),
    "reset-2fa": lambda user: (["user", "reset-2fa", user], None),
    "delete": lambda user: (["user", "delete", user], None),
}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_cli_command_that_ends_sessions_delivers_one_logout_token_before_it_exits(setup, command):
    sesame, receiver, clients = setup
    notes, path = clients["notes"], "/notes/backchannel-logout"
    user = "p-" + command
    sesame.add_user(user, "old-password-1")
    signed_in = sign_in_to(sesame, receiver, notes, Person(sesame.base, user, "old-password-1"))
    before = len(receiver.received(path))

    args, stdin = COMMANDS[command](user)
    result = sesame.cli(*args, input=stdin)
    assert result.returncode == 0, result.stderr
    assert "not told" not in result.stderr and "warning" not in result.stderr, result.stderr

    # Delivered by the time the command exits: the CLI waited for it.
    received = receiver.received(path)[before:]
    assert len(received) == 1, received
    keys = KeySet.import_key_set(requests.get(sesame.base + "/jwks").json())
    token = jwt.decode(parse_qs(received[0][1])["logout_token"][0], keys)
    claims = token.claims
    assert token.header["typ"] == "logout+jwt"
    assert claims["iss"] == sesame.base, "the issuer `sesame serve --issuer` recorded, not the CLI's default"
    assert claims["aud"] == notes["client_id"]
    assert claims["sid"] == signed_in["sid"] and claims["sub"] == signed_in["sub"]
    assert claims["events"] == {EVENT: {}} and "nonce" not in claims

    # "wiki" registered a back-channel URI but was never signed in to.
    assert receiver.received("/wiki/backchannel-logout") == []

    # The delivery is audited, as the server audits it.
    events = [json.loads(line) for line in cli_ok(sesame, "audit", "export", "--type", "backchannel_logout.delivered").stdout.splitlines()]
    assert any(e["client_id"] == notes["client_id"] and f"sid={signed_in['sid']}" in (e.get("detail") or "") for e in events), events


def test_without_a_recorded_issuer_the_sessions_end_and_the_cli_says_no_app_was_told(tmp_path):
    receiver = Receiver()
    sesame = Sesame(tmp_path / "data")
    try:
        clients = add_apps(sesame, receiver)
        sesame.add_user("ann", "ann-password-1")
        sesame.start()
        person = Person(sesame.base, "ann", "ann-password-1")
        sign_in_to(sesame, receiver, clients["notes"], person)
        assert sesame.stop() == 0, sesame.log_text()
        # As after an upgrade from a server that did not record its issuer.
        with sqlite3.connect(tmp_path / "data" / "sesame.db") as db:
            db.execute("DELETE FROM server_state")
        result = sesame.cli("user", "disable", "ann")
        assert result.returncode == 0, result.stderr
        assert "no app with back-channel logout was told" in result.stderr and "issuer" in result.stderr, result.stderr
        assert "Disabled ann." in result.stdout
        time.sleep(0.5)
        assert receiver.received("/notes/backchannel-logout") == []
        with sqlite3.connect(tmp_path / "data" / "sesame.db") as db:
            assert db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 0, "the sessions ended all the same"
    finally:
        receiver.stop()
        sesame.stop()
