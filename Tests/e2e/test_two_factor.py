"""Two-step verification with a real browser and pyotp as the phone: enrol from the account page,
sign in with a code, refuse a replayed code, use a recovery code once, policy and reset."""

import json
import sqlite3
import subprocess
import time

import pyotp
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet
from selenium.webdriver.common.by import By

from conftest import click_and_wait, sign_in
from oidc_helpers import Person
from test_browser import fill_and_submit

WRONG = "That code is not right, or was used already."


def type_code(browser, code):
    field = browser.find_element(By.NAME, "code")
    field.clear()
    field.send_keys(code)
    click_and_wait(browser, "form button[type=submit]")


def sign_out(browser, base):
    browser.get(base + "/account")
    click_and_wait(browser, "#logout-form button")


def audit_types(sesame):
    db = sqlite3.connect(f"file:{sesame.data_dir / 'sesame.db'}?mode=ro", uri=True)
    rows = [row[0] for row in db.execute("SELECT type FROM audit_events")]
    db.close()
    return rows


def next_code(totp, used):
    """A code for a time step not used yet (waits for the next step when needed)."""
    while True:
        code = totp.now()
        if code not in used:
            used.add(code)
            return code
        time.sleep(1)


def test_enrol_sign_in_replay_and_recovery_codes(sesame, browser, tmp_path):
    sesame.add_user("tina", "tina-pass", "--email", "tina@example.com")
    browser.delete_all_cookies()
    fill_and_submit(browser, sesame.base, "tina", "tina-pass")
    assert browser.find_element(By.ID, "two-factor").text.startswith("Off")
    browser.get(sesame.base + "/account/two-factor")

    # The QR code on the page is Sesame's own SVG; zbarimg reads the otpauth URI from it.
    svg = browser.find_element(By.CSS_SELECTOR, "#qr svg").get_attribute("outerHTML")
    uri = browser.find_element(By.ID, "otpauth-uri").get_attribute("href")
    (tmp_path / "qr.svg").write_text(svg)
    subprocess.run(["rsvg-convert", "-w", "600", "-b", "white", str(tmp_path / "qr.svg"), "-o", str(tmp_path / "qr.png")], check=True)
    decoded = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "qr.png")], capture_output=True, text=True).stdout.strip()
    assert decoded == uri and uri.startswith("otpauth://totp/Sesame:tina?secret=")

    secret = browser.find_element(By.ID, "secret").text
    totp = pyotp.TOTP(secret)
    assert pyotp.parse_uri(uri).secret == secret
    used = set()
    type_code(browser, "000000" if totp.now() != "000000" else "111111")
    assert browser.find_element(By.CSS_SELECTOR, "p.error").text == WRONG
    secret = browser.find_element(By.ID, "secret").text  # each showing makes a new secret
    totp = pyotp.TOTP(secret)
    type_code(browser, next_code(totp, used))
    codes = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "#recovery-codes li")]
    assert len(codes) == 10
    click_and_wait(browser, "#continue")
    browser.get(sesame.base + "/account/two-factor")
    assert browser.find_element(By.ID, "recovery-left").text == "10"
    assert secret not in browser.page_source  # never shown again

    # Sign out, sign in with the password and a code from the phone.
    sign_out(browser, sesame.base)
    fill_and_submit(browser, sesame.base, "tina", "tina-pass")
    assert "/login/two-factor" in browser.current_url
    code = next_code(totp, used)
    type_code(browser, code)
    assert browser.current_url == sesame.base + "/account"

    # The same code again, in the same 30 s step, is a replay.
    sign_out(browser, sesame.base)
    fill_and_submit(browser, sesame.base, "tina", "tina-pass")
    type_code(browser, code)
    assert browser.find_element(By.CSS_SELECTOR, "p.error").text == WRONG

    # A recovery code works instead, once.
    type_code(browser, codes[0])
    assert browser.current_url == sesame.base + "/account"
    sign_out(browser, sesame.base)
    fill_and_submit(browser, sesame.base, "tina", "tina-pass")
    type_code(browser, codes[0])
    assert browser.find_element(By.CSS_SELECTOR, "p.error").text == WRONG
    type_code(browser, codes[1])
    browser.get(sesame.base + "/account/two-factor")
    assert browser.find_element(By.ID, "recovery-left").text == "8"
    browser.get(sesame.base + "/account")
    assert browser.find_element(By.ID, "two-factor").text.startswith("On, 8 recovery codes left.")
    assert "two_factor.enrolled" in audit_types(sesame) and "two_factor.recovery_code_used" in audit_types(sesame)


