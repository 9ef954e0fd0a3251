"""Pure catalog rules: eligibility, plan-change direction, timing, quotes, cancellation.

Every rule takes plain facts: the :class:`~selfcare.catalog.model.Catalog`, an
:class:`EligibilityContext` the caller's service layer gathers (the customer
relationship, the billing agreement, the authz decision for the ``order`` permission,
whether the phone number is confirmed, the products the customer has), an
:class:`OrderPolicy`, and ``now``.

>>> from datetime import datetime, UTC
>>> from selfcare.catalog.sample import sample_catalog
>>> from selfcare.catalog.model import OrderItem
>>> from selfcare.core.decision import Decision
>>> from selfcare.core.ids import RelationshipId
>>> context = EligibilityContext(
...     relationship_id=RelationshipId("rel-1"), relationship_active=True,
...     has_billing_agreement=False, permission=Decision.allow("grant:owner"))
>>> now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
>>> check_order([OrderItem.add("security_total")], context, catalog=sample_catalog(), now=now).codes
('order.no_billing_agreement',)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Final, final

import attrs

from selfcare.catalog.model import (
    Asset,
    AssetKind,
    CancellationMethod,
    Catalog,
    Offering,
    OfferingKind,
    OrderAction,
    OrderItem,
    OrderQuote,
    OrderState,
    PrerequisiteKind,
    ProductInstance,
    ProductStatus,
    QuoteLine,
    ScheduledChange,
    ScheduledChangeKind,
)
from selfcare.core.clock import (
    DEFAULT_TIMEZONE,
    local_date,
    month_bounds,
    operator_zone,
    require_aware,
    start_of_local_day,
)
from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import RelationshipId
from selfcare.core.money import Money

__all__ = [
    "DEFAULT_POLICY",
    "AvailableService",
    "ChangeDirection",
    "EligibilityContext",
    "OrderPolicy",
    "OrderedService",
    "ServiceState",
    "Timing",
    "apply_due_change",
    "available_services",
    "billing_period_end",
    "build_quote",
    "cancellation_end",
    "change_direction",
    "check_order",
    "check_order_transition",
    "check_product_transition",
    "commitment_end",
    "effective_at",
    "ordered_services",
    "product_monthly_price",
]


class Timing(enum.StrEnum):
    """When a change takes effect."""

    IMMEDIATELY = "immediately"
    END_OF_BILLING_PERIOD = "end_of_billing_period"


class ChangeDirection(enum.StrEnum):
    """A plan change is an upgrade, a downgrade, or no change."""

    UPGRADE = "upgrade"
    DOWNGRADE = "downgrade"
    SAME = "same"


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


def _str_set(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


def _product_tuple(value: Iterable[ProductInstance]) -> tuple[ProductInstance, ...]:
    return tuple(value)


@final
@attrs.frozen(kw_only=True)
class EligibilityContext:
    """The plain facts an order is checked against, gathered by the caller.

    Attributes:
        relationship_id: the customer relationship the order is for.
        relationship_active: whether it is a valid, active customer relationship.
        has_billing_agreement: whether it has a billing agreement (seed 002).
        permission: the authz decision for the ``order`` permission on the
            relationship (the caller runs the permission check).
        phone_number_confirmed: whether the user's phone number is confirmed, i.e.
            self-service is activated (seed 004).
        capabilities: what the caller vouches for, e.g. ``pay_tv_card``.
        products: the relationship's products (terminated ones are ignored).
    """

    relationship_id: RelationshipId
    relationship_active: bool
    has_billing_agreement: bool
    permission: Decision
    phone_number_confirmed: bool = True
    capabilities: frozenset[str] = attrs.field(default=frozenset(), converter=_str_set)
    products: tuple[ProductInstance, ...] = attrs.field(default=(), converter=_product_tuple)


# --------------------------------------------------------------------------- timing


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


def cancellation_end(
    product: ProductInstance, *, now: datetime, policy: OrderPolicy = DEFAULT_POLICY
) -> datetime:
    """When a portal cancellation made at ``now`` ends ``product``: at the end of the
    current billing period (or at once, if the policy says so), never before its
    fixed-term commitment ends."""
    end = effective_at(policy.cancellation, now=now, policy=policy)
    if product.commitment_end is not None and product.commitment_end > end:
        return product.commitment_end
    return end


def commitment_end(offering: Offering, start: datetime, policy: OrderPolicy) -> datetime | None:
    """The end of a fixed term that starts at ``start``: whole calendar months in the
    operator's zone, ending at midnight local time."""
    zone = operator_zone(policy.timezone)
    end_day = offering.term.end_date(local_date(start, zone))
    return None if end_day is None else start_of_local_day(end_day, zone)


