"""The HTTP API: the app is built here from its middleware, refusal handlers and routers
(``infra/http/routers/``); the routes are thin, over the same use cases, readers and JSON
serialiser as the CLI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from anyio import to_thread
from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from infra.http.docs import DocsPolicy
from infra.http.limits import BodySizeLimit
from infra.http.request_log import RequestLog
from infra.http.responses import DocumentResponse, install_refusals
from infra.http.routers import audit, commands, councils, health, registers, returns
from infra.http.service import Service
from infra.settings import Settings
from infra.web import install_pages
from infra.web.head import HeadAsGet

REQUEST_THREADS = 10


def create_app(settings: Settings) -> FastAPI:
    """The API over the store ``settings`` name, opened when the app starts serving (and
    closed when it stops), not when it is built."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Fewer request threads than the store's connection pools hold (eventsourcing's
        # SQLite pool has 15): more would wait for a connection and fail after 5 s.
        to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
        service = Service.open(settings)
        service.start()
        app.state.service = service
        try:
            yield
        finally:
            service.close()

    app = FastAPIOffline(
        title="quarterly",
        version="0.1.0",
        description="Quarterly performance returns: commands, reports, history and "
        "verification, event-sourced.",
        lifespan=lifespan,
        # Routes return models; this writes them as the CLI does (see DocumentResponse).
        default_response_class=DocumentResponse,
        # No validator badge: Swagger UI would send the document to a public validator.
        swagger_ui_parameters={"validatorUrl": None},
    )
    app.add_middleware(HeadAsGet)  # innermost: the request log still says HEAD
    app.add_middleware(DocsPolicy)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestLog)  # outermost: it answers whatever fails further in
    install_refusals(app)
    for resource in (commands, returns, registers, councils, audit, health):
        app.include_router(resource.router)
    install_pages(app)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = FastAPI.openapi(app)
            _add_command_schemas(document["components"]["schemas"])
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _add_command_schemas(components: dict[str, Any]) -> None:
    """The command body's schemas (see ``schemas.command_body``), which FastAPI does not
    derive, beside the ones it does; a name both use would make one describe the other."""
    for name, schema in commands.COMMAND_SCHEMAS.items():
        if components.setdefault(name, schema) != schema:
            raise RuntimeError(f"two OpenAPI schemas are named {name!r}")
