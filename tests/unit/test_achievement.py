"""The measures the seeds use: directions, thresholds, signed figures; percent achieved, met
and the trajectory; the direction of travel of a stated RAG."""

from __future__ import annotations

from typing import Any

import pytest

from domain.achievement import Direction, Measure, Threshold
from domain.calendar import QUARTERS, Quarter
from domain.errors import BadInput
from domain.measures import Aggregation, Number
from domain.rag import RAG_LEGEND, Rag, Travel, direction_of_travel
from domain.targets import LATER_KEYS, TargetDefinition

HIGHER, LOWER = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER


def figures(*values: Number | None) -> dict[Quarter, Number | None]:
    return dict(zip(QUARTERS, [*values, *[None] * (4 - len(values))], strict=True))


def refused(**fields: object) -> str | None:
    with pytest.raises(BadInput) as refusal:
        TargetDefinition(title="t", aggregation="latest", **fields)  # type: ignore[arg-type]
    return refusal.value.field


# -- the definition ---------------------------------------------------------------------


def test_a_direction_not_in_the_list_is_refused_naming_direction() -> None:
    assert refused(direction="upwards") == "direction"
    assert refused(direction="HIGHER") == "direction"


def test_a_negative_target_needs_allow_negative() -> None:
    assert refused(target=-2) == "target"
    assert TargetDefinition(title="t", aggregation="latest", target=-2, allow_negative=True)


def test_a_threshold_needs_a_numeric_target_and_a_known_kind() -> None:
    assert refused(threshold="above") == "threshold"
    assert refused(threshold="over", target=75) == "threshold"


def test_a_threshold_and_a_contradicting_direction_are_refused() -> None:
    assert refused(threshold="above", target=75, direction="lower_is_better") == "threshold"


def test_a_stated_direction_equal_to_the_implied_one_is_the_same_definition() -> None:
    plain = TargetDefinition(title="t", aggregation="sum", target=5)
    stated = TargetDefinition(title="t", aggregation="sum", target=5, direction="higher_is_better")
    assert plain == stated
    below = TargetDefinition(title="t", aggregation="latest", target=3, threshold="below")
    assert below.measure.direction is LOWER
    assert below == TargetDefinition(
        title="t", aggregation="latest", target=3, threshold="below", direction="lower_is_better"
    )


def test_keys_added_later_are_stored_only_when_they_say_something() -> None:
    old: dict[str, Any] = {
        "title": "t",
        "aggregation": "sum",
        "theme": None,
        "target": 110,
        "unit": None,
        "lead": None,
        "board": None,
    }
    definition = TargetDefinition.from_stored(old)  # a definition stored before they existed
    assert definition.stored() == old
    assert definition.measure == Measure(target=110)
    lower = TargetDefinition(**old | {"direction": "lower_is_better", "allow_negative": True})
    assert set(lower.stored()) - set(old) == {"direction", "allow_negative"}
    assert set(LATER_KEYS) == {"direction", "allow_negative", "threshold"}


# -- percent achieved and met -----------------------------------------------------------


def test_higher_is_better_keeps_the_contracts_percent() -> None:
    assert Measure(target=200).percent_achieved(185) == 93
    assert Measure(target=50).percent_achieved(121) == 242
    assert Measure(target=110).percent_achieved(46) == 42
    assert Measure(target=None).percent_achieved(5) is None
    assert Measure(target=0).percent_achieved(5) is None


def test_lower_is_better_is_target_over_figure() -> None:
    days = Measure(target=10, direction=LOWER)
    assert days.percent_achieved(8) == 125
    assert days.percent_achieved(20) == 50
    assert days.percent_achieved(10) == 100
    assert days.percent_achieved(0) is None  # nothing to divide by: met says it all
    assert days.met(0) is True
    assert (days.met(10), days.met(10.5)) == (True, False)


def test_negative_figures_or_targets_have_no_percent_but_are_met_or_not() -> None:
    change = Measure(target=0, direction=HIGHER)  # "change from 2016": no fall
    assert change.percent_achieved(-2) is None
    assert change.met(-2) is False
    assert change.met(8) is True
    pay_gap = Measure(target=0, direction=LOWER)  # mean gender pay gap at most 0 per cent
    assert pay_gap.percent_achieved(-6.8) is None
    assert pay_gap.met(-6.8) is True
    fall = Measure(target=-2, direction=LOWER)
    assert (fall.percent_achieved(-3), fall.met(-3), fall.met(-1)) == (None, True, False)


@pytest.mark.parametrize(
    ("threshold", "figure", "met"),
    [
        ("above", 76, True),
        ("above", 75, False),  # ">75%": 75 is not over 75
        ("at_least", 75, True),
        ("below", 74.9, True),
        ("below", 75, False),
        ("at_most", 75, True),
        ("at_most", 76, False),
    ],
)
def test_thresholds_are_met_strictly_or_not(threshold: str, figure: float, met: bool) -> None:
    measure = Measure(target=75, threshold=Threshold(threshold))
    assert measure.direction is Threshold(threshold).direction
    assert measure.comparison is Threshold(threshold)
    assert measure.met(figure) is met


