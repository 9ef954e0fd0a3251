"""The events of billing: what :class:`~selfcare.billing.service.BillingService`
changed, in the past tense. They name agreements, invoices and payers by id and carry
the facts an audit trail or an outbox needs; no personal data beyond the customer
number.
"""

from __future__ import annotations

from datetime import date, datetime  # noqa: F401 - resolves the inherited occurred_at hint
from typing import final

import attrs

from selfcare.billing.agreements import BillingMethod
from selfcare.billing.periods import BillingPeriod
from selfcare.core.events import Event
from selfcare.core.ids import AccountId, CustomerNumber
from selfcare.core.money import Money

__all__ = [
    "BillingAgreementAdded",
    "BillingAgreementEnded",
    "DeductionStatementSent",
    "InvoiceIssued",
]


@final
@attrs.frozen(kw_only=True)
class BillingAgreementAdded(Event):
    """A payer's billing agreement was recorded.

    Attributes:
        agreement_id: the new agreement.
        payer: whose invoices it delivers.
        method: how they are delivered.
        valid_from: the first day it is in force.
        valid_to: the last day, or ``None`` until further notice.
    """

    agreement_id: str
    payer: CustomerNumber
    method: BillingMethod
    valid_from: date
    valid_to: date | None = None


@final
@attrs.frozen(kw_only=True)
class BillingAgreementEnded(Event):
    """A billing agreement was given a last day.

    Attributes:
        agreement_id: the agreement.
        payer: whose agreement it is.
        last_day: the last day it is in force (inclusive).
    """

    agreement_id: str
    payer: CustomerNumber
    last_day: date


@final
@attrs.frozen(kw_only=True)
class InvoiceIssued(Event):
    """An invoice was issued and saved.

    Attributes:
        invoice_id: the invoice number.
        payer: who pays it.
        period: the month it charges.
        reference: its payment reference (compact form).
        issued_on: its date.
        due_on: its due date.
        gross_total: what the payer pays.
    """

    invoice_id: str
    payer: CustomerNumber
    period: BillingPeriod
    reference: str
    issued_on: date
    due_on: date
    gross_total: Money


@final
@attrs.frozen(kw_only=True)
class DeductionStatementSent(Event):
    """An employee's salary deduction statement was handed to the notifier.

    Attributes:
        invoice_id: the invoice the statement was derived from.
        employee: the employee's account (the message went to its verified address).
        period: the month of the statement.
        total: what is deducted from salary.
    """

    invoice_id: str
    employee: AccountId
    period: BillingPeriod
    total: Money
