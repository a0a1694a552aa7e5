"""A target's page: its quarters (figure, RAG, commentary), the officers' forms to report a
figure, set the RAG and write commentary, and its full history as a timeline."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from application.access import Reading, authorize_reading, records_for, sees_target
from domain.errors import Forbidden, NotFound
from infra.http.deps import Code, ServiceDep, Year
from infra.web.commands import submit
from infra.web.councils import CouncilNames, council_names
from infra.web.deps import CheckedForm, FormFields, SignedIn
from infra.web.forms import FormErrors, new_command_id, number_field, payload
from infra.web.sessions import WebSession
from infra.web.templating import page, path_part, path_year
from projections.models import TargetLine

router = APIRouter(include_in_schema=False)
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
KINDS = {"delivered": "What we delivered", "impact": "Impact", "forecast": "Forecast"}
FORMS = {
    # form -> (command type, the command's fields the form posts, labels)
    "figure": ("report_figure", {"quarter": "Quarter", "value": "Figure"}),
    "rag": ("set_rag", {"quarter": "Quarter", "rag": "RAG"}),
    "commentary": ("comment", {"quarter": "Quarter", "kind": "Kind", "text": "Commentary"}),
}
TIMELINE_PAGE = 50  # events of the timeline per page; "Older entries" reads the next
DONE = {"figure": "Figure reported", "rag": "RAG set", "commentary": "Commentary saved"}


def _target(service: ServiceDep, session: WebSession, year: str, code: str) -> TargetLine:
    found = next(
        (line for line in service.caught_up().quarterly_return(year).targets if line.code == code),
        None,
    )
    if found is None:
        raise NotFound(f"there is no target {code!r} in {year}", field="code")
    if not sees_target(session.principal, found.theme):
        raise Forbidden(
            f"target {code} belongs to {found.theme or 'no team'}; you record for "
            f"{session.principal.team}"
        )
    return found


def _target_page(
    request: Request,
    service: ServiceDep,
    session: WebSession,
    year: str,
    code: str,
    *,
    failed: str | None = None,
    values: FormFields | None = None,
    errors: FormErrors | None = None,
    done: str | None = None,
    before: int | None = None,
) -> Response:
    line = _target(service, session, year, code)
    readers = service.caught_up()
    document = readers.quarterly_return(year)
    may_audit = True
    try:
        authorize_reading(session.principal, Reading.AUDIT)
    except Forbidden:
        may_audit = False
    # The timeline a page at a time: a busy target has tens of thousands of events.
    timeline = (
        readers.history_page(year, code, before=before, limit=TIMELINE_PAGE) if may_audit else None
    )
    ids = {form: new_command_id(form) for form in FORMS}
    if failed and values:
        ids[failed] = values.get("command_id", ids[failed])
    return page(
        request,
        "target.html",
        {
            "title": f"{code} {line.title}",
            "year": year,
            "line": line,
            "closed": document.closed_quarters,
            "quarters": QUARTERS,
            "commentary": readers.quarter_commentary(year, code),
            "kinds": KINDS,
            "may_write": records_for(session.principal, line.theme),
            "timeline": timeline,
            "council_names": council_names(readers) if timeline else CouncilNames(),
            "older": timeline[-1].position if timeline and len(timeline) == TIMELINE_PAGE else None,
            "newest_first_from": before,
            "ids": ids,
            "failed": failed,
            "values": values or {},
            "errors": errors.errors if errors else [],
            "field_errors": errors.by_field if errors else {},
            "done": DONE.get(done or ""),
        },
        session=session,
        status_code=422 if errors else 200,
    )


@router.get("/years/{year}/targets/{code}")
def target(
    request: Request,
    year: Year,
    code: Code,
    service: ServiceDep,
    session: SignedIn,
    done: Annotated[str | None, Query(max_length=20)] = None,
    before: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
) -> Response:
    """The target's page (recorders: their team's targets only); ``before`` pages the
    timeline back from that event's position."""
    return _target_page(request, service, session, year, code, done=done, before=before)


@router.post("/years/{year}/targets/{code}/{form_name}")
def officer_form(
    request: Request,
    year: Year,
    code: Code,
    form_name: str,
    service: ServiceDep,
    session: SignedIn,
    form: CheckedForm,
) -> Response:
    """Reports a figure, sets a RAG or writes commentary: stored once by the form's command
    id, or the page again with the error summary (nothing stored)."""
    if form_name not in FORMS:
        raise NotFound("there is no such form")
    line = _target(service, session, year, code)
    if not records_for(session.principal, line.theme):
        raise Forbidden(f"you do not record for {line.theme or 'this target'}")
    kind, labels = FORMS[form_name]
    errors = FormErrors({**labels, "restatement_reason": "Restatement reason"}, _anchors(form_name))
    command_id = form.get("command_id", "")
    if not command_id.startswith(f"web-{form_name}-"):
        raise Forbidden("the form has no command id: open the page again", field="command_id")
    for name, label in labels.items():
        if not form.get(name):
            asked = "Enter" if name in ("value", "text") else "Choose"
            errors.add(name, f"{asked} the {label if name == 'rag' else label.lower()}")
    answers: dict[str, Any] = {name: form.get(name) for name in labels}
    if not errors and "value" in answers:
        answers["value"] = number_field(form["value"], "value", errors)
    if not errors:
        fields = payload(
            type=kind,
            id=command_id,
            year=year,
            code=code,
            restatement_reason=form.get("restatement_reason"),
            **answers,
        )
        submit(service, session, errors, fields)
    if errors:
        return _target_page(
            request, service, session, year, code, failed=form_name, values=form, errors=errors
        )
    return RedirectResponse(
        f"/years/{path_year(year)}/targets/{path_part(code)}?done={form_name}", status_code=303
    )


def _anchors(form_name: str) -> dict[str, str]:
    """Each field's input id on the page (the three forms share the page)."""
    return {
        name: f"{form_name}-{name}"
        for name in ("quarter", "value", "rag", "kind", "text", "restatement_reason")
    }
