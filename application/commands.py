"""The contract's commands as typed, validated values.

Validation names the offending field in every message; nothing here touches the store.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from application.command_fields import (
    MAX_COUNT,
    AggregationField,
    Code,
    Figure,
    IsoDate,
    KindField,
    Name,
    QuarterField,
    RagField,
    Rating,
    Text,
    Year,
    check_storable,
)
from domain.errors import BadInput
from domain.text import shows_something


class BaseCommand(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Text
    actor: StrictStr | None = None
    reason: StrictStr | None = None
    restatement_reason: StrictStr | None = None

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, data: Any) -> Any:
        """Every string and number of every command passes :func:`check_storable`."""
        if isinstance(data, dict):
            check_storable(data, "")
        return data

    @field_validator("id")
    @classmethod
    def _id_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value

    @field_validator("actor")
    @classmethod
    def _actor_names_someone(cls, value: str | None) -> str | None:
        """An actor that shows nothing (blank, or only invisible characters) is no actor:
        whoever sent the command is recorded instead."""
        return value if value is not None and shows_something(value) else None

    def digest(self) -> str:
        """Identifies the command's content; ``actor`` is who sent it, not what it says."""
        content = self.model_dump(mode="json", exclude={"actor"})
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


class DefineTarget(BaseCommand):
    type: Literal["define_target"]
    year: Year
    code: Code
    title: Text
    aggregation: AggregationField
    theme: StrictStr | None = None
    target: Figure | None = None
    unit: StrictStr | None = None
    lead: StrictStr | None = None
    board: StrictStr | None = None


class AmendTarget(BaseCommand):
    """Changes a defined target: the fields given replace the stored ones (``null`` clears
    an optional one); ``reason`` is required and shown in history and diff."""

    type: Literal["amend_target"]
    year: Year
    code: Code
    reason: Text  # required here, optional on other commands
    title: Text | None = None
    aggregation: AggregationField | None = None
    theme: StrictStr | None = None
    target: Figure | None = None
    unit: StrictStr | None = None
    lead: StrictStr | None = None
    board: StrictStr | None = None

    @field_validator("reason")
    @classmethod
    def _reason_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must say why the target changes")
        return value

    @field_validator("title", "aggregation")
    @classmethod
    def _required_fields_stay(cls, value: object) -> object:
        if value is None:
            raise ValueError("cannot be cleared: every target has one")
        return value

    def changes(self) -> dict[str, Any]:
        """The definition fields this command sets, by name (None: cleared)."""
        fields = ("title", "aggregation", "theme", "target", "unit", "lead", "board")
        return {name: getattr(self, name) for name in fields if name in self.model_fields_set}

    def digest(self) -> str:
        """Which fields were given is part of the content: a field left out keeps its value,
        a field given as ``null`` clears it."""
        content = self.model_dump(mode="json", exclude={"actor"}, exclude_unset=True)
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


class RecordEngagement(BaseCommand):
    type: Literal["record_engagement"]
    year: Year
    code: Code
    date: IsoDate
    council: Text
    kind: StrictStr | None = None
    count: Annotated[StrictInt, Field(ge=1, le=MAX_COUNT)] = 1
    region: StrictStr | None = None
    notes: StrictStr | None = None


class RegisterCouncil(BaseCommand):
    """A council of the register. Its type is ``council_type``: ``type`` names the command."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    type: Literal["register_council"]
    code: Code
    name: Text
    council_type: Text
    region: Text
    aliases: list[Text] = []
    valid_from: IsoDate | None = Field(default=None, alias="from")


class RetireCouncil(BaseCommand):
    type: Literal["retire_council"]
    code: Code
    on: IsoDate
    succeeded_by: Code | None = None


class RecordCouncilAttribute(BaseCommand):
    """A council's attribute that holds from a date, e.g. ``political_control``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    type: Literal["record_council_attribute"]
    code: Code
    attribute: Text
    value: Text
    valid_from: IsoDate = Field(alias="from")


class DefineCouncilType(BaseCommand):
    """A type of council beyond the standard five (``fire_authority`` ...)."""

    type: Literal["define_council_type"]
    council_type: Text
    label: Text


class ReportFigure(BaseCommand):
    type: Literal["report_figure"]
    year: Year
    code: Code
    quarter: QuarterField
    value: Figure


class SetRag(BaseCommand):
    type: Literal["set_rag"]
    year: Year
    code: Code
    quarter: QuarterField
    rag: RagField


class Comment(BaseCommand):
    type: Literal["comment"]
    year: Year
    code: Code
    quarter: QuarterField
    kind: KindField
    text: Text


class DefineMilestone(BaseCommand):
    type: Literal["define_milestone"]
    project: Name
    milestone: Name
    due: IsoDate


class ReviseMilestone(BaseCommand):
    type: Literal["revise_milestone"]
    project: Name
    milestone: Name
    revised_due: IsoDate


class CompleteMilestone(BaseCommand):
    type: Literal["complete_milestone"]
    project: Name
    milestone: Name
    completed_on: IsoDate


class AssessRisk(BaseCommand):
    type: Literal["assess_risk"]
    ref: Code
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
    code: Code
    quarter: QuarterField
    missing: list[Literal["figure", "rag", "delivered"]]


class SummariseYear(BaseCommand):
    """Issued by the scheduler after Q4 closes; not accepted from clients."""

    type: Literal["summarise_year"]
    year: Year
    summary: dict[str, Any]


class ReviseYearSummary(BaseCommand):
    """Issued by the scheduler when a restatement after year end changed the summary."""

    type: Literal["revise_year_summary"]
    year: Year
    summary: dict[str, Any]


Command = Annotated[
    DefineTarget
    | AmendTarget
    | RecordEngagement
    | ReportFigure
    | SetRag
    | Comment
    | DefineMilestone
    | ReviseMilestone
    | CompleteMilestone
    | AssessRisk
    | CloseQuarter
    | RegisterCouncil
    | RetireCouncil
    | RecordCouncilAttribute
    | DefineCouncilType,
    Field(discriminator="type"),
]

COMMAND_TYPES: dict[str, type[BaseCommand]] = {
    "define_target": DefineTarget,
    "amend_target": AmendTarget,
    "record_engagement": RecordEngagement,
    "report_figure": ReportFigure,
    "set_rag": SetRag,
    "comment": Comment,
    "define_milestone": DefineMilestone,
    "revise_milestone": ReviseMilestone,
    "complete_milestone": CompleteMilestone,
    "assess_risk": AssessRisk,
    "close_quarter": CloseQuarter,
    "register_council": RegisterCouncil,
    "retire_council": RetireCouncil,
    "record_council_attribute": RecordCouncilAttribute,
    "define_council_type": DefineCouncilType,
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
