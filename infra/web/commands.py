"""Forms post commands through the same validation, authorisation and use cases as the
API: one command, attributed to the signed-in person, stored once by its id."""

from __future__ import annotations

from typing import Any

from application.access import authorize_command
from application.commands import parse_command
from domain.errors import CommandConflict, Forbidden, QuarterClosed, Refused
from infra.http.service import Service
from infra.web.forms import FormErrors
from infra.web.sessions import WebSession


def submit(
    service: Service, session: WebSession, errors: FormErrors, fields: dict[str, Any]
) -> None:
    """Validates, authorises and stores one command, adding any refusal to ``errors``
    (a refusal to this person is not an input error: it is answered 403)."""
    try:
        command = parse_command(fields)
        authorize_command(service.quarterly.ledger, session.principal, command)
        service.execute(command.model_copy(update={"actor": session.principal.name}))
    except Forbidden:
        raise
    except CommandConflict:
        errors.add(None, "This form was already sent with other answers: open the page again")
    except QuarterClosed as closed:
        # The form's answer to a closed quarter is its restatement reason field.
        errors.add("restatement_reason", closed.message)
    except Refused as refusal:
        errors.refused(refusal)