# --------------------------------------------------------------------------- eligibility


class _OrderCheck:
    """Collects the violations of one order (all items checked together)."""

    def __init__(self, context: EligibilityContext, catalog: Catalog, now: datetime) -> None:
        self.context = context
        self.catalog = catalog
        self.now = now
        self.found: list[Violation] = []
        self.live = [p for p in context.products if p.is_live_at(now)]
        self.live_by_id = {p.id: p for p in self.live}
        # products removed by this order no longer count for exclusions
        self.removed: set[str] = set()
        self.items: list[OrderItem] = []

    def add(self, code: str, **params: str | int | tuple[str, ...]) -> None:
        violation = Violation(code, params)
        if violation not in self.found:
            self.found.append(violation)

    def offering(self, offering_id: str) -> Offering | None:
        offering = self.catalog.get(offering_id)
        if offering is None:
            self.add("order.unknown_offering", offering=offering_id[:64])
        elif not offering.is_orderable(self.now):
            self.add("order.offering_not_available", offering=offering_id)
        return offering

    def product(self, item: OrderItem) -> tuple[ProductInstance, Offering] | None:
        product = self.live_by_id.get(item.product_id or "")
        if product is None or product.relationship_id != self.context.relationship_id:
            self.add("order.unknown_product", product=(item.product_id or "")[:64])
            return None
        offering = self.catalog.get(product.offering_id)
        if offering is None:
            self.add("order.unknown_offering", offering=product.offering_id)
            return None
        return product, offering


