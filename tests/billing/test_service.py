from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from selfcare import Money
from selfcare.billing import (
    BillingAgreement,
    BillingAgreementAdded,
    BillingAgreementEnded,
    BillingMethod,
    BillingPeriod,
    BillingService,
    ChargeableService,
    Invoice,
    InvoiceIssued,
    PlanChange,
    VatTable,
    fi_reference,
    kid,
    ocr_reference,
    payment_reference,
    rf_reference,
)
from selfcare.bootstrap import App, Policies, bootstrap, memory_storage
from selfcare.core.errors import AlreadyExists
from selfcare.core.ids import CustomerNumber
from selfcare.core.kinds import Kind
from selfcare.core.outcome import Outcome
from selfcare.testing.fakes import CountingSecrets, SequentialIds, SteppableClock

PAYER = CustomerNumber("C-1")
NOW = datetime(2026, 5, 1, 6, 0, tzinfo=UTC)
TV = ChargeableService(
    service_id="tv",
    description="TV Mix",
    monthly_price=Money("19.90", "EUR"),
    start=date(2026, 4, 16),
)


def app(policies: Policies | None = None) -> App:
    return bootstrap(
        memory_storage(),
        clock=SteppableClock(NOW),
        ids=SequentialIds("ba"),
        secrets=CountingSecrets(),
        policies=policies,
    )


def billing_with_agreement(policies: Policies | None = None) -> BillingService:
    billing = app(policies).billing
    billing.add_billing_agreement(
        agreement_id="ba-1",
        payer=PAYER,
        method=BillingMethod.E_INVOICE,
        valid_from=date(2026, 1, 1),
    ).unwrap()
    return billing


def april_invoice(billing: BillingService, number: str, country: str = "FI") -> Outcome[Invoice]:
    return billing.issue_invoice(
        invoice_number=number,
        payer=PAYER,
        period=BillingPeriod(2026, 4),
        services=[TV],
        country=country,
        currency="EUR",
    )


def test_issue_invoice_charges_the_month_and_saves_it() -> None:
    billing = billing_with_agreement()
    outcome = april_invoice(billing, "2026050001")
    invoice = outcome.unwrap()
    assert invoice.gross_total == Money("9.95", "EUR")  # 15 of 30 days
    assert (invoice.issued_on, invoice.due_on) == (date(2026, 5, 1), date(2026, 5, 15))
    assert fi_reference.validate(invoice.reference) == invoice.reference
    assert outcome.events == (
        InvoiceIssued(
            occurred_at=NOW,
            invoice_id="2026050001",
            payer=PAYER,
            period=BillingPeriod(2026, 4),
            reference=invoice.reference,
            issued_on=date(2026, 5, 1),
            due_on=date(2026, 5, 15),
            gross_total=Money("9.95", "EUR"),
        ),
    )
    with billing.uow as uow:
        assert uow.invoices.find_by_reference(invoice.reference) == invoice
    with pytest.raises(AlreadyExists):
        april_invoice(billing, "2026050001")


def test_the_invoice_is_dated_today_in_the_operators_zone() -> None:
    # 23:30 UTC on 30 April is already 1 May in Helsinki.
    services = app()
    services.billing.add_billing_agreement(
        payer=PAYER, method="e_invoice", valid_from=date(2026, 1, 1)
    ).unwrap()
    services.clock.set(datetime(2026, 4, 30, 23, 30, tzinfo=UTC))  # type: ignore[attr-defined]
    invoice = april_invoice(services.billing, "2026050001").unwrap()
    assert invoice.issued_on == date(2026, 5, 1)


def test_payment_days_and_vat_table_come_from_the_policies() -> None:
    billing = billing_with_agreement(Policies(payment_days=30, vat_table=VatTable(())))
    assert april_invoice(billing, "2026050001").codes == ("vat.no_rate",)
    billing = billing_with_agreement(Policies(payment_days=30))
    assert april_invoice(billing, "2026050001").unwrap().due_on == date(2026, 5, 31)


def test_no_invoice_without_a_billing_agreement() -> None:
    outcome = april_invoice(app().billing, "2026050001")
    assert outcome.codes == ("billing.no_valid_agreement",)
    assert outcome.events == ()


def test_an_invoice_number_the_reference_scheme_cannot_take_is_refused() -> None:
    outcome = april_invoice(billing_with_agreement(), "INV-1")
    assert outcome.codes == ("reference.invalid_characters",)
    assert outcome.kind is Kind.INVALID


