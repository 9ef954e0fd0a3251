"""The catalog and billing as one ledger: the reported defects of issue 16, each first
as a test that failed on the old code, then the invoice run's rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest
from ledger_world import PAYER, PHONE, REL, World, gross, utc

from selfcare import Money
from selfcare.billing import (
    BillingPeriod,
    ChargeableService,
    MobilePolicy,
    Party,
    PriceBasis,
    deduction_statement,
    payer_split,
    prorate,
    quoted_charges,
    split_vat,
)
from selfcare.billing.vat import NORDIC_VAT
from selfcare.catalog import (
    Catalog,
    DependentAddOns,
    OrderItem,
    Prerequisite,
    PrerequisiteKind,
    ProductStatus,
    Term,
)
from selfcare.catalog.sample import sample_catalog
from selfcare.catalog.wording import customer_message
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError

APRIL = BillingPeriod(2026, 4)
C10, E50 = "bedrift_total_c_10gb", "bedrift_total_e_50gb"


def test_an_immediate_upgrade_on_10_april_bills_april_at_589() -> None:
    # Old code: chargeable_services + plan_changes billed 649.00 (no trace of the change).
    world = World(utc(2026, 4, 10, 7))
    world.provision("sub", C10, utc(2025, 1, 1))
    world.order(OrderItem.change_plan("sub", E50)).unwrap()
    world.at(utc(2026, 5, 1, 6))
    invoice = world.invoice(APRIL).unwrap()
    assert gross(invoice) == "589.00"
    assert [
        (line.offering_id, line.supply_from.day, line.supply_to.day) for line in invoice.lines
    ] == [
        (C10, 1, 9),
        (E50, 10, 30),
    ]


def test_an_applied_downgrade_does_not_reprice_the_month_just_ended() -> None:
    # Old code: once the scheduler applied the 1 May downgrade, April cost 449.00.
    world = World(utc(2026, 4, 20, 9))
    world.provision("sub", E50, utc(2025, 1, 1))
    world.order(OrderItem.change_plan("sub", C10)).unwrap()
    world.at(utc(2026, 4, 30, 22, 0))  # midnight in Oslo: the downgrade applies
    assert world.product("sub").offering_id == C10
    world.at(utc(2026, 5, 2, 6))
    assert gross(world.invoice(APRIL).unwrap()) == "649.00"
    world.at(utc(2026, 6, 1, 6))
    assert gross(world.invoice(BillingPeriod(2026, 5), "1002").unwrap()) == "449.00"


def test_cancelling_or_removing_a_plan_takes_its_add_ons_with_it() -> None:
    # Old code: the add-on stayed active after its plan was gone (Kill Bill #1630).
    world = World(utc(2026, 4, 10, 7))
    world.provision("sub", C10, utc(2025, 1, 1))
    extra = world.order(OrderItem.add("extra_data_5gb", asset=PHONE)).unwrap()
    quote = world.app.catalog.quote_order(OrderItem.remove("sub"), world.context()).unwrap()
    assert [(line.action.value, line.offering_id) for line in quote.lines] == [
        ("remove", C10),
        ("remove", "extra_data_5gb"),
    ]
    assert quote.lines[0].effective_at == quote.lines[1].effective_at
    receipt = world.app.catalog.cancel_service("sub", world.context()).unwrap()
    assert [p.offering_id for p in receipt.dependants] == ["extra_data_5gb"]
    world.at(utc(2026, 5, 1, 6))
    statuses = {p.offering_id: p.status for p in world.products()}
    assert statuses == {C10: ProductStatus.TERMINATED, "extra_data_5gb": ProductStatus.TERMINATED}
    assert extra.items[0].offering_id == "extra_data_5gb"


def test_an_offering_may_refuse_to_leave_its_add_ons_naming_them() -> None:
    strict = Catalog(
        tuple(
            attrs.evolve(o, dependent_add_ons=DependentAddOns.REFUSE) if o.id == C10 else o
            for o in sample_catalog().offerings
        )
    )
    world = World(utc(2026, 4, 10, 7), strict)
    world.provision("sub", C10, utc(2025, 1, 1))
    world.order(OrderItem.add("extra_data_5gb", asset=PHONE)).unwrap()
    refused = world.app.catalog.cancel_service("sub", world.context())
    assert refused.codes == ("order.dependent_products",)
    assert refused.decision.violations[0].params == {
        "offering": C10,
        "dependants": ("extra_data_5gb",),
    }
    (text,) = world.app.catalog.customer_messages(refused.decision.violations, "en").unwrap()
    assert "Extra Data 5 GB" in text
    assert "extra_data_5gb" not in text


def test_changing_to_a_plan_that_does_not_allow_an_add_on_removes_it() -> None:
    only_on_e = Prerequisite(PrerequisiteKind.OFFERING, E50)
    catalog = Catalog(
        tuple(
            attrs.evolve(o, requires=frozenset({only_on_e})) if o.id == "extra_data_50gb" else o
            for o in sample_catalog().offerings
        )
    )
    world = World(utc(2026, 3, 5, 7), catalog)
    world.provision("sub", E50, utc(2025, 1, 1))
    world.order(OrderItem.add("extra_data_50gb", asset=PHONE)).unwrap()
    placed = world.order(OrderItem.change_plan("sub", C10)).unwrap()
    assert [line.offering_id for line in placed.lines] == [C10, "extra_data_50gb"]
    world.at(utc(2026, 4, 1, 6))
    assert {p.offering_id: p.status.value for p in world.products()} == {
        C10: "active",
        "extra_data_50gb": "terminated",
    }


def test_a_scheduled_downgrade_to_a_fixed_term_plan_keeps_its_commitment() -> None:
    # Old code: applying the scheduled change set only the offering, no commitment.
    fixed = Catalog(
        tuple(
            attrs.evolve(o, term=Term.fixed(12)) if o.id == C10 else o
            for o in sample_catalog().offerings
        )
    )
    world = World(utc(2026, 3, 20, 9), fixed)
    world.provision("sub", E50, utc(2025, 1, 1))
    world.order(OrderItem.change_plan("sub", "bedrift_total_d_20gb")).unwrap()
    world.order(OrderItem.change_plan("sub", C10)).unwrap()  # replaces the first
    world.at(utc(2026, 4, 1, 6))
    applied = world.product("sub")
    assert applied.offering_id == C10
    assert applied.commitment_end == utc(2027, 3, 31, 22)  # 12 months from 1 April, Oslo
    again = world.order(OrderItem.change_plan("sub", "bedrift_total_a_1gb"))
    assert again.codes == ("plan_change.downgrade_in_commitment",)


def test_the_salary_deduction_shown_is_the_charge_the_invoice_carries() -> None:
    # Old code: the dialog split 199 (70 employer / 129 employee) while the invoice
    # charged 139.30 for the partial month: 59.70 NOK over-deducted.
    world = World(utc(2026, 4, 10, 7))
    world.provision("sub", C10, utc(2025, 1, 1))
    policy = MobilePolicy(
        policy_id="p",
        employer="Fylket",
        monthly_allowance=Money("100", "NOK"),
        employer_paid={C10, E50},
    )
    quote = world.app.catalog.quote_order(
        OrderItem.add("extra_data_15gb", asset=PHONE), world.context()
    ).unwrap()
    split = payer_split(quoted_charges(quote), policy, Money("30", "NOK"))
    assert str(split.lines[0].charge.amount) == "139.30 NOK"
    assert (str(split.employer_total), str(split.salary_deduction)) == ("70.00 NOK", "69.30 NOK")
    world.order(*quote.items).unwrap()
    world.at(utc(2026, 5, 1, 6))
    invoice = world.invoice(APRIL).unwrap()
    assert gross(invoice, ["extra_data_15gb"]) == "139.30"
    statement = deduction_statement(invoice, policy, employee="kari")
    assert statement.employer_total + statement.total == invoice.gross_total
    assert str(statement.total) == "39.30 NOK"  # 139.30 less the whole 100 allowance


def test_refusals_name_offerings_and_capabilities_as_customers_do() -> None:
    # Old code: "Tuote 'tv_sport' edellyttää: capability:pay_tv_card".
    world = World(utc(2026, 4, 10, 7))
    no_card = attrs.evolve(world.context(), capabilities=frozenset())
    refused = world.app.catalog.quote_order(OrderItem.add("tv_sport"), no_card)
    (fi,) = world.app.catalog.customer_messages(refused.decision.violations, "fi").unwrap()
    assert fi == "Tuote 'Urheilu Max' edellyttää: voimassa oleva maksu-TV-kortti."
    (sv,) = world.app.catalog.customer_messages(refused.decision.violations, "sv").unwrap()
    assert "tv_sport" not in sv
    assert "betal-tv-kort" in sv


def test_split_vat_takes_the_basis_by_value() -> None:
    # Old code: "gross" was compared by identity and computed a VAT-exclusive split.
    amounts = split_vat(Money("12.40", "EUR"), Decimal(24), "gross")  # type: ignore[arg-type]
    assert (str(amounts.net), str(amounts.gross)) == ("10.00 EUR", "12.40 EUR")
    with pytest.raises(SelfcareError) as error:
        split_vat(Money("1", "EUR"), Decimal(24), "brutto")  # type: ignore[arg-type]
    assert error.value.codes == ("billing.invalid_choice",)
    with pytest.raises(TypeError):
        split_vat(Money("1", "EUR"), Decimal(24), None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "call",
    [
        lambda: prorate(None, APRIL, date(2026, 4, 1), date(2026, 4, 2)),  # type: ignore[arg-type]
        lambda: prorate(Money("1", "EUR"), APRIL, None, date(2026, 4, 2)),  # type: ignore[arg-type]
        lambda: prorate(Money("1", "EUR"), "2026-04", date(2026, 4, 1), date(2026, 4, 2)),  # type: ignore[arg-type]
        lambda: ChargeableService(
            service_id="s",
            description="d",
            monthly_price=9,
            start=date(2026, 4, 1),  # type: ignore[arg-type]
        ),
        lambda: ChargeableService(
            service_id="s",
            description="d",
            monthly_price=Money("9", "EUR"),
            start=None,  # type: ignore[arg-type]
        ),
        lambda: payer_split([], None, Money("0", "NOK")),  # type: ignore[arg-type]
        lambda: payer_split(
            [None],
            MobilePolicy(  # type: ignore[list-item]
                policy_id="p", employer="e", monthly_allowance=Money("1", "NOK")
            ),
            Money("0", "NOK"),
        ),
        lambda: Money("1", "EUR").allocate([None]),  # type: ignore[list-item]
        lambda: BillingPeriod("2026", 4),  # type: ignore[arg-type]
        lambda: NORDIC_VAT.rate_on("FI", None),  # type: ignore[arg-type]
    ],
)
def test_wrong_types_are_refused_with_type_error(call: object) -> None:
    # Old code: AttributeError, or None accepted silently.
    with pytest.raises(TypeError):
        call()  # type: ignore[operator]


def test_allocate_refuses_a_nan_weight_with_a_code() -> None:
    # Old code: decimal.InvalidOperation.
    for weight in (Decimal("NaN"), Decimal("Infinity")):
        with pytest.raises(SelfcareError) as error:
            Money("1", "EUR").allocate([weight, 1])
        assert error.value.codes == ("money.invalid_allocation",)


def test_finnish_vat_history_since_2010() -> None:
    rates = [
        NORDIC_VAT.rate_on("FI", day).percent
        for day in (
            date(2010, 6, 30),
            date(2010, 7, 1),
            date(2012, 12, 31),
            date(2013, 1, 1),
            date(2024, 8, 31),
            date(2024, 9, 1),
        )
    ]
    assert rates == [
        Decimal(22),
        Decimal(23),
        Decimal(23),
        Decimal(24),
        Decimal(24),
        Decimal("25.5"),
    ]


def test_billing_periods_with_an_anchor_day() -> None:
    period = BillingPeriod(2026, 1, anchor_day=15)
    assert (period.first_day, period.last_day, period.days) == (
        date(2026, 1, 15),
        date(2026, 2, 14),
        31,
    )
    assert BillingPeriod.containing(utc(2026, 2, 14, 12), NORDIC_ZONE, anchor_day=15) == period
    assert str(period.next()) == "2026-02-15"
    with pytest.raises(SelfcareError) as error:
        BillingPeriod(2026, 1, anchor_day=29)
    assert error.value.codes == ("billing.invalid_anchor_day",)
    halves = prorate(Money("31", "EUR"), period, date(2026, 1, 15), date(2026, 1, 31))
    assert str(halves) == "17.00 EUR"


def test_an_anchor_day_cycle_is_invoiced_from_the_inventory() -> None:
    world = World(utc(2026, 3, 20, 7))
    world.provision("sub", C10, utc(2025, 1, 1))
    world.at(utc(2026, 4, 15, 6))
    cycle = BillingPeriod(2026, 3, anchor_day=15)
    invoice = world.invoice(cycle).unwrap()
    assert gross(invoice) == "449.00"
    assert (invoice.lines[0].supply_from, invoice.lines[0].supply_to) == (
        date(2026, 3, 15),
        date(2026, 4, 14),
    )


def test_the_invoice_run_is_idempotent_and_waits_for_the_period_to_end() -> None:
    world = World(utc(2026, 4, 10, 7))
    world.provision("sub", C10, utc(2025, 1, 1))
    assert world.invoice(APRIL).codes == ("billing.period_not_ended",)
    world.at(utc(2026, 5, 1, 6))
    first = world.invoice(APRIL)
    assert [e.name for e in first.events] == ["InvoiceIssued"]
    again = world.invoice(APRIL, "1099")
    assert again.unwrap() == first.unwrap()
    assert again.events == ()
    with world.app.storage.billing as uow:
        assert len(uow.invoices.for_payer(PAYER)) == 1


def test_the_invoice_follows_the_en_16931_model() -> None:
    world = World(utc(2026, 4, 10, 7))
    world.app.billing.seller = Party(name="Telenor Norge AS", country="NO", vat_id="NO976967631MVA")
    world.provision("sub", C10, utc(2025, 1, 1))
    world.at(utc(2026, 5, 1, 6))
    buyer = Party(name="Trøndelag fylkeskommune", country="NO", identifier=str(PAYER))
    invoice = world.app.billing.run_invoice(
        relationship_id=REL,
        payer=PAYER,
        period=APRIL,
        invoice_number="2026040001",
        country="NO",
        buyer=buyer,
        lang="nb",
    ).unwrap()
    assert invoice.seller is not None
    assert invoice.seller.vat_id == "NO976967631MVA"
    assert invoice.buyer == buyer
    assert invoice.relationship_id == REL
    terms = invoice.payment_terms
    assert (terms.reference, terms.due_on, terms.payment_days) == (
        invoice.reference,
        date(2026, 5, 15),
        14,
    )
    (row,) = invoice.vat_breakdown()
    assert (row.category_code, row.vat_percent, str(row.gross)) == ("S", Decimal(25), "449.00 NOK")
    assert row.net + row.vat == invoice.gross_total
    assert invoice.lines[0].description == "Bedrift Total C (10 GB) +4741234567"


def test_a_customer_message_without_a_label_shows_words_not_a_key() -> None:
    missing = Violation(
        "order.missing_prerequisite",
        {"offering": "tv_kids", "prerequisite": "capability:smart_card"},
    )
    text = customer_message(missing, sample_catalog(), "en")
    assert "capability:" not in text
    assert "smart card" in text
    assert "tv_kids" not in text


def test_prices_are_gross_by_default() -> None:
    assert PriceBasis("gross") is PriceBasis.GROSS


NORDIC_ZONE = __import__("zoneinfo").ZoneInfo("Europe/Oslo")
