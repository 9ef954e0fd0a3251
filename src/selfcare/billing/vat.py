"""VAT: rates by country and category with validity dates, and net/VAT/gross of an amount.

The rate of a charge is the rate in force on its date of supply
(:meth:`VatTable.rate_on`). Finland's general rate was 22 % until June 2010, 23 % from
1 July 2010, 24 % from 1 January 2013 and 25.5 % for supplies from 1 September 2024;
the reduced rate for foodstuffs and restaurant services went from 14 % to 13.5 % on
1 January 2026:

>>> from datetime import date, datetime
>>> [str(NORDIC_VAT.rate_on("FI", date(y, m, 1)).percent)
...  for y, m in ((2010, 6), (2010, 7), (2013, 1))]
['22', '23', '24']
>>> NORDIC_VAT.rate_on("FI", date(2024, 8, 31)).percent
Decimal('24')
>>> NORDIC_VAT.rate_on("FI", date(2024, 9, 1)).percent
Decimal('25.5')

Prices are either VAT-inclusive (:attr:`PriceBasis.GROSS`, how Nordic consumer prices
are quoted) or VAT-exclusive (:attr:`PriceBasis.NET`, business price lists). The VAT
of an amount is computed from the amount *as quoted* and rounded half-up to the minor
unit; the other figure is the difference, so ``net + vat == gross`` always holds:

>>> from selfcare import Money
>>> amounts = split_vat(Money("12.90", "EUR"), Decimal("25.5"), PriceBasis.GROSS)
>>> str(amounts.net), str(amounts.vat), str(amounts.gross)
('10.28 EUR', '2.62 EUR', '12.90 EUR')
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, cast, final

import attrs

from selfcare.billing._fields import enum_member
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.money import Money

__all__ = [
    "NORDIC_VAT",
    "PriceBasis",
    "VatAmounts",
    "VatCategory",
    "VatRate",
    "VatTable",
    "split_vat",
]

_HUNDRED: Final = Decimal(100)


class PriceBasis(enum.StrEnum):
    """Whether an amount includes VAT."""

    #: VAT-inclusive: the consumer price (``12,90 € sis. alv``).
    GROSS = "gross"
    #: VAT-exclusive: the price before VAT (business price lists).
    NET = "net"


class VatCategory(enum.StrEnum):
    """What kind of supply a charge is, which decides its rate.

    Telecom, energy and district heating services are all ``STANDARD``; ``FOOD``
    (foodstuffs and restaurant services) is here because operators also sell
    merchandise and catering through the same invoice.
    """

    STANDARD = "standard"
    FOOD = "food"


def _to_category(value: object) -> VatCategory:
    return enum_member(VatCategory, value, "category")


def _to_percent(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        msg = f"a VAT percentage must be Decimal, int or str, not {type(value).__name__}"
        raise TypeError(msg)
    try:
        percent = Decimal(value)
    except ArithmeticError:
        percent = Decimal(-1)
    if not percent.is_finite() or not 0 <= percent < _HUNDRED:
        raise SelfcareError(Violation("vat.invalid_rate", {"percent": str(value)[:16]}))
    return percent


def _check_day(value: object) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        msg = f"a day of supply must be a date, not {type(value).__name__}"
        raise TypeError(msg)


def _to_country(value: object) -> str:
    if not isinstance(value, str):
        msg = f"a country must be an ISO 3166 code string, not {type(value).__name__}"
        raise TypeError(msg)
    code = value.strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise SelfcareError(Violation("vat.invalid_country", {"country": value[:16]}))
    return code


def _check_validity(instance: VatRate, _attribute: object, valid_to: date | None) -> None:
    if valid_to is not None and valid_to < instance.valid_from:
        raise SelfcareError(
            Violation(
                "vat.invalid_validity",
                {"valid_from": instance.valid_from.isoformat(), "valid_to": valid_to.isoformat()},
            )
        )


@final
@attrs.frozen(kw_only=True)
class VatRate:
    """One VAT rate of a country and category, valid from a day to a day (inclusive).

    Raises:
        SelfcareError: ``vat.invalid_rate`` (not in ``0 <= percent < 100``),
            ``vat.invalid_country`` (not two letters), ``vat.invalid_validity``
            (``valid_to`` before ``valid_from``).
    """

    country: str = attrs.field(converter=_to_country)
    category: VatCategory = attrs.field(converter=_to_category)
    percent: Decimal = attrs.field(converter=_to_percent)
    valid_from: date
    #: The last day of validity, or ``None`` while the rate is in force.
    valid_to: date | None = attrs.field(default=None, validator=_check_validity)

    def applies_on(self, day: date) -> bool:
        """Whether the rate is in force on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def _rates(value: Iterable[VatRate]) -> tuple[VatRate, ...]:
    return tuple(sorted(value, key=lambda r: (r.country, r.category.value, r.valid_from)))


