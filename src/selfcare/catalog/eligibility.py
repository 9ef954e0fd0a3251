"""Eligibility: whether a customer may place an order, as one small rule per reason.

:func:`check_order` checks every item of an order together against plain facts: the
:class:`~selfcare.catalog.offerings.Catalog`, an :class:`EligibilityContext` the caller
gathers (the customer relationship, the billing agreement, the authz decision for the
``order`` permission, whether the phone number is confirmed, the products the customer
has) and ``now``. Each rule below is a pure function returning the violations of one
reason (an empty tuple when it holds); :func:`check_order` collects every violation of
every rule, so a refusal lists all that applies.

>>> from datetime import datetime, UTC
>>> from selfcare.catalog.orders import OrderItem
>>> from selfcare.catalog.sample import sample_catalog
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

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Final, TypeVar, final

import attrs

from selfcare.catalog._fields import string_set
from selfcare.catalog.bundles import (
    not_a_bundle_violations,
    pick_violations,
    unchanged_pick_violations,
)
from selfcare.catalog.cancellation import already_ending_violations, in_writing_violations
from selfcare.catalog.dependencies import order_dependency_violations
from selfcare.catalog.inventory import Asset, ProductInstance, picks_in_effect
from selfcare.catalog.offerings import (
    AssetKind,
    Catalog,
    Offering,
    OfferingKind,
    Prerequisite,
    PrerequisiteKind,
)
from selfcare.catalog.orders import OrderAction, OrderItem
from selfcare.catalog.plan_changes import plan_change_violations
from selfcare.core.clock import require_aware
from selfcare.core.decision import Decision, Violation
from selfcare.core.ids import RelationshipId

__all__ = [
    "EligibilityContext",
    "Holdings",
    "already_active_violations",
    "asset_violations",
    "availability_violations",
    "check_order",
    "conflicting_item_violations",
    "empty_order_violations",
    "exclusion_violations",
    "holdings_for",
    "inactive_relationship_violations",
    "max_quantity_violations",
    "missing_billing_agreement_violations",
    "missing_prerequisite_violations",
    "missing_target_violations",
    "modified_quantity_violations",
    "permission_violations",
    "positive_quantity_violations",
    "second_plan_violations",
    "self_service_violations",
    "unknown_product_violations",
]

Violations = tuple[Violation, ...]
T = TypeVar("T")


def _products(value: Iterable[ProductInstance]) -> tuple[ProductInstance, ...]:
    return tuple(value)


@final
@attrs.frozen(kw_only=True)
class EligibilityContext:
    """The plain facts an order is checked against, gathered by the caller.

    Attributes:
        relationship_id: the customer relationship the order is for.
        relationship_active: whether it is a valid, active customer relationship.
        has_billing_agreement: whether it has a billing agreement (the telecom ordering guide).
        permission: the authz decision for the ``order`` permission on the
            relationship (the caller runs the permission check).
        phone_number_confirmed: whether the user's phone number is confirmed, i.e.
            self-service is activated (the corporate mobile guide).
        capabilities: what the caller vouches for, e.g. ``pay_tv_card``.
        products: the relationship's products (terminated ones are ignored).
    """

    relationship_id: RelationshipId
    relationship_active: bool
    has_billing_agreement: bool
    permission: Decision
    phone_number_confirmed: bool = True
    capabilities: frozenset[str] = attrs.field(default=frozenset(), converter=string_set)
    products: tuple[ProductInstance, ...] = attrs.field(default=(), converter=_products)


# --------------------------------------------------------------------------- the customer


def empty_order_violations(items: Sequence[OrderItem]) -> Violations:
    """``order.empty``: an order without items."""
    return () if items else (Violation("order.empty", {}),)


def inactive_relationship_violations(context: EligibilityContext) -> Violations:
    """``order.no_active_relationship``: the customer relationship is not active."""
    if context.relationship_active:
        return ()
    return (Violation("order.no_active_relationship", {}),)


def missing_billing_agreement_violations(context: EligibilityContext) -> Violations:
    """``order.no_billing_agreement``: nobody has agreed to pay (the telecom ordering guide)."""
    if context.has_billing_agreement:
        return ()
    return (Violation("order.no_billing_agreement", {}),)


def permission_violations(context: EligibilityContext) -> Violations:
    """``order.permission_denied``, its ``reasons`` the authz decision's codes."""
    if context.permission.allowed:
        return ()
    return (Violation("order.permission_denied", {"reasons": context.permission.codes}),)


