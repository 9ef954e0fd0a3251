"""Salary deduction under an employer's mobile policy (the corporate mobile guide): who pays what
of an order, and the monthly statement for the payroll.

The employer pays what its :class:`MobilePolicy` says it pays, and what is left of the
monthly allowance; the rest is deducted from the employee's salary. The employee sees
the split (:func:`payer_split`, :meth:`PayerSplit.summary`) before confirming the order.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, tzinfo
from typing import Final, cast, final

import attrs

from selfcare.billing._fields import non_negative, require_text, require_type
from selfcare.billing.charges import prorate
from selfcare.billing.invoices import Invoice
from selfcare.billing.periods import BillingPeriod
from selfcare.catalog.offerings import AssetKind
from selfcare.catalog.orders import OrderQuote, QuoteLine
from selfcare.core.clock import local_date, operator_zone
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.money import Money

__all__ = [
    "DeductionEntry",
    "DeductionStatement",
    "MobilePolicy",
    "PayerSplit",
    "QuotedCharge",
    "SplitLine",
    "deduction_statement",
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
        """One line per product for the confirmation dialog (the corporate mobile guide): the
        product, the phone number, what the employer pays and what is deducted from salary.

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
    """One invoice line as the payroll sees it: what was charged (``charged``, gross),
    what the employer pays and what is deducted from salary (``amount``);
    ``employer + amount == charged``."""

    day: date
    offering_id: str
    description: str
    msisdn: str | None
    charged: Money
    employer: Money
    amount: Money


def _entries(value: Iterable[DeductionEntry]) -> tuple[DeductionEntry, ...]:
    return tuple(value)


@final
@attrs.frozen(kw_only=True)
class DeductionStatement:
    """An employee's salary deductions in one billing period, for the payroll, derived
    from the period's invoice: ``employer_total + total == invoice_total``, the
    invoice's gross total."""

    employee: str = attrs.field(validator=require_text("employee"))
    period: BillingPeriod
    entries: tuple[DeductionEntry, ...] = attrs.field(converter=_entries)
    employer_total: Money
    total: Money
    invoice_total: Money


def _charge_this_period(line: QuoteLine, zone: tzinfo, anchor_day: int) -> Money | None:
    """What ``line`` adds to the invoice of the period it takes effect in: the new
    monthly price pro-rated from its first day to the period's end, less the old one
    for the same days (the same rounding as the invoice run's lines), plus any
    one-time charge; a decrease adds nothing."""
    parts = [] if line.one_time is None else [line.one_time]
    new, change = line.monthly_price, line.monthly_change
    if new is not None and change is not None and change.amount > 0:
        period = BillingPeriod.containing(line.effective_at, zone, anchor_day=anchor_day)
        first = local_date(line.effective_at, zone)
        added = prorate(new, period, first, period.last_day)
        old = new - change
        if not old.is_zero:
            added -= prorate(old, period, first, period.last_day)
        parts.append(added)
    parts = [part for part in parts if part.amount > 0]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else parts[0] + parts[1]


def quoted_charges(
    quote: OrderQuote, *, lang: str = "nb", zone: tzinfo | None = None, anchor_day: int = 1
) -> tuple[QuotedCharge, ...]:
    """What each line of ``quote`` adds to the invoice of the billing period it takes
    effect in (periods with ``anchor_day``, days in ``zone``, the operator's by
    default): its one-time charge plus the monthly increase pro-rated over the days
    left, exactly as the invoice run will charge them (the corporate mobile guide: extra data at
    199 NOK a month ordered on 10 April adds 139.30 NOK to April). A decrease costs
    nothing now; free lines are left out.

    Raises:
        TypeError: ``quote`` is not an :class:`~selfcare.catalog.orders.OrderQuote`.
    """
    if not isinstance(cast("object", quote), OrderQuote):
        msg = f"quote must be an OrderQuote, not {type(quote).__name__}"
        raise TypeError(msg)
    where = zone if zone is not None else operator_zone()
    found = []
    for line in quote.lines:
        amount = _charge_this_period(line, where, anchor_day)
        if amount is None:
            continue
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
    """Who pays what of an order under the employer's ``policy`` (the corporate mobile guide).

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
    require_type(policy, MobilePolicy, "policy")
    require_type(spent_this_month, Money, "spent_this_month")
    if spent_this_month.amount < 0:
        raise SelfcareError(Violation("billing.negative_price", {"field": "spent_this_month"}))
    currency = policy.monthly_allowance.currency
    zero = Money.zero(currency)
    left = max(policy.monthly_allowance - spent_this_month, zero).rounded()
    lines: list[SplitLine] = []
    employer_total, employee_total = zero, zero
    charges = quoted_charges(quote, lang=lang) if isinstance(quote, OrderQuote) else quote
    for charge in charges:
        require_type(charge, QuotedCharge, "charges[]")
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


def deduction_statement(
    invoice: Invoice, policy: MobilePolicy, *, employee: str
) -> DeductionStatement:
    """The monthly salary deduction statement of ``employee`` from the invoice run's
    ``invoice`` of the company phone under the employer's ``policy``: each line
    employer-paid, employee-paid, or paid from the monthly allowance while it lasts
    and deducted from salary beyond it (in the invoice's line order). The statement's
    totals add up to the invoice's.

    Raises:
        SelfcareError: ``billing.invalid_text`` (empty ``employee``),
            ``money.currency_mismatch`` (an invoice in another currency than the
            policy's allowance).
        TypeError: ``invoice`` is not an :class:`~selfcare.billing.invoices.Invoice`,
            ``policy`` not a :class:`MobilePolicy`.
    """
    require_type(invoice, Invoice, "invoice")
    require_type(policy, MobilePolicy, "policy")
    zero = Money.zero(invoice.currency)
    left = zero + policy.monthly_allowance  # refuses a second currency
    entries = []
    employer_total = employee_total = zero
    for line in invoice.lines:
        offering = line.offering_id or ""
        if offering in policy.employer_paid:
            employer = line.gross
        elif offering in policy.employee_paid:
            employer = zero
        else:
            employer = max(min(line.gross, left), zero) if line.gross.amount > 0 else line.gross
            left -= employer
        deducted = line.gross - employer
        employer_total += employer
        employee_total += deducted
        entries.append(
            DeductionEntry(
                day=line.supply_from,
                offering_id=offering or line.service_id,
                description=line.description,
                msisdn=None,
                charged=line.gross,
                employer=employer,
                amount=deducted,
            )
        )
    return DeductionStatement(
        employee=employee,
        period=invoice.period,
        entries=entries,
        employer_total=employer_total,
        total=employee_total,
        invoice_total=invoice.gross_total,
    )
