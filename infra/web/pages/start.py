"""The start page, signing in with a token (exchanged for a session cookie) and out."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from application.access import authenticate
from domain.errors import Unauthenticated
from infra.http.deps import ServiceDep
from infra.web.cookies import delete_cookie, set_cookie
from infra.web.deps import CheckedForm, MaybeSignedIn, RawForm, SignedIn, check_csrf
from infra.web.sessions import SESSION_COOKIE, SESSION_HOURS, SIGN_IN_COOKIE
from infra.web.templating import page

router = APIRouter(include_in_schema=False)


def _sign_in_page(
    request: Request, errors: list[dict[str, str]] | None = None, status_code: int = 200
) -> Response:
    """The start page with the sign-in form; its CSRF token is also a cookie (the form is
    drawn before there is a session). The cookie's token is reused while it lasts, so the
    start page open in two tabs signs in from either."""
    token = request.cookies.get(SIGN_IN_COOKIE) or secrets.token_urlsafe(32)
    response = page(
        request,
        "start.html",
        {"title": "Sign in", "sign_in_csrf": token, "errors": errors or []},
        session=None,
        status_code=status_code,
    )
    set_cookie(request, response, SIGN_IN_COOKIE, token, path="/")
    return response


@router.get("/")
def start(request: Request, service: ServiceDep, session: MaybeSignedIn) -> Response:
    """Signed in: what this role can do; otherwise the sign-in form."""
    if session is None:
        return _sign_in_page(request)
    return page(
        request,
        "home.html",
        {"title": "Home", "years": service.caught_up().years()},
        session=session,
    )


@router.post("/sign-in")
def sign_in(request: Request, service: ServiceDep, form: RawForm) -> Response:
    """Exchanges the posted token for a session cookie. The token only ever travels in
    this form's body: never in a URL, never written to a log or back into the page."""
    check_csrf(request.cookies.get(SIGN_IN_COOKIE, ""), form)
    secret = form.get("token", "")
    if not secret:
        return _sign_in_page(request, [_token_error("Enter your token")], 401)
    try:
        principal = authenticate(service.quarterly.ledger, secret)
    except Unauthenticated as refusal:
        return _sign_in_page(request, [_token_error(refusal.message.capitalize())], 401)
    key = service.sessions.start(principal)
    response = RedirectResponse("/", status_code=303)
    set_cookie(request, response, SESSION_COOKIE, key, max_age=SESSION_HOURS * 3600)
    delete_cookie(request, response, SIGN_IN_COOKIE, path="/")
    return response


def _token_error(message: str) -> dict[str, str]:
    return {"text": message, "href": "#token"}


@router.post("/sign-out")
def sign_out(
    request: Request, service: ServiceDep, session: SignedIn, form: CheckedForm
) -> Response:
    """Ends the session here and in the store (the cookie is worthless afterwards)."""
    del form  # checked for its CSRF token; nothing else in it
    service.sessions.end(session.key_hash)
    response = RedirectResponse("/", status_code=303)
    delete_cookie(request, response, SESSION_COOKIE)
    return response
