"""Sign-in security over real HTTP: second-step codes cannot be guessed by re-typing the
password, the "just signed in" marker works only on the way straight back in the browser and
for the app it was made for, what strangers type is stored bounded, a new session id at each
sign-in, and an in-flight sign-in's audit event survives SIGTERM."""

import json
import re
import signal
import sqlite3
import threading
import time
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlencode, urljoin, urlparse

import pyotp
import pytest
import requests

from conftest import Sesame, csrf_token, sign_in
from oidc_helpers import Person, hidden_fields

REDIRECT = "http://127.0.0.1:9/callback"  # never contacted: the flow stops at the redirect
CAS_APP = "http://127.0.0.1:9/app/"
CAS_OTHER = "http://127.0.0.1:9/other/"
NS = {"cas": "http://www.yale.edu/tp/cas"}


@pytest.fixture(scope="module")
def sesame(tmp_path_factory):
    instance = Sesame(tmp_path_factory.mktemp("sesame") / "data")
    instance.start()
    yield instance
    assert instance.stop() == 0, instance.log_text()


def export(node, *args):
    result = node.cli("audit", "export", *args)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def wait_for(node, event_type, count):
    deadline = time.time() + 5
    while time.time() < deadline:
        events = export(node, "--type", event_type)
        if len(events) >= count:
            return events
        time.sleep(0.1)
    raise AssertionError(f"fewer than {count} {event_type} events: {export(node, '--type', event_type)}")


def db_rows(node, sql):
    db = sqlite3.connect(f"file:{node.data_dir / 'sesame.db'}?mode=ro", uri=True)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def enrol(sesame, username, password):
    """Turns on two-step verification for `username` over HTTP; returns the authenticator."""
    session, response = sign_in(sesame.base, username, password)
    assert response.status_code == 303
    page = session.get(sesame.base + "/account/two-factor")
    totp = pyotp.TOTP(re.search(r'<code id="secret">([A-Z2-7]+)</code>', page.text).group(1))
    done = session.post(sesame.base + "/account/two-factor", data={"csrf_token": csrf_token(page.text), "code": totp.now()})
    assert done.status_code == 200 and 'id="recovery-codes"' in done.text
    return totp


def password_step(sesame, username, password):
    """Signs in with the password; returns the browser and its second-step page (or the refusal)."""
    session, response = sign_in(sesame.base, username, password)
    if response.status_code != 303:
        return session, response
    assert response.headers["Location"].startswith("/login/two-factor")
    return session, session.get(urljoin(sesame.base, response.headers["Location"]))


def type_code(sesame, session, page, code):
    form = hidden_fields(page.text)
    form["code"] = code
    return session.post(sesame.base + "/login/two-factor", data=form, allow_redirects=False)


def test_retyping_the_password_buys_no_more_code_guesses(sesame):
    """Issue 13 point 2: a right password used to reset the count wrong codes raised."""
    sesame.add_user("gina", "gina-pass")
    totp = enrol(sesame, "gina", "gina-pass")
    wrong = lambda: "000000" if totp.now() != "000000" else "111111"  # noqa: E731
    guesses = 0
    answers = []
    # Password, two wrong codes, password again, two wrong codes...: the old way round the limit.
    for _ in range(3):
        session, page = password_step(sesame, "gina", "gina-pass")
        if page.status_code == 429:
            answers.append("password refused")
            break
        for _ in range(2):
            answer = type_code(sesame, session, page, wrong())
            guesses += 1
            answers.append(answer.status_code)
            if answer.status_code == 429:
                assert "Too many wrong codes" in answer.text and answer.headers["Retry-After"] == "1"
                # That half sign-in is over: even the right code now goes back to the password.
                ended = type_code(sesame, session, page, totp.now())
                assert ended.status_code == 303 and ended.headers["Location"] == "/login"
                break
    assert answers == [401, 401, 401, 401, 429], answers
    assert guesses == 5
    # Locked for the password step too, until the delay has passed.
    _, refused = password_step(sesame, "gina", "gina-pass")
    assert refused.status_code == 429
    time.sleep(1.2)
    session, page = password_step(sesame, "gina", "gina-pass")
    assert page.status_code == 200 and 'id="two-factor-form"' in page.text
    # One more guess after the wait, then a longer wait.
    answer = type_code(sesame, session, page, wrong())
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "2"
    guesses += 1
    failed = wait_for(sesame, "two_factor.failed", guesses)
    gina = sesame.show("gina")["id"]
    assert len(failed) == guesses and all(e["subject"] == gina and e["client_address"] == "127.0.0.1" for e in failed)
    assert [e["detail"] for e in failed] == [f"reason=wrong_code failures={n}" for n in range(1, guesses + 1)]
    assert {e["detail"] for e in wait_for(sesame, "two_factor.locked_out", 2)} >= {"reason=failures failures=5", "reason=failures failures=6"}
    # After the wait, the right code still works.
    time.sleep(2.2)
    session, page = password_step(sesame, "gina", "gina-pass")
    done = type_code(sesame, session, page, totp.at(time.time() + 30))  # the next step's code: the enrolment's is spent
    assert done.status_code == 303 and done.headers["Location"] == "/account"


