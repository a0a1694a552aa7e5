"""Options shared by several commands, and turning them into values."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from enum import StrEnum

from domain.calendar import FinancialYear
from domain.errors import BadInput


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    html = "html"


class ListFormat(StrEnum):
    table = "table"
    json = "json"


def parse_year(text: str) -> str:
    return str(FinancialYear.parse(text))


def parse_moment(text: str, *, field: str = "as-at") -> datetime:
    """An ISO-8601 time; without a zone it is UTC; a date alone means the end of that day."""
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time.max, tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadInput(
            f"{text!r} is not an ISO-8601 time (e.g. 2016-10-14T17:00:00Z)", field=field
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_day(text: str, *, field: str = "today") -> date:
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{text!r} is not a date (YYYY-MM-DD)", field=field) from None
