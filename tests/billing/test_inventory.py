from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import attrs

from selfcare import Money
from selfcare.billing import (
    BillingPeriod,
    ChargeKind,
    InvoiceLine,
    MobilePolicy,
    invoice_lines,
    payer_split,
    quoted_charges,
)
from selfcare.catalog import (
    Asset,
    LocalizedText,
    OrderAction,
    OrderItem,
    OrderQuote,
    ProductInstance,
    ProductPrice,
    ProductStatus,
    QuoteLine,
)
from selfcare.catalog.inventory import repriced, with_history
from selfcare.catalog.sample import sample_catalog
from selfcare.core.ids import RelationshipId

HELSINKI = ZoneInfo("Europe/Helsinki")
OSLO = ZoneInfo("Europe/Oslo")
REL = RelationshipId("rel-1")


def product(
    offering: str, start: datetime | None, end: datetime | None = None, **kw: object
) -> ProductInstance:
    return ProductInstance(
        id=f"p-{offering}",
        offering_id=offering,
        relationship_id=REL,
        status=ProductStatus.ACTIVE,
        start=start,
        end=end,
        **kw,  # type: ignore[arg-type]
    )


def _lines(
    products: list[ProductInstance], zone: ZoneInfo, country: str = "FI"
) -> list[InvoiceLine]:
    return list(
        invoice_lines(
            products, sample_catalog(), BillingPeriod(2026, 4), zone=zone, country=country
        )
    )


def test_products_are_charged_on_local_days() -> None:
    # Starts at 22:30 UTC on 9 April: 10 April in Helsinki. Ends at local midnight
    # of 21 April: the 20th is the last charged day.
    sport = product(
        "tv_sport",
        datetime(2026, 4, 9, 22, 30, tzinfo=UTC),
        datetime(2026, 4, 20, 21, 0, tzinfo=UTC),
    )
    lines = _lines(
        [
            sport,
            product("tv_kids", None),
            product("unknown_offering", datetime(2026, 1, 1, tzinfo=UTC)),
        ],
        HELSINKI,
    )
    assert [(line.supply_from, line.supply_to) for line in lines] == [
        (date(2026, 4, 10), date(2026, 4, 20))
    ]
    # 11 of 30 days of 29.90: C(20) - C(9) = 19.93 - 8.97
    assert [line.gross for line in lines] == [Money("10.96", "EUR")]


def test_a_product_that_ends_before_it_starts_or_is_free_is_not_charged() -> None:
    ended = product(
        "tv_sport", datetime(2026, 4, 10, 12, tzinfo=UTC), datetime(2026, 4, 9, 21, 0, tzinfo=UTC)
    )
    free = product("mix_history", datetime(2026, 4, 10, 12, tzinfo=UTC))
    assert _lines([ended, free], HELSINKI) == []


def test_one_time_fee_and_phone_number_come_from_the_history() -> None:
    start = datetime(2026, 4, 1, 8, tzinfo=UTC)
    twin = product(
        "twin_sim",
        start,
        asset=Asset.msisdn("+4791234567"),
        prices=(
            ProductPrice(
                offering_id="twin_sim",
                valid_from=start,
                recurring=Money("49", "NOK"),
                one_time=Money("99", "NOK"),
            ),
        ),
    )
    lines = _lines([twin], OSLO, "NO")
    assert [line.kind for line in lines] == [ChargeKind.RECURRING, ChargeKind.ONE_TIME]
    assert lines[1].gross == Money("99.00", "NOK")
    assert lines[0].description.endswith("+4791234567")


def test_a_scheduled_plan_change_is_priced_from_the_day_it_takes_effect() -> None:
    catalog = sample_catalog()
    plan = product("bedrift_total_c_10gb", datetime(2025, 1, 1, tzinfo=UTC))
    c10, e50 = catalog.find("bedrift_total_c_10gb"), catalog.find("bedrift_total_e_50gb")
    assert c10 is not None
    assert e50 is not None
    plan = with_history(plan, c10)
    moved = repriced(plan, e50, at=datetime(2026, 4, 20, 22, 0, tzinfo=UTC))
    lines = _lines([attrs.evolve(plan, prices=moved)], OSLO, "NO")
    assert [(line.supply_from.day, line.supply_to.day) for line in lines] == [(1, 20), (21, 30)]
    # C(20) at 449 + (649 - C(20) at 649)
    assert sum((line.gross for line in lines), Money.zero("NOK")) == Money("515.66", "NOK")


def _line(index: int, offering: str, monthly: str | None, one_time: str | None) -> QuoteLine:
    name = LocalizedText(en=offering, fi=offering, sv=offering, nb=f"{offering} (nb)")
    return QuoteLine(
        item_index=index,
        action=OrderAction.ADD,
        offering_id=offering,
        product_name=name,
        asset=Asset.msisdn("+4791234567"),
        monthly_change=None if monthly is None else Money(monthly, "NOK"),
        one_time=None if one_time is None else Money(one_time, "NOK"),
        effective_at=datetime(2026, 4, 12, tzinfo=UTC),
        group="mobile_addons",
        monthly_price=None if monthly is None else Money(monthly, "NOK"),
    )


def test_the_order_quote_shows_the_salary_deduction_before_confirming() -> None:
    quote = OrderQuote(
        relationship_id=REL,
        items=(OrderItem.add("extra_data_15gb"), OrderItem.add("twin_sim"), OrderItem.add("x")),
        lines=(
            _line(0, "extra_data_15gb", "199.00", None),
            _line(1, "twin_sim", "49.00", "99.00"),
            _line(2, "downgrade", "-10.00", None),
        ),
        quoted_at=datetime(2026, 4, 12, tzinfo=UTC),
    )
    charges = quoted_charges(quote)
    assert [(c.offering_id, c.amount, c.msisdn) for c in charges] == [
        # 19 of 30 days: 199 - C(11) = 199 - 72.97; 49 - 17.97 and the 99 fee
        ("extra_data_15gb", Money("126.03", "NOK"), "+4791234567"),
        ("twin_sim", Money("130.03", "NOK"), "+4791234567"),
    ]
    assert charges[0].description == "extra_data_15gb (nb)"
    policy = MobilePolicy(
        policy_id="p",
        employer="Fylket",
        monthly_allowance=Money("250", "NOK"),
        employee_paid={"twin_sim"},
    )
    split = payer_split(quote, policy, Money("0", "NOK"))
    assert split.employer_total == Money("126.03", "NOK")
    assert split.salary_deduction == Money("130.03", "NOK")
