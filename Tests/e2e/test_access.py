"""Roles, groups and permissions: the CLI, what tokens and CAS attributes carry for each app, and
apps restricted to a role or group."""

import time
import json
from urllib.parse import parse_qs, urlparse

import pytest
import requests
import xml.etree.ElementTree as ET
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet

from conftest import sign_in
from oidc_helpers import Person

REDIRECT = "http://127.0.0.1:9/callback"
WIKI = "http://127.0.0.1:9/wiki/"
NS = {"cas": "http://www.yale.edu/tp/cas"}


def ok(result):
    assert result.returncode == 0, result.stderr
    return result.stdout


def update_client(sesame, *args):
    ok(sesame.cli("client", "update", *args))
    time.sleep(2.1)  # running servers cache clients for 2 s


def claims(sesame, token):
    """The token's claims, once joserfc has checked its signature against Sesame's /jwks."""
    keys = KeySet.import_key_set(requests.get(sesame.base + "/jwks").json())
    return jwt.decode(token, keys).claims


@pytest.fixture(scope="module")
def access(sesame):
    cli = sesame.cli
    docs = json.loads(ok(cli("client", "add", "docs", "--json", "--first-party", "--redirect-uri", REDIRECT)))
    other = json.loads(ok(cli("client", "add", "portal", "--json", "--first-party", "--redirect-uri", REDIRECT)))
    ok(cli("cas-service", "add", "wiki", "--pattern", WIKI, "--attribute", "roles", "--attribute", "groups", "--attribute", "permissions"))
    # Users from a users file bring their roles and groups with them.
    users = sesame.data_dir.parent / "access-users.txt"
    users.write_text("wendy:wendy-pass:writers staff\nedgar:edgar-pass:editors\nolga:olga-pass\n")
    ok(cli("user", "import", str(users)))
    ok(cli("role", "add", "editor", "--app", "docs", "--permission", "articles:publish"))
    ok(cli("role", "add", "writer", "--app", "docs", "--permission", "articles:draft"))
    ok(cli("role", "add", "editor", "--app", "wiki", "--permission", "pages:edit"))
    ok(cli("role", "allow", "docs:editor", "articles:delete"))
    ok(cli("group", "add-role", "editors", "docs:editor"))
    ok(cli("group", "add-role", "writers", "docs:writer"))
    ok(cli("group", "add-role", "editors", "wiki:editor"))
    return sesame, docs, other


def code_flow(sesame, client, username, scope="openid roles groups permissions"):
    discovery = requests.get(sesame.base + "/.well-known/openid-configuration").json()
    oauth = OAuth2Session(client["client_id"], client["client_secret"], scope=scope, redirect_uri=REDIRECT, code_challenge_method="S256")
    verifier = generate_token(48)
    url, _ = oauth.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier, nonce=generate_token(8))
    landed = Person(sesame.base, username, username + "-pass").authorize(url)
    query = parse_qs(urlparse(landed).query)
    if "error" in query:
        return query
    token = oauth.fetch_token(discovery["token_endpoint"], authorization_response=landed, code_verifier=verifier)
    return token


def test_cli_lists_roles_groups_and_permissions(access):
    sesame, *_ = access
    roles = ok(sesame.cli("role", "list"))
    assert "docs:editor\tdocs\tarticles:delete,articles:publish" in roles
    assert "staff\t-\t-" in roles  # created by the users-file import, global
    groups = ok(sesame.cli("group", "list"))
    assert "editors\tdocs:editor,wiki:editor\tedgar" in groups
    refused = sesame.cli("role", "add", "editor", "--app", "nowhere")
    assert refused.returncode == 1 and "no client or CAS service named 'nowhere'" in refused.stderr
    assert sesame.cli("role", "grant", "no-such-role", "olga").stderr.startswith("error: no role 'no-such-role'")
    bad = sesame.cli("role", "add", "bad name!")
    assert bad.returncode == 1 and "must be letters" in bad.stderr


