"""How the pages answer a refusal: the start page for a person not signed in, an error
page in the Design System's words otherwise (the API keeps its JSON shape)."""

from __future__ import annotations

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from domain.errors import Forbidden, NotFound, Refused, Unauthenticated
from infra.web.cookies import delete_cookie
from infra.web.sessions import SESSION_COOKIE, WebSession
from infra.web.templating import page

NOT_PAGES = ("/api/", "/docs", "/redoc", "/openapi.json", "/static-offline-docs", "/assets/")


def is_page(request: Request) -> bool:
    """Whether the request is for a web page rather than the API or an asset."""
    return not request.url.path.startswith(NOT_PAGES)


def _session(request: Request) -> WebSession | None:
    try:
        service = request.app.state.service
        found: WebSession = service.sessions.find(request.cookies.get(SESSION_COOKIE))
    except Exception:  # an error page is drawn whatever went wrong; no session then
        return None
    return found


def refused_page(request: Request, refusal: Refused) -> Response:
    """A refusal a page raised, as a page: sign in again (303 to the start page) or an
    error page with the refusal's message (403, 404, 409, 422)."""
    if isinstance(refusal, Unauthenticated):
        response = RedirectResponse("/", status_code=303)
        if request.cookies.get(SESSION_COOKIE):
            delete_cookie(request, response, SESSION_COOKIE)
        return response
    if isinstance(refusal, Forbidden):
        title, status = "You cannot do that", 403
    elif isinstance(refusal, NotFound):
        title, status = "Page not found", 404
    else:
        title, status = "There is a problem", 422
    message = refusal.message
    if refusal.field and not message.startswith(refusal.field):
        # A page's own forms name the field by its label; this is a refused parameter of
        # the address (?as_at=, ?before=) or a field a form did not expect to be refused
        # (a hidden one, or one sent without the form): name it as sent.
        where = "In the address" if request.method in ("GET", "HEAD") else "In the form sent"
        message = f"{where}, {refusal.field}: {message}"
    return error_page(request, title, message, status)


def error_page(request: Request, title: str, message: str, status_code: int) -> Response:
    """An error page (with the navigation when someone is signed in)."""
    return page(
        request,
        "error.html",
        {"title": title, "message": message[:1].upper() + message[1:]},
        session=_session(request),
        status_code=status_code,
    )
