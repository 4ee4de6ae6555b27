"""The CAS server against python-cas (CASClient versions 1, 2 and 3), plus the protocol's
failure codes, single sign-on with OpenID Connect and single log-out."""

import http.server
import threading
import time
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, unquote_plus, urlparse

import pytest
import requests
from cas import CASClient

from conftest import Sesame, sign_in

APP = "http://127.0.0.1:9/app/"


@pytest.fixture(scope="module")
def sesame(tmp_path_factory):
    """This module's server: its proxy callbacks are plain http on loopback, which only the
    test-only flag allows (no other server in the suite gets it)."""
    instance = Sesame(tmp_path_factory.mktemp("sesame") / "data", serve_args=["--insecure-proxy-callback-for-tests"])
    instance.start()
    yield instance
    assert instance.stop() == 0, instance.log_text()


def recording_server(record):
    """A loopback HTTP server that hands each request (method, path, body) to `record` and answers 200."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            record(self.command, self.path, self.rfile.read(length).decode() if length else "")
            self.send_response(200)
            self.end_headers()

        do_GET = do_POST = answer

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
NS = {"cas": "http://www.yale.edu/tp/cas"}


@pytest.fixture(scope="module")
def cas(sesame):
    sesame.add_user("carl", "carl-pass", "--email", "carl@example.com", "--name", "Carl Cas")
    assert sesame.cli("cas-service", "add", "app", "--pattern", APP).returncode == 0
    assert sesame.cli("cas-service", "add", "other", "--pattern", r"^http://127\.0\.0\.1:9/other/[a-z]+$").returncode == 0
    session, _ = sign_in(sesame.base, "carl", "carl-pass")
    return sesame, session


def ticket_for(sesame, session, service=APP, **extra):
    response = session.get(sesame.base + "/cas/login", params={"service": service, **extra}, allow_redirects=False)
    assert response.status_code == 303, response.text[:300]
    location = response.headers["Location"]
    assert location.startswith(service)
    return parse_qs(urlparse(location).query)["ticket"][0]


def failure_code(sesame, path, **params):
    root = ET.fromstring(requests.get(sesame.base + path, params=params).text)
    failure = root.find("cas:authenticationFailure", NS)
    return failure.get("code") if failure is not None else None


def test_cas1_validate_as_python_cas_asks_for_it(cas):
    # python-cas 1.6.0's CASClientV1 compares the bytes of the first line with the str 'yes' on
    # Python 3, so it rejects every server; this sends its exact request and checks the answer.
    sesame, session = cas
    client = CASClient(version=1, service_url=APP, server_url=sesame.base + "/cas/")
    ticket = ticket_for(sesame, session)
    url = client.get_login_url().replace("/cas/login?", "/cas/validate?ticket=" + ticket + "&")
    lines = requests.get(url).text.split("\n")
    assert lines[:2] == ["yes", "carl"]
    assert requests.get(url).text == "no\n"


@pytest.mark.parametrize("version", [2, 3])
def test_python_cas_validates_tickets(cas, version):
    sesame, session = cas
    client = CASClient(version=version, service_url=APP, server_url=sesame.base + "/cas/")
    ticket = ticket_for(sesame, session)
    assert ticket.startswith("ST-") and len(ticket) >= 3 + 22
    user, attributes, _ = client.verify_ticket(ticket)
    assert user == "carl"
    if version == 3:
        assert attributes["email"] == "carl@example.com" and attributes["name"] == "Carl Cas"
        assert attributes["isFromNewLogin"] == "false" and attributes["longTermAuthenticationRequestTokenUsed"] == "false"
        assert attributes["authenticationMethod"] == "pwd" and attributes["authenticationDate"].startswith("20")
    replay_user, _, _ = client.verify_ticket(ticket)
    assert replay_user is None  # single use


def test_failure_codes_and_escaping(cas):
    sesame, session = cas
    assert failure_code(sesame, "/cas/serviceValidate", service=APP) == "INVALID_REQUEST"
    assert failure_code(sesame, "/cas/serviceValidate", ticket="ST-x") == "INVALID_REQUEST"
    assert failure_code(sesame, "/cas/serviceValidate", ticket="PGT-123", service=APP) == "INVALID_TICKET_SPEC"
    assert failure_code(sesame, "/cas/serviceValidate", ticket="ST-made-up", service=APP) == "INVALID_TICKET"
    ticket = ticket_for(sesame, session)
    assert failure_code(sesame, "/cas/p3/serviceValidate", ticket=ticket, service=APP + "elsewhere") == "INVALID_SERVICE"
    assert failure_code(sesame, "/cas/p3/serviceValidate", ticket=ticket, service=APP) == "INVALID_TICKET"  # used up by the failure
    renewed = ticket_for(sesame, session)
    assert failure_code(sesame, "/cas/serviceValidate", ticket=renewed, service=APP, renew="true") == "INVALID_TICKET"
    injected = 'ST-</cas:user><cas:user>admin</cas:user>"\'&'
    text = requests.get(sesame.base + "/cas/serviceValidate", params={"ticket": injected, "service": APP}).text
    root = ET.fromstring(text)  # still well-formed XML
    assert root.find("cas:authenticationFailure", NS).text.startswith("ticket ST-</cas:user><cas:user>admin")
    assert "<cas:user>admin" not in text and "&lt;cas:user&gt;" in text
    assert requests.get(sesame.base + "/cas/validate", params={"ticket": "ST-nope", "service": APP}).text == "no\n"
    v1 = requests.get(sesame.base + "/cas/validate", params={"ticket": ticket_for(sesame, session), "service": APP}).text
    assert v1 == "yes\ncarl\n"


def test_json_format_and_proxy_refusal(cas):
    sesame, session = cas
    body = requests.get(sesame.base + "/cas/p3/serviceValidate", params={"ticket": ticket_for(sesame, session), "service": APP, "format": "JSON"}).json()
    success = body["serviceResponse"]["authenticationSuccess"]
    assert success["user"] == "carl" and success["attributes"]["email"] == ["carl@example.com"]
    failure = requests.get(sesame.base + "/cas/p3/serviceValidate", params={"ticket": "ST-x", "service": APP, "format": "json"}).json()
    assert failure["serviceResponse"]["authenticationFailure"]["code"] == "INVALID_TICKET"
    proxied = failure_code(sesame, "/cas/proxyValidate", ticket=ticket_for(sesame, session), service=APP, pgtUrl="https://127.0.0.1:9/pgt")
    assert proxied == "INVALID_PROXY_CALLBACK"


def test_unknown_service_gateway_renew_and_post(cas):
    sesame, session = cas
    unknown = session.get(sesame.base + "/cas/login", params={"service": "https://evil.example/"}, allow_redirects=False)
    assert unknown.status_code == 400 and "Location" not in unknown.headers
    regex_miss = session.get(sesame.base + "/cas/login", params={"service": "http://127.0.0.1:9/other/abc/../x"}, allow_redirects=False)
    assert regex_miss.status_code == 400
    assert ticket_for(sesame, session, service="http://127.0.0.1:9/other/abc")
    stranger = requests.get(sesame.base + "/cas/login", params={"service": APP, "gateway": "true"}, allow_redirects=False)
    assert stranger.headers["Location"] == APP  # back without a ticket
    signed_out = requests.get(sesame.base + "/cas/login", params={"service": APP}, allow_redirects=False)
    assert signed_out.headers["Location"].startswith("/login?")
    forced = session.get(sesame.base + "/cas/login", params={"service": APP, "renew": "true"}, allow_redirects=False)
    assert forced.headers["Location"].startswith("/login?reauth=1")
    # Sign in again through the form: the ticket now says new login and validates with renew.
    page = session.get(sesame.base + forced.headers["Location"])
    from oidc_helpers import hidden_fields
    form = hidden_fields(page.text)
    form.update(username="carl", password="carl-pass")
    back = session.post(sesame.base + "/login", data=form, allow_redirects=False)
    issued = session.get(sesame.base + back.headers["Location"], allow_redirects=False)
    ticket = parse_qs(urlparse(issued.headers["Location"]).query)["ticket"][0]
    assert failure_code(sesame, "/cas/serviceValidate", ticket=ticket, service=APP) == "INVALID_TICKET"  # renew ticket, no renew
    forced = session.get(sesame.base + "/cas/login", params={"service": APP, "renew": "true"}, allow_redirects=False)
    page = session.get(sesame.base + forced.headers["Location"])
    form = hidden_fields(page.text)
    form.update(username="carl", password="carl-pass")
    back = session.post(sesame.base + "/login", data=form, allow_redirects=False)
    issued = session.get(sesame.base + back.headers["Location"], allow_redirects=False)
    ticket = parse_qs(urlparse(issued.headers["Location"]).query)["ticket"][0]
    root = ET.fromstring(requests.get(sesame.base + "/cas/p3/serviceValidate", params={"ticket": ticket, "service": APP, "renew": "true"}).text)
    assert root.find("cas:authenticationSuccess/cas:attributes/cas:isFromNewLogin", NS).text == "true"
    posted = session.get(sesame.base + "/cas/login", params={"service": APP, "method": "POST"})
    assert 'id="form-post"' in posted.text and 'name="ticket"' in posted.text and "<script>" not in posted.text


def test_concurrent_validations_have_one_winner(cas):
    sesame, session = cas
    ticket = ticket_for(sesame, session)
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(
        requests.get(sesame.base + "/cas/validate", params={"ticket": ticket, "service": APP}).text)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == ["no\n"] * 7 + ["yes\ncarl\n"]


def test_service_tickets_expire_after_ten_seconds(cas):
    sesame, session = cas
    ticket = ticket_for(sesame, session)
    time.sleep(10.5)
    assert failure_code(sesame, "/cas/serviceValidate", ticket=ticket, service=APP) == "INVALID_TICKET"


def test_single_log_out_reaches_the_services(sesame):
    received = []
    server = recording_server(lambda method, path, body: received.append(unquote_plus(body.split("logoutRequest=", 1)[1])))
    try:
        service = f"http://127.0.0.1:{server.server_port}/slo-app/"
        assert sesame.cli("cas-service", "add", "slo", "--pattern", service).returncode == 0
        sesame.add_user("sol", "sol-pass")
        session, _ = sign_in(sesame.base, "sol", "sol-pass")
        ticket = ticket_for(sesame, session, service=service)
        out = session.get(sesame.base + "/cas/logout", params={"service": service}, allow_redirects=False)
        assert out.status_code == 303 and out.headers["Location"] == service
        assert session.get(sesame.base + "/account", allow_redirects=False).status_code == 303
        deadline = time.time() + 5
        while not received and time.time() < deadline:
            time.sleep(0.1)
        assert received and f"<samlp:SessionIndex>{ticket}</samlp:SessionIndex>" in received[0]
        evil = requests.get(sesame.base + "/cas/logout", params={"service": "https://evil.example/"}, allow_redirects=False)
        assert evil.status_code == 200 and "Location" not in evil.headers
    finally:
        server.shutdown()


def test_proxy_granting_and_proxy_tickets(cas):
    sesame, session = cas
    delivered = {}

    def record(method, path, body):
        query = parse_qs(urlparse(path).query)
        if "pgtIou" in query:
            delivered[query["pgtIou"][0]] = query["pgtId"][0]

    server = recording_server(record)
    try:
        callback = f"http://127.0.0.1:{server.server_port}/pgt/callback"
        portal = "http://127.0.0.1:9/portal/"
        backend = "http://127.0.0.1:9/backend/"
        assert sesame.cli("cas-service", "add", "portal", "--pattern", portal,
                          "--proxy-callback-pattern", f"http://127.0.0.1:{server.server_port}/pgt/").returncode == 0
        assert sesame.cli("cas-service", "add", "backend", "--pattern", backend, "--allow-proxy-from", "portal").returncode == 0

        ticket = ticket_for(sesame, session, service=portal)
        root = ET.fromstring(requests.get(sesame.base + "/cas/p3/serviceValidate",
                                          params={"ticket": ticket, "service": portal, "pgtUrl": callback}).text)
        iou = root.find("cas:authenticationSuccess/cas:proxyGrantingTicket", NS).text
        assert iou.startswith("PGTIOU-") and delivered[iou].startswith("PGT-")  # delivered before the answer
        pgt = delivered[iou]

        proxied = ET.fromstring(requests.get(sesame.base + "/cas/proxy", params={"pgt": pgt, "targetService": backend}).text)
        proxy_ticket = proxied.find("cas:proxySuccess/cas:proxyTicket", NS).text
        assert proxy_ticket.startswith("PT-")
        assert failure_code(sesame, "/cas/serviceValidate", ticket=proxy_ticket, service=backend) == "INVALID_TICKET_SPEC"
        proxy_ticket = ET.fromstring(requests.get(sesame.base + "/cas/proxy", params={"pgt": pgt, "targetService": backend}).text) \
            .find("cas:proxySuccess/cas:proxyTicket", NS).text
        validated = ET.fromstring(requests.get(sesame.base + "/cas/proxyValidate", params={"ticket": proxy_ticket, "service": backend}).text)
        assert validated.find("cas:authenticationSuccess/cas:user", NS).text == "carl"
        assert [p.text for p in validated.findall("cas:authenticationSuccess/cas:proxies/cas:proxy", NS)] == [callback]
        # Single use, checked where proxy tickets are accepted at all (/serviceValidate refuses every PT-).
        assert failure_code(sesame, "/cas/proxyValidate", ticket=proxy_ticket, service=backend) == "INVALID_TICKET"

        def proxy_failure(**params):
            return ET.fromstring(requests.get(sesame.base + "/cas/proxy", params=params).text).find("cas:proxyFailure", NS).get("code")
        assert proxy_failure(pgt=pgt, targetService="https://evil.example/") == "UNAUTHORIZED_SERVICE_PROXY"
        assert proxy_failure(pgt="PGT-made-up", targetService=backend) == "INVALID_TICKET"
        assert proxy_failure(targetService=backend) == "INVALID_REQUEST"
        for bad in ("http://127.0.0.1:9/not-registered", "http://example.test/pgt/callback"):
            assert failure_code(sesame, "/cas/serviceValidate", ticket=ticket_for(sesame, session, service=portal), service=portal,
                                pgtUrl=bad) == "INVALID_PROXY_CALLBACK"
    finally:
        server.shutdown()
