from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import Currency, Money, SelfcareError
from selfcare.billing import (
    NORDIC_VAT,
    BillingPeriod,
    ChargeableService,
    ChargeKind,
    Invoice,
    InvoiceLine,
    PlanChange,
    PriceBasis,
    VatRate,
    charges_for_period,
    prorate,
    split_vat,
)
from selfcare.billing.vat import vat_of
from selfcare.core.ids import CustomerNumber
from selfcare.serialization import structure
from selfcare.testing import strategies as sst
from selfcare.testing.strategies._billing import billing_periods, chargeable_services

HELSINKI = ZoneInfo("Europe/Helsinki")


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def service(
    start: date, end: date | None = None, price: str = "30.00", **kw: object
) -> ChargeableService:
    return ChargeableService(
        service_id=str(kw.pop("service_id", "svc-1")),
        description="Mobiili 10 GB",
        monthly_price=eur(price),
        start=start,
        end=end,
        **kw,  # type: ignore[arg-type]
    )


def test_a_service_active_the_whole_month_costs_the_monthly_price() -> None:
    lines = charges_for_period([service(date(2026, 1, 15))], BillingPeriod(2026, 3), country="FI")
    assert len(lines) == 1
    line = lines[0]
    assert line.kind is ChargeKind.RECURRING
    assert (line.supply_from, line.supply_to) == (date(2026, 3, 1), date(2026, 3, 31))
    assert line.gross == eur("30.00")
    assert line.vat_percent == Decimal("25.5")


def test_a_service_starting_inside_the_month_is_pro_rated_by_day() -> None:
    # 20 of 30 April days: 30.00 * 20 / 30 = 20.00
    lines = charges_for_period([service(date(2026, 4, 11))], BillingPeriod(2026, 4), country="FI")
    assert [line.gross for line in lines] == [eur("20.00")]
    assert lines[0].supply_from == date(2026, 4, 11)


def test_a_service_ending_inside_the_month_is_charged_up_to_its_last_day() -> None:
    lines = charges_for_period(
        [service(date(2025, 1, 1), date(2026, 4, 10))], BillingPeriod(2026, 4), country="FI"
    )
    assert [line.gross for line in lines] == [eur("10.00")]
    assert lines[0].supply_to == date(2026, 4, 10)


def test_services_outside_the_month_are_not_charged() -> None:
    services = [service(date(2026, 5, 1)), service(date(2025, 1, 1), date(2026, 3, 31))]
    assert charges_for_period(services, BillingPeriod(2026, 4), country="FI") == ()


def test_february_of_a_leap_year_has_29_days() -> None:
    # One day of 29 in 2024, one of 28 in 2026.
    leap = charges_for_period(
        [service(date(2024, 2, 29), price="29.00")], BillingPeriod(2024, 2), country="FI"
    )
    plain = charges_for_period(
        [service(date(2026, 2, 28), price="28.00")], BillingPeriod(2026, 2), country="FI"
    )
    assert leap[0].gross == eur("1.00")
    assert plain[0].gross == eur("1.00")


def test_one_time_fee_is_charged_in_the_month_of_the_start_only() -> None:
    svc = service(date(2026, 4, 30), one_time_fee=eur("9.90"))
    april = charges_for_period([svc], BillingPeriod(2026, 4), country="FI")
    may = charges_for_period([svc], BillingPeriod(2026, 5), country="FI")
    assert [(line.kind, line.gross) for line in april] == [
        (ChargeKind.RECURRING, eur("1.00")),
        (ChargeKind.ONE_TIME, eur("9.90")),
    ]
    assert [line.kind for line in may] == [ChargeKind.RECURRING]


