"""``POST /api/v1/commands``: one command, idempotent by its id."""

from __future__ import annotations

from fastapi import APIRouter, Response

from application.access import authorize_command
from application.ledger import Outcome
from infra.http.deps import CommandBody, CurrentPrincipal, ServiceDep
from infra.http.responses import REFUSALS
from infra.http.schemas import Accepted, command_body

router = APIRouter(prefix="/api/v1", tags=["commands"])
COMMAND_BODY, COMMAND_SCHEMAS = command_body()


@router.post(
    "/commands",
    status_code=201,
    response_model=Accepted,
    responses={200: {"model": Accepted, "description": "Already stored"}, **REFUSALS},
    summary="Submit one command (idempotent by its id)",
    openapi_extra=COMMAND_BODY,
)
def submit(
    service: ServiceDep,
    principal: CurrentPrincipal,  # before the body: no token, no parsing
    command: CommandBody,
    response: Response,
) -> Accepted:
    """201 when stored, 200 when the same command was already stored; the caller is
    recorded as the command's actor."""
    authorize_command(service.quarterly.ledger, principal, command)
    attributed = command.model_copy(update={"actor": principal.name})
    outcome = service.execute(attributed)
    if outcome is not Outcome.STORED:
        response.status_code = 200
    kind = command.model_dump(include={"type"})["type"]
    return Accepted(id=command.id, type=kind, outcome=outcome)
