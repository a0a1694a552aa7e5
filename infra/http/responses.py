"""How the API answers: documents in the CLI's JSON, refusals in the API's error shape."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from application.commands import refusal_from_errors
from domain.errors import BadInput, Conflict, Forbidden, NotFound, Refused, Unauthenticated
from infra.exports.json_document import to_json
from infra.http.failure_note import note_failure
from infra.http.schemas import Refusal
from infra.web.refusals import error_page, is_page, refused_page

STATUS_OF: tuple[tuple[type[Refused], int], ...] = (
    (Unauthenticated, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (BadInput, 422),
    (Refused, 422),
)
# The refusals every route may answer, for the OpenAPI document.
REFUSALS: dict[int | str, dict[str, Any]] = {
    status: {"model": Refusal} for status in (401, 403, 404, 409, 413, 422)
}
REFUSALS[503] = {
    "model": Refusal,
    "description": "The store is unavailable; try again after `Retry-After` seconds",
}


class DocumentResponse(JSONResponse):
    """A document written by the CLI's serialiser, so that a body is byte for byte what
    ``--format json`` prints. It is the app's default response class: routes return the
    model (FastAPI validates it against the route's ``response_model`` and dumps it to
    JSON types), and this writes the bytes.
    """

    def render(self, content: Any) -> bytes:
        """Indented, key order kept, non-ASCII as is, a final newline."""
        return to_json(content).encode("utf-8")


def refusal_response(refusal: Refused, headers: dict[str, str] | None = None) -> Response:
    """A refusal as its status (401 ... 422) and ``{"error", "field"}``."""
    status = next(code for kind, code in STATUS_OF if isinstance(refusal, kind))
    if status == 401:
        headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
    return JSONResponse(
        {"error": refusal.message, "field": refusal.field}, status_code=status, headers=headers
    )


def install_refusals(app: FastAPI) -> None:
    """Refusals from the use cases, Starlette's own HTTP errors (404 for an unknown path,
    405 ...) and FastAPI's parameter errors all answer in the API's error shape; the web
    pages answer theirs as pages (``infra.web.refusals``)."""

    @app.exception_handler(Refused)
    async def refused(request: Request, refusal: Refused) -> Response:
        note_failure(request.scope, type(refusal).__name__, refusal.message)
        if is_page(request):
            return await run_in_threadpool(refused_page, request, refusal)
        return refusal_response(refusal)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        note_failure(request.scope, "HTTPException", str(error.detail))
        if is_page(request) and error.status_code in (404, 405):
            answer = await run_in_threadpool(
                error_page,
                request,
                "Page not found" if error.status_code == 404 else "There is a problem",
                "If you typed the web address, check it is correct."
                if error.status_code == 404
                else str(error.detail),
                error.status_code,
            )
            answer.headers.update(error.headers or {})  # 405's Allow
            return answer
        return JSONResponse(
            {"error": str(error.detail), "field": None},
            status_code=error.status_code,
            headers=error.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        refusal = refusal_from_errors(list(error.errors()))
        note_failure(request.scope, type(refusal).__name__, refusal.message)
        if is_page(request):
            return await run_in_threadpool(refused_page, request, refusal)
        return refusal_response(refusal)
