"""The contract's commands as typed, validated values.

Validation names the offending field in every message; nothing here touches the store.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from domain.calendar import FinancialYear, Quarter, parse_iso_date
from domain.errors import BadInput, Refused
from domain.measures import Aggregation, check_figure
from domain.rag import CommentaryKind, Rag


def _year(text: object) -> str:
    if not isinstance(text, str):
        raise ValueError(f"must be a string like 2016/17, not {text!r}")
    try:
        return str(FinancialYear.parse(text))
    except Refused as refusal:
        raise ValueError(refusal.message) from None


def _date(text: object) -> date:
    if isinstance(text, date):
        return text
    if not isinstance(text, str) or len(text) != 10:
        raise ValueError(f"must be an ISO date string (YYYY-MM-DD), not {text!r}")
    try:
        return parse_iso_date(text, field="date")
    except Refused as refusal:
        raise ValueError(refusal.message) from None


def _enum_parser(parse: Any) -> Any:
    def validate(text: object) -> Any:
        if not isinstance(text, str):
            raise ValueError(f"must be a string, not {text!r}")
        try:
            return parse(text)
        except Refused as refusal:
            raise ValueError(refusal.message) from None

    return validate


def _figure(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be a number, not {value!r}")
    try:
        return check_figure(value)
    except Refused as refusal:
        raise ValueError(refusal.message) from None


Year = Annotated[str, BeforeValidator(_year)]
IsoDate = Annotated[date, BeforeValidator(_date)]
QuarterField = Annotated[Quarter, BeforeValidator(_enum_parser(Quarter.parse))]
RagField = Annotated[Rag, BeforeValidator(_enum_parser(Rag.parse))]
KindField = Annotated[CommentaryKind, BeforeValidator(_enum_parser(CommentaryKind.parse))]
AggregationField = Annotated[Aggregation, BeforeValidator(_enum_parser(Aggregation.parse))]
Figure = Annotated[StrictInt | StrictFloat, BeforeValidator(_figure)]
Text = Annotated[StrictStr, Field(min_length=1)]
Rating = Annotated[StrictInt, Field(ge=1, le=5)]


class BaseCommand(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Text
    actor: StrictStr | None = None
    reason: StrictStr | None = None
    restatement_reason: StrictStr | None = None

    @field_validator("id")
    @classmethod
    def _id_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value

    def digest(self) -> str:
        """Identifies the command's content; ``actor`` is who sent it, not what it says."""
        content = self.model_dump(mode="json", exclude={"actor"})
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


class DefineTarget(BaseCommand):
    type: Literal["define_target"]
    year: Year
    code: Text
    title: Text
    aggregation: AggregationField
    theme: StrictStr | None = None
    target: Figure | None = None
    unit: StrictStr | None = None
    lead: StrictStr | None = None
    board: StrictStr | None = None


class RecordEngagement(BaseCommand):
    type: Literal["record_engagement"]
    year: Year
    code: Text
    date: IsoDate
    council: Text
    kind: StrictStr | None = None
    count: Annotated[StrictInt, Field(ge=1)] = 1
    region: StrictStr | None = None
    notes: StrictStr | None = None


class ReportFigure(BaseCommand):
    type: Literal["report_figure"]
    year: Year
    code: Text
    quarter: QuarterField
    value: Figure


class SetRag(BaseCommand):
    type: Literal["set_rag"]
    year: Year
    code: Text
    quarter: QuarterField
    rag: RagField


class Comment(BaseCommand):
    type: Literal["comment"]
    year: Year
    code: Text
    quarter: QuarterField
    kind: KindField
    text: Text


class DefineMilestone(BaseCommand):
    type: Literal["define_milestone"]
    project: Text
    milestone: Text
    due: IsoDate


class ReviseMilestone(BaseCommand):
    type: Literal["revise_milestone"]
    project: Text
    milestone: Text
    revised_due: IsoDate