def test_password_alone_is_not_a_session_when_two_factor_is_on(sesame):
    sesame.add_user("uri", "uri-pass")
    assert sesame.cli("user", "require-2fa", "uri").returncode == 0
    session, response = sign_in(sesame.base, "uri", "uri-pass")
    assert response.status_code == 303 and response.headers["Location"].startswith("/login/two-factor")
    assert "sesame_session" not in response.headers.get("Set-Cookie", "")
    assert session.get(sesame.base + "/account", allow_redirects=False).status_code == 303
    # Required but not enrolled: the second step is the enrolment page.
    page = session.get(sesame.base + response.headers["Location"])
    assert 'id="enrol-form"' in page.text and "requires two-step verification" in page.text
    # Another browser without the pending cookie gets nowhere.
    assert requests.get(sesame.base + "/login/two-factor", allow_redirects=False).headers["Location"] == "/login"


def test_required_by_role_and_reset_for_a_lost_phone(sesame):
    users = sesame.data_dir.parent / "staff.txt"
    users.write_text("vera:vera-pass:staff admin\n")
    assert sesame.cli("user", "import", str(users)).returncode == 0
    assert sign_in(sesame.base, "vera", "vera-pass")[1].headers["Location"] == "/account"
    assert sesame.cli("two-factor", "require-role", "admin").returncode == 0
    assert sign_in(sesame.base, "vera", "vera-pass")[1].headers["Location"].startswith("/login/two-factor")
    result = sesame.cli("user", "reset-2fa", "vera")
    assert result.returncode == 0 and "two_factor.reset" in audit_types(sesame)
    assert sesame.cli("user", "reset-2fa", "nobody").returncode != 0


def test_acr_values_two_gets_a_second_factor_and_the_id_token_says_so(sesame):
    sesame.add_user("wren", "wren-pass")
    # Enrol wren over HTTP: required, so the password leads to the enrolment page; then a pyotp code.
    assert sesame.cli("user", "require-2fa", "wren").returncode == 0
    session, response = sign_in(sesame.base, "wren", "wren-pass")
    page = session.get(sesame.base + response.headers["Location"]).text
    secret = page.split('<code id="secret">')[1].split("<")[0]
    totp = pyotp.TOTP(secret)
    used = set()
    from oidc_helpers import hidden_fields
    form = hidden_fields(page)
    form["code"] = next_code(totp, used)
    done = session.post(sesame.base + "/login/two-factor", data=form, allow_redirects=False)
    assert done.status_code == 200 and 'id="recovery-codes"' in done.text

    client = json.loads(sesame.cli("client", "add", "strong", "--first-party", "--json", "--redirect-uri", "http://127.0.0.1:9/cb").stdout)
    discovery = requests.get(sesame.base + "/.well-known/openid-configuration").json()
    assert discovery["acr_values_supported"] == ["1", "2"]
    oauth = OAuth2Session(client["client_id"], client["client_secret"], scope="openid", redirect_uri="http://127.0.0.1:9/cb",
                          code_challenge_method="S256")
    verifier = generate_token(48)
    url, _ = oauth.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier, acr_values="2")
    landed = Person(sesame.base, "wren", "wren-pass", second_factor=lambda: next_code(totp, used)).authorize(url)
    token = oauth.fetch_token(discovery["token_endpoint"], authorization_response=landed, code_verifier=verifier)
    claims = jwt.decode(token["id_token"], KeySet.import_key_set(requests.get(discovery["jwks_uri"]).json())).claims
    assert claims["acr"] == "2" and claims["amr"] == ["pwd", "otp", "mfa"]