def _check_no_overlap(_instance: object, _attribute: object, rates: tuple[VatRate, ...]) -> None:
    for before, after in itertools.pairwise(rates):
        same = before.country == after.country and before.category is after.category
        if same and (before.valid_to is None or before.valid_to >= after.valid_from):
            raise SelfcareError(
                Violation(
                    "vat.overlapping_rates",
                    {"country": before.country, "category": before.category.value},
                )
            )


@final
@attrs.frozen
class VatTable:
    """The VAT rates an operator applies, by country, category and validity.

    A table is data, not law: pass your own (or :meth:`with_rate` a new one) when a
    rate changes; :data:`NORDIC_VAT` is the library's default.

    Raises:
        SelfcareError: ``vat.overlapping_rates`` when two rates of one country and
            category are in force on the same day.
    """

    rates: tuple[VatRate, ...] = attrs.field(converter=_rates, validator=_check_no_overlap)

    def rate_on(
        self, country: str, day: date, category: VatCategory = VatCategory.STANDARD
    ) -> VatRate:
        """The rate of ``category`` in ``country`` in force on the date of supply ``day``.

        Raises:
            SelfcareError: ``vat.no_rate`` when the table has none for that day,
                ``vat.invalid_country`` for a code that is not two letters.
        """
        code = _to_country(country)
        _check_day(day)
        category = _to_category(category)
        for rate in self.rates:
            if rate.country == code and rate.category is category and rate.applies_on(day):
                return rate
        raise SelfcareError(
            Violation(
                "vat.no_rate",
                {"country": code, "category": category.value, "day": day.isoformat()},
            )
        )

    def changes_between(
        self, country: str, first: date, last: date, category: VatCategory = VatCategory.STANDARD
    ) -> tuple[date, ...]:
        """The days after ``first`` up to ``last`` on which a new rate comes into force.

        Raises:
            SelfcareError: ``vat.invalid_country`` for a code that is not two letters.
        """
        code = _to_country(country)
        return tuple(
            rate.valid_from
            for rate in self.rates
            if rate.country == code
            and rate.category is category
            and first < rate.valid_from <= last
        )

    def with_rate(self, rate: VatRate) -> VatTable:
        """A copy with ``rate`` added; the current open-ended rate of the same country and
        category, if it started earlier, now ends the day before ``rate`` starts.

        >>> from datetime import date
        >>> table = NORDIC_VAT.with_rate(
        ...     VatRate(country="SE", category="standard", percent=20, valid_from=date(2030, 1, 1))
        ... )
        >>> [table.rate_on("SE", day).percent for day in (date(2029, 12, 31), date(2030, 1, 1))]
        [Decimal('25'), Decimal('20')]

        Raises:
            SelfcareError: ``vat.overlapping_rates`` when ``rate`` overlaps a closed rate.
        """
        from datetime import timedelta  # noqa: PLC0415 - only needed here

        kept: list[VatRate] = []
        for old in self.rates:
            same = old.country == rate.country and old.category is rate.category
            if same and old.valid_to is None and old.valid_from < rate.valid_from:
                kept.append(attrs.evolve(old, valid_to=rate.valid_from - timedelta(days=1)))
            else:
                kept.append(old)
        return VatTable((*kept, rate))


@final
@attrs.frozen(kw_only=True)
class VatAmounts:
    """An amount split into net, VAT and gross at one rate; ``net + vat == gross``."""

    net: Money
    vat: Money
    gross: Money
    percent: Decimal


def _to_basis(value: object) -> PriceBasis:
    return enum_member(PriceBasis, value, "price_basis")


def vat_of(amount: Money, percent: Decimal, basis: PriceBasis) -> Money:
    """The VAT contained in (``GROSS``) or due on (``NET``) ``amount``, rounded half-up.

    Raises:
        SelfcareError: ``billing.invalid_choice`` (an unknown basis), ``vat.invalid_rate``.
        TypeError: ``amount`` is not :class:`~selfcare.core.money.Money`, ``basis`` not a
            :class:`PriceBasis` or ``str``.
    """
    if not isinstance(cast("object", amount), Money):
        msg = f"amount must be Money, not {type(amount).__name__}"
        raise TypeError(msg)
    basis = _to_basis(basis)
    percent = _to_percent(percent)
    divisor = _HUNDRED + percent if basis is PriceBasis.GROSS else _HUNDRED
    exact = amount.amount * percent / divisor
    return Money(exact.quantize(amount.currency.minor_unit, ROUND_HALF_UP), amount.currency)