def self_service_violations(context: EligibilityContext) -> Violations:
    """``order.self_service_not_activated``: the phone number is not confirmed (the
    corporate mobile guide)."""
    if context.phone_number_confirmed:
        return ()
    return (Violation("order.self_service_not_activated", {}),)


# --------------------------------------------------------------------------- one item


def missing_target_violations(item: OrderItem) -> Violations:
    """``order.invalid_item``: an item lacks the offering or the product it needs."""
    needs_offering = item.action in {OrderAction.ADD, OrderAction.CHANGE_PLAN}
    needs_product = item.action is not OrderAction.ADD
    if (needs_offering and item.offering_id is None) or (needs_product and item.product_id is None):
        return (Violation("order.invalid_item", {"action": item.action.value}),)
    return ()


def availability_violations(offering_id: str, *, catalog: Catalog, now: datetime) -> Violations:
    """``order.unknown_offering`` for an offering not in the catalog,
    ``order.offering_not_available`` for one retired or outside its validity window."""
    offering = catalog.find(offering_id)
    if offering is None:
        return (Violation("order.unknown_offering", {"offering": offering_id[:64]}),)
    if not offering.is_orderable(now):
        return (Violation("order.offering_not_available", {"offering": offering_id}),)
    return ()


def unknown_product_violations(
    product_id: str,
    *,
    live: Mapping[str, ProductInstance],
    relationship_id: RelationshipId,
    catalog: Catalog,
) -> Violations:
    """``order.unknown_product`` for a change to a product the customer does not have
    (or no longer has), ``order.unknown_offering`` for one whose offering left the
    catalog."""
    product = live.get(product_id)
    if product is None or product.relationship_id != relationship_id:
        return (Violation("order.unknown_product", {"product": product_id[:64]}),)
    if product.offering_id not in catalog:
        return (Violation("order.unknown_offering", {"offering": product.offering_id}),)
    return ()


def positive_quantity_violations(offering: Offering, quantity: int) -> Violations:
    """``order.invalid_quantity``: a quantity below one."""
    if quantity < 1:
        return (Violation("order.invalid_quantity", {"offering": offering.id}),)
    return ()


def modified_quantity_violations(offering: Offering, quantity: int) -> Violations:
    """A product's new quantity: ``order.invalid_quantity`` below one,
    ``order.max_quantity_exceeded`` above the offering's maximum."""
    if quantity > offering.max_quantity:
        return (_max_quantity_exceeded(offering),)
    return positive_quantity_violations(offering, quantity)


def asset_violations(offering: Offering, asset: Asset | None) -> Violations:
    """``order.asset_required``: the item does not name the phone number, SIM or metering
    point the offering applies to."""
    kind = offering.asset_kind
    if kind is None or (asset is not None and asset.kind is kind):
        return ()
    return (Violation("order.asset_required", {"offering": offering.id, "asset_kind": kind.value}),)


def _is_new_sim(offering: Offering, asset: Asset) -> bool:
    # A new SIM card (ICCID) is activated on a subscription attached to a phone number.
    return asset.kind is AssetKind.ICCID and offering.asset_kind is AssetKind.MSISDN


@final
@attrs.frozen(kw_only=True)
class _Facts:
    """What every item of one order is checked against (gathered once, never changed)."""

    context: EligibilityContext
    catalog: Catalog
    now: datetime
    live_products: tuple[ProductInstance, ...]
    live: Mapping[str, ProductInstance]

    def target(self, item: OrderItem) -> tuple[ProductInstance, Offering]:
        # Only called once unknown_product_violations found nothing.
        product = self.live[item.product_id or ""]
        offering = self.catalog.find(product.offering_id)
        assert offering is not None  # noqa: S101 - unknown_product_violations checked it
        return product, offering

    def unknown_product(self, item: OrderItem) -> Violations:
        return unknown_product_violations(
            item.product_id or "",
            live=self.live,
            relationship_id=self.context.relationship_id,
            catalog=self.catalog,
        )


