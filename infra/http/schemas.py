"""Response shapes, for the OpenAPI document. Bodies are written by the one JSON serialiser
the CLI uses; these models only describe them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

Number = int | float


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
    status: str
    store: str
    head_position: int | None
    projection_position: int | None
    projection_lag: int | None
