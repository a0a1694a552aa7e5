from __future__ import annotations

from datetime import date

import pytest

from domain.errors import BadInput, Conflict
from domain.milestones import Milestone, slippage_days
from domain.provenance import Provenance
from domain.risks import Risk, risk_band

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
