"""``HEAD`` on the pages, answered as ``GET`` without a body.

FastAPI routes a ``GET`` route's ``HEAD`` to 405 (Starlette's own routes would answer it);
link checkers, monitors and proxies ask ``HEAD /``. A page's ``HEAD`` runs its ``GET`` and
sends the same status and headers (``Content-Length`` included) with no body."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from infra.web.refusals import NOT_PAGES


class HeadAsGet:
    """Turns a page's ``HEAD`` into its ``GET`` and drops the body of the answer. The API
    and the assets are left alone (the assets answer ``HEAD`` themselves)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "HEAD"
            or str(scope["path"]).startswith(NOT_PAGES)
        ):
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # a streamed body's parts: none is sent
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)