def _add_violations(item: OrderItem, facts: _Facts) -> Violations:
    offering_id = item.offering_id or ""
    found = availability_violations(offering_id, catalog=facts.catalog, now=facts.now)
    offering = facts.catalog.find(offering_id)
    if offering is None:
        return found
    found += positive_quantity_violations(offering, item.quantity)
    found += asset_violations(offering, item.asset)
    if offering.bundle is not None:
        found += pick_violations(
            offering.bundle, item.bundle_items, catalog=facts.catalog, now=facts.now
        )
    return found


def _remove_violations(item: OrderItem, facts: _Facts) -> Violations:
    unknown = facts.unknown_product(item)
    if unknown:
        return unknown
    product, offering = facts.target(item)
    return in_writing_violations(offering) + already_ending_violations(product)


def _change_plan_violations(item: OrderItem, facts: _Facts) -> Violations:
    target_id = item.offering_id or ""
    unknown = facts.unknown_product(item)
    availability = availability_violations(target_id, catalog=facts.catalog, now=facts.now)
    target = facts.catalog.find(target_id)
    if unknown or target is None:
        return unknown + availability
    product, current = facts.target(item)
    return availability + plan_change_violations(product, current, target, now=facts.now)


def _edit_bundle_violations(item: OrderItem, facts: _Facts) -> Violations:
    unknown = facts.unknown_product(item)
    if unknown:
        return unknown
    product, offering = facts.target(item)
    if offering.bundle is None:
        return not_a_bundle_violations(offering)
    picks = item.bundle_items
    return pick_violations(
        offering.bundle, picks, catalog=facts.catalog, now=facts.now
    ) + unchanged_pick_violations(picks_in_effect(product), picks)


def _modify_violations(item: OrderItem, facts: _Facts) -> Violations:
    unknown = facts.unknown_product(item)
    if unknown:
        return unknown
    _product, offering = facts.target(item)
    found = modified_quantity_violations(offering, item.quantity)
    if item.asset is not None and not _is_new_sim(offering, item.asset):
        found += asset_violations(offering, item.asset)
    return found


_ITEM_RULES: Final[Mapping[OrderAction, Callable[[OrderItem, _Facts], Violations]]] = {
    OrderAction.ADD: _add_violations,
    OrderAction.REMOVE: _remove_violations,
    OrderAction.CHANGE_PLAN: _change_plan_violations,
    OrderAction.EDIT_BUNDLE: _edit_bundle_violations,
    OrderAction.MODIFY: _modify_violations,
}


def _item_violations(item: OrderItem, facts: _Facts) -> Violations:
    return missing_target_violations(item) or _ITEM_RULES[item.action](item, facts)


# --------------------------------------------------------------------------- the whole order


@final
@attrs.frozen(kw_only=True)
class Holdings:
    """What the customer has, or will have once the order is placed, where an added item
    lands: the products held in its scope (the item's phone number or other asset, plus
    the products attached to none), the offerings held, ordered or changed to there,
    and their groups."""

    products: tuple[ProductInstance, ...] = attrs.field(converter=_products)
    offering_ids: frozenset[str] = attrs.field(converter=string_set)
    groups: frozenset[str] = attrs.field(converter=string_set)


def _in_scope(first: Asset | None, second: Asset | None) -> bool:
    # A product or item without an asset belongs to every scope.
    return first is None or second is None or first == second


def holdings_for(
    *,
    products: Iterable[ProductInstance],
    ordered: Iterable[str],
    changed_to: Iterable[str],
    catalog: Catalog,
) -> Holdings:
    """The :class:`Holdings` where an added item lands: ``products`` are the live
    products in its scope that the order does not remove, ``ordered`` the offerings the
    order adds in that scope, ``changed_to`` the plans it changes to."""
    held = tuple(products)
    ids = {p.offering_id for p in held} | set(ordered) | set(changed_to)
    groups = {offering.group for offering in map(catalog.find, ids) if offering}
    return Holdings(products=held, offering_ids=ids, groups=groups)