def test_plan_change_inside_the_month_credits_the_old_plan_and_charges_the_new() -> None:
    # Total C 10 GB (30.00) -> Total E 50 GB (45.00) from 21 April: 10 of 30 days.
    change = PlanChange(
        service_id="svc-1",
        on=date(2026, 4, 21),
        description="Total E 50 GB",
        monthly_price=eur("45.00"),
    )
    lines = charges_for_period(
        [service(date(2025, 1, 1))], BillingPeriod(2026, 4), country="FI", plan_changes=[change]
    )
    assert [(line.kind, line.description, line.gross) for line in lines] == [
        (ChargeKind.RECURRING, "Mobiili 10 GB", eur("30.00")),
        (ChargeKind.CREDIT, "Mobiili 10 GB", eur("-10.00")),
        (ChargeKind.RECURRING, "Total E 50 GB", eur("15.00")),
    ]
    assert lines[1].supply_from == date(2026, 4, 21)
    # The month before is charged at the old plan only, the next at the new plan only.
    march = charges_for_period(
        [service(date(2025, 1, 1))], BillingPeriod(2026, 3), country="FI", plan_changes=[change]
    )
    assert [(line.description, line.gross) for line in march] == [("Mobiili 10 GB", eur("30.00"))]
    may = charges_for_period(
        [service(date(2025, 1, 1))], BillingPeriod(2026, 5), country="FI", plan_changes=[change]
    )
    assert [(line.description, line.gross) for line in may] == [("Total E 50 GB", eur("45.00"))]


def total_e(on: date) -> PlanChange:
    return PlanChange(
        service_id="svc-1", on=on, description="Total E 50 GB", monthly_price=eur("45.00")
    )


def test_a_plan_change_on_the_first_day_of_the_month_charges_the_new_plan_only() -> None:
    lines = charges_for_period(
        [service(date(2025, 1, 1))],
        BillingPeriod(2026, 4),
        country="FI",
        plan_changes=[total_e(date(2026, 4, 1))],
    )
    assert [(line.kind, line.description, line.gross) for line in lines] == [
        (ChargeKind.RECURRING, "Total E 50 GB", eur("45.00")),
    ]


def test_a_plan_change_on_a_services_first_day_in_mid_month_sets_the_plan_charged() -> None:
    lines = charges_for_period(
        [service(date(2026, 4, 21))],
        BillingPeriod(2026, 4),
        country="FI",
        plan_changes=[total_e(date(2026, 4, 21))],
    )
    assert [(line.kind, line.description, line.gross) for line in lines] == [
        (ChargeKind.RECURRING, "Total E 50 GB", eur("15.00")),
    ]


def test_a_plan_change_on_the_last_day_of_the_month_moves_that_one_day() -> None:
    # 30 April: one day of 30 is credited at the old price (1.00) and charged at the new
    # (1.50); May is charged at the new plan only.
    lines = charges_for_period(
        [service(date(2025, 1, 1))],
        BillingPeriod(2026, 4),
        country="FI",
        plan_changes=[total_e(date(2026, 4, 30))],
    )
    assert [
        (line.kind, line.description, line.supply_from, line.supply_to, line.gross)
        for line in lines
    ] == [
        (ChargeKind.RECURRING, "Mobiili 10 GB", date(2026, 4, 1), date(2026, 4, 30), eur("30.00")),
        (ChargeKind.CREDIT, "Mobiili 10 GB", date(2026, 4, 30), date(2026, 4, 30), eur("-1.00")),
        (ChargeKind.RECURRING, "Total E 50 GB", date(2026, 4, 30), date(2026, 4, 30), eur("1.50")),
    ]
    may = charges_for_period(
        [service(date(2025, 1, 1))],
        BillingPeriod(2026, 5),
        country="FI",
        plan_changes=[total_e(date(2026, 4, 30))],
    )
    assert [(line.description, line.gross) for line in may] == [("Total E 50 GB", eur("45.00"))]


def test_a_plan_change_after_a_services_last_day_is_not_charged() -> None:
    lines = charges_for_period(
        [service(date(2025, 1, 1), end=date(2026, 4, 20))],
        BillingPeriod(2026, 4),
        country="FI",
        plan_changes=[total_e(date(2026, 4, 21))],
    )
    assert [(line.kind, line.description, line.gross) for line in lines] == [
        (ChargeKind.RECURRING, "Mobiili 10 GB", eur("20.00")),
    ]


def test_two_plan_changes_in_a_month_are_charged_in_the_order_of_their_days() -> None:
    # Given out of order: 11 April to 30.00 -> 60.00, 21 April -> 45.00.
    big = PlanChange(
        service_id="svc-1", on=date(2026, 4, 11), description="Total X", monthly_price=eur("60.00")
    )
    lines = charges_for_period(
        [service(date(2025, 1, 1))],
        BillingPeriod(2026, 4),
        country="FI",
        plan_changes=[total_e(date(2026, 4, 21)), big],
    )
    assert [(line.kind, line.description, line.gross) for line in lines] == [
        (ChargeKind.RECURRING, "Mobiili 10 GB", eur("30.00")),
        (ChargeKind.CREDIT, "Mobiili 10 GB", eur("-20.00")),
        (ChargeKind.RECURRING, "Total X", eur("40.00")),
        (ChargeKind.CREDIT, "Total X", eur("-20.00")),
        (ChargeKind.RECURRING, "Total E 50 GB", eur("15.00")),
    ]
    # 10 days at 30.00, 10 at 60.00, 10 at 45.00.
    assert sum((line.gross for line in lines), eur("0")) == eur("45.00")


