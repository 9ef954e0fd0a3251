"""Plan changes: upgrade or downgrade, when each takes effect, and what refuses one.

Within a plan family the rank (size) decides the direction (the corporate mobile guide: Total C 10
GB < Total E 50 GB); across families, or without one, the monthly price does. An upgrade
applies at once and a downgrade at the end of the billing period (per
:class:`~selfcare.catalog.timing.OrderPolicy`); a downgrade is refused while a fixed-term
commitment runs.

>>> from selfcare.catalog.sample import sample_catalog
>>> catalog = sample_catalog()
>>> c10, e50 = catalog.find("bedrift_total_c_10gb"), catalog.find("bedrift_total_e_50gb")
>>> change_direction(c10, e50), change_direction(e50, c10)
(<ChangeDirection.UPGRADE: 'upgrade'>, <ChangeDirection.DOWNGRADE: 'downgrade'>)
"""

from __future__ import annotations

import enum
from datetime import datetime

from selfcare.catalog.inventory import (
    ProductInstance,
    ScheduledChange,
    ScheduledChangeKind,
    repriced,
)
from selfcare.catalog.offerings import Offering, OfferingKind
from selfcare.catalog.timing import OrderPolicy, Timing, commitment_end
from selfcare.core.decision import Violation
from selfcare.core.money import Money
from selfcare.core.ports import next_version

__all__ = [
    "ChangeDirection",
    "change_direction",
    "changed_plan",
    "downgrade_in_commitment_violations",
    "not_a_plan_violations",
    "plan_change_timing",
    "plan_change_violations",
    "same_plan_violations",
    "scheduled_plan_change",
]


class ChangeDirection(enum.StrEnum):
    """A plan change is an upgrade, a downgrade, or no change."""

    UPGRADE = "upgrade"
    DOWNGRADE = "downgrade"
    SAME = "same"


def change_direction(current: Offering, target: Offering) -> ChangeDirection:
    """Whether moving from ``current`` to ``target`` is an upgrade or a downgrade.

    Within a plan family the rank (size) decides; across families, or without one, the
    monthly price does (a cheaper plan is a downgrade).
    """
    if current.id == target.id:
        return ChangeDirection.SAME
    if current.family is not None and current.family == target.family:
        if target.family_rank == current.family_rank:
            return ChangeDirection.SAME
        up = target.family_rank > current.family_rank
        return ChangeDirection.UPGRADE if up else ChangeDirection.DOWNGRADE
    old, new = current.monthly_price, target.monthly_price
    if old is not None and new is not None and old.currency is new.currency and new < old:
        return ChangeDirection.DOWNGRADE
    return ChangeDirection.UPGRADE


def plan_change_timing(direction: ChangeDirection, policy: OrderPolicy) -> Timing:
    """When a change in ``direction`` takes effect under ``policy``."""
    return policy.upgrade if direction is ChangeDirection.UPGRADE else policy.downgrade


# --------------------------------------------------------------------------- rules


def not_a_plan_violations(target: Offering) -> tuple[Violation, ...]:
    """``plan_change.not_a_plan`` when the target is not a plan."""
    if target.kind is not OfferingKind.PLAN:
        return (Violation("plan_change.not_a_plan", {"offering": target.id}),)
    return ()


def other_currency_violations(current: Offering, target: Offering) -> tuple[Violation, ...]:
    """``plan_change.other_currency`` when the target plan is priced in another currency
    than the current one (a plan of another operator or country: a new subscription,
    not a change)."""
    old, new = current.monthly_price, target.monthly_price
    if old is not None and new is not None and old.currency is not new.currency:
        return (Violation("plan_change.other_currency", {"offering": target.id}),)
    return ()


def same_plan_violations(direction: ChangeDirection, target: Offering) -> tuple[Violation, ...]:
    """``plan_change.same_plan`` when the change would change nothing."""
    if direction is ChangeDirection.SAME:
        return (Violation("plan_change.same_plan", {"offering": target.id}),)
    return ()


def downgrade_in_commitment_violations(
    product: ProductInstance, direction: ChangeDirection, *, now: datetime
) -> tuple[Violation, ...]:
    """``plan_change.downgrade_in_commitment`` for a downgrade before the product's
    fixed-term commitment ends."""
    end = product.commitment_end
    if direction is ChangeDirection.DOWNGRADE and end is not None and now < end:
        return (
            Violation("plan_change.downgrade_in_commitment", {"commitment_end": end.isoformat()}),
        )
    return ()


def plan_change_violations(
    product: ProductInstance, current: Offering, target: Offering, *, now: datetime
) -> tuple[Violation, ...]:
    """Every reason to refuse moving ``product`` from ``current`` to ``target`` at
    ``now``. A product that is not a plan, or a target that is not one, is refused for
    that alone; so is a target priced in another currency."""
    not_a_plan = not_a_plan_violations(current) + not_a_plan_violations(target)
    if not_a_plan:
        return not_a_plan
    other_currency = other_currency_violations(current, target)
    if other_currency:
        return other_currency
    direction = change_direction(current, target)
    return same_plan_violations(direction, target) + downgrade_in_commitment_violations(
        product, direction, now=now
    )


# --------------------------------------------------------------------------- changes


def changed_plan(
    product: ProductInstance,
    target: Offering,
    *,
    now: datetime,
    policy: OrderPolicy,
    one_time: Money | None = None,
    order_id: str | None = None,
) -> ProductInstance:
    """``product`` moved to ``target`` at ``now`` (version bumped): the target's term,
    a commitment that ends at the later of the old one and the new term's end, and the
    target's price in the history from ``now`` (with ``one_time``, the change's fee)."""
    new_end = commitment_end(target, now, policy)
    ends = (end for end in (product.commitment_end, new_end) if end is not None)
    return next_version(
        product,
        offering_id=target.id,
        term=target.term,
        commitment_end=max(ends, default=None),
        prices=repriced(product, target, at=now, one_time=one_time, order_id=order_id),
    )


def scheduled_plan_change(
    product: ProductInstance,
    target: Offering,
    *,
    effective_at: datetime,
    policy: OrderPolicy,
    one_time: Money | None = None,
    order_id: str | None = None,
) -> ProductInstance:
    """``product`` with a move to ``target`` scheduled for ``effective_at``: the target's
    price is in the history from then, and the target's fixed term (if it has one)
    starts then, when the change is applied."""
    change = ScheduledChange(
        kind=ScheduledChangeKind.CHANGE_PLAN,
        effective_at=effective_at,
        offering_id=target.id,
        term=target.term,
        commitment_end=commitment_end(target, effective_at, policy),
    )
    history = repriced(product, target, at=effective_at, one_time=one_time, order_id=order_id)
    return next_version(product, scheduled=change, prices=history)
