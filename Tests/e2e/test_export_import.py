"""`sesame export` / `sesame import`: everything moves from SQLite to PostgreSQL and back, and
the server on the new store works with what was moved."""

import json
import shutil

import requests

from cluster_helpers import drop_database, new_database
from conftest import Sesame, latest_schema_version, sign_in


def rows(path):
    lines = path.read_text().splitlines()
    return lines[0], sorted(lines[1:])


def test_round_trip_sqlite_postgres_sqlite(tmp_path):
    source = Sesame(tmp_path / "sqlite")
    users = tmp_path / "users.txt"
    users.write_text("pia:pia-pass:staff admin\nquinn:quinn-pass\n")
    assert source.cli("user", "import", str(users)).returncode == 0
    pia = source.show("pia")
    assert pia["groups"] == ["staff"] and pia["roles"] == ["admin"]
    bot = json.loads(source.cli("client", "add", "bot", "--json", "--grant", "client_credentials", "--scope", "openid").stdout)
    assert source.cli("cas-service", "add", "wiki", "--pattern", "https://wiki.example/").returncode == 0
    assert source.cli("keys", "list").returncode == 0  # makes the signing keys
    source.start()
    assert sign_in(source.base, "pia", "pia-pass")[1].status_code == 303  # a session to move
    issued = requests.post(source.base + "/token", data={"grant_type": "client_credentials"}, auth=(bot["client_id"], bot["client_secret"]))
    assert issued.status_code == 200  # and an audit event
    assert source.stop() == 0

    exported = tmp_path / "sesame.jsonl"
    result = source.cli("export", "--output", str(exported))
    assert result.returncode == 0, result.stderr
    assert oct(exported.stat().st_mode & 0o777) == "0o600"
    header, original = rows(exported)
    assert json.loads(header)["schema_version"] == latest_schema_version()
    tables = {json.loads(line)["table"] for line in original}
    assert {"users", "user_groups", "user_roles", "clients", "cas_services", "signing_keys", "sessions", "audit_events", "server_state"} <= tables
    assert "pia-pass" not in exported.read_text()

    key = source.data_dir / "data.key"
    database = new_database()
    try:
        target = Sesame(tmp_path / "pg", common=["--database", database, "--data-key-file", str(key)])
        # The wrong data key is refused before anything is written.
        wrong = tmp_path / "wrong.key"
        wrong.write_bytes(b"\x01" * 32)
        wrong.chmod(0o600)
        refused = Sesame(tmp_path / "pg", common=["--database", database, "--data-key-file", str(wrong)]).cli("import", str(exported))
        assert refused.returncode == 1 and "another data key" in refused.stderr

        loaded = target.cli("import", str(exported))
        assert loaded.returncode == 0, loaded.stderr
        assert loaded.stdout.startswith(f"imported {len(original)} rows")
        again = target.cli("import", str(exported))
        assert again.returncode == 1 and "not empty" in again.stderr

        through_pg = tmp_path / "pg.jsonl"
        assert target.cli("export", "--output", str(through_pg)).returncode == 0
        assert rows(through_pg) == (header, original)
        assert target.cli("audit", "verify").stdout.startswith("audit chain intact")

        # The server on PostgreSQL signs in the moved user and accepts the moved client's secret.
        target.start()
        session, response = sign_in(target.base, "PIA", "pia-pass")
        assert response.status_code == 303
        token = requests.post(target.base + "/token", data={"grant_type": "client_credentials"},
                              auth=(bot["client_id"], bot["client_secret"]))
        assert token.status_code == 200, token.text
        jwks = requests.get(target.base + "/jwks").json()
        assert {k["kid"] for k in jwks["keys"]} == {json.loads(line)["row"]["kid"]["s"] for line in original if '"signing_keys"' in line}
        assert target.stop() == 0

        # And back into a new SQLite data directory.
        back_dir = tmp_path / "back"
        back_dir.mkdir(mode=0o700)
        shutil.copy(key, back_dir / "data.key")
        back = Sesame(back_dir)
        assert back.cli("import", str(through_pg)).returncode == 0
        round_trip = tmp_path / "back.jsonl"
        assert back.cli("export", "-o", str(round_trip)).returncode == 0
        _, final = rows(round_trip)
        assert final == original
    finally:
        drop_database(database)


def test_audit_verify_finds_an_edited_and_a_deleted_row(tmp_path):
    import sqlite3
    node = Sesame(tmp_path / "data")
    bot = json.loads(node.cli("client", "add", "bot", "--json", "--grant", "client_credentials").stdout)
    node.start()
    for _ in range(5):  # each token issued is an audit event
        assert requests.post(node.base + "/token", data={"grant_type": "client_credentials"},
                             auth=(bot["client_id"], bot["client_secret"])).status_code == 200
    assert node.stop() == 0
    intact = node.cli("audit", "verify")
    assert intact.returncode == 0 and intact.stdout.startswith("audit chain intact"), intact.stdout + intact.stderr

    def tampered(statement):
        copy = tmp_path / f"copy-{abs(hash(statement))}"
        shutil.copytree(node.data_dir, copy)
        with sqlite3.connect(copy / "sesame.db") as db:
            ids = [row[0] for row in db.execute("SELECT id FROM audit_events ORDER BY id")]
            db.execute(statement.format(id=ids[2]))
        return Sesame(copy).cli("audit", "verify"), ids

    edited, ids = tampered("UPDATE audit_events SET subject = 'someone-else' WHERE id = {id}")
    assert edited.returncode == 1 and f"broken at event {ids[2]}" in edited.stdout and "changed" in edited.stdout
    deleted, ids = tampered("DELETE FROM audit_events WHERE id = {id}")
    assert deleted.returncode == 1 and f"broken at event {ids[3]}" in deleted.stdout