def test_plan_change_for_an_unknown_service_is_refused() -> None:
    change = PlanChange(
        service_id="other", on=date(2026, 4, 21), description="X", monthly_price=eur("1")
    )
    with pytest.raises(SelfcareError) as error:
        charges_for_period(
            [service(date(2025, 1, 1))], BillingPeriod(2026, 4), country="FI", plan_changes=[change]
        )
    assert error.value.codes == ("billing.unknown_plan_change",)


def test_the_finnish_vat_change_of_september_2024() -> None:
    svc = service(date(2024, 1, 1), price="12.90")
    august = charges_for_period([svc], BillingPeriod(2024, 8), country="FI")[0]
    september = charges_for_period([svc], BillingPeriod(2024, 9), country="FI")[0]
    assert (august.vat_percent, august.net, august.vat) == (Decimal(24), eur("10.40"), eur("2.50"))
    assert (september.vat_percent, september.net, september.vat) == (
        Decimal("25.5"),
        eur("10.28"),
        eur("2.62"),
    )
    # A net price keeps its net and the gross follows the rate.
    net_svc = service(date(2024, 1, 1), price="10.00", price_basis=PriceBasis.NET)
    assert charges_for_period([net_svc], BillingPeriod(2024, 8), country="FI")[0].gross == eur(
        "12.40"
    )
    assert charges_for_period([net_svc], BillingPeriod(2024, 9), country="FI")[0].gross == eur(
        "12.55"
    )


def test_a_rate_change_inside_a_month_splits_the_line_at_the_change() -> None:
    table = NORDIC_VAT.with_rate(
        VatRate(country="SE", category="standard", percent=20, valid_from=date(2030, 6, 16))
    )
    svc = ChargeableService(
        service_id="s",
        description="Bredband",
        monthly_price=Money("300", "SEK"),
        start=date(2030, 1, 1),
    )
    lines = charges_for_period([svc], BillingPeriod(2030, 6), country="SE", vat_table=table)
    assert [(line.supply_from.day, line.supply_to.day, line.vat_percent) for line in lines] == [
        (1, 15, Decimal(25)),
        (16, 30, Decimal(20)),
    ]
    assert sum((line.gross for line in lines), Money.zero("SEK")) == Money("300", "SEK")


def test_a_day_without_a_vat_rate_is_refused() -> None:
    with pytest.raises(SelfcareError) as error:
        charges_for_period([service(date(1990, 1, 1))], BillingPeriod(1990, 1), country="FI")
    assert error.value.codes == ("vat.no_rate",)


def test_prorate_refuses_days_outside_the_period() -> None:
    with pytest.raises(SelfcareError) as error:
        prorate(eur("10"), BillingPeriod(2026, 4), date(2026, 4, 5), date(2026, 5, 1))
    assert error.value.codes == ("billing.invalid_service_dates",)


@given(
    billing_periods(),
    st.integers(min_value=0, max_value=10**8),
    st.lists(st.integers(min_value=1, max_value=30), max_size=6),
)
def test_pro_rated_parts_of_any_split_add_up_exactly_to_the_monthly_price(
    period: BillingPeriod, cents: int, cuts: list[int]
) -> None:
    price = Money(Decimal(cents).scaleb(-2), "EUR")
    days = sorted({c for c in cuts if c < period.days})
    starts = [1, *(d + 1 for d in days)]
    ends = [*days, period.days]

    def day(offset: int) -> date:
        return period.first_day + timedelta(days=offset - 1)

    parts = [prorate(price, period, day(s), day(e)) for s, e in zip(starts, ends, strict=True)]
    assert sum(parts, Money.zero("EUR")) == price
    for part, s, e in zip(parts, starts, ends, strict=True):
        exact = price.amount * (e - s + 1) / period.days
        assert abs(part.amount - exact) <= Decimal("0.01")