def check_order(
    items: OrderItem | Sequence[OrderItem],
    context: EligibilityContext,
    *,
    catalog: Catalog,
    now: datetime,
) -> Decision:
    """Whether the customer may place an order with ``items``; all items are checked
    together, so two mutually exclusive add-ons in one order are refused.

    Returns:
        An allowed :class:`~selfcare.core.decision.Decision`, or one listing every
        violation that applies:

        - ``order.empty``: no items;
        - ``order.no_active_relationship``, ``order.no_billing_agreement``;
        - ``order.permission_denied`` (``reasons`` are the authz decision's codes);
        - ``order.self_service_not_activated``: the phone number is not confirmed;
        - ``order.invalid_item``: an item lacks the offering or product it needs;
        - ``order.unknown_offering``, ``order.offering_not_available``;
        - ``order.missing_prerequisite`` (``prerequisite`` names it, e.g.
          ``capability:pay_tv_card``);
        - ``order.excluded_by_active_product``, ``order.conflicting_items``;
        - ``order.plan_already_active``: a second plan on a phone number that has one
          (change the plan instead);
        - ``cancellation.already_ending``: removing a product already being cancelled;
        - ``order.already_active``, ``order.max_quantity_exceeded``,
          ``order.invalid_quantity``;
        - ``order.asset_required``: the item does not name the phone number, SIM or
          metering point the offering applies to;
        - ``order.unknown_product``: a change to a product the customer does not have;
        - ``order.cancellation_in_writing``: removing a product that can only be
          cancelled in writing;
        - ``bundle.not_a_bundle``, ``bundle.too_few_items``, ``bundle.too_many_items``,
          ``bundle.item_not_in_group``, ``bundle.unchanged``;
        - ``plan_change.same_plan``, ``plan_change.not_a_plan``,
          ``plan_change.downgrade_in_commitment``.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    order = [items] if isinstance(items, OrderItem) else list(items)
    check = _OrderCheck(context, catalog, moment)
    check.items = order
    if not order:
        check.add("order.empty")
    if not context.relationship_active:
        check.add("order.no_active_relationship")
    if not context.has_billing_agreement:
        check.add("order.no_billing_agreement")
    if not context.permission.allowed:
        check.add("order.permission_denied", reasons=context.permission.codes)
    if not context.phone_number_confirmed:
        check.add("order.self_service_not_activated")

    check.removed = {i.product_id for i in order if i.action is OrderAction.REMOVE and i.product_id}
    added: list[tuple[OrderItem, Offering]] = []
    for item in order:
        if item.action is OrderAction.ADD:
            offering = _check_add(check, item)
            if offering is not None:
                added.append((item, offering))
        elif item.product_id is None:
            check.add("order.invalid_item", action=item.action.value)
        elif item.action is OrderAction.REMOVE:
            _check_remove(check, item)
        elif item.action is OrderAction.CHANGE_PLAN:
            _check_change_plan(check, item)
        elif item.action is OrderAction.EDIT_BUNDLE:
            _check_edit_bundle(check, item)
        else:
            _check_modify(check, item)
    _check_together(check, added)
    return Decision.from_violations(check.found)


def _check_add(check: _OrderCheck, item: OrderItem) -> Offering | None:
    if item.offering_id is None:
        check.add("order.invalid_item", action=item.action.value)
        return None
    offering = check.offering(item.offering_id)
    if offering is None:
        return None
    if item.quantity < 1:
        check.add("order.invalid_quantity", offering=offering.id)
    _check_asset(check, offering, item.asset)
    if offering.bundle is not None:
        _check_picks(check, offering, item.bundle_items)
    return offering


def _check_asset(check: _OrderCheck, offering: Offering, asset: Asset | None) -> None:
    if offering.asset_kind is not None and (asset is None or asset.kind is not offering.asset_kind):
        check.add(
            "order.asset_required", offering=offering.id, asset_kind=offering.asset_kind.value
        )


def _check_picks(check: _OrderCheck, offering: Offering, picks: frozenset[str]) -> None:
    spec = offering.bundle
    assert spec is not None  # noqa: S101 - callers check
    if len(picks) < spec.min_items:
        check.add("bundle.too_few_items", min_items=spec.min_items)
    if len(picks) > spec.max_items:
        check.add("bundle.too_many_items", max_items=spec.max_items)
    for pick in sorted(picks):
        option = check.catalog.get(pick)
        if (
            option is None
            or option.group != spec.option_group
            or not option.is_orderable(check.now)
        ):
            check.add("bundle.item_not_in_group", item=pick[:64])


def _check_remove(check: _OrderCheck, item: OrderItem) -> None:
    found = check.product(item)
    if found is not None:
        product, offering = found
        if offering.cancellation is CancellationMethod.WRITTEN_REQUEST:
            check.add("order.cancellation_in_writing", offering=offering.id)
        if product.status is ProductStatus.PENDING_TERMINATE:
            check.add("cancellation.already_ending", product=offering.id)


def _check_change_plan(check: _OrderCheck, item: OrderItem) -> None:
    if item.offering_id is None:
        check.add("order.invalid_item", action=item.action.value)
        return
    found = check.product(item)
    target = check.offering(item.offering_id)
    if found is None or target is None:
        return
    product, current = found
    if target.kind is not OfferingKind.PLAN:
        check.add("plan_change.not_a_plan", offering=target.id)
        return
    direction = change_direction(current, target)
    if direction is ChangeDirection.SAME:
        check.add("plan_change.same_plan", offering=target.id)
    elif (
        direction is ChangeDirection.DOWNGRADE
        and product.commitment_end is not None
        and check.now < product.commitment_end
    ):
        check.add(
            "plan_change.downgrade_in_commitment",
            commitment_end=product.commitment_end.isoformat(),
        )


def _check_edit_bundle(check: _OrderCheck, item: OrderItem) -> None:
    found = check.product(item)
    if found is None:
        return
    product, offering = found
    if offering.bundle is None:
        check.add("bundle.not_a_bundle", offering=offering.id)
        return
    _check_picks(check, offering, item.bundle_items)
    current = product.bundle_items
    if product.scheduled is not None and product.scheduled.kind is ScheduledChangeKind.EDIT_BUNDLE:
        current = product.scheduled.bundle_items
    if item.bundle_items == current:
        check.add("bundle.unchanged")


def _pending_edit(product: ProductInstance) -> bool:
    return (
        product.scheduled is not None and product.scheduled.kind is ScheduledChangeKind.EDIT_BUNDLE
    )


def _check_modify(check: _OrderCheck, item: OrderItem) -> None:
    found = check.product(item)
    if found is None:
        return
    _product, offering = found
    if item.quantity < 1:
        check.add("order.invalid_quantity", offering=offering.id)
    elif item.quantity > offering.max_quantity:
        check.add(
            "order.max_quantity_exceeded", offering=offering.id, max_quantity=offering.max_quantity
        )
    if item.asset is None:
        return
    # A new SIM card (ICCID) is activated on a subscription attached to a phone number.
    new_sim = item.asset.kind is AssetKind.ICCID and offering.asset_kind is AssetKind.MSISDN
    if not new_sim:
        _check_asset(check, offering, item.asset)


def _check_together(check: _OrderCheck, added: list[tuple[OrderItem, Offering]]) -> None:
    """Prerequisites, exclusions and quantities across the whole order."""
    live = [p for p in check.live if p.id not in check.removed]
    offerings = check.catalog
    # Products without an asset belong to every scope; the others to their asset's.
    by_asset: dict[Asset | None, list[ProductInstance]] = {}
    for product in live:
        by_asset.setdefault(product.asset, []).append(product)
    unscoped = by_asset.get(None, [])
    changed_to = {
        i.offering_id
        for i in _items_of(check)
        if i.action is OrderAction.CHANGE_PLAN and i.offering_id is not None
    }
    added_by_asset: dict[Asset | None, set[str]] = {}
    same_offering: dict[str, list[OrderItem]] = {}
    for item, offering in added:
        added_by_asset.setdefault(item.asset, set()).add(offering.id)
        same_offering.setdefault(offering.id, []).append(item)
    facts: dict[Asset | None, tuple[list[ProductInstance], set[str], set[str]]] = {}
    for item, offering in added:
        if item.asset not in facts:
            scoped = live if item.asset is None else unscoped + by_asset.get(item.asset, [])
            ordered = (
                set().union(*added_by_asset.values())
                if item.asset is None
                else added_by_asset.get(None, set()) | added_by_asset.get(item.asset, set())
            )
            have_ids = {p.offering_id for p in scoped} | ordered | changed_to
            have_groups = {g for g in (_group(offerings, i) for i in have_ids) if g}
            facts[item.asset] = (scoped, have_ids, have_groups)
        scoped, have_ids, have_groups = facts[item.asset]
        for need in sorted(offering.requires, key=str):
            met = (
                (need.kind is PrerequisiteKind.OFFERING and need.value in have_ids)
                or (need.kind is PrerequisiteKind.GROUP and need.value in have_groups)
                or (
                    need.kind is PrerequisiteKind.CAPABILITY
                    and need.value in check.context.capabilities
                )
            )
            if not met:
                check.add(
                    "order.missing_prerequisite", offering=offering.id, prerequisite=str(need)
                )
        for product in scoped:
            other = offerings.get(product.offering_id)
            if product.offering_id in offering.excludes or (
                other is not None and offering.id in other.excludes
            ):
                check.add(
                    "order.excluded_by_active_product",
                    offering=offering.id,
                    conflicting=product.offering_id,
                )
        if offering.kind is OfferingKind.PLAN and item.asset is not None:
            current = [p for p in by_asset.get(item.asset, []) if _is_plan(offerings, p)]
            if current and all(p.offering_id != offering.id for p in current):
                check.add(
                    "order.plan_already_active",
                    offering=offering.id,
                    current=current[0].offering_id,
                )
        have = sum(p.quantity for p in scoped if p.offering_id == offering.id)
        if have and offering.max_quantity == 1:
            check.add("order.already_active", offering=offering.id)
            continue
        wanted = sum(
            i.quantity
            for i in same_offering[offering.id]
            if None in (i.asset, item.asset) or i.asset == item.asset
        )
        if have + wanted > offering.max_quantity:
            check.add(
                "order.max_quantity_exceeded",
                offering=offering.id,
                max_quantity=offering.max_quantity,
            )
    for index, (item, offering) in enumerate(added):
        for other_item, other in added[index + 1 :]:
            if (other.id in offering.excludes or offering.id in other.excludes) and (
                None in (item.asset, other_item.asset) or item.asset == other_item.asset
            ):
                first, second = sorted((offering.id, other.id))
                check.add("order.conflicting_items", offering=first, conflicting=second)


def _is_plan(catalog: Catalog, product: ProductInstance) -> bool:
    offering = catalog.get(product.offering_id)
    return offering is not None and offering.kind is OfferingKind.PLAN


def _items_of(check: _OrderCheck) -> list[OrderItem]:
    return check.items


def _group(catalog: Catalog, offering_id: str | None) -> str | None:
    offering = catalog.get(offering_id or "")
    return None if offering is None else offering.group


# --------------------------------------------------------------------------- quotes


def product_monthly_price(product: ProductInstance, offering: Offering) -> Money | None:
    """What ``product`` costs a month: a bundle by its pick count, otherwise the
    offering's monthly price times the quantity."""
    if offering.bundle is not None:
        return offering.bundle.price_for(len(product.bundle_items))
    monthly = offering.monthly_price
    return None if monthly is None else monthly * product.quantity


