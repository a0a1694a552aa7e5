"""Refuses request bodies over a size limit with a clear 413, however they are sent."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from infra.http.failure_note import note_failure
from infra.web.refusals import error_page, is_page


class BodySizeLimit:
    """Reads the whole body (at most ``max_bytes``) before the app runs, then replays it.

    A declared ``Content-Length`` over the limit is refused at once; a chunked body (no
    length) is counted as it arrives and refused as soon as it passes the limit. Either way
    the answer is 413 with the API's error shape, never a parsing error from further in.
    The part of a refused body not yet read is left to the server, which discards it and
    keeps the connection.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before sending its body: no one to answer
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(scope, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # after the body: wait for the client to go away
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        note_failure(scope, "BodyTooLarge", f"the body is larger than {self.max_bytes} bytes")
        request = Request(scope)
        if is_page(request):
            # A web form: the Design System's error page, not the API's JSON.
            kilobytes = self.max_bytes // 1024
            page = error_page(
                request,
                "The form is too long",
                f"the form holds more than {kilobytes} KB: shorten the longest text (notes, "
                "commentary or a restatement reason), then send it again",
                413,
            )
            await page(scope, _no_body, send)
            return
        body: dict[str, Any] = {
            "error": f"the request body is larger than {self.max_bytes} bytes; "
            "send one command per request",
            "field": None,
        }
        payload = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(payload)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}
