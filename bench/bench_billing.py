"""A month's charges for 100 000 subscriptions, and how the time grows with the count.

Baseline: a plain ``Decimal`` loop doing the same arithmetic in the same run (the same
pro-rating by cumulative half-up rounding and the same VAT split per line), without
value objects, validation or the VAT table lookup. The ratio is what the typed,
validated model costs over bare arithmetic.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from harness import Report, best_of

from selfcare import Money
from selfcare.billing import BillingPeriod, ChargeableService, charges_for_period

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
