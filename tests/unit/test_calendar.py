from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.calendar import QUARTERS, FinancialYear, Quarter
from domain.errors import BadInput


def test_a_year_is_written_with_consecutive_years() -> None:
    year = FinancialYear.parse("2016/17")
    assert year.start_year == 2016
    assert str(year) == "2016/17"
    assert year.first_day == date(2016, 4, 1)
    assert year.last_day == date(2017, 3, 31)


def test_the_turn_of_the_century_is_a_year() -> None:
    assert str(FinancialYear.parse("1999/00")) == "1999/00"


@pytest.mark.parametrize(
    "text",
    ["2016/18", "16/17", "2016-17", "2016/7", "2016", "", "x/y", "0000/01", "9999/00", "1989/90"],
)
def test_malformed_years_are_refused_naming_the_field(text: str) -> None:
    with pytest.raises(BadInput) as refusal:
        FinancialYear.parse(text)
    assert refusal.value.field == "year"


@pytest.mark.parametrize("text", ["Q5", "Q0", "q1", "1", ""])
def test_only_four_quarters_exist(text: str) -> None:
    with pytest.raises(BadInput) as refusal:
        Quarter.parse(text)
    assert refusal.value.field == "quarter"


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (date(2016, 4, 1), Quarter.Q1),
        (date(2016, 6, 30), Quarter.Q1),
        (date(2016, 7, 1), Quarter.Q2),
        (date(2016, 9, 30), Quarter.Q2),
        (date(2016, 10, 1), Quarter.Q3),
        (date(2016, 12, 31), Quarter.Q3),
        (date(2017, 1, 1), Quarter.Q4),
        (date(2017, 3, 31), Quarter.Q4),
    ],
)
def test_quarter_boundaries(day: date, quarter: Quarter) -> None:
    assert FinancialYear.parse("2016/17").quarter_of(day) is quarter


def test_a_date_outside_the_year_is_refused_naming_the_date() -> None:
    with pytest.raises(BadInput) as refusal:
        FinancialYear.parse("2016/17").quarter_of(date(2017, 4, 1))
    assert refusal.value.field == "date"


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2998, 12, 31)))
def test_every_date_belongs_to_exactly_one_year_and_quarter(day: date) -> None:
    year = FinancialYear.containing(day)
    assert year.contains(day)
    assert not FinancialYear(year.start_year - 1).contains(day)
    assert not FinancialYear(year.start_year + 1).contains(day)
    quarter = year.quarter_of(day)
    assert year.quarter_start(quarter) <= day <= year.quarter_end(quarter)
    others = [q for q in QUARTERS if q is not quarter]
    assert all(not year.quarter_start(q) <= day <= year.quarter_end(q) for q in others)


@given(st.integers(min_value=1901, max_value=2998))
def test_quarters_tile_the_year(start: int) -> None:
    year = FinancialYear(start)
    assert year.quarter_start(Quarter.Q1) == year.first_day
    assert year.quarter_end(Quarter.Q4) == year.last_day
    for earlier, later in itertools.pairwise(QUARTERS):
        assert year.quarter_end(earlier) + timedelta(days=1) == year.quarter_start(later)
