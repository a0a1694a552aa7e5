"""What the HTTP edge makes of failures: store outages answer 503 with Retry-After, bugs
500, both in the API's error shape with one log line; refusals logged with their reason;
bodies over the limit 413 however they are sent; request ids bounded."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx
import psycopg
import pytest
import structlog
from eventsourcing.persistence import ConnectionUnavailableError, DataError
from eventsourcing.persistence import OperationalError as StoreOperationalError
from fastapi import FastAPI
from psycopg_pool import PoolTimeout
from starlette.types import Receive, Scope, Send

from domain.errors import BadInput, CommandConflict
from infra.http.failure_note import MAX_LOGGED_CHARACTERS
from infra.http.limits import BodySizeLimit
from infra.http.request_log import RETRY_AFTER_SECONDS, RequestLog, request_id_from
from infra.http.responses import install_refusals
from infra.outages import is_store_outage


def wrapped(error: Exception) -> Exception:
    """``error`` as eventsourcing re-raises a driver's error: its own type, ``from`` it."""
    try:
        raise StoreOperationalError(str(error)) from error
    except StoreOperationalError as store_error:
        return store_error


OUTAGES = [
    psycopg.OperationalError("connection failed: Connection refused"),
    psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
    psycopg.InterfaceError("the connection is closed"),
    PoolTimeout("couldn't get a connection after 5.00 sec"),
    wrapped(psycopg.OperationalError("server closed the connection unexpectedly")),
    wrapped(sqlite3.OperationalError("database is locked")),
    ConnectionUnavailableError("timed out waiting for a connection"),
]
BUGS = [
    RuntimeError("a bug"),
    wrapped(sqlite3.OperationalError("no such table: qr_cells")),
    psycopg.errors.UndefinedTable("relation qr_cells does not exist"),
    DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes"),
    KeyError("year"),
]


def raising(error: Exception) -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise error

    return app


async def echo(scope: Scope, receive: Receive, send: Send) -> None:
    """Answers with the body it read, to show the limit replays what it buffered."""
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


def call(app: Any, method: str, path: str, **options: Any) -> httpx.Response:
    """One request to ``app`` behind the request log and a 1 KiB body limit."""
    edge = RequestLog(BodySizeLimit(app, max_bytes=1024))

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=edge)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.request(method, path, **options)

    return anyio.run(send)


@pytest.mark.parametrize("error", OUTAGES, ids=lambda e: type(e).__name__)
def test_a_store_outage_answers_503_with_retry_after_and_logs_one_line(error: Exception) -> None:
    assert is_store_outage(error)
    with structlog.testing.capture_logs() as logs:
        response = call(raising(error), "GET", "/api/v1/risks")
    assert response.status_code == 503
    assert response.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {"error": response.json()["error"], "field": None}
    assert "try again" in response.json()["error"]
    [line] = logs
    assert (line["event"], line["log_level"], line["status"]) == ("request", "warning", 503)
    assert line["error_type"] == type(error).__name__
    assert line["error"] == str(error)
    assert "where" not in line


@pytest.mark.parametrize("error", BUGS, ids=lambda e: type(e).__name__)
def test_any_other_failure_answers_500_and_logs_where_in_one_line(error: Exception) -> None:
    assert not is_store_outage(error)
    with structlog.testing.capture_logs() as logs:
        response = call(raising(error), "GET", "/api/v1/x", headers={"X-Request-ID": "req-1"})
    assert response.status_code == 500
    assert "retry-after" not in response.headers
    assert response.json() == {
        "error": "internal error; the log has it under request id req-1",
        "field": None,
    }
    [line] = logs
    assert (line["log_level"], line["status"], line["request_id"]) == ("error", 500, "req-1")
    assert line["error_type"] == type(error).__name__
    assert all(isinstance(frame, str) and "\n" not in frame for frame in line["where"])


def test_a_failure_after_the_answer_began_is_logged_once_and_cuts_the_answer() -> None:
    async def half(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise RuntimeError("half way")

    with structlog.testing.capture_logs() as logs, pytest.raises(RuntimeError):
        call(half, "GET", "/api/v1/x")
    [line] = logs
    assert (line["status"], line["error_type"]) == (200, "RuntimeError")


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("client-42:a.b_c", True),
        ("x" * 128, True),
        ("x" * 129, False),
        ("x" * 8192, False),
        ("two words", False),
        ("", False),
        ("é", False),
        ("qtk_" + "A" * 43, False),  # a token sent as the request id is never logged
    ],
)
def test_a_client_request_id_is_kept_only_if_short_and_plain(sent: str, kept: bool) -> None:
    chosen = request_id_from([(b"x-request-id", sent.encode())])
    if kept:
        assert chosen == sent
    else:
        assert len(chosen) == 32
        assert chosen != sent
    with structlog.testing.capture_logs() as logs:
        response = call(echo, "GET", "/api/v1/x", headers={"X-Request-ID": sent.encode()})
    assert (response.headers["x-request-id"] == sent) is kept
    assert logs[0]["request_id"] == response.headers["x-request-id"]


