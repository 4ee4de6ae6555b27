"""Clients, CAS services and signing keys through both doors, the CLI and the admin API: the same
operation records the same audit event with the same detail whichever door it came through;
a client's display name ("Team Wiki") is not its identifier and shows on the consent page."""

import base64
import hashlib
import json
import time
from urllib.parse import urlencode

import pytest
import requests

from conftest import sign_in

API = "/admin/api/v1"
REDIRECT = "https://wiki.example/callback"


def ok(result):
    assert result.returncode == 0, result.stderr
    return result.stdout


class Doors:
    """One server, its CLI and an admin API token; reads audit events back through the API."""

    def __init__(self, sesame):
        self.sesame = sesame
        bot = json.loads(ok(sesame.cli("client", "add", "apps-bot", "--json", "--grant", "client_credentials", "--scope", "sesame:admin")))
        token = requests.post(sesame.base + "/token", data={"grant_type": "client_credentials", "scope": "sesame:admin"},
                              auth=(bot["client_id"], bot["client_secret"])).json()["access_token"]
        self.actor = "client:" + bot["client_id"]
        self.http = requests.Session()
        self.http.headers["Authorization"] = "Bearer " + token

    def api(self, method, path, status, **kwargs):
        response = self.http.request(method, self.sesame.base + API + path, timeout=30, **kwargs)
        assert response.status_code == status, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    def cli(self, *args):
        return ok(self.sesame.cli(*args))

    def last_event(self, kind, actor, subject=None):
        """The newest event of `kind` by `actor` (the server writes its events in batches)."""
        params = {"type": kind, "actor": actor, "limit": 1000}
        if subject is not None:
            params["subject"] = subject
        deadline = time.time() + 5
        while True:
            items = self.api("GET", "/audit-events", 200, params=params)["items"]
            if items or time.time() > deadline:
                break
            time.sleep(0.1)
        assert items, f"no {kind} event by {actor}"
        event = max(items, key=lambda e: e["id"])
        return event


@pytest.fixture(scope="module")
def doors(sesame):
    return Doors(sesame)


def detail(event):
    return json.loads(event["detail"]) if event["detail"] else None


def test_client_operations_record_the_same_detail_from_the_cli_and_the_api(sesame, doors):
    kinds = ["client.created", "client.updated", "client.secret_rotated", "client.deleted"]

    # The CLI: add by a display name, update and rotate by the made identifier, delete by client_id.
    made = json.loads(doors.cli("client", "add", "Team Wiki", "--json", "--redirect-uri", REDIRECT, "--scope", "openid",
                                "--scope", "email", "--require-role", "staff"))
    assert made["name"] == "team-wiki" and made["display_name"] == "Team Wiki"
    doors.cli("client", "update", "team-wiki", "--first-party", "true", "--display-name", "The Wiki", "--scope", "openid")
    doors.cli("client", "rotate-secret", "team-wiki")
    doors.cli("client", "delete", made["client_id"])
    by_cli = [doors.last_event(kind, "cli", made["client_id"]) for kind in kinds]

    # The API, with the same inputs.
    again = doors.api("POST", "/clients", 201, json={"name": "Team Wiki", "redirect_uris": [REDIRECT], "scopes": ["openid", "email"],
                                                     "required_roles": ["staff"]})
    assert again["name"] == "team-wiki" and again["display_name"] == "Team Wiki"
    doors.api("PATCH", "/clients/team-wiki", 200, json={"first_party": True, "display_name": "The Wiki", "scopes": ["openid"]})
    doors.api("POST", "/clients/team-wiki/rotate-secret", 200)
    doors.api("DELETE", "/clients/" + again["client_id"], 204)
    by_api = [doors.last_event(kind, doors.actor, again["client_id"]) for kind in kinds]

    for cli_event, api_event in zip(by_cli, by_api):
        assert cli_event["type"] == api_event["type"]
        assert detail(cli_event) == detail(api_event), cli_event["type"]
    created = detail(by_cli[0])
    assert created["name"] == {"before": [], "after": ["team-wiki"]}
    assert created["display_name"] == {"before": [], "after": ["Team Wiki"]}
    assert created["required_roles"] == {"before": [], "after": ["staff"]}
    assert detail(by_cli[1])["display_name"] == {"before": ["Team Wiki"], "after": ["The Wiki"]}


