"""The rules of billing: the charges of a month, billing agreements, the payer split.

Pro-rating by day
-----------------

A service that starts or ends inside a month is charged for the days it was active,
counted as calendar days in the operator's time zone (so daylight saving time changes
nothing, and February of a leap year has 29 days). The part for days ``i..j`` of a
month of ``D`` days is ``C(j) - C(i - 1)`` where ``C(k)`` is ``price * k / D`` rounded
half-up to the minor unit. Because the parts telescope, the parts of any split of a
month into consecutive pieces add up to the monthly price *exactly*, and each part is
within one cent of the exact share:

>>> from datetime import date
>>> from selfcare import Money
>>> period = BillingPeriod(2026, 4)
>>> first = prorate(Money("10.00", "EUR"), period, date(2026, 4, 1), date(2026, 4, 10))
>>> rest = prorate(Money("10.00", "EUR"), period, date(2026, 4, 11), date(2026, 4, 30))
>>> first, rest, first + rest
(Money(...'3.33'...), Money(...'6.67'...), Money(...'10.00'...))
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal

from selfcare.billing.inventory import quoted_charges
from selfcare.billing.model import (
    BillingAgreement,
    BillingPeriod,
    ChargeableService,
    ChargeKind,
    DeductionEntry,
    DeductionStatement,
    InvoiceLine,
    MobilePolicy,
    PayerSplit,
    PlanChange,
    QuotedCharge,
    SplitLine,
)
from selfcare.billing.vat import NORDIC_VAT, VatCategory, VatTable
from selfcare.catalog.orders import OrderQuote
from selfcare.core.clock import local_date, operator_zone, require_aware
from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.money import Currency, Money

__all__ = [
    "charges_for_period",
    "check_billing_agreement",
    "deduction_statement",
    "deductions_of",
    "has_valid_billing_agreement",
    "payer_split",
    "prorate",
]

_ONE_DAY = timedelta(days=1)


def _cumulative(price: Money, days: int, upto: int) -> Decimal:
    exact = price.amount * upto / days
    return exact.quantize(price.currency.minor_unit, ROUND_HALF_UP)


def prorate(price: Money, period: BillingPeriod, first: date, last: date) -> Money:
    """The part of the monthly ``price`` for the days ``first`` to ``last`` (inclusive)
    of ``period``, by the cumulative rounding scheme of the module docstring.

    Raises:
        SelfcareError: ``billing.invalid_service_dates`` when the days are not inside
            the period or ``last`` is before ``first``.
    """
    if not period.first_day <= first <= last <= period.last_day:
        raise SelfcareError(
            Violation(
                "billing.invalid_service_dates",
                {"start": first.isoformat(), "end": last.isoformat()},
            )
        )
    rounded = price.rounded()
    amount = _cumulative(rounded, period.days, last.day) - _cumulative(
        rounded, period.days, first.day - 1
    )
    return Money(amount, price.currency)


class _Month:
    """One call's view of the billing month, with the lookups that repeat per service
    (VAT segments, rates, pro-rated parts) memoised: most services share them."""

    def __init__(self, period: BillingPeriod, country: str, table: VatTable) -> None:
        self.period = period
        self.first_day = period.first_day
        self.last_day = period.last_day
        self.country = country
        self.table = table
        self._segments: dict[tuple[VatCategory, date, date], list[tuple[date, date, Decimal]]] = {}
        self._rates: dict[tuple[VatCategory, date], Decimal] = {}
        self._parts: dict[tuple[Money, date, date], Money] = {}

    def rate(self, category: VatCategory, day: date) -> Decimal:
        key = (category, day)
        if key not in self._rates:
            self._rates[key] = self.table.rate_on(self.country, day, category).percent
        return self._rates[key]

    def segments(
        self, category: VatCategory, first: date, last: date
    ) -> list[tuple[date, date, Decimal]]:
        """``first..last`` cut where a new VAT rate comes into force, with each rate."""
        key = (category, first, last)
        if key not in self._segments:
            cuts = [first, *self.table.changes_between(self.country, first, last, category)]
            ends = [cut - _ONE_DAY for cut in cuts[1:]] + [last]
            self._segments[key] = [
                (start, end, self.rate(category, start))
                for start, end in zip(cuts, ends, strict=True)
            ]
        return self._segments[key]

    def part(self, price: Money, first: date, last: date) -> Money:
        key = (price, first, last)
        if key not in self._parts:
            self._parts[key] = prorate(price, self.period, first, last)
        return self._parts[key]


def _recurring_lines(
    *,
    service: ChargeableService,
    kind: ChargeKind,
    description: str,
    price: Money,
    first: date,
    last: date,
    month: _Month,
) -> list[InvoiceLine]:
    lines = []
    for start, end, percent in month.segments(service.vat_category, first, last):
        amount = month.part(price, start, end)
        lines.append(
            InvoiceLine.build(
                service_id=service.service_id,
                kind=kind,
                description=description,
                supply_from=start,
                supply_to=end,
                amount=-amount if kind is ChargeKind.CREDIT else amount,
                price_basis=service.price_basis,
                vat_percent=percent,
            )
        )
    return lines


def charges_for_period(
    services: Iterable[ChargeableService],
    period: BillingPeriod,
    *,
    country: str,
    vat_table: VatTable = NORDIC_VAT,
    plan_changes: Iterable[PlanChange] = (),
) -> tuple[InvoiceLine, ...]:
    """The invoice lines of one billing period for ``services``.

    - A recurring line per service for the days it is active in the month, pro-rated by
      day (see :func:`prorate`), split where a new VAT rate comes into force (the rate of
      each piece is the one in force on its days of supply).
    - A one-time line for a service's ``one_time_fee`` in the month of its start, at the
      rate in force on the start day.
    - For a :class:`~selfcare.billing.model.PlanChange` inside the month: the old plan is
      charged as before, the days from the change are credited at the old price and
      charged at the new. A change on or before the first active day of the month just
      sets the plan the month is charged at.

    Lines come in the order of ``services``; their amounts keep the services' price
    basis (VAT-inclusive or not).

    >>> from datetime import date
    >>> from selfcare import Money
    >>> tv = ChargeableService(service_id="tv-1", description="TV Mix",
    ...     monthly_price=Money("20.00", "EUR"), start=date(2024, 8, 21))
    >>> [(l.kind.value, str(l.gross), str(l.vat_percent)) for l in
    ...  charges_for_period([tv], BillingPeriod(2024, 8), country="FI")]
    [('recurring', '7.10 EUR', '24')]

    Raises:
        SelfcareError: ``vat.no_rate`` (no rate in ``vat_table`` for a day of supply),
            ``vat.invalid_country``, ``billing.unknown_plan_change`` (a change for a
            service not in ``services``), ``money.currency_mismatch``.
    """
    service_list = list(services)
    changes: dict[str, list[PlanChange]] = {}
    known = {s.service_id for s in service_list}
    for change in sorted(plan_changes, key=lambda c: c.on):
        if change.service_id not in known:
            raise SelfcareError(
                Violation("billing.unknown_plan_change", {"service_id": change.service_id[:64]})
            )
        changes.setdefault(change.service_id, []).append(change)
    month = _Month(period, country, vat_table)
    lines: list[InvoiceLine] = []
    for service in service_list:
        lines.extend(_service_lines(service, month, changes.get(service.service_id, [])))
    return tuple(lines)


def _service_lines(
    service: ChargeableService, month: _Month, changes: list[PlanChange]
) -> list[InvoiceLine]:
    lines: list[InvoiceLine] = []
    first = max(service.start, month.first_day)
    last = month.last_day if service.end is None else min(service.end, month.last_day)
    if first <= last:
        price, description = service.monthly_price, service.description
        inside: list[PlanChange] = []
        for change in changes:
            if change.on <= first:
                price, description = change.monthly_price, change.description
            elif change.on <= last:
                inside.append(change)
        lines += _recurring_lines(
            service=service,
            kind=ChargeKind.RECURRING,
            description=description,
            price=price,
            first=first,
            last=last,
            month=month,
        )
        for change in inside:
            lines += _recurring_lines(
                service=service,
                kind=ChargeKind.CREDIT,
                description=description,
                price=price,
                first=change.on,
                last=last,
                month=month,
            )
            price, description = change.monthly_price, change.description
            lines += _recurring_lines(
                service=service,
                kind=ChargeKind.RECURRING,
                description=description,
                price=price,
                first=change.on,
                last=last,
                month=month,
            )
    fee = service.one_time_fee
    if fee is not None and month.first_day <= service.start <= month.last_day:
        lines.append(
            InvoiceLine.build(
                service_id=service.service_id,
                kind=ChargeKind.ONE_TIME,
                description=service.description,
                supply_from=service.start,
                supply_to=service.start,
                amount=fee,
                price_basis=service.price_basis,
                vat_percent=month.rate(service.vat_category, service.start),
            )
        )
    return lines


# -- billing agreements ----------------------------------------------------------------


def has_valid_billing_agreement(
    agreements: Iterable[BillingAgreement],
    payer: str,
    *,
    now: datetime,
    zone: tzinfo | None = None,
) -> bool:
    """Whether ``payer`` has a billing agreement in force today (in the operator's zone).

    This is the fact the catalog's ordering eligibility asks for (seed 002: ordering
    needs a valid customer relationship *and* a billing agreement).

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    today = local_date(require_aware(now, "now"), zone or operator_zone())
    return any(a.payer == payer and a.valid_on(today) for a in agreements)


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
    for agreement in agreements:
        if agreement.payer == payer and agreement.valid_on(today):
            return Decision.allow(reason=f"billing_agreement:{agreement.agreement_id}")
    return Decision.deny(Violation("billing.no_valid_agreement", {}))


# -- employer mobile policy ------------------------------------------------------------


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
    :func:`~selfcare.billing.inventory.quoted_charges`; products named in ``lang``) or
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
