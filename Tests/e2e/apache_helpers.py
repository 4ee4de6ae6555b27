"""Real third-party servers for the end-to-end tests: a private Apache (started as a process
with its own config, dropping to www-data) and nginx as a TLS terminator on loopback."""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import requests

from conftest import free_port

MODULES = Path("/usr/lib/apache2/modules")


class Apache:
    """Apache on a free loopback port, serving `pages` (relative path -> SSI page text)."""

    def __init__(self, modules, directives, pages):
        assert shutil.which("apache2"), "apache2 is not installed (scripts/test installs it)"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # Apache drops to www-data, so its files live outside pytest's private (0700) temp folder.
        self.root = Path(tempfile.mkdtemp(prefix="sesame-apache-"))
        self.root.chmod(0o755)
        for relative, text in pages.items():
            page = self.root / "www" / relative
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(text)
        for path in [self.root / "www", *(self.root / "www").rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        wanted = ["mpm_event", "authz_core", "authz_user", "authn_core", "mime", "dir", "include", *modules]
        for name in wanted:
            assert (MODULES / f"mod_{name}.so").exists(), f"mod_{name} is not installed (scripts/test installs it)"
        loads = "\n".join(f"LoadModule {name}_module {MODULES}/mod_{name}.so" for name in wanted)
        self.config = self.root / "apache.conf"
        self.config.write_text(f"""
ServerRoot {self.root}
ServerName 127.0.0.1
Listen 127.0.0.1:{self.port}
PidFile {self.root}/apache.pid
ErrorLog {self.root}/error.log
LogLevel warn
User www-data
Group www-data
{loads}
TypesConfig /etc/mime.types
DocumentRoot {self.root}/www
<Directory {self.root}/www>
    Options +Includes
    AddType text/html .shtml
    AddOutputFilter INCLUDES .shtml
    DirectoryIndex index.shtml
    Require all granted
</Directory>
{directives.format(root=self.root, port=self.port)}
""")
        self.env = {**os.environ, "APACHE_LOG_DIR": str(self.root), "APACHE_RUN_DIR": str(self.root), "APACHE_LOCK_DIR": str(self.root)}
        started = subprocess.run(["apache2", "-f", str(self.config), "-k", "start"], capture_output=True, text=True, env=self.env)
        assert started.returncode == 0, started.stderr + self.error_log()
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                requests.get(self.base + "/", timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.1)

    def error_log(self):
        log = self.root / "error.log"
        return log.read_text() if log.exists() else ""

    def stop(self):
        subprocess.run(["apache2", "-f", str(self.config), "-k", "stop"], capture_output=True, env=self.env)
        deadline = time.time() + 10
        while (self.root / "apache.pid").exists() and time.time() < deadline:
            time.sleep(0.1)
        shutil.rmtree(self.root, ignore_errors=True)


class TLSProxy:
    """nginx terminating TLS for `upstream` on a loopback port, with a fresh self-signed cert."""

    def __init__(self, upstream_port):
        assert shutil.which("nginx"), "nginx is not installed (scripts/test installs it)"
        self.root = Path(tempfile.mkdtemp(prefix="sesame-nginx-"))
        self.root.chmod(0o755)
        self.cert, key = self.root / "cert.pem", self.root / "key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(self.cert)],
                       check=True, capture_output=True)
        self.cert.chmod(0o644)
        self.port = free_port()
        (self.root / "nginx.conf").write_text(f"""
daemon on;
pid {self.root}/nginx.pid;
error_log {self.root}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    server {{
        listen 127.0.0.1:{self.port} ssl;
        ssl_certificate {self.cert};
        ssl_certificate_key {key};
        location / {{ proxy_pass http://127.0.0.1:{upstream_port}; proxy_set_header Host $http_host; }}
    }}
}}
""")
        result = subprocess.run(["nginx", "-c", str(self.root / "nginx.conf"), "-p", str(self.root)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        self.base = f"https://127.0.0.1:{self.port}"

    def stop(self):
        subprocess.run(["nginx", "-c", str(self.root / "nginx.conf"), "-p", str(self.root), "-s", "stop"], capture_output=True)
        time.sleep(0.2)
        shutil.rmtree(self.root, ignore_errors=True)
