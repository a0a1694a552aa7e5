"""The pages' Jinja environment: our templates beside GOV.UK Frontend's macros
(``govuk-frontend-jinja``), and the one way a page is drawn (:func:`page`)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from domain.access import Role
from domain.risks import risk_band
from infra.exports.pack_layout import heat_map_refs
from infra.http.failure_note import note_failure
from infra.web.councils import search_keys
from infra.web.labels import change_label
from infra.web.sessions import WebSession

SERVICE_NAME = "Quarterly returns"
PAGE_POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
RAG_TAG_CLASS = {
    "green": "govuk-tag--green",
    "amber": "govuk-tag--orange",
    "red": "govuk-tag--red",
    "black": "govuk-tag--grey",
    "none": "govuk-tag--grey",
    "yellow": "govuk-tag--yellow",
}
RAG_WORD = {"none": "Not assessed", "black": "Not applicable"}
DIRECTION_WORD = {
    "better": "Better than last quarter",
    "same": "Same as last quarter",
    "worse": "Worse than last quarter",
    "up": "Score up",
    "down": "Score down",
}


def path_part(text: object) -> str:
    """``text`` as one segment of a web address: every character but letters, digits and
    ``_.-~`` percent-encoded, so a code holding ``?``, ``#``, ``%`` or a space links to its
    own page (``A?B`` -> ``A%3FB``)."""
    return quote(str(text), safe="")


def _environment() -> Environment:
    environment = Environment(
        loader=ChoiceLoader(
            [
                PackageLoader("infra.web", "templates"),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        autoescape=True,
        auto_reload=False,  # templates are package data: they change only with the package
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["rag_class"] = lambda rag: RAG_TAG_CLASS.get(rag or "none", "")
    environment.filters["rag_word"] = lambda rag: RAG_WORD.get(
        rag or "none", str(rag or "none").capitalize()
    )
    environment.filters["direction_word"] = lambda word: DIRECTION_WORD.get(word or "", "")
    environment.filters["figure"] = _figure
    environment.filters["path_year"] = path_year
    environment.filters["path_part"] = path_part
    environment.filters["event_name"] = event_name
    environment.filters["risk_band"] = risk_band
    environment.filters["heat_map_refs"] = heat_map_refs
    environment.filters["change_label"] = change_label
    environment.filters["search_keys"] = search_keys
    return environment


def event_name(event: str) -> str:
    """``Target.FigureReported`` as a person reads it: ``Figure reported``."""
    words = re.findall(r"[A-Z][a-z]*", event.rsplit(".", 1)[-1])
    name = " ".join(words).capitalize()
    return f"Engagement {name.lower()}" if event.startswith("Engagement.") else name


def _figure(value: Any) -> str:
    """A figure as a table shows it: none as a dash (not reported), 0 as 0."""
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


def path_year(year: str) -> str:
    """``2016/17`` as the pages' URLs write it: ``2016-17``."""
    return year.replace("/", "-")


ENVIRONMENT = _environment()


def navigation(session: WebSession | None, current: str) -> list[dict[str, Any]]:
    """The service navigation's links for the signed-in role."""
    if session is None:
        return []
    role = session.principal.role
    links = [("/years", "Returns")]
    if role is not Role.AUDITOR:
        links.append(("/engagements/new", "Record an engagement"))
    links.append(("/take-up", "Take-up"))
    if role is not Role.RECORDER:
        links += [("/milestones", "Milestones"), ("/risks", "Risks")]
        links.append(("/verification", "Verification"))
    # A year's take-up page lives under /years/ but belongs to "Take-up".
    section = "/take-up" if current.endswith("/take-up") else current
    return [
        {"href": href, "text": text, "active": section == href or section.startswith(href + "/")}
        for href, text in links
    ]


def page(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    session: WebSession | None,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Draws ``template`` with ``context`` plus what every page shows (who is signed in,
    the navigation, the session's CSRF token for its forms), sent with a
    Content-Security-Policy that lets the page load nothing but this service's own files
    (and run no inline script but the template's own, by its nonce)."""
    if status_code >= 400 and context.get("errors"):
        # A form shown again with its errors: the log line says which.
        texts = "; ".join(str(error.get("text", "")) for error in context["errors"])
        note_failure(request.scope, "FormErrors", texts)
    nonce = secrets.token_urlsafe(16)
    html = ENVIRONMENT.get_template(template).render(
        {
            "service_name": SERVICE_NAME,
            "cspNonce": nonce,
            "session": session,
            "principal": session.principal if session else None,
            "csrf_token": session.csrf_token if session else None,
            "navigation": navigation(session, request.url.path),
            **context,
        }
    )
    response = HTMLResponse(html, status_code=status_code, headers=dict(headers or {}))
    # Pages show what one person may see: never kept by a shared cache.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = PAGE_POLICY.format(nonce=nonce)
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
