"""The HTTP API: thin routes over the same use cases and serialiser as the CLI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import structlog
from anyio import to_thread
from fastapi import Depends, FastAPI, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from application import audit
from application.access import (
    Principal,
    Reading,
    authenticate,
    authorize_command,
    authorize_reading,
)
from application.command_json import decode_command
from application.commands import BaseCommand, refusal_from_errors
from application.ledger import Outcome
from domain.errors import (
    BadInput,
    Conflict,
    Forbidden,
    NotFound,
    Refused,
    Unauthenticated,
)
from infra.exports.json_document import to_json
from infra.http import schemas
from infra.http.limits import BodySizeLimit
from infra.http.request_log import RETRY_AFTER_SECONDS, RequestLog
from infra.http.service import Service
from infra.inputs import parse_moment, parse_year
from infra.logging import error_fields
from infra.settings import Settings
from projections.quarterly_return import read_return
from projections.registers import read_history, read_milestones, read_risks
from projections.return_diff import diff_returns

log = structlog.get_logger("quarterly.http")
REQUEST_THREADS = 10

STATUS_OF: tuple[tuple[type[Refused], int], ...] = (
    (Unauthenticated, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (BadInput, 422),
    (Refused, 422),
)
REFUSALS: dict[int | str, dict[str, Any]] = {
    status: {"model": schemas.Refusal} for status in (401, 403, 404, 409, 413, 422)
}
REFUSALS[503] = {
    "model": schemas.Refusal,
    "description": "The store is unavailable; try again after `Retry-After` seconds",
}
COMMAND_BODY, COMMAND_SCHEMAS = schemas.command_body()


def json_response(document: Any, status: int = 200) -> Response:
    """The CLI's serialiser, byte for byte."""
    return Response(content=to_json(document), status_code=status, media_type="application/json")


def refusal_response(refusal: Refused, headers: dict[str, str] | None = None) -> Response:
    status = next(code for kind, code in STATUS_OF if isinstance(refusal, kind))
    if status == 401:
        headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
    return JSONResponse(
        {"error": refusal.message, "field": refusal.field}, status_code=status, headers=headers
    )


bearer = HTTPBearer(auto_error=False, description="A token from `quarterly token create`")


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Fewer request threads than the store's connection pools hold (eventsourcing's
        # SQLite pool has 15): more would wait for a connection and fail after 5 s.
        to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
        service = Service(settings)
        service.start()
        app.state.service = service
        try:
            yield
        finally:
            service.close()

    app = FastAPI(
        title="quarterly",
        version="0.1.0",
        description="Quarterly performance returns: commands, reports, history and "
        "verification, event-sourced.",
        lifespan=lifespan,
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestLog)  # outermost: it answers whatever fails further in
    _install_handlers(app)
    _install_routes(app)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = FastAPI.openapi(app)
            document.setdefault("components", {}).setdefault("schemas", {}).update(COMMAND_SCHEMAS)
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def _principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    service = _service(request)
    principal = authenticate(service.store.ledger, credentials.credentials if credentials else None)
    request.state.actor = principal.name
    structlog.contextvars.bind_contextvars(actor=principal.name)
    return principal


async def _command(request: Request) -> BaseCommand:
    """The body, read raw and decoded strictly: every bad body is a 422 naming the problem."""
    command = decode_command(await request.body())
    request.state.command_id = command.id
    structlog.contextvars.bind_contextvars(command_id=command.id)
    return command


ServiceDep = Annotated[Service, Depends(_service)]
PrincipalDep = Annotated[Principal, Depends(_principal)]
CommandDep = Annotated[BaseCommand, Depends(_command)]
YearPath = Annotated[str, Path(json_schema_extra=schemas.year_parameter)]
CodePath = Annotated[str, Path(json_schema_extra=schemas.code_parameter)]


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(Refused)
    async def refused(_: Request, refusal: Refused) -> Response:
        return refusal_response(refusal)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> Response:
        return JSONResponse(
            {"error": str(error.detail), "field": None},
            status_code=error.status_code,
            headers=error.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, error: RequestValidationError) -> Response:
        return refusal_response(refusal_from_errors(list(error.errors())))


