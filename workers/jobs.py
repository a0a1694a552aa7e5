"""Runs every scheduled job that is due, once in effect, however often or in how many
processes it is started: each job is a command with a deterministic id."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import structlog

from application.close_schedule import Job, JobKind, due_jobs
from application.commands import (
    BaseCommand,
    CloseQuarter,
    IssueReminder,
    ReviseYearSummary,
    SummariseYear,
)
from application.ledger import Outcome, ReturnsLedger
from domain.errors import Conflict
from projections.database import ReadModelDatabase, recorded_time
from projections.quarterly_return import read_missing, read_return, read_summarised_years
from projections.runner import ProjectionRunner
from projections.year_end import same_summary, year_end_summary

log = structlog.get_logger("quarterly.worker")
SCHEDULER = "scheduler"


@dataclass(frozen=True)
class JobResult:
    job: Job
    outcome: str
    stored: int


class PendingJobs:
    def __init__(
        self,
        ledger: ReturnsLedger,
        read_models: ReadModelDatabase,
        *,
        close_after_days: int,
        remind_before_days: int,
        after_close: Callable[[], object] | None = None,
    ) -> None:
        """``after_close`` runs after this worker stored a quarter close (publishes seals)."""
        self.ledger = ledger
        self.after_close = after_close
        self.read_models = read_models
        self.runner = ProjectionRunner(ledger, read_models)
        self.close_after_days = close_after_days
        self.remind_before_days = remind_before_days

    def plan(self, today: date) -> list[Job]:
        years = self.ledger.known_years()
        return due_jobs(
            years,
            today,
            {year: self.ledger.closed_quarters(year) for year in years},
            {year for year in years if self.ledger.year_summary(year) is not None},
            close_after_days=self.close_after_days,
            remind_before_days=self.remind_before_days,
        )

    def run(self, today: date) -> list[JobResult]:
        """Every job due by ``today``, oldest first; returns what each did."""
        self.runner.catch_up()
        results = []
        for job in self.plan(today):
            started = time.perf_counter()
            result = self._run(job)
            log.info(
                "job",
                job=job.name,
                year=job.year,
                quarter=job.quarter,
                due=job.due.isoformat(),
                catching_up=job.due < today,
                outcome=result.outcome,
                stored=result.stored,
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
            )
            results.append(result)
        results.extend(self.refresh_year_ends(today))
        return results

    def refresh_year_ends(self, today: date) -> list[JobResult]:
        """Revises each stored year-end summary that a later restatement changed."""
        self.runner.catch_up()
        results = []
        for year in read_summarised_years(self.read_models):
            outcome = self.refresh_year_end(year)
            if outcome is not None:
                results.append(JobResult(Job(today, JobKind.YEAR_END, year), outcome, 1))
        return results

    def refresh_year_end(self, year: str) -> str | None:
        """Stores a revised summary when the return no longer matches the stored one, with
        the restatements since as its reason; returns what was done (None: nothing)."""
        stored, since = self.ledger.year_summary(year), self.ledger.summarised_at(year)
        if stored is None or since is None:
            return None
        report = read_return(self.read_models, year)
        summary = year_end_summary(report).stored()
        if same_summary(stored, summary):  # a summary older than a key added since is the same
            return None
        after = recorded_time(since)
        reasons = sorted(
            {
                restatement.restatement_reason
                for target in report.targets
                for restatement in target.restatements
                if restatement.recorded_at > after
            }
        )
        reason = (
            "restated after year end: " + "; ".join(reasons)
            if reasons
            else "the return changed after year end"
        )
        revised = self._execute(
            ReviseYearSummary(
                type="revise_year_summary",
                id=f"year-end:{year}:revised-after:{after}",
                year=year,
                summary=summary,
                actor=SCHEDULER,
                reason=reason,
            )
        )
        if not revised:
            return None
        log.info("year_end_revised", year=year, reason=reason)
        return f"year-end summary revised ({reason})"

    def _run(self, job: Job) -> JobResult:
        if job.kind is JobKind.REMIND:
            return self._remind(job)
        if job.kind is JobKind.CLOSE:
            stored = self._execute(
                CloseQuarter(
                    type="close_quarter",
                    id=f"scheduled-close:{job.year}:{job.quarter}",
                    year=job.year,
                    quarter=job.quarter,
                    actor=SCHEDULER,
                    reason="scheduled quarter close",
                )
            )
            if stored and self.after_close is not None:
                self.after_close()
            return JobResult(job, "closed" if stored else "already closed", int(stored))
        return self._summarise(job)

    def _remind(self, job: Job) -> JobResult:
        assert job.quarter is not None
        self.runner.catch_up()
        stored = 0
        for code, missing in sorted(read_missing(self.read_models, job.year, job.quarter).items()):
            if self._execute(
                IssueReminder(
                    type="issue_reminder",
                    id=f"reminder:{job.year}:{job.quarter}:{code}",
                    year=job.year,
                    code=code,
                    quarter=job.quarter,
                    missing=missing,
                    actor=SCHEDULER,
                    reason=f"{job.quarter} closes soon",
                )
            ):
                stored += 1
                log.info("reminder", year=job.year, quarter=job.quarter, code=code, missing=missing)
        outcome = f"{stored} reminders issued" if stored else "no new reminders"
        return JobResult(job, outcome, stored)

    def _summarise(self, job: Job) -> JobResult:
        self.runner.catch_up()
        summary = year_end_summary(read_return(self.read_models, job.year)).stored()
        stored = self._execute(
            SummariseYear(
                type="summarise_year",
                id=f"year-end:{job.year}",
                year=job.year,
                summary=summary,
                actor=SCHEDULER,
                reason="year end after Q4 closed",
            )
        )
        return JobResult(job, "summarised" if stored else "already summarised", int(stored))

    def _execute(self, command: BaseCommand) -> bool:
        """True when this run stored the command; False when it was done already."""
        try:
            return self.ledger.execute(command) is Outcome.STORED
        except Conflict:
            return False  # done by another worker or by hand, perhaps with other content
