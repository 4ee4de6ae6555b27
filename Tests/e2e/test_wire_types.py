"""The wire types as the real server sends them, and the issuer it announces when given none."""

import os
import subprocess
import time

import requests

from conftest import SESAME_BIN, free_port


def serve_without_issuer(data_dir, listen):
    """`sesame serve --listen ADDRESS` with no --issuer anywhere (flag, environment or file)."""
    env = {k: v for k, v in os.environ.items() if k != "SESAME_ISSUER"}
    log_path = data_dir.parent / "serve.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [SESAME_BIN, "serve", "--data-dir", str(data_dir), "--listen", listen],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    return proc, log, log_path


def wait_healthy(proc, base, log_path):
    deadline = time.time() + 30
    while time.time() < deadline:
        assert proc.poll() is None, log_path.read_text()
        try:
            if requests.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise AssertionError("sesame did not become healthy:\n" + log_path.read_text())


def test_default_issuer_follows_listen(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc, log, log_path = serve_without_issuer(tmp_path / "data", f"127.0.0.1:{port}")
    try:
        wait_healthy(proc, base, log_path)
        discovery = requests.get(base + "/.well-known/openid-configuration", timeout=5).json()
        # Before the fix this was http://127.0.0.1:8080 whatever the port.
        assert discovery["issuer"] == base
        assert discovery["token_endpoint"] == base + "/token"
        assert discovery["jwks_uri"].startswith(base + "/")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_default_issuer_for_wildcard_listen_is_loopback(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc, log, log_path = serve_without_issuer(tmp_path / "data", f"0.0.0.0:{port}")
    try:
        wait_healthy(proc, base, log_path)
        discovery = requests.get(base + "/.well-known/openid-configuration", timeout=5).json()
        assert discovery["issuer"] == base
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
