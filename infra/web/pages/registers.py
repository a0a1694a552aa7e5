"""The milestone tracker, the strategic risk register and take-up by councils."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from application.access import Reading, authorize_reading
from domain.errors import NotFound
from infra.http.deps import ServiceDep, Year
from infra.web import charts
from infra.web.deps import SignedIn
from infra.web.templating import page, path_year
from projections.board_pack import risk_grid
from projections.readers import Readers

router = APIRouter(include_in_schema=False)


@router.get("/milestones")
def milestones(request: Request, service: ServiceDep, session: SignedIn) -> Response:
    """Every milestone with its slippage and status (auditors and admins, as the API)."""
    authorize_reading(session.principal, Reading.REGISTERS)
    readers = service.caught_up()
    return page(
        request,
        "milestones.html",
        {
            "title": "Milestones of major projects",
            "milestones": readers.milestones(),
            "projects": readers.projects(),
        },
        session=session,
    )


@router.get("/risks")
def risks(request: Request, service: ServiceDep, session: SignedIn) -> Response:
    """The strategic risk register, highest score first."""
    authorize_reading(session.principal, Reading.REGISTERS)
    lines = sorted(service.caught_up().risks(), key=lambda line: (-line.score, line.ref))
    return page(
        request,
        "risks.html",
        {"title": "Strategic risk register", "risks": lines, "grid": risk_grid(lines)},
        session=session,
    )


@router.get("/take-up")
def latest_take_up(service: ServiceDep, session: SignedIn) -> Response:
    """The latest year's take-up."""
    del session  # signed in: checked
    years = service.caught_up().years()
    if not years:
        return RedirectResponse("/", status_code=303)
    return RedirectResponse(f"/years/{path_year(years[-1])}/take-up", status_code=303)


def _year_known(service: ServiceDep, year: str) -> Readers:
    """The caught-up readers; NotFound (a 404 page, as the return's) for a year without
    targets: its take-up would be a page of zeros that looks like a finding."""
    readers = service.caught_up()
    if year not in readers.years():
        raise NotFound(f"no target is defined in {year}")
    return readers


@router.get("/years/{year}/take-up")
def take_up(
    request: Request,
    year: Year,
    service: ServiceDep,
    session: SignedIn,
    kind: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """Which councils the year's engagements reached, by region, type and kind, and which
    councils had none."""
    authorize_reading(session.principal, Reading.REPORT)
    readers = _year_known(service, year)
    return page(
        request,
        "take_up.html",
        {
            "title": f"Take-up by councils, {year}",
            "year": year,
            "take_up": readers.take_up(year, kind=kind or None),
            "kind": kind or "",
        },
        session=session,
    )


@router.get("/years/{year}/take-up/by-region.svg")
def take_up_chart(
    year: Year,
    service: ServiceDep,
    session: SignedIn,
    kind: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """The board pack's "take-up by region" chart of the take-up page, as an SVG image."""
    authorize_reading(session.principal, Reading.REPORT)
    take_up = _year_known(service, year).take_up(year, kind=kind or None)
    return Response(
        charts.take_up_by_region(take_up),
        media_type="image/svg+xml",
        headers={"Cache-Control": "private, no-cache"},
    )
