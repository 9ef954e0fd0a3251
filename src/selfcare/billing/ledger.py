"""The ledger: what a customer's products cost in a billing period, from the product
inventory's history alone.

Each product's history (:mod:`selfcare.catalog.history`) says which offering, price
and bundle selection was in force from which instant to which. Billing counts calendar
days in the operator's time zone:

- a product is charged for every day on which it is live for some time (the day it
  starts, and the day it ends unless it ends at midnight);
- on a day with a change, the price that comes into force that day is charged for the
  whole day (an upgrade on 10 April is charged from the 10th; a downgrade from 1 May,
  from the 1st), so each day has exactly one price;
- each run of days at one price becomes an invoice line, pro-rated by the cumulative
  half-up rounding of :func:`~selfcare.billing.charges.prorate` and cut where a new VAT
  rate comes into force; a one-time charge is due on the first day of its interval.

So a period's charge for a product is the sum over its days of the price in force that
day, rounded once per line: within half a cent of the exact sum per line, and exactly
the monthly price for a product that was the same all period.

>>> from datetime import datetime, UTC
>>> from selfcare.catalog.history import ProductPrice
>>> from selfcare.catalog.inventory import ProductInstance, ProductStatus
>>> from selfcare.catalog.sample import sample_catalog
>>> from selfcare.core.clock import operator_zone
>>> from selfcare.core.money import Money
>>> def plan(offering_id, price, start):
...     return ProductPrice(offering_id=offering_id, recurring=Money(price, "NOK"),
...                         valid_from=start)
>>> phone = ProductInstance(id="sub-1", offering_id="bedrift_total_e_50gb",
...     relationship_id="rel-1", status=ProductStatus.ACTIVE,
...     start=datetime(2025, 1, 1, tzinfo=UTC), prices=(
...         plan("bedrift_total_c_10gb", "449", datetime(2025, 1, 1, tzinfo=UTC)),
...         plan("bedrift_total_e_50gb", "649", datetime(2026, 4, 10, 7, tzinfo=UTC))))
>>> lines = invoice_lines([phone], sample_catalog(), BillingPeriod(2026, 4),
...                       zone=operator_zone("Europe/Oslo"), country="NO", lang="en")
>>> [(l.supply_from.day, l.supply_to.day, str(l.gross)) for l in lines]
[(1, 9, '134.70 NOK'), (10, 30, '454.30 NOK')]
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo
from typing import final

import attrs

from selfcare.billing._fields import require_type
from selfcare.billing.charges import PeriodPricing
from selfcare.billing.invoices import ChargeKind, InvoiceLine
from selfcare.billing.periods import BillingPeriod
from selfcare.billing.vat import NORDIC_VAT, PriceBasis, VatCategory, VatTable
from selfcare.catalog.history import ProductPrice
from selfcare.catalog.inventory import ProductInstance, with_history
from selfcare.catalog.offerings import AssetKind, Catalog

__all__ = ["PriceRun", "invoice_lines", "price_runs"]

_INSTANT = timedelta(microseconds=1)
_ONE_DAY = timedelta(days=1)


@final
@attrs.frozen(kw_only=True)
class PriceRun:
    """The days one interval of a product's history is charged: ``first`` to ``last``
    (inclusive, ``None`` while open), in the operator's zone."""

    product: ProductInstance
    price: ProductPrice
    first: date
    last: date | None


def _last_day(end: datetime, zone: tzinfo) -> date:
    # Live strictly before its end: an end at local midnight leaves the day before last.
    # (Stored instants are aware: no check needed on this hot path.)
    return (end - _INSTANT).astimezone(zone).date()


def price_runs(
    product: ProductInstance,
    catalog: Catalog,
    *,
    zone: tzinfo,
    period: BillingPeriod | None = None,
) -> tuple[PriceRun, ...]:
    """The runs of days each interval of ``product``'s history is charged; a later
    interval takes over the day it starts. A product provisioned without a history is
    charged from its start at its offering's price (see
    :func:`~selfcare.catalog.inventory.with_history`). With ``period``, only the runs
    that can fall in it.

    Raises:
        TypeError: ``product`` is not a
            :class:`~selfcare.catalog.inventory.ProductInstance`.
    """
    require_type(product, ProductInstance, "product")
    history = product.prices
    if not history:
        offering = catalog.find(product.offering_id)
        history = () if offering is None else with_history(product, offering).prices
    if period is not None:
        history = _in_window(history, _bounds(require_type(period, BillingPeriod, "period"), zone))
    ends = None if product.end is None else _last_day(product.end, zone)
    return tuple(
        PriceRun(product=product, price=price, first=first, last=last)
        for price, first, last in _spans(history, zone, ends)
        if last is None or first <= last
    )


@functools.lru_cache(maxsize=64)
def _bounds(period: BillingPeriod, zone: tzinfo) -> tuple[datetime, datetime]:
    return period.bounds(zone)


