"""Every request: an id, exactly one log line, and an answer even when something failed.

This is a plain ASGI middleware outside everything else of the app, for two reasons. An
exception that escapes to Starlette's own error middleware is re-raised to uvicorn after the
500 is sent, and uvicorn then drops the keep-alive connection (and logs a raw traceback);
here an exception ends as a response and the connection stays usable. And a
``BaseHTTPMiddleware`` would run the app in another task, where errors surface differently.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any

import structlog
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from application.access import TOKEN_PREFIX
from infra.http.failure_note import STATE_KEY as FAILURE
from infra.logging import error_fields
from infra.outages import is_store_outage
from infra.web.refusals import error_page, is_page

log = structlog.get_logger("quarterly.http")

# What a client may choose as its request id; anything else is replaced, so a huge or
# strange header is never echoed back or written whole to the log.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
RETRY_AFTER_SECONDS = 5


async def _answered_as_a_page(scope: Scope, send: Send, status: int, message: str) -> bool:
    """For a web page, the Design System's "Sorry, there is a problem with the service"
    page saying ``message``; False (the API's JSON follows) for the API and assets, or when
    even that page cannot be drawn."""
    request = Request(scope)
    if not is_page(request):
        return False
    try:
        response = error_page(
            request, "Sorry, there is a problem with the service", message, status
        )
    except Exception:  # drawing the page failed too: the plain JSON answer follows
        return False
    if status == 503:
        response.headers["retry-after"] = str(RETRY_AFTER_SECONDS)
    await response(scope, _no_body, send)
    return True


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def request_id_from(headers: list[tuple[bytes, bytes]]) -> str:
    """The client's ``X-Request-ID`` if it is 1-128 of ``A-Z a-z 0-9 . _ : -`` and holds
    no token, else a new random id (32 hex digits)."""
    for name, value in headers:
        if name.lower() == b"x-request-id":
            try:
                text = value.decode("ascii")
            except UnicodeDecodeError:
                break
            if REQUEST_ID.fullmatch(text) and TOKEN_PREFIX not in text:  # never log a token
                return text
            break
    return uuid.uuid4().hex


class RequestLog:
    """Logs one structured line per request (method, path, status, latency, request id,
    actor, command id; for a failure also ``error_type`` and ``error``), answers
    ``X-Request-ID`` on every response, and turns an exception that no handler answered into
    a response: 503 with ``Retry-After`` when the store is unavailable, 500 otherwise. Both
    carry the API's error shape ``{"error", "field": null}``.

    A route can put ``failure = (type, message)`` in ``request.state`` to have a failure it
    answered itself (a 503 from the health check) written on the request's line.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(scope.get("headers") or [])
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        state: dict[str, Any] = scope.setdefault("state", {})
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        error: Exception | None = None
        try:
            await self.app(scope, receive, send_with_id)
        except Exception as raised:
            if status:  # the answer has begun: all that is left is to cut it short
                self._log(request_id, scope, state, status, started, raised)
                raise
            error = raised
            await self._answer(scope, send_with_id, raised, request_id)
        self._log(request_id, scope, state, status, started, error)

    async def _answer(self, scope: Scope, send: Send, error: Exception, request_id: str) -> None:
        headers = [(b"content-type", b"application/json")]
        if is_store_outage(error):
            status = 503
            message = (
                "the store is unavailable at the moment; try again shortly (a command sent "
                "again with the same id is stored at most once)"
            )
            headers.append((b"retry-after", str(RETRY_AFTER_SECONDS).encode()))
        else:
            status = 500
            message = f"internal error; the log has it under request id {request_id}"
        if await _answered_as_a_page(scope, send, status, message):
            return
        body = json.dumps({"error": message, "field": None}).encode()
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _log(
        self,
        request_id: str,
        scope: Scope,
        state: dict[str, Any],
        status: int,
        started: float,
        error: Exception | None,
    ) -> None:
        fields: dict[str, Any] = {
            "request_id": request_id,
            "method": scope.get("method"),
            "path": _logged_path(scope),
            "status": status,
            "latency_ms": round((time.perf_counter() - started) * 1000, 2),
            "actor": state.get("actor"),
            "command_id": state.get("command_id"),
        }
        bug = error is not None and not is_store_outage(error)
        if error is not None:
            fields |= error_fields(error, where=bug)
        elif state.get(FAILURE):
            fields["error_type"], fields["error"] = state[FAILURE]
        if bug:
            log.error("request", **fields)
        elif status >= 500:
            log.warning("request", **fields)
        else:
            log.info("request", **fields)


def _logged_path(scope: Scope) -> str:
    """The path as the client sent it, still percent-encoded (``/targets/%00`` stays so: a
    decoded NUL or newline would make the log line unreadable to grep), at most 2,000
    characters."""
    raw = scope.get("raw_path")
    path = raw.decode("ascii", "backslashreplace") if raw else str(scope.get("path", ""))
    return path if len(path) <= 2000 else path[:2000] + "..."
