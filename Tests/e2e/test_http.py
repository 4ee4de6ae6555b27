"""The sign-in pages over plain HTTP: cookies, CSRF, redirects, headers and bad input."""

import requests

from conftest import csrf_token, sign_in


def test_healthz(sesame):
    response = requests.get(sesame.base + "/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_sign_in_sets_a_hardened_session_cookie(sesame):
    sesame.add_user("henry", "h-pass-1", "--email", "henry@example.com", "--name", "Henry")
    session, response = sign_in(sesame.base, "henry", "h-pass-1")
    assert response.status_code == 303
    assert response.headers["Location"] == "/account"
    set_cookie = response.headers["Set-Cookie"]
    assert set_cookie.startswith("sesame_session=")
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie and "Secure" not in set_cookie
    account = session.get(sesame.base + "/account")
    assert account.status_code == 200
    assert '<dd id="email">henry@example.com</dd>' in account.text


def test_security_headers_on_pages(sesame):
    for path in ("/login", "/account", "/healthz", "/missing"):
        headers = requests.get(sesame.base + path, allow_redirects=False).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
    css = requests.get(sesame.base + "/static/sesame.css")
    assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")


def test_csrf_is_required(sesame):
    sesame.add_user("ivy", "ivy-pass")
    session = requests.Session()
    session.get(sesame.base + "/login")
    missing = session.post(sesame.base + "/login", data={"username": "ivy", "password": "ivy-pass"}, allow_redirects=False)
    assert missing.status_code == 403
    wrong = session.post(sesame.base + "/login", data={"username": "ivy", "password": "ivy-pass", "csrf_token": "x" * 43},
                         allow_redirects=False)
    assert wrong.status_code == 403
    assert "sesame_session" not in wrong.headers.get("Set-Cookie", "")


def test_return_to_must_stay_on_sesame(sesame):
    sesame.add_user("jack", "jack-pass")
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        _, response = sign_in(sesame.base, "jack", "jack-pass", return_to=target)
        assert response.status_code == 303
        assert response.headers["Location"] == "/account", target
    _, response = sign_in(sesame.base, "jack", "jack-pass", return_to="/account?x=1")
    assert response.headers["Location"] == "/account?x=1"


def test_logout_kills_the_session_on_the_server(sesame):
    sesame.add_user("kim", "kim-pass")
    session, _ = sign_in(sesame.base, "kim", "kim-pass")
    old_cookie = session.cookies.get("sesame_session")
    account = session.get(sesame.base + "/account")
    out = session.post(sesame.base + "/logout", data={"csrf_token": csrf_token(account.text)}, allow_redirects=False)
    assert out.status_code == 303 and out.headers["Location"] == "/login"
    assert "Max-Age=0" in out.headers["Set-Cookie"]
    replay = requests.get(sesame.base + "/account", cookies={"sesame_session": old_cookie}, allow_redirects=False)
    assert replay.status_code == 303
    assert replay.headers["Location"].startswith("/login?return_to=")
    no_token = session.post(sesame.base + "/logout", data={}, allow_redirects=False)
    assert no_token.status_code == 403


def test_bad_input_gets_4xx_never_500(sesame):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    cases = [
        (b"username=%FF&password=x", 400),
        (b"username=%E2%28&password=x", 400),
        (b"username=%G1", 400),
        (b"a=" + b"b" * (70 * 1024), 413),
    ]
    for body, status in cases:
        response = requests.post(sesame.base + "/login", data=body, headers=form)
        assert response.status_code == status, body[:30]
        assert "Traceback" not in response.text and "Error(" not in response.text
    assert requests.post(sesame.base + "/login", data=b"{}", headers={"Content-Type": "application/json"}).status_code == 415
    page = requests.get(sesame.base + "/no/such/page")
    assert page.status_code == 404 and page.headers["Content-Type"].startswith("text/html")
    api = requests.get(sesame.base + "/no/such/page", headers={"Accept": "application/json"})
    assert api.status_code == 404 and api.json()["error"] == "not_found"


def test_request_log_has_one_line_per_request_and_no_secrets(sesame):
    sesame.add_user("leo", "leo-secret-pass")
    session, response = sign_in(sesame.base, "leo", "leo-secret-pass", return_to="/account?code=query-secret")
    session.get(sesame.base + "/account?token=query-secret")
    log = sesame.log_text()
    assert "POST /login 303" in log
    assert "GET /account 200" in log
    for secret in ("leo-secret-pass", session.cookies["sesame_session"], session.cookies["sesame_csrf"], "query-secret"):
        assert secret not in log
