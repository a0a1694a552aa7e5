"""A reporting year and which of its quarters are closed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.calendar import FinancialYear, Quarter
from domain.errors import Conflict, QuarterClosed
from domain.identity import reporting_year_id
from domain.provenance import Provenance, RecordedAggregate
from domain.text import shows_something


class ReportingYear(RecordedAggregate):
    class Opened(RecordedAggregate.Created):
        class_version = 1

        year: str

    class QuarterClosed(RecordedAggregate.Event):
        class_version = 1

        year: str
        quarter: str
        seal: str | None  # head digest of the hash chain just before this close
        sealed_position: int | None  # the event that digest ends with

        def apply(self, aggregate: Any) -> None:
            aggregate.closed_quarters.add(Quarter(self.quarter))

    class YearSummarised(RecordedAggregate.Event):
        """At year end, after Q4 closes: targets counted by final RAG and achievement."""

        class_version = 1

        year: str
        summary: dict[str, Any]

        def apply(self, aggregate: Any) -> None:
            aggregate.summary = self.summary
            aggregate.summarised_at = self.timestamp

    class YearSummaryRevised(RecordedAggregate.Event):
        """After year end, a restatement changed the return: the summary follows it."""

        class_version = 1

        year: str
        summary: dict[str, Any]
        previous: dict[str, Any]

        def apply(self, aggregate: Any) -> None:
            aggregate.summary = self.summary
            aggregate.summarised_at = self.timestamp

    def __init__(self, year: str) -> None:
        self.year = year
        self.closed_quarters: set[Quarter] = set()
        self.summary: dict[str, Any] | None = None
        self.summarised_at: datetime | None = None

    @classmethod
    def open(cls, year: FinancialYear, provenance: Provenance) -> ReportingYear:
        return cls._create(
            cls.Opened,
            id=reporting_year_id(str(year)),
            year=str(year),
            **provenance.event_fields(),
        )

    def is_closed(self, quarter: Quarter) -> bool:
        return quarter in self.closed_quarters

    def close(
        self, quarter: Quarter, provenance: Provenance, seal: tuple[int, str] | None = None
    ) -> None:
        if self.is_closed(quarter):
            raise Conflict(f"{quarter.value} {self.year} is already closed", field="quarter")
        self.trigger_event(
            self.QuarterClosed,
            year=self.year,
            quarter=quarter.value,
            seal=seal[1] if seal else None,
            sealed_position=seal[0] if seal else None,
            **provenance.event_fields(),
        )

    def summarise(self, summary: dict[str, Any], provenance: Provenance) -> None:
        if Quarter.Q4 not in self.closed_quarters:
            raise Conflict(f"{self.year} is summarised after Q4 closes", field="year")
        if self.summary is not None:
            raise Conflict(f"{self.year} already has its year-end summary", field="year")
        self.trigger_event(
            self.YearSummarised, year=self.year, summary=summary, **provenance.event_fields()
        )

    def revise_summary(self, summary: dict[str, Any], provenance: Provenance) -> None:
        """Replaces the year-end summary; ``provenance.reason`` says which restatement."""
        if self.summary is None:
            raise Conflict(f"{self.year} has no year-end summary to revise yet", field="year")
        if summary == self.summary:
            raise Conflict(f"the year-end summary of {self.year} is unchanged", field="year")
        self.trigger_event(
            self.YearSummaryRevised,
            year=self.year,
            summary=summary,
            previous=self.summary,
            **provenance.event_fields(),
        )


def restatement_for(
    quarter: Quarter, year: str, *, closed: bool, restatement_reason: str | None
) -> str | None:
    """The restatement reason when the quarter is closed; refuses a change without one."""
    if not closed:
        return None
    if not restatement_reason or not shows_something(restatement_reason):
        raise QuarterClosed(
            f"{quarter.value} {year} is closed; give a restatement_reason to restate it",
            field="quarter",
        )
    return restatement_reason