def test_tokens_carry_the_apps_own_roles_groups_and_permissions(access):
    sesame, docs, other = access
    token = code_flow(sesame, docs, "wendy")
    id_token, access_token = claims(sesame, token["id_token"]), claims(sesame, token["access_token"])
    for seen in (id_token, access_token):
        assert seen["roles"] == ["staff", "writer"]  # global plus docs' own, without the prefix
        assert seen["groups"] == ["writers"]
        assert seen["permissions"] == ["articles:draft"]
    edgar = claims(sesame, code_flow(sesame, docs, "edgar")["id_token"])
    assert edgar["roles"] == ["editor"] and edgar["permissions"] == ["articles:delete", "articles:publish"]
    # The portal sees only global roles: docs' and wiki's roles are not its business.
    portal = claims(sesame, code_flow(sesame, other, "edgar")["id_token"])
    assert portal["roles"] == [] and portal["permissions"] == [] and portal["groups"] == ["editors"]
    # Claims need their scope, and the client's settings can withhold them.
    assert "permissions" not in claims(sesame, code_flow(sesame, docs, "edgar", scope="openid roles")["id_token"])
    update_client(sesame, "docs", "--claims", "roles")
    limited = claims(sesame, code_flow(sesame, docs, "edgar")["id_token"])
    assert limited["roles"] == ["editor"] and "groups" not in limited and "permissions" not in limited
    update_client(sesame, "docs", "--claims", "roles,groups,permissions")
    info = requests.get(sesame.base + "/userinfo", headers={"Authorization": "Bearer " + token["access_token"]}).json()
    assert info["roles"] == ["staff", "writer"] and info["permissions"] == ["articles:draft"]


def test_a_client_restricted_to_a_role_refuses_everyone_else(access):
    sesame, docs, _ = access
    update_client(sesame, "docs", "--require-role", "docs:editor")
    try:
        refused = code_flow(sesame, docs, "wendy")
        assert refused["error"] == ["access_denied"]
        assert "role or group" in refused["error_description"][0]
        assert "id_token" in code_flow(sesame, docs, "edgar")
        # Granting the role opens the door; a group works too.
        ok(sesame.cli("role", "grant", "docs:editor", "wendy"))
        assert "id_token" in code_flow(sesame, docs, "wendy")
        ok(sesame.cli("role", "revoke", "docs:editor", "wendy"))
        update_client(sesame, "docs", "--require-role", "", "--require-group", "writers")
        assert "id_token" in code_flow(sesame, docs, "wendy")
        assert code_flow(sesame, docs, "olga")["error"] == ["access_denied"]
    finally:
        update_client(sesame, "docs", "--require-role", "", "--require-group", "")


def test_cas_attributes_and_a_restricted_service(access):
    sesame, *_ = access
    session, _ = sign_in(sesame.base, "edgar", "edgar-pass")
    login = session.get(sesame.base + "/cas/login", params={"service": WIKI}, allow_redirects=False)
    ticket = parse_qs(urlparse(login.headers["Location"]).query)["ticket"][0]
    root = ET.fromstring(requests.get(sesame.base + "/cas/p3/serviceValidate", params={"service": WIKI, "ticket": ticket}).text)
    attributes = root.find("cas:authenticationSuccess/cas:attributes", NS)
    assert [e.text for e in attributes.findall("cas:roles", NS)] == ["editor"]
    assert [e.text for e in attributes.findall("cas:permissions", NS)] == ["pages:edit"]
    assert [e.text for e in attributes.findall("cas:groups", NS)] == ["editors"]

    ok(sesame.cli("cas-service", "update", "wiki", "--require-group", "editors"))
    session, _ = sign_in(sesame.base, "wendy", "wendy-pass")
    refused = session.get(sesame.base + "/cas/login", params={"service": WIKI}, allow_redirects=False)
    assert refused.status_code == 403 and "Not allowed" in refused.text and "ticket=" not in refused.headers.get("Location", "")
