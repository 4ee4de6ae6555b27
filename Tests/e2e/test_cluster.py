"""Scale-out: two `sesame serve` instances sharing one PostgreSQL database behind nginx
(round-robin). The OpenID Connect code flow with authlib, CAS validation and refresh rotation
alternate between the instances; one instance is then killed with SIGKILL under load and the
flows go on through the other, with no grant lost or handed out twice."""

import hashlib
import json
import signal
import threading
import time
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session

from cluster_helpers import LoadBalancer, data_key_file, drop_database, new_database, psql
from conftest import Sesame, latest_schema_version, sign_in
from oidc_helpers import Person

REDIRECT = "http://127.0.0.1:9/callback"
CAS_APP = "http://127.0.0.1:9/app/"
NS = {"cas": "http://www.yale.edu/tp/cas"}


class Cluster:
    def __init__(self, root):
        self.database = new_database()
        self.key = data_key_file(root)
        common = ["--database", self.database, "--data-key-file", str(self.key)]
        serve = ["--trusted-proxy", LoadBalancer.PROXY_ADDRESS, "--key-refresh-interval", "1s", "--refresh-grace-period", "30s"]
        self.instances = [Sesame(root / f"node{i}", common=common, serve_args=serve) for i in (1, 2)]
        self.lb = LoadBalancer([node.port for node in self.instances])
        for node in self.instances:
            node.base = self.lb.base  # the public issuer is the proxy
            node.start()
        self.base = self.lb.base
        self.cli = self.instances[0].cli

    def sql(self, statement):
        return psql(self.database, statement)

    def stop(self):
        for node in self.instances:
            if node.proc:
                node.stop(signal.SIGKILL)
        self.lb.stop()
        drop_database(self.database)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    cluster = Cluster(tmp_path_factory.mktemp("cluster"))
    assert cluster.instances[0].add_user("nina", "nina-pass", "--email", "nina@example.com").returncode == 0
    client = cluster.cli("client", "add", "web", "--json", "--redirect-uri", REDIRECT)
    assert client.returncode == 0, client.stderr
    cluster.client = json.loads(client.stdout)
    assert cluster.cli("cas-service", "add", "app", "--pattern", CAS_APP).returncode == 0
    cluster.discovery = requests.get(cluster.base + "/.well-known/openid-configuration").json()
    yield cluster
    cluster.stop()


def code_flow(cluster):
    """The code flow through the proxy with authlib; returns (oauth session, token)."""
    client = cluster.client
    oauth = OAuth2Session(client["client_id"], client["client_secret"], scope="openid email offline_access", redirect_uri=REDIRECT,
                          code_challenge_method="S256")
    verifier = generate_token(48)
    url, _ = oauth.create_authorization_url(cluster.discovery["authorization_endpoint"], code_verifier=verifier, nonce=generate_token(16))
    landed = Person(cluster.base, "nina", "nina-pass").authorize(url)
    assert landed.startswith(REDIRECT), landed
    token = oauth.fetch_token(cluster.discovery["token_endpoint"], authorization_response=landed, code_verifier=verifier)
    return oauth, token


def refresh(cluster, refresh_token, timeout=10):
    client = cluster.client
    return requests.post(cluster.discovery["token_endpoint"], data={"grant_type": "refresh_token", "refresh_token": refresh_token},
                         auth=(client["client_id"], client["client_secret"]), timeout=timeout)


def test_requests_alternate_between_the_two_instances(cluster):
    upstreams = {requests.get(cluster.base + "/healthz").headers["X-Upstream"] for _ in range(6)}
    assert upstreams == {f"127.0.0.1:{node.port}" for node in cluster.instances}


def test_a_sign_in_on_one_instance_is_valid_on_the_other(cluster):
    a, b = cluster.instances
    session, response = sign_in(a.direct, "nina", "nina-pass")
    assert response.status_code == 303
    account = session.get(b.direct + "/account", allow_redirects=False)
    assert account.status_code == 200 and "nina" in account.text
    # And signing out on B ends it on A.
    import re
    token = re.search(r'name="csrf_token" value="([^"]+)"', account.text).group(1)
    assert session.post(b.direct + "/logout", data={"csrf_token": token}, allow_redirects=False).status_code == 303
    assert session.get(a.direct + "/account", allow_redirects=False).status_code == 303


