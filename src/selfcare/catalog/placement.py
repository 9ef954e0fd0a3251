"""Placement: what each item of a placed order does to the inventory, and the event
that says so.

A new product is created ``pending_active`` from the time its line takes effect;
a removal ends the product when its line says (the end of the billing period, by
default); a plan change or bundle edit applies at once when its line takes effect
now, and is scheduled otherwise; a new SIM card replaces the old one.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict, final

import attrs

from selfcare.catalog.cancellation import pending_termination
from selfcare.catalog.events import (
    BundleEdited,
    BundleEditScheduled,
    PlanChanged,
    PlanChangeScheduled,
    ProductModified,
    ProductOrdered,
    SimActivated,
    TerminationScheduled,
)
from selfcare.catalog.history import ProductPrice
from selfcare.catalog.inventory import (
    ProductInstance,
    ProductStatus,
    ScheduledChange,
    ScheduledChangeKind,
    repriced,
)
from selfcare.catalog.offerings import AssetKind, Offering
from selfcare.catalog.orders import OrderAction, OrderItem, ProductOrder, QuoteLine
from selfcare.catalog.plan_changes import changed_plan, scheduled_plan_change
from selfcare.catalog.timing import OrderPolicy, commitment_end
from selfcare.core.events import Event
from selfcare.core.money import Money
from selfcare.core.ports import next_version

__all__ = ["Placement", "changed_product", "new_product"]


@final
@attrs.frozen(kw_only=True)
class Placement:
    """A placed order being applied to the inventory: what every item needs."""

    order: ProductOrder
    now: datetime
    policy: OrderPolicy


def new_product(
    placement: Placement, item: OrderItem, line: QuoteLine, offering: Offering, *, product_id: str
) -> tuple[ProductInstance, Event]:
    """The product an ``add`` item creates, pending activation, and the event."""
    order = placement.order
    product = ProductInstance(
        id=product_id,
        offering_id=offering.id,
        relationship_id=order.relationship_id,
        status=ProductStatus.PENDING_ACTIVE,
        asset=item.asset,
        quantity=item.quantity,
        start=line.effective_at,
        commitment_end=commitment_end(offering, line.effective_at, placement.policy),
        term=offering.term,
        bundle_items=item.bundle_items,
        order_id=order.id,
        prices=(
            ProductPrice.of(
                offering,
                valid_from=line.effective_at,
                quantity=item.quantity,
                bundle_items=item.bundle_items,
                one_time=line.one_time,
                order_id=order.id,
            ),
        ),
    )
    ordered = ProductOrdered(
        occurred_at=placement.now,
        relationship_id=order.relationship_id,
        order_id=order.id,
        product_id=product.id,
        offering_id=offering.id,
    )
    return product, ordered


def changed_product(
    placement: Placement,
    item: OrderItem,
    line: QuoteLine,
    product: ProductInstance,
    offering: Offering,
) -> tuple[ProductInstance, Event]:
    """``product`` as the order item changes it, and the event that says so."""
    when, now = line.effective_at, placement.now
    rel, order_id = placement.order.relationship_id, placement.order.id
    if item.action is OrderAction.REMOVE:
        ending = TerminationScheduled(
            occurred_at=now,
            relationship_id=rel,
            order_id=order_id,
            product_id=product.id,
            effective_at=when,
        )
        return pending_termination(product, end=when), ending
    if item.action is OrderAction.CHANGE_PLAN:
        return _plan_change(product, offering, line, placement)
    if item.action is OrderAction.EDIT_BUNDLE:
        return _bundle_edit(product, offering, item.bundle_items, line, placement)
    if item.asset is not None and item.asset.kind is AssetKind.ICCID:
        activated = SimActivated(
            occurred_at=now, relationship_id=rel, order_id=order_id, product_id=product.id
        )
        return next_version(product, sim=item.asset, quantity=item.quantity), activated
    modified = ProductModified(
        occurred_at=now,
        relationship_id=rel,
        order_id=order_id,
        product_id=product.id,
        quantity=item.quantity,
    )
    history = product.prices
    if item.quantity != product.quantity:
        history = repriced(product, offering, at=now, quantity=item.quantity, order_id=order_id)
    changed = next_version(
        product, asset=item.asset or product.asset, quantity=item.quantity, prices=history
    )
    return changed, modified


class _Fee(TypedDict):
    one_time: Money | None
    order_id: str


def _fee(line: QuoteLine, order_id: str) -> _Fee:
    """The one-time charge of a plan change and the order that made it."""
    return {"one_time": line.one_time, "order_id": order_id}


def _plan_change(
    product: ProductInstance, target: Offering, line: QuoteLine, placement: Placement
) -> tuple[ProductInstance, Event]:
    """An upgrade applies at once; a downgrade is scheduled (by the default policy).
    Either way the history has the target's price from the day it applies."""
    when, now, order_id = line.effective_at, placement.now, placement.order.id
    if when <= now:
        changed = PlanChanged(
            occurred_at=now,
            relationship_id=product.relationship_id,
            order_id=order_id,
            product_id=product.id,
            from_offering_id=product.offering_id,
            to_offering_id=target.id,
        )
        moved = changed_plan(
            product, target, now=now, policy=placement.policy, **_fee(line, order_id)
        )
        return moved, changed
    scheduled = PlanChangeScheduled(
        occurred_at=now,
        relationship_id=product.relationship_id,
        order_id=order_id,
        product_id=product.id,
        to_offering_id=target.id,
        effective_at=when,
    )
    moving = scheduled_plan_change(
        product, target, effective_at=when, policy=placement.policy, **_fee(line, order_id)
    )
    return moving, scheduled


def _bundle_edit(
    product: ProductInstance,
    offering: Offering,
    picks: frozenset[str],
    line: QuoteLine,
    placement: Placement,
) -> tuple[ProductInstance, Event]:
    """An edit applies from the next billing period (by the default policy); the
    history has the new picks' price from then."""
    when, now, order_id = line.effective_at, placement.now, placement.order.id
    history = repriced(product, offering, at=max(when, now), bundle_items=picks, order_id=order_id)
    if when <= now:
        edited = BundleEdited(
            occurred_at=now,
            relationship_id=product.relationship_id,
            order_id=order_id,
            product_id=product.id,
            bundle_items=picks,
        )
        return next_version(product, bundle_items=picks, prices=history), edited
    change = ScheduledChange(
        kind=ScheduledChangeKind.EDIT_BUNDLE, effective_at=when, bundle_items=picks
    )
    scheduled = BundleEditScheduled(
        occurred_at=now,
        relationship_id=product.relationship_id,
        order_id=order_id,
        product_id=product.id,
        bundle_items=picks,
        effective_at=when,
    )
    return next_version(product, scheduled=change, prices=history), scheduled
