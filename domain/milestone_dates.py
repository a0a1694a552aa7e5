"""Milestone dates, to the day (``2015-12-11``) or to the month (``2016-09``), as the seeds'
milestone tables write them ("11/12/2015", "Sep-16")."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from domain.errors import BadInput

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class MilestoneDate:
    """A day, or a whole month (``day`` None): "by September 2016".

    Stored and written as ISO text: ``2016-09-30`` or ``2016-09``. Where a milestone date
    is compared or counted (slippage, order), a month stands for its last day, its
    :attr:`deadline`: a milestone due in September is on time until 30 September.
    """

    year: int
    month: int
    day: int | None = None

    @classmethod
    def parse(cls, text: str, *, field: str) -> MilestoneDate:
        """``2016-09`` or ``2016-09-30``; raises BadInput naming ``field`` otherwise
        (``2016-13`` is not a month)."""
        month = _MONTH.match(text)
        if month is not None:
            year, number = int(month.group(1)), int(month.group(2))
            if not 1 <= number <= 12 or year < 1:
                raise BadInput(
                    f"{text!r} is not a month; write YYYY-MM with a month from 01 to 12",
                    field=field,
                )
            return cls(year, number)
        if len(text) != 10:
            raise BadInput(
                f"{text!r} is not a date; write YYYY-MM-DD, or YYYY-MM for a month", field=field
            )
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise BadInput(
                f"{text!r} is not a date; write YYYY-MM-DD, or YYYY-MM for a month", field=field
            ) from None
        return cls.of(day)

    @classmethod
    def of(cls, value: MilestoneDate | date) -> MilestoneDate:
        """A milestone date from a day (or itself)."""
        if isinstance(value, MilestoneDate):
            return value
        return cls(value.year, value.month, value.day)

    @property
    def is_month(self) -> bool:
        return self.day is None

    @property
    def deadline(self) -> date:
        """The day itself, or the last day of the month."""
        day = self.day if self.day is not None else calendar.monthrange(self.year, self.month)[1]
        return date(self.year, self.month, day)

    @property
    def month_number(self) -> int:
        """Months since the start of year 0: differences are whole months."""
        return self.year * 12 + self.month - 1

    def label(self) -> str:
        """As a board reads it: ``Sep 2016``, or ``11 Dec 2015`` for a day."""
        month = f"{calendar.month_abbr[self.month]} {self.year}"
        return month if self.day is None else f"{self.day} {month}"

    def __str__(self) -> str:
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def slippage_days(due: MilestoneDate | date, current_due: MilestoneDate | date) -> int:
    """Days the milestone has moved: positive when later, negative when earlier. Each date
    counts as its deadline (a month as its last day): ``2016-04`` revised to ``2016-09`` has
    slipped 153 days (30 April to 30 September); ``2016-04-18`` to ``2016-07-12``, 85."""
    return (MilestoneDate.of(current_due).deadline - MilestoneDate.of(due).deadline).days


def slippage_months(due: MilestoneDate | date, current_due: MilestoneDate | date) -> int:
    """Calendar months the milestone has moved (the days ignored): ``2016-04`` to
    ``2016-09`` is 5, ``2016-01-31`` to ``2016-02-01`` is 1, ``2016-04-18`` to ``2016-04-30``
    is 0. Negative when earlier."""
    return MilestoneDate.of(current_due).month_number - MilestoneDate.of(due).month_number
