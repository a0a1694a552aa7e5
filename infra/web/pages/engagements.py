"""Recording an engagement: the form (the recorder's targets, the council register with an
autocomplete, a GOV.UK date input), the confirmation and "your recent engagements"."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from application.access import records_for
from domain.access import Role
from domain.errors import Forbidden, NotFound
from infra.http.deps import ServiceDep
from infra.inputs import parse_year
from infra.web.commands import submit
from infra.web.councils import council_names
from infra.web.deps import CheckedForm, FormFields, SignedIn
from infra.web.forms import FormErrors, date_from, new_command_id, payload, whole_number_field
from infra.web.sessions import WebSession
from infra.web.templating import page
from projections.readers import Readers

router = APIRouter(include_in_schema=False)
LABELS = {
    "code": "Target",
    "council": "Council",
    "date": "Date",
    "kind": "Kind of support",
    "count": "Count",
    "notes": "Notes",
    "restatement_reason": "Restatement reason",
    "year": "Year",
}
ANCHORS = {"date": "date-day"}


def _may_record(session: WebSession) -> None:
    if session.principal.role is Role.AUDITOR:
        raise Forbidden("auditors read; they do not record or change anything")


def _year(readers: Readers, asked: str | None) -> str:
    years = readers.years()
    if asked:
        return parse_year(asked)
    if not years:
        raise NotFound("no targets are defined yet, so there is nothing to record against")
    return years[-1]


def _form_page(
    request: Request,
    readers: Readers,
    session: WebSession,
    year: str,
    values: dict[str, str],
    errors: FormErrors | None = None,
) -> Response:
    targets = [
        line
        for line in readers.quarterly_return(year).targets
        if records_for(session.principal, line.theme)
    ]
    councils = readers.councils()
    return page(
        request,
        "engagement_new.html",
        {
            "title": "Record an engagement",
            "year": year,
            "years": readers.years(),
            "targets": targets,
            # By name: people look a council up by its name (the register lists by code).
            "councils": sorted(
                (council for council in councils if council.retired_on is None),
                key=lambda council: council.name.casefold(),
            ),
            "values": values,
            "errors": errors.errors if errors else [],
            "field_errors": errors.by_field if errors else {},
        },
        session=session,
        status_code=422 if errors else 200,
    )


@router.get("/engagements/new")
def new_engagement(
    request: Request,
    service: ServiceDep,
    session: SignedIn,
    year: Annotated[str | None, Query()] = None,
) -> Response:
    """The form, with a command id made now (a hidden field)."""
    _may_record(session)
    readers = service.caught_up()
    chosen = _year(readers, year)
    values = {"command_id": new_command_id("engagement"), "count": "1"}
    return _form_page(request, readers, session, chosen, values)


@router.post("/engagements/new")
def record_engagement(
    request: Request, service: ServiceDep, session: SignedIn, form: CheckedForm
) -> Response:
    """Stores the engagement once (the form's command id), then shows the confirmation;
    bad input draws the form again with the error summary, storing nothing."""
    _may_record(session)
    readers = service.caught_up()
    year = _year(readers, form.get("year") or None)
    errors = FormErrors(LABELS, ANCHORS)
    command_id = form.get("command_id", "")
    if not command_id.startswith("web-engagement-"):
        raise Forbidden("the form has no command id: open the page again", field="command_id")
    if not form.get("code"):
        errors.add("code", "Choose the target the engagement counts towards")
    if not form.get("council"):
        errors.add("council", "Choose the council you supported")
    day = date_from(form, "date", "date of the engagement", errors)
    count = whole_number_field(form["count"], "count", errors) if form.get("count") else None
    if not errors:
        submit(
            service,
            session,
            errors,
            _engagement_payload(form, year, command_id, day, count),
        )
    if errors:
        return _form_page(request, readers, session, year, form, errors)
    return RedirectResponse(f"/engagements?recorded={command_id}", status_code=303)


def _engagement_payload(
    form: FormFields, year: str, command_id: str, day: str | None, count: int | None
) -> dict[str, Any]:
    return payload(
        type="record_engagement",
        id=command_id,
        year=year,
        code=form.get("code"),
        date=day,
        council=form.get("council"),
        kind=form.get("kind"),
        count=count,
        notes=form.get("notes"),
        restatement_reason=form.get("restatement_reason"),
    )


@router.get("/engagements")
def recent_engagements(
    request: Request,
    service: ServiceDep,
    session: SignedIn,
    recorded: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """A confirmation panel for the engagement just recorded, then the person's latest."""
    _may_record(session)
    readers = service.caught_up()
    recent = readers.recent_engagements(session.principal.name, limit=20)
    just = next((line for line in recent if line.command_id == recorded), None)
    return page(
        request,
        "engagements.html",
        {
            "title": "Engagement recorded" if just else "Your recent engagements",
            "just": just,
            "recent": recent,
            "council_names": council_names(readers),
        },
        session=session,
    )
