"""Primary authenticators end to end: a person without a local password signs in through the
test-only authenticator, plugged in by configuration alone; the local password stays first; the
test-only one is refused outside tests."""

import subprocess

from selenium.webdriver.common.by import By

from conftest import SESAME_BIN, Sesame, free_port, sign_in
from test_audit import wait_for
from test_browser import fill_and_submit

SECRET = "kept-outside-the-store"


def enable_test_authenticator(monkeypatch):
    monkeypatch.setenv("SESAME_TESTING", "1")
    monkeypatch.setenv("SESAME_TEST_AUTHENTICATOR_LOGIN", "nora")
    monkeypatch.setenv("SESAME_TEST_AUTHENTICATOR_PASSWORD", SECRET)


def test_a_person_without_a_local_password_signs_in_through_the_test_authenticator(tmp_path, browser, monkeypatch):
    enable_test_authenticator(monkeypatch)
    config = tmp_path / "sesame.yaml"
    config.write_text("authenticators: [local, test]\n")
    node = Sesame(tmp_path / "data", common=["--config", str(config)])
    created = node.cli("user", "add", "nora", "--no-password", "--email", "nora@example.com")
    assert created.returncode == 0, created.stderr
    assert node.show("nora")["password_scheme"] is None
    assert "password:  none" in node.cli("user", "show", "nora").stdout
    node.add_user("olga", "olga-password")
    node.start()
    try:
        browser.delete_all_cookies()
        fill_and_submit(browser, node.base, "nora", SECRET)
        assert browser.current_url == node.base + "/account"
        assert browser.find_element(By.ID, "username").text == "nora"
        succeeded = wait_for(node, "sign_in.succeeded")[0]
        assert succeeded["subject"] == node.show("nora")["id"] and succeeded["detail"] == "authenticator=test"

        # Over HTTP: a wrong password is refused like any other, and is audited with its reason.
        _, refused = sign_in(node.base, "nora", SECRET + "x")
        assert refused.status_code == 401 and "Incorrect username or password." in refused.text
        assert wait_for(node, "sign_in.failed")[0]["detail"] == "reason=wrong_password"

        # The local password is asked first: it alone decides for a person who has one.
        _, olga = sign_in(node.base, "olga", "olga-password")
        assert olga.status_code == 303
        _, olga_other = sign_in(node.base, "olga", SECRET)
        assert olga_other.status_code == 401
        assert node.show("nora")["password_scheme"] is None, "signing in elsewhere stores no password"
    finally:
        assert node.stop() == 0, node.log_text()


def test_without_the_test_authenticator_a_person_without_a_password_cannot_sign_in_until_given_one(tmp_path):
    node = Sesame(tmp_path / "data")
    assert node.cli("user", "add", "pia", "--no-password").returncode == 0
    node.start()
    try:
        for password in ("", "anything", SECRET):
            _, refused = sign_in(node.base, "pia", password)
            assert refused.status_code == 401, password
        assert [e["detail"] for e in wait_for(node, "sign_in.failed", 3)] == ["reason=no_password"] * 3
        given = node.cli("user", "set-password", "pia", "--password-stdin", input="pia-password\n")
        assert given.returncode == 0, given.stderr
        assert node.show("pia")["password_scheme"] == "scrypt"
        _, accepted = sign_in(node.base, "pia", "pia-password")
        assert accepted.status_code == 303
    finally:
        assert node.stop() == 0, node.log_text()


def serve_refused(tmp_path, *args, env=None):
    data = tmp_path / "data"
    result = subprocess.run(
        [SESAME_BIN, "serve", "--data-dir", str(data), "--listen", f"127.0.0.1:{free_port()}", *args],
        capture_output=True, text=True, timeout=60, env=env,
    )
    assert result.returncode != 0
    return result.stderr


def test_the_test_authenticator_is_refused_outside_tests(tmp_path, monkeypatch):
    monkeypatch.delenv("SESAME_TESTING", raising=False)
    monkeypatch.setenv("SESAME_TEST_AUTHENTICATOR_LOGIN", "nora")
    monkeypatch.setenv("SESAME_TEST_AUTHENTICATOR_PASSWORD", SECRET)
    assert "SESAME_TESTING=1" in serve_refused(tmp_path, "--authenticator", "local", "--authenticator", "test")
    monkeypatch.setenv("SESAME_AUTHENTICATORS", "local,ldap")
    assert "unknown authenticator 'ldap'" in serve_refused(tmp_path)
