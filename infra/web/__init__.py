"""The web pages: server-rendered with GOV.UK Frontend, served beside the API by the same
app. Every asset (``static/``) is served by the service itself at ``/assets``."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"


def install_pages(app: FastAPI) -> None:
    """Mounts the assets at ``/assets`` and includes every page group's router."""
    from infra.web.pages import audit, engagements, registers, returns, start, targets

    app.mount("/assets", StaticFiles(directory=STATIC), name="assets")
    for pages in (start, engagements, returns, targets, registers, audit):
        app.include_router(pages.router)
