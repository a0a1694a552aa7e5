"""A year's quarterly return (now or as at a recorded time) and what changed in it
between two times."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from application.access import Reading, authorize_reading, sees_target
from domain.access import Role
from domain.errors import BadInput, NotFound
from infra.http.deps import ServiceDep, Year
from infra.inputs import check_period, parse_moment
from infra.web.councils import CouncilNames, council_names
from infra.web.deps import SignedIn
from infra.web.forms import FormErrors
from infra.web.templating import page, path_year
from projections.models import TargetLine

router = APIRouter(include_in_schema=False)
MOMENT = Annotated[str | None, Query(max_length=40)]
CHANGES_PER_TARGET = 10  # events shown per target on "what changed"; its timeline has all


@router.get("/years")
def years(service: ServiceDep, session: SignedIn) -> Response:
    """The latest year's return."""
    del session  # signed in: checked
    known = service.caught_up().years()
    if not known:
        return RedirectResponse("/", status_code=303)
    return RedirectResponse(f"/years/{path_year(known[-1])}", status_code=303)


def _moment(text: str | None, field: str, errors: FormErrors) -> datetime | None:
    if not text:
        return None
    try:
        # Shown as UTC (the page says so), whatever offset it was typed with.
        return parse_moment(text, field=field).astimezone(UTC)
    except BadInput as refusal:
        errors.refused(refusal)
        return None


def control_value(moment: datetime | None, typed: str | None) -> str:
    """What a ``datetime-local`` control shows: a moment it read, in UTC in the control's
    own format (``2016-10-14T17:00``), whatever form it was typed in (a date alone, which
    means its last moment, an offset, ``Z``): a browser leaves the control empty for any
    other text. Seconds and milliseconds are shown when the moment has them (the control
    takes no finer part). A value it could not read is shown as typed, beside its error."""
    if moment is None:
        return typed or ""
    shown = moment.astimezone(UTC).replace(tzinfo=None)
    if shown.microsecond:
        return shown.isoformat(timespec="milliseconds")
    return shown.isoformat(timespec="seconds" if shown.second else "minutes")


def by_theme(targets: list[TargetLine]) -> list[tuple[str, list[TargetLine]]]:
    """Targets grouped by theme, themes in the order the return first lists them."""
    groups: dict[str, list[TargetLine]] = defaultdict(list)
    for line in targets:
        groups[line.theme or "No theme"].append(line)
    return list(groups.items())


@router.get("/years/{year}")
def quarterly_return(
    request: Request, year: Year, service: ServiceDep, session: SignedIn, as_at: MOMENT = None
) -> Response:
    """The return: themes grouped, quarter figures, totals, percent, RAG, direction of
    travel and commentary; recorders see their team's targets."""
    errors = FormErrors({"as_at": "Show the return as at"}, {"as_at": "as_at"})
    moment = _moment(as_at, "as_at", errors)
    readers = service.caught_up()
    document = readers.quarterly_return(year, moment)
    if not document.targets and year not in readers.years():
        raise NotFound(f"no target is defined in {year}")
    shown = [line for line in document.targets if sees_target(session.principal, line.theme)]
    return page(
        request,
        "return.html",
        {
            "title": f"The {year} return"
            + (f" as at {moment:%d %B %Y %H:%M} UTC" if moment else ""),
            "year": year,
            "document": document,
            "themes": by_theme(shown),
            "moment": moment,
            "as_at": control_value(moment, as_at),
            "team_only": session.principal.role is Role.RECORDER,
            "errors": errors.errors,
            "field_errors": errors.by_field,
            "quarters": ("Q1", "Q2", "Q3", "Q4"),
        },
        session=session,
        status_code=422 if errors else 200,
    )


@router.get("/years/{year}/changes")
def changes(
    request: Request,
    year: Year,
    service: ServiceDep,
    session: SignedIn,
    since: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    until: Annotated[str | None, Query(alias="to", max_length=40)] = None,
) -> Response:
    """What changed in the return between two recorded times, per target, with who and why
    (auditors and admins)."""
    authorize_reading(session.principal, Reading.AUDIT)
    errors = FormErrors({"from": "From", "to": "To"}, {"from": "from", "to": "to"})
    start = _moment(since, "from", errors)
    end = _moment(until, "to", errors)
    if start is None and not errors:
        start = (end or datetime.now(UTC)).replace(second=0, microsecond=0) - timedelta(days=7)
    if start is not None and not errors:
        try:
            check_period(start, end)
        except BadInput as refusal:
            errors.refused(refusal)
    diff = (
        None
        if errors or start is None
        else service.caught_up().diff(year, start, end, events_per_target=CHANGES_PER_TARGET)
    )
    return page(
        request,
        "changes.html",
        {
            "title": f"What changed in the {year} return",
            "year": year,
            "diff": diff,
            "council_names": council_names(service.caught_up()) if diff else CouncilNames(),
            "since": control_value(start, since),
            "until": control_value(end, until),
            "errors": errors.errors,
            "field_errors": errors.by_field,
        },
        session=session,
        status_code=422 if errors else 200,
    )