def _by_asset(pairs: Iterable[tuple[Asset | None, T]]) -> dict[Asset | None, list[T]]:
    grouped: dict[Asset | None, list[T]] = {}
    for asset, value in pairs:
        grouped.setdefault(asset, []).append(value)
    return grouped


def _in_scope_of(
    asset: Asset | None, everything: Sequence[T], by_asset: Mapping[Asset | None, Sequence[T]]
) -> tuple[T, ...]:
    if asset is None:
        return tuple(everything)
    # what is attached to no asset first, as it is everywhere
    return (*by_asset.get(None, ()), *by_asset.get(asset, ()))


def _prerequisite_met(need: Prerequisite, holdings: Holdings, capabilities: frozenset[str]) -> bool:
    if need.kind is PrerequisiteKind.OFFERING:
        return need.value in holdings.offering_ids
    if need.kind is PrerequisiteKind.GROUP:
        return need.value in holdings.groups
    return need.value in capabilities


def missing_prerequisite_violations(
    offering: Offering, holdings: Holdings, capabilities: frozenset[str]
) -> Violations:
    """``order.missing_prerequisite`` for each prerequisite of ``offering`` that neither
    the holdings nor the caller's capabilities meet (``prerequisite`` names it, e.g.
    ``capability:pay_tv_card``)."""
    return tuple(
        Violation(
            "order.missing_prerequisite", {"offering": offering.id, "prerequisite": str(need)}
        )
        for need in sorted(offering.requires, key=str)
        if not _prerequisite_met(need, holdings, capabilities)
    )


def _excludes(offering: Offering, other_id: str, catalog: Catalog) -> bool:
    other = catalog.find(other_id)
    return other_id in offering.excludes or (other is not None and offering.id in other.excludes)


def exclusion_violations(offering: Offering, holdings: Holdings, catalog: Catalog) -> Violations:
    """``order.excluded_by_active_product`` for each held product that ``offering``
    excludes or that excludes it."""
    return tuple(
        Violation(
            "order.excluded_by_active_product",
            {"offering": offering.id, "conflicting": product.offering_id},
        )
        for product in holdings.products
        if _excludes(offering, product.offering_id, catalog)
    )


def second_plan_violations(
    item: OrderItem, offering: Offering, on_asset: Sequence[ProductInstance], catalog: Catalog
) -> Violations:
    """``order.plan_already_active``: a second plan on a phone number that has one
    (change the plan instead); ``on_asset`` are the products on the item's asset."""
    if offering.kind is not OfferingKind.PLAN or item.asset is None:
        return ()
    plans = [p for p in on_asset if _is_plan(catalog.find(p.offering_id))]
    if plans and all(p.offering_id != offering.id for p in plans):
        current = plans[0].offering_id
        return (
            Violation("order.plan_already_active", {"offering": offering.id, "current": current}),
        )
    return ()


def _is_plan(offering: Offering | None) -> bool:
    return offering is not None and offering.kind is OfferingKind.PLAN


def already_active_violations(offering: Offering, held: int) -> Violations:
    """``order.already_active``: ordering again an offering of which one may be held."""
    if held and offering.max_quantity == 1:
        return (Violation("order.already_active", {"offering": offering.id}),)
    return ()


def _max_quantity_exceeded(offering: Offering) -> Violation:
    return Violation(
        "order.max_quantity_exceeded",
        {"offering": offering.id, "max_quantity": offering.max_quantity},
    )


def max_quantity_violations(offering: Offering, held: int, wanted: int) -> Violations:
    """``order.max_quantity_exceeded``: what is held and what is ordered together exceed
    the offering's maximum."""
    if held + wanted > offering.max_quantity:
        return (_max_quantity_exceeded(offering),)
    return ()


def _quantity_violations(
    item: OrderItem, offering: Offering, holdings: Holdings, order: Sequence[OrderItem]
) -> Violations:
    held = sum(p.quantity for p in holdings.products if p.offering_id == offering.id)
    wanted = sum(
        other.quantity
        for other in order
        if other.action is OrderAction.ADD
        and other.offering_id == offering.id
        and _in_scope(other.asset, item.asset)
    )
    return already_active_violations(offering, held) or max_quantity_violations(
        offering, held, wanted
    )


