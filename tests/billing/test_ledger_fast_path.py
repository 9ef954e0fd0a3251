"""The invoice run's fast path (issue 16's speed target) charges exactly what the plain
path does: the local-day table, the shared VAT splits and the lines built from them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import Money
from selfcare.billing import BillingPeriod, ChargeKind, InvoiceLine, PriceBasis
from selfcare.billing.charges import PeriodPricing
from selfcare.billing.ledger import _LocalDays, invoice_lines, price_runs
from selfcare.billing.vat import NORDIC_VAT, VatCategory
from selfcare.catalog.history import ProductPrice
from selfcare.catalog.inventory import ProductInstance, ProductStatus
from selfcare.catalog.sample import sample_catalog
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import RelationshipId

ZONES = [
    ZoneInfo("Europe/Helsinki"),
    ZoneInfo("Europe/Oslo"),
    ZoneInfo("America/Santiago"),  # DST changes at midnight
    ZoneInfo("Asia/Beirut"),  # DST changes at midnight
    ZoneInfo("Pacific/Apia"),  # skipped a whole day (30 Dec 2011)
    UTC,
]
PERIODS = st.builds(
    BillingPeriod, st.integers(2010, 2030), st.integers(1, 12), st.sampled_from([1, 1, 15, 28])
)
INSTANTS = st.datetimes(
    min_value=datetime(2009, 1, 1),  # noqa: DTZ001 - hypothesis takes naive bounds
    max_value=datetime(2031, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
PLANS = ["bedrift_total_a_1gb", "bedrift_total_c_10gb", "bedrift_total_e_50gb", "unknown"]


def _exact_of(instant: datetime, zone: tzinfo) -> date:
    return instant.astimezone(zone).date()


def _exact_before(instant: datetime, zone: tzinfo) -> date:
    return (instant - timedelta(microseconds=1)).astimezone(zone).date()


@given(period=PERIODS, zone=st.sampled_from(ZONES), instant=INSTANTS, near=st.booleans())
def test_the_day_table_gives_the_exact_day_near_the_period_and_an_outside_day_beyond(
    period: BillingPeriod, zone: tzinfo, instant: datetime, near: bool
) -> None:
    window = period.bounds(zone)
    if near:  # an instant within a few days of the period
        instant = window[0] + (instant - datetime(2009, 1, 1, tzinfo=UTC)) % timedelta(days=40)
        instant -= timedelta(days=4)
    days = _LocalDays(zone, window)
    for ours, exact in (
        (days.of(instant), _exact_of(instant, zone)),
        (days.before(instant), _exact_before(instant, zone)),
    ):
        if period.first_day - timedelta(days=1) <= exact <= period.last_day + timedelta(days=1):
            assert ours == exact
        elif exact < period.first_day:
            assert ours < period.first_day
        else:
            assert ours > period.last_day


@pytest.mark.parametrize("zone", ZONES, ids=str)
@pytest.mark.parametrize("period", [BillingPeriod(2026, 3), BillingPeriod(2011, 12, 15)], ids=str)
def test_at_local_midnight_the_day_before_is_the_last_day(
    zone: tzinfo, period: BillingPeriod
) -> None:
    window = period.bounds(zone)
    days = _LocalDays(zone, window)
    day = period.first_day
    while day <= period.last_day:
        midnight = datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)
        if _exact_of(midnight, zone) == day:  # the day has a midnight (Apia skipped one)
            assert days.of(midnight) == day
            assert days.before(midnight) == _exact_before(midnight, zone)
            assert days.of(midnight - timedelta(microseconds=1)) == _exact_before(midnight, zone)
        day += timedelta(days=1)


@given(zone=st.sampled_from(ZONES), instant=INSTANTS)
def test_without_a_period_every_day_is_exact(zone: tzinfo, instant: datetime) -> None:
    days = _LocalDays(zone)
    assert days.of(instant) == _exact_of(instant, zone)
    assert days.before(instant) == _exact_before(instant, zone)


def _helsinki_midnight(start: datetime, days: int) -> datetime:
    day = start.astimezone(ZoneInfo("Europe/Helsinki")).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo("Europe/Helsinki"))


@st.composite
def _products(draw: st.DrawFn) -> ProductInstance:
    """A product with a history drawn freely: changes on any instant (several on one day,
    some superseded at once), one-time fees, free intervals, an end or none."""
    start = draw(
        st.datetimes(
            datetime(2025, 11, 1),  # noqa: DTZ001 - hypothesis takes naive bounds
            datetime(2026, 4, 30),  # noqa: DTZ001
            timezones=st.just(UTC),
        )
    )
    moments = sorted(
        draw(
            st.lists(
                st.integers(0, 200 * 24 * 60).map(lambda m: start + timedelta(minutes=m))
                | st.integers(0, 200).map(lambda d: _helsinki_midnight(start, d)),
                min_size=1,
                max_size=8,
            )
        )
    )
    prices = []
    for index, moment in enumerate(moments):
        following = moments[index + 1] if index + 1 < len(moments) else None
        prices.append(
            ProductPrice(
                offering_id=draw(st.sampled_from(PLANS)),
                valid_from=moment,
                valid_to=following,
                recurring=draw(
                    st.none()
                    | st.sampled_from(
                        [Money("0", "EUR"), Money("19.90", "EUR"), Money("449", "EUR")]
                    )
                ),
                one_time=draw(st.none() | st.just(Money("9.90", "EUR"))),
            )
        )
    end = draw(
        st.none()
        | st.sampled_from(moments).map(lambda m: m + timedelta(days=draw(st.integers(0, 60))))
    )
    return ProductInstance(
        id=draw(st.sampled_from(["sub-1", "sub-2", "p" * 200])),
        offering_id=prices[-1].offering_id,
        relationship_id=RelationshipId("r"),
        status=ProductStatus.ACTIVE,
        start=moments[0],
        end=end,
        prices=tuple(prices),
    )


def _plain_lines(
    products: list[ProductInstance], period: BillingPeriod, zone: tzinfo
) -> list[InvoiceLine]:
    """The invoice run written the plain way: every run of every product, each line
    built and checked by InvoiceLine.build."""
    catalog = sample_catalog()
    pricing = PeriodPricing(period, "FI", NORDIC_VAT)
    lines = []
    for product in products:
        for run in price_runs(product, catalog, zone=zone, period=period):
            offering = catalog.find(run.price.offering_id)
            name = run.price.offering_id if offering is None else offering.names.get("fi")
            first = max(run.first, period.first_day)
            last = period.last_day if run.last is None else min(run.last, period.last_day)
            recurring = run.price.recurring
            common = {
                "service_id": product.id,
                "description": name,
                "price_basis": PriceBasis.GROSS,
                "offering_id": run.price.offering_id,
                "vat_category": VatCategory.STANDARD,
            }
            if recurring is not None and not recurring.is_zero and first <= last:
                for start, end, percent in pricing.segments(VatCategory.STANDARD, first, last):
                    lines.append(
                        InvoiceLine.build(
                            kind=ChargeKind.RECURRING,
                            supply_from=start,
                            supply_to=end,
                            amount=pricing.part(recurring, start, end),
                            vat_percent=percent,
                            **common,  # type: ignore[arg-type]
                        )
                    )
            fee = run.price.one_time
            if (
                fee is not None
                and not fee.is_zero
                and period.first_day <= run.first <= period.last_day
            ):
                lines.append(
                    InvoiceLine.build(
                        kind=ChargeKind.ONE_TIME,
                        supply_from=run.first,
                        supply_to=run.first,
                        amount=fee,
                        vat_percent=pricing.rate(VatCategory.STANDARD, run.first),
                        **common,  # type: ignore[arg-type]
                    )
                )
    return lines


@given(
    products=st.lists(_products(), min_size=1, max_size=4),
    month=st.integers(1, 6),
    zone=st.sampled_from(ZONES[:4]),
)
def test_the_fast_path_charges_exactly_what_the_plain_path_does(
    products: list[ProductInstance], month: int, zone: tzinfo
) -> None:
    period = BillingPeriod(2026, month)
    fast = invoice_lines(products, sample_catalog(), period, zone=zone, country="FI")
    assert list(fast) == _plain_lines(products, period, zone)
    for line in fast:  # every line is a real, consistent InvoiceLine
        assert line.net + line.vat == line.gross
        assert InvoiceLine(**line.__dict__) == line


def _subscription(product_id: object) -> ProductInstance:
    return ProductInstance(
        id=product_id,  # type: ignore[arg-type]
        offering_id="bedrift_total_a_1gb",
        relationship_id=RelationshipId("r"),
        status=ProductStatus.ACTIVE,
        start=datetime(2026, 1, 1, tzinfo=UTC),
        prices=(
            ProductPrice(
                offering_id="bedrift_total_a_1gb",
                valid_from=datetime(2026, 1, 1, tzinfo=UTC),
                recurring=Money("349", "EUR"),
            ),
        ),
    )


@pytest.mark.parametrize("product_id", ["", "   ", "x" * 201])
def test_a_product_id_no_invoice_line_takes_is_refused_by_code(product_id: str) -> None:
    with pytest.raises(SelfcareError) as refused:
        invoice_lines(
            [_subscription(product_id)],
            sample_catalog(),
            BillingPeriod(2026, 3),
            zone=UTC,
            country="FI",
        )
    assert refused.value.codes == ("billing.invalid_text",)


def test_a_product_id_that_is_not_text_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        invoice_lines(
            [_subscription(12)], sample_catalog(), BillingPeriod(2026, 3), zone=UTC, country="FI"
        )


def test_a_line_is_immutable_although_it_keeps_a_dict() -> None:
    (line,) = invoice_lines(
        [_subscription("sub-1")], sample_catalog(), BillingPeriod(2026, 3), zone=UTC, country="FI"
    )
    with pytest.raises(AttributeError):
        line.amount = Money("0", "EUR")  # type: ignore[misc]
    assert line.amount == Money("349", "EUR")
    assert line.vat_percent == Decimal("25.5")