def split_vat(amount: Money, percent: Decimal, basis: PriceBasis) -> VatAmounts:
    """Net, VAT and gross of ``amount`` (rounded to the minor unit first) at ``percent``.

    The VAT is computed from the amount as quoted and rounded half-up to the minor unit;
    the other figure is the difference, so that ``net + vat == gross`` exactly and the
    quoted figure is never changed by rounding.

    >>> from selfcare import Money
    >>> split_vat(Money("10.00", "EUR"), Decimal("24"), PriceBasis.NET).gross
    Money(amount=Decimal('12.40'), currency=<Currency.EUR: 'EUR'>)

    ``basis`` may be given as its value (``"gross"``, ``"net"``).

    Raises:
        SelfcareError: ``vat.invalid_rate`` (not in ``0 <= percent < 100``),
            ``billing.invalid_choice`` (an unknown basis).
        TypeError: ``amount`` is not :class:`~selfcare.core.money.Money`, ``percent`` not
            a ``Decimal``, ``int`` or ``str``, ``basis`` not a :class:`PriceBasis` or ``str``.
    """
    if not isinstance(cast("object", amount), Money):
        msg = f"amount must be Money, not {type(amount).__name__}"
        raise TypeError(msg)
    basis = _to_basis(basis)
    percent = _to_percent(percent)
    rounded = amount.rounded()
    vat = vat_of(rounded, percent, basis)
    if basis is PriceBasis.GROSS:
        return VatAmounts(net=rounded - vat, vat=vat, gross=rounded, percent=percent)
    return VatAmounts(net=rounded, vat=vat, gross=rounded + vat, percent=percent)


def _rate(country: str, category: str, percent: str, start: date, end: date | None) -> VatRate:
    return VatRate(
        country=country, category=category, percent=Decimal(percent), valid_from=start, valid_to=end
    )


#: The default table: general rates of FI, SE, NO and DK and the reduced food rates,
#: from the national tax authorities (Vero, Skatteverket, Skatteetaten, Skattestyrelsen).
NORDIC_VAT: Final = VatTable(
    (
        # Finland (arvonlisäverolaki 1501/1993 § 84 as amended): 22 % until 2010-06-30;
        # 23 % from 2010-07-01 (L 1780/2009); 24 % from 2013-01-01 (L 1202/2012);
        # 25.5 % for supplies from 2024-09-01 (L 473/2024, HE 76/2024).
        _rate("FI", "standard", "22", date(1994, 6, 1), date(2010, 6, 30)),
        _rate("FI", "standard", "23", date(2010, 7, 1), date(2012, 12, 31)),
        _rate("FI", "standard", "24", date(2013, 1, 1), date(2024, 8, 31)),
        _rate("FI", "standard", "25.5", date(2024, 9, 1), None),
        # Foodstuffs and restaurant services: one rate since 2010-07-01, 13 % (before
        # that food was 12 % and restaurant services 22 %, two categories this table
        # does not split); 14 % from 2013-01-01, 13.5 % from 2026-01-01.
        _rate("FI", "food", "13", date(2010, 7, 1), date(2012, 12, 31)),
        _rate("FI", "food", "14", date(2013, 1, 1), date(2025, 12, 31)),
        _rate("FI", "food", "13.5", date(2026, 1, 1), None),
        # Sweden: 25 % general since 1990-07-01; food 12 % since 1996-01-01, temporarily
        # 6 % from 2026-04-01 to 2027-12-31 (prop. 2025/26:55), then 12 % again.
        _rate("SE", "standard", "25", date(1990, 7, 1), None),
        _rate("SE", "food", "12", date(1996, 1, 1), date(2026, 3, 31)),
        _rate("SE", "food", "6", date(2026, 4, 1), date(2027, 12, 31)),
        _rate("SE", "food", "12", date(2028, 1, 1), None),
        # Norway: 25 % general since 2005-01-01; food 15 % since 2012-01-01.
        _rate("NO", "standard", "25", date(2005, 1, 1), None),
        _rate("NO", "food", "15", date(2012, 1, 1), None),
        # Denmark: 25 % on everything since 1992-01-01 (no reduced rates).
        _rate("DK", "standard", "25", date(1992, 1, 1), None),
        _rate("DK", "food", "25", date(1992, 1, 1), None),
    )
)
