"""The second-factor seam, end to end: a test-only factor (a fixed code from the environment),
plugged in with `--second-factor test` and nothing else, finishes a Chromium sign-in after the
password through the same sign-in transaction and routes as TOTP, and adds its `amr`. A server
without SESAME_TESTING=1 refuses to start with it."""

import json
import os
import sqlite3
import subprocess

import pytest
from selenium.webdriver.common.by import By

from conftest import SESAME_BIN, Sesame, sign_in
from test_browser import fill_and_submit
from test_two_factor import WRONG, type_code

CODE = "test-code-4242"
TEST_ENV = {"SESAME_TESTING": "1", "SESAME_TEST_SECOND_FACTOR_CODE": CODE, "SESAME_TEST_SECOND_FACTOR_USERS": "tex"}


@pytest.fixture(scope="module")
def sesame(tmp_path_factory):
    instance = Sesame(tmp_path_factory.mktemp("sesame") / "data", serve_args=["--second-factor", "test"])
    saved = dict(os.environ)
    os.environ.update(TEST_ENV)  # the server inherits it when started
    try:
        instance.start()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    yield instance
    assert instance.stop() == 0, instance.log_text()


def session_methods(sesame, username):
    user_id = sesame.show(username)["id"]
    db = sqlite3.connect(f"file:{sesame.data_dir / 'sesame.db'}?mode=ro", uri=True)
    try:
        return [json.loads(row[0]) for row in db.execute("SELECT auth_methods FROM sessions WHERE user_id = ?", (user_id,))]
    finally:
        db.close()


def test_a_configured_test_factor_finishes_a_browser_sign_in(sesame, browser):
    sesame.add_user("tex", "tex-pass")
    browser.delete_all_cookies()
    fill_and_submit(browser, sesame.base, "tex", "tex-pass")
    assert "/login/two-factor" in browser.current_url
    assert "Enter the test code." in browser.find_element(By.TAG_NAME, "main").text
    type_code(browser, "not-the-code")
    assert browser.find_element(By.CSS_SELECTOR, "p.error").text == WRONG
    type_code(browser, CODE)
    assert browser.current_url == sesame.base + "/account"
    assert session_methods(sesame, "tex") == [["pwd", "pin", "mfa"]]


def test_people_the_factor_is_not_enrolled_for_sign_in_with_the_password(sesame):
    sesame.add_user("una", "una-pass")
    _, response = sign_in(sesame.base, "una", "una-pass")
    assert response.status_code == 303 and response.headers["Location"] == "/account"
    assert session_methods(sesame, "una") == [["pwd"]]


def test_the_test_factor_needs_sesame_testing(tmp_path):
    plain = Sesame(tmp_path / "data", serve_args=["--second-factor", "test"])
    env = {k: v for k, v in os.environ.items() if k != "SESAME_TESTING"}
    env.update({"SESAME_TEST_SECOND_FACTOR_CODE": CODE, "SESAME_TEST_SECOND_FACTOR_USERS": "tex"})
    result = subprocess.run(
        [SESAME_BIN, "serve", *plain.common, "--listen", f"127.0.0.1:{plain.port}", *plain.serve_args],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "needs SESAME_TESTING=1" in result.stdout + result.stderr
