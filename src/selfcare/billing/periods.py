"""Billing periods: the calendar month an invoice charges, in the operator's time zone.

>>> period = BillingPeriod(2024, 2)
>>> period.days, period.first_day, period.last_day, str(period.next())
(29, datetime.date(2024, 2, 1), datetime.date(2024, 2, 29), '2024-03')
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import final

import attrs

from selfcare.core.clock import add_months, local_date, month_bounds
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError

__all__ = ["BillingPeriod"]


def _check_month(_instance: object, _attribute: object, value: int) -> None:
    if not 1 <= value <= 12:
        raise SelfcareError(Violation("billing.invalid_period", {"month": value}))


@final
@attrs.frozen(order=True)
class BillingPeriod:
    """One billing period: a calendar month, counted in the operator's time zone.

    Raises:
        SelfcareError: ``billing.invalid_period`` for a month outside 1-12.
    """

    year: int
    month: int = attrs.field(validator=_check_month)

    @classmethod
    def containing(cls, moment: datetime, zone: tzinfo) -> BillingPeriod:
        """The period that holds ``moment`` in ``zone``.

        Raises:
            SelfcareError: ``time.naive_datetime``.
        """
        day = local_date(moment, zone)
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        """The first calendar day of the month."""
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        """The last calendar day of the month."""
        return date.fromordinal(self.next().first_day.toordinal() - 1)

    @property
    def days(self) -> int:
        """How many days the month has (28 to 31)."""
        return self.last_day.day

    def next(self) -> BillingPeriod:
        """The following month."""
        following = add_months(self.first_day, 1)
        return BillingPeriod(following.year, following.month)

    def bounds(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """The first instant of the month and of the next in ``zone``, as UTC."""
        return month_bounds(self.year, self.month, zone)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