class CompleteMilestone(BaseCommand):
    type: Literal["complete_milestone"]
    project: Text
    milestone: Text
    completed_on: IsoDate


class AssessRisk(BaseCommand):
    type: Literal["assess_risk"]
    ref: Text
    impact: Rating
    likelihood: Rating
    title: StrictStr | None = None
    owner: StrictStr | None = None


class CloseQuarter(BaseCommand):
    type: Literal["close_quarter"]
    year: Year
    quarter: QuarterField


class IssueReminder(BaseCommand):
    """Issued by the scheduler before a quarter closes; not accepted from clients."""

    type: Literal["issue_reminder"]
    year: Year
    code: Text
    quarter: QuarterField
    missing: list[Literal["figure", "rag", "delivered"]]


class SummariseYear(BaseCommand):
    """Issued by the scheduler after Q4 closes; not accepted from clients."""

    type: Literal["summarise_year"]
    year: Year
    summary: dict[str, Any]


Command = Annotated[
    DefineTarget
    | RecordEngagement
    | ReportFigure
    | SetRag
    | Comment
    | DefineMilestone
    | ReviseMilestone
    | CompleteMilestone
    | AssessRisk
    | CloseQuarter,
    Field(discriminator="type"),
]

COMMAND_TYPES: dict[str, type[BaseCommand]] = {
    "define_target": DefineTarget,
    "record_engagement": RecordEngagement,
    "report_figure": ReportFigure,
    "set_rag": SetRag,
    "comment": Comment,
    "define_milestone": DefineMilestone,
    "revise_milestone": ReviseMilestone,
    "complete_milestone": CompleteMilestone,
    "assess_risk": AssessRisk,
    "close_quarter": CloseQuarter,
}

_COMMAND_ADAPTER: TypeAdapter[Command] = TypeAdapter(Command)


def parse_command(payload: object) -> BaseCommand:
    """A validated command, or :class:`BadInput` naming the first offending field."""
    if not isinstance(payload, dict):
        raise BadInput(f"a command is a JSON object, not {type(payload).__name__}")
    kind = payload.get("type")
    if kind is None:
        raise BadInput("is required", field="type")
    if not isinstance(kind, str) or kind not in COMMAND_TYPES:  # {} or [] are unhashable
        known = ", ".join(COMMAND_TYPES)
        raise BadInput(f"unknown command type {kind!r}; expected one of {known}", field="type")
    try:
        return _COMMAND_ADAPTER.validate_python(payload)
    except ValidationError as error:
        raise _first_refusal(error) from None


def _first_refusal(error: ValidationError) -> BadInput:
    return refusal_from_errors(list(error.errors(include_url=False)))


_BODY_PROBLEMS = {
    "union_tag_invalid": (
        "type",
        "unknown command type; expected one of " + ", ".join(COMMAND_TYPES),
    ),
    "union_tag_not_found": ("type", "is required"),
    "json_invalid": (None, "the body is not valid JSON"),
    "model_attributes_type": (None, "a command is a JSON object"),
    "dict_type": (None, "a command is a JSON object"),
}


def refusal_from_errors(problems: list[Any]) -> BadInput:
    """The first validation problem as a refusal naming its field (CLI and HTTP alike)."""
    if not problems:
        return BadInput("the command is not valid")
    first = problems[0]
    if first["type"] in _BODY_PROBLEMS:
        field, message = _BODY_PROBLEMS[first["type"]]
        return BadInput(message, field=field)
    location = [
        str(part) for part in first["loc"] if str(part) not in COMMAND_TYPES and str(part) != "body"
    ]
    field = ".".join(location) or None
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "is not a field of this command"
    elif first["type"] == "missing":
        message = "is required"
    if len(problems) > 1:
        others = {
            ".".join(str(p) for p in e["loc"] if str(p) not in COMMAND_TYPES and str(p) != "body")
            for e in problems[1:]
        }
        others.discard(field or "")
        if others:
            message += f" (also check: {', '.join(sorted(others))})"
    return BadInput(message, field=field)
