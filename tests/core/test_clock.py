from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import FixedClock, SelfcareError, SystemClock
from selfcare.core.clock import (
    Clock,
    add_local_days,
    add_months,
    local_date,
    month_bounds,
    operator_zone,
    require_aware,
    start_of_local_day,
)
from selfcare.testing import strategies as sst

HELSINKI = operator_zone()


def test_naive_datetimes_are_refused_with_a_code() -> None:
    with pytest.raises(SelfcareError) as info:
        require_aware(datetime(2026, 1, 1), "now")  # noqa: DTZ001 - the point of the test
    assert info.value.codes == ("time.naive_datetime",)
    assert info.value.violations[0].params == {"name": "now"}


@pytest.mark.parametrize("value", ["2026-01-01T00:00:00Z", date(2026, 1, 1), 0, None])
def test_non_datetimes_are_refused_with_a_code(value: object) -> None:
    with pytest.raises(SelfcareError) as info:
        require_aware(value)
    assert info.value.codes == ("time.not_a_datetime",)


def test_a_utc_datetime_comes_back_as_it_is_and_a_subclass_is_still_checked() -> None:
    moment = datetime(2026, 1, 1, 12, tzinfo=UTC)
    assert require_aware(moment) is moment

    class Frozen(datetime):  # as test tools that freeze time make them
        pass

    with pytest.raises(SelfcareError) as info:
        require_aware(Frozen(2026, 1, 1))  # naive: the point of the test
    assert info.value.codes == ("time.naive_datetime",)
    eet = timezone(timedelta(hours=2))
    assert require_aware(Frozen(2026, 1, 1, 12, tzinfo=eet)) == moment - timedelta(hours=2)


def test_aware_datetimes_come_back_in_utc() -> None:
    eet = timezone(timedelta(hours=2))
    assert require_aware(datetime(2026, 1, 1, 12, tzinfo=eet)) == datetime(
        2026, 1, 1, 10, tzinfo=UTC
    )
    assert require_aware(datetime(2026, 1, 1, 12, tzinfo=eet)).tzinfo is UTC


@pytest.mark.parametrize("name", ["Mars/Base", "", "../../etc/passwd", "x" * 10_000])
def test_unknown_time_zones_are_refused(name: str) -> None:
    with pytest.raises(SelfcareError) as info:
        operator_zone(name)
    assert info.value.codes == ("time.unknown_timezone",)


def test_default_operator_zone_is_helsinki() -> None:
    assert operator_zone().key == "Europe/Helsinki"


def test_seven_days_across_the_autumn_dst_change_are_169_hours() -> None:
    start = datetime(2026, 10, 23, 6, 0, tzinfo=UTC)  # Fri 09:00 EEST
    end = add_local_days(start, 7, zone=HELSINKI)
    assert end.astimezone(HELSINKI).hour == 9
    assert end - start == timedelta(hours=169)


def test_seven_days_across_the_spring_dst_change_are_167_hours() -> None:
    start = datetime(2026, 3, 27, 7, 0, tzinfo=UTC)  # Fri 09:00 EET
    end = add_local_days(start, 7, zone=HELSINKI)
    assert end.astimezone(HELSINKI).hour == 9
    assert end - start == timedelta(hours=167)


def test_months_clamp_to_the_last_day() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert add_months(date(2024, 12, 15), 1) == date(2025, 1, 15)
    assert add_months(date(2024, 5, 15), 24) == date(2026, 5, 15)


def test_month_bounds_follow_local_midnight() -> None:
    start, end = month_bounds(2026, 10, HELSINKI)
    assert start == datetime(2026, 9, 30, 21, 0, tzinfo=UTC)  # EEST
    assert end == datetime(2026, 10, 31, 22, 0, tzinfo=UTC)  # EET
    assert end - start == timedelta(days=31, hours=1)


def test_local_date_and_start_of_day() -> None:
    moment = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)
    assert local_date(moment, HELSINKI) == date(2026, 7, 1)
    assert start_of_local_day(date(2026, 7, 1), HELSINKI) == datetime(2026, 6, 30, 21, tzinfo=UTC)


def test_clocks() -> None:
    fixed = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    assert isinstance(fixed, Clock)
    assert isinstance(SystemClock(), Clock)
    assert fixed.advance(timedelta(seconds=5)) == datetime(2026, 1, 1, 0, 0, 5, tzinfo=UTC)
    fixed.set(datetime(2027, 1, 1, tzinfo=UTC))
    assert fixed.now().year == 2027
    assert SystemClock().now().tzinfo is UTC
    with pytest.raises(SelfcareError):
        FixedClock(datetime(2026, 1, 1))  # noqa: DTZ001


@given(sst.aware_datetimes(), st.integers(min_value=-400, max_value=400))
def test_adding_local_days_keeps_the_wall_clock_time_where_it_exists(
    moment: datetime, days: int
) -> None:
    shifted = add_local_days(moment, days, zone=HELSINKI)
    assert shifted.tzinfo is UTC
    assert local_date(shifted, HELSINKI) == local_date(moment, HELSINKI) + timedelta(days=days)
    assert abs((shifted - moment) - timedelta(days=days)) <= timedelta(hours=1)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 1, 1)), st.integers(-600, 600))
def test_adding_months_is_inverted_on_day_one(day: date, months: int) -> None:
    first = day.replace(day=1)
    assert add_months(add_months(first, months), -months) == first
    assert add_months(day, months).day <= day.day