def _invoice(
    lines: Iterable[InvoiceLine],
    period: BillingPeriod,
    *,
    currency: str = "EUR",
    issued_on: date | None = None,
    due_on: date | None = None,
) -> Invoice:
    """An invoice of ``lines`` for ``period``, issued the day after it, due in 14 days."""
    issued = issued_on or period.last_day + timedelta(days=1)
    return Invoice(
        invoice_id="i",
        payer=CustomerNumber("c"),
        period=period,
        currency=currency,
        issued_on=issued,
        due_on=due_on or issued + timedelta(days=14),
        reference="1232",
        lines=lines,
    )


@given(
    billing_periods().filter(lambda p: p.year >= 2013),
    st.lists(chargeable_services(Currency.EUR), max_size=6, unique_by=lambda s: s.service_id),
)
def test_invoice_totals_follow_en_16931_and_every_line_matches_its_rate(
    period: BillingPeriod, services: list[ChargeableService]
) -> None:
    lines = charges_for_period(services, period, country="FI")
    invoice = _invoice(lines, period, issued_on=period.first_day, due_on=period.last_day)
    zero = Money.zero("EUR")
    assert invoice.gross_total == sum((line.gross for line in lines), zero)
    assert invoice.net_total == sum((line.net for line in lines), zero)
    breakdown = invoice.vat_breakdown()
    for row in breakdown:  # EN 16931 BR-CO-17
        assert row.vat == vat_of(row.net, row.vat_percent, PriceBasis.NET)
        assert row.gross == row.net + row.vat
    assert sum((row.net for row in breakdown), zero) == invoice.net_total
    assert sum((row.vat for row in breakdown), zero) == invoice.vat_total  # BR-CO-14
    assert invoice.total_with_vat == invoice.net_total + invoice.vat_total  # BR-CO-15
    assert invoice.total_with_vat + invoice.rounding_amount == invoice.gross_total
    # each line's VAT and each row's is off by at most half a cent
    assert abs(invoice.rounding_amount.amount) <= Decimal("0.005") * (len(lines) + len(breakdown))
    for line in lines:
        category = next(s.vat_category for s in services if s.service_id == line.service_id)
        assert line.vat_percent == NORDIC_VAT.rate_on("FI", line.supply_from, category).percent
        assert split_vat(line.amount, line.vat_percent, line.price_basis).vat == line.vat
        assert period.first_day <= line.supply_from <= line.supply_to <= period.last_day


@given(sst.aware_datetimes(min_value=datetime(2014, 1, 1), max_value=datetime(2090, 1, 1)))  # noqa: DTZ001 - hypothesis bounds are naive
def test_the_billing_month_is_counted_in_the_operator_zone(aware: datetime) -> None:
    period = BillingPeriod.containing(aware, HELSINKI)
    start, end = period.bounds(HELSINKI)
    assert start <= aware < end
    # DST changes the length of the month in hours, never its days or its charge.
    hours = (end - start) / timedelta(hours=1)
    assert hours in {period.days * 24 - 1, period.days * 24, period.days * 24 + 1}
    line = charges_for_period([service(date(2013, 1, 1))], period, country="FI")[0]
    assert line.gross == eur("30.00")


def test_march_and_october_in_helsinki_lose_and_gain_an_hour_but_not_a_cent() -> None:
    march, october = BillingPeriod(2026, 3), BillingPeriod(2026, 10)
    m_start, m_end = march.bounds(HELSINKI)
    o_start, o_end = october.bounds(HELSINKI)
    assert m_end - m_start == timedelta(days=31, hours=-1)
    assert o_end - o_start == timedelta(days=31, hours=1)
    half = service(date(2026, 3, 17), price="31.00")  # 15 of 31 days in both months
    assert charges_for_period([half], march, country="FI")[0].gross == eur("15.00")
    half_oct = service(date(2026, 10, 17), price="31.00")
    assert charges_for_period([half_oct], october, country="FI")[0].gross == eur("15.00")


