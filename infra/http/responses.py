"""How the API answers: documents in the CLI's JSON, refusals in the API's error shape."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from application.commands import refusal_from_errors
from domain.errors import BadInput, Conflict, Forbidden, NotFound, Refused, Unauthenticated
from infra.exports.json_document import to_json
from infra.http.schemas import Refusal

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
    405 ...) and FastAPI's parameter errors all answer in the API's error shape."""

    @app.exception_handler(Refused)
    async def refused(_: Request, refusal: Refused) -> Response:
        return refusal_response(refusal)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> Response:
        return JSONResponse(
            {"error": str(error.detail), "field": None},
            status_code=error.status_code,
            headers=error.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, error: RequestValidationError) -> Response:
        return refusal_response(refusal_from_errors(list(error.errors())))
