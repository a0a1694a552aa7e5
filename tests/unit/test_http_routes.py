"""Every route of the API answers a typed model written by the CLI's serialiser: the
route declares the model (FastAPI validates it, the OpenAPI document states it) and the
app writes it with the document response class."""

from __future__ import annotations

from pathlib import Path

from fastapi.routing import APIRoute

from application.audit import Seal, Verification
from infra.exports.json_document import to_json
from infra.http.app import create_app
from infra.http.responses import DocumentResponse
from infra.http.routers import audit, commands, health, registers, returns
from infra.settings import Settings


def test_every_api_route_declares_its_model_and_the_app_writes_documents(
    tmp_path: Path,
) -> None:
    app = create_app(Settings(store=f"sqlite:///{tmp_path / 'unused.db'}"))
    assert app.router.default_response_class is DocumentResponse
    routes = [
        route
        for resource in (commands, returns, registers, audit, health)
        for route in resource.router.routes
        if isinstance(route, APIRoute)
    ]
    assert {route.path for route in routes} >= {
        "/api/v1/commands",
        "/api/v1/years/{year:path}/report",
        "/api/v1/years/{year:path}/targets/{code}/history",
        "/api/v1/years/{year:path}/diff",
        "/api/v1/milestones",
        "/api/v1/risks",
        "/api/v1/verify",
        "/api/v1/seals",
        "/api/v1/health",
    }
    for route in routes:
        if route.path.endswith("/board-pack"):  # a file (xlsx, html, pdf), not a document
            continue
        assert route.response_model is not None, route.path


def test_audit_results_serialise_as_the_api_has_always_answered() -> None:
    failed = Verification(events=3, head="abc", problem="event 4 is missing", position=4)
    assert to_json(failed.model_dump(mode="json")) == to_json(
        {
            "ok": False,
            "events": 3,
            "head": "abc",
            "problem": "event 4 is missing",
            "position": 4,
            "unknown_seal": False,  # added after the contract's keys (issue 11)
        }
    )
    proved = Verification(events=9, head="def", sealed_position=7)
    assert (proved.ok, proved.sealed_position, proved.document()["ok"]) == (True, 7, True)
    seal = Seal(
        year="2016/17",
        quarter="Q1",
        digest="d" * 64,
        sealed_position=228,
        closed_at="2016-07-20T00:30:00+00:00",
        actor="scheduler",
        close_position=229,
    )
    assert list(seal.document()) == [
        "year",
        "quarter",
        "digest",
        "sealed_position",
        "closed_at",
        "actor",
    ]
    assert seal.close_position == 229
