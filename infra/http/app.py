"""The HTTP API: thin routes over the same use cases and serialiser as the CLI."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

import structlog
from anyio import to_thread
from fastapi import Depends, FastAPI, Query, Request, Response
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
from application.commands import BaseCommand, Command, refusal_from_errors
from application.ledger import Outcome
from domain.errors import (
    BadInput,
    Conflict,
    Forbidden,
    NotFound,
    Refused,
    Unauthenticated,
)
from infra.cli.options import parse_moment, parse_year
from infra.http import schemas
from infra.http.limits import BodySizeLimit
from infra.report_formats import to_json
from infra.settings import Settings
from infra.store import Store, open_store
from projections.quarterly_return import read_return
from projections.registers import read_history, read_milestones, read_risks
from projections.return_diff import diff_returns
from projections.runner import ProjectionRunner

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


class Service:
    """What one server process holds: the store and a projection that follows the log."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store: Store = open_store(settings.store)
        self.runner = ProjectionRunner(
            self.store.ledger,
            self.store.read_models,
            batch_size=settings.projection_batch_size,
        )
        self._stop = threading.Event()
        self._follower = threading.Thread(target=self._follow, name="projection", daemon=True)
        # SQLite has one writer: queue writes here rather than in eventsourcing's connection
        # pool, which gives up on a waiting writer after 5 seconds.
        self._sqlite_writer = threading.Lock()

    def execute(self, command: BaseCommand) -> Outcome:
        if self.store.location.kind != "sqlite":
            return self.store.ledger.execute(command)
        with self._sqlite_writer:
            return self.store.ledger.execute(command)

    def start(self) -> None:
        self._follower.start()

    def _follow(self) -> None:
        """Keeps the read models close behind the log, so reads rarely have to wait."""
        while not self._stop.wait(0.5):
            try:
                self.runner.catch_up()
            except Exception:
                log.exception("projection_follow_failed")

    def caught_up(self) -> None:
        """Read-your-writes: a read first reaches the log's head as it is now."""
        self.runner.catch_up()

    def close(self) -> None:
        self._stop.set()
        if self._follower.is_alive():
            self._follower.join(timeout=10)
        self.store.close()


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
    _install_handlers(app)
    _install_routes(app)
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


ServiceDep = Annotated[Service, Depends(_service)]
PrincipalDep = Annotated[Principal, Depends(_principal)]


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

    @app.exception_handler(Exception)
    async def failed(request: Request, error: Exception) -> Response:
        log.error("request_failed", path=request.url.path, exc_info=error)
        return JSONResponse(
            {"error": "internal error; the request id is in the log", "field": None},
            status_code=500,
        )

    @app.middleware("http")
    async def log_request(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        response = await call_next(request)
        response.headers["X-Request-ID"] = request_id
        log.info(
            "request",
            method=request.method,
            path=request.url.path,
            status=response.status_code,
            latency_ms=round((time.perf_counter() - started) * 1000, 2),
            actor=getattr(request.state, "actor", None),
            command_id=getattr(request.state, "command_id", None),
        )
        return response


def _install_routes(app: FastAPI) -> None:
    @app.post(
        "/api/v1/commands",
        status_code=201,
        response_model=schemas.Accepted,
        responses={200: {"model": schemas.Accepted, "description": "Already stored"}, **REFUSALS},
        summary="Submit one command (idempotent by its id)",
    )
    def submit(
        command: Command, request: Request, service: ServiceDep, principal: PrincipalDep
    ) -> Response:
        request.state.command_id = command.id
        structlog.contextvars.bind_contextvars(command_id=command.id)
        ledger = service.store.ledger
        authorize_command(ledger, principal, command)
        attributed = command.model_copy(update={"actor": principal.name})
        outcome = service.execute(attributed)
        body = {"id": command.id, "type": command.type, "outcome": outcome.value}
        return json_response(body, 201 if outcome is Outcome.STORED else 200)

    @app.get(
        "/api/v1/years/{year:path}/report",
        response_model=schemas.Report,
        responses=REFUSALS,
        summary="The quarterly return, now or as at a recorded time",
    )
    def report(
        year: str,
        service: ServiceDep,
        principal: PrincipalDep,
        as_at: Annotated[str | None, Query()] = None,
    ) -> Response:
        authorize_reading(principal, Reading.REPORT)
        financial_year = _year(year)
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
    def history(year: str, code: str, service: ServiceDep, principal: PrincipalDep) -> Response:
        authorize_reading(principal, Reading.AUDIT)
        financial_year = _year(year)
        service.caught_up()
        events = read_history(service.store.read_models, financial_year, code)
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
        year: str,
        service: ServiceDep,
        principal: PrincipalDep,
        since: Annotated[str, Query(alias="from")],
        until: Annotated[str | None, Query(alias="to")] = None,
    ) -> Response:
        authorize_reading(principal, Reading.AUDIT)
        financial_year = _year(year)
        start = parse_moment(since, field="from")
        end = parse_moment(until, field="to") if until else None
        service.caught_up()
        return json_response(diff_returns(service.store.read_models, financial_year, start, end))

    @app.get(
        "/api/v1/milestones",
        response_model=list[schemas.MilestoneLine],
        responses=REFUSALS,
        summary="Milestones with revisions and slippage",
    )
    def milestones(service: ServiceDep, principal: PrincipalDep) -> Response:
        authorize_reading(principal, Reading.REGISTERS)
        service.caught_up()
        return json_response(read_milestones(service.store.read_models))

    @app.get(
        "/api/v1/risks",
        response_model=list[schemas.RiskLine],
        responses=REFUSALS,
        summary="The strategic risk register",
    )
    def risks(service: ServiceDep, principal: PrincipalDep) -> Response:
        authorize_reading(principal, Reading.REGISTERS)
        service.caught_up()
        return json_response(read_risks(service.store.read_models))

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
        summary="Store reachability and projection lag (no token needed)",
    )
    def health(service: ServiceDep) -> Response:
        try:
            head = service.runner.head()
            position = service.runner.position()
        except Exception as error:
            log.warning("health_store_unreachable", error=str(error))
            return json_response(
                {
                    "status": "unreachable",
                    "store": service.store.location.kind,
                    "head_position": None,
                    "projection_position": None,
                    "projection_lag": None,
                },
                503,
            )
        return json_response(
            {
                "status": "ok",
                "store": service.store.location.kind,
                "head_position": head,
                "projection_position": position,
                "projection_lag": max(head - position, 0),
            }
        )


def _year(text: str) -> str:
    """``2016/17`` in a path; ``2016-17`` is accepted too, for clients that cannot send /."""
    return parse_year(text.replace("-", "/", 1) if "-" in text else text)
