from __future__ import annotations

from datetime import date

from application.close_schedule import JobKind, due_jobs
from domain.calendar import Quarter
from projections.models import Commentary, QuarterlyReturn, ReturnSummary, TargetLine
from projections.year_end import year_end_summary

YEAR = "2016/17"


def plan(
    today: date, closed: frozenset[Quarter] = frozenset(), summarised: frozenset[str] = frozenset()
) -> list[tuple[str, JobKind, str | None]]:
    jobs = due_jobs(
        [YEAR], today, {YEAR: closed}, set(summarised), close_after_days=20, remind_before_days=7
    )
    return [(job.due.isoformat(), job.kind, job.quarter) for job in jobs]


def test_q1_closes_twenty_days_after_the_thirtieth_of_june() -> None:
    assert plan(date(2016, 7, 12)) == []
    assert plan(date(2016, 7, 19)) == [("2016-07-13", JobKind.REMIND, "Q1")]
    assert plan(date(2016, 7, 20)) == [
        ("2016-07-13", JobKind.REMIND, "Q1"),
        ("2016-07-20", JobKind.CLOSE, "Q1"),
    ]


def test_a_closed_quarter_has_nothing_due() -> None:
    assert plan(date(2016, 8, 1), closed=frozenset({Quarter.Q1})) == []


def test_catching_up_a_whole_year_runs_everything_in_order_then_the_year_end() -> None:
    jobs = plan(date(2017, 5, 1))
    assert [kind for _, kind, _ in jobs] == [JobKind.REMIND, JobKind.CLOSE] * 4 + [JobKind.YEAR_END]
    assert [q for _, kind, q in jobs if kind is JobKind.CLOSE] == ["Q1", "Q2", "Q3", "Q4"]
    assert [d for d, _, _ in jobs] == sorted(d for d, _, _ in jobs)
    assert plan(date(2017, 5, 1), closed=frozenset(Quarter), summarised=frozenset({YEAR})) == []


def test_year_end_summary_counts_final_rag_and_achievement() -> None:
    rags = ("green", "green", "amber", "red", "none")
    targets = [
        TargetLine(
            code=f"T{n}", title="t", theme=None, unit=None, aggregation="sum", target=100,
            quarters={}, total=percent, percent_achieved=percent, councils=None, rag=rag,
            rag_by_quarter={},
            commentary=Commentary(delivered=None, impact=None, forecast=None), restatements=[],
        )
        for n, (percent, rag) in enumerate(zip((120, 100, 95, 42, None), rags, strict=True))
    ]  # fmt: skip
    report = QuarterlyReturn(
        year=YEAR,
        as_at=None,
        closed_quarters=["Q1", "Q2", "Q3", "Q4"],
        targets=targets,
        summary=ReturnSummary.of(targets),
    )
    assert year_end_summary(report).document() == {
        "year": YEAR,
        "targets": 5,
        "by_rag": {"green": 2, "amber": 1, "red": 1, "black": 0, "none": 1},
        "by_achievement": {
            "100% or more": 2,
            "90-99%": 1,
            "below 90%": 1,
            "no numeric target or figure": 1,
        },
        # green of green, amber and red: the target never assessed ("none") counts neither way
        "achieved": 2,
        "assessed": 4,
        "headline": "2 of 4 key targets achieved",
    }
