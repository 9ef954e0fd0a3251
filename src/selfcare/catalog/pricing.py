"""Pricing: what a product costs a month, and the quote of an order.

:func:`build_quote` prices the items :func:`~selfcare.catalog.eligibility.check_order`
allows: one :class:`~selfcare.catalog.orders.QuoteLine` per item naming the product,
the phone number or other asset, the change of the monthly charge, any one-time charge
and when it takes effect (per :class:`~selfcare.catalog.timing.OrderPolicy`).

>>> from datetime import datetime, UTC
>>> from selfcare.catalog.eligibility import EligibilityContext
>>> from selfcare.catalog.orders import OrderItem
>>> from selfcare.catalog.sample import sample_catalog
>>> from selfcare.core.decision import Decision
>>> context = EligibilityContext(relationship_id="rel-1", relationship_active=True,
...     has_billing_agreement=True, permission=Decision.allow())
>>> quote = build_quote(OrderItem.add("security_vpn"), context, catalog=sample_catalog(),
...                     now=datetime(2026, 3, 10, tzinfo=UTC)).unwrap()
>>> str(quote.lines[0].monthly_change)
'5.90 EUR'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Final

import attrs

from selfcare.catalog.cancellation import cancellation_end
from selfcare.catalog.dependencies import with_dependants
from selfcare.catalog.eligibility import EligibilityContext, check_order
from selfcare.catalog.history import offering_price
from selfcare.catalog.inventory import Asset, ProductInstance
from selfcare.catalog.offerings import AssetKind, Catalog, Offering
from selfcare.catalog.orders import OrderAction, OrderItem, OrderQuote, QuoteLine
from selfcare.catalog.plan_changes import change_direction, plan_change_timing
from selfcare.catalog.timing import DEFAULT_POLICY, OrderPolicy, effective_at
from selfcare.core.clock import require_aware
from selfcare.core.money import Money
from selfcare.core.outcome import Done, Outcome, Refused

__all__ = ["build_quote", "monthly_difference", "product_monthly_price"]


def product_monthly_price(product: ProductInstance, offering: Offering) -> Money | None:
    """What ``product`` costs a month: a bundle by its pick count, otherwise the
    offering's monthly price times the quantity."""
    return offering_price(offering, quantity=product.quantity, bundle_items=product.bundle_items)


def monthly_difference(new: Money | None, old: Money | None) -> Money | None:
    """The change of a monthly charge from ``old`` to ``new`` (``None`` means free)."""
    if new is None:
        return None if old is None else -old
    return new if old is None else new - old


@attrs.frozen(kw_only=True)
class _Pricing:
    """The facts every line of one quote is priced with."""

    products: Mapping[str, ProductInstance]
    catalog: Catalog
    now: datetime
    policy: OrderPolicy

    def offering(self, offering_id: str | None) -> Offering:
        offering = self.catalog.find(offering_id or "")
        assert offering is not None  # noqa: S101 - check_order refused unknown offerings
        return offering

    def product(self, item: OrderItem) -> tuple[ProductInstance, Offering]:
        product = self.products[item.product_id or ""]
        return product, self.offering(product.offering_id)


def _line(
    index: int,
    item: OrderItem,
    offering: Offering,
    *,
    product: ProductInstance | None = None,
    monthly: Money | None = None,
    one_time: Money | None = None,
    when: datetime,
    price: Money | None = None,
) -> QuoteLine:
    asset = item.asset if product is None else _shown_asset(item, product)
    return QuoteLine(
        item_index=index,
        action=item.action,
        offering_id=offering.id,
        product_name=offering.names,
        product_id=None if product is None else product.id,
        asset=asset,
        quantity=item.quantity,
        monthly_change=monthly,
        one_time=one_time,
        effective_at=when,
        group=offering.group,
        usage_note=offering.usage_note,
        monthly_price=price,
    )


def _shown_asset(item: OrderItem, product: ProductInstance) -> Asset | None:
    # A new SIM card keeps the phone number: the dialog names the number, not the card.
    if item.asset is None or item.asset.kind is AssetKind.ICCID:
        return product.asset
    return item.asset


def _change_of(
    product: ProductInstance, changed: ProductInstance, offering: Offering
) -> Money | None:
    return monthly_difference(
        product_monthly_price(changed, offering), product_monthly_price(product, offering)
    )


def _add_line(index: int, item: OrderItem, pricing: _Pricing) -> QuoteLine:
    offering = pricing.offering(item.offering_id)
    monthly = offering.monthly_price
    if offering.bundle is not None:
        monthly = offering.bundle.price_for(len(item.bundle_items))
    elif monthly is not None:
        monthly = monthly * item.quantity
    one_time = offering.one_time_price
    return _line(
        index,
        item,
        offering,
        monthly=monthly,
        one_time=None if one_time is None else one_time * item.quantity,
        when=pricing.now,
        price=monthly,
    )


