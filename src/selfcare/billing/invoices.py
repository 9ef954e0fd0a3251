"""Invoices: their lines, the VAT breakdown at their foot, and the payment reference
they carry, in the shape of the European e-invoice semantic model (EN 16931).

An :class:`Invoice` holds what EN 16931 asks of a core invoice, so that a Finvoice or
PEPPOL BIS Billing 3.0 / EHF export is only a serializer: the invoice number (BT-1),
issue date (BT-2), billing period (BG-14), seller (BG-4) and buyer (BG-7) as
:class:`Party` values, the lines (BG-25: item name BT-153, line period BG-26, VAT
category BT-151 and rate BT-152), the VAT breakdown per category and rate (BG-23,
:meth:`Invoice.vat_breakdown`), the totals (BG-22) and the payment terms with the
payment reference (BT-9, BT-83: :attr:`Invoice.payment_terms`).

Each line carries its VAT as quoted (computed per line), and the payer pays the sum of
the lines' gross amounts (:attr:`Invoice.gross_total`, BT-115). The VAT breakdown and the
invoice's VAT total follow EN 16931: the VAT of a category is its taxable amount times
its rate, rounded to the cent (BR-CO-17), and the VAT total is the sum of those
(BR-CO-14); where that differs from the sum of the lines' VAT by rounding, the
difference is the rounding amount (BT-114), so that
``net_total + vat_total + rounding_amount == gross_total`` exactly. The reference
depends on the payer's country (:func:`payment_reference`):

>>> payment_reference("FI", 12345), payment_reference("NO", 123456)
('123453', '1234566')
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Final, final

import attrs

from selfcare.billing._fields import Validator, check_not_before, enum_member, require_text
from selfcare.billing.periods import BillingPeriod
from selfcare.billing.references import fi_reference, kid, ocr_reference, rf_reference
from selfcare.billing.vat import PriceBasis, VatAmounts, VatCategory, split_vat, vat_of
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import CustomerNumber, RelationshipId
from selfcare.core.money import Currency, Money

__all__ = [
    "ChargeKind",
    "Invoice",
    "InvoiceLine",
    "Party",
    "PaymentTerms",
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


def _to_category(value: VatCategory | str) -> VatCategory:
    return enum_member(VatCategory, value, "vat_category")


# An invoice run repeats the same few prices at the same rates many times over.
@functools.lru_cache(maxsize=4096)
def _vat_of_line(amount: Money, percent: Decimal, basis: PriceBasis) -> VatAmounts:
    return split_vat(amount, percent, basis)


@final
@attrs.frozen(kw_only=True, slots=False)
class InvoiceLine:
    """One line of an invoice: an amount as quoted, and its net, VAT and gross.

    ``supply_from`` and ``supply_to`` are the first and last day of supply the line
    covers (the same day for a one-time fee); the VAT rate is the one in force then.

    Immutable like every value of the library. Unlike the others it keeps its fields in
    an instance dict rather than slots: the invoice run builds hundreds of thousands of
    lines, and :meth:`build` fills a dict-backed line in one step (0.16 µs instead of
    1.1 µs for fourteen slot writes).

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
    #: The offering charged (EN 16931 BT-155, the seller's item id), when known.
    offering_id: str | None = None
    #: What kind of supply it is, which decided the rate (BT-151).
    vat_category: VatCategory = attrs.field(default=VatCategory.STANDARD, converter=_to_category)

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
        offering_id: str | None = None,
        vat_category: VatCategory = VatCategory.STANDARD,
    ) -> InvoiceLine:
        """A line whose net, VAT and gross are computed from ``amount`` (rounded to the
        minor unit) at ``vat_percent``.

        Raises:
            SelfcareError: ``billing.invalid_text``, ``billing.invalid_choice``,
                ``billing.invalid_service_dates``.
        """
        kind = _to_kind(kind)
        basis = _to_basis(price_basis)
        category = _to_category(vat_category)
        split = _vat_of_line(amount, vat_percent, basis)
        fields = {
            "service_id": service_id,
            "kind": kind,
            "description": description,
            "supply_from": supply_from,
            "supply_to": supply_to,
            # the amount as quoted, rounded: the gross of a VAT-inclusive price, else the net
            "amount": split.gross if basis is PriceBasis.GROSS else split.net,
            "price_basis": basis,
            "vat_percent": split.percent,
            "net": split.net,
            "vat": split.vat,
            "gross": split.gross,
            "offering_id": offering_id,
            "vat_category": category,
        }
        check_line_texts(service_id, description)
        _SUPPLY_DATES(_Dates(supply_from), _SUPPLY_TO, supply_to)
        # Every field is checked or computed above, consistently: build the line without
        # running the same checks again (an invoice run builds hundreds of thousands).
        return cls._checked(fields)

    @classmethod
    def _checked(cls, fields: dict[str, object]) -> InvoiceLine:
        """A line from ``fields`` that the caller has checked and computed exactly as
        :meth:`build` does (the invoice run checks each text once per product and
        computes each VAT split once per price and days)."""
        line = object.__new__(cls)
        line.__dict__.update(fields)
        return line


