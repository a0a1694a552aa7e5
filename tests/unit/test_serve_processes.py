"""``serve``'s socket and protocol (infra/http/processes.py): Nagle off on every accepted
connection, whatever protocol number the listening socket was made with."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from uvicorn.config import Config
from uvicorn.server import ServerState

from infra.http.processes import NoDelayH11Protocol, listening_socket, serve_in_processes


class _Transport:
    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {
            "socket": self._sock,
            "peername": ("127.0.0.1", 1),
            "sockname": ("127.0.0.1", 2),
        }.get(name, default)

    def is_closing(self) -> bool:
        return False


def test_an_accepted_connection_gets_tcp_nodelay() -> None:
    # Protocol number 0, as uvicorn's own workers bind theirs: asyncio leaves Nagle on.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        with socket.create_connection(listener.getsockname()) as _client:
            accepted, _ = listener.accept()
            with accepted:
                assert not accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
                config = Config(app=lambda: None)
                config.load()
                loop = asyncio.new_event_loop()
                try:
                    protocol = NoDelayH11Protocol(config, ServerState(), app_state={}, _loop=loop)
                    protocol.connection_made(_Transport(accepted))  # type: ignore[arg-type]
                finally:
                    loop.close()
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_the_listening_socket_is_tcp_so_asyncio_sets_nodelay_too() -> None:
    with listening_socket("127.0.0.1", 0) as sock:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.get_inheritable()


def test_a_worker_that_fails_as_it_starts_stops_the_server() -> None:
    """Its replacement would fail the same way (the store unreachable, say): exit 1."""

    def make_app() -> object:
        raise RuntimeError("the store cannot be reached")

    with listening_socket("127.0.0.1", 0) as sock:
        assert serve_in_processes(make_app, sock, 2) == 1
