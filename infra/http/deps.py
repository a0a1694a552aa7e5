"""What routes take as parameters, as ``Annotated`` dependencies: the service, the caller
(authenticated by its bearer token), the command body, and the path and query parameters
parsed as the CLI parses them (``infra.inputs``), so a route receives values, not text.

Dependencies are solved in the order a route declares them, and a refusal raised by one
ends the request: routes name the caller first (401/403 before anything is parsed), then
the year, then times, so a request is refused for the first of these that is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

import structlog
from fastapi import Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from application.access import Principal, Reading, authorize_reading
from application.command_json import decode_command
from application.commands import BaseCommand
from domain.calendar import Quarter
from domain.canonical import canonical_code
from domain.errors import BadInput, Refused, echoed
from domain.text import check_identifier
from infra.exports.board_pack import PackFormat
from infra.http.schemas import code_parameter, moment_parameter, year_parameter
from infra.http.service import Service
from infra.inputs import parse_moment, parse_period, parse_year
from infra.web.sessions import SESSION_COOKIE

bearer = HTTPBearer(auto_error=False, description="A token from `quarterly token create`")

# Dependencies that only look at the request are ``async``: FastAPI runs a plain ``def``
# dependency in its thread pool, a hand-off that cost more than their own work (a request
# made up to four). Those that reach the store (``get_principal``) stay plain ``def``.


async def get_service(request: Request) -> Service:
    """The server process's service, made by the app's lifespan."""
    service: Service = request.app.state.service
    return service


ServiceDep = Annotated[Service, Depends(get_service)]
BearerToken = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def get_principal(request: Request, service: ServiceDep, token: BearerToken) -> Principal:
    """Who is asking: 401 without a token, or with an unknown or revoked one. The name is
    written on the request's log line.

    A read (GET, HEAD) without a token may instead carry the web pages' session cookie, so
    that a signed-in person can follow a page's link to a document (the board pack). Writes
    always need the token: a cookie alone never changes anything through the API.
    """
    if token is None and request.method in ("GET", "HEAD"):
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            principal = service.sessions.find(cookie).principal
            request.state.actor = principal.name
            structlog.contextvars.bind_contextvars(actor=principal.name)
            return principal
    # A token seen in the last few seconds costs one query (see ``TokenCache``).
    principal = service.tokens.authenticate(token.credentials if token else None)
    request.state.actor = principal.name
    structlog.contextvars.bind_contextvars(actor=principal.name)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def may_read(reading: Reading) -> Any:
    """A route's dependency: the caller may read ``reading`` (403 otherwise)."""

    async def authorized(principal: CurrentPrincipal) -> None:
        authorize_reading(principal, reading)

    return Depends(authorized)


async def get_command(request: Request) -> BaseCommand:
    """The body, read raw and decoded strictly: every bad body is a 422 naming the problem.
    (The OpenAPI document describes it apart: see ``schemas.command_body``.)"""
    command = decode_command(await request.body())
    request.state.command_id = command.id
    structlog.contextvars.bind_contextvars(command_id=command.id)
    return command


CommandBody = Annotated[BaseCommand, Depends(get_command)]


async def get_year(year: Annotated[str, Path(json_schema_extra=year_parameter)]) -> str:
    """``{year}`` as ``2016/17``, from ``2016-17`` or ``2016/17``; 422 naming ``year``."""
    return parse_year(year)


Year = Annotated[str, Depends(get_year)]


async def get_code(code: Annotated[str, Path(json_schema_extra=code_parameter)]) -> str:
    """``{code}`` in its canonical form (``pw1 `` is ``PW1``, as commands store it); text no
    code can hold is left as it is, for the route's 404 (an unknown code is not a 422)."""
    try:
        check_identifier(code, field="code")
    except Refused:
        return code
    return canonical_code(code)


Code = Annotated[str, Depends(get_code)]


async def get_as_at(
    as_at: Annotated[
        str | None,
        Query(
            description="The return as it stood at this recorded time.",
            json_schema_extra=moment_parameter,
        ),
    ] = None,
) -> datetime | None:
    """``?as_at=``: a recorded time, or None for now; 422 naming ``as_at``."""
    return parse_moment(as_at, field="as_at") if as_at else None


AsAt = Annotated[datetime | None, Depends(get_as_at)]


@dataclass(frozen=True)
class Period:
    """Two recorded times to compare; ``until`` None means now."""

    since: datetime
    until: datetime | None


async def get_period(
    since: Annotated[
        str,
        Query(
            alias="from",
            description="Compare from this recorded time.",
            json_schema_extra=moment_parameter,
        ),
    ],
    until: Annotated[
        str | None,
        Query(
            alias="to",
            description="Compare to this recorded time (default: now).",
            json_schema_extra=moment_parameter,
        ),
    ] = None,
) -> Period:
    """``?from=&to=``, parsed in that order; 422 naming the first that is not a time, or
    ``to`` when it is before ``from``."""
    return Period(*parse_period(since, until))


RecordedPeriod = Annotated[Period, Depends(get_period)]


async def get_pack_format(
    request: Request,
    pack_format: Annotated[
        str,
        Query(
            alias="format",
            description="The board pack's format: xlsx, html or pdf (required, given once).",
            json_schema_extra={"enum": [f.value for f in PackFormat]},
        ),
    ],
) -> PackFormat:
    """``?format=``: xlsx, html or pdf, given once; 422 naming ``format`` otherwise
    (missing, repeated, or another value, quoted to at most 100 characters)."""
    if len(request.query_params.getlist("format")) > 1:
        raise BadInput("give the format once: xlsx, html or pdf", field="format")
    try:
        return PackFormat(pack_format)
    except ValueError:
        raise BadInput(
            f"{echoed(pack_format)} is not a board-pack format; use xlsx, html or pdf",
            field="format",
        ) from None


BoardPackFormat = Annotated[PackFormat, Depends(get_pack_format)]


async def get_pack_quarter(
    quarter: Annotated[
        str | None,
        Query(
            description="The pack as it stood when this quarter was closed (default: now).",
            json_schema_extra={"enum": [q.value for q in Quarter]},
        ),
    ] = None,
) -> Quarter | None:
    """``?quarter=``: Q1..Q4 or None; 422 naming ``quarter`` otherwise."""
    return Quarter.parse(quarter) if quarter is not None else None


PackQuarter = Annotated[Quarter | None, Depends(get_pack_quarter)]
