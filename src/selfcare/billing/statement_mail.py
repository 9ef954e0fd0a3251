"""The salary deduction statement as a message (``billing.deduction_statement``): what
:meth:`~selfcare.billing.service.BillingService.send_deduction_statement` hands the
:class:`~selfcare.identity.ports.Notifier`.

The message's parameters are all text except its rows (:class:`DeductionLine`), so that a
stored message reads back as it was sent: the amounts travel as ``str(money)``
(``"149.00 NOK"``), which the renderer formats for the language; the month as
``"YYYY-MM"``.

>>> from datetime import date
>>> from selfcare import Money
>>> from selfcare.billing.periods import BillingPeriod
>>> from selfcare.billing.salary_deduction import DeductionEntry, DeductionStatement, MobilePolicy
>>> from selfcare.identity.profile import Language
>>> policy = MobilePolicy(policy_id="mp-1", employer="Trøndelag fylkeskommune",
...     monthly_allowance=Money("100", "NOK"), employer_paid={"plan"})
>>> entry = DeductionEntry(day=date(2026, 4, 10), offering_id="extra-15gb",
...     description="Ekstra Data 15GB", msisdn=None, charged=Money("149", "NOK"),
...     employer=Money("100", "NOK"), amount=Money("49", "NOK"))
>>> statement = DeductionStatement(employee="Kari Nordmann", period=BillingPeriod(2026, 4),
...     entries=[entry], employer_total=Money("100", "NOK"), total=Money("49", "NOK"),
...     invoice_total=Money("149", "NOK"))
>>> message = statement_message(statement, policy, recipient="kari@example.no",
...     language=Language.NB)
>>> message.params["month"], message.params["employee_part"], len(message.params["lines"])
('2026-04', '49.00 NOK', 1)
"""

from __future__ import annotations

from typing import final

import attrs

from selfcare.billing.salary_deduction import DeductionStatement, MobilePolicy
from selfcare.core.money import Money
from selfcare.identity.ports import Channel, MessageParam, OutgoingMessage
from selfcare.identity.profile import Language

__all__ = ["DEDUCTION_STATEMENT", "DeductionLine", "statement_message"]

#: The template of the statement.
DEDUCTION_STATEMENT = "billing.deduction_statement"


@final
@attrs.frozen(kw_only=True)
class DeductionLine:
    """One salary deduction of the month (the corporate mobile guide): product, phone
    number, amount deducted."""

    description: str
    msisdn: str | None
    amount: Money


def statement_message(
    statement: DeductionStatement,
    policy: MobilePolicy,
    *,
    recipient: str,
    language: Language,
) -> OutgoingMessage:
    """The ``billing.deduction_statement`` e-mail of ``statement`` to ``recipient`` in
    ``language``: the month, the employer, the policy's monthly allowance, the company's
    part, the part deducted from salary and one row per line with a deduction (lines the
    employer pays in full are in the company's part, not listed)."""
    lines = tuple(
        DeductionLine(description=entry.description, msisdn=entry.msisdn, amount=entry.amount)
        for entry in statement.entries
        if entry.amount.amount > 0
    )
    period = statement.period
    params: dict[str, MessageParam] = {
        "employee": statement.employee,
        "employer": policy.employer,
        "month": f"{period.year:04d}-{period.month:02d}",
        "allowance": str(policy.monthly_allowance.rounded()),
        "company_part": str(statement.employer_total.rounded()),
        "employee_part": str(statement.total.rounded()),
        "lines": lines,
    }
    return OutgoingMessage(
        template=DEDUCTION_STATEMENT,
        channel=Channel.EMAIL,
        recipient=recipient,
        language=language,
        params=params,
    )