async def chunks(total: int, size: int = 100) -> AsyncIterator[bytes]:
    """A body sent without a length (chunked), in pieces."""
    for start in range(0, total, size):
        yield b"x" * min(size, total - start)


@pytest.mark.parametrize("total", [1025, 5000, 1_000_000])
def test_a_chunked_body_over_the_limit_is_413(total: int) -> None:
    response = call(echo, "POST", "/api/v1/commands", content=chunks(total))
    assert response.status_code == 413
    assert response.json()["field"] is None
    assert "larger than 1024 bytes" in response.json()["error"]


def test_a_declared_length_over_the_limit_is_413_without_reading() -> None:
    response = call(echo, "POST", "/api/v1/commands", content=b"x" * 1025)
    assert response.status_code == 413


@pytest.mark.parametrize("total", [0, 1, 1024])
def test_a_body_within_the_limit_reaches_the_app_whole(total: int) -> None:
    chunked = call(echo, "POST", "/api/v1/commands", content=chunks(total))
    assert (chunked.status_code, len(chunked.content)) == (200, total)
    declared = call(echo, "POST", "/api/v1/commands", content=b"y" * total)
    assert (declared.status_code, declared.content) == (200, b"y" * total)


def refusing_app() -> FastAPI:
    """An app with the API's refusal handlers and routes that refuse."""
    app = FastAPI()
    install_refusals(app)

    @app.get("/api/v1/refused")
    def refused() -> None:
        raise CommandConflict("the command id c-1 was already used for another command")

    @app.get("/api/v1/long")
    def long() -> None:
        raise BadInput("x" * 5000, field="notes")

    @app.get("/api/v1/numbers/{number}")
    def numbers(number: int) -> int:
        return number

    return app


@pytest.mark.parametrize(
    ("path", "status", "error_type", "error"),
    [
        ("/api/v1/refused", 409, "CommandConflict", "already used for another command"),
        ("/api/v1/numbers/seven", 422, "BadInput", "must be a whole number, not 'seven'"),
        ("/api/v1/nowhere", 404, "HTTPException", "Not Found"),
    ],
)
def test_a_refusal_is_logged_with_its_reason(
    path: str, status: int, error_type: str, error: str
) -> None:
    with structlog.testing.capture_logs() as logs:
        response = call(refusing_app(), "GET", path)
    assert response.status_code == status
    [line] = logs
    assert (line["log_level"], line["status"]) == ("info", status)
    assert line["error_type"] == error_type
    assert error in line["error"]
    assert "where" not in line


def test_a_refusal_quoting_a_long_input_is_logged_short() -> None:
    with structlog.testing.capture_logs() as logs:
        response = call(refusing_app(), "GET", "/api/v1/long")
    assert response.status_code == 422
    assert len(response.json()["error"]) == 5000  # the answer is whole; the log keeps less
    [line] = logs
    assert line["error"] == "x" * MAX_LOGGED_CHARACTERS + "..."


def test_a_body_over_the_limit_is_logged_with_its_reason() -> None:
    with structlog.testing.capture_logs() as logs:
        response = call(echo, "POST", "/api/v1/commands", content=b"x" * 1025)
    assert response.status_code == 413
    [line] = logs
    assert (line["error_type"], line["error"]) == (
        "BodyTooLarge",
        "the body is larger than 1024 bytes",
    )


def test_an_answer_without_a_failure_logs_no_error() -> None:
    with structlog.testing.capture_logs() as logs:
        response = call(echo, "POST", "/api/v1/commands", content=b"{}")
    assert response.status_code == 200
    [line] = logs
    assert "error" not in line
    assert "error_type" not in line


def test_every_field_of_a_log_line_is_kept_free_of_tokens() -> None:
    from infra.logging import _redact_tokens

    token = "qtk_" + "Ab-_9" * 9
    line = {
        "event": "request",
        "error": f"'{token}' is not a RAG",
        "path": f"/api/v1/x/{token}/y",
        "where": [f"a.py:1 f {token}", 3],
        "status": 422,
    }
    redacted = _redact_tokens(None, "info", dict(line))
    assert token not in repr(redacted)
    assert redacted["error"] == "'qtk_[redacted]' is not a RAG"
    assert redacted["path"] == "/api/v1/x/qtk_[redacted]/y"
    assert redacted["where"] == ["a.py:1 f qtk_[redacted]", 3]
    assert redacted["status"] == 422