def _difference(new: Money | None, old: Money | None) -> Money | None:
    if new is None and old is None:
        return None
    if new is None:
        return -old if old is not None else None
    if old is None:
        return new
    return new - old


def build_quote(
    items: OrderItem | Sequence[OrderItem],
    context: EligibilityContext,
    *,
    catalog: Catalog,
    now: datetime,
    policy: OrderPolicy = DEFAULT_POLICY,
) -> OrderQuote:
    """The priced order for the confirmation dialog: one line per item naming the
    product, the phone number or other asset, the price effect and when it takes effect.

    Upgrades and new products take effect at once, downgrades at the end of the billing
    period, bundle edits from the next billing period (all changeable by ``policy``);
    a removal ends at :func:`cancellation_end`.

    Raises:
        SelfcareError: every violation of :func:`check_order`; ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    order = [items] if isinstance(items, OrderItem) else list(items)
    check_order(order, context, catalog=catalog, now=moment).raise_for_denial()
    products = {p.id: p for p in context.products}
    lines = [
        _line(index, item, products=products, catalog=catalog, now=moment, policy=policy)
        for index, item in enumerate(order)
    ]
    return OrderQuote(
        relationship_id=context.relationship_id, items=tuple(order), lines=lines, quoted_at=moment
    )


def _line(
    index: int,
    item: OrderItem,
    *,
    products: dict[str, ProductInstance],
    catalog: Catalog,
    now: datetime,
    policy: OrderPolicy,
) -> QuoteLine:
    # check_order has vouched for every id used here.
    if item.action is OrderAction.ADD:
        offering = _known(catalog, item.offering_id)
        monthly = offering.monthly_price
        if offering.bundle is not None:
            monthly = offering.bundle.price_for(len(item.bundle_items))
        elif monthly is not None:
            monthly = monthly * item.quantity
        one_time = offering.one_time_price
        return _make_line(
            index,
            item,
            offering=offering,
            product=None,
            asset=item.asset,
            monthly=monthly,
            one_time=None if one_time is None else one_time * item.quantity,
            when=now,
        )
    product = products[item.product_id or ""]
    current = _known(catalog, product.offering_id)
    old_price = product_monthly_price(product, current)
    target, new_price, one_time, when = current, old_price, None, now
    if item.action is OrderAction.REMOVE:
        new_price = None
        when = cancellation_end(product, now=now, policy=policy)
    elif item.action is OrderAction.CHANGE_PLAN:
        target = _known(catalog, item.offering_id)
        direction = change_direction(current, target)
        timing = policy.upgrade if direction is ChangeDirection.UPGRADE else policy.downgrade
        new_price = product_monthly_price(attrs.evolve(product, offering_id=target.id), target)
        one_time = target.one_time_price
        when = effective_at(timing, now=now, policy=policy)
    elif item.action is OrderAction.EDIT_BUNDLE:
        changed = attrs.evolve(product, bundle_items=item.bundle_items)
        new_price = product_monthly_price(changed, current)
        when = effective_at(policy.bundle_edit, now=now, policy=policy)
    else:
        new_price = product_monthly_price(attrs.evolve(product, quantity=item.quantity), current)
    change = _difference(new_price, old_price)
    return _make_line(
        index,
        item,
        offering=target,
        product=product,
        asset=product.asset
        if item.asset is None or item.asset.kind is AssetKind.ICCID
        else item.asset,
        monthly=None
        if change is None or (change.is_zero and item.action is OrderAction.MODIFY)
        else change,
        one_time=one_time,
        when=when,
    )


def _known(catalog: Catalog, offering_id: str | None) -> Offering:
    offering = catalog.get(offering_id or "")
    if offering is None:  # pragma: no cover - check_order refuses unknown offerings first
        raise SelfcareError(Violation("order.unknown_offering", {"offering": str(offering_id)}))
    return offering


def _make_line(
    index: int,
    item: OrderItem,
    *,
    offering: Offering,
    product: ProductInstance | None,
    asset: Asset | None,
    monthly: Money | None,
    one_time: Money | None,
    when: datetime,
) -> QuoteLine:
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
    )


# --------------------------------------------------------------------------- inventory


_ORDER_TRANSITIONS: Final = {
    OrderState.ACKNOWLEDGED: {OrderState.IN_PROGRESS, OrderState.CANCELLED, OrderState.FAILED},
    OrderState.IN_PROGRESS: {OrderState.COMPLETED, OrderState.FAILED, OrderState.CANCELLED},
}

_PRODUCT_TRANSITIONS: Final = {
    ProductStatus.CREATED: {
        ProductStatus.PENDING_ACTIVE,
        ProductStatus.ACTIVE,
        ProductStatus.TERMINATED,
    },
    ProductStatus.PENDING_ACTIVE: {ProductStatus.ACTIVE, ProductStatus.TERMINATED},
    ProductStatus.ACTIVE: {
        ProductStatus.PENDING_TERMINATE,
        ProductStatus.SUSPENDED,
        ProductStatus.TERMINATED,
    },
    ProductStatus.SUSPENDED: {
        ProductStatus.ACTIVE,
        ProductStatus.PENDING_TERMINATE,
        ProductStatus.TERMINATED,
    },
    ProductStatus.PENDING_TERMINATE: {ProductStatus.ACTIVE, ProductStatus.TERMINATED},
}


def check_order_transition(state: OrderState, target: OrderState) -> Decision:
    """Whether an order may move from ``state`` to ``target`` (TMF622: acknowledged ->
    in_progress -> completed | failed | cancelled).

    Returns:
        A refusal with ``order.invalid_transition`` for any other move.
    """
    if target in _ORDER_TRANSITIONS.get(state, set()):
        return Decision.allow()
    return Decision.deny(
        Violation("order.invalid_transition", {"state": state.value, "target": target.value})
    )


def check_product_transition(status: ProductStatus, target: ProductStatus) -> Decision:
    """Whether a product may move from ``status`` to ``target`` (TMF637 statuses).

    Returns:
        A refusal with ``inventory.invalid_transition`` for any other move.
    """
    if target in _PRODUCT_TRANSITIONS.get(status, set()):
        return Decision.allow()
    return Decision.deny(
        Violation("inventory.invalid_transition", {"status": status.value, "target": target.value})
    )


def apply_due_change(product: ProductInstance, *, now: datetime) -> ProductInstance:
    """``product`` with its scheduled change applied if it is due at ``now`` (a plan
    change or bundle edit from the new billing period, or a termination), version bumped;
    otherwise ``product`` unchanged."""
    from selfcare.core.ports import bump  # noqa: PLC0415

    moment = require_aware(now, "now")
    change = product.scheduled
    if change is None or moment < change.effective_at:
        return product
    if change.kind is ScheduledChangeKind.TERMINATE:
        return bump(product, status=ProductStatus.TERMINATED, scheduled=None)
    if change.kind is ScheduledChangeKind.CHANGE_PLAN:
        return bump(product, offering_id=change.offering_id, scheduled=None)
    return bump(product, bundle_items=change.bundle_items, scheduled=None)


@final
@attrs.frozen(kw_only=True)
class OrderedService:
    """One row of seed 002's "ordered services" view."""

    product_id: str
    offering_id: str
    name: str
    asset: str | None
    status: ProductStatus
    start: datetime | None
    end: datetime | None
    until_further_notice: bool
    cancellable_in_portal: bool
    pending_change: ScheduledChange | None


