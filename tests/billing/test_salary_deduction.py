"""Salary deduction rules at their edges: what a quote line adds to this month's invoice,
which phone number a charge names, and how invoice lines share the monthly allowance."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from selfcare import Money, SelfcareError
from selfcare.billing import (
    BillingPeriod,
    ChargeKind,
    Invoice,
    InvoiceLine,
    MobilePolicy,
    PriceBasis,
    deduction_statement,
    payer_split,
    quoted_charges,
)
from selfcare.catalog import Asset, LocalizedText, OrderAction, OrderItem, OrderQuote, QuoteLine
from selfcare.core.ids import RelationshipId

PHONE = Asset.msisdn("+4791234567")
# 21 April 2026 00:00 in Helsinki (EEST): 10 of April's 30 days are left.
APRIL_21 = datetime(2026, 4, 20, 21, 0, tzinfo=UTC)


def nok(amount: str) -> Money:
    return Money(amount, "NOK")


def line(
    *,
    monthly: str | None = None,
    change: str | None = None,
    one_time: str | None = None,
    at: datetime = APRIL_21,
    asset: Asset | None = PHONE,
) -> QuoteLine:
    return QuoteLine(
        item_index=0,
        action=OrderAction.ADD,
        offering_id="extra",
        product_name=LocalizedText(en="Extra", fi="Extra", sv="Extra", nb="Ekstra"),
        asset=asset,
        monthly_change=None if change is None else nok(change),
        one_time=None if one_time is None else nok(one_time),
        effective_at=at,
        group="mobile_addons",
        monthly_price=None if monthly is None else nok(monthly),
    )


def charged(*lines: QuoteLine, **options: object) -> list[Money]:
    quote = OrderQuote(
        relationship_id=RelationshipId("rel-1"),
        items=tuple(OrderItem.add("extra") for _ in lines),
        lines=lines,
        quoted_at=APRIL_21,
    )
    return [c.amount for c in quoted_charges(quote, **options)]  # type: ignore[arg-type]


# --------------------------------------------------------------------------- quoted charges


def test_an_upgrade_adds_only_the_monthly_difference_for_the_days_left() -> None:
    # 449 -> 649 from 21 April: 649 - C(20) = 649 - 432.67 = 216.33 less
    # 449 - C(20) = 449 - 299.33 = 149.67, i.e. 66.66 (200 * 10 / 30, to the cent).
    assert charged(line(monthly="649.00", change="200.00")) == [nok("66.66")]
    # A new product (no old price) adds its whole pro-rated price.
    assert charged(line(monthly="30.00", change="30.00")) == [nok("10.00")]


def test_a_line_without_a_monthly_price_adds_its_one_time_charge_alone() -> None:
    assert charged(line(one_time="99.00")) == [nok("99.00")]
    assert charged(line(monthly="30.00", change="30.00", one_time="99.00")) == [nok("109.00")]


def test_a_monthly_increase_of_less_than_one_krone_is_charged() -> None:
    first_of_april = datetime(2026, 3, 31, 21, 0, tzinfo=UTC)
    assert charged(line(monthly="10.60", change="0.60", at=first_of_april)) == [nok("0.60")]


def test_free_lines_and_decreases_add_nothing() -> None:
    assert charged(line(one_time="0.00")) == []
    assert charged(line(monthly="10.00", change="0.00")) == []
    assert charged(line(monthly="10.00", change="-0.50")) == []
    assert charged(line(monthly="10.00", change="-5.00", one_time="9.00")) == [nok("9.00")]


def test_the_days_left_are_counted_in_the_operator_zone() -> None:
    # 21:30 UTC on 30 April is 00:30 on 1 May in Helsinki (the default zone): the whole
    # of May, but 23:30 on 30 April in Stockholm: one day of April.
    late = datetime(2026, 4, 30, 21, 30, tzinfo=UTC)
    assert charged(line(monthly="30.00", change="30.00", at=late)) == [nok("30.00")]
    stockholm = ZoneInfo("Europe/Stockholm")
    in_stockholm = charged(line(monthly="30.00", change="30.00", at=late), zone=stockholm)
    assert in_stockholm == [nok("1.00")]


def test_only_a_phone_number_is_shown_with_a_charge() -> None:
    quote = OrderQuote(
        relationship_id=RelationshipId("rel-1"),
        items=(OrderItem.add("a"), OrderItem.add("b"), OrderItem.add("c")),
        lines=(
            line(one_time="1.00"),
            line(one_time="1.00", asset=Asset.metering_point("643007574000000008")),
            line(one_time="1.00", asset=None),
        ),
        quoted_at=APRIL_21,
    )
    assert [c.msisdn for c in quoted_charges(quote)] == ["+4791234567", None, None]


# --------------------------------------------------------------------------- policy


def test_an_offering_both_parties_pay_is_named_up_to_64_characters() -> None:
    both = "x" * 100
    with pytest.raises(SelfcareError) as error:
        MobilePolicy(
            policy_id="p",
            employer="e",
            monthly_allowance=nok("1"),
            employer_paid={both},
            employee_paid={both},
        )
    assert error.value.violations[0].params == {"offerings": ("x" * 64,)}


def test_wrong_types_are_type_errors_that_name_the_argument() -> None:
    policy = MobilePolicy(policy_id="p", employer="e", monthly_allowance=nok("1"))
    with pytest.raises(TypeError, match="spent_this_month must be Money"):
        payer_split([], policy, Decimal(0))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="invoice must be Invoice"):
        deduction_statement(None, policy, employee="kari")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="policy must be MobilePolicy"):
        deduction_statement(invoice([]), None, employee="kari")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- statement


def invoice_line(
    offering: str, amount: str, kind: ChargeKind = ChargeKind.RECURRING
) -> InvoiceLine:
    return InvoiceLine.build(
        service_id=f"s-{offering}",
        kind=kind,
        description=offering,
        supply_from=date(2026, 4, 1),
        supply_to=date(2026, 4, 30),
        amount=nok(amount),
        price_basis=PriceBasis.GROSS,
        vat_percent=Decimal(25),
        offering_id=offering,
    )


def invoice(lines: list[InvoiceLine]) -> Invoice:
    return Invoice(
        invoice_id="1",
        payer="C-1",
        period=BillingPeriod(2026, 4),
        currency="NOK",
        issued_on=date(2026, 5, 1),
        due_on=date(2026, 5, 15),
        reference="1232",
        lines=lines,
    )


ALLOWANCE = MobilePolicy(policy_id="p", employer="e", monthly_allowance=nok("100"))


def statement_of(*lines: InvoiceLine) -> list[tuple[str, Money, Money]]:
    statement = deduction_statement(invoice(list(lines)), ALLOWANCE, employee="kari")
    assert statement.employer_total + statement.total == statement.invoice_total
    return [(e.offering_id, e.employer, e.amount) for e in statement.entries]


def test_invoice_lines_share_one_monthly_allowance_in_their_order() -> None:
    assert statement_of(invoice_line("a", "60"), invoice_line("b", "60")) == [
        ("a", nok("60"), nok("0")),
        ("b", nok("40"), nok("20")),
    ]


def test_a_line_of_less_than_one_krone_beyond_the_allowance_is_deducted() -> None:
    assert statement_of(invoice_line("a", "100"), invoice_line("b", "0.50")) == [
        ("a", nok("100"), nok("0")),
        ("b", nok("0"), nok("0.50")),
    ]


def test_a_credit_goes_back_to_the_employer_and_its_allowance() -> None:
    credit = invoice_line("a", "-0.50", ChargeKind.CREDIT)
    assert statement_of(invoice_line("a", "100"), credit, invoice_line("b", "1")) == [
        ("a", nok("100"), nok("0")),
        ("a", nok("-0.50"), nok("0")),
        ("b", nok("0.50"), nok("0.50")),
    ]
