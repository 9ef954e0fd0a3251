"""Charges: the services on a payer's monthly invoice, plan changes, and the invoice
lines of one month, pro-rated by day and split where the VAT rate changes.

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

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple, final

import attrs

from selfcare.billing._fields import (
    check_not_before,
    enum_member,
    non_negative,
    require_day,
    require_text,
    require_type,
)
from selfcare.billing.invoices import ChargeKind, InvoiceLine
from selfcare.billing.periods import BillingPeriod
from selfcare.billing.vat import NORDIC_VAT, PriceBasis, VatCategory, VatTable
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.money import Money

__all__ = ["ChargeableService", "PlanChange", "charges_for_period", "prorate"]


def _to_basis(value: PriceBasis | str) -> PriceBasis:
    return enum_member(PriceBasis, value, "price_basis")


def _to_category(value: VatCategory | str) -> VatCategory:
    return enum_member(VatCategory, value, "vat_category")


def _required_price(instance: object, attribute: attrs.Attribute[Money], value: Money) -> None:
    require_type(value, Money, attribute.name)
    non_negative(attribute.name)(instance, attribute, value)


def _required_day(_instance: object, attribute: attrs.Attribute[date], value: date) -> None:
    require_day(value, attribute.name)


@final
@attrs.frozen(kw_only=True)
class ChargeableService:
    """A service on a payer's monthly invoice, as
    :func:`charges_for_period` charges it.

    ``start`` is the first charged day and ``end`` the last (inclusive; ``None`` until
    further notice), both calendar days in the operator's time zone. ``one_time_fee`` is
    charged in the period that holds ``start``.

    Raises:
        SelfcareError: ``billing.invalid_text``, ``billing.negative_price``,
            ``billing.invalid_choice`` (price basis or VAT category),
            ``billing.invalid_service_dates`` (``end`` before ``start``),
            ``money.currency_mismatch`` (fee and price in different currencies).
    """

    service_id: str = attrs.field(validator=require_text("service_id"))
    description: str = attrs.field(validator=require_text("description"))
    monthly_price: Money = attrs.field(validator=_required_price)
    start: date = attrs.field(validator=_required_day)
    end: date | None = attrs.field(
        default=None,
        validator=check_not_before("start", "billing.invalid_service_dates"),
    )
    one_time_fee: Money | None = attrs.field(
        default=None,
        validator=non_negative("one_time_fee"),
    )
    price_basis: PriceBasis = attrs.field(default=PriceBasis.GROSS, converter=_to_basis)
    vat_category: VatCategory = attrs.field(default=VatCategory.STANDARD, converter=_to_category)

    def __attrs_post_init__(self) -> None:
        if self.one_time_fee is not None:
            _ = self.monthly_price + self.one_time_fee  # refuses a second currency

    def active_on(self, day: date) -> bool:
        """Whether the service is charged for ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)


@final
@attrs.frozen(kw_only=True)
class PlanChange:
    """A change of a service's plan (e.g. Total C 10 GB -> Total E 50 GB) from day ``on``.

    On the invoice of the month that holds ``on``, the old plan is charged as before, the
    days from ``on`` are credited at the old price and charged at the new one.

    Raises:
        SelfcareError: ``billing.invalid_text``, ``billing.negative_price``.
    """

    service_id: str = attrs.field(validator=require_text("service_id"))
    on: date = attrs.field(validator=_required_day)
    description: str = attrs.field(validator=require_text("description"))
    monthly_price: Money = attrs.field(validator=_required_price)


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
        TypeError: ``price`` is not ``Money``, ``period`` not a ``BillingPeriod``, a day
            not a ``date``.
    """
    require_type(price, Money, "price")
    require_type(period, BillingPeriod, "period")
    require_day(first, "first")
    require_day(last, "last")
    if not period.first_day <= first <= last <= period.last_day:
        raise SelfcareError(
            Violation(
                "billing.invalid_service_dates",
                {"start": first.isoformat(), "end": last.isoformat()},
            )
        )
    rounded = price.rounded()
    start = period.first_day
    amount = _cumulative(rounded, period.days, (last - start).days + 1) - _cumulative(
        rounded, period.days, (first - start).days
    )
    return Money(amount, price.currency)


class PeriodPricing:
    """One billing period's prices, with the lookups that repeat per service (VAT
    segments, rates, pro-rated parts) memoised: most services share them. Used by
    :func:`charges_for_period` and by the invoice run
    (:func:`~selfcare.billing.ledger.invoice_lines`)."""

    def __init__(self, period: BillingPeriod, country: str, table: VatTable) -> None:
        self.period = period
        self.first_day: date = period.first_day
        self.last_day: date = period.last_day
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
    month: PeriodPricing,
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
    - For a :class:`PlanChange` inside the month: the old plan is
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
        TypeError: a service that is not a :class:`ChargeableService`, a change not a
            :class:`PlanChange`, ``period`` not a ``BillingPeriod``.
    """
    require_type(period, BillingPeriod, "period")
    require_type(vat_table, VatTable, "vat_table")
    service_list = [require_type(s, ChargeableService, "services[]") for s in services]
    changes: dict[str, list[PlanChange]] = {}
    known = {s.service_id for s in service_list}
    checked = [require_type(c, PlanChange, "plan_changes[]") for c in plan_changes]
    for change in sorted(checked, key=lambda c: c.on):
        if change.service_id not in known:
            raise SelfcareError(
                Violation("billing.unknown_plan_change", {"service_id": change.service_id[:64]})
            )
        changes.setdefault(change.service_id, []).append(change)
    month = PeriodPricing(period, country, vat_table)
    lines: list[InvoiceLine] = []
    for service in service_list:
        lines.extend(_service_lines(service, month, changes.get(service.service_id, [])))
    return tuple(lines)


class _Plan(NamedTuple):
    """What a service is charged at: a monthly price under a name."""

    price: Money
    description: str


def _service_lines(
    service: ChargeableService, month: PeriodPricing, changes: list[PlanChange]
) -> list[InvoiceLine]:
    return _plan_lines(service, month, changes) + _one_time_lines(service, month)


def _plan_lines(
    service: ChargeableService, month: PeriodPricing, changes: list[PlanChange]
) -> list[InvoiceLine]:
    """The recurring lines of ``service`` in the month, and a credit and a new charge
    for each plan change inside it."""
    first = max(service.start, month.first_day)
    last = month.last_day if service.end is None else min(service.end, month.last_day)
    if first > last:
        return []
    plan = _Plan(service.monthly_price, service.description)
    inside: list[PlanChange] = []
    for change in changes:
        if change.on <= first:
            plan = _Plan(change.monthly_price, change.description)
        elif change.on <= last:
            inside.append(change)

    def charge(kind: ChargeKind, charged: _Plan, start: date) -> list[InvoiceLine]:
        return _recurring_lines(
            service=service,
            kind=kind,
            description=charged.description,
            price=charged.price,
            first=start,
            last=last,
            month=month,
        )

    lines = charge(ChargeKind.RECURRING, plan, first)
    for change in inside:
        lines += charge(ChargeKind.CREDIT, plan, change.on)
        plan = _Plan(change.monthly_price, change.description)
        lines += charge(ChargeKind.RECURRING, plan, change.on)
    return lines


def _one_time_lines(service: ChargeableService, month: PeriodPricing) -> list[InvoiceLine]:
    """The one-time fee of ``service``, in the month it starts."""
    fee = service.one_time_fee
    if fee is None or not month.first_day <= service.start <= month.last_day:
        return []
    return [
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
    ]
