"""The registered vocabulary as the real binary serves it: discovery and the consent page read the
one scope catalogue (`permissions` included), and a repeated OAuth parameter is refused (RFC 6749
§3.1) at /token and /authorize instead of "first one wins"."""

import html
import json
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests

from conftest import sign_in

REDIRECT = "http://127.0.0.1:9/callback"  # never contacted: the flow stops at the redirect


def add_client(sesame, name, *args):
    result = sesame.cli("client", "add", name, "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def served(sesame):
    sesame.add_user("vera", "vera-pass", "--email", "vera@example.com")
    discovery = requests.get(sesame.base + "/.well-known/openid-configuration").json()
    return sesame, discovery


def test_discovery_announces_permissions(served):
    _, discovery = served
    assert discovery["scopes_supported"] == ["openid", "profile", "email", "offline_access", "roles", "groups", "permissions"]
    assert "permissions" in discovery["claims_supported"]
    assert discovery["grant_types_supported"] == ["authorization_code", "refresh_token", "client_credentials"]
    assert discovery["id_token_signing_alg_values_supported"] == ["ES256", "RS256"]


def authorize_url(discovery, client, scope, extra=()):
    query = [("client_id", client["client_id"]), ("response_type", "code"), ("redirect_uri", REDIRECT), ("scope", scope),
             ("state", "st"), ("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"), ("code_challenge_method", "S256")]
    return discovery["authorization_endpoint"] + "?" + urlencode(query + list(extra))


def test_the_consent_page_describes_permissions(served):
    sesame, discovery = served
    app = add_client(sesame, "catalogue-app", "--redirect-uri", REDIRECT)
    session, _ = sign_in(sesame.base, "vera", "vera-pass")
    page = session.get(authorize_url(discovery, app, "openid permissions"), allow_redirects=False)
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert '<li data-scope="permissions">What you are allowed to do in this app (your permissions)</li>' in text
    assert '<li data-scope="openid">Who you are (your Sesame account id)</li>' in text


def test_a_repeated_parameter_at_the_token_endpoint_is_invalid_request(served):
    sesame, discovery = served
    bot = add_client(sesame, "repeat-bot", "--grant", "client_credentials", "--scope", "sesame:admin")
    auth = (bot["client_id"], bot["client_secret"])
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    once = requests.post(discovery["token_endpoint"], auth=auth, headers=headers, data="grant_type=client_credentials")
    assert once.status_code == 200, once.text
    twice = requests.post(discovery["token_endpoint"], auth=auth, headers=headers,
                          data="grant_type=client_credentials&scope=sesame%3Aadmin&scope=sesame%3Aadmin")
    assert twice.status_code == 400
    assert twice.json()["error"] == "invalid_request"
    assert "access_token" not in twice.json()


def test_a_repeated_parameter_at_the_authorization_endpoint_is_invalid_request(served):
    sesame, discovery = served
    app = add_client(sesame, "repeat-web", "--redirect-uri", REDIRECT, "--first-party")
    session, _ = sign_in(sesame.base, "vera", "vera-pass")
    fine = session.get(authorize_url(discovery, app, "openid"), allow_redirects=False)
    assert "code" in parse_qs(urlparse(fine.headers["Location"]).query)
    repeated = session.get(authorize_url(discovery, app, "openid", [("scope", "openid")]), allow_redirects=False)
    assert repeated.status_code in (302, 303)
    query = parse_qs(urlparse(repeated.headers["Location"]).query)
    assert query["error"] == ["invalid_request"] and query["state"] == ["st"] and "code" not in query
    two_clients = session.get(authorize_url(discovery, app, "openid", [("client_id", app["client_id"])]), allow_redirects=False)
    assert two_clients.status_code == 400 and "Location" not in two_clients.headers
