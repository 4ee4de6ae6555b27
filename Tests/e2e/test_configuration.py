"""The settings table as the real binary shows it: `sesame serve --help` offers exactly the flags
the README's table lists (the Swift suite checks the README against the table itself), and a
config file's values come under the environment's and the flags'."""
import re
import subprocess
import urllib.request
import json
import time

from conftest import REPO, SESAME_BIN, free_port


def readme_flags():
    text = (REPO / "README.md").read_text()
    table = text[text.index("| option | environment | config key |"):]
    table_rows = table.split("\n\n")[0].splitlines()[2:]
    flags = set()
    for line in table_rows:
        flags.update(re.findall(r"`--([a-z0-9-]+)`", line.split("|")[1]))
    return flags


def test_serve_help_offers_exactly_the_flags_of_the_readme_table():
    help_text = subprocess.run([SESAME_BIN, "serve", "--help"], capture_output=True, text=True, check=True).stdout
    offered = set(re.findall(r"^\s+(?:-\w, )?--([a-z0-9-]+)", help_text, re.MULTILINE)) - {"help", "version"}
    assert offered == readme_flags()


def test_config_keys_in_help_are_every_key():
    help_text = subprocess.run([SESAME_BIN, "serve", "--help"], capture_output=True, text=True, check=True).stdout
    for key in ["audit-log", "tls-cert", "second-factors", "trusted-proxies", "key-refresh-interval", "refresh-grace-period"]:
        assert key in help_text.split("Keys:")[1]


def test_flag_over_environment_over_config_file(tmp_path):
    port = free_port()
    config = tmp_path / "sesame.yaml"
    config.write_text(f"listen: 127.0.0.1:{port}\nissuer: http://file.example\nlog-level: warning\n")
    env = {"SESAME_ISSUER": "http://env.example", "PATH": "/usr/bin:/bin"}
    args = [SESAME_BIN, "serve", "--config", str(config), "--data-dir", str(tmp_path / "data")]
    for extra, expected in [([], "http://env.example"), (["--issuer", "http://flag.example"], "http://flag.example")]:
        process = subprocess.Popen(args + extra, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            document = None
            for _ in range(200):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/.well-known/openid-configuration", timeout=1) as response:
                        document = json.load(response)
                        break
                except OSError:
                    time.sleep(0.05)
            assert document is not None and document["issuer"] == expected
        finally:
            process.terminate()
            process.wait(timeout=10)