def check_line_texts(service_id: str, description: str) -> None:
    """Check an invoice line's service id and description as :class:`InvoiceLine` does.

    Raises:
        SelfcareError: ``billing.invalid_text``.
    """
    _SERVICE_ID(None, None, service_id)
    _DESCRIPTION(None, None, description)


@attrs.frozen
class _Dates:
    supply_from: date


_SERVICE_ID: Final = require_text("service_id")
_DESCRIPTION: Final = require_text("description")
_SUPPLY_DATES: Final = check_not_before("supply_from", "billing.invalid_service_dates")
_SUPPLY_TO: Final = attrs.fields(InvoiceLine).supply_to


@final
@attrs.frozen(kw_only=True)
class VatBreakdownRow:
    """The lines of one VAT category at one rate, as printed at the foot of an invoice
    (EN 16931 BG-23): the taxable amount ``net`` is the sum of the lines' net amounts
    (BT-116), ``vat`` that amount times the rate, rounded half-up to the cent (BT-117,
    BR-CO-17), ``gross`` their sum; category BT-118, rate BT-119."""

    vat_percent: Decimal
    net: Money
    vat: Money
    gross: Money
    category: VatCategory = VatCategory.STANDARD

    @property
    def category_code(self) -> str:
        """The UNCL 5305 code EN 16931 uses: ``S`` (a standard or reduced rate) or
        ``Z`` (zero-rated)."""
        return "Z" if self.vat_percent == 0 else "S"


def _party_text(limit: int) -> Validator:
    checks: Callable[[object, object, object], None] = require_text("party", limit)

    def check(instance: object, attribute: object, value: object) -> None:
        if value is not None:
            checks(instance, attribute, value)

    return check


@final
@attrs.frozen(kw_only=True)
class Party:
    """A seller (EN 16931 BG-4) or buyer (BG-7): the name (BT-27/BT-44), the country
    (BT-40/BT-55, ISO 3166), the VAT identifier (BT-31/BT-48) and a legal or customer
    identifier (BT-30/BT-46: an organisation number, a customer number).

    Raises:
        SelfcareError: ``billing.invalid_text``.
        TypeError: a field that is not a ``str``.
    """

    name: str = attrs.field(validator=require_text("name"))
    country: str = attrs.field(validator=require_text("country", 2))
    vat_id: str | None = attrs.field(default=None, validator=_party_text(20))
    identifier: str | None = attrs.field(default=None, validator=_party_text(40))


@final
@attrs.frozen(kw_only=True)
class PaymentTerms:
    """When and how to pay (EN 16931 BT-9 due date, BT-83 remittance information: the
    payment reference the payer's bank sends back, BT-20 terms)."""

    due_on: date
    reference: str
    payment_days: int


def _to_currency(value: Currency | str) -> Currency:
    return Currency.parse(value)


def _lines(value: Iterable[InvoiceLine]) -> tuple[InvoiceLine, ...]:
    return tuple(value)


