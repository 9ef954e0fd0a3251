"""The values of billing: agreements, billing periods, chargeable services, invoices,
and the employer's mobile policy.

All are frozen ``attrs`` classes validated on construction; change them with
:func:`attrs.evolve` (or :func:`selfcare.core.ports.bump` for the versioned ones).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any, Final, final

import attrs

from selfcare.billing.vat import PriceBasis, VatCategory, choice, split_vat_cached
from selfcare.core.clock import add_months, local_date, month_bounds
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import CustomerNumber
from selfcare.core.money import Currency, Money

__all__ = [
    "BillingAgreement",
    "BillingMethod",
    "BillingPeriod",
    "ChargeKind",
    "ChargeableService",
    "DeductionEntry",
    "DeductionStatement",
    "Invoice",
    "InvoiceLine",
    "MobilePolicy",
    "PayerSplit",
    "PlanChange",
    "QuotedCharge",
    "SplitLine",
    "VatBreakdownRow",
]

_Validator = Callable[[Any, Any, Any], None]


def _require_text(name: str, limit: int = 200) -> _Validator:
    def check(_instance: object, _attribute: object, value: object) -> None:
        if not isinstance(value, str):
            msg = f"{name} must be str, not {type(value).__name__}"
            raise TypeError(msg)
        if not value.strip() or len(value) > limit:
            raise SelfcareError(Violation("billing.invalid_text", {"field": name}))

    return check


def _check_not_before(start_field: str, code: str) -> _Validator:
    def check(instance: object, _attribute: object, value: date | None) -> None:
        start: date = getattr(instance, start_field)
        if value is not None and value < start:
            raise SelfcareError(
                Violation(code, {"start": start.isoformat(), "end": value.isoformat()})
            )

    return check


# -- billing agreements ----------------------------------------------------------------


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


def _to_method(value: object) -> BillingMethod:
    return choice(BillingMethod, value, "method")


def _to_basis(value: object) -> PriceBasis:
    return choice(PriceBasis, value, "price_basis")


def _to_category(value: object) -> VatCategory:
    return choice(VatCategory, value, "vat_category")


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

    agreement_id: str = attrs.field(validator=_require_text("agreement_id"))
    payer: CustomerNumber = attrs.field(validator=_require_text("payer"))
    method: BillingMethod = attrs.field(converter=_to_method)
    valid_from: date
    valid_to: date | None = attrs.field(
        default=None,
        validator=_check_not_before("valid_from", "billing.invalid_agreement_dates"),
    )
    version: int = 1

    def valid_on(self, day: date) -> bool:
        """Whether the agreement is in force on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


# -- billing periods -------------------------------------------------------------------


def _check_month(_instance: object, _attribute: object, value: int) -> None:
    if not 1 <= value <= 12:
        raise SelfcareError(Violation("billing.invalid_period", {"month": value}))


