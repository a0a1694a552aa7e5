"""``quarterly serve --workers N``: one listening socket, N uvicorn processes accepting on it.

Why not uvicorn's own ``workers``: it binds its socket as ``socket.socket(family)``, whose
protocol number is 0, and asyncio switches Nagle's algorithm off (``TCP_NODELAY``) only on
sockets whose protocol is ``IPPROTO_TCP``. uvicorn's h11 protocol writes a response's
headers and its body in two ``write`` calls; with Nagle on, the body waits until the client
acknowledges the headers, and the client delays that acknowledgement (Linux: up to 40 ms)
hoping to piggyback it on data it never sends. Every keep-alive response then took about
40 ms. Here the socket is made with ``IPPROTO_TCP`` and every accepted connection gets
``TCP_NODELAY`` explicitly (:class:`NoDelayH11Protocol`), one process or many.

The processes are forked from this one after the socket is bound (so a port in use fails
here, once, with the reason); each builds its own service on start-up, with its own store
connection pools and projection follower. Connections are shared out by the kernel among
the processes waiting in ``accept``. A worker that dies is replaced, unless it exited by
itself with a failure within :data:`STARTUP_SECONDS` of starting (the store unreachable,
say): that stops the server, since its replacement would fail the same way. A worker
killed by a signal (an operator's ``kill``, the OOM killer) is always replaced.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import time
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

import structlog
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

log = structlog.get_logger("quarterly.serve")

STARTUP_SECONDS = 10.0


class NoDelayH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with Nagle's algorithm off on every accepted connection."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` and listening (OSError if the port is taken)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve_once(app: Any, sock: socket.socket, **config: Any) -> None:
    """One uvicorn server for ``app`` on ``sock``, in this process, until it is stopped."""
    server = uvicorn.Server(uvicorn.Config(app, http=NoDelayH11Protocol, **config))
    server.run(sockets=[sock])


def serve_in_processes(
    make_app: Callable[[], Any], sock: socket.socket, workers: int, **config: Any
) -> int:
    """Runs ``workers`` forked processes, each serving ``make_app()`` on ``sock``, until
    SIGTERM or SIGINT (passed on to each worker); the exit status for the command: 0 after
    a clean stop (one process or many), 1 when a worker failed as it started."""
    if workers == 1:
        # uvicorn stops gracefully on the signal, then raises it again: SIGINT would end
        # in KeyboardInterrupt (exit 130), SIGTERM in death by the signal.
        with _stop_signals_handled_by(_stopped), contextlib.suppress(_Stopped):
            serve_once(make_app(), sock, **config)
        return 0
    started: dict[int, float] = {}
    stopping = False
    failed = False

    def start_worker() -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            code = 1
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                serve_once(make_app(), sock, **config)
                code = 0
            finally:
                os._exit(code)
        started[pid] = time.monotonic()

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(started):
            _signal(pid, signal.SIGTERM)

    with _stop_signals_handled_by(stop):
        for _ in range(workers):
            start_worker()
        log.info("serving", workers=workers, pids=sorted(started))
        while started:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            began = started.pop(pid, None)
            if stopping or began is None:
                continue
            code = os.waitstatus_to_exitcode(status)
            if code > 0 and time.monotonic() - began < STARTUP_SECONDS:  # not a signal
                log.error("worker_failed_at_start", pid=pid, exit_code=code)
                failed = True
                stop(signal.SIGTERM, None)
            else:
                log.warning("worker_replaced", pid=pid, exit_code=code)
                start_worker()
    return 1 if failed else 0


@contextlib.contextmanager
def _stop_signals_handled_by(handler: Callable[[int, FrameType | None], None]) -> Iterator[None]:
    """SIGTERM and SIGINT handled by ``handler`` for the block, as before afterwards."""
    previous = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for signum, earlier in previous.items():
            signal.signal(signum, earlier)


class _Stopped(BaseException):  # not an Exception: no `except Exception` swallows it
    """SIGTERM or SIGINT: the server was asked to stop."""


def _stopped(_signum: int, _frame: FrameType | None) -> None:
    raise _Stopped


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it has exited already
        os.kill(pid, signum)
