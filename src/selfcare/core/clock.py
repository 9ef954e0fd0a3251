"""Time: aware datetimes only, UTC for storage, the operator's zone for calendars.

Stored times are aware UTC :class:`~datetime.datetime` values. Calendar rules ("valid
for 7 days", billing months, fixed terms) are computed in the operator's time zone
(default ``Europe/Helsinki``), daylight saving time included: seven days after
09:00 on the Friday before the autumn change is 09:00 local time a week later, which
is 169 hours, not 168.

>>> from datetime import datetime, UTC
>>> start = datetime(2026, 10, 23, 6, 0, tzinfo=UTC)  # 09:00 in Helsinki (EEST)
>>> end = add_local_days(start, 7, zone=operator_zone())
>>> end - start
datetime.timedelta(days=7, seconds=3600)
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Final, Protocol, runtime_checkable

import attrs

from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

__all__ = [
    "DEFAULT_TIMEZONE",
    "Clock",
    "FixedClock",
    "SystemClock",
    "add_local_days",
    "add_months",
    "local_date",
    "month_bounds",
    "operator_zone",
    "require_aware",
    "start_of_local_day",
    "to_utc",
    "utc_field",
]

#: The operator time zone used when none is configured.
DEFAULT_TIMEZONE: Final = "Europe/Helsinki"


@runtime_checkable
class Clock(Protocol):
    """Where services get the current time from (injected, never global)."""

    def now(self) -> datetime:
        """The current time as an aware UTC datetime."""
        ...


class SystemClock:
    """The real clock. Thread-safe."""

    def now(self) -> datetime:
        """The current time as an aware UTC datetime."""
        return datetime.now(UTC)


class FixedClock:
    """A clock for tests and replays: stands still until moved.

    >>> from datetime import datetime, timedelta, UTC
    >>> clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    >>> clock.advance(timedelta(minutes=5)).isoformat()
    '2026-01-01T00:05:00+00:00'

    Threads may read it while one test thread moves it (reading and setting the time
    are single assignments).
    """

    def __init__(self, now: datetime) -> None:
        self._now = require_aware(now, "now")

    def now(self) -> datetime:
        """The time the clock stands at."""
        return self._now

    def set(self, now: datetime) -> None:
        """Move the clock to ``now``."""
        self._now = require_aware(now, "now")

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock forward by ``delta`` and return the new time."""
        self._now = self._now + delta
        return self._now


def require_aware(value: object, name: str = "time") -> datetime:
    """Return ``value`` in UTC, or raise if it is not an aware datetime.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive datetime,
            ``time.not_a_datetime`` for anything that is not a datetime.

    >>> require_aware(datetime(2026, 1, 1))
    Traceback (most recent call last):
    ...
    selfcare.core.errors.SelfcareError: The time 'time' has no time zone; ...
    """
    if type(value) is datetime and value.tzinfo is UTC:
        return value  # already what it would become (the usual case: stored times)
    if not isinstance(value, datetime):
        raise SelfcareError(Violation("time.not_a_datetime", {"name": name}))
    if value.tzinfo is None or value.utcoffset() is None:
        raise SelfcareError(Violation("time.naive_datetime", {"name": name}))
    return value.astimezone(UTC)


def to_utc(value: datetime) -> datetime:
    """The converter of every stored time field: an aware datetime, in UTC.

    ``to_utc(value)`` is :func:`require_aware` without a field name; entities declare
    their time fields with :func:`utc_field`, which names the field in the error.

    >>> from datetime import timezone
    >>> to_utc(datetime(2026, 1, 1, 12, tzinfo=timezone(timedelta(hours=2))))
    datetime.datetime(2026, 1, 1, 10, 0, tzinfo=datetime.timezone.utc)
    """
    return require_aware(value, "time")


def _field_to_utc(value: object, _instance: object, field: attrs.Attribute[object]) -> object:
    if value is None and field.metadata.get(_OPTIONAL, False):
        return None
    return require_aware(value, field.name)


_OPTIONAL: Final = "selfcare.optional_time"


def utc_field(*, optional: bool = False, **kwargs: Any) -> Any:
    """An attrs field for a stored time: refuses naive values, keeps the instant in UTC.

    Args:
        optional: also accept ``None``.
        kwargs: passed to :func:`attrs.field` (``default``, ``repr``, ...).

    Raises (on construction):
        SelfcareError: ``time.naive_datetime`` or ``time.not_a_datetime``, naming the
            field.

    >>> from datetime import timezone
    >>> @attrs.frozen
    ... class Seen:
    ...     at: datetime = utc_field()
    >>> Seen(datetime(2026, 1, 1, 12, tzinfo=timezone(timedelta(hours=2)))).at.hour
    10
    """
    metadata = {**kwargs.pop("metadata", {}), _OPTIONAL: optional}
    converter = attrs.Converter(_field_to_utc, takes_self=True, takes_field=True)
    return attrs.field(converter=converter, metadata=metadata, **kwargs)


@functools.cache
def operator_zone(name: str = DEFAULT_TIMEZONE) -> ZoneInfo:
    """The IANA time zone ``name`` (default ``Europe/Helsinki``).

    Raises:
        SelfcareError: ``time.unknown_timezone`` when ``name`` is not an IANA zone.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # noqa: PLC0415 - on first use

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        shown = name if isinstance(name, str) else type(name).__name__
        raise SelfcareError(Violation("time.unknown_timezone", {"zone": shown[:64]})) from None


def local_date(moment: datetime, zone: tzinfo) -> date:
    """The calendar date of ``moment`` in ``zone``."""
    return require_aware(moment, "moment").astimezone(zone).date()


def start_of_local_day(day: date, zone: tzinfo) -> datetime:
    """Midnight at the start of ``day`` in ``zone``, as UTC."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def add_local_days(moment: datetime, days: int, *, zone: tzinfo) -> datetime:
    """``moment`` plus ``days`` calendar days of wall-clock time in ``zone``, as UTC.

    A wall-clock time that does not exist (skipped by a DST change) moves forward with
    the change; an ambiguous one takes the earlier of the two instants.
    """
    local = require_aware(moment, "moment").astimezone(zone)
    shifted = local.replace(tzinfo=None) + timedelta(days=days)
    return _localize(shifted, zone)


def _localize(naive: datetime, zone: tzinfo) -> datetime:
    # fold=0 picks the first of two ambiguous instants; a non-existent wall time is
    # resolved the way zoneinfo does (moved by the gap), then normalised via UTC.
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC)


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months; the day is clamped to the month's end.

    >>> add_months(date(2024, 1, 31), 1)
    datetime.date(2024, 2, 29)
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, _days_in_month(year, month + 1)))


def _days_in_month(year: int, month: int) -> int:
    # calendar.monthrange would do, but importing calendar costs ~15 ms at start-up.
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def month_bounds(year: int, month: int, zone: tzinfo) -> tuple[datetime, datetime]:
    """The first instant of the calendar month in ``zone`` and of the next, as UTC."""
    first = date(year, month, 1)
    return start_of_local_day(first, zone), start_of_local_day(add_months(first, 1), zone)
