"""The one sign-in policy through the real server: /authorize and /cas/login give the same answer
to the same question, each in its own protocol (the in-process suite tests every row; this checks
the silent outcomes over real HTTP)."""

import json
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from conftest import sign_in

REDIRECT = "http://127.0.0.1:9/callback"
SERVICE = "http://127.0.0.1:9/strict/"


def ok(result):
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def strict(sesame):
    """An OIDC client and a CAS service that both require a second factor, and a person signed in
    with a password alone."""
    client = json.loads(ok(sesame.cli("client", "add", "strict", "--json", "--first-party", "--redirect-uri", REDIRECT, "--require-2fa", "true")))
    ok(sesame.cli("cas-service", "add", "strict", "--pattern", SERVICE, "--require-2fa"))
    sesame.add_user("paula", "paula-pass")
    session, response = sign_in(sesame.base, "paula", "paula-pass")
    assert response.status_code == 303
    return sesame, client, session


def authorize(sesame, session, client, **extra):
    params = {"client_id": client["client_id"], "response_type": "code", "redirect_uri": REDIRECT, "scope": "openid", "state": "s", **extra}
    return session.get(sesame.base + "/authorize", params=params, allow_redirects=False)


def cas_login(sesame, session, **extra):
    return session.get(sesame.base + "/cas/login", params={"service": SERVICE, **extra}, allow_redirects=False)


def test_a_second_factor_is_asked_for_through_both_doors(strict):
    sesame, client, session = strict
    for response in (authorize(sesame, session, client), cas_login(sesame, session)):
        assert response.status_code in (302, 303)
        location = response.headers["Location"]
        assert location.startswith("/login?reauth=1&") and "&mfa=1" in location


def test_a_silent_request_gets_no_page_through_either_door(strict):
    sesame, client, session = strict
    silent = authorize(sesame, session, client, prompt="none")
    query = parse_qs(urlparse(silent.headers["Location"]).query)
    assert silent.headers["Location"].startswith(REDIRECT + "?") and query["error"] == ["login_required"] and query["state"] == ["s"]
    # CAS gateway: back to the service without a ticket, where it used to send the person to the second step.
    gateway = cas_login(sesame, session, gateway="true")
    assert gateway.headers["Location"] == SERVICE


def test_renew_wins_over_gateway(strict):
    sesame, _, _ = strict
    nobody = cas_login(sesame, requests.Session(), renew="true", gateway="true")
    assert nobody.headers["Location"].startswith("/login?reauth=1&")
    assert cas_login(sesame, requests.Session(), gateway="true").headers["Location"] == SERVICE