def authorize_url(sesame, client_id, **extra):
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT, "scope": "openid",
              "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method": "S256", **extra}
    return sesame.base + "/authorize?" + urlencode(params)


def marker_in(location):
    """The fresh-sign-in marker in a redirect to the sign-in page."""
    back = parse_qs(urlparse(location).query)["return_to"][0]
    return parse_qs(urlparse(back).query)["sesame_auth_after"][0]


def add_client(sesame, name):
    result = sesame.cli("client", "add", name, "--json", "--redirect-uri", REDIRECT, "--first-party")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["client_id"]


def test_a_fresh_sign_in_marker_counts_only_for_its_browser_and_client(sesame):
    """Issue 13 point 5: the marker was a signed time, good in any browser for any client."""
    sesame.add_user("mark", "mark-pass")
    web, other = add_client(sesame, "marker-web"), add_client(sesame, "marker-other")
    person = Person(sesame.base, "mark", "mark-pass")
    assert person.authorize(authorize_url(sesame, web)).startswith(REDIRECT)
    forced = person.http.get(authorize_url(sesame, web, prompt="login"), allow_redirects=False)
    assert forced.status_code == 303 and forced.headers["Location"].startswith("/login?reauth=1")
    marker = marker_in(forced.headers["Location"])
    # The person signs in again and comes straight back: a code, no loop.
    assert person.authorize(urljoin(sesame.base, forced.headers["Location"])).startswith(REDIRECT + "?code=")

    # The same marker in another browser, signed in after it was made, does not skip prompt=login.
    stranger = Person(sesame.base, "mark", "mark-pass")
    assert stranger.authorize(authorize_url(sesame, web)).startswith(REDIRECT)
    replay = stranger.http.get(authorize_url(sesame, web, prompt="login", sesame_auth_after=marker), allow_redirects=False)
    assert replay.status_code == 303 and replay.headers["Location"].startswith("/login?reauth=1")
    # Nor, in the same browser, for another client.
    crossed = person.http.get(authorize_url(sesame, other, prompt="login", sesame_auth_after=marker), allow_redirects=False)
    assert crossed.status_code == 303 and crossed.headers["Location"].startswith("/login?reauth=1")
    # Nor max_age=0, which a fresh sign-in alone satisfies.
    aged = stranger.http.get(authorize_url(sesame, web, max_age="0", sesame_auth_after=marker), allow_redirects=False)
    assert aged.status_code == 303 and aged.headers["Location"].startswith("/login?reauth=1")


def test_a_marker_cannot_be_forged_through_a_chosen_csrf_cookie(sesame):
    """The old marker was a CSRF token for "auth_after:<time>", and any cookie of 32 characters
    or more was taken as the CSRF secret: a padded time in the cookie made the form's token a
    marker."""
    sesame.add_user("fred", "fred-pass")
    web = add_client(sesame, "forge-web")
    seconds = int(time.time()) - 5
    padded = f"{seconds:032d}"
    page = requests.get(sesame.base + "/login", headers={"Cookie": "sesame_csrf=auth_after:" + padded})
    assert "sesame_csrf=" in page.headers.get("Set-Cookie", ""), "a cookie Sesame did not make is replaced"
    forged = f"{padded}.{csrf_token(page.text)}"
    victim = Person(sesame.base, "fred", "fred-pass")
    assert victim.authorize(authorize_url(sesame, web)).startswith(REDIRECT)
    answer = victim.http.get(authorize_url(sesame, web, prompt="login", sesame_auth_after=forged), allow_redirects=False)
    assert answer.status_code == 303 and answer.headers["Location"].startswith("/login?reauth=1")


