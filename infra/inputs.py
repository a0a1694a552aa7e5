"""Inputs the CLI and the HTTP API both read: financial years, recorded times, days.

Parsed here, once, so that ``--as-at`` and ``?as_at=`` accept exactly the same text and refuse
it with the same message.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from domain.calendar import FinancialYear
from domain.canonical import canonical_code
from domain.errors import BadInput
from domain.text import check_identifier, check_text


def parse_code(text: str, *, field: str = "code") -> str:
    """A target code or risk ref as commands store it (``pw1 `` -> ``PW1``); BadInput naming
    ``field`` for text no code can hold."""
    return canonical_code(check_identifier(text, field=field))


def parse_text(text: str, *, field: str) -> str:
    """Free text a user typed (a name, a kind): BadInput naming ``field`` for text no store
    can hold (control characters, lone surrogates from a mis-encoded terminal ...)."""
    return check_text(text, field=field)


def parse_year(text: str) -> str:
    """``2016/17`` (or ``2016-17``, as a URL path writes it) -> ``"2016/17"``; BadInput
    naming ``year`` otherwise."""
    return str(FinancialYear.parse(text.replace("-", "/", 1) if "-" in text else text))


# The times the service reads (``--as-at``, ``--from``, ``--to``, ``--today`` and their query
# parameters): dates, as written, in the years 1900 to 9998. Far wider than any return, and
# every such time, in any zone, converts to UTC and back without overflowing.
FIRST_MOMENT_YEAR = 1900
LAST_MOMENT_YEAR = 9998
# The same bound as a regular expression on the text, for the OpenAPI document.
# A UTC offset with seconds (``+01:00:30``, ``+00:00:00.000001``): ISO 8601 offsets are
# hours and minutes, and Python 3.11 reads a fractional one as no offset at all.
_OFFSET_WITH_SECONDS = re.compile(r"[+-]\d\d:?\d\d:?\d\d(\.\d*)?$")
MOMENT_YEAR_PATTERN = r"^(19[0-9]{2}|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-"


def parse_moment(text: str, *, field: str = "as-at") -> datetime:
    """An ISO-8601 time as Python reads it (``2016-10-14T17:00:00Z``, ``...+01:00``,
    ``2016-10-14 17:00``, lower-case ``t`` and ``z`` too); without a zone it is UTC; a date
    alone (``2016-10-14``) means the end of that day.

    Raises BadInput naming ``field`` for text that is not such a time, whose UTC offset is
    not whole minutes, or whose date lies outside the years 1900 to 9998.
    """
    if _OFFSET_WITH_SECONDS.search(text.strip()):
        raise BadInput(
            f"{_shown(text)} has a UTC offset with seconds; write it in hours and minutes "
            "(e.g. 2016-10-14T17:00:00+01:00)",
            field=field,
        )
    try:
        moment = datetime.combine(date.fromisoformat(text), time.max, tzinfo=UTC)
    except ValueError:
        try:
            moment = datetime.fromisoformat(text.upper())
        except ValueError:
            raise BadInput(
                f"{_shown(text)} is not an ISO-8601 time (e.g. 2016-10-14T17:00:00Z)",
                field=field,
            ) from None
    _check_year(moment.year, text, field)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_period(since: str, until: str | None) -> tuple[datetime, datetime | None]:
    """The two recorded times a diff compares (``--from``/``--to``, ``?from=&to=``), parsed
    in that order; ``until`` None means now. Raises BadInput naming ``from`` or ``to`` for a
    text that is not a time, and naming ``to`` for a ``to`` before ``from`` (a reversed diff
    would show every change backwards)."""
    start = parse_moment(since, field="from")
    end = parse_moment(until, field="to") if until else None
    check_period(start, end)
    return start, end


def check_period(start: datetime, end: datetime | None) -> None:
    """Refuses (BadInput naming ``to``) a period that ends before it starts."""
    if end is not None and end < start:
        raise BadInput(
            f"{end.isoformat()} is before from ({start.isoformat()}); a diff compares an "
            "earlier time with a later one",
            field="to",
        )


def parse_day(text: str, *, field: str = "today") -> date:
    """A date written ``YYYY-MM-DD`` in the years 1900 to 9998; BadInput naming ``field``
    otherwise."""
    try:
        if len(text) != 10:
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{_shown(text)} is not a date (YYYY-MM-DD)", field=field) from None
    _check_year(day.year, text, field)
    return day


def _check_year(year: int, text: str, field: str) -> None:
    if not FIRST_MOMENT_YEAR <= year <= LAST_MOMENT_YEAR:
        raise BadInput(
            f"{_shown(text)} is outside the times this service reads "
            f"(years {FIRST_MOMENT_YEAR} to {LAST_MOMENT_YEAR})",
            field=field,
        )


def _shown(text: str, limit: int = 40) -> str:
    """The input, quoted and cut short: a message never echoes a huge value."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")