@final
@attrs.frozen(order=True)
class BillingPeriod:
    """One billing period: a calendar month, counted in the operator's time zone.

    >>> period = BillingPeriod(2024, 2)
    >>> period.days, period.first_day, period.last_day
    (29, datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))

    Raises:
        SelfcareError: ``billing.invalid_period`` for a month outside 1-12.
    """

    year: int
    month: int = attrs.field(validator=_check_month)

    @classmethod
    def containing(cls, moment: datetime, zone: tzinfo) -> BillingPeriod:
        """The period that holds ``moment`` in ``zone``.

        Raises:
            SelfcareError: ``time.naive_datetime``.
        """
        day = local_date(moment, zone)
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        """The first calendar day of the month."""
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        """The last calendar day of the month."""
        return date.fromordinal(self.next().first_day.toordinal() - 1)

    @property
    def days(self) -> int:
        """How many days the month has (28 to 31)."""
        return self.last_day.day

    def next(self) -> BillingPeriod:
        """The following month."""
        following = add_months(self.first_day, 1)
        return BillingPeriod(following.year, following.month)

    def bounds(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """The first instant of the month and of the next in ``zone``, as UTC."""
        return month_bounds(self.year, self.month, zone)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


# -- charges ---------------------------------------------------------------------------


def _non_negative(name: str) -> _Validator:
    def check(_instance: object, _attribute: object, value: Money | None) -> None:
        if value is not None and value.amount < 0:
            raise SelfcareError(Violation("billing.negative_price", {"field": name}))

    return check


@final
@attrs.frozen(kw_only=True)
class ChargeableService:
    """A service on a payer's monthly invoice, as
    :func:`~selfcare.billing.rules.charges_for_period` charges it.

    ``start`` is the first charged day and ``end`` the last (inclusive; ``None`` until
    further notice), both calendar days in the operator's time zone. ``one_time_fee`` is
    charged in the period that holds ``start``.

    Raises:
        SelfcareError: ``billing.invalid_text``, ``billing.negative_price``,
            ``billing.invalid_choice`` (price basis or VAT category),
            ``billing.invalid_service_dates`` (``end`` before ``start``),
            ``money.currency_mismatch`` (fee and price in different currencies).
    """

    service_id: str = attrs.field(validator=_require_text("service_id"))
    description: str = attrs.field(validator=_require_text("description"))
    monthly_price: Money = attrs.field(validator=_non_negative("monthly_price"))
    start: date
    end: date | None = attrs.field(
        default=None,
        validator=_check_not_before("start", "billing.invalid_service_dates"),
    )
    one_time_fee: Money | None = attrs.field(
        default=None,
        validator=_non_negative("one_time_fee"),
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

    service_id: str = attrs.field(validator=_require_text("service_id"))
    on: date
    description: str = attrs.field(validator=_require_text("description"))
    monthly_price: Money = attrs.field(validator=_non_negative("monthly_price"))


class ChargeKind(enum.StrEnum):
    """What an invoice line charges."""

    RECURRING = "recurring"
    ONE_TIME = "one_time"
    #: A negative line: the unused part of a plan already charged.
    CREDIT = "credit"


def _to_kind(value: object) -> ChargeKind:
    return choice(ChargeKind, value, "kind")


@final
@attrs.frozen(kw_only=True)
class InvoiceLine:
    """One line of an invoice: an amount as quoted, and its net, VAT and gross.

    ``supply_from`` and ``supply_to`` are the first and last day of supply the line
    covers (the same day for a one-time fee); the VAT rate is the one in force then.

    Raises:
        SelfcareError: ``billing.inconsistent_vat`` when net, VAT and gross do not follow
            from ``amount``, ``price_basis`` and ``vat_percent``;
            ``billing.invalid_service_dates``; ``billing.invalid_text``;
            ``billing.invalid_choice``.
    """

    service_id: str = attrs.field(validator=_require_text("service_id"))
    kind: ChargeKind = attrs.field(converter=_to_kind)
    description: str = attrs.field(validator=_require_text("description"))
    supply_from: date
    supply_to: date = attrs.field(
        validator=_check_not_before("supply_from", "billing.invalid_service_dates")
    )
    amount: Money
    price_basis: PriceBasis = attrs.field(converter=_to_basis)
    vat_percent: Decimal
    net: Money
    vat: Money
    gross: Money

    def __attrs_post_init__(self) -> None:
        expected = split_vat_cached(self.amount, self.vat_percent, self.price_basis)
        if (expected.net, expected.vat, expected.gross) != (self.net, self.vat, self.gross):
            raise SelfcareError(
                Violation("billing.inconsistent_vat", {"service_id": self.service_id[:64]})
            )

    @classmethod
    def build(
        cls,
        *,
        service_id: str,
        kind: ChargeKind,
        description: str,
        supply_from: date,
        supply_to: date,
        amount: Money,
        price_basis: PriceBasis,
        vat_percent: Decimal,
    ) -> InvoiceLine:
        """A line whose net, VAT and gross are computed from ``amount`` (rounded to the
        minor unit) at ``vat_percent``.

        Raises:
            SelfcareError: ``billing.invalid_text``, ``billing.invalid_choice``,
                ``billing.invalid_service_dates``.
        """
        split = split_vat_cached(amount, vat_percent, price_basis)
        return cls(
            service_id=service_id,
            kind=kind,
            description=description,
            supply_from=supply_from,
            supply_to=supply_to,
            amount=amount.rounded(),
            price_basis=price_basis,
            vat_percent=vat_percent,
            net=split.net,
            vat=split.vat,
            gross=split.gross,
        )


@final
@attrs.frozen(kw_only=True)
class VatBreakdownRow:
    """The sum of the lines at one VAT rate, as printed at the foot of an invoice."""

    vat_percent: Decimal
    net: Money
    vat: Money
    gross: Money


def _to_currency(value: object) -> Currency:
    return Currency.parse(value)


def _lines(value: Iterable[InvoiceLine]) -> tuple[InvoiceLine, ...]:
    return tuple(value)


@final
@attrs.frozen(kw_only=True)
class Invoice:
    """A payer's invoice for one billing period.

    The totals are the sums of the lines (line-level VAT, so ``gross_total ==
    net_total + vat_total`` and each equals the sum of its lines exactly).

    Raises:
        SelfcareError: ``billing.invalid_text``, ``money.currency_mismatch`` (a line in
            another currency), ``billing.invalid_invoice_dates`` (due before issue).
    """

    invoice_id: str = attrs.field(validator=_require_text("invoice_id"))
    payer: CustomerNumber = attrs.field(validator=_require_text("payer"))
    period: BillingPeriod
    currency: Currency = attrs.field(converter=_to_currency)
    issued_on: date
    due_on: date = attrs.field(
        validator=_check_not_before("issued_on", "billing.invalid_invoice_dates")
    )
    reference: str = attrs.field(validator=_require_text("reference", 40))
    lines: tuple[InvoiceLine, ...] = attrs.field(default=(), converter=_lines)
    version: int = 1

    def __attrs_post_init__(self) -> None:
        zero = Money.zero(self.currency)
        for line in self.lines:
            _ = zero + line.amount  # refuses a second currency

    def _sum(self, pick: str) -> Money:
        total = Money.zero(self.currency)
        for line in self.lines:
            total += getattr(line, pick)
        return total

    @property
    def net_total(self) -> Money:
        """The sum of the lines' net amounts."""
        return self._sum("net")

    @property
    def vat_total(self) -> Money:
        """The sum of the lines' VAT."""
        return self._sum("vat")

    @property
    def gross_total(self) -> Money:
        """The sum of the lines' gross amounts: what the payer pays."""
        return self._sum("gross")

    def vat_breakdown(self) -> tuple[VatBreakdownRow, ...]:
        """Net, VAT and gross per VAT rate, highest rate first."""
        rows: dict[Decimal, tuple[Money, Money, Money]] = {}
        for line in self.lines:
            zero = Money.zero(self.currency)
            net, vat, gross = rows.get(line.vat_percent, (zero, zero, zero))
            rows[line.vat_percent] = (net + line.net, vat + line.vat, gross + line.gross)
        return tuple(
            VatBreakdownRow(vat_percent=percent, net=net, vat=vat, gross=gross)
            for percent, (net, vat, gross) in sorted(rows.items(), reverse=True)
        )


# -- employer mobile policy (seed 004) -------------------------------------------------


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

    policy_id: str = attrs.field(validator=_require_text("policy_id"))
    employer: str = attrs.field(validator=_require_text("employer"))
    monthly_allowance: Money = attrs.field(validator=_non_negative("monthly_allowance"))
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

    offering_id: str = attrs.field(validator=_require_text("offering_id"))
    description: str = attrs.field(validator=_require_text("description"))
    msisdn: str | None = None
    amount: Money = attrs.field(validator=_non_negative("amount"))


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

    employee: str = attrs.field(validator=_require_text("employee"))
    period: BillingPeriod
    entries: tuple[DeductionEntry, ...] = attrs.field(converter=_entries)
    total: Money