def test_a_plan_change_for_a_service_not_charged_is_refused() -> None:
    billing = billing_with_agreement()
    change = PlanChange(
        service_id="nope",
        on=date(2026, 4, 20),
        description="TV Max",
        monthly_price=Money("29.90", "EUR"),
    )
    outcome = billing.issue_invoice(
        invoice_number="2026050001",
        payer=PAYER,
        period=BillingPeriod(2026, 4),
        services=[TV],
        country="FI",
        currency="EUR",
        plan_changes=[change],
    )
    assert outcome.codes == ("billing.unknown_plan_change",)
    with billing.uow as uow:
        assert uow.invoices.find("2026050001") is None


def test_payment_reference_per_country() -> None:
    assert fi_reference.validate(payment_reference("FI", "123"))
    assert ocr_reference.validate(payment_reference("SE", "123"), length_digit=True)
    assert kid.validate(payment_reference("NO", "123"))
    assert rf_reference.validate(payment_reference("DK", "123")).endswith("123")


def test_adding_an_agreement_gives_it_a_new_id_and_an_event() -> None:
    billing = app().billing
    outcome = billing.add_billing_agreement(
        payer=PAYER, method="direct_payment", valid_from=date(2026, 1, 1)
    )
    agreement = outcome.unwrap()
    assert agreement == BillingAgreement(
        agreement_id="ba-1",
        payer=PAYER,
        method=BillingMethod.DIRECT_PAYMENT,
        valid_from=date(2026, 1, 1),
    )
    assert outcome.events == (
        BillingAgreementAdded(
            occurred_at=NOW,
            agreement_id="ba-1",
            payer=PAYER,
            method=BillingMethod.DIRECT_PAYMENT,
            valid_from=date(2026, 1, 1),
        ),
    )
    assert billing.billing_agreements_of(PAYER).unwrap() == (agreement,)
    assert billing.check_billing_agreement(PAYER).unwrap() == agreement


def test_an_agreement_that_ends_before_it_starts_is_refused() -> None:
    billing = app().billing
    outcome = billing.add_billing_agreement(
        payer=PAYER,
        method="paper",
        valid_from=date(2026, 1, 1),
        valid_to=date(2025, 12, 31),
    )
    assert outcome.codes == ("billing.invalid_agreement_dates",)
    assert billing.billing_agreements_of(PAYER).unwrap() == ()
    assert billing.add_billing_agreement(
        payer=PAYER, method="fax", valid_from=date(2026, 1, 1)
    ).codes == ("billing.invalid_choice",)


def test_ending_an_agreement_stops_ordering_from_the_next_day() -> None:
    billing = billing_with_agreement()
    outcome = billing.end_billing_agreement("ba-1", last_day=date(2026, 4, 30))
    ended = outcome.unwrap()
    assert ended.version == 2
    assert outcome.events == (
        BillingAgreementEnded(
            occurred_at=NOW, agreement_id="ba-1", payer=PAYER, last_day=date(2026, 4, 30)
        ),
    )
    assert april_invoice(billing, "2026050002").codes == ("billing.no_valid_agreement",)
    assert billing.check_billing_agreement(PAYER).codes == ("billing.no_valid_agreement",)


def test_ending_an_unknown_agreement_or_before_it_starts_is_refused() -> None:
    billing = billing_with_agreement()
    unknown = billing.end_billing_agreement("nope", last_day=date(2026, 4, 30))
    assert unknown.codes == ("billing.unknown_agreement",)
    assert unknown.kind is Kind.NOT_FOUND
    early = billing.end_billing_agreement("ba-1", last_day=date(2025, 12, 31))
    assert early.codes == ("billing.invalid_agreement_dates",)
    assert billing.billing_agreements_of(PAYER).unwrap()[0].version == 1


def test_an_agreement_is_in_force_on_its_last_day_only_until_midnight() -> None:
    services = app()
    services.billing.add_billing_agreement(
        payer=PAYER, method="email", valid_from=date(2026, 1, 1), valid_to=date(2026, 5, 1)
    ).unwrap()
    assert services.billing.check_billing_agreement(PAYER).ok
    services.clock.advance(timedelta(days=1))  # type: ignore[attr-defined]
    assert not services.billing.check_billing_agreement(PAYER).ok