def test_cas_renew_with_a_stale_or_foreign_marker_is_no_new_login(sesame):
    sesame.add_user("cass", "cass-pass")
    for name, pattern in (("renew-app", CAS_APP), ("renew-other", CAS_OTHER)):
        added = sesame.cli("cas-service", "add", name, "--pattern", pattern)
        assert added.returncode == 0, added.stderr
    first, _ = sign_in(sesame.base, "cass", "cass-pass")
    forced = first.get(sesame.base + "/cas/login", params={"service": CAS_APP, "renew": "true"}, allow_redirects=False)
    assert forced.headers["Location"].startswith("/login?reauth=1")
    marker = marker_in(forced.headers["Location"])

    # Another browser signed in after the marker was made gets no ticket from it.
    second, _ = sign_in(sesame.base, "cass", "cass-pass")
    stolen = second.get(sesame.base + "/cas/login", params={"service": CAS_APP, "renew": "true", "sesame_auth_after": marker},
                        allow_redirects=False)
    assert stolen.headers["Location"].startswith("/login?reauth=1"), "no ticket claiming a new login"
    # Without renew a ticket is issued, but it does not claim a new login either.
    plain = second.get(sesame.base + "/cas/login", params={"service": CAS_APP, "sesame_auth_after": marker}, allow_redirects=False)
    ticket = parse_qs(urlparse(plain.headers["Location"]).query)["ticket"][0]
    root = ET.fromstring(requests.get(sesame.base + "/cas/p3/serviceValidate", params={"ticket": ticket, "service": CAS_APP}).text)
    assert root.find("cas:authenticationSuccess/cas:attributes/cas:isFromNewLogin", NS).text == "false"

    # The first browser signs in again and comes back: a new login, for that service only.
    page = first.get(sesame.base + forced.headers["Location"])
    form = hidden_fields(page.text)
    form.update(username="cass", password="cass-pass")
    back = first.post(sesame.base + "/login", data=form, allow_redirects=False)
    issued = first.get(sesame.base + back.headers["Location"], allow_redirects=False)
    assert issued.headers["Location"].startswith(CAS_APP)
    ticket = parse_qs(urlparse(issued.headers["Location"]).query)["ticket"][0]
    root = ET.fromstring(requests.get(sesame.base + "/cas/p3/serviceValidate", params={"ticket": ticket, "service": CAS_APP, "renew": "true"}).text)
    assert root.find("cas:authenticationSuccess/cas:attributes/cas:isFromNewLogin", NS).text == "true"
    other = first.get(sesame.base + "/cas/login", params={"service": CAS_OTHER, "renew": "true", "sesame_auth_after": marker},
                      allow_redirects=False)
    assert other.headers["Location"].startswith("/login?reauth=1")


def test_a_huge_username_is_stored_bounded(sesame):
    """Issue 13 point 7: a 60 KB username became a 60 KB throttle key."""
    before = db_rows(sesame, "SELECT COALESCE(SUM(LENGTH(key)), 0) FROM sign_in_failures")[0][0]
    huge = "u" * 60_000
    _, response = sign_in(sesame.base, huge, "whatever-pass")
    assert response.status_code == 401
    after = db_rows(sesame, "SELECT COALESCE(SUM(LENGTH(key)), 0) FROM sign_in_failures")[0][0]
    assert 0 < after - before < 200
    assert max(len(key) for (key,) in db_rows(sesame, "SELECT key FROM sign_in_failures")) < 100
    wait_for(sesame, "sign_in.failed", 1)
    longest = db_rows(sesame, "SELECT MAX(LENGTH(COALESCE(type,'')) + LENGTH(COALESCE(actor,'')) + LENGTH(COALESCE(subject,''))"
                              " + LENGTH(COALESCE(client_id,'')) + LENGTH(COALESCE(client_address,'')) + LENGTH(COALESCE(detail,'')))"
                              " FROM audit_events")[0][0]
    assert longest < 1024


