"""The contract's commands as typed, validated values.

Validation names the offending field in every message; nothing here touches the store.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from application.command_base import BaseCommand
from application.command_fields import (
    MAX_COUNT,
    AggregationField,
    Code,
    DirectionField,
    Figure,
    IsoDate,
    KindField,
    QuarterField,
    RagField,
    Text,
    ThresholdField,
    Year,
)
from application.register_commands import (
    AssessRisk,
    CompleteMilestone,
    DefineMilestone,
    ReportProject,
    ReviseMilestone,
    SetMilestoneStatus,
)
from domain.errors import BadInput, Refused
from domain.text import check_identifier, quoted, shows_something

__all__ = [
    "COMMAND_TYPES",
    "AmendTarget",
    "AssessRisk",
    "BaseCommand",
    "CloseQuarter",
    "Command",
    "Comment",
    "CompleteMilestone",
    "DefineCouncilType",
    "DefineMilestone",
    "DefineTarget",
    "IssueReminder",
    "RecordCouncilAttribute",
    "RecordEngagement",
    "RegisterCouncil",
    "ReportFigure",
    "ReportProject",
    "RetireCouncil",
    "ReviseMilestone",
    "ReviseYearSummary",
    "SetMilestoneStatus",
    "SetRag",
    "SummariseYear",
    "parse_command",
    "refusal_from_errors",
]


class DefineTarget(BaseCommand):
    """A target of the business plan. ``direction``, ``allow_negative`` and ``threshold``
    say how its figure is judged (docs/commands.md)."""

    added_later: ClassVar[dict[str, Any]] = {
        "direction": None,
        "allow_negative": False,
        "threshold": None,
    }

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
    direction: DirectionField | None = None
    allow_negative: StrictBool = False
    threshold: ThresholdField | None = None

    def definition_fields(self) -> dict[str, Any]:
        """The target's definition as this command gives it, enums as their values."""
        return {
            "title": self.title,
            "aggregation": self.aggregation.value,
            "theme": self.theme,
            "target": self.target,
            "unit": self.unit,
            "lead": self.lead,
            "board": self.board,
            "direction": None if self.direction is None else self.direction.value,
            "allow_negative": self.allow_negative,
            "threshold": None if self.threshold is None else self.threshold.value,
        }


class AmendTarget(BaseCommand):
    """Changes a defined target: the fields given replace the stored ones (``null`` clears
    an optional one); ``reason`` is required and shown in history and diff."""

    digest_given_fields_only: ClassVar[bool] = True

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
    direction: DirectionField | None = None
    allow_negative: StrictBool | None = None
    threshold: ThresholdField | None = None

    @field_validator("reason")
    @classmethod
    def _reason_not_blank(cls, value: str) -> str:
        if not shows_something(value):
            raise ValueError("must say why the target changes")
        return value

    @field_validator("title", "aggregation")
    @classmethod
    def _required_fields_stay(cls, value: object) -> object:
        if value is None:
            raise ValueError("cannot be cleared: every target has one")
        return value

    @field_validator("allow_negative")
    @classmethod
    def _a_yes_or_no(cls, value: object) -> object:
        if value is None:
            raise ValueError("cannot be cleared: say true or false")
        return value

    def changes(self) -> dict[str, Any]:
        """The definition fields this command sets, by name (None: cleared), enums as
        their values."""
        fields = (
            "title",
            "aggregation",
            "theme",
            "target",
            "unit",
            "lead",
            "board",
            "direction",
            "allow_negative",
            "threshold",
        )
        return {
            name: value.value if isinstance(value, Enum) else value
            for name in fields
            if name in self.model_fields_set
            for value in [getattr(self, name)]
        }


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

    @field_validator("kind")
    @classmethod
    def _kind_is_a_name(cls, value: str | None) -> str | None:
        """A kind of support is compared as a name: it shows something, and holds no
        invisible formatting character (a bidi override would reorder the text after it)."""
        if value is None:
            return None
        if not shows_something(value):
            raise ValueError("must not be blank (leave it out for no particular kind)")
        try:
            check_identifier(value, field="kind")
        except Refused as refusal:
            raise ValueError(refusal.message) from None
        return value


class RegisterCouncil(BaseCommand):
    """A council of the register. Its type is ``council_type``: ``type`` names the command."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    type: Literal["register_council"]
    code: Code
    name: Text
    council_type: Text
    region: Text
    aliases: list[Text] = Field(default_factory=list)
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
    | SetMilestoneStatus
    | ReportProject
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
    "set_milestone_status": SetMilestoneStatus,
    "report_project": ReportProject,
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


_PARAMETER_PLACES = {"query", "path", "header", "cookie"}


# pydantic's wording of a problem ("Input should be a valid integer") in the words every
# other refusal uses; a problem not named here keeps pydantic's message.
_TYPE_WORDS = {
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "string_type": "must be text",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be an object ({...})",
    "model_type": "must be an object ({...})",
    "model_attributes_type": "must be an object ({...})",
}

_BOUND_WORDS = {
    "greater_than_equal": ("ge", "{} or more"),
    "greater_than": ("gt", "more than {}"),
    "less_than_equal": ("le", "{} or less"),
    "less_than": ("lt", "less than {}"),
}


def in_plain_words(problem: Any) -> str:
    """One pydantic problem's message (an item of ``ValidationError.errors()``): what the
    value must be, and what it was. Used for commands and, by the CLI, for options."""
    kind = problem["type"]
    context = problem.get("ctx") or {}
    if kind == "extra_forbidden":
        return "is not a field of this command"
    if kind == "missing":
        return "is required"
    if kind in _TYPE_WORDS:
        return f"{_TYPE_WORDS[kind]}, not {quoted(problem.get('input'))}"
    if kind in _BOUND_WORDS:
        key, words = _BOUND_WORDS[kind]
        return f"must be {words.format(context.get(key))}, not {quoted(problem.get('input'))}"
    if kind == "string_too_short":
        least = context.get("min_length", 1)
        return "must not be empty" if least == 1 else f"must be at least {least} characters"
    if kind == "string_too_long":
        return f"must be at most {context.get('max_length')} characters"
    if kind in ("literal_error", "enum"):
        return f"must be {context.get('expected')}, not {quoted(problem.get('input'))}"
    return str(problem["msg"]).removeprefix("Value error, ")


def refusal_from_errors(problems: list[Any]) -> BadInput:
    """The first validation problem as a refusal naming its field (CLI and HTTP alike)."""
    if not problems:
        return BadInput("the command is not valid")
    first = problems[0]
    if first["type"] in _BODY_PROBLEMS:
        field, message = _BODY_PROBLEMS[first["type"]]
        return BadInput(message, field=field)
    loc = list(first["loc"])
    if loc and loc[0] in _PARAMETER_PLACES:  # ?format= is named "format", not "query.format"
        loc = loc[1:]
    location = [str(part) for part in loc if str(part) not in COMMAND_TYPES and str(part) != "body"]
    field = ".".join(location) or None
    message = in_plain_words(first)
    if len(problems) > 1:
        others = {
            ".".join(str(p) for p in e["loc"] if str(p) not in COMMAND_TYPES and str(p) != "body")
            for e in problems[1:]
        }
        others.discard(field or "")
        if others:
            message += f" (also check: {', '.join(sorted(others))})"
    return BadInput(message, field=field)