def test_code_flow_refresh_rotation_and_userinfo_alternate_instances(cluster):
    oauth, token = code_flow(cluster)
    seen = set()
    for round in range(6):
        if round % 2:
            requests.get(cluster.base + "/healthz")  # shifts the round-robin, so refreshes hit both instances
        response = refresh(cluster, token["refresh_token"])
        assert response.status_code == 200, response.text
        seen.add(response.headers["X-Upstream"])
        assert response.json()["refresh_token"] != token["refresh_token"]
        token = response.json()
        info = requests.get(cluster.discovery["userinfo_endpoint"], headers={"Authorization": "Bearer " + token["access_token"]})
        assert info.status_code == 200 and info.json()["email"] == "nina@example.com"
    assert len(seen) == 2, "refreshes went through both instances"


def test_refresh_reuse_is_detected_across_instances(cluster):
    _, token = code_flow(cluster)
    a, b = cluster.instances
    client = cluster.client
    def direct_refresh(node, refresh_token):
        return requests.post(node.direct + "/token", data={"grant_type": "refresh_token", "refresh_token": refresh_token},
                             auth=(client["client_id"], client["client_secret"]))
    first = direct_refresh(a, token["refresh_token"])
    assert first.status_code == 200
    # Within the grace period the same answer is repeated on the other instance (a retry)...
    retry = direct_refresh(b, token["refresh_token"])
    assert retry.status_code == 200
    # ...but revoking the family on B ends it everywhere.
    assert requests.post(b.direct + "/revoke", data={"token": first.json()["refresh_token"]},
                         auth=(client["client_id"], client["client_secret"])).status_code == 200
    assert direct_refresh(a, retry.json()["refresh_token"]).json()["error"] == "invalid_grant"
    introspected = requests.post(a.direct + "/introspect", data={"token": first.json()["access_token"]},
                                 auth=(client["client_id"], client["client_secret"])).json()
    assert introspected == {"active": False}


def test_cas_ticket_issued_on_one_instance_validates_once_on_either(cluster):
    session, _ = sign_in(cluster.base, "nina", "nina-pass")
    validated_by = set()
    for _ in range(4):
        response = session.get(cluster.base + "/cas/login", params={"service": CAS_APP}, allow_redirects=False)
        assert response.status_code == 303, response.text[:300]
        ticket = parse_qs(urlparse(response.headers["Location"]).query)["ticket"][0]
        answer = requests.get(cluster.base + "/cas/p3/serviceValidate", params={"service": CAS_APP, "ticket": ticket})
        validated_by.add(answer.headers["X-Upstream"])
        root = ET.fromstring(answer.text)
        assert root.find("cas:authenticationSuccess/cas:user", NS).text == "nina"
        again = ET.fromstring(requests.get(cluster.base + "/cas/serviceValidate", params={"service": CAS_APP, "ticket": ticket}).text)
        assert again.find("cas:authenticationFailure", NS).get("code") == "INVALID_TICKET"
    assert len(validated_by) == 2


def test_key_rotation_on_one_instance_reaches_the_other(cluster):
    a, b = cluster.instances
    jwks = urlparse(cluster.discovery["jwks_uri"]).path
    before = {key["kid"] for key in requests.get(b.direct + jwks).json()["keys"]}
    rotated = cluster.cli("keys", "rotate")
    assert rotated.returncode == 0, rotated.stderr
    deadline = time.time() + 5
    while time.time() < deadline:
        kids = [{key["kid"] for key in requests.get(node.direct + jwks).json()["keys"]} for node in (a, b)]
        if all(len(k - before) == 2 for k in kids):
            break
        time.sleep(0.2)
    else:
        raise AssertionError("the rotation did not reach both instances within the key refresh interval")
    # Tokens signed with the new key on either instance check out on the other.
    _, token = code_flow(cluster)
    header = json.loads(__import__("base64").urlsafe_b64decode(token["access_token"].split(".")[0] + "=="))
    assert header["kid"] in kids[0] - before


