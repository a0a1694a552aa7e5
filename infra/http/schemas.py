"""Shapes for the OpenAPI document. Bodies are written by the one JSON serialiser the CLI
uses; these models only describe them. Parameter schemas state exactly what the routes
accept, so that a request valid by the document is never refused for its form."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, TypeAdapter

from application.commands import Command
from domain.calendar import FIRST_START_YEAR, LAST_START_YEAR, FinancialYear
from infra.inputs import FIRST_MOMENT_YEAR, LAST_MOMENT_YEAR, MOMENT_YEAR_PATTERN

Number = int | float

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
    error: str
    field: str | None = None


class Accepted(BaseModel):
    id: str
    type: str
    outcome: str  # "stored" or "already_stored"


class Commentary(BaseModel):
    delivered: str | None
    impact: str | None
    forecast: str | None


class Restatement(BaseModel):
    quarter: str
    field: str
    old: Any
    new: Any
    restatement_reason: str
    actor: str | None
    recorded_at: str


class TargetLine(BaseModel):
    code: str
    title: str
    theme: str | None
    unit: str | None
    aggregation: str
    target: Number | None
    quarters: dict[str, Number | None]
    total: Number | None
    percent_achieved: int | None
    rag: str
    rag_by_quarter: dict[str, str | None]
    commentary: Commentary
    restatements: list[Restatement]


class Report(BaseModel):
    year: str
    as_at: str | None
    closed_quarters: list[str]
    targets: list[TargetLine]
    summary: dict[str, int]


class HistoryEntry(BaseModel):
    model_config = {"extra": "allow"}

    position: int
    recorded_at: str
    event: str
    actor: str | None
    reason: str | None
    command_id: str
    quarter: str | None


class Change(BaseModel):
    field: str
    before: Any
    after: Any


class TargetChanges(BaseModel):
    code: str
    title: str
    status: str
    changes: list[Change]
    events: list[HistoryEntry]


class Diff(BaseModel):
    year: str
    to: str | None
    targets: list[TargetChanges]
    model_config = {"extra": "allow"}  # "from" is a keyword in Python


class Revision(BaseModel):
    revised_due: str
    reason: str | None
    recorded_at: str


class MilestoneLine(BaseModel):
    project: str
    milestone: str
    due: str
    current_due: str
    revisions: list[Revision]
    slippage_days: int
    completed_on: str | None


class RiskLine(BaseModel):
    ref: str
    title: str | None
    impact: int
    likelihood: int
    score: int
    band: str


class VerifyResult(BaseModel):
    ok: bool
    events: int
    head: str
    problem: str | None
    position: int | None


class SealLine(BaseModel):
    year: str
    quarter: str
    digest: str
    sealed_position: int
    closed_at: str
    actor: str | None


class Health(BaseModel):
    status: str  # "ok", "degraded" (the projection cannot catch up) or "unreachable"
    store: str
    head_position: int | None
    projection_position: int | None
    projection_lag: int | None
    projection_error: str | None = None
    projection_failing_since: str | None = None
