"""Sign-in rules the other files leave out: the lockout count resets on success, the CSRF cookie
is needed as well as the token, refusal pages are hardened HTML, and the form carries return_to."""

import html
import re

import requests

from conftest import csrf_token, sign_in

INCORRECT = '<p class="error" role="alert">Incorrect username or password.</p>'
THROTTLED = '<p class="error" role="alert">Too many failed sign-ins. Try again later.</p>'


def assert_hardened_html(response):
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Referrer-Policy" in response.headers and "default-src" in response.headers["Content-Security-Policy"]


def test_a_success_resets_the_failure_count(sesame):
    sesame.add_user("rosa", "rosa-pass")
    for _ in range(4):
        assert sign_in(sesame.base, "rosa", "wrong")[1].status_code == 401
    assert sign_in(sesame.base, "rosa", "rosa-pass")[1].status_code == 303
    for _ in range(4):
        assert sign_in(sesame.base, "rosa", "wrong")[1].status_code == 401
    assert sign_in(sesame.base, "rosa", "rosa-pass")[1].status_code == 303  # 4 in a row, not 8


def test_fifth_failure_locks_the_account_with_429(sesame):
    sesame.add_user("sven", "sven-pass")
    for _ in range(5):
        _, failed = sign_in(sesame.base, "sven", "wrong")
        assert failed.status_code == 401 and INCORRECT in failed.text
    _, locked = sign_in(sesame.base, "sven", "sven-pass")
    assert locked.status_code == 429 and THROTTLED in locked.text
    assert "sesame_session" not in locked.headers.get("Set-Cookie", "")
    assert_hardened_html(locked)
    # Another account is not affected by sven's lock.
    sesame.add_user("tara", "tara-pass")
    assert sign_in(sesame.base, "tara", "tara-pass")[1].status_code == 303


def test_failed_sign_in_shows_the_form_again(sesame):
    _, failed = sign_in(sesame.base, "nobody-here", "whatever")
    assert failed.status_code == 401 and INCORRECT in failed.text
    assert_hardened_html(failed)
    assert 'id="login-form"' in failed.text and csrf_token(failed.text)


def test_token_without_its_cookie_is_refused(sesame):
    sesame.add_user("uma", "uma-pass")
    token = csrf_token(requests.get(sesame.base + "/login").text)  # the cookie that goes with it is dropped
    refused = requests.post(sesame.base + "/login", data={"csrf_token": token, "username": "uma", "password": "uma-pass"},
                            allow_redirects=False)
    assert refused.status_code == 403
    assert_hardened_html(refused)


def test_session_cookie_is_scoped_to_the_whole_site(sesame):
    sesame.add_user("vera", "vera-pass")
    _, response = sign_in(sesame.base, "vera", "vera-pass")
    cookie = next(c for c in response.raw.headers.getlist("Set-Cookie") if c.startswith("sesame_session="))
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
    assert attributes["path"] == "Path=/"
    assert "secure" not in attributes and "httponly" in attributes and attributes["samesite"].lower() == "samesite=lax"


def test_the_form_carries_return_to_through_sign_in(sesame):
    sesame.add_user("walt", "walt-pass")
    session = requests.Session()
    page = session.get(sesame.base + "/login", params={"return_to": "/account?tab=2"})
    form = re.search(r'<form id="login-form" method="post" action="/login">', page.text)
    assert form, page.text
    hidden = re.search(r'name="return_to" value="([^"]*)"', page.text)
    assert hidden and html.unescape(hidden.group(1)) == "/account?tab=2"
    _, response = sign_in(sesame.base, "walt", "walt-pass", return_to=html.unescape(hidden.group(1)), session=session)
    assert response.status_code == 303 and response.headers["Location"] == "/account?tab=2"


def test_signed_out_account_sends_you_to_sign_in(sesame):
    response = requests.get(sesame.base + "/account", allow_redirects=False)
    assert response.status_code == 303
    assert response.headers["Location"] in ("/login?return_to=%2Faccount", "/login?return_to=/account")