def test_forwarded_headers_are_believed_only_from_the_proxy(cluster):
    client = cluster.client
    bad = {"grant_type": "client_credentials"}
    # Through the proxy: the client's address (127.0.0.1), not the proxy's, and not the forged hop.
    via_proxy = requests.post(cluster.base + "/token", data=bad, auth=(client["client_id"], "wrong-1"), headers={"X-Forwarded-For": "203.0.113.9"})
    assert via_proxy.status_code == 401
    # Straight to an instance: the header is the client's own claim and is ignored.
    direct = requests.post(cluster.instances[1].direct + "/token", data=bad, auth=(client["client_id"], "wrong-2"),
                           headers={"X-Forwarded-For": "203.0.113.9"})
    assert direct.status_code == 401
    deadline = time.time() + 5
    while time.time() < deadline:
        rows = cluster.sql("SELECT client_address FROM audit_events WHERE type = 'client.authentication_failed' ORDER BY id")
        if len(rows) >= 2:
            break
        time.sleep(0.1)
    assert [row[0] for row in rows[-2:]] == ["127.0.0.1", "127.0.0.1"]


def test_migrations_are_safe_when_instances_start_together(tmp_path):
    database = new_database()
    try:
        key = data_key_file(tmp_path)
        import subprocess
        from conftest import SESAME_BIN
        procs = [subprocess.Popen([SESAME_BIN, "migrate", "--database", database, "--data-key-file", str(key), "--data-dir", str(tmp_path / f"d{i}")],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(4)]
        outputs = [proc.communicate(timeout=60) for proc in procs]
        assert all(proc.returncode == 0 for proc in procs), outputs
        assert all(out.strip() == f"schema at version {latest_schema_version()}" for out, _ in outputs)
        # Each step once: as many rows as distinct versions, one per step in the source (a number
        # assigned ahead and never used leaves a gap), up to the latest.
        import re
        from conftest import REPO
        steps = len(re.findall(r"Step\(version: (\d+)", (REPO / "Sources" / "SesameSQL" / "Migrations.swift").read_text()))
        assert psql(database, "SELECT COUNT(*) = COUNT(DISTINCT version) AND COUNT(*) = %d AND MAX(version) = %d FROM schema_migrations"
                    % (steps, latest_schema_version())) == [["t"]]
    finally:
        drop_database(database)


def test_killing_an_instance_under_load_loses_and_duplicates_nothing(cluster):
    """Workers rotate refresh tokens and validate CAS tickets through the proxy while one instance
    is killed with SIGKILL. A request caught in flight may fail at the proxy; the worker retries it
    (the grace period answers a retry of a refresh that was used but whose answer was lost)."""
    chains = [code_flow(cluster)[1]["refresh_token"] for _ in range(4)]
    stop = threading.Event()
    issued = [[] for _ in chains]
    errors = []  # (time, what) of every failed request, refresh or CAS
    cas_ok = []

    def rotate(index):
        token = chains[index]
        while not stop.is_set():
            try:
                response = refresh(cluster, token, timeout=5)
            except requests.RequestException as error:
                errors.append((time.time(), repr(error)))
                continue  # retry the same token
            if response.status_code != 200:
                errors.append((time.time(), f"refresh {response.status_code} {response.text[:100]}"))
                assert response.status_code in (502, 503, 504), response.text
                continue
            token = response.json()["refresh_token"]
            issued[index].append(token)
        chains[index] = token

    def validate_cas():
        session = None
        while not stop.is_set():
            try:
                if session is None:
                    session, response = sign_in(cluster.base, "nina", "nina-pass")
                    if response.status_code != 303:
                        errors.append((time.time(), f"cas sign-in {response.status_code}"))
                        session = None
                        continue
                login = session.get(cluster.base + "/cas/login", params={"service": CAS_APP}, allow_redirects=False, timeout=5)
                ticket = parse_qs(urlparse(login.headers["Location"]).query)["ticket"][0]
                answer = requests.get(cluster.base + "/cas/serviceValidate", params={"service": CAS_APP, "ticket": ticket}, timeout=5)
                if "authenticationSuccess" in answer.text:
                    cas_ok.append(time.time())
                else:
                    errors.append((time.time(), f"cas {answer.status_code} {answer.text[:100]}"))
            except Exception as error:  # anything: the thread must go on and say what happened
                errors.append((time.time(), f"cas {error!r}"))

    threads = [threading.Thread(target=rotate, args=(i,)) for i in range(len(chains))] + [threading.Thread(target=validate_cas)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    victim = cluster.instances[0]
    killed_at = time.time()
    victim.proc.send_signal(signal.SIGKILL)
    victim.proc.wait(timeout=10)
    victim.proc = None
    before_kill = sum(len(chain) for chain in issued)
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)

    total = sum(len(chain) for chain in issued)
    assert before_kill > 10 and total > before_kill + 10, "the flows went on after the kill"
    assert sum(1 for t in cas_ok if t > killed_at + 1) > 3, ("CAS validation went on after the kill", len(cas_ok), errors[-10:])
    # Only requests caught in flight by the kill failed; everything after it went through.
    late = [what for t, what in errors if t > killed_at + 1 or t < killed_at - 0.05]
    assert not late, late
    # Nothing handed out twice: every refresh token a client received is distinct.
    everything = [token for chain in issued for token in chain]
    assert len(everything) == len(set(everything))
    # Nothing lost: every token handed out is in the database, all but the last of each chain are
    # used, and the last ones still work.
    digests = ",".join(f"'{hashlib.sha256(token.encode()).hexdigest()}'" for token in everything)
    rows = cluster.sql(f"SELECT digest, CASE WHEN used_at IS NULL THEN 'live' ELSE 'used' END FROM refresh_tokens WHERE digest IN ({digests})")
    stored = dict(rows)
    assert len(stored) == len(everything)
    assert {d for d, state in stored.items() if state == "live"} == {hashlib.sha256(c.encode()).hexdigest() for c in chains}
    for chain in chains:
        assert refresh(cluster, chain).status_code == 200
    # Both instances appended to the audit chain at once; it is still one valid chain.
    verify = cluster.cli("audit", "verify")
    assert verify.returncode == 0 and verify.stdout.startswith("audit chain intact"), verify.stdout + verify.stderr


def test_sesame_can_terminate_tls_itself(tmp_path):
    import subprocess
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    node = Sesame(tmp_path / "data", serve_args=["--tls-cert", str(cert), "--tls-key", str(key)])
    node.direct = node.base = f"https://127.0.0.1:{node.port}"
    import os
    os.environ["REQUESTS_CA_BUNDLE"] = str(cert)  # the readiness check in Sesame.start trusts this certificate
    try:
        node.start()
        discovery = requests.get(node.base + "/.well-known/openid-configuration", verify=str(cert)).json()
        assert discovery["issuer"] == node.base
        login = requests.get(node.base + "/login", verify=str(cert))
        assert "Secure" in login.headers["Set-Cookie"] and "Strict-Transport-Security" in login.headers
        untrusting = requests.Session()
        untrusting.trust_env = False  # the system's CA list only
        with pytest.raises(requests.exceptions.SSLError):
            untrusting.get(node.base + "/healthz")
    finally:
        del os.environ["REQUESTS_CA_BUNDLE"]
        node.stop()
    bad = Sesame(tmp_path / "data", serve_args=["--tls-cert", str(tmp_path / "missing.pem"), "--tls-key", str(key)])
    result = subprocess.run([*bad.cli_command("serve"), "--listen", f"127.0.0.1:{bad.port}"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and "cannot read the TLS certificate chain" in result.stderr


def test_an_instance_given_another_data_key_refuses_to_start(cluster, tmp_path):
    import subprocess
    wrong = data_key_file(tmp_path)
    node = Sesame(tmp_path / "node3", common=["--database", cluster.database, "--data-key-file", str(wrong)])
    result = subprocess.run([*node.cli_command("serve"), "--listen", f"127.0.0.1:{node.port}"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr[-500:]
    assert "cannot be decrypted with this data key" in result.stderr and "same data key" in result.stderr
