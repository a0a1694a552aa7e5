"""The interactive API documentation, offline: ``fastapi-offline`` serves Swagger UI and
ReDoc from the installed package (under ``/static-offline-docs``), and their pages carry a
Content-Security-Policy that keeps the browser on this server. ReDoc's bundle still asks a
CDN for its logo; the policy stops that request, and both pages render without it.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DOCS_PAGES = ("/docs", "/redoc")
DOCS_POLICY = (
    "default-src 'self' blob: data:; script-src 'self' 'unsafe-inline'; "
    "worker-src 'self' blob:; style-src 'self' 'unsafe-inline'"
)


class DocsPolicy:
    """Adds ``DOCS_POLICY`` to the answers of the documentation pages, and only to them."""

    def __init__(self, app: ASGIApp, pages: tuple[str, ...] = DOCS_PAGES) -> None:
        self.app = app
        self.pages = pages

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") not in self.pages:
            await self.app(scope, receive, send)
            return

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["Content-Security-Policy"] = DOCS_POLICY
            await send(message)

        await self.app(scope, receive, send_with_policy)
