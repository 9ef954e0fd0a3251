"""Billing agreements: how a payer's invoices are delivered, and whether one is in force.

Ordering needs a billing agreement in force today (the telecom ordering guide), and so does an
invoice:

>>> from datetime import UTC, date, datetime
>>> agreement = BillingAgreement(agreement_id="ba-1", payer="C-1", method="e_invoice",
...     valid_from=date(2026, 1, 1), valid_to=date(2026, 3, 31))
>>> has_valid_billing_agreement([agreement], "C-1", now=datetime(2026, 3, 31, 12, tzinfo=UTC))
True
>>> check_billing_agreement([agreement], "C-1", now=datetime(2026, 4, 1, 12, tzinfo=UTC)).codes
('billing.no_valid_agreement',)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime, tzinfo
from typing import final

import attrs

from selfcare.billing._fields import check_not_before, enum_member, require_text
from selfcare.core.clock import local_date, operator_zone, require_aware
from selfcare.core.decision import Decision, Violation
from selfcare.core.ids import CustomerNumber

__all__ = [
    "BillingAgreement",
    "BillingMethod",
    "check_billing_agreement",
    "has_valid_billing_agreement",
    "valid_billing_agreement",
]


class BillingMethod(enum.StrEnum):
    """How the payer receives and pays the invoice."""

    #: Finnish e-invoice (e-lasku) / Swedish e-faktura / Norwegian eFaktura to the bank.
    E_INVOICE = "e_invoice"
    #: Direct payment (suoramaksu) / autogiro / AvtaleGiro: the bank pays on the due date.
    DIRECT_PAYMENT = "direct_payment"
    #: A PDF invoice to an e-mail address.
    EMAIL = "email"
    #: A paper invoice by post (operators usually charge a fee for it).
    PAPER = "paper"


def _to_method(value: BillingMethod | str) -> BillingMethod:
    return enum_member(BillingMethod, value, "method")


@final
@attrs.frozen(kw_only=True)
class BillingAgreement:
    """An agreement on how a payer's invoices are delivered, valid from a day to a day.

    ``valid_to`` is the last valid day (inclusive), ``None`` until further notice.
    Dates are calendar days in the operator's time zone.

    Raises:
        SelfcareError: ``billing.invalid_text`` (empty id or payer),
            ``billing.invalid_choice`` (an unknown method),
            ``billing.invalid_agreement_dates`` (``valid_to`` before ``valid_from``).
    """

    agreement_id: str = attrs.field(validator=require_text("agreement_id"))
    payer: CustomerNumber = attrs.field(validator=require_text("payer"))
    method: BillingMethod = attrs.field(converter=_to_method)
    valid_from: date
    valid_to: date | None = attrs.field(
        default=None,
        validator=check_not_before("valid_from", "billing.invalid_agreement_dates"),
    )
    version: int = 1

    def valid_on(self, day: date) -> bool:
        """Whether the agreement is in force on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def valid_billing_agreement(
    agreements: Iterable[BillingAgreement], payer: str, *, today: date
) -> BillingAgreement | None:
    """The first of ``agreements`` of ``payer`` in force on ``today``, or ``None``."""
    for agreement in agreements:
        if agreement.payer == payer and agreement.valid_on(today):
            return agreement
    return None


def has_valid_billing_agreement(
    agreements: Iterable[BillingAgreement],
    payer: str,
    *,
    now: datetime,
    zone: tzinfo | None = None,
) -> bool:
    """Whether ``payer`` has a billing agreement in force today (in the operator's zone).

    This is the fact the catalog's ordering eligibility asks for (the telecom ordering guide:
    ordering needs a valid customer relationship *and* a billing agreement).

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    today = local_date(require_aware(now, "now"), zone or operator_zone())
    return valid_billing_agreement(agreements, payer, today=today) is not None


def check_billing_agreement(
    agreements: Iterable[BillingAgreement],
    payer: str,
    *,
    now: datetime,
    zone: tzinfo | None = None,
) -> Decision:
    """:func:`has_valid_billing_agreement` as a decision.

    Returns:
        Allowed (with the agreement id as the reason), or denied with
        ``billing.no_valid_agreement``.

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    today = local_date(require_aware(now, "now"), zone or operator_zone())
    agreement = valid_billing_agreement(agreements, payer, today=today)
    if agreement is None:
        return Decision.deny(Violation("billing.no_valid_agreement", {}))
    return Decision.allow(reason=f"billing_agreement:{agreement.agreement_id}")
