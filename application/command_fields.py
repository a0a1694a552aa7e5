"""The fields commands are made of: what each may hold, and how it is checked.

Every message names the field; nothing here touches the store.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationInfo,
)

from domain.achievement import Direction, Threshold
from domain.calendar import FinancialYear, Quarter, parse_iso_date
from domain.canonical import canonical_code, canonical_name
from domain.errors import BadInput, Refused
from domain.measures import Aggregation, check_figure
from domain.milestone_dates import MilestoneDate
from domain.rag import CommentaryKind, Rag
from domain.text import LONG_TEXT, SHORT_TEXT, check_identifier, check_text, is_storable_text

# Engagements recorded by one command: enough for a bulk entry, bounded so sums stay exact.
MAX_COUNT = 1_000_000
# Any number anywhere in a command, before the field's own rule (figures: 10**12).
MAX_NUMBER = 10**15
# Characters a field's name may have.
MAX_KEY_LENGTH = 100
# Fields whose text may run to LONG_TEXT characters; every other string is SHORT_TEXT.
LONG_FIELDS = frozenset(
    {"title", "text", "notes", "reason", "restatement_reason", "headline", "mitigation"}
)


def check_storable(value: object, field: str) -> None:
    """Refuses, naming the field (``a.b.0`` for nested values), any string that could not be
    stored and read back everywhere (see :func:`domain.text.check_text`) and any number
    that is not finite or exceeds :data:`MAX_NUMBER` in magnitude. Raises BadInput."""
    if isinstance(value, str):
        check_text(value, field=field, max_length=_text_limit(field))
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise BadInput(f"must be a finite number, not {value!r}", field=field)
        if abs(value) > MAX_NUMBER:
            size = (
                f"a number of {len(str(abs(value)))} digits"
                if isinstance(value, int)
                else f"{value:.3g}"
            )
            raise BadInput(
                f"is {size}; numbers in a command are at most 10**15 in magnitude", field=field
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise BadInput(f"field names are strings, not {key!r}", field=field or None)
            if not is_storable_text(key, MAX_KEY_LENGTH):
                check_text(
                    key, field=f"{field}.{key!r}" if field else repr(key), max_length=MAX_KEY_LENGTH
                )
            if type(item) is str:  # most fields: checked here, without a call per field
                limit = _text_limit(key)
                if not is_storable_text(item, limit):  # then raises, naming the field
                    check_text(item, field=f"{field}.{key}" if field else key, max_length=limit)
            elif item is not None and type(item) is not bool:
                check_storable(item, f"{field}.{key}" if field else key)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_storable(item, f"{field}.{index}")


def _text_limit(field: str) -> int:
    """The characters a string may have where ``field`` (a path like ``a.notes``, or a
    key) names it: by the path's last part."""
    return LONG_TEXT if field.rpartition(".")[2] in LONG_FIELDS else SHORT_TEXT


def _year(text: object) -> str:
    if not isinstance(text, str):
        raise ValueError(f"must be text like 2016/17, not {text!r}")
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
            raise ValueError(f"must be text, not {text!r}")
        try:
            return parse(text)
        except Refused as refusal:
            raise ValueError(refusal.message) from None

    return validate


def _figure(value: object) -> object:
    """A figure's form: a bounded number of at most six decimal places. Its sign is the
    target's to allow (``allow_negative``), so the aggregate checks it, naming the field."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be a number, not {value!r}")
    try:
        return check_figure(value, allow_negative=True)
    except Refused as refusal:
        raise ValueError(refusal.message) from None


def _milestone_date(text: object) -> str:
    if isinstance(text, date):
        return text.isoformat()
    if not isinstance(text, str):
        raise ValueError(f"must be a date string (YYYY-MM-DD, or YYYY-MM), not {text!r}")
    try:
        return str(MilestoneDate.parse(text, field="date"))
    except Refused as refusal:
        raise ValueError(refusal.message) from None


Year = Annotated[str, BeforeValidator(_year)]
IsoDate = Annotated[date, BeforeValidator(_date)]
QuarterField = Annotated[Quarter, BeforeValidator(_enum_parser(Quarter.parse))]
RagField = Annotated[Rag, BeforeValidator(_enum_parser(Rag.parse))]
KindField = Annotated[CommentaryKind, BeforeValidator(_enum_parser(CommentaryKind.parse))]
AggregationField = Annotated[Aggregation, BeforeValidator(_enum_parser(Aggregation.parse))]
Figure = Annotated[StrictInt | StrictFloat, BeforeValidator(_figure)]
DirectionField = Annotated[Direction, BeforeValidator(_enum_parser(Direction.parse))]
ThresholdField = Annotated[Threshold, BeforeValidator(_enum_parser(Threshold.parse))]
# A milestone date as ISO text, to the day or the month: ``2016-09-30`` or ``2016-09``.
MilestoneDay = Annotated[str, BeforeValidator(_milestone_date)]
Text = Annotated[StrictStr, Field(min_length=1)]


def _canonical(form: Any) -> Any:
    def validate(text: object, info: ValidationInfo) -> object:
        if not isinstance(text, str):
            return text  # the field's type check names the problem
        try:
            check_identifier(text, field=info.field_name or "code")
        except Refused as refusal:
            raise ValueError(refusal.message) from None
        canonical = form(text)
        if not canonical:
            raise ValueError("must not be empty or blank")
        return canonical

    return validate


def _addressable(code: str) -> str:
    """A code is a segment of web addresses (``/years/2016-17/targets/PS1``,
    ``/api/v1/risks/SR1/history``): it may not hold ``/``, nor be only dots, which a browser
    reads as the folder itself or its parent."""
    if "/" in code:
        raise ValueError(
            f"must not contain '/' ({code!r}): codes and refs are parts of web addresses "
            "(/years/2016-17/targets/PS1); use '-' instead"
        )
    if set(code) == {"."}:
        raise ValueError(
            f"must not be only dots ({code!r}): codes and refs are parts of web addresses"
        )
    return code


# Compared in one canonical form (domain/canonical.py): codes case-insensitively.
Code = Annotated[
    StrictStr, AfterValidator(_addressable), BeforeValidator(_canonical(canonical_code))
]
Name = Annotated[StrictStr, BeforeValidator(_canonical(canonical_name))]
Rating = Annotated[StrictInt, Field(ge=1, le=5)]
