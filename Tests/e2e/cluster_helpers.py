"""Several `sesame serve` instances on one PostgreSQL database behind an nginx load balancer,
all on loopback. The PostgreSQL server itself is started by scripts/test (SESAME_TEST_POSTGRES_URL)."""

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from conftest import free_port


def admin_url():
    url = os.environ.get("SESAME_TEST_POSTGRES_URL")
    assert url, "SESAME_TEST_POSTGRES_URL is not set: run ./scripts/test, which starts PostgreSQL for the tests"
    return url


def psql(url, sql):
    """Runs `sql` with psql and returns its rows as lists of strings."""
    parsed = urlparse(url)
    result = subprocess.run(
        ["psql", "-h", parsed.hostname, "-p", str(parsed.port), "-U", parsed.username, "-d", parsed.path.lstrip("/"),
         "-v", "ON_ERROR_STOP=1", "-AtF", "\t", "-c", sql],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return [line.split("\t") for line in result.stdout.splitlines() if line]


def new_database():
    """A new, empty database on the test server; returns its URL."""
    name = "sesame_e2e_" + uuid.uuid4().hex[:12]
    psql(admin_url(), f"CREATE DATABASE {name}")
    parsed = urlparse(admin_url())
    return urlunparse(parsed._replace(path="/" + name))


def drop_database(url):
    name = urlparse(url).path.lstrip("/")
    psql(admin_url(), f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def data_key_file(directory: Path):
    path = directory / "data.key"
    path.write_bytes(os.urandom(32))
    path.chmod(0o600)
    return path


class LoadBalancer:
    """nginx, round-robin over `upstream_ports`. It connects to the upstreams from 127.0.0.2, so
    Sesame can tell the proxy (trusted) from the client (127.0.0.1), and it names the upstream
    that answered in an X-Upstream header."""

    PROXY_ADDRESS = "127.0.0.2"

    def __init__(self, upstream_ports):
        assert shutil.which("nginx"), "nginx is not installed (scripts/test installs it)"
        self.root = Path(tempfile.mkdtemp(prefix="sesame-lb-"))
        self.root.chmod(0o755)
        self.port = free_port()
        servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=30s;" for port in upstream_ports)
        (self.root / "nginx.conf").write_text(f"""
daemon on;
pid {self.root}/nginx.pid;
error_log {self.root}/error.log;
events {{ worker_connections 512; }}
http {{
    access_log off;
    upstream sesame {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{self.port};
        location / {{
            proxy_pass http://sesame;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_bind {self.PROXY_ADDRESS};
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_next_upstream error timeout;
            proxy_connect_timeout 1s;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
""")
        result = subprocess.run(["nginx", "-c", str(self.root / "nginx.conf"), "-p", str(self.root)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self):
        subprocess.run(["nginx", "-c", str(self.root / "nginx.conf"), "-p", str(self.root), "-s", "stop"], capture_output=True)
        time.sleep(0.2)
        shutil.rmtree(self.root, ignore_errors=True)