def _in_window(
    history: tuple[ProductPrice, ...], window: tuple[datetime, datetime]
) -> tuple[ProductPrice, ...]:
    # Intervals are contiguous: one that ends by the window's start or starts at its
    # end charges no day of it, nor takes a day over from one that does.
    lower, upper = window
    return tuple(
        p for p in history if p.valid_from < upper and (p.valid_to is None or p.valid_to > lower)
    )


def _spans(
    history: tuple[ProductPrice, ...], zone: tzinfo, ends: date | None
) -> list[tuple[ProductPrice, date, date | None]]:
    """Each interval's first and last charged day; a later one takes over its first day."""
    spans: list[tuple[ProductPrice, date, date | None]] = []
    for interval in history:
        if interval.valid_to is not None and interval.valid_to <= interval.valid_from:
            continue  # superseded at the instant it started
        first = interval.valid_from.astimezone(zone).date()
        last = None if interval.valid_to is None else _last_day(interval.valid_to, zone)
        if ends is not None:
            last = ends if last is None else min(last, ends)
        if spans and (spans[-1][2] is None or spans[-1][2] >= first):
            spans[-1] = (spans[-1][0], spans[-1][1], first - _ONE_DAY)
        spans.append((interval, first, last))
    return spans


def _describe(run: PriceRun, catalog: Catalog, lang: str) -> str:
    offering = catalog.find(run.price.offering_id)
    name = run.price.offering_id if offering is None else offering.names.get(lang)
    asset = run.product.asset
    if asset is not None and asset.kind is AssetKind.MSISDN:
        return f"{name} {asset.value}"
    return name


def _run_lines(
    run: PriceRun,
    pricing: PeriodPricing,
    description: str,
    basis: PriceBasis,
    category: VatCategory,
) -> list[InvoiceLine]:
    lines: list[InvoiceLine] = []
    first = max(run.first, pricing.first_day)
    last = pricing.last_day if run.last is None else min(run.last, pricing.last_day)
    recurring = run.price.recurring
    if recurring is not None and not recurring.is_zero and first <= last:
        for start, end, percent in pricing.segments(category, first, last):
            lines.append(
                InvoiceLine.build(
                    service_id=run.product.id,
                    kind=ChargeKind.RECURRING,
                    description=description,
                    supply_from=start,
                    supply_to=end,
                    amount=pricing.part(recurring, start, end),
                    price_basis=basis,
                    vat_percent=percent,
                    offering_id=run.price.offering_id,
                    vat_category=category,
                )
            )
    fee = run.price.one_time
    if fee is not None and not fee.is_zero and pricing.first_day <= run.first <= pricing.last_day:
        lines.append(
            InvoiceLine.build(
                service_id=run.product.id,
                kind=ChargeKind.ONE_TIME,
                description=description,
                supply_from=run.first,
                supply_to=run.first,
                amount=fee,
                price_basis=basis,
                vat_percent=pricing.rate(category, run.first),
                offering_id=run.price.offering_id,
                vat_category=category,
            )
        )
    return lines


def invoice_lines(
    products: Iterable[ProductInstance],
    catalog: Catalog,
    period: BillingPeriod,
    *,
    zone: tzinfo,
    country: str,
    vat_table: VatTable = NORDIC_VAT,
    lang: str = "fi",
    price_basis: PriceBasis = PriceBasis.GROSS,
    vat_category: VatCategory = VatCategory.STANDARD,
) -> tuple[InvoiceLine, ...]:
    """The invoice lines of ``period`` for ``products``, from their histories alone:
    one line per run of days at one price (cut where a VAT rate changes), and one per
    one-time charge due in the period. Lines are named by the offering's name in
    ``lang`` (and the phone number); catalog prices are taken as ``price_basis``.

    Raises:
        SelfcareError: ``vat.no_rate``, ``vat.invalid_country``.
        TypeError: a product that is not a
            :class:`~selfcare.catalog.inventory.ProductInstance`, ``period`` not a
            :class:`~selfcare.billing.periods.BillingPeriod`, ``catalog`` not a
            :class:`~selfcare.catalog.offerings.Catalog`.
    """
    require_type(period, BillingPeriod, "period")
    require_type(catalog, Catalog, "catalog")
    pricing = PeriodPricing(period, country, vat_table)
    names: dict[tuple[str, str | None], str] = {}
    lines: list[InvoiceLine] = []
    for product in products:
        for run in price_runs(product, catalog, zone=zone, period=period):
            key = (
                run.price.offering_id,
                None if run.product.asset is None else run.product.asset.value,
            )
            if key not in names:
                names[key] = _describe(run, catalog, lang)
            lines += _run_lines(run, pricing, names[key], price_basis, vat_category)
    return tuple(lines)