def test_invoice_and_line_validation() -> None:
    line = InvoiceLine.build(
        service_id="s",
        kind=ChargeKind.RECURRING,
        description="d",
        supply_from=date(2026, 1, 1),
        supply_to=date(2026, 1, 31),
        amount=eur("12.90"),
        price_basis=PriceBasis.GROSS,
        vat_percent=Decimal("25.5"),
    )
    with pytest.raises(SelfcareError) as error:
        attrs.evolve(line, vat=eur("2.63"))
    assert error.value.codes == ("billing.inconsistent_vat",)
    with pytest.raises(SelfcareError) as error:
        _invoice([line], BillingPeriod(2026, 1), currency="SEK")
    assert error.value.codes == ("money.currency_mismatch",)
    with pytest.raises(SelfcareError) as error:
        _invoice([], BillingPeriod(2026, 1), issued_on=date(2026, 1, 15), due_on=date(2026, 1, 1))
    assert error.value.codes == ("billing.invalid_invoice_dates",)
    with pytest.raises(SelfcareError) as error:
        BillingPeriod(2026, 13)
    assert error.value.codes == ("billing.invalid_period",)
    assert str(BillingPeriod(2026, 1)) == "2026-01"
    assert BillingPeriod(2026, 12).next() == BillingPeriod(2027, 1)


def test_service_validation() -> None:
    with pytest.raises(SelfcareError) as error:
        service(date(2026, 4, 2), date(2026, 4, 1))
    assert error.value.codes == ("billing.invalid_service_dates",)
    with pytest.raises(SelfcareError) as error:
        service(date(2026, 4, 1), price="-1")
    assert error.value.codes == ("billing.negative_price",)
    with pytest.raises(SelfcareError) as error:
        service(date(2026, 4, 1), one_time_fee=Money("1", "SEK"))
    assert error.value.codes == ("money.currency_mismatch",)
    with pytest.raises(SelfcareError) as error:
        service(date(2026, 4, 1), service_id=" ")
    assert error.value.codes == ("billing.invalid_text",)
    with pytest.raises(TypeError):
        ChargeableService(
            service_id=5,  # type: ignore[arg-type]
            description="d",
            monthly_price=eur("1"),
            start=date(2026, 4, 1),
        )
    svc = service(date(2026, 4, 1), date(2026, 4, 30))
    assert svc.active_on(date(2026, 4, 30))
    assert not svc.active_on(date(2026, 5, 1))


def test_a_service_is_charged_from_its_first_day_to_its_last() -> None:
    svc = service(date(2026, 4, 1), date(2026, 4, 30))
    assert not svc.active_on(date(2026, 3, 31))
    assert svc.active_on(date(2026, 4, 1))
    assert service(date(2026, 4, 1)).active_on(date(2099, 1, 1))


def test_a_one_time_fee_of_a_service_starting_on_the_first_day_is_charged_that_month() -> None:
    svc = service(date(2026, 4, 1), one_time_fee=eur("9.90"))
    april = charges_for_period([svc], BillingPeriod(2026, 4), country="FI")
    assert [(line.kind, line.supply_from, line.gross) for line in april] == [
        (ChargeKind.RECURRING, date(2026, 4, 1), eur("30.00")),
        (ChargeKind.ONE_TIME, date(2026, 4, 1), eur("9.90")),
    ]
    march = charges_for_period([svc], BillingPeriod(2026, 3), country="FI")
    assert march == ()


def test_wrong_types_are_type_errors_that_name_the_argument_and_a_price_is_required() -> None:
    april = BillingPeriod(2026, 4)
    with pytest.raises(TypeError, match="monthly_price must be Money"):
        ChargeableService(
            service_id="s",
            description="d",
            monthly_price="30.00",  # type: ignore[arg-type]
            start=date(2026, 4, 1),
        )
    with pytest.raises(TypeError, match="start must be a date"):
        service(datetime(2026, 4, 1, tzinfo=HELSINKI))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="monthly_price must be Money, not NoneType"):
        ChargeableService(
            service_id="s",
            description="d",
            monthly_price=None,  # type: ignore[arg-type]
            start=date(2026, 4, 1),
        )
    with pytest.raises(TypeError, match="monthly_price must be Money, not NoneType"):
        PlanChange(service_id="s", on=date(2026, 4, 1), description="d", monthly_price=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="on must be a date"):
        PlanChange(
            service_id="s",
            on=datetime(2026, 4, 1, tzinfo=HELSINKI),
            description="d",
            monthly_price=eur("1"),
        )
    with pytest.raises(TypeError, match="price must be Money"):
        prorate("1.00", april, date(2026, 4, 1), date(2026, 4, 2))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="period must be BillingPeriod"):
        prorate(eur("1"), (2026, 4), date(2026, 4, 1), date(2026, 4, 2))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="first must be a date"):
        prorate(eur("1"), april, datetime(2026, 4, 1, tzinfo=HELSINKI), date(2026, 4, 2))
    with pytest.raises(TypeError, match="last must be a date"):
        prorate(eur("1"), april, date(2026, 4, 1), datetime(2026, 4, 2, tzinfo=HELSINKI))
    with pytest.raises(TypeError, match="period must be BillingPeriod"):
        charges_for_period([], (2026, 4), country="FI")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="vat_table must be VatTable"):
        charges_for_period([], april, country="FI", vat_table={})  # type: ignore[arg-type]


