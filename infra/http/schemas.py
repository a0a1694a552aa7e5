"""The request side of the OpenAPI document, and the API's own small bodies.

Parameter schemas state exactly what the routes accept, so that a request valid by the
document is never refused for its form; the command body is stated from the same union the
route decodes. What the reads answer is not here: those are the read models themselves
(``projections/models.py``, ``application/audit.py``), each route's ``response_model``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, TypeAdapter

from application.commands import Command
from application.ledger import Outcome
from domain.calendar import FIRST_START_YEAR, LAST_START_YEAR, FinancialYear
from infra.inputs import FIRST_MOMENT_YEAR, LAST_MOMENT_YEAR, MOMENT_YEAR_PATTERN

# Every financial year the service keeps, as a path writes it (``2016/17`` works too).
YEARS_IN_PATH = [
    str(FinancialYear(start)).replace("/", "-")
    for start in range(FIRST_START_YEAR, LAST_START_YEAR + 1)
]


def year_parameter(schema: dict[str, Any]) -> None:
    """The ``{year}`` path parameter: one of the years kept, ``1990-91`` to ``2098-99``."""
    schema.clear()
    schema.update(
        type="string",
        enum=YEARS_IN_PATH,
        description=f"A financial year, {YEARS_IN_PATH[0]} to {YEARS_IN_PATH[-1]} "
        "(2016/17 is accepted too)",
    )


def code_parameter(schema: dict[str, Any]) -> None:
    """The ``{code}`` path parameter: any text without ``/``; an unknown code is a 404."""
    schema.clear()
    schema.update(type="string", pattern="^[^/]+$", description="A target's code, e.g. PS1")


def seal_parameter(schema: dict[str, Any]) -> None:
    """The ``?seal=`` query parameter: a digest, 64 hexadecimal digits (upper case and
    spaces around are accepted too; anything else is a 422 naming ``seal``)."""
    schema.clear()
    schema.update(
        type="string",
        pattern="^[0-9a-fA-F]{64}$",
        description="A seal from `quarterly seals`: 64 hexadecimal digits",
    )


def moment_parameter(schema: dict[str, Any]) -> None:
    """A recorded time in a query parameter, in the range ``parse_moment`` accepts."""
    description = schema.get("description", "")
    schema.clear()
    schema.update(
        type="string",
        format="date-time",
        pattern=MOMENT_YEAR_PATTERN,
        description=f"{description} ISO-8601; UTC when no zone is given; a date alone "
        f"(YYYY-MM-DD) means the end of that day; years {FIRST_MOMENT_YEAR} to "
        f"{LAST_MOMENT_YEAR}.".strip(),
    )


def command_body() -> tuple[dict[str, Any], dict[str, Any]]:
    """``POST /api/v1/commands``: the operation's ``requestBody`` (one command, the union
    of the contract's commands by ``type``) and the component schemas it refers to.

    The route reads the raw body itself (see ``application.command_json``), so FastAPI does
    not derive this from a parameter; it is stated here from the same ``Command`` union.
    """
    schema = TypeAdapter(Command).json_schema(ref_template="#/components/schemas/{model}")
    components: dict[str, Any] = schema.pop("$defs")
    body = {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"title": "Command", **schema}}},
        }
    }
    return body, components


class Refusal(BaseModel):
    """Every refusal and failure: what is wrong, and the field it concerns (if one)."""

    error: str
    field: str | None = None


class Accepted(BaseModel):
    """What ``POST /api/v1/commands`` answers for a command it stored or already held."""

    model_config = ConfigDict(frozen=True)

    id: str
    type: str
    outcome: Outcome


class Health(BaseModel):
    """``GET /api/v1/health``: whether the store answers and how far the projection lags."""

    model_config = ConfigDict(frozen=True)

    # "degraded": the store answers but the projection cannot catch up.
    status: Literal["ok", "degraded", "unreachable"]
    store: str
    head_position: int | None
    projection_position: int | None
    projection_lag: int | None
    projection_error: str | None = None
    projection_failing_since: str | None = None
