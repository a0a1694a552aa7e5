"""A year's return: the report (now or as at a time), a target's history, the diff."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from application.access import Reading
from domain.errors import NotFound
from infra.exports.board_pack import MEDIA_TYPES, PdfUnavailable, render_pack
from infra.http.deps import (
    AsAt,
    BoardPackFormat,
    Code,
    PackQuarter,
    RecordedPeriod,
    ServiceDep,
    Year,
    may_read,
)
from infra.http.responses import REFUSALS
from projections.board_pack import gather_board_pack
from projections.models import HistoryEntry, QuarterlyReturn, ReturnDiff

router = APIRouter(prefix="/api/v1/years", tags=["returns"], responses=REFUSALS)


@router.get(
    "/{year:path}/report",
    dependencies=[may_read(Reading.REPORT)],
    response_model=QuarterlyReturn,
    summary="The quarterly return, now or as at a recorded time",
)
def report(year: Year, as_at: AsAt, service: ServiceDep) -> QuarterlyReturn:
    """The ``report --format json`` document."""
    return service.caught_up().quarterly_return(year, as_at)


@router.get(
    "/{year:path}/targets/{code}/history",
    dependencies=[may_read(Reading.AUDIT)],
    response_model=list[HistoryEntry],
    summary="Every event of a target, oldest first",
)
def history(year: Year, code: Code, service: ServiceDep) -> list[HistoryEntry]:
    """The ``history --format json`` document; 404 for a target without any."""
    unknown = NotFound(f"no target {code!r} has any history in {year}", field="code")
    if "\x00" in code:  # no stored code holds NUL, and PostgreSQL cannot even compare it
        raise unknown
    events = service.caught_up().history(year, code)
    if not events:
        raise unknown
    return events


@router.get(
    "/{year:path}/diff",
    dependencies=[may_read(Reading.AUDIT)],
    response_model=ReturnDiff,
    summary="What changed in the return between two times",
)
def diff(year: Year, period: RecordedPeriod, service: ServiceDep) -> ReturnDiff:
    """The ``diff --format json`` document."""
    return service.caught_up().diff(year, period.since, period.until)


@router.get(
    "/{year:path}/board-pack",
    dependencies=[may_read(Reading.BOARD_PACK)],
    response_class=Response,
    responses={
        200: {
            "description": "The board pack as a file to save (Content-Disposition names it)",
            "content": {media_type.split(";")[0]: {} for media_type in MEDIA_TYPES.values()},
        }
    },
    summary="The board pack (xlsx, html or pdf), for auditors and admins",
)
def board_pack(
    year: Year, pack_format: BoardPackFormat, quarter: PackQuarter, service: ServiceDep
) -> Response:
    """``board-pack --format F [--quarter Q]``: the same bytes, as an attachment."""
    pack = gather_board_pack(service.caught_up(), year, quarter, datetime.now(UTC))
    try:
        document = render_pack(pack, pack_format)
    except PdfUnavailable as missing:  # the server's machine lacks WeasyPrint's libraries
        return JSONResponse({"error": str(missing), "field": "format"}, status_code=503)
    return Response(
        document.content,
        media_type=document.media_type,
        headers={"Content-Disposition": f'attachment; filename="{document.filename}"'},
    )