@final
@attrs.frozen(kw_only=True)
class Invoice:
    """A payer's invoice for one billing period.

    The payer pays the sum of the lines' gross amounts (:attr:`gross_total`); the VAT
    total is that of the VAT breakdown (EN 16931, see the module), and
    ``net_total + vat_total + rounding_amount == gross_total`` exactly.

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
    seller: Party | None = None
    buyer: Party | None = None
    #: The customer relationship whose products the invoice run charged.
    relationship_id: RelationshipId | None = None
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
        """The sum of the lines' net amounts (EN 16931 BT-106 and BT-109: no
        document-level allowances or charges)."""
        return self._sum("net")

    @property
    def vat_total(self) -> Money:
        """The VAT of the invoice: the sum of the VAT breakdown's rows, each computed on
        its category's taxable amount (EN 16931 BT-110, BR-CO-14). It can differ from
        the sum of the lines' VAT by a few cents of rounding (see
        :attr:`rounding_amount`)."""
        total = Money.zero(self.currency)
        for row in self.vat_breakdown():
            total += row.vat
        return total

    @property
    def total_with_vat(self) -> Money:
        """``net_total + vat_total`` (EN 16931 BT-112, BR-CO-15)."""
        return self.net_total + self.vat_total

    @property
    def rounding_amount(self) -> Money:
        """What brings :attr:`total_with_vat` to :attr:`gross_total` (EN 16931 BT-114):
        the lines' VAT, each rounded on its own, against the VAT of each category's sum.
        Zero unless rounding made them differ; a few cents, either sign."""
        return self.gross_total - self.total_with_vat

    @property
    def gross_total(self) -> Money:
        """The sum of the lines' gross amounts: what the payer pays (EN 16931 BT-115,
        the amount due)."""
        return self._sum("gross")

    @property
    def payment_terms(self) -> PaymentTerms:
        """The due date and the payment reference (EN 16931 BT-9, BT-83)."""
        return PaymentTerms(
            due_on=self.due_on,
            reference=self.reference,
            payment_days=(self.due_on - self.issued_on).days,
        )

    def vat_breakdown(self) -> tuple[VatBreakdownRow, ...]:
        """Taxable amount, VAT and gross per VAT category and rate, highest rate first
        (EN 16931 BG-23): the taxable amount is the sum of the lines' net amounts, the
        VAT that amount times the rate, rounded half-up to the cent (BR-CO-17).

        >>> from datetime import date
        >>> from selfcare.billing.periods import BillingPeriod
        >>> lines = [InvoiceLine.build(service_id=f"s-{n}", kind="one_time",
        ...          description="SMS", supply_from=date(2026, 3, 1),
        ...          supply_to=date(2026, 3, 31), amount=Money("0.10", "EUR"),
        ...          price_basis=PriceBasis.NET, vat_percent=Decimal("25.5"))
        ...          for n in range(3)]
        >>> invoice = Invoice(invoice_id="1", payer=CustomerNumber("100"), currency="EUR",
        ...     period=BillingPeriod(2026, 3), issued_on=date(2026, 4, 1),
        ...     due_on=date(2026, 4, 15), reference="13", lines=lines)
        >>> [str(line.vat) for line in lines]  # 0.0255 each, rounded on its own
        ['0.03 EUR', '0.03 EUR', '0.03 EUR']
        >>> [(str(row.net), str(row.vat)) for row in invoice.vat_breakdown()]
        [('0.30 EUR', '0.08 EUR')]
        >>> str(invoice.total_with_vat), str(invoice.rounding_amount), str(invoice.gross_total)
        ('0.38 EUR', '0.01 EUR', '0.39 EUR')
        """
        nets: dict[tuple[Decimal, VatCategory], Money] = {}
        zero = Money.zero(self.currency)
        for line in self.lines:
            key = (line.vat_percent, line.vat_category)
            nets[key] = nets.get(key, zero) + line.net
        rows = []
        for (percent, category), net in sorted(
            nets.items(), key=lambda row: (-row[0][0], row[0][1].value)
        ):
            vat = vat_of(net, percent, PriceBasis.NET)
            rows.append(
                VatBreakdownRow(
                    vat_percent=percent, net=net, vat=vat, gross=net + vat, category=category
                )
            )
        return tuple(rows)


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
