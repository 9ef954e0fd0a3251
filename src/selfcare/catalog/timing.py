"""Timing: when an order's changes take effect, by the operator's :class:`OrderPolicy`.

New products and upgrades take effect at once; downgrades, bundle edits and portal
cancellations at the end of the current billing period - a calendar month in the
operator's zone - unless the policy says otherwise. A fixed term ends at midnight local
time, whole calendar months after it started.

>>> from datetime import datetime, UTC
>>> effective_at(Timing.END_OF_BILLING_PERIOD, now=datetime(2026, 3, 10, tzinfo=UTC)).isoformat()
'2026-03-31T21:00:00+00:00'
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Final, final

import attrs

from selfcare.catalog.offerings import Offering
from selfcare.core.clock import (
    DEFAULT_TIMEZONE,
    local_date,
    month_bounds,
    operator_zone,
    require_aware,
    start_of_local_day,
)

__all__ = [
    "DEFAULT_POLICY",
    "OrderPolicy",
    "Timing",
    "billing_period_end",
    "commitment_end",
    "effective_at",
]


class Timing(enum.StrEnum):
    """When a change takes effect."""

    IMMEDIATELY = "immediately"
    END_OF_BILLING_PERIOD = "end_of_billing_period"


def _known_zone(_instance: object, _attribute: object, value: str) -> None:
    operator_zone(value)


@final
@attrs.frozen(kw_only=True)
class OrderPolicy:
    """The operator's timing rules. Defaults: upgrades and new products at once,
    downgrades, bundle edits and portal cancellations at the end of the current billing
    period (a calendar month in ``timezone``).

    Raises:
        SelfcareError: ``time.unknown_timezone`` when ``timezone`` is not an IANA zone.
    """

    timezone: str = attrs.field(default=DEFAULT_TIMEZONE, validator=_known_zone)
    upgrade: Timing = Timing.IMMEDIATELY
    downgrade: Timing = Timing.END_OF_BILLING_PERIOD
    bundle_edit: Timing = Timing.END_OF_BILLING_PERIOD
    cancellation: Timing = Timing.END_OF_BILLING_PERIOD


DEFAULT_POLICY: Final = OrderPolicy()


def billing_period_end(now: datetime, *, policy: OrderPolicy = DEFAULT_POLICY) -> datetime:
    """The first instant of the next calendar month in the operator's zone, as UTC.

    >>> from datetime import datetime, UTC
    >>> billing_period_end(datetime(2026, 3, 31, 21, 30, tzinfo=UTC)).isoformat()
    '2026-04-30T21:00:00+00:00'

    Raises:
        SelfcareError: ``time.naive_datetime``, ``time.unknown_timezone``.
    """
    moment = require_aware(now, "now")
    zone = operator_zone(policy.timezone)
    day = local_date(moment, zone)
    return month_bounds(day.year, day.month, zone)[1]


def effective_at(
    timing: Timing, *, now: datetime, policy: OrderPolicy = DEFAULT_POLICY
) -> datetime:
    """When a change with ``timing`` ordered at ``now`` takes effect.

    Raises:
        SelfcareError: ``time.naive_datetime``, ``time.unknown_timezone``.
    """
    moment = require_aware(now, "now")
    if timing is Timing.IMMEDIATELY:
        return moment
    return billing_period_end(moment, policy=policy)


def commitment_end(offering: Offering, start: datetime, policy: OrderPolicy) -> datetime | None:
    """The end of a fixed term that starts at ``start``: whole calendar months in the
    operator's zone, ending at midnight local time."""
    zone = operator_zone(policy.timezone)
    end_day = offering.term.end_date(local_date(start, zone))
    return None if end_day is None else start_of_local_day(end_day, zone)
