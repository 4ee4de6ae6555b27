"""Shared fixtures: a real `sesame serve` on a loopback port with its own data directory, the
CLI against the same directory, an HTTP sign-in helper and a headless Chromium."""

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
SESAME_BIN = os.environ.get("SESAME_BIN", str(REPO / ".build" / "debug" / "sesame"))


def latest_schema_version():
    """The highest migration step in the source, so tests need no edit when a step is added."""
    text = (REPO / "Sources" / "SesameSQL" / "Migrations.swift").read_text()
    return max(int(v) for v in re.findall(r"Step\(version: (\d+)", text))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sesame:
    """One data directory, the CLI pointed at it, and (once started) a server on it."""

    def __init__(self, data_dir: Path, common=(), serve_args=(), issuer=None):
        self.data_dir = data_dir
        self.common = ["--data-dir", str(data_dir), *common]  # store and key options, for serve and the CLI
        self.serve_args = list(serve_args)
        self.port = free_port()
        self.direct = f"http://127.0.0.1:{self.port}"
        self.base = issuer or self.direct
        self.log_path = data_dir.parent / f"serve-{self.port}.log"
        self.proc = None

    def cli_command(self, *args):
        return [SESAME_BIN, *args, *self.common, *self.serve_args]

    def cli(self, *args, input=None):
        return subprocess.run(
            [SESAME_BIN, *args, *self.common],
            input=input, capture_output=True, text=True, timeout=60,
        )

    def add_user(self, username, password, *extra):
        result = self.cli("user", "add", username, *extra, "--password-stdin", input=password + "\n")
        assert result.returncode == 0, result.stderr
        return result

    def show(self, username):
        import json
        result = self.cli("user", "show", username, "--json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def start(self):
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [SESAME_BIN, "serve", *self.common, "--listen", f"127.0.0.1:{self.port}", "--issuer", self.base, *self.serve_args],
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            assert self.proc.poll() is None, self.log_path.read_text()
            try:
                if requests.get(self.direct + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise AssertionError("sesame did not become healthy:\n" + self.log_path.read_text())

    def stop(self, sig=signal.SIGTERM):
        """Stops the server with `sig` and returns its exit code."""
        if self.proc is None:
            return None
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=30)
        self.proc = None
        self.log.close()
        return code

    def log_text(self):
        return self.log_path.read_text()


@pytest.fixture(scope="module")
def sesame(tmp_path_factory):
    instance = Sesame(tmp_path_factory.mktemp("sesame") / "data")
    instance.start()
    yield instance
    assert instance.stop() == 0, instance.log_text()


@pytest.fixture
def fresh_sesame(tmp_path):
    """A data directory of its own, server not started (for CLI and shutdown tests)."""
    instance = Sesame(tmp_path / "data")
    yield instance
    instance.stop(signal.SIGKILL) if instance.proc else None


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(html):
    match = CSRF.search(html)
    assert match, "no csrf_token in page"
    return match.group(1)


def sign_in(base, username, password, return_to=None, session=None):
    """GETs the sign-in form, posts it, and returns (session, response) without following the redirect."""
    session = session or requests.Session()
    page = session.get(base + "/login")
    form = {"csrf_token": csrf_token(page.text), "username": username, "password": password}
    if return_to is not None:
        form["return_to"] = return_to
    return session, session.post(base + "/login", data=form, allow_redirects=False)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900"):
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def click_and_wait(browser, selector=None, element=None):
    """Clicks a button and waits until the browser has left the page it was on. Any error from
    asking about the old button means it is gone (Chromium sometimes answers mid-navigation with
    "node does not belong to the document" instead of a stale-element error)."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    button = element or browser.find_element(By.CSS_SELECTOR, selector)
    button.click()

    def left(_):
        try:
            button.is_enabled()
            return False
        except WebDriverException:
            return True

    WebDriverWait(browser, 15).until(left)
