"""Use cases of billing: issue a month's invoice, manage billing agreements.

They load through a :class:`~selfcare.billing.ports.BillingUnitOfWork`, apply the rules
and commit once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo

from selfcare.billing.model import (
    BillingAgreement,
    BillingPeriod,
    ChargeableService,
    Invoice,
    PlanChange,
)
from selfcare.billing.ports import BillingUnitOfWork
from selfcare.billing.references import (
    KidMethod,
    create_fi_reference,
    create_kid,
    create_ocr_reference,
    create_rf_reference,
)
from selfcare.billing.rules import charges_for_period, check_billing_agreement
from selfcare.billing.vat import NORDIC_VAT, VatTable
from selfcare.core.clock import local_date, operator_zone, require_aware
from selfcare.core.decision import Violation
from selfcare.core.errors import NotFound
from selfcare.core.ids import CustomerNumber
from selfcare.core.money import Currency
from selfcare.core.ports import bump

__all__ = ["end_billing_agreement", "issue_invoice", "payment_reference"]


def payment_reference(country: str, invoice_number: str | int) -> str:
    """The payment reference an invoice carries in ``country``: a Finnish reference (FI),
    an OCR reference with a length digit (SE), a mod 10 KID (NO), an RF creditor
    reference elsewhere.

    >>> payment_reference("FI", 12345), payment_reference("NO", 123456)
    ('123453', '1234566')

    Raises:
        SelfcareError: the ``reference.*`` codes of the scheme's ``create_*`` function.
        TypeError: ``country`` is not a string.
    """
    if not isinstance(country, str):  # the annotation says str; callers may not obey
        msg = f"a country must be str, not {type(country).__name__}"  # type: ignore[unreachable]
        raise TypeError(msg)
    code = country.strip().upper()
    if code == "FI":
        return create_fi_reference(invoice_number)
    if code == "SE":
        return create_ocr_reference(invoice_number, length_digit=True)
    if code == "NO":
        return create_kid(invoice_number, KidMethod.MOD10)
    return create_rf_reference(invoice_number)


def issue_invoice(
    uow: BillingUnitOfWork,
    *,
    invoice_number: str,
    payer: CustomerNumber,
    period: BillingPeriod,
    services: Iterable[ChargeableService],
    country: str,
    currency: Currency | str,
    now: datetime,
    plan_changes: Iterable[PlanChange] = (),
    vat_table: VatTable = NORDIC_VAT,
    payment_days: int = 14,
    zone: tzinfo | None = None,
) -> Invoice:
    """Charge ``services`` for ``period`` on a new invoice of ``payer`` and save it.

    The payer must have a billing agreement in force (seed 002); the invoice is dated
    today in the operator's zone and due ``payment_days`` later; its payment reference
    comes from :func:`payment_reference`.

    Raises:
        SelfcareError: ``billing.no_valid_agreement``, ``time.naive_datetime``, the codes
            of :func:`~selfcare.billing.rules.charges_for_period` and of
            :func:`payment_reference`; :class:`~selfcare.core.errors.AlreadyExists` when
            the invoice number or reference is taken.
    """
    moment = require_aware(now, "now")
    operator = zone or operator_zone()
    with uow:
        agreements = uow.agreements.for_payer(payer)
        check_billing_agreement(agreements, payer, now=moment, zone=operator).raise_for_denial()
        lines = charges_for_period(
            services, period, country=country, vat_table=vat_table, plan_changes=plan_changes
        )
        issued = local_date(moment, operator)
        invoice = Invoice(
            invoice_id=invoice_number,
            payer=payer,
            period=period,
            currency=currency,
            issued_on=issued,
            due_on=issued + timedelta(days=payment_days),
            reference=payment_reference(country, invoice_number),
            lines=lines,
        )
        uow.invoices.add(invoice)
        uow.commit()
    return invoice


def end_billing_agreement(
    uow: BillingUnitOfWork, agreement_id: str, *, last_day: date
) -> BillingAgreement:
    """End an agreement on ``last_day`` (inclusive) and save it.

    Raises:
        NotFound: ``store.not_found`` for an unknown agreement.
        SelfcareError: ``billing.invalid_agreement_dates`` when ``last_day`` is before
            the agreement starts.
    """
    with uow:
        agreement = uow.agreements.get(agreement_id)
        if agreement is None:
            raise NotFound(Violation("store.not_found", {"entity": "billing_agreements"}))
        ended = bump(agreement, valid_to=last_day)
        uow.agreements.update(ended)
        uow.commit()
    return ended