def ordered_services(
    products: Iterable[ProductInstance],
    catalog: Catalog,
    *,
    now: datetime,
    lang: str = "en",
) -> tuple[OrderedService, ...]:
    """The customer's services with their start and end dates, oldest first: every
    product that is not terminated and has not ended at ``now``. The end is the
    cancellation end if the product is ending, else the end of a fixed term, else
    ``None`` ("until further notice").

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    rows = []
    for product in products:
        if not product.is_live_at(moment):
            continue
        offering = catalog.get(product.offering_id)
        end = product.end or product.commitment_end
        rows.append(
            OrderedService(
                product_id=product.id,
                offering_id=product.offering_id,
                name=offering.names.get(lang) if offering else product.offering_id,
                asset=None if product.asset is None else product.asset.value,
                status=product.status,
                start=product.start,
                end=end,
                until_further_notice=end is None,
                cancellable_in_portal=offering is not None
                and offering.cancellation is CancellationMethod.PORTAL,
                pending_change=product.scheduled,
            )
        )
    rows.sort(key=lambda r: (r.start is None, r.start or moment, r.product_id))
    return tuple(rows)


class ServiceState(enum.StrEnum):
    """What seed 004's "available services" list shows beside a service."""

    ORDERABLE = "orderable"
    ORDERED = "ordered"
    NOT_ORDERABLE = "not_orderable"


