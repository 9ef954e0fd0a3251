from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from selfcare import Money, NotFound, SelfcareError
from selfcare.adapters.memory import MemoryDatabase
from selfcare.adapters.memory.billing import MemoryBillingUnitOfWork
from selfcare.billing import (
    BillingAgreement,
    BillingMethod,
    BillingPeriod,
    ChargeableService,
    end_billing_agreement,
    issue_invoice,
    payment_reference,
    validate_fi_reference,
    validate_kid,
    validate_ocr_reference,
    validate_rf_reference,
)
from selfcare.core.errors import AlreadyExists
from selfcare.core.ids import CustomerNumber

PAYER = CustomerNumber("C-1")
NOW = datetime(2026, 5, 1, 6, 0, tzinfo=UTC)
TV = ChargeableService(
    service_id="tv",
    description="TV Mix",
    monthly_price=Money("19.90", "EUR"),
    start=date(2026, 4, 16),
)


def uow_with_agreement() -> MemoryBillingUnitOfWork:
    uow = MemoryBillingUnitOfWork(MemoryDatabase())
    with uow:
        uow.agreements.add(
            BillingAgreement(
                agreement_id="ba-1",
                payer=PAYER,
                method=BillingMethod.E_INVOICE,
                valid_from=date(2026, 1, 1),
            )
        )
        uow.commit()
    return uow


def test_issue_invoice_charges_the_month_and_saves_it() -> None:
    uow = uow_with_agreement()
    invoice = issue_invoice(
        uow,
        invoice_number="2026050001",
        payer=PAYER,
        period=BillingPeriod(2026, 4),
        services=[TV],
        country="FI",
        currency="EUR",
        now=NOW,
    )
    assert invoice.gross_total == Money("9.95", "EUR")  # 15 of 30 days
    assert (invoice.issued_on, invoice.due_on) == (date(2026, 5, 1), date(2026, 5, 15))
    assert validate_fi_reference(invoice.reference) == invoice.reference
    with uow:
        assert uow.invoices.by_reference(invoice.reference) == invoice
    with pytest.raises(AlreadyExists):
        issue_invoice(
            uow,
            invoice_number="2026050001",
            payer=PAYER,
            period=BillingPeriod(2026, 4),
            services=[TV],
            country="FI",
            currency="EUR",
            now=NOW,
        )


def test_no_invoice_without_a_billing_agreement() -> None:
    uow = MemoryBillingUnitOfWork()
    with pytest.raises(SelfcareError) as error:
        issue_invoice(
            uow,
            invoice_number="1",
            payer=PAYER,
            period=BillingPeriod(2026, 4),
            services=[TV],
            country="FI",
            currency="EUR",
            now=NOW,
        )
    assert error.value.codes == ("billing.no_valid_agreement",)


def test_payment_reference_per_country() -> None:
    assert validate_fi_reference(payment_reference("FI", "123"))
    assert validate_ocr_reference(payment_reference("SE", "123"), length_digit=True)
    assert validate_kid(payment_reference("NO", "123"))
    assert validate_rf_reference(payment_reference("DK", "123")).endswith("123")


def test_ending_an_agreement_stops_ordering_from_the_next_day() -> None:
    uow = uow_with_agreement()
    ended = end_billing_agreement(uow, "ba-1", last_day=date(2026, 4, 30))
    assert ended.version == 2
    with pytest.raises(SelfcareError) as error:
        issue_invoice(
            uow,
            invoice_number="2",
            payer=PAYER,
            period=BillingPeriod(2026, 4),
            services=[TV],
            country="FI",
            currency="EUR",
            now=NOW,
        )
    assert error.value.codes == ("billing.no_valid_agreement",)
    with pytest.raises(NotFound):
        end_billing_agreement(uow, "nope", last_day=date(2026, 4, 30))
    with pytest.raises(SelfcareError) as error:
        end_billing_agreement(uow, "ba-1", last_day=date(2025, 12, 31))
    assert error.value.codes == ("billing.invalid_agreement_dates",)
