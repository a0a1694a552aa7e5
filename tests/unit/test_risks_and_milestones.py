from __future__ import annotations

from datetime import date

import pytest

from domain.errors import BadInput, Conflict
from domain.milestones import Milestone, MilestoneDate, slippage_days, slippage_months
from domain.projects import Project, ProjectStatus
from domain.provenance import Provenance
from domain.rag import Rag
from domain.risks import RISK_BAND_LEGEND, Risk, risk_band, risk_travel

EXPECTED_BANDS = {
    **dict.fromkeys(range(1, 6), "green"),
    **dict.fromkeys(range(6, 11), "yellow"),
    **dict.fromkeys(range(11, 16), "amber"),
    **dict.fromkeys(range(16, 26), "red"),
}


@pytest.mark.parametrize("score", range(1, 26))
def test_every_score_has_its_band(score: int) -> None:
    assert risk_band(score) == EXPECTED_BANDS[score]


@pytest.mark.parametrize(
    ("impact", "likelihood", "field"),
    [(0, 3, "impact"), (6, 3, "impact"), (3, 0, "likelihood"), (3, 6, "likelihood")],
)
def test_ratings_outside_one_to_five_are_refused(impact: int, likelihood: int, field: str) -> None:
    with pytest.raises(BadInput) as refusal:
        Risk.register("R1", impact, likelihood, Provenance("c1"))
    assert refusal.value.field == field


def test_reassessment_keeps_the_title_and_records_the_previous_score() -> None:
    risk = Risk.register("R1", 4, 3, Provenance("c1"), title="Grant cut")
    risk.reassess(4, 4, Provenance("c2"))
    assert (risk.title, risk.score) == ("Grant cut", 16)
    event = risk.collect_events()[-1]
    assert isinstance(event, Risk.Reassessed)
    assert event.previous_score == 12


def test_slippage_is_positive_when_later_and_negative_when_earlier() -> None:
    assert slippage_days(date(2016, 9, 30), date(2016, 11, 30)) == 61
    assert slippage_days(date(2017, 1, 31), date(2017, 1, 16)) == -15
    assert slippage_days(date(2017, 1, 31), date(2017, 1, 31)) == 0


def test_a_milestone_can_move_earlier_and_later() -> None:
    milestone = Milestone.define("P", "M", date(2016, 10, 31), Provenance("c1"))
    milestone.revise(date(2017, 2, 28), Provenance("c2", reason="second consultation"))
    milestone.revise(date(2016, 12, 1), Provenance("c3", reason="brought forward"))
    assert str(milestone.current_due) == "2016-12-01"
    assert str(milestone.due) == "2016-10-31"


def test_a_completed_milestone_is_not_revised_or_completed_again() -> None:
    milestone = Milestone.define("P", "M", date(2016, 10, 31), Provenance("c1"))
    milestone.complete(date(2016, 10, 30), Provenance("c2"))
    with pytest.raises(Conflict):
        milestone.revise(date(2016, 11, 30), Provenance("c3"))
    with pytest.raises(Conflict):
        milestone.complete(date(2016, 11, 1), Provenance("c4"))


# -- month-precision dates, status and RAG, the project's row ---------------------------


@pytest.mark.parametrize("text", ["2016-13", "2016-00", "2016-9", "Sep-16", "2016-02-30", ""])
def test_a_milestone_date_that_is_no_day_or_month_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(BadInput) as refusal:
        MilestoneDate.parse(text, field="revised_due")
    assert refusal.value.field == "revised_due"


def test_a_month_counts_as_its_last_day() -> None:
    september = MilestoneDate.parse("2016-09", field="due")
    assert (str(september), september.label(), september.deadline) == (
        "2016-09",
        "Sep 2016",
        date(2016, 9, 30),
    )
    day = MilestoneDate.parse("2015-12-11", field="due")
    assert (str(day), day.label(), day.is_month) == ("2015-12-11", "11 Dec 2015", False)
    assert MilestoneDate.parse("2016-02", field="due").deadline == date(2016, 2, 29)


@pytest.mark.parametrize(
    ("due", "revised", "days", "months"),
    [
        ("2016-04", "2016-09", 153, 5),  # Completion of stage 3 and 4 designs
        ("2016-04-18", "2016-07-12", 85, 3),  # Planning approval
        ("2015-11", "2015-11", 0, 0),  # revised to the month it was due
        ("2017-02", "2018-09", 579, 19),  # Project completion
        ("2017-03", "2016-09", -182, -6),  # Appoint main contractor, brought forward
        ("2016-09", "2016-09-15", -15, 0),  # a day in the month it was due by
    ],
)
def test_slippage_with_month_dates(due: str, revised: str, days: int, months: int) -> None:
    first, now = MilestoneDate.parse(due, field="due"), MilestoneDate.parse(revised, field="x")
    assert (slippage_days(first, now), slippage_months(first, now)) == (days, months)


def test_a_milestone_keeps_month_dates_and_its_status_and_rag() -> None:
    milestone = Milestone.define(
        "Layden House",
        "Start on site",
        MilestoneDate.parse("2016-06", field="due"),
        Provenance("c1"),
    )
    milestone.revise(MilestoneDate.parse("2017-09", field="revised_due"), Provenance("c2"))
    assert milestone.set_status(None, Rag.AMBER, Provenance("c3"))
    assert not milestone.set_status(None, Rag.AMBER, Provenance("c4"))  # as it stands
    assert milestone.set_status("On track", Rag.AMBER, Provenance("c5"))
    assert (str(milestone.current_due), milestone.status, milestone.rag) == (
        "2017-09",
        "On track",
        Rag.AMBER,
    )
    with pytest.raises(BadInput) as refusal:
        milestone.set_status("  ", None, Provenance("c6"))
    assert refusal.value.field == "status"


def test_a_project_row_is_replaced_by_each_report_and_the_same_row_records_nothing() -> None:
    project = Project.open("Layden House", Provenance("p0"))
    assert project.report(
        ProjectStatus(overall=Rag.AMBER, headline="Masts removed"), Provenance("p1")
    )
    assert not project.report(
        ProjectStatus(overall=Rag.AMBER, headline="Masts removed"), Provenance("p2")
    )
    with pytest.raises(BadInput) as refusal:
        ProjectStatus(headline=" ")
    assert refusal.value.field == "headline"


def test_a_reassessment_keeps_category_and_mitigation_unless_restated() -> None:
    risk = Risk.register(
        "SR1", 4, 3, Provenance("c1"), category="Effectiveness", mitigation="Grow income"
    )
    risk.reassess(4, 4, Provenance("c2"))
    assert (risk.category, risk.mitigation) == ("Effectiveness", "Grow income")
    risk.reassess(4, 4, Provenance("c3"), mitigation="Commercial income strategy")
    assert risk.mitigation == "Commercial income strategy"


def test_a_risk_travels_up_down_or_stays() -> None:
    assert [risk_travel(None, 12), risk_travel(12, 16), risk_travel(16, 8), risk_travel(8, 8)] == [
        None,
        "up",
        "down",
        "same",
    ]
    assert set(RISK_BAND_LEGEND) == {"green", "yellow", "amber", "red"}