@final
@attrs.frozen(kw_only=True)
class AvailableService:
    """One row of the "available services" list: the offering, its state, and the
    decision that explains a ``not_orderable`` state."""

    offering: Offering
    state: ServiceState
    decision: Decision


def available_services(
    context: EligibilityContext,
    *,
    catalog: Catalog,
    now: datetime,
    group: str,
    asset: Asset | None = None,
) -> tuple[AvailableService, ...]:
    """Seed 004's list of services for a subscription: each orderable offering of
    ``group`` with an "order" action (``orderable``), "ordered" when the customer already
    has it on ``asset``, or ``not_orderable`` with the refusal that says why. Offerings
    that cannot be ordered at ``now`` at all (retired, outside their window) are left out.

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    live = [p for p in context.products if p.is_live_at(moment)]
    rows = []
    for offering in catalog.in_group(group):
        if not offering.is_orderable(moment):
            continue
        held = any(
            p.offering_id == offering.id and (asset is None or p.asset in (None, asset))
            for p in live
        )
        item = OrderItem.add(offering.id, asset=asset if offering.asset_kind else None)
        decision = check_order(item, context, catalog=catalog, now=moment)
        if held:
            state = ServiceState.ORDERED
        elif decision.allowed:
            state = ServiceState.ORDERABLE
        else:
            state = ServiceState.NOT_ORDERABLE
        rows.append(AvailableService(offering=offering, state=state, decision=decision))
    return tuple(rows)
