"""A real ``quarterly serve`` process on a free port, for tests over HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.e2e.cli import QUARTERLY, quarterly


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(
    store: str,
    log: Path | None = None,
    *,
    env: dict[str, str] | None = None,
    healthy: bool = True,
    workers: int = 1,
) -> Iterator[str]:
    """The server's log goes to a file: a pipe nobody reads would fill up and block it.

    ``env`` adds to the server's environment; with ``healthy=False`` any answer from the
    health check means the server is up (for tests of a server that starts unhealthy);
    ``workers`` is ``serve --workers``.
    """
    port = free_port()
    env = os.environ | {"QUARTERLY_STORE": store, "QUARTERLY_LOG_FORMAT": "json"} | (env or {})
    log = log or Path(tempfile.mkstemp(prefix="quarterly-serve-", suffix=".log")[1])
    with log.open("w") as output:
        process = subprocess.Popen(
            [QUARTERLY, "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_answering(base, process, log, healthy=healthy)
            yield base
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_until_answering(
    base: str, process: subprocess.Popen[bytes], log: Path, *, healthy: bool
) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            status = httpx.get(f"{base}/api/v1/health", timeout=1).status_code
            if status == 200 or not healthy:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"serve did not start: {log.read_text()}")
        time.sleep(0.1)


def make_token(store: str, role: str, name: str, team: str | None = None) -> str:
    args = ["token", "create", "--role", role, "--name", name]
    if team:
        args += ["--team", team]
    run = quarterly(*args, store=store)
    assert run.code == 0, run.stderr
    return run.stdout.strip()
