"""The year-end summary follows restatements made after it was stored."""

from __future__ import annotations

from datetime import date

from infra.store import Store
from tests.builders import define, figure, rag
from tests.integration.helpers import YEAR, execute, execute_all
from workers.jobs import PendingJobs


def _jobs(store: Store) -> PendingJobs:
    return PendingJobs(store.ledger, store.read_models, close_after_days=20, remind_before_days=7)


def test_a_restatement_after_year_end_revises_the_summary_with_its_reason(store: Store) -> None:
    execute_all(store, [define(target=100), figure("Q4", 95), rag("Q4", "amber")])
    jobs = _jobs(store)
    jobs.run(date(2017, 5, 1))  # Q4 closes on 20 April; then the year-end summary
    summary = store.ledger.year_summary(YEAR)
    assert summary is not None
    assert summary["by_achievement"]["90-99%"] == 1
    assert jobs.refresh_year_ends(date(2017, 5, 2)) == []  # nothing changed

    execute(store, figure("Q4", 105, restatement_reason="Late returns from two regions"))
    [revised] = jobs.refresh_year_ends(date(2017, 6, 1))
    assert "Late returns from two regions" in revised.outcome
    summary = store.ledger.year_summary(YEAR)
    assert summary is not None
    assert summary["by_achievement"]["100% or more"] == 1
    assert summary["by_achievement"]["90-99%"] == 0
    assert jobs.refresh_year_ends(date(2017, 6, 2)) == []  # revised once
    # A second worker reaching the same state stores nothing more.
    assert _jobs(store).refresh_year_ends(date(2017, 6, 2)) == []
