"""A month's charges for 100 000 subscriptions, and how the time grows with the count.

Baseline: a plain ``Decimal`` loop doing the same arithmetic in the same run (the same
pro-rating by cumulative half-up rounding and the same VAT split per line), without
value objects, validation or the VAT table lookup. The ratio is what the typed,
validated model costs over bare arithmetic.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from harness import Report, best_of

from selfcare import Money
from selfcare.billing import (
    BillingPeriod,
    ChargeableService,
    InvoiceLine,
    charges_for_period,
    invoice_lines,
)
from selfcare.catalog import ProductInstance, ProductPrice, ProductStatus
from selfcare.catalog.history import recorded
from selfcare.catalog.sample import sample_catalog
from selfcare.core.ids import RelationshipId

PERIOD = BillingPeriod(2024, 9)
CENT = Decimal("0.01")
RATE = Decimal("25.5")


def _services(count: int) -> list[ChargeableService]:
    rng = random.Random(7)
    prices = [Money(p, "EUR") for p in ("9.90", "19.90", "29.90", "34.90", "49.90")]
    services = []
    for i in range(count):
        # Four in five run the whole month; the rest start or end inside it.
        start = date(2023, 1, 1)
        end = None
        if i % 5 == 3:
            start = PERIOD.first_day + timedelta(days=rng.randrange(30))
        elif i % 5 == 4:
            end = PERIOD.first_day + timedelta(days=rng.randrange(30))
        services.append(
            ChargeableService(
                service_id=f"s{i}",
                description="Mobiili",
                monthly_price=prices[i % 5],
                start=start,
                end=end,
            )
        )
    return services


def _plain(rows: list[tuple[Decimal, int, int]], days: int) -> Decimal:
    total = Decimal(0)
    for price, first, last in rows:
        upper = (price * last / days).quantize(CENT, ROUND_HALF_UP)
        lower = (price * (first - 1) / days).quantize(CENT, ROUND_HALF_UP)
        gross = upper - lower
        vat = (gross * RATE / (100 + RATE)).quantize(CENT, ROUND_HALF_UP)
        total += gross - vat + vat
    return total


def _rows(services: list[ChargeableService]) -> list[tuple[Decimal, int, int]]:
    rows = []
    for s in services:
        first = max(s.start, PERIOD.first_day)
        last = PERIOD.last_day if s.end is None else min(s.end, PERIOD.last_day)
        rows.append((s.monthly_price.amount, first.day, last.day))
    return rows


def run(report: Report) -> None:
    report.heading("billing: a month's charges")
    timings = {}
    for count in (10_000, 100_000):
        services = _services(count)
        rows = _rows(services)
        ours = best_of(lambda s=services: charges_for_period(s, PERIOD, country="FI"), repeat=3)
        plain = best_of(lambda r=rows: _plain(r, PERIOD.days), repeat=3)
        lines = charges_for_period(services, PERIOD, country="FI")
        total = sum((line.gross for line in lines), Money.zero("EUR")).amount
        assert total == _plain(rows, PERIOD.days), "the baseline must do the same arithmetic"
        report.ratio(f"charges_for_period, {count:,} subscriptions", ours, plain, "Decimal loop")
        timings[count] = ours
    growth = timings[100_000] / timings[10_000]
    report.figure("growth 10 000 -> 100 000", f"{growth:.1f}x", "10x is linear")
    run_invoice_lines(report)


# --------------------------------------------------------------------------- invoice run

RUN_PERIOD = BillingPeriod(2026, 3)
PLANS = [
    ("bedrift_total_a_1gb", "349"),
    ("bedrift_total_c_10gb", "449"),
    ("bedrift_total_e_50gb", "649"),
]


def _products(count: int) -> list[ProductInstance]:
    """Subscriptions with a year of history each: a plan change on a random day of every
    month from July 2025 to June 2026 (12 intervals)."""
    rng = random.Random(11)
    zone = ZoneInfo("Europe/Helsinki")
    products = []
    for i in range(count):
        prices = []
        for month in range(12):
            year, mon = divmod(2025 * 12 + 6 + month, 12)
            offering, price = PLANS[(i + month) % 3]
            moment = datetime(year, mon + 1, 1 + rng.randrange(28), 9, tzinfo=zone)
            prices.append(
                ProductPrice(offering_id=offering, valid_from=moment, recurring=Money(price, "EUR"))
            )
        history: tuple[ProductPrice, ...] = ()
        for price in prices:
            history = recorded(history, price)
        products.append(
            ProductInstance(
                id=f"p{i}",
                offering_id=prices[-1].offering_id,
                relationship_id=RelationshipId(f"r{i}"),
                status=ProductStatus.ACTIVE,
                start=prices[0].valid_from,
                prices=history,
            )
        )
    return products


def _line_rows(lines: tuple[InvoiceLine, ...]) -> list[tuple[Decimal, int, int]]:
    # The same lines as plain (price, first day, last day) rows for the Decimal loop.
    rows = []
    prices = {name: Decimal(price) for name, price in PLANS}
    for line in lines:
        first = (line.supply_from - RUN_PERIOD.first_day).days + 1
        last = (line.supply_to - RUN_PERIOD.first_day).days + 1
        rows.append((prices[line.offering_id or ""], first, last))
    return rows


def run_invoice_lines(report: Report) -> None:
    report.heading("billing: the invoice run from a year of product history")
    catalog = sample_catalog()
    zone = ZoneInfo("Europe/Helsinki")
    timings = {}
    for count in (10_000, 100_000):
        products = _products(count)
        lines = invoice_lines(products, catalog, RUN_PERIOD, zone=zone, country="FI")
        rows = _line_rows(lines)
        ours = best_of(
            lambda p=products: invoice_lines(p, catalog, RUN_PERIOD, zone=zone, country="FI"),
            repeat=3,
        )
        plain = best_of(lambda r=rows: _plain(r, RUN_PERIOD.days), repeat=3)
        total = sum((line.gross for line in lines), Money.zero("EUR")).amount
        assert total == _plain(rows, RUN_PERIOD.days), "the baseline must do the same arithmetic"
        report.ratio(
            f"invoice_lines, {count:,} subscriptions x 12 intervals ({len(lines):,} lines)",
            ours,
            plain,
            "Decimal loop over the same lines",
        )
        timings[count] = ours
    growth = timings[100_000] / timings[10_000]
    report.figure("growth 10 000 -> 100 000", f"{growth:.1f}x", "10x is linear")
