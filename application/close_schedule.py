"""When the scheduled jobs of a year fall due: reminders, quarter closes, the year end.

A quarter closes ``close_after_days`` after its last day; reminders go out
``remind_before_days`` before that; the year-end summary follows the close of Q4.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum

from domain.calendar import QUARTERS, FinancialYear, Quarter


class JobKind(IntEnum):
    """Value = order among jobs due the same day."""

    REMIND = 0
    CLOSE = 1
    YEAR_END = 2


@dataclass(frozen=True, order=True)
class Job:
    due: date
    kind: JobKind
    year: str
    quarter: str | None = None

    @property
    def name(self) -> str:
        return {
            JobKind.REMIND: "reminders",
            JobKind.CLOSE: "quarter_close",
            JobKind.YEAR_END: "year_end_summary",
        }[self.kind]


def close_date(year: FinancialYear, quarter: Quarter, close_after_days: int) -> date:
    return year.quarter_end(quarter) + timedelta(days=close_after_days)


def due_jobs(
    years: Iterable[str],
    today: date,
    closed: Mapping[str, frozenset[Quarter]],
    summarised: set[str],
    *,
    close_after_days: int,
    remind_before_days: int,
) -> list[Job]:
    """Every job due by ``today`` that has not been done, oldest first."""
    jobs = []
    for name in years:
        year = FinancialYear.parse(name)
        done = closed.get(name, frozenset())
        for quarter in QUARTERS:
            if quarter in done:
                continue
            closes_on = close_date(year, quarter, close_after_days)
            reminds_on = closes_on - timedelta(days=remind_before_days)
            if reminds_on <= today:
                jobs.append(Job(reminds_on, JobKind.REMIND, name, quarter.value))
            if closes_on <= today:
                jobs.append(Job(closes_on, JobKind.CLOSE, name, quarter.value))
        year_end = close_date(year, Quarter.Q4, close_after_days)
        if name not in summarised and year_end <= today:
            jobs.append(Job(year_end, JobKind.YEAR_END, name))
    return sorted(jobs)