def _remove_line(index: int, item: OrderItem, pricing: _Pricing) -> QuoteLine:
    product, offering = pricing.product(item)
    return _line(
        index,
        item,
        offering,
        product=product,
        monthly=monthly_difference(None, product_monthly_price(product, offering)),
        when=cancellation_end(product, now=pricing.now, policy=pricing.policy),
    )


def _change_plan_line(index: int, item: OrderItem, pricing: _Pricing) -> QuoteLine:
    product, current = pricing.product(item)
    target = pricing.offering(item.offering_id)
    timing = plan_change_timing(change_direction(current, target), pricing.policy)
    new_price = product_monthly_price(attrs.evolve(product, offering_id=target.id), target)
    return _line(
        index,
        item,
        target,
        product=product,
        monthly=monthly_difference(new_price, product_monthly_price(product, current)),
        one_time=target.one_time_price,
        when=effective_at(timing, now=pricing.now, policy=pricing.policy),
        price=new_price,
    )


def _edit_bundle_line(index: int, item: OrderItem, pricing: _Pricing) -> QuoteLine:
    product, offering = pricing.product(item)
    edited = attrs.evolve(product, bundle_items=item.bundle_items)
    policy = pricing.policy
    return _line(
        index,
        item,
        offering,
        product=product,
        monthly=_change_of(product, edited, offering),
        when=effective_at(policy.bundle_edit, now=pricing.now, policy=policy),
        price=product_monthly_price(edited, offering),
    )


def _modify_line(index: int, item: OrderItem, pricing: _Pricing) -> QuoteLine:
    product, offering = pricing.product(item)
    modified = attrs.evolve(product, quantity=item.quantity)
    change = _change_of(product, modified, offering)
    return _line(
        index,
        item,
        offering,
        product=product,
        monthly=None if change is None or change.is_zero else change,
        when=pricing.now,
        price=product_monthly_price(modified, offering),
    )


_LINES: Final[Mapping[OrderAction, Callable[[int, OrderItem, _Pricing], QuoteLine]]] = {
    OrderAction.ADD: _add_line,
    OrderAction.REMOVE: _remove_line,
    OrderAction.CHANGE_PLAN: _change_plan_line,
    OrderAction.EDIT_BUNDLE: _edit_bundle_line,
    OrderAction.MODIFY: _modify_line,
}


def _ending_with_their_base(
    lines: Sequence[QuoteLine], required_by: Mapping[str, str]
) -> list[QuoteLine]:
    """An add-on removed because the product it needs goes (or changes) ends no later
    than that product's line takes effect."""
    by_product = {line.product_id: line for line in lines if line.product_id is not None}
    ended = []
    for line in lines:
        base = by_product.get(required_by.get(line.product_id or "", ""))
        kept = line
        if line.action is OrderAction.REMOVE and base is not None:
            kept = attrs.evolve(line, effective_at=min(line.effective_at, base.effective_at))
            by_product[line.product_id or ""] = kept
        ended.append(kept)
    return ended


def build_quote(
    items: OrderItem | Sequence[OrderItem],
    context: EligibilityContext,
    *,
    catalog: Catalog,
    now: datetime,
    policy: OrderPolicy = DEFAULT_POLICY,
) -> Outcome[OrderQuote]:
    """The priced order for the confirmation dialog, if
    :func:`~selfcare.catalog.eligibility.check_order` allows it.

    Upgrades and new products take effect at once, downgrades at the end of the billing
    period, bundle edits from the next billing period (all changeable by ``policy``);
    a removal ends at :func:`~selfcare.catalog.cancellation.cancellation_end`. Removing
    or changing a product that add-ons need adds a removal of each of them to the quote
    (:func:`~selfcare.catalog.dependencies.with_dependants`), ending no later than the
    product, so the customer sees them before the OK.

    Returns:
        ``Done`` with the :class:`~selfcare.catalog.orders.OrderQuote` (no events), or
        ``Refused`` with every violation of
        :func:`~selfcare.catalog.eligibility.check_order`.

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    asked = (items,) if isinstance(items, OrderItem) else tuple(items)
    live = {p.id: p for p in context.products if p.is_live_at(moment)}
    order, required_by = with_dependants(asked, live, catalog)
    decision = check_order(order, context, catalog=catalog, now=moment)
    if not decision.allowed:
        return Refused(decision)
    pricing = _Pricing(
        products={p.id: p for p in context.products}, catalog=catalog, now=moment, policy=policy
    )
    lines = [_LINES[item.action](index, item, pricing) for index, item in enumerate(order)]
    lines = _ending_with_their_base(lines, required_by)
    return Done(
        OrderQuote(
            relationship_id=context.relationship_id, items=order, lines=lines, quoted_at=moment
        )
    )
