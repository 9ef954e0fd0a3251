"""Eligibility of a 20-item order, and how it grows with the size of the catalog.

The customer has 200 active products (100 subscriptions, each with an add-on); the
order adds 20 add-ons to phone numbers the customer has. Beside it, in the same run:

- a naive implementation of the same checks (list scans instead of the catalog's id
  index and the per-order product index), the usual first version of such a rule;
- the cost of building the facts: the :class:`EligibilityContext` and the indexed
  :class:`Catalog` (which the caller builds once per catalog publication, not per order).
"""

from __future__ import annotations

from datetime import UTC, datetime

from harness import Report, median_of

from selfcare.catalog import (
    Asset,
    AssetKind,
    Catalog,
    EligibilityContext,
    LocalizedText,
    Offering,
    OfferingKind,
    OrderItem,
    Prerequisite,
    PrerequisiteKind,
    Price,
    PriceType,
    ProductInstance,
    ProductStatus,
    check_order,
)
from selfcare.core.decision import Decision
from selfcare.core.ids import RelationshipId
from selfcare.core.money import Money

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
REL = RelationshipId("rel-1")
NAMES = LocalizedText(en="x", fi="x", sv="x", nb="x")
PRICE = (Price(PriceType.RECURRING, Money("9.90", "NOK")),)


def build_offerings(size: int) -> list[Offering]:
    """``size`` offerings: 10 plans and add-ons that exclude their neighbour."""
    plans = [
        Offering(
            id=f"plan_{i}",
            names=NAMES,
            group="plans",
            kind=OfferingKind.PLAN,
            prices=PRICE,
            asset_kind=AssetKind.MSISDN,
            family="total",
            family_rank=i,
        )
        for i in range(10)
    ]
    needs_plan = frozenset({Prerequisite(PrerequisiteKind.GROUP, "plans")})
    addons = [
        Offering(
            id=f"addon_{i}",
            names=NAMES,
            group="addons",
            kind=OfferingKind.ADD_ON,
            prices=PRICE,
            asset_kind=AssetKind.MSISDN,
            requires=needs_plan,
            excludes=frozenset({f"addon_{i + 1}"}),
        )
        for i in range(size - len(plans))
    ]
    return plans + addons


PHONES = [Asset(AssetKind.MSISDN, f"+47412{i:05d}") for i in range(100)]


def _spread(size: int, index: int, count: int, offset: int) -> str:
    # add-on ids spread over the whole catalog; 4k + offset so none are neighbours
    # (add-on i excludes add-on i + 1)
    slots = (size - 10) // 4
    return f"addon_{4 * ((index * slots) // count) + offset}"


def build_products(size: int) -> list[ProductInstance]:
    """200 products: 100 subscriptions, each with one add-on."""
    products = []
    for i, phone in enumerate(PHONES):
        for offering_id in (f"plan_{i % 10}", _spread(size, i, len(PHONES), 2)):
            products.append(
                ProductInstance(
                    id=f"p{len(products)}",
                    offering_id=offering_id,
                    relationship_id=REL,
                    status=ProductStatus.ACTIVE,
                    asset=phone,
                )
            )
    return products


def build_order(size: int) -> list[OrderItem]:
    """20 add-ons, spread over the catalog, each on one of the customer's numbers."""
    return [OrderItem.add(_spread(size, i, 20, 0), asset=PHONES[5 * i]) for i in range(20)]


def build_context(products: list[ProductInstance]) -> EligibilityContext:
    return EligibilityContext(
        relationship_id=REL,
        relationship_active=True,
        has_billing_agreement=True,
        permission=Decision.allow(),
        products=products,
    )


def naive_check(
    items: list[OrderItem], products: list[ProductInstance], offerings: list[Offering]
) -> bool:
    """The same rules written with scans: find each offering by walking the list."""

    def find(offering_id: str) -> Offering | None:
        return next((o for o in offerings if o.id == offering_id), None)

    ok = True
    for item in items:
        offering = find(item.offering_id or "")
        if offering is None or not offering.is_orderable(NOW):
            ok = False
            continue
        mine = [p for p in products if p.asset in (None, item.asset)]
        for need in offering.requires:
            if not any((o := find(p.offering_id)) and o.group == need.value for p in mine):
                ok = False
        for product in mine:
            other = find(product.offering_id)
            if product.offering_id in offering.excludes or (
                other and offering.id in other.excludes
            ):
                ok = False
        if any(p.offering_id == offering.id for p in mine):
            ok = False
    return ok


def run(report: Report) -> None:
    report.heading("catalog: eligibility of a 20-item order, 200 active products")
    timings = {}
    for size in (500, 5_000, 50_000):
        offerings = build_offerings(size)
        catalog = Catalog(offerings)
        products = build_products(size)
        context = build_context(products)
        order = build_order(size)
        decision = check_order(order, context, catalog=catalog, now=NOW)
        assert decision.allowed, decision.codes

        def ours_once(
            c: Catalog = catalog, ctx: EligibilityContext = context, o: list[OrderItem] = order
        ) -> Decision:
            return check_order(o, ctx, catalog=c, now=NOW)

        ours = median_of(ours_once, repeat=9)
        timings[size] = ours
        if size <= 5_000:
            assert naive_check(order, products, offerings)
            naive = median_of(
                lambda o=order, p=products, f=offerings: naive_check(o, p, f), repeat=3
            )
            report.ratio(f"check_order, {size} offerings", ours, naive, "naive list scans")
        else:
            report.figure(f"check_order, {size} offerings", f"{ours * 1e3:.3f} ms")
        if size == 5_000:
            facts = median_of(lambda p=products: build_context(p), repeat=9)
            report.ratio("building the EligibilityContext", facts, ours, "check_order")
            index = median_of(lambda o=offerings: Catalog(o), repeat=5)
            report.ratio(
                "building the indexed Catalog (once per publication)", index, ours, "check_order"
            )
    report.figure(
        "growth 500 -> 5 000 -> 50 000 offerings",
        f"{timings[5_000] / timings[500]:.2f}x, {timings[50_000] / timings[500]:.2f}x",
        "id lookups are O(1): the cost follows the order and the products, not the catalog",
    )
