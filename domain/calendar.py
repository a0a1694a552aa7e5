"""Financial years (1 April to 31 March) and their quarters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from domain.errors import BadInput, echoed

_YEAR_PATTERN = re.compile(r"^(\d{4})/(\d{2})$")

# The financial years the service accepts, by first calendar year: 1990/91 to 2098/99.
# Bounded so that every date of a year, and of the quarter closes after it, exists.
FIRST_START_YEAR = 1990
LAST_START_YEAR = 2098


class Quarter(StrEnum):
    Q1 = "Q1"  # April to June
    Q2 = "Q2"  # July to September
    Q3 = "Q3"  # October to December
    Q4 = "Q4"  # January to March

    @classmethod
    def parse(cls, text: str, *, field: str = "quarter") -> Quarter:
        try:
            return cls(text)
        except ValueError:
            raise BadInput(
                f"{echoed(text)} is not a quarter; use Q1, Q2, Q3 or Q4", field=field
            ) from None

    @property
    def number(self) -> int:
        return int(self.value[1])


QUARTERS: tuple[Quarter, ...] = tuple(Quarter)


@dataclass(frozen=True, order=True)
class FinancialYear:
    """A financial year named by its first calendar year, written ``2016/17``."""

    start_year: int

    @classmethod
    def parse(cls, text: str, *, field: str = "year") -> FinancialYear:
        """``2016/17`` -> FinancialYear(2016); raises BadInput naming ``field`` otherwise,
        including for years outside 1990/91 to 2098/99."""
        match = _YEAR_PATTERN.match(text)
        if match is None:
            raise BadInput(
                f"{echoed(text)} is not a financial year; write it like 2016/17", field=field
            )
        start = int(match.group(1))
        if not FIRST_START_YEAR <= start <= LAST_START_YEAR:
            raise BadInput(
                f"{text!r} is outside the years this service keeps "
                f"({cls(FIRST_START_YEAR)} to {cls(LAST_START_YEAR)})",
                field=field,
            )
        if int(match.group(2)) != (start + 1) % 100:
            raise BadInput(
                f"{text!r} is not a financial year: {start} is followed by {(start + 1) % 100:02d}",
                field=field,
            )
        return cls(start)

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    def __str__(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def first_day(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, 3, 31)

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def quarter_of(self, day: date) -> Quarter:
        if not self.contains(day):
            raise BadInput(
                f"{day.isoformat()} is outside the financial year {self} "
                f"({self.first_day.isoformat()} to {self.last_day.isoformat()})",
                field="date",
            )
        months_in = (day.month - 4) % 12
        return QUARTERS[months_in // 3]

    def quarter_start(self, quarter: Quarter) -> date:
        month = 4 + 3 * (quarter.number - 1)
        return date(self.start_year + (month - 1) // 12, (month - 1) % 12 + 1, 1)

    def quarter_end(self, quarter: Quarter) -> date:
        if quarter is Quarter.Q4:
            return self.last_day
        return self.quarter_start(QUARTERS[quarter.number]) - timedelta(days=1)


def parse_iso_date(text: str, *, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{text!r} is not an ISO date (YYYY-MM-DD)", field=field) from None
