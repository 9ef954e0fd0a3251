"""Billing periods: the days an invoice charges, counted in the operator's time zone.

A period is a calendar month by default, or runs from an *anchor day* of one month to
the day before the anchor day of the next (a cycle from the 15th to the 14th is
``BillingPeriod(2026, 4, anchor_day=15)``: 15 April to 14 May). Anchor days go up to
the 28th, so that every month has one.

>>> period = BillingPeriod(2024, 2)
>>> period.days, period.first_day, period.last_day, str(period.next())
(29, datetime.date(2024, 2, 1), datetime.date(2024, 2, 29), '2024-03')
>>> cycle = BillingPeriod(2026, 4, anchor_day=15)
>>> cycle.first_day, cycle.last_day, cycle.days, str(cycle)
(datetime.date(2026, 4, 15), datetime.date(2026, 5, 14), 30, '2026-04-15')
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from typing import final

import attrs

from selfcare.core.clock import add_months, local_date, start_of_local_day
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError

__all__ = ["BillingPeriod"]


def _whole_number(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"{name} must be int, not {type(value).__name__}"
        raise TypeError(msg)
    return value


def _check_year(_instance: object, _attribute: object, value: int) -> None:
    if not 1900 <= _whole_number(value, "year") <= 9998:
        raise SelfcareError(Violation("billing.invalid_period", {"month": value}))


def _check_month(_instance: object, _attribute: object, value: int) -> None:
    if not 1 <= _whole_number(value, "month") <= 12:
        raise SelfcareError(Violation("billing.invalid_period", {"month": value}))


def _check_anchor(_instance: object, _attribute: object, value: int) -> None:
    if not 1 <= _whole_number(value, "anchor_day") <= 28:
        raise SelfcareError(Violation("billing.invalid_anchor_day", {"anchor_day": value}))


@final
@attrs.frozen(order=True)
class BillingPeriod:
    """One billing period: from ``anchor_day`` of ``month`` (the 1st by default, a
    calendar month) to the day before the anchor day of the next month, in the
    operator's time zone.

    Raises:
        SelfcareError: ``billing.invalid_period`` for a month outside 1-12 (or a year
            outside 1900-9998), ``billing.invalid_anchor_day`` outside 1-28.
        TypeError: a year, month or anchor day that is not an ``int``.
    """

    year: int = attrs.field(validator=_check_year)
    month: int = attrs.field(validator=_check_month)
    anchor_day: int = attrs.field(default=1, validator=_check_anchor)

    @classmethod
    def containing(cls, moment: datetime, zone: tzinfo, *, anchor_day: int = 1) -> BillingPeriod:
        """The period (with ``anchor_day``) that holds ``moment`` in ``zone``.

        Raises:
            SelfcareError: ``time.naive_datetime``, ``billing.invalid_anchor_day``.
        """
        day = local_date(moment, zone)
        if day.day < anchor_day:
            day = add_months(day.replace(day=1), -1)
        return cls(day.year, day.month, anchor_day)

    @property
    def first_day(self) -> date:
        """The first day of the period."""
        return date(self.year, self.month, self.anchor_day)

    @property
    def last_day(self) -> date:
        """The last day of the period."""
        return self.next().first_day - timedelta(days=1)

    @property
    def days(self) -> int:
        """How many days the period has (28 to 31)."""
        return (self.next().first_day - self.first_day).days

    def next(self) -> BillingPeriod:
        """The following period."""
        following = add_months(date(self.year, self.month, 1), 1)
        return BillingPeriod(following.year, following.month, self.anchor_day)

    def bounds(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """The first instant of the period and of the next in ``zone``, as UTC."""
        return (
            start_of_local_day(self.first_day, zone),
            start_of_local_day(self.next().first_day, zone),
        )

    def __str__(self) -> str:
        text = f"{self.year:04d}-{self.month:02d}"
        return text if self.anchor_day == 1 else f"{text}-{self.anchor_day:02d}"
