from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.calendar import QUARTERS, Quarter
from domain.errors import BadInput
from domain.measures import (
    Aggregation,
    check_figure,
    percent_achieved,
    quarter_figure,
    year_figure,
)

Q1, Q2, Q3, Q4 = QUARTERS


def figures(*values: float | int | None) -> dict[Quarter, float | int | None]:
    return dict(zip(QUARTERS, values, strict=True))


def test_sum_adds_the_quarters_that_reported() -> None:
    assert year_figure(Aggregation.SUM, figures(25, 21, None, None)) == 46


def test_latest_is_the_latest_quarter_with_a_figure_not_a_cumulative() -> None:
    assert year_figure(Aggregation.LATEST, figures(118, 117, 121, None)) == 121


def test_max_is_the_highest_quarter() -> None:
    assert year_figure(Aggregation.MAX, figures(180, 233, 214, None)) == 233


def test_nothing_reported_is_none_but_zero_is_zero() -> None:
    for aggregation in Aggregation:
        assert year_figure(aggregation, figures(None, None, None, None)) is None
        assert year_figure(aggregation, figures(0, None, None, None)) == 0


def test_latest_zero_is_a_figure() -> None:
    assert year_figure(Aggregation.LATEST, figures(5, 0, None, None)) == 0


def test_decimal_figures_sum_exactly() -> None:
    assert year_figure(Aggregation.SUM, figures(0.1, 0.2, None, None)) == 0.3
    assert year_figure(Aggregation.SUM, figures(2.5, 2.5, None, None)) == 5
    assert isinstance(year_figure(Aggregation.SUM, figures(2.5, 2.5, None, None)), int)


def test_a_reported_figure_overrides_the_engagement_count() -> None:
    assert quarter_figure(30, 27) == 30
    assert quarter_figure(0, 27) == 0
    assert quarter_figure(None, 27) == 27
    assert quarter_figure(None, None) is None


@pytest.mark.parametrize(
    ("figure", "target", "percent"),
    [
        (185, 200, 93),
        (46, 110, 42),
        (242, 100, 242),
        (1, 3, 33),
        (2, 3, 67),
        (0, 50, 0),
        (1, 8, 13),
        (5, 8, 63),
        (13.5, 12, 113),
    ],
)
def test_percent_achieved_rounds_half_up_and_is_never_capped(
    figure: float, target: float, percent: int
) -> None:
    assert percent_achieved(figure, target) == percent


def test_percent_is_none_without_a_figure_or_a_numeric_target() -> None:
    assert percent_achieved(None, 100) is None
    assert percent_achieved(50, None) is None
    assert percent_achieved(50, 0) is None


@pytest.mark.parametrize("value", [-1, -0.5, float("nan"), float("inf"), True, "3"])
def test_figures_below_zero_or_not_numbers_are_refused(value: object) -> None:
    with pytest.raises(BadInput) as refusal:
        check_figure(value)  # type: ignore[arg-type]
    assert refusal.value.field == "value"


quarter_values = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=10**6),
    st.decimals(min_value=0, max_value=10**5, places=2).map(float),
)


@given(st.lists(quarter_values, min_size=4, max_size=4))
def test_aggregations_agree_with_their_definitions(values: list[float | int | None]) -> None:
    present = [Decimal(str(v)) for v in values if v is not None]
    quarters = figures(*values)
    if not present:
        assert all(year_figure(a, quarters) is None for a in Aggregation)
        return
    assert Decimal(str(year_figure(Aggregation.SUM, quarters))) == sum(present)
    assert Decimal(str(year_figure(Aggregation.LATEST, quarters))) == present[-1]
    assert Decimal(str(year_figure(Aggregation.MAX, quarters))) == max(present)


@given(
    st.integers(min_value=0, max_value=10**7),
    st.integers(min_value=1, max_value=10**5),
)
def test_percent_is_the_exact_ratio_rounded_half_up(figure: int, target: int) -> None:
    exact = Fraction(figure * 100, target)
    floor = exact.numerator // exact.denominator
    expected = floor + (1 if exact - floor >= Fraction(1, 2) else 0)
    assert percent_achieved(figure, target) == expected


@given(st.decimals(min_value=0, max_value=10**4, places=2), st.integers(1, 10**4))
def test_percent_of_decimal_figures_rounds_half_up(figure: Decimal, target: int) -> None:
    expected = (figure * 100 / target).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert percent_achieved(float(figure), target) == int(expected)