def test_audit_fields_from_unauthenticated_requests_are_bounded(sesame):
    """Issue 13 point 7: a 60 KB `service` at /cas/serviceValidate went whole into the audit log."""
    huge = "https://app.example/" + "s" * 60_000
    answer = requests.get(sesame.base + "/cas/serviceValidate", params={"ticket": "ST-nothing", "service": huge})
    assert answer.status_code == 200 and "authenticationFailure" in answer.text
    failed = wait_for(sesame, "cas.validation_failed", 1)
    assert all(len(event.get("detail") or "") <= 1024 for event in failed)
    assert any((event.get("detail") or "").endswith("…") for event in failed), "cut, and marked as cut"
    longest = db_rows(sesame, "SELECT MAX(LENGTH(CAST(detail AS BLOB))) FROM audit_events")[0][0]
    assert longest <= 1024


def test_each_sign_in_gets_a_new_session_id(sesame):
    sesame.add_user("sid", "sid-pass")
    browser = requests.Session()
    page = browser.get(sesame.base + "/login")
    # A session cookie planted before the sign-in (by a sibling site, say) is not kept.
    first = browser.post(sesame.base + "/login", data={"csrf_token": csrf_token(page.text), "username": "sid", "password": "sid-pass"},
                         headers={"Cookie": f"sesame_csrf={browser.cookies.get('sesame_csrf')}; sesame_session=planted-by-someone-else"},
                         allow_redirects=False)
    assert first.status_code == 303
    one = first.cookies.get("sesame_session")
    assert one and one != "planted-by-someone-else"
    _, second = sign_in(sesame.base, "sid", "sid-pass", session=browser)
    two = second.cookies.get("sesame_session")
    assert two and two != one
    assert browser.get(sesame.base + "/account", allow_redirects=False).status_code == 200
    old = requests.get(sesame.base + "/account", cookies={"sesame_session": one}, allow_redirects=False)
    assert old.status_code == 303 and old.headers["Location"].startswith("/login")


def test_an_in_flight_sign_in_is_audited_after_sigterm(tmp_path):
    """Events are written in batches; the batch queued when SIGTERM arrives is written before the
    store closes, for every sign-in the server still answered."""
    node = Sesame(tmp_path / "data")
    node.add_user("tim", "tim-pass")
    node.start()
    browsers = []
    for _ in range(12):
        browser = requests.Session()
        browsers.append((browser, csrf_token(browser.get(node.base + "/login").text)))
    answered, after_signal = [], []
    signalled = threading.Event()

    def attempt(browser, token, index):
        try:
            response = browser.post(node.base + "/login", data={"csrf_token": token, "username": "tim", "password": f"wrong-{index}"},
                                    allow_redirects=False, timeout=30)
        except requests.RequestException:
            return  # not accepted before the server stopped listening
        answered.append(response.status_code)
        if signalled.is_set():
            after_signal.append(response.status_code)

    threads = [threading.Thread(target=attempt, args=(b, t, i)) for i, (b, t) in enumerate(browsers)]
    for thread in threads:
        thread.start()
    time.sleep(0.05)
    node.proc.send_signal(signal.SIGTERM)
    signalled.set()
    for thread in threads:
        thread.join()
    assert node.proc.wait(timeout=30) == 0, node.log_text()
    node.proc = None
    node.log.close()
    assert after_signal, "no sign-in was still in flight at SIGTERM (the test proved nothing)"
    stored = export(node, "--type", "sign_in.failed") + export(node, "--type", "sign_in.locked_out")
    assert len(stored) == len(answered), (sorted(answered), sorted((e["type"], e.get("detail")) for e in stored))
    # A periodic flush cancelled mid-transaction by SIGTERM once left the connection inside it.
    assert "could not be written" not in node.log_text()


def test_an_audit_write_that_fails_at_shutdown_is_logged(tmp_path):
    """The final flush used to drop its error silently (`try?`): events lost without a word."""
    node = Sesame(tmp_path / "data")
    node.add_user("lou", "lou-pass")
    node.start()
    db = sqlite3.connect(str(node.data_dir / "sesame.db"), timeout=10)
    db.execute("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(FAIL, 'audit refused for the test'); END")
    db.commit()
    db.close()
    _, response = sign_in(node.base, "lou", "wrong-pass")
    assert response.status_code == 401
    assert node.stop() == 0
    log = node.log_text()
    assert "audit events could not be written at shutdown" in log and "audit refused for the test" in log, log[-2000:]
