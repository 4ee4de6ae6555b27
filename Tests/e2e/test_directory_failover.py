"""Two real slapd with the same data (scripts/ldap-servers): when the first hangs (SIGSTOP: its
sockets stay open, nothing answers) sign-ins go on through the second within the time-out, and
come back to the first once it answers again. When no directory server can be reached, the
person reads a clear message (503) and is NOT signed in with a local password, even when a local
account has the same username."""

import time

import pytest
import requests

from conftest import sign_in
from test_audit import wait_for
from directory_helpers import add_openldap_directory, directory_sesame, env, need_openldap, page_error, slapd_pids, stopped

UNREACHABLE = "The directory cannot be reached right now"


@pytest.fixture
def pair(tmp_path):
    need_openldap()
    sesame = directory_sesame(tmp_path)
    add_openldap_directory(sesame, "corp", [env("SESAME_TEST_LDAPS_URL"), env("SESAME_TEST_LDAP2_URL_TLS")],
                           "--connect-timeout", "1", "--operation-timeout", "2")
    sesame.start()
    yield sesame
    assert sesame.stop() == 0, sesame.log_text()


def signs_in(sesame, username, password):
    started = time.monotonic()
    _, response = sign_in(sesame.base, username, password)
    return response.status_code, time.monotonic() - started


def test_sign_ins_go_on_through_the_second_server_while_the_first_hangs(pair):
    first, _ = slapd_pids()
    assert signs_in(pair, "alice", "alice-password")[0] == 303
    alice = pair.show("alice")["id"]
    with stopped(first):
        # The first sign-in may wait out the first server's time-out (2 s) plus a TLS connect to the second.
        code, took = signs_in(pair, "alice", "alice-password")
        assert code == 303 and took < 8, (code, took)
        # The next one, at once, skips the server that failed (it is backing off for a second at
        # least) and is quick; later ones may try it again after the back-off, within the time-out.
        code, took = signs_in(pair, "bob", "bob-password")
        assert code == 303 and took < 1.5, (code, took)
        for username in ("carol", "alice"):
            code, took = signs_in(pair, username, f"{username}-password")
            assert code == 303 and took < 8, (username, code, took)
        assert pair.show("alice")["id"] == alice, "same entryUUID on both servers: the same person"
        # The audit trail names the server that answered: the second one.
        succeeded = wait_for(pair, "sign_in.succeeded", 5)
        assert all(f"server={env('SESAME_TEST_LDAP2_URL_TLS')}" in e["detail"] for e in succeeded[1:]), succeeded
        assert f"server={env('SESAME_TEST_LDAPS_URL')}" in succeeded[0]["detail"]
        # A wrong password is still a wrong password (an answer, not a reason to fail over).
        assert signs_in(pair, "alice", "not-alice")[0] == 401
    # Back: signing in works whichever server is asked next.
    for _ in range(3):
        assert signs_in(pair, "alice", "alice-password")[0] == 303


def test_with_every_server_down_no_local_fallback_even_for_a_local_namesake(tmp_path):
    need_openldap()
    sesame = directory_sesame(tmp_path)
    # Nothing listens on these ports (scripts/ldap-servers never uses 38990-38999).
    add_openldap_directory(sesame, "corp", ["ldaps://127.0.0.1:38998", "ldaps://127.0.0.1:38999"],
                           "--connect-timeout", "1", "--operation-timeout", "2")
    sesame.add_user("alice", "local-alice-password")
    sesame.start()
    try:
        for password in ("local-alice-password", "alice-password"):
            session, response = sign_in(sesame.base, "alice", password)
            assert response.status_code == 503, (password, response.status_code)
            assert UNREACHABLE in page_error(response.text)
            assert session.get(sesame.base + "/account", allow_redirects=False).status_code == 303, "not signed in"
        failed = wait_for(sesame, "sign_in.failed", 2)
        assert all(e["detail"].startswith("reason=directory_unavailable") for e in failed), failed
        # /healthz stays 200: the server is up, only the directory is not.
        health = requests.get(sesame.base + "/healthz")
        assert health.status_code == 200
    finally:
        assert sesame.stop() == 0, sesame.log_text()


def test_a_hung_single_server_gives_the_clear_message_within_the_time_out(tmp_path):
    need_openldap()
    sesame = directory_sesame(tmp_path)
    add_openldap_directory(sesame, "corp", [env("SESAME_TEST_LDAPS_URL")], "--connect-timeout", "1", "--operation-timeout", "2")
    sesame.start()
    try:
        first, _ = slapd_pids()
        assert signs_in(sesame, "dave", "dave-password")[0] == 303
        with stopped(first):
            started = time.monotonic()
            _, response = sign_in(sesame.base, "dave", "dave-password")
            took = time.monotonic() - started
            assert response.status_code == 503 and UNREACHABLE in page_error(response.text)
            assert took < 8, took
        # Answering again: signing in works again (after the back-off, at most a few seconds).
        deadline = time.time() + 15
        while signs_in(sesame, "dave", "dave-password")[0] != 303:
            assert time.time() < deadline, "the server was not tried again"
            time.sleep(0.5)
    finally:
        assert sesame.stop() == 0, sesame.log_text()


def test_sign_ins_under_way_when_the_first_server_hangs_all_succeed(pair):
    """Four people signing in over and over; the first slapd is stopped mid-run and resumed:
    every sign-in succeeds, none waits much longer than the operation time-out."""
    import threading

    first, _ = slapd_pids()
    results, stop = [], threading.Event()

    def keep_signing_in(username):
        while not stop.is_set():
            results.append((username, *signs_in(pair, username, f"{username}-password")))

    workers = [threading.Thread(target=keep_signing_in, args=(name,)) for name in ("alice", "bob", "carol", "dave")]
    for worker in workers:
        worker.start()
    try:
        time.sleep(1.5)
        before = len(results)
        with stopped(first):
            time.sleep(4)
        time.sleep(1.5)
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=30)
    assert before > 0 and len(results) > before + 8, (before, len(results))
    assert all(code == 303 for _, code, _ in results), [r for r in results if r[1] != 303]
    assert max(took for _, _, took in results) < 8, max(took for _, _, took in results)
