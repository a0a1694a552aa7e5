"""The year-end summary follows restatements made after it was stored."""

from __future__ import annotations

from datetime import date

from application.commands import SummariseYear
from infra.store import Store
from projections.year_end import year_end_document
from tests.builders import close, define, figure, rag
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


def test_a_summary_stored_before_the_achievement_line_reads_with_it_and_is_not_revised(
    store: Store,
) -> None:
    execute_all(
        store,
        [
            define("PW1", target=100),
            define("PW2", target=100),
            rag("Q4", "green", code="PW1"),
            rag("Q4", "amber", code="PW2"),
            *(close(quarter) for quarter in ("Q1", "Q2", "Q3", "Q4")),
        ],
    )
    # As the version before "achieved", "assessed" and "headline" stored it.
    old = {
        "targets": 2,
        "by_rag": {"green": 1, "amber": 1, "red": 0, "black": 0, "none": 0},
        "by_achievement": {
            "100% or more": 0,
            "90-99%": 0,
            "below 90%": 0,
            "no numeric target or figure": 2,
        },
    }
    store.ledger.execute(
        SummariseYear(type="summarise_year", id=f"year-end:{YEAR}", year=YEAR, summary=old)
    )
    assert _jobs(store).refresh_year_ends(date(2017, 6, 1)) == []  # not a change of substance
    stored = store.ledger.year_summary(YEAR)
    assert stored == old
    assert year_end_document(YEAR, stored) == {
        "year": YEAR,
        **old,
        "achieved": 1,
        "assessed": 2,
        "headline": "1 of 2 key targets achieved",
    }


def test_the_year_end_counts_key_targets_achieved_as_the_seeds_do(store: Store) -> None:
    for code, rating in (("A1", "green"), ("A2", "green"), ("A3", "amber"), ("A4", "black")):
        execute_all(store, [define(code, target=100), rag("Q4", rating, code=code)])
    execute(store, define("A5", target=100))  # never assessed
    _jobs(store).run(date(2017, 5, 1))
    summary = store.ledger.year_summary(YEAR)
    assert summary is not None
    assert (summary["achieved"], summary["assessed"], summary["headline"]) == (
        2,
        3,
        "2 of 3 key targets achieved",
    )
    assert summary["by_achievement"]["no numeric target or figure"] == 5  # bands kept


def test_after_a_command_the_summary_is_known_as_its_decision_read_it(store: Store) -> None:
    """What follows a stored command (the server's year-end refresh) uses the reporting
    year the decision read, without loading it again."""
    execute_all(store, [define(target=100), figure("Q4", 95), rag("Q4", "amber")])
    assert store.ledger.year_summary_as_read(YEAR) is None  # no summary yet
    _jobs(store).run(date(2017, 5, 1))
    execute(store, figure("Q4", 105, restatement_reason="Late returns"))
    loads = []
    original = store.ledger.repository.get

    def counting(*args: object, **kwargs: object) -> object:
        loads.append(args)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    store.ledger.repository.get = counting  # type: ignore[method-assign,assignment]
    assert store.ledger.year_summary_as_read(YEAR) == store.ledger.year_summary(YEAR)
    assert len(loads) == 1  # only year_summary's own load
    assert store.ledger.year_summary_as_read(YEAR) is not None
