"""Invoices: their lines, the VAT breakdown at their foot, and the payment reference
they carry.

The totals of an :class:`Invoice` are the sums of its lines (VAT is computed per line),
so ``gross_total == net_total + vat_total`` exactly. The reference depends on the
payer's country (:func:`payment_reference`):

>>> payment_reference("FI", 12345), payment_reference("NO", 123456)
('123453', '1234566')
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import final

import attrs

from selfcare.billing._fields import check_not_before, enum_member, require_text
from selfcare.billing.periods import BillingPeriod
from selfcare.billing.references import fi_reference, kid, ocr_reference, rf_reference
from selfcare.billing.vat import PriceBasis, VatAmounts, split_vat
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import CustomerNumber
from selfcare.core.money import Currency, Money

__all__ = [
    "ChargeKind",
    "Invoice",
    "InvoiceLine",
    "VatBreakdownRow",
    "payment_reference",
]


class ChargeKind(enum.StrEnum):
    """What an invoice line charges."""

    RECURRING = "recurring"
    ONE_TIME = "one_time"
    #: A negative line: the unused part of a plan already charged.
    CREDIT = "credit"


def _to_kind(value: ChargeKind | str) -> ChargeKind:
    return enum_member(ChargeKind, value, "kind")


def _to_basis(value: PriceBasis | str) -> PriceBasis:
    return enum_member(PriceBasis, value, "price_basis")


# An invoice run repeats the same few prices at the same rates many times over.
@functools.lru_cache(maxsize=4096)
def _vat_of_line(amount: Money, percent: Decimal, basis: PriceBasis) -> VatAmounts:
    return split_vat(amount, percent, basis)


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

    service_id: str = attrs.field(validator=require_text("service_id"))
    kind: ChargeKind = attrs.field(converter=_to_kind)
    description: str = attrs.field(validator=require_text("description"))
    supply_from: date
    supply_to: date = attrs.field(
        validator=check_not_before("supply_from", "billing.invalid_service_dates")
    )
    amount: Money
    price_basis: PriceBasis = attrs.field(converter=_to_basis)
    vat_percent: Decimal
    net: Money
    vat: Money
    gross: Money

    def __attrs_post_init__(self) -> None:
        expected = _vat_of_line(self.amount, self.vat_percent, self.price_basis)
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
        split = _vat_of_line(amount, vat_percent, price_basis)
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


def _to_currency(value: Currency | str) -> Currency:
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

    invoice_id: str = attrs.field(validator=require_text("invoice_id"))
    payer: CustomerNumber = attrs.field(validator=require_text("payer"))
    period: BillingPeriod
    currency: Currency = attrs.field(converter=_to_currency)
    issued_on: date
    due_on: date = attrs.field(
        validator=check_not_before("issued_on", "billing.invalid_invoice_dates")
    )
    reference: str = attrs.field(validator=require_text("reference", 40))
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


def payment_reference(country: str, invoice_number: str | int) -> str:
    """The payment reference an invoice carries in ``country``: a Finnish reference (FI),
    an OCR reference with a length digit (SE), a mod 10 KID (NO), an RF creditor
    reference elsewhere.

    Raises:
        SelfcareError: the ``reference.*`` codes of the scheme's ``create``.
        TypeError: ``country`` is not a string.
    """
    if not isinstance(country, str):  # the annotation says str; callers may not obey
        msg = f"a country must be str, not {type(country).__name__}"  # type: ignore[unreachable]
        raise TypeError(msg)
    code = country.strip().upper()
    if code == "FI":
        return fi_reference.create(invoice_number)
    if code == "SE":
        return ocr_reference.create(invoice_number, length_digit=True)
    if code == "NO":
        return kid.create(invoice_number, kid.KidMethod.MOD10)
    return rf_reference.create(invoice_number)
