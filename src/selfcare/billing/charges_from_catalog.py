"""Charges from the catalog: the customer's products, as the services and plan changes
billing charges.

The catalog (the layer below) knows products, offerings and scheduled changes; billing
charges :class:`~selfcare.billing.charges.ChargeableService` and
:class:`~selfcare.billing.charges.PlanChange` values. These functions build them from
the product inventory, converting instants to calendar days in the operator's time
zone. (An order quote becomes :class:`~selfcare.billing.salary_deduction.QuotedCharge`
values through :func:`~selfcare.billing.salary_deduction.quoted_charges`.)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo

from selfcare.billing.charges import ChargeableService, PlanChange
from selfcare.billing.vat import PriceBasis, VatCategory
from selfcare.catalog.inventory import ProductInstance, ScheduledChangeKind
from selfcare.catalog.offerings import AssetKind, Catalog, Offering
from selfcare.catalog.pricing import product_monthly_price
from selfcare.core.clock import local_date
from selfcare.core.money import Money

__all__ = ["chargeable_services", "plan_changes"]

_INSTANT = timedelta(microseconds=1)


def _last_day(end: datetime, zone: tzinfo) -> date:
    # A product ends at an instant and is live strictly before it, so an end at local
    # midnight makes the previous day the last charged one.
    return local_date(end - _INSTANT, zone)


def chargeable_services(
    products: Iterable[ProductInstance],
    catalog: Catalog,
    *,
    zone: tzinfo,
    lang: str = "fi",
    price_basis: PriceBasis = PriceBasis.GROSS,
    vat_category: VatCategory = VatCategory.STANDARD,
) -> tuple[ChargeableService, ...]:
    """The services to charge for ``products``: those with a start, an offering in
    ``catalog`` and a price. The monthly price is the catalog's
    :func:`~selfcare.catalog.pricing.product_monthly_price` (quantity and bundle picks
    included); catalog prices are taken as ``price_basis`` (VAT-inclusive unless told).

    Products that never started, whose offering is not in the catalog, or that end
    before they start are left out: there is nothing to charge for them.
    """
    found = []
    for product in products:
        offering = catalog.find(product.offering_id)
        if offering is None or product.start is None:
            continue
        start = local_date(product.start, zone)
        service = _service(
            product,
            offering,
            start=start,
            zone=zone,
            lang=lang,
            basis=price_basis,
            category=vat_category,
        )
        if service is not None:
            found.append(service)
    return tuple(found)


def _service(
    product: ProductInstance,
    offering: Offering,
    *,
    start: date,
    zone: tzinfo,
    lang: str,
    basis: PriceBasis,
    category: VatCategory,
) -> ChargeableService | None:
    monthly, one_time = product_monthly_price(product, offering), offering.one_time_price
    if monthly is None and one_time is None:
        return None
    currency = (monthly or one_time or Money.zero("EUR")).currency
    end = None if product.end is None else _last_day(product.end, zone)
    if end is not None and end < start:
        return None
    name = offering.names.get(lang)
    if product.asset is not None and product.asset.kind is AssetKind.MSISDN:
        name = f"{name} {product.asset.value}"
    return ChargeableService(
        service_id=product.id,
        description=name,
        monthly_price=monthly or Money.zero(currency),
        start=start,
        end=end,
        one_time_fee=one_time,
        price_basis=basis,
        vat_category=category,
    )


def plan_changes(
    products: Iterable[ProductInstance], catalog: Catalog, *, zone: tzinfo, lang: str = "fi"
) -> tuple[PlanChange, ...]:
    """The plan changes scheduled on ``products`` (to an offering with a monthly price),
    effective from the local day of their ``effective_at``."""
    found = []
    for product in products:
        change = product.scheduled
        if change is None or change.kind is not ScheduledChangeKind.CHANGE_PLAN:
            continue
        offering = catalog.find(change.offering_id or "")
        if offering is None or offering.monthly_price is None:
            continue
        found.append(
            PlanChange(
                service_id=product.id,
                on=local_date(change.effective_at, zone),
                description=offering.names.get(lang),
                monthly_price=offering.monthly_price * product.quantity,
            )
        )
    return tuple(found)