def test_a_threshold_percent_follows_its_direction() -> None:
    assert Measure(target=75, threshold=Threshold.ABOVE).percent_achieved(76) == 101
    assert Measure(target=75, threshold=Threshold.ABOVE).percent_achieved(75) == 100
    assert Measure(target=5, threshold=Threshold.BELOW).percent_achieved(4) == 125


def test_no_figure_or_no_target_is_not_known_to_be_met() -> None:
    assert Measure(target=5).met(None) is None
    assert Measure(target=None).met(5) is None


# -- the trajectory ---------------------------------------------------------------------


def test_cumulative_targets_are_judged_against_the_pro_rata_target() -> None:
    peer = Measure(target=110, aggregation=Aggregation.SUM)
    assert peer.trajectory(figures(25, 21), 46) is Rag.AMBER  # 46 of 55 expected by Q2
    assert peer.trajectory(figures(25, 31), 56) is Rag.GREEN
    assert peer.trajectory(figures(10, 10), 20) is Rag.RED  # short by more than a quarter
    scrutiny = Measure(target=45, aggregation=Aggregation.SUM)
    assert scrutiny.trajectory(figures(12, 11), 23) is Rag.GREEN  # 22.5 expected by Q2
    councils = Measure(target=40, aggregation=Aggregation.DISTINCT_COUNCILS)
    assert councils.trajectory(figures(9), 9) is Rag.AMBER  # 10 expected by Q1


def test_a_closed_quarter_has_passed_even_without_a_figure() -> None:
    peer = Measure(target=100, aggregation=Aggregation.SUM)
    assert peer.trajectory(figures(25), 25) is Rag.GREEN
    assert peer.trajectory(figures(25), 25, closed=[Quarter.Q1, Quarter.Q2]) is Rag.RED


def test_snapshots_are_judged_against_the_whole_target() -> None:
    graduates = Measure(target=100, aggregation=Aggregation.LATEST)
    assert graduates.trajectory(figures(97, 94), 94) is Rag.AMBER
    assert graduates.trajectory(figures(100), 100) is Rag.GREEN
    peak = Measure(target=200, aggregation=Aggregation.MAX)
    assert peak.trajectory(figures(120), 120) is Rag.RED


def test_lower_is_better_and_thresholds_are_judged_their_way() -> None:
    days = Measure(target=10, direction=LOWER, aggregation=Aggregation.LATEST)
    assert days.trajectory(figures(9), 9) is Rag.GREEN
    assert days.trajectory(figures(12), 12) is Rag.AMBER
    assert days.trajectory(figures(13), 13) is Rag.RED
    complaints = Measure(target=40, direction=LOWER, aggregation=Aggregation.SUM)
    assert complaints.trajectory(figures(9), 9) is Rag.GREEN  # within a quarter's allowance
    assert complaints.trajectory(figures(9, 13), 22) is Rag.AMBER  # 20 allowed by Q2
    satisfied = Measure(target=75, threshold=Threshold.ABOVE, aggregation=Aggregation.LATEST)
    assert satisfied.trajectory(figures(76), 76) is Rag.GREEN
    assert satisfied.trajectory(figures(75), 75) is Rag.AMBER  # not over 75, but close
    pay_gap = Measure(target=0, direction=LOWER, aggregation=Aggregation.LATEST)
    assert pay_gap.trajectory(figures(-6.8), -6.8) is Rag.GREEN
    assert pay_gap.trajectory(figures(1), 1) is Rag.RED  # any shortfall of an expected 0


def test_no_trajectory_without_a_numeric_target_or_a_figure() -> None:
    assert Measure(target=None).trajectory(figures(5), 5) is None
    assert Measure(target=10).trajectory(figures(), None) is None


# -- direction of travel and the legend -------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "latest", "travel"),
    [
        ("amber", "green", Travel.BETTER),
        ("red", "amber", Travel.BETTER),
        ("green", "green", Travel.SAME),
        ("green", "red", Travel.WORSE),
        (None, "green", None),
        ("green", None, None),
        ("black", "green", None),
        ("green", "none", None),
    ],
)
def test_direction_of_travel_ranks_green_over_amber_over_red(
    previous: str | None, latest: str | None, travel: Travel | None
) -> None:
    assert direction_of_travel(previous, latest) is travel


def test_the_legend_says_what_every_colour_means() -> None:
    assert set(RAG_LEGEND) == set(Rag)
    assert RAG_LEGEND[Rag.GREEN] == "Everything under control"
    assert "replan or descope" in RAG_LEGEND[Rag.RED]