def test_cas_service_operations_record_the_same_detail_and_check_the_same_rules(sesame, doors):
    kinds = ["cas_service.created", "cas_service.updated", "cas_service.deleted"]
    add = ["--pattern", "https://intranet.example.test/", "--attribute", "email", "--require-role", "staff",
           "--logout-url", "https://intranet.example.test/logout"]
    doors.cli("cas-service", "add", "intranet", *add)
    # The CLI can change the pattern now, with the same checks as the API.
    doors.cli("cas-service", "update", "intranet", "--pattern", "https://intra.example.test/", "--attribute", "name", "--require-2fa", "true")
    bad = sesame.cli("cas-service", "update", "intranet", "--pattern", "ftp://intra.example.test/")
    assert bad.returncode != 0 and "prefix pattern" in bad.stderr
    # The duplicate name is refused at the CLI too, whatever its case.
    duplicate = sesame.cli("cas-service", "add", "INTRANET", "--pattern", "https://other.example.test/")
    assert duplicate.returncode != 0 and "already exists" in duplicate.stderr
    doors.cli("cas-service", "delete", "intranet")
    by_cli = [doors.last_event(kind, "cli", "intranet") for kind in kinds]

    doors.api("POST", "/cas-services", 201, json={
        "name": "intranet", "pattern": "https://intranet.example.test/", "attributes": ["email"], "required_roles": ["staff"],
        "logout_url": "https://intranet.example.test/logout",
    })
    doors.api("PATCH", "/cas-services/intranet", 200, json={"pattern": "https://intra.example.test/", "attributes": ["name"], "require_two_factor": True})
    assert doors.api("POST", "/cas-services", 409, json={"name": "INTRANET", "pattern": "https://other.example.test/"})["field"] == "name"
    doors.api("DELETE", "/cas-services/intranet", 204)
    by_api = [doors.last_event(kind, doors.actor, "intranet") for kind in kinds]

    for cli_event, api_event in zip(by_cli, by_api):
        assert cli_event["type"] == api_event["type"]
        assert detail(cli_event) == detail(api_event), cli_event["type"]
    assert detail(by_cli[1])["pattern"] == {"before": ["https://intranet.example.test/"], "after": ["https://intra.example.test/"]}
    assert detail(by_cli[1])["require_two_factor"] == {"before": ["false"], "after": ["true"]}


def test_key_rotation_records_the_same_detail_from_the_cli_and_the_api(sesame, doors):
    printed = doors.cli("keys", "rotate")
    cli_kids = [line.rsplit(" ", 1)[1] for line in printed.splitlines() if line.startswith("new current")]
    by_cli = doors.last_event("keys.rotated", "cli")
    api_kids = [key["kid"] for key in doors.api("POST", "/keys/rotate", 200)["items"]]
    by_api = doors.last_event("keys.rotated", doors.actor)
    # The same detail, each naming the keys its rotation made.
    assert detail(by_cli) == {"kids": {"before": [], "after": cli_kids}}
    assert detail(by_api) == {"kids": {"before": [], "after": api_kids}}
    listed = {line.split("\t")[0] for line in doors.cli("keys", "list").splitlines()}
    assert set(cli_kids + api_kids) <= listed


def test_the_consent_page_shows_the_display_name_escaped(sesame):
    sesame.add_user("wendy", "wendy-pass-1")
    client = json.loads(ok(sesame.cli("client", "add", "Wiki <b>& Co</b>", "--json", "--redirect-uri", REDIRECT)))
    assert client["name"] == "wiki-b-co-b"
    # The identifier and the display name both find it.
    assert "display_name: Wiki <b>& Co</b>" in ok(sesame.cli("client", "show", "wiki-b-co-b"))
    assert f"client_id: {client['client_id']}" in ok(sesame.cli("client", "show", "Wiki <b>& Co</b>"))
    session, _ = sign_in(sesame.base, "wendy", "wendy-pass-1")
    verifier = "v" * 50
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = urlencode({"response_type": "code", "client_id": client["client_id"], "redirect_uri": REDIRECT, "scope": "openid",
                       "state": "s1", "nonce": "n1", "code_challenge": challenge, "code_challenge_method": "S256"})
    page = session.get(sesame.base + "/authorize?" + query)
    assert 'id="consent-form"' in page.text, page.text[:500]
    assert "Wiki &lt;b&gt;&amp; Co&lt;/b&gt;" in page.text and "<b>& Co" not in page.text
    assert "wiki-b-co-b" not in page.text


def test_a_client_with_its_keys_by_value_is_made_alike_at_both_doors(sesame, doors):
    jwks = json.dumps({"keys": []})
    cli = json.loads(doors.cli("client", "add", "keys-cli", "--json", "--redirect-uri", REDIRECT, "--token-auth", "private_key_jwt", "--jwks", jwks))
    api = doors.api("POST", "/clients", 201, json={"name": "keys-api", "redirect_uris": [REDIRECT],
                                                   "token_endpoint_auth_method": "private_key_jwt", "jwks": jwks})
    assert api["token_endpoint_auth_method"] == cli["token_endpoint_auth_method"] == "private_key_jwt"
    by_cli = detail(doors.last_event("client.created", "cli", cli["client_id"]))
    by_api = detail(doors.last_event("client.created", doors.actor, api["client_id"]))
    assert by_cli.pop("name") == {"before": [], "after": ["keys-cli"]} and by_api.pop("name") == {"before": [], "after": ["keys-api"]}
    assert by_cli == by_api and by_cli["jwks"] == {"before": [], "after": [jwks]}
    assert doors.api("POST", "/clients", 422, json={"name": "bad-keys", "redirect_uris": [REDIRECT], "jwks": "[]"})["status"] == 422
