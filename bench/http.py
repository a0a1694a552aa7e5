"""HTTP recording: 16 keep-alive clients against a real ``quarterly serve --workers N`` (one
process per core), beside the application-layer rate measured by :mod:`bench.online`.

The clients share the machine's cores with the server, so they are the standard library's
``http.client``: about 0.3 ms of CPU a request here, against 1.5 to 1.7 ms for ``httpx``,
whose clients took a fifth of the two cores away from the server they measured. The
clients' CPU per request is reported with the figure."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx

from application.access import issue_token
from bench.figures import Figure, ratio
from bench.online import define_targets
from bench.stores import opened
from bench.workload import engagement
from domain.access import Role

CLIENTS = 16
WORKERS = os.cpu_count() or 1  # serve's processes


def http_recording(url: str, seconds: float, app_rate: float) -> Figure:
    """Commands per second (and p99 latency) of :data:`CLIENTS` clients posting engagements
    for ``seconds``, beside ``app_rate``, the rate of the same commands without HTTP."""
    define_targets(url, "http")
    with opened(url) as store:
        _, token = issue_token(store.ledger, Role.ADMIN, name="bench")
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    latencies: list[float] = []
    lock = threading.Lock()

    def client(number: int, base: str) -> int:
        done, mine = 0, []
        host, port = base.removeprefix("http://").rsplit(":", 1)
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            # The window starts once the client exists, and always holds one request: on a
            # loaded machine making the client can outlast a short window.
            deadline = time.monotonic() + seconds
            while done == 0 or time.monotonic() < deadline:
                body = json.dumps(engagement(done, id=f"h{number}-{done}")).encode()
                started = time.perf_counter()
                connection.request("POST", "/api/v1/commands", body, headers)
                response = connection.getresponse()
                answer = response.read()
                mine.append((time.perf_counter() - started) * 1000)
                if response.status != 201:
                    raise RuntimeError(f"the bench's command was refused: {answer!r}")
                done += 1
        finally:
            connection.close()
        with lock:
            latencies.extend(mine)
        return done

    with serving(url) as base, ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        started, cpu = time.perf_counter(), time.process_time()
        total = sum(pool.map(client, range(CLIENTS), [base] * CLIENTS))
        rate = total / (time.perf_counter() - started)
        client_cpu = (time.process_time() - cpu) * 1000 / max(total, 1)
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else 0.0
    return Figure(
        "HTTP recording, 16 keep-alive clients",
        round(rate, 1),
        "commands/s",
        round(app_rate, 1),
        ratio(rate, app_rate),
        "ratio >= 0.5; p99 <= 50 ms",
        f"p99 {p99:.1f} ms; serve --workers {WORKERS}; clients' CPU {client_cpu:.2f} ms a"
        " request; baseline: the application-layer rate above",
    )


@contextmanager
def serving(url: str) -> Iterator[str]:
    """``quarterly serve`` on a free port of 127.0.0.1 for the block: its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The server runs as a user runs it: its own process, started through the CLI's entry
    # point (by name, in that process; the bench itself imports nothing of the adapters).
    command = [
        sys.executable,
        "-c",
        "from infra.cli.main import run; run()",
        "--store",
        url,
        "serve",
        "--port",
        str(port),
        "--workers",
        str(WORKERS),
    ]
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in the finally below
        "w+", prefix="quarterly-bench-serve-", suffix=".log"
    )
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("quarterly serve did not start for the bench")
            time.sleep(0.1)
        yield base
    except Exception as error:
        log.seek(0)
        errors = [line for line in log.read().splitlines() if "error" in line.lower()]
        raise RuntimeError(f"{error}; server log: {errors[-3:]}") from error
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