def conflicting_item_violations(added: Sequence[tuple[OrderItem, Offering]]) -> Violations:
    """``order.conflicting_items`` for each two added items, on one phone number or other
    asset, of which one excludes the other."""
    found = []
    for index, (item, offering) in enumerate(added):
        for other_item, other in added[index + 1 :]:
            exclusive = other.id in offering.excludes or offering.id in other.excludes
            if exclusive and _in_scope(item.asset, other_item.asset):
                first, second = sorted((offering.id, other.id))
                found.append(
                    Violation("order.conflicting_items", {"offering": first, "conflicting": second})
                )
    return tuple(found)


def _order_violations(order: Sequence[OrderItem], facts: _Facts) -> Violations:
    """Prerequisites, exclusions, one plan per phone and quantities of each added item,
    against what is held and what the order adds; then conflicts between added items."""
    removed = {i.product_id for i in order if i.action is OrderAction.REMOVE}
    kept = [p for p in facts.live_products if p.id not in removed]
    changed_to = {
        i.offering_id
        for i in order
        if i.action is OrderAction.CHANGE_PLAN and i.offering_id is not None
    }
    added = [
        (item, offering)
        for item in order
        if item.action is OrderAction.ADD
        and (offering := facts.catalog.find(item.offering_id or "")) is not None
    ]
    by_asset = _by_asset((p.asset, p) for p in kept)
    added_ids = [offering.id for _, offering in added]
    added_by_asset = _by_asset((item.asset, offering.id) for item, offering in added)
    holdings_by_asset = {
        asset: holdings_for(
            products=_in_scope_of(asset, kept, by_asset),
            ordered=_in_scope_of(asset, added_ids, added_by_asset),
            changed_to=changed_to,
            catalog=facts.catalog,
        )
        for asset in added_by_asset
    }
    found: list[Violation] = []
    for item, offering in added:
        holdings = holdings_by_asset[item.asset]
        found += missing_prerequisite_violations(offering, holdings, facts.context.capabilities)
        found += exclusion_violations(offering, holdings, facts.catalog)
        on_asset = by_asset.get(item.asset, ())
        found += second_plan_violations(item, offering, on_asset, facts.catalog)
        found += _quantity_violations(item, offering, holdings, order)
    return (*found, *conflicting_item_violations(added))


def _unique(violations: Iterable[Violation]) -> list[Violation]:
    return list(dict.fromkeys(violations))


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
        violation that applies (each once):

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
        - ``order.dependent_products``: removing or changing a product whose offering
          refuses to leave the add-ons that need it (``dependants`` names them);
        - ``order.already_active``, ``order.max_quantity_exceeded``,
          ``order.invalid_quantity``;
        - ``order.asset_required``: the item does not name the phone number, SIM or
          metering point the offering applies to;
        - ``order.unknown_product``: a change to a product the customer does not have;
        - ``order.cancellation_in_writing``: removing a product that can only be
          cancelled in writing;
        - ``bundle.not_a_bundle``, ``bundle.too_few_items``, ``bundle.too_many_items``,
          ``bundle.item_not_in_group``, ``bundle.unchanged``;
        - ``plan_change.same_plan``, ``plan_change.not_a_plan``, ``plan_change.other_currency``,
          ``plan_change.downgrade_in_commitment``.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    order = (items,) if isinstance(items, OrderItem) else tuple(items)
    live = tuple(p for p in context.products if p.is_live_at(moment))
    facts = _Facts(
        context=context,
        catalog=catalog,
        now=moment,
        live_products=live,
        live={p.id: p for p in live},
    )
    found = [
        *empty_order_violations(order),
        *inactive_relationship_violations(context),
        *missing_billing_agreement_violations(context),
        *permission_violations(context),
        *self_service_violations(context),
    ]
    for item in order:
        found += _item_violations(item, facts)
    found += _order_violations(order, facts)
    found += order_dependency_violations(order, facts.live, catalog)
    return Decision.from_violations(_unique(found))
