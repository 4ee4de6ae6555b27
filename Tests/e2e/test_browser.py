"""A person in a real (headless) Chromium: sign in, see the account, sign out, mistype, get throttled."""

import time

from selenium.webdriver.common.by import By

from conftest import click_and_wait


def fill_and_submit(browser, base, username, password):
    browser.get(base + "/login")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(password)
    click_and_wait(browser, "#login-form button[type=submit]")


def error_text(browser):
    return browser.find_element(By.CSS_SELECTOR, "p.error[role=alert]").text


def test_sign_in_account_and_sign_out(sesame, browser):
    sesame.add_user("alice", "alice-pass-1", "--email", "alice@example.com", "--name", "Alice Liddell")
    browser.delete_all_cookies()
    browser.get(sesame.base + "/account")
    assert "/login" in browser.current_url  # signed out: sent to the sign-in page

    fill_and_submit(browser, sesame.base, "alice", "alice-pass-1")
    assert browser.current_url == sesame.base + "/account"
    assert browser.find_element(By.ID, "username").text == "alice"
    assert browser.find_element(By.ID, "name").text == "Alice Liddell"
    assert browser.find_element(By.ID, "email").text == "alice@example.com"
    cookie = browser.get_cookie("sesame_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

    click_and_wait(browser, "#logout-form button")
    assert "/login" in browser.current_url
    assert browser.get_cookie("sesame_session") is None
    browser.get(sesame.base + "/account")
    assert "/login" in browser.current_url


def test_sign_in_by_email_returns_to_the_page_asked_for(sesame, browser):
    sesame.add_user("bea", "bea-pass", "--email", "bea@example.com")
    browser.delete_all_cookies()
    browser.get(sesame.base + "/account")  # redirected to /login?return_to=%2Faccount
    browser.find_element(By.NAME, "username").send_keys("BEA@example.com")
    browser.find_element(By.NAME, "password").send_keys("bea-pass")
    click_and_wait(browser, "#login-form button[type=submit]")
    assert browser.current_url == sesame.base + "/account"
    assert browser.find_element(By.ID, "username").text == "bea"


def test_groups_and_roles_are_shown(sesame, browser, tmp_path):
    users = tmp_path / "users.txt"
    users.write_text("cleo:cleo-pass:staff editor admin\n")
    assert sesame.cli("user", "import", str(users)).returncode == 0
    browser.delete_all_cookies()
    fill_and_submit(browser, sesame.base, "cleo", "cleo-pass")
    groups = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#groups li")]
    roles = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#roles li")]
    assert groups == ["staff"]
    assert sorted(roles) == ["admin", "editor"]


def test_wrong_password_then_throttled_then_allowed_again(sesame, browser):
    sesame.add_user("dora", "dora-pass")
    browser.delete_all_cookies()
    fill_and_submit(browser, sesame.base, "dora", "not-her-password")
    assert error_text(browser) == "Incorrect username or password."
    fill_and_submit(browser, sesame.base, "nobody-like-this", "dora-pass")
    assert error_text(browser) == "Incorrect username or password."  # same words for an unknown user

    for _ in range(4):
        fill_and_submit(browser, sesame.base, "dora", "not-her-password")
        assert error_text(browser) == "Incorrect username or password."
    fill_and_submit(browser, sesame.base, "dora", "dora-pass")  # right password, but locked for 1 s
    assert error_text(browser) == "Too many failed sign-ins. Try again later."
    time.sleep(1.5)
    fill_and_submit(browser, sesame.base, "dora", "dora-pass")
    assert browser.current_url == sesame.base + "/account"


def test_page_fits_a_phone(sesame, browser):
    browser.set_window_size(390, 844)
    try:
        browser.delete_all_cookies()
        browser.get(sesame.base + "/login")
        field = browser.find_element(By.NAME, "username")
        assert field.size["width"] <= 390
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    finally:
        browser.set_window_size(1280, 900)
