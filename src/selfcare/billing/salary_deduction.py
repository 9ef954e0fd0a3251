"""Salary deduction under an employer's mobile policy (seed 004): who pays what of an
order, and the monthly statement for the payroll.

The employer pays what its :class:`MobilePolicy` says it pays, and what is left of the
monthly allowance; the rest is deducted from the employee's salary. The employee sees
the split (:func:`payer_split`, :meth:`PayerSplit.summary`) before confirming the order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Final, final

import attrs

from selfcare.billing._fields import non_negative, require_text
from selfcare.billing.periods import BillingPeriod
from selfcare.catalog.offerings import AssetKind
from selfcare.catalog.orders import OrderQuote
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.money import Currency, Money

__all__ = [
    "DeductionEntry",
    "DeductionStatement",
    "MobilePolicy",
    "PayerSplit",
    "QuotedCharge",
    "SplitLine",
    "deduction_statement",
    "deductions_of",
    "payer_split",
    "quoted_charges",
]


def _offerings(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        msg = "offering ids must be a collection of str, not one str"
        raise TypeError(msg)
    return frozenset(value)


@final
@attrs.frozen(kw_only=True)
class MobilePolicy:
    """An employer's mobile policy ("retningslinjer for mobilordningen").

    - ``employer_paid``: offerings the employer pays in full (e.g. the base plan);
    - ``employee_paid``: offerings the employee always pays by salary deduction;
    - anything else the employee orders is paid from ``monthly_allowance`` while it
      lasts, and the rest is deducted from salary.

    Amounts are VAT-inclusive consumer prices, which is what a salary deduction takes.

    Raises:
        SelfcareError: ``billing.invalid_text``, ``billing.negative_price`` (allowance),
            ``billing.overlapping_policy`` (an offering both employer- and employee-paid).
    """

    policy_id: str = attrs.field(validator=require_text("policy_id"))
    employer: str = attrs.field(validator=require_text("employer"))
    monthly_allowance: Money = attrs.field(validator=non_negative("monthly_allowance"))
    employer_paid: frozenset[str] = attrs.field(factory=frozenset, converter=_offerings)
    employee_paid: frozenset[str] = attrs.field(factory=frozenset, converter=_offerings)
    version: int = 1

    def __attrs_post_init__(self) -> None:
        both = self.employer_paid & self.employee_paid
        if both:
            raise SelfcareError(
                Violation(
                    "billing.overlapping_policy",
                    {"offerings": tuple(sorted(o[:64] for o in both))},
                )
            )


@final
@attrs.frozen(kw_only=True)
class QuotedCharge:
    """One product of an order quote as the payer split sees it: what it costs this month.

    ``msisdn`` is the phone number the product is added to, shown in the confirmation.

    Raises:
        SelfcareError: ``billing.invalid_text``, ``billing.negative_price``.
    """

    offering_id: str = attrs.field(validator=require_text("offering_id"))
    description: str = attrs.field(validator=require_text("description"))
    msisdn: str | None = None
    amount: Money = attrs.field(validator=non_negative("amount"))


@final
@attrs.frozen(kw_only=True)
class SplitLine:
    """Who pays one quoted charge: ``employer + employee == charge.amount``."""

    charge: QuotedCharge
    employer: Money
    employee: Money


def _split_lines(value: Iterable[SplitLine]) -> tuple[SplitLine, ...]:
    return tuple(value)


@final
@attrs.frozen(kw_only=True)
class PayerSplit:
    """The split of an order between employer and salary deduction, shown before the
    employee confirms."""

    lines: tuple[SplitLine, ...] = attrs.field(converter=_split_lines)
    employer_total: Money
    salary_deduction: Money
    #: What is left of the monthly allowance after this order.
    allowance_left: Money

    def summary(self, lang: str = "nb") -> tuple[str, ...]:
        """One line per product for the confirmation dialog (seed 004): the product, the
        phone number, what the employer pays and what is deducted from salary.

        >>> from selfcare import Money
        >>> charge = QuotedCharge(offering_id="x", description="Ekstra Data 15GB",
        ...     msisdn="+4791234567", amount=Money("199", "NOK"))
        >>> split = PayerSplit(lines=[SplitLine(charge=charge, employer=Money("100", "NOK"),
        ...     employee=Money("99", "NOK"))], employer_total=Money("100", "NOK"),
        ...     salary_deduction=Money("99", "NOK"), allowance_left=Money("0", "NOK"))
        >>> split.summary("nb")[0].replace("\xa0", " ")
        'Ekstra Data 15GB · +4791234567 · betales av arbeidsgiver 100,00 kr · lønnstrekk 99,00 kr'
        """
        from selfcare.core.messages import normalize_language  # noqa: PLC0415

        employer_label, employee_label = _SPLIT_LABELS[normalize_language(lang)]
        shown = []
        for line in self.lines:
            parts = [line.charge.description]
            if line.charge.msisdn is not None:
                parts.append(line.charge.msisdn)
            parts.append(f"{employer_label} {line.employer.format(lang)}")
            parts.append(f"{employee_label} {line.employee.format(lang)}")
            shown.append(" · ".join(parts))
        return tuple(shown)


# What the confirmation dialog calls the two payers, per language.
_SPLIT_LABELS: Final = {
    "en": ("paid by the employer", "salary deduction"),
    "fi": ("työnantaja maksaa", "palkasta vähennetään"),
    "sv": ("betalas av arbetsgivaren", "löneavdrag"),
    "nb": ("betales av arbeidsgiver", "lønnstrekk"),
}


@final
@attrs.frozen(kw_only=True)
class DeductionEntry:
    """One salary deduction of a month: the product, the phone number, the amount."""

    day: date
    offering_id: str
    description: str
    msisdn: str | None
    amount: Money


def _entries(value: Iterable[DeductionEntry]) -> tuple[DeductionEntry, ...]:
    return tuple(sorted(value, key=lambda e: (e.day, e.offering_id)))


@final
@attrs.frozen(kw_only=True)
class DeductionStatement:
    """An employee's salary deductions in one month, for the payroll."""

    employee: str = attrs.field(validator=require_text("employee"))
    period: BillingPeriod
    entries: tuple[DeductionEntry, ...] = attrs.field(converter=_entries)
    total: Money