def test_an_unknown_plan_changes_service_id_is_named_up_to_64_characters() -> None:
    change = PlanChange(
        service_id="x" * 100, on=date(2026, 4, 21), description="X", monthly_price=eur("1")
    )
    with pytest.raises(SelfcareError) as error:
        charges_for_period(
            [service(date(2025, 1, 1))], BillingPeriod(2026, 4), country="FI", plan_changes=[change]
        )
    assert error.value.violations[0].params == {"service_id": "x" * 64}


@pytest.mark.parametrize(
    "cls", [ChargeableService, InvoiceLine, Invoice, BillingPeriod, PlanChange], ids=str
)
@given(
    data=st.dictionaries(
        st.sampled_from(
            [
                "service_id",
                "description",
                "monthly_price",
                "start",
                "end",
                "kind",
                "amount",
                "price_basis",
                "vat_percent",
                "year",
                "month",
                "invoice_id",
                "lines",
                "on",
            ]
        ),
        st.one_of(
            st.text(max_size=20),
            st.integers(),
            st.none(),
            st.just("\ud800"),
            st.just({"amount": "x", "currency": "EUR"}),
            st.just("2026-02-30"),
        ),
    )
)
def test_junk_documents_give_only_our_error(cls: type, data: dict[str, object]) -> None:
    with contextlib.suppress(SelfcareError):
        structure(data, cls)


def _sms_invoice(count: int, price: str, basis: PriceBasis) -> Invoice:
    lines = [
        InvoiceLine.build(
            service_id=f"sms-{n}",
            kind="one_time",
            description="SMS",
            supply_from=date(2026, 3, 1),
            supply_to=date(2026, 3, 31),
            amount=Money(price, "EUR"),
            price_basis=basis,
            vat_percent=Decimal("25.5"),
        )
        for n in range(count)
    ]
    return _invoice(lines, BillingPeriod(2026, 3))


def test_the_vat_of_a_category_is_computed_on_its_taxable_amount() -> None:
    # EN 16931 BR-CO-17: 3 x 0.10 net at 25.5 % is 0.30 taxable, 0.0765 VAT: 0.08 - not
    # the 0.09 of three lines' 0.0255 each rounded to 0.03. The payer still pays the
    # lines (0.39): the cent of difference is the rounding amount (BT-114).
    invoice = _sms_invoice(3, "0.10", PriceBasis.NET)
    assert [str(line.vat) for line in invoice.lines] == ["0.03 EUR"] * 3
    ((net, vat, gross),) = [(str(r.net), str(r.vat), str(r.gross)) for r in invoice.vat_breakdown()]
    assert (net, vat, gross) == ("0.30 EUR", "0.08 EUR", "0.38 EUR")
    assert str(invoice.vat_total) == "0.08 EUR"
    assert str(invoice.total_with_vat) == "0.38 EUR"
    assert str(invoice.rounding_amount) == "0.01 EUR"
    assert str(invoice.gross_total) == "0.39 EUR"


def test_prices_with_vat_included_may_need_a_rounding_amount_of_the_other_sign() -> None:
    # 4 x 0.99 with VAT: each line 0.20 VAT (0.99 x 25.5 / 125.5 = 0.2012), net 0.79;
    # taxable 3.16 x 25.5 % = 0.8058 -> 0.81 VAT, 3.97 with VAT: -0.01 to the 3.96 due.
    invoice = _sms_invoice(4, "0.99", PriceBasis.GROSS)
    assert str(invoice.vat_total) == "0.81 EUR"
    assert str(invoice.rounding_amount) == "-0.01 EUR"
    assert str(invoice.gross_total) == "3.96 EUR"


def test_without_rounding_differences_there_is_no_rounding_amount() -> None:
    invoice = _sms_invoice(2, "10.00", PriceBasis.NET)
    assert str(invoice.vat_total) == "5.10 EUR"
    assert invoice.rounding_amount == Money.zero("EUR")
