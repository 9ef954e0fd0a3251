"""Money: a :class:`~decimal.Decimal` amount in one of the Nordic currencies.

Money lives in the core layer (not in ``selfcare.billing``) because the catalog,
which sits below billing, prices its offerings with it.

- Never a float: ``Money(12.9, "EUR")`` is a :class:`TypeError`.
- Arithmetic only within one currency (``money.currency_mismatch`` otherwise).
- Amounts keep their precision until rounded explicitly with :meth:`Money.rounded`,
  to the currency's minor unit, half-up.
- :meth:`Money.allocate` splits an amount into parts that add up to it exactly.

>>> price = Money("12.90", "EUR")
>>> price * 3
Money(amount=Decimal('38.70'), currency=<Currency.EUR: 'EUR'>)
>>> [str(part) for part in Money("10.00", "EUR").allocate([1, 1, 1])]
['3.34 EUR', '3.33 EUR', '3.33 EUR']
>>> Money("12.90", "EUR").format("fi")
'12,90\xa0€'
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final, cast, final

import attrs

from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError

__all__ = ["Currency", "Money"]


class Currency(enum.StrEnum):
    """The ISO 4217 currencies of the Nordic markets the library serves."""

    EUR = "EUR"
    SEK = "SEK"
    NOK = "NOK"
    DKK = "DKK"

    @property
    def minor_unit(self) -> Decimal:
        """The smallest unit, e.g. ``Decimal('0.01')`` for one cent or öre."""
        return _MINOR_UNITS[self]

    @classmethod
    def parse(cls, value: object) -> Currency:
        """The currency for an ISO code (any case).

        Raises:
            SelfcareError: ``money.unsupported_currency``.
        """
        if isinstance(value, Currency):
            return value
        if isinstance(value, str):
            try:
                return cls(value.strip().upper())
            except ValueError:
                pass
        shown = value[:16] if isinstance(value, str) else type(value).__name__
        raise SelfcareError(
            Violation(
                "money.unsupported_currency",
                {"currency": shown, "supported": tuple(c.value for c in cls)},
            )
        )


_MINOR_UNITS: Final = {c: Decimal("0.01") for c in Currency}

# CLDR locale used to format each of our languages; a region is needed for Babel to
# pick the local symbol placement and separators.
_FORMAT_LOCALES: Final = {"en": "en_IE", "fi": "fi_FI", "sv": "sv_SE", "nb": "nb_NO"}

# Upper bound on amounts: far above any invoice, low enough that Decimal arithmetic and
# formatting stay fast and never switch to exponent notation.
_MAX_DIGITS: Final = 18


def _to_amount(value: Decimal | int | str) -> Decimal:
    if isinstance(value, bool | float):
        msg = f"Money amounts must be Decimal, int or str, not {type(value).__name__}"
        raise TypeError(msg)
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        if len(value) > 64:
            raise SelfcareError(Violation("money.invalid_amount", {"amount": value[:16] + "…"}))
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            raise SelfcareError(Violation("money.invalid_amount", {"amount": value[:32]})) from None
    else:  # the annotation says otherwise; callers may not obey it
        msg = f"Money amounts must be Decimal, int or str, not {type(value).__name__}"  # type: ignore[unreachable]
        raise TypeError(msg)
    if not amount.is_finite() or amount.adjusted() >= _MAX_DIGITS:
        raise SelfcareError(Violation("money.invalid_amount", {"amount": str(amount)[:32]}))
    return amount


def _to_currency(value: Currency | str) -> Currency:
    return Currency.parse(value)


@final
@attrs.frozen(order=False)
class Money:
    """An amount of money in one currency."""

    amount: Decimal = attrs.field(converter=_to_amount)
    currency: Currency = attrs.field(converter=_to_currency)

    @classmethod
    def zero(cls, currency: Currency | str) -> Money:
        """Zero in ``currency``."""
        return cls(Decimal("0.00"), Currency.parse(currency))

    def _same(self, other: object) -> Money:
        if not isinstance(other, Money):
            msg = f"cannot combine Money with {type(other).__name__}"
            raise TypeError(msg)
        if other.currency is not self.currency:
            raise SelfcareError(
                Violation(
                    "money.currency_mismatch",
                    {"left": self.currency.value, "right": other.currency.value},
                )
            )
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._same(other).amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._same(other).amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, int | Decimal):
            msg = f"Money can be multiplied by int or Decimal, not {type(factor).__name__}"
            raise TypeError(msg)
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other).amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other).amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other).amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other).amount

    def __str__(self) -> str:
        return f"{self.amount} {self.currency.value}"

    @property
    def is_zero(self) -> bool:
        """Whether the amount is zero."""
        return not self.amount

    def rounded(self) -> Money:
        """Rounded to the currency's minor unit, half-up (``0.005`` -> ``0.01``)."""
        return Money(self.amount.quantize(self.currency.minor_unit, ROUND_HALF_UP), self.currency)

    def allocate(self, weights: Sequence[int | Decimal]) -> tuple[Money, ...]:
        """Split the rounded amount by ``weights`` into parts that add up to it exactly.

        Each part is rounded down to the minor unit and the cents left over go, one by
        one, to the parts with the largest remainders (earlier parts first on a tie).

        Raises:
            SelfcareError: ``money.invalid_allocation`` for no weights, a negative or
                non-finite (NaN, infinite) weight, or weights that add up to zero.
            TypeError: a weight that is not an ``int`` or a ``Decimal``.
        """
        for weight in weights:
            if not isinstance(cast("object", weight), int | Decimal):
                msg = f"allocation weights must be int or Decimal, not {type(weight).__name__}"
                raise TypeError(msg)
        if (
            not weights
            or any(
                isinstance(w, bool) or not Decimal(w).is_finite() or Decimal(w) < 0 for w in weights
            )
            or sum((Decimal(w) for w in weights), Decimal(0)) == 0
        ):
            raise SelfcareError(Violation("money.invalid_allocation", {"parts": len(weights)}))
        total_weight = sum((Decimal(w) for w in weights), Decimal(0))
        unit = self.currency.minor_unit
        total_units = int(self.rounded().amount / unit)
        sign = -1 if total_units < 0 else 1
        exact = [abs(total_units) * Decimal(w) / total_weight for w in weights]
        floors = [int(x) for x in exact]
        left = abs(total_units) - sum(floors)
        order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
        for i in order[:left]:
            floors[i] += 1
        return tuple(Money(sign * units * unit, self.currency) for units in floors)

    def format(self, lang: str = "en") -> str:
        """The rounded amount formatted for ``lang`` with CLDR data (Babel).

        >>> Money("1234.5", "SEK").format("sv")
        '1\xa0234,50\xa0kr'
        """
        from babel.numbers import format_currency  # noqa: PLC0415 - heavy, used rarely

        from selfcare.core.messages import normalize_language  # noqa: PLC0415

        locale = _FORMAT_LOCALES[normalize_language(lang)]
        text: str = format_currency(self.rounded().amount, self.currency.value, locale=locale)
        return text