def _install_routes(app: FastAPI) -> None:
    @app.post(
        "/api/v1/commands",
        status_code=201,
        response_model=schemas.Accepted,
        responses={200: {"model": schemas.Accepted, "description": "Already stored"}, **REFUSALS},
        summary="Submit one command (idempotent by its id)",
        openapi_extra=COMMAND_BODY,
    )
    def submit(
        service: ServiceDep,
        principal: PrincipalDep,  # before the body: no token, no parsing
        command: CommandDep,
    ) -> Response:
        ledger = service.store.ledger
        authorize_command(ledger, principal, command)
        attributed = command.model_copy(update={"actor": principal.name})
        outcome = service.execute(attributed)
        kind = command.model_dump(include={"type"})["type"]
        body = {"id": command.id, "type": kind, "outcome": outcome.value}
        return json_response(body, 201 if outcome is Outcome.STORED else 200)

    @app.get(
        "/api/v1/years/{year:path}/report",
        response_model=schemas.Report,
        responses=REFUSALS,
        summary="The quarterly return, now or as at a recorded time",
    )
    def report(
        year: YearPath,
        service: ServiceDep,
        principal: PrincipalDep,
        as_at: Annotated[
            str | None,
            Query(
                description="The return as it stood at this recorded time.",
                json_schema_extra=schemas.moment_parameter,
            ),
        ] = None,
    ) -> Response:
        authorize_reading(principal, Reading.REPORT)
        financial_year = parse_year(year)
        moment = parse_moment(as_at, field="as_at") if as_at else None
        service.caught_up()
        return json_response(
            read_return(service.store.read_models, financial_year, moment).document()
        )

    @app.get(
        "/api/v1/years/{year:path}/targets/{code}/history",
        response_model=list[schemas.HistoryEntry],
        responses=REFUSALS,
        summary="Every event of a target, oldest first",
    )
    def history(
        year: YearPath, code: CodePath, service: ServiceDep, principal: PrincipalDep
    ) -> Response:
        authorize_reading(principal, Reading.AUDIT)
        financial_year = parse_year(year)
        if "\x00" in code:  # no stored code holds NUL, and PostgreSQL cannot even compare it
            raise NotFound(f"no target {code!r} has any history in {financial_year}", field="code")
        service.caught_up()
        events = [
            e.document() for e in read_history(service.store.read_models, financial_year, code)
        ]
        if not events:
            raise NotFound(f"no target {code!r} has any history in {financial_year}", field="code")
        return json_response(events)

    @app.get(
        "/api/v1/years/{year:path}/diff",
        response_model=schemas.Diff,
        responses=REFUSALS,
        summary="What changed in the return between two times",
    )
    def diff(
        year: YearPath,
        service: ServiceDep,
        principal: PrincipalDep,
        since: Annotated[
            str,
            Query(
                alias="from",
                description="Compare from this recorded time.",
                json_schema_extra=schemas.moment_parameter,
            ),
        ],
        until: Annotated[
            str | None,
            Query(
                alias="to",
                description="Compare to this recorded time (default: now).",
                json_schema_extra=schemas.moment_parameter,
            ),
        ] = None,
    ) -> Response:
        authorize_reading(principal, Reading.AUDIT)
        financial_year = parse_year(year)
        start = parse_moment(since, field="from")
        end = parse_moment(until, field="to") if until else None
        service.caught_up()
        return json_response(
            diff_returns(service.store.read_models, financial_year, start, end).document()
        )

    @app.get(
        "/api/v1/milestones",
        response_model=list[schemas.MilestoneLine],
        responses=REFUSALS,
        summary="Milestones with revisions and slippage",
    )
    def milestones(service: ServiceDep, principal: PrincipalDep) -> Response:
        authorize_reading(principal, Reading.REGISTERS)
        service.caught_up()
        return json_response([m.document() for m in read_milestones(service.store.read_models)])

    @app.get(
        "/api/v1/risks",
        response_model=list[schemas.RiskLine],
        responses=REFUSALS,
        summary="The strategic risk register",
    )
    def risks(service: ServiceDep, principal: PrincipalDep) -> Response:
        authorize_reading(principal, Reading.REGISTERS)
        service.caught_up()
        return json_response([r.document() for r in read_risks(service.store.read_models)])

    @app.get(
        "/api/v1/verify",
        response_model=schemas.VerifyResult,
        responses=REFUSALS,
        summary="Recompute the hash chain over every stored event",
    )
    def verify(
        service: ServiceDep, principal: PrincipalDep, seal: Annotated[str | None, Query()] = None
    ) -> Response:
        authorize_reading(principal, Reading.AUDIT)
        chain = service.store.chain
        result = (
            audit.verify_seal(chain, service.store.ledger.mapper, seal)
            if seal
            else audit.verify(chain, service.store.ledger.mapper)
        )
        return json_response(
            {
                "ok": result.ok,
                "events": result.events,
                "head": result.head,
                "problem": result.problem,
                "position": result.position,
            }
        )

    @app.get(
        "/api/v1/seals",
        response_model=list[schemas.SealLine],
        responses=REFUSALS,
        summary="The digests sealed at each quarter close",
    )
    def seals(service: ServiceDep, principal: PrincipalDep) -> Response:
        authorize_reading(principal, Reading.AUDIT)
        found = audit.seals(service.store.chain, service.store.ledger.mapper)
        return json_response([seal.document() for seal in found])

    @app.get(
        "/api/v1/health",
        response_model=schemas.Health,
        responses={503: {"model": schemas.Health}},
        summary="Store reachability, projection position and lag (no token needed)",
    )
    def health(request: Request, service: ServiceDep) -> Response:
        document: dict[str, Any] = {
            "status": "ok",
            "store": service.store.location.kind,
            "head_position": None,
            "projection_position": None,
            "projection_lag": None,
            "projection_error": service.projection_error,
            "projection_failing_since": (
                service.projection_failing_since.isoformat()
                if service.projection_failing_since
                else None
            ),
        }
        try:
            head = service.runner.head()
            position = service.runner.position()
        except Exception as error:
            fields = error_fields(error)
            request.state.failure = (fields["error_type"], fields["error"])
            document["status"] = "unreachable"
            return _unavailable(document)
        document |= {
            "head_position": head,
            "projection_position": position,
            "projection_lag": max(head - position, 0),
        }
        if service.projection_error is not None:
            request.state.failure = ("ProjectionFailing", service.projection_error)
            document["status"] = "degraded"
            return _unavailable(document)
        return json_response(document)


def _unavailable(document: dict[str, Any]) -> Response:
    response = json_response(document, 503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
