"""The `sesame` command line: user management, its errors, and the server's start and stop."""

import json
import os
import signal
import stat
import threading

import requests

from conftest import latest_schema_version, sign_in


def test_user_round_trip(sesame):
    sesame.add_user("mia", "first-pw", "--email", "mia@example.com", "--name", "Mia M")
    listed = json.loads(sesame.cli("user", "list", "--json").stdout)
    assert "mia" in [u["username"] for u in listed]
    assert "password_hash" not in json.dumps(listed) and "$scrypt$" not in json.dumps(listed)
    shown = sesame.show("mia")
    assert shown["email"] == "mia@example.com" and shown["name"] == "Mia M" and shown["disabled"] is False
    assert "mia" in sesame.cli("user", "list").stdout

    assert sesame.cli("user", "set-password", "mia", "--password-stdin", input="second-pw\n").returncode == 0
    assert sign_in(sesame.base, "mia", "first-pw")[1].status_code == 401
    assert sign_in(sesame.base, "mia", "second-pw")[1].status_code == 303

    assert sesame.cli("user", "disable", "mia").returncode == 0
    assert sesame.show("mia")["disabled"] is True
    _, refused = sign_in(sesame.base, "mia", "second-pw")
    assert refused.status_code == 401 and "Incorrect username or password." in refused.text
    assert sesame.cli("user", "enable", "mia").returncode == 0
    assert sign_in(sesame.base, "mia", "second-pw")[1].status_code == 303

    assert sesame.cli("user", "delete", "mia").returncode == 0
    assert sesame.cli("user", "show", "mia").returncode != 0


def test_generated_password_is_printed_once_and_works(sesame):
    result = sesame.cli("user", "add", "nina")
    assert result.returncode == 0
    password = result.stdout.strip().rsplit(" ", 1)[-1]
    assert len(password) >= 20
    assert sign_in(sesame.base, "nina", password)[1].status_code == 303
    assert password not in sesame.cli("user", "show", "nina").stdout


def test_bad_input_is_one_line_error_and_nonzero_exit(sesame):
    sesame.add_user("olga", "olga-password", "--email", "olga@example.com")
    good = "a-good-password\n"
    cases = [
        (("user", "show", "ghost"), None),
        (("user", "delete", "ghost"), None),
        (("user", "set-password", "ghost", "--password-stdin"), good),
        (("user", "add", "olga", "--password-stdin"), good),
        (("user", "add", "OLGA", "--password-stdin"), good),
        (("user", "add", "olga2", "--email", "OLGA@example.com", "--password-stdin"), good),
        (("user", "add", "pat", "--password-stdin"), "\n"),
        (("user", "add", "pat", "--password-stdin"), ""),
        (("user", "add", "pat", "--password-stdin"), "7-chars\n"),
        (("user", "add", "pat", "--password-stdin"), "x" * 1025 + "\n"),
        (("user", "set-password", "olga", "--password-stdin"), "short\n"),
        (("user", "add", "pat", "--email", "not-an-email", "--password-stdin"), good),
        (("user", "add", "bad name", "--password-stdin"), good),
        (("user", "import", "/no/such/file"), None),
    ]
    for args, stdin in cases:
        result = sesame.cli(*args, input=stdin)
        assert result.returncode != 0, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (args, result.stderr)
    assert sesame.cli("user", "show", "pat").returncode != 0
    # The same rule as the admin API: 8 to 1024 characters; the refused change kept the old password.
    assert "8 to 1024 characters" in sesame.cli("user", "add", "pat", "--password-stdin", input="7-chars\n").stderr
    assert sign_in(sesame.base, "olga", "olga-password")[1].status_code == 303


def test_first_start_creates_data_dir_key_and_database(fresh_sesame):
    fresh_sesame.start()
    try:
        data = fresh_sesame.data_dir
        key = data / "data.key"
        assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
        assert key.stat().st_size == 32
        assert (data / "sesame.db").exists()
        assert (data / "sesame.db-wal").exists()  # WAL mode
        assert "signing key ready" in fresh_sesame.log_text() and "ES256" in fresh_sesame.log_text()
        assert fresh_sesame.cli("migrate").stdout.strip() == f"schema at version {latest_schema_version()}"
    finally:
        assert fresh_sesame.stop() == 0


def test_environment_and_config_file(fresh_sesame, tmp_path):
    config = tmp_path / "sesame.yaml"
    config.write_text(f"data-dir: {fresh_sesame.data_dir}\nlog-level: warning\n")
    result = fresh_sesame.cli("user", "add", "quinn", "--password-stdin", input="quinn-password\n")  # creates the dir
    assert result.returncode == 0
    import subprocess
    from conftest import SESAME_BIN
    via_config = subprocess.run([SESAME_BIN, "user", "list", "--config", str(config)], capture_output=True, text=True)
    assert "quinn" in via_config.stdout
    via_env = subprocess.run([SESAME_BIN, "user", "list"], capture_output=True, text=True,
                             env={**os.environ, "SESAME_DATA_DIR": str(fresh_sesame.data_dir)})
    assert "quinn" in via_env.stdout
    config.write_text("colour: blue\n")
    bad = subprocess.run([SESAME_BIN, "user", "list", "--config", str(config)], capture_output=True, text=True)
    assert bad.returncode != 0 and "unknown key 'colour'" in bad.stderr


def test_sigint_and_sigterm_stop_cleanly_after_in_flight_requests(fresh_sesame, tmp_path):
    from passlib.hash import django_pbkdf2_sha256
    # A deliberately slow imported hash keeps one sign-in in flight long enough to signal during it.
    users_file = tmp_path / "slow.txt"
    users_file.write_text("rita:" + django_pbkdf2_sha256.using(rounds=3_000_000).hash("rita-pw") + "\n")
    assert fresh_sesame.cli("user", "import", str(users_file)).returncode == 0
    fresh_sesame.start()
    assert fresh_sesame.stop(signal.SIGINT) == 0
    assert "store closed" in fresh_sesame.log_text()

    fresh_sesame.start()
    results = []
    session = requests.Session()
    page = session.get(fresh_sesame.base + "/login")
    from conftest import csrf_token
    form = {"csrf_token": csrf_token(page.text), "username": "rita", "password": "rita-pw"}
    # A sign-in (one scrypt hash) is in flight when SIGTERM arrives; it still gets its answer.
    worker = threading.Thread(target=lambda: results.append(
        session.post(fresh_sesame.base + "/login", data=form, allow_redirects=False).status_code))
    worker.start()
    import time
    time.sleep(0.3)
    assert fresh_sesame.stop(signal.SIGTERM) == 0
    worker.join(timeout=10)
    assert results == [303]
    log = fresh_sesame.log_text()
    assert log.index("POST /login 303") < log.index("store closed")
