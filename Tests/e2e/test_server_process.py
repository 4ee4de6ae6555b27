"""How `sesame serve` runs: Swift concurrency's jobs on NIO's event loops (the binary links the
Swift runtime statically, where NIO's own takeover of the global executor cannot find its hook)."""

import json
import time
from pathlib import Path

import requests


def thread_cpu_ticks(pid):
    """CPU ticks (user + system) per thread name of a process."""
    ticks = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue  # the thread ended meanwhile
        ticks[name] = ticks.get(name, 0) + int(fields[11]) + int(fields[12])
    return ticks


def test_the_start_up_line_says_where_concurrency_runs(fresh_sesame):
    fresh_sesame.start()
    line = next(l for l in fresh_sesame.log_text().splitlines() if "sesame listening" in l)
    assert "concurrency=event-loops" in line


def test_token_requests_run_on_the_event_loops_not_the_runtime_threads(fresh_sesame):
    bot = json.loads(fresh_sesame.cli("client", "add", "bot", "--json", "--grant", "client_credentials", "--scope", "sesame:admin").stdout)
    fresh_sesame.start()
    before = thread_cpu_ticks(fresh_sesame.proc.pid)
    with requests.Session() as http:
        for _ in range(800):
            response = http.post(fresh_sesame.base + "/token", data={"grant_type": "client_credentials"}, auth=(bot["client_id"], bot["client_secret"]))
            assert response.status_code == 200 and response.json()["access_token"]
    after = thread_cpu_ticks(fresh_sesame.proc.pid)
    spent = {name: after.get(name, 0) - before.get(name, 0) for name in after}
    event_loops = sum(ticks for name, ticks in spent.items() if name.startswith("NIO-SGLTN-1-"))
    others = sum(ticks for name, ticks in spent.items() if not name.startswith("NIO-SGLTN-1-"))
    # With the runtime's own threads (com.apple.root...) running the handlers, they took about two
    # thirds of the CPU time; on the event loops, the rest is the audit flush and timers.
    assert event_loops >= 10, spent
    assert others <= event_loops * 0.2, spent


def context_switches(pid):
    """Voluntary and involuntary context switches, summed over the threads of a process."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            status = (task / "status").read_text()
        except FileNotFoundError:
            continue
        total += sum(int(line.split()[1]) for line in status.splitlines() if "ctxt_switches:" in line)
    return total


def test_an_idle_server_sleeps(fresh_sesame):
    """The audit writer waits for events instead of looking every 5 ms (that cost an idle server
    about 1,300 context switches and 3 % of a core a second); what is left are the second-long
    ticks of the store's upkeep."""
    bot = json.loads(fresh_sesame.cli("client", "add", "bot", "--json", "--grant", "client_credentials", "--scope", "sesame:admin").stdout)
    fresh_sesame.start()
    assert requests.get(fresh_sesame.base + "/healthz").status_code == 200
    time.sleep(1)
    before = context_switches(fresh_sesame.proc.pid)
    time.sleep(5)
    per_second = (context_switches(fresh_sesame.proc.pid) - before) / 5
    assert per_second < 60, per_second
    # And an event still reaches the store soon after it happens.
    started = time.monotonic()
    grant = requests.post(fresh_sesame.base + "/token", data={"grant_type": "client_credentials"}, auth=(bot["client_id"], bot["client_secret"]))
    assert grant.status_code == 200
    while "token.issued" not in fresh_sesame.cli("audit", "export").stdout:
        assert time.monotonic() - started < 5, "the grant was not audited"
        time.sleep(0.05)
