"""``quarterly serve --workers N``: several processes on one port, each answering without
the delayed-ACK stall, and a revoke seen at once by every process's token cache."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.builders import define, engagement
from tests.e2e.cli import QUARTERLY, quarterly
from tests.e2e.server import free_port, make_token, serving, wait_until_answering

# Long enough that every token stays cached for the whole test: a revoke must end it anyway.
CACHED_FOR = {"QUARTERLY_TOKEN_CACHE_SECONDS": "300"}


def _workers_of(base: str) -> set[int]:
    """The worker process ids behind ``base``: the listening parent's children."""
    port = base.rsplit(":", 1)[1]
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in command and port.encode() in command:
            children = (proc / "task" / proc.name / "children").read_text().split()
            if children:
                return {int(child) for child in children}
    return set()


def test_two_workers_share_the_port_and_store_every_command(store_url: str) -> None:
    token = make_token(store_url, "admin", "loader")
    headers = {"Authorization": f"Bearer {token}"}
    with serving(store_url, workers=2) as base:
        assert len(_workers_of(base)) == 2
        with httpx.Client(base_url=base, timeout=60, headers=headers) as http:
            assert http.post("/api/v1/commands", json=define()).status_code == 201
        commands = [engagement(f"2016-05-{n % 28 + 1:02d}", count=1) for n in range(80)]

        def post(command: dict[str, object]) -> int:
            # A connection per command, so that both processes take some.
            with httpx.Client(base_url=base, timeout=60, headers=headers) as http:
                return http.post("/api/v1/commands", json=command).status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            assert set(pool.map(post, commands)) == {201}
        with ThreadPoolExecutor(max_workers=8) as pool:  # each again: already stored
            assert set(pool.map(post, commands)) == {200}
        with httpx.Client(base_url=base, timeout=60, headers=headers) as http:
            report = http.get("/api/v1/years/2016-17/report")
    assert report.status_code == 200
    assert quarterly("verify", store=store_url).stdout.startswith(f"OK: {2 + 2 + 80} events")


def test_keep_alive_responses_do_not_wait_for_a_delayed_ack(store_url: str) -> None:
    """Nagle's algorithm held each response's body until the client acknowledged its
    headers, about 40 ms on Linux; with TCP_NODELAY a health check takes a few ms."""
    with serving(store_url, workers=2) as base, httpx.Client(base_url=base) as http:
        http.get("/api/v1/health")
        took = []
        for _ in range(25):
            started = time.perf_counter()
            assert http.get("/api/v1/health").status_code == 200
            took.append((time.perf_counter() - started) * 1000)
    assert statistics.median(took) < 25, took


def test_a_revoke_is_refused_at_once_by_every_worker(store_url: str) -> None:
    token = make_token(store_url, "auditor", "leaving")
    headers = {"Authorization": f"Bearer {token}"}

    def status(_: int) -> int:
        with httpx.Client(base_url=base, timeout=60, headers=headers) as http:
            return http.get("/api/v1/verify").status_code

    with serving(store_url, workers=2, env=CACHED_FOR) as base:
        with ThreadPoolExecutor(max_workers=8) as pool:  # cached in both processes
            assert set(pool.map(status, range(16))) == {200}
        revoked = quarterly("token", "revoke", "leaving", store=store_url)
        assert revoked.code == 0, revoked.stderr
        with ThreadPoolExecutor(max_workers=8) as pool:
            assert set(pool.map(status, range(16))) == {401}


def test_a_worker_killed_is_replaced_even_just_after_it_started(tmp_path: Path) -> None:
    """Killed by a signal within STARTUP_SECONDS of starting is not a failed start (which
    stops the server): only a worker that exits by itself with a failure is."""
    store = f"sqlite:///{tmp_path / 'quarterly.db'}"
    with serving(store, workers=2) as base:
        before = _workers_of(base)
        assert len(before) == 2
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 30
        now = _workers_of(base)
        while (len(now) != 2 or victim in now) and time.monotonic() < deadline:
            time.sleep(0.2)
            now = _workers_of(base)
        assert len(now) == 2
        assert victim not in now
        assert httpx.get(f"{base}/api/v1/health", timeout=10).status_code == 200


def test_a_stop_signal_is_a_clean_stop_one_process_or_many(tmp_path: Path) -> None:
    """SIGINT (Ctrl-C) and SIGTERM end `serve` with status 0 and no error line, whatever
    --workers says (one process stopped with 130 and `error: interrupted` on SIGINT)."""
    store = f"sqlite:///{tmp_path / 'quarterly.db'}"
    for workers in (1, 2):
        for stop in (signal.SIGINT, signal.SIGTERM):
            port = free_port()
            log = tmp_path / f"serve-{workers}-{stop.name}.log"
            with log.open("w") as output:
                process = subprocess.Popen(
                    [QUARTERLY, "serve", "--port", str(port), "--workers", str(workers)],
                    env=os.environ | {"QUARTERLY_STORE": store},
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
                try:
                    wait_until_answering(f"http://127.0.0.1:{port}", process, log, healthy=True)
                    process.send_signal(stop)
                    code = process.wait(timeout=30)
                finally:
                    process.kill()
            said = log.read_text()
            assert code == 0, (workers, stop.name, said)
            assert "error:" not in said, (workers, stop.name, said)
