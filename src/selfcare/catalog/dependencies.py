"""Dependencies: the add-ons that need a product (TMF637 ``productRelationship``
of type ``requires``), and what removing or changing that product does to them.

An add-on *depends on* a product when one of its prerequisites (an offering or a group)
is met by that product alone, on the same phone number or other asset. Removing the
product, cancelling it, or changing it to a plan that does not meet the prerequisite
would leave the add-on orphaned (Kill Bill's #1630/#1477); the product's offering says
what happens instead (:class:`~selfcare.catalog.offerings.DependentAddOns`): the
add-ons go with it, shown in the quote, or the change is refused naming them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import final

import attrs

from selfcare.catalog.inventory import Asset, ProductInstance, ProductStatus
from selfcare.catalog.offerings import Catalog, DependentAddOns, Offering, PrerequisiteKind
from selfcare.catalog.orders import OrderAction, OrderItem
from selfcare.core.decision import Violation

__all__ = [
    "BaseChange",
    "base_end",
    "dependants_of",
    "dependent_product_violations",
    "order_changes",
    "order_dependency_violations",
    "with_dependants",
]


@final
@attrs.frozen(kw_only=True)
class BaseChange:
    """A product that an order removes (``target`` is ``None``) or changes to
    ``target``."""

    product: ProductInstance
    target: Offering | None = None


def _in_scope(first: Asset | None, second: Asset | None) -> bool:
    return first is None or second is None or first == second


def _provides(offering: Offering | None, kind: PrerequisiteKind, value: str) -> bool:
    if offering is None:
        return False
    if kind is PrerequisiteKind.OFFERING:
        return offering.id == value
    return offering.group == value


def _needs_it(
    candidate: ProductInstance,
    change: BaseChange,
    kept: Iterable[ProductInstance],
    catalog: Catalog,
) -> bool:
    """Whether ``candidate`` has a prerequisite that ``change.product`` meets now and
    nothing meets once the change is made."""
    offering = catalog.find(candidate.offering_id)
    base = catalog.find(change.product.offering_id)
    if offering is None or not _in_scope(candidate.asset, change.product.asset):
        return False
    others = [
        catalog.find(p.offering_id)
        for p in kept
        if p.id not in {candidate.id, change.product.id} and _in_scope(p.asset, candidate.asset)
    ]
    for need in offering.requires:
        if need.kind is PrerequisiteKind.CAPABILITY or not _provides(base, need.kind, need.value):
            continue
        if _provides(change.target, need.kind, need.value):
            continue
        if not any(_provides(other, need.kind, need.value) for other in others):
            return True
    return False


def dependants_of(
    changes: Iterable[BaseChange], live: Iterable[ProductInstance], catalog: Catalog
) -> Mapping[str, str]:
    """The live products that removing or changing the products of ``changes`` would
    orphan, by product id, each with the id of the product it needs; add-ons of those
    add-ons too. Products the changes themselves remove count as gone.

    >>> from datetime import datetime, UTC
    >>> from selfcare.catalog.inventory import ProductStatus
    >>> from selfcare.catalog.sample import sample_catalog
    >>> phone = Asset.msisdn("+4741234567")
    >>> def held(product_id, offering_id):
    ...     return ProductInstance(id=product_id, offering_id=offering_id, asset=phone,
    ...         relationship_id="rel-1", status=ProductStatus.ACTIVE)
    >>> plan, extra = held("p-1", "bedrift_total_c_10gb"), held("p-2", "extra_data_5gb")
    >>> dict(dependants_of([BaseChange(product=plan)], [plan, extra], sample_catalog()))
    {'p-2': 'p-1'}
    """
    pending = list(changes)
    products = list(live)
    gone = {c.product.id for c in pending if c.target is None}
    found: dict[str, str] = {}
    while pending:
        change = pending.pop()
        kept = [p for p in products if p.id not in gone]
        for candidate in kept:
            if candidate.id == change.product.id or candidate.id in found:
                continue
            if _needs_it(candidate, change, kept, catalog):
                found[candidate.id] = change.product.id
                gone.add(candidate.id)
                pending.append(BaseChange(product=candidate))
    return found


def dependent_product_violations(
    dependants: Mapping[str, str],
    products: Mapping[str, ProductInstance],
    catalog: Catalog,
    *,
    removed: Collection[str],
) -> tuple[Violation, ...]:
    """``order.dependent_products`` for each product whose offering refuses to leave its
    add-ons behind (:attr:`~selfcare.catalog.offerings.DependentAddOns.REFUSE`), naming
    the add-ons (``dependants``, offering ids) the order does not remove itself."""
    named: dict[str, list[str]] = {}
    for dependant_id, base_id in dependants.items():
        base = products[base_id]
        offering = catalog.find(base.offering_id)
        if dependant_id in removed or offering is None:
            continue
        if offering.dependent_add_ons is DependentAddOns.REFUSE:
            named.setdefault(base.offering_id, []).append(products[dependant_id].offering_id)
    return tuple(
        Violation("order.dependent_products", {"offering": base, "dependants": tuple(sorted(ids))})
        for base, ids in sorted(named.items())
    )


def order_changes(
    order: Iterable[OrderItem], live: Mapping[str, ProductInstance], catalog: Catalog
) -> tuple[BaseChange, ...]:
    """The removals and plan changes of ``order`` on live products, as
    :class:`BaseChange` values (items on unknown products are left out: the eligibility
    rules refuse them)."""
    found = []
    for item in order:
        product = live.get(item.product_id or "")
        if product is None:
            continue
        if item.action is OrderAction.REMOVE:
            found.append(BaseChange(product=product))
        elif item.action is OrderAction.CHANGE_PLAN:
            target = catalog.find(item.offering_id or "")
            if target is not None:
                found.append(BaseChange(product=product, target=target))
    return tuple(found)


def with_dependants(
    order: Sequence[OrderItem], live: Mapping[str, ProductInstance], catalog: Catalog
) -> tuple[tuple[OrderItem, ...], Mapping[str, str]]:
    """``order`` with a removal of every add-on its removals and plan changes orphan,
    where the product's offering takes its add-ons with it (those already being
    cancelled end anyway), and which product each orphan needed."""
    dependants = dependants_of(order_changes(order, live, catalog), live.values(), catalog)
    removed = {item.product_id for item in order if item.action is OrderAction.REMOVE}
    extra = []
    for dependant_id, base_id in dependants.items():
        base = catalog.find(live[base_id].offering_id)
        dependant = live[dependant_id]
        if (
            dependant_id in removed
            or base is None
            or base.dependent_add_ons is not DependentAddOns.REMOVE_WITH_BASE
            or dependant.status is ProductStatus.PENDING_TERMINATE
        ):
            continue
        extra.append(OrderItem.remove(dependant_id))
    return (*order, *extra), dependants


def order_dependency_violations(
    order: Sequence[OrderItem], live: Mapping[str, ProductInstance], catalog: Catalog
) -> tuple[Violation, ...]:
    """``order.dependent_products`` for the add-ons ``order`` would orphan and their
    product's offering does not let go (see :func:`dependent_product_violations`)."""
    dependants = dependants_of(order_changes(order, live, catalog), live.values(), catalog)
    removed = {item.product_id or "" for item in order if item.action is OrderAction.REMOVE}
    return dependent_product_violations(dependants, live, catalog, removed=removed)


def base_end(
    product: ProductInstance, live: Iterable[ProductInstance], catalog: Catalog
) -> datetime | None:
    """When the products ``product`` needs all end, if they do: an add-on ordered on a
    plan that is being cancelled ends with it, so that it never outlives it. ``None``
    when some product that meets each of its needs does not end."""
    offering = catalog.find(product.offering_id)
    if offering is None:
        return None
    others = [p for p in live if p.id != product.id and _in_scope(p.asset, product.asset)]
    ends: list[datetime] = []
    for need in offering.requires:
        if need.kind is PrerequisiteKind.CAPABILITY:
            continue
        providers = [
            p for p in others if _provides(catalog.find(p.offering_id), need.kind, need.value)
        ]
        if providers and all(p.end is not None for p in providers):
            ends.append(max(p.end for p in providers if p.end is not None))
    return min(ends, default=None)
