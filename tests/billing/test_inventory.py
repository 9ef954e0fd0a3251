from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from selfcare import Money
from selfcare.billing import (
    BillingPeriod,
    ChargeKind,
    MobilePolicy,
    chargeable_services,
    charges_for_period,
    payer_split,
    plan_changes,
    quoted_charges,
)
from selfcare.catalog import (
    Asset,
    LocalizedText,
    OrderAction,
    OrderItem,
    OrderQuote,
    ProductInstance,
    ProductStatus,
    QuoteLine,
    ScheduledChange,
    ScheduledChangeKind,
)
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


def test_products_become_chargeable_services_on_local_days() -> None:
    # Starts at 22:30 UTC on 9 April: 10 April in Helsinki. Ends at local midnight
    # of 21 April: the 20th is the last charged day.
    sport = product(
        "tv_sport",
        datetime(2026, 4, 9, 22, 30, tzinfo=UTC),
        datetime(2026, 4, 20, 21, 0, tzinfo=UTC),
    )
    services = chargeable_services(
        [
            sport,
            product("tv_kids", None),
            product("unknown_offering", datetime(2026, 1, 1, tzinfo=UTC)),
        ],
        sample_catalog(),
        zone=HELSINKI,
    )
    assert len(services) == 1
    assert (services[0].start, services[0].end) == (date(2026, 4, 10), date(2026, 4, 20))
    assert services[0].monthly_price == Money("29.90", "EUR")
    lines = charges_for_period(services, BillingPeriod(2026, 4), country="FI")
    # 11 of 30 days of 29.90: C(20) - C(9) = 19.93 - 8.97
    assert [line.gross for line in lines] == [Money("10.96", "EUR")]


def test_a_product_that_ends_before_it_starts_or_is_free_is_not_charged() -> None:
    ended = product(
        "tv_sport", datetime(2026, 4, 10, 12, tzinfo=UTC), datetime(2026, 4, 9, 21, 0, tzinfo=UTC)
    )
    free = product("mix_history", datetime(2026, 4, 10, 12, tzinfo=UTC))
    assert chargeable_services([ended, free], sample_catalog(), zone=HELSINKI) == ()


def test_one_time_fee_and_phone_number_come_from_the_catalog() -> None:
    twin = product(
        "twin_sim", datetime(2026, 4, 1, 8, tzinfo=UTC), asset=Asset.msisdn("+4791234567")
    )
    (service,) = chargeable_services([twin], sample_catalog(), zone=OSLO, lang="nb")
    assert service.one_time_fee == Money("99.00", "NOK")
    assert service.description.endswith("+4791234567")
    lines = charges_for_period([service], BillingPeriod(2026, 4), country="NO")
    assert [line.kind for line in lines] == [ChargeKind.RECURRING, ChargeKind.ONE_TIME]


def test_scheduled_plan_changes_become_plan_changes() -> None:
    plan = product(
        "bedrift_total_c_10gb",
        datetime(2025, 1, 1, tzinfo=UTC),
        asset=Asset.msisdn("+4791234567"),
        scheduled=ScheduledChange(
            kind=ScheduledChangeKind.CHANGE_PLAN,
            effective_at=datetime(2026, 4, 20, 22, 0, tzinfo=UTC),
            offering_id="bedrift_total_e_50gb",
        ),
    )
    terminate = product(
        "tv_sport",
        datetime(2025, 1, 1, tzinfo=UTC),
        scheduled=ScheduledChange(
            kind=ScheduledChangeKind.TERMINATE, effective_at=datetime(2026, 4, 20, tzinfo=UTC)
        ),
    )
    unknown = product(
        "tv_kids",
        datetime(2025, 1, 1, tzinfo=UTC),
        scheduled=ScheduledChange(
            kind=ScheduledChangeKind.CHANGE_PLAN,
            effective_at=datetime(2026, 4, 20, tzinfo=UTC),
            offering_id="no_such_offering",
        ),
    )
    assert plan_changes([unknown], sample_catalog(), zone=OSLO) == ()
    (change,) = plan_changes(
        [plan, terminate, product("tv_kids", None)], sample_catalog(), zone=OSLO
    )
    assert change.on == date(2026, 4, 21)
    assert change.monthly_price == Money("649.00", "NOK")
    services = chargeable_services([plan], sample_catalog(), zone=OSLO)
    lines = charges_for_period(
        services, BillingPeriod(2026, 4), country="NO", plan_changes=[change]
    )
    assert [line.kind for line in lines] == [
        ChargeKind.RECURRING,
        ChargeKind.CREDIT,
        ChargeKind.RECURRING,
    ]
    assert sum((line.gross for line in lines), Money.zero("NOK")) == Money(
        "515.66", "NOK"
    )  # 449 - 149.67 + 216.33


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
        ("extra_data_15gb", Money("199.00", "NOK"), "+4791234567"),
        ("twin_sim", Money("148.00", "NOK"), "+4791234567"),
    ]
    assert charges[0].description == "extra_data_15gb (nb)"
    policy = MobilePolicy(
        policy_id="p",
        employer="Fylket",
        monthly_allowance=Money("250", "NOK"),
        employee_paid={"twin_sim"},
    )
    split = payer_split(quote, policy, Money("0", "NOK"))
    assert split.employer_total == Money("199.00", "NOK")
    assert split.salary_deduction == Money("148.00", "NOK")