def quoted_charges(quote: OrderQuote, *, lang: str = "nb") -> tuple[QuotedCharge, ...]:
    """What each line of ``quote`` costs in the month it is ordered: its one-time charge
    plus a monthly increase (a decrease costs nothing now). Free lines are left out."""
    found = []
    for line in quote.lines:
        parts = [m for m in (line.one_time, line.monthly_change) if m is not None and m.amount > 0]
        if not parts:
            continue
        amount = parts[0] if len(parts) == 1 else parts[0] + parts[1]
        msisdn = (
            line.asset.value
            if line.asset is not None and line.asset.kind is AssetKind.MSISDN
            else None
        )
        found.append(
            QuotedCharge(
                offering_id=line.offering_id,
                description=line.product_name.get(lang),
                msisdn=msisdn,
                amount=amount,
            )
        )
    return tuple(found)


def payer_split(
    quote: OrderQuote | Iterable[QuotedCharge],
    policy: MobilePolicy,
    spent_this_month: Money,
    *,
    lang: str = "nb",
) -> PayerSplit:
    """Who pays what of an order under the employer's ``policy`` (seed 004).

    Employer-paid offerings go to the employer, employee-paid ones to salary
    deduction; anything else is paid from what is left of the monthly allowance
    (``allowance - spent_this_month``), in the order of ``charges``, and the rest is
    deducted from salary. Show :attr:`PayerSplit.salary_deduction` before the employee
    confirms the order.

    ``quote`` is the catalog's :class:`~selfcare.catalog.orders.OrderQuote` (each line
    costs its one-time charge plus any monthly increase, see
    :func:`quoted_charges`; products named in ``lang``) or
    the charges themselves.

    >>> from selfcare import Money
    >>> policy = MobilePolicy(policy_id="p", employer="Fylket",
    ...     monthly_allowance=Money("100", "NOK"),
    ...     employer_paid={"total-c"}, employee_paid={"twin-sim"})
    >>> data = QuotedCharge(offering_id="extra-15gb", description="Ekstra Data 15GB",
    ...     msisdn="+4791234567", amount=Money("149", "NOK"))
    >>> split = payer_split([data], policy, Money("30", "NOK"))
    >>> str(split.employer_total), str(split.salary_deduction), str(split.allowance_left)
    ('70.00 NOK', '79.00 NOK', '0.00 NOK')

    Raises:
        SelfcareError: ``billing.negative_price`` (a negative ``spent_this_month``),
            ``money.currency_mismatch``.
    """
    if spent_this_month.amount < 0:
        raise SelfcareError(Violation("billing.negative_price", {"field": "spent_this_month"}))
    currency = policy.monthly_allowance.currency
    zero = Money.zero(currency)
    left = max(policy.monthly_allowance - spent_this_month, zero).rounded()
    lines: list[SplitLine] = []
    employer_total, employee_total = zero, zero
    charges = quoted_charges(quote, lang=lang) if isinstance(quote, OrderQuote) else quote
    for charge in charges:
        amount = charge.amount.rounded()
        _ = zero + amount  # refuses a second currency
        if charge.offering_id in policy.employer_paid:
            employer = amount
        elif charge.offering_id in policy.employee_paid:
            employer = zero
        else:
            employer = min(amount, left)
            left -= employer
        employee = amount - employer
        lines.append(SplitLine(charge=charge, employer=employer, employee=employee))
        employer_total += employer
        employee_total += employee
    return PayerSplit(
        lines=lines,
        employer_total=employer_total,
        salary_deduction=employee_total,
        allowance_left=left,
    )


def deductions_of(split: PayerSplit, *, day: date) -> tuple[DeductionEntry, ...]:
    """The salary deductions an order confirmed on ``day`` adds (lines the employee pays)."""
    return tuple(
        DeductionEntry(
            day=day,
            offering_id=line.charge.offering_id,
            description=line.charge.description,
            msisdn=line.charge.msisdn,
            amount=line.employee,
        )
        for line in split.lines
        if not line.employee.is_zero
    )


def deduction_statement(
    employee: str,
    period: BillingPeriod,
    entries: Iterable[DeductionEntry],
    currency: Currency | str,
) -> DeductionStatement:
    """An employee's monthly deduction statement: the entries of ``period`` and their total.

    Raises:
        SelfcareError: ``billing.invalid_text`` (empty ``employee``),
            ``money.currency_mismatch``, ``money.unsupported_currency``.
    """
    kept: Sequence[DeductionEntry] = [
        e for e in entries if period.first_day <= e.day <= period.last_day
    ]
    total = Money.zero(currency)
    for entry in kept:
        total += entry.amount
    return DeductionStatement(employee=employee, period=period, entries=kept, total=total)
