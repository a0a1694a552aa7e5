"""Time inputs: a documented range, and every malformed or out-of-range value refused
naming its option or parameter (never an OverflowError further in)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import BadInput
from infra.inputs import (
    FIRST_MOMENT_YEAR,
    LAST_MOMENT_YEAR,
    MOMENT_YEAR_PATTERN,
    parse_day,
    parse_moment,
)
from projections.database import recorded_time


def refused(text: str, field: str = "as_at") -> BadInput:
    with pytest.raises(BadInput) as refusal:
        parse_moment(text, field=field)
    assert refusal.value.field == field
    return refusal.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-10-14T17:00:00Z", datetime(2016, 10, 14, 17, tzinfo=UTC)),
        ("2016-10-14t17:00:00z", datetime(2016, 10, 14, 17, tzinfo=UTC)),
        ("2016-10-14 17:00", datetime(2016, 10, 14, 17, tzinfo=UTC)),
        ("2016-10-14T18:00:00+01:00", datetime(2016, 10, 14, 17, tzinfo=UTC)),
        ("2016-10-14", datetime(2016, 10, 14, 23, 59, 59, 999999, tzinfo=UTC)),
    ],
)
def test_iso_times_are_read_as_documented(text: str, expected: datetime) -> None:
    assert parse_moment(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "0001-01-01T00:00:00+01:00",  # used to overflow converting to UTC: exit 70, HTTP 500
        "9999-12-31T23:59:59-01:00",
        "1899-12-31T23:59:59Z",
        "9999-01-01",
        "0001-01-01",
    ],
)
def test_times_outside_the_range_are_refused_naming_the_field(text: str) -> None:
    assert "outside the times this service reads (years 1900 to 9998)" in refused(text).message


@pytest.mark.parametrize(
    "text", ["", "yesterday", "2016-13-01", "2016-02-30T00:00:00Z", "2016-10-14T25:00", "\x00"]
)
def test_malformed_times_are_refused_naming_the_field(text: str) -> None:
    assert "is not an ISO-8601 time" in refused(text, field="from").message


@pytest.mark.parametrize(
    "text",
    [
        "2000-01-01T00:00:00+00:00:00.000001",  # Python 3.11 reads this as +00:00
        "2016-10-14T17:00:00+01:00:30",
        "2016-10-14 17:00-013000",
    ],
)
def test_an_offset_with_seconds_is_refused_not_rounded(text: str) -> None:
    assert "UTC offset with seconds" in refused(text).message


def test_a_huge_value_is_not_echoed_whole() -> None:
    assert len(refused("9" * 10_000).message) < 120


@given(
    st.datetimes(
        min_value=datetime(FIRST_MOMENT_YEAR, 1, 1),
        max_value=datetime(LAST_MOMENT_YEAR, 12, 31, 23, 59, 59, 999999),
        # ISO 8601 offsets are whole minutes (offsets with seconds are refused, below).
        timezones=st.builds(
            timezone,
            st.integers(min_value=-23 * 60, max_value=23 * 60).map(
                lambda minutes: timedelta(minutes=minutes)
            ),
        ),
    )
)
def test_every_time_in_the_range_is_accepted_and_stored_as_utc(moment: datetime) -> None:
    written = moment.isoformat()
    assert re.match(MOMENT_YEAR_PATTERN, written)  # what the OpenAPI document promises
    parsed = parse_moment(written)
    assert parsed == moment
    assert recorded_time(parsed)  # converts to UTC without overflowing


def test_the_openapi_pattern_admits_exactly_the_accepted_years() -> None:
    admitted = [y for y in range(10_000) if re.match(MOMENT_YEAR_PATTERN, f"{y:04d}-01-01")]
    assert admitted == list(range(FIRST_MOMENT_YEAR, LAST_MOMENT_YEAR + 1))


def test_days_are_bounded_the_same_way() -> None:
    assert parse_day("2016-07-20") == date(2016, 7, 20)
    for text, problem in (
        ("0001-01-01", "outside the times"),
        ("9999-12-31", "outside the times"),
        ("2016-7-20", "is not a date"),
        ("20160720", "is not a date"),
    ):
        with pytest.raises(BadInput) as refusal:
            parse_day(text)
        assert (refusal.value.field, problem in refusal.value.message) == ("today", True)
