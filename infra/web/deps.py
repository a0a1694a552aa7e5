"""What the pages take as parameters: the signed-in session and a form whose CSRF token
was checked. A page without a session is answered by a redirect to the start page; a form
without the session's CSRF token is refused (403) before anything is read from it."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from domain.errors import Forbidden, Unauthenticated
from infra.http.deps import ServiceDep
from infra.web.sessions import SESSION_COOKIE, WebSession

FormFields = dict[str, str]


def get_web_session(request: Request, service: ServiceDep) -> WebSession:
    """The signed-in session (Unauthenticated without one: the start page follows)."""
    session = service.sessions.find(request.cookies.get(SESSION_COOKIE))
    request.state.actor = session.principal.name
    return session


SignedIn = Annotated[WebSession, Depends(get_web_session)]


def optional_session(request: Request, service: ServiceDep) -> WebSession | None:
    """The signed-in session, or None."""
    try:
        return get_web_session(request, service)
    except Unauthenticated:
        return None


MaybeSignedIn = Annotated[WebSession | None, Depends(optional_session)]


async def read_form(request: Request) -> FormFields:
    """A posted form's fields as text (files are not taken), stripped of surrounding space,
    every line break a newline: browsers send a textarea's line breaks as CR LF (the HTML
    standard's form encoding), and a stored text may hold newline but no carriage return."""
    form = await request.form()
    return {
        name: _newlines(value.strip()) for name, value in form.items() if isinstance(value, str)
    }


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


RawForm = Annotated[FormFields, Depends(read_form)]


def check_csrf(expected: str, form: FormFields) -> None:
    """Refuses (403) a form that does not carry ``expected`` as ``csrf_token``; an empty
    ``expected`` (no sign-in cookie: a form posted from another site) refuses every form."""
    sent = form.get("csrf_token", "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise Forbidden(
            "this form was not sent from this service's page, or the page is too old: "
            "open the page again and resend the form",
            field="csrf_token",
        )


def checked_form(request: Request, session: SignedIn, form: RawForm) -> FormFields:
    """The posted form, refused (403) without the session's CSRF token. The request log
    names the form's command id, as it does for the API's commands."""
    check_csrf(session.csrf_token, form)
    request.state.command_id = form.get("command_id") or None
    return form


CheckedForm = Annotated[FormFields, Depends(checked_form)]
