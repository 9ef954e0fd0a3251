"""Turning a message's parameters into the text its templates show.

Each :class:`~selfcare.notifications.content.ParamKind` has one converter here: dates in
the operator's time zone and the language's CLDR format, money with the language's
currency format, advisory codes as their messages. A template never formats anything
itself, so an operator's override shows the same values as the library's template.

>>> from datetime import UTC, datetime
>>> show_date(datetime(2026, 4, 30, 22, 30, tzinfo=UTC), "fi", zone="Europe/Helsinki")
'1. toukokuuta 2026'
>>> show_date("2026-05-01", "en", zone="Europe/Helsinki")
'1 May 2026'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Final, TypeAlias, TypeVar

from selfcare.core.clock import local_date, operator_zone
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.messages import render
from selfcare.core.money import Money
from selfcare.identity.ports import MessageParam
from selfcare.notifications.content import DeductionLine, OrderLine, ParamKind

__all__ = [
    "TemplateParam",
    "TemplateParamsError",
    "show_date",
    "show_month",
    "shown_params",
]

#: What a parameter may be; which one a template expects is its
#: :class:`~selfcare.notifications.content.ParamKind`. A service's
#: :data:`~selfcare.identity.ports.MessageParam` is one.
TemplateParam: TypeAlias = (
    str
    | int
    | date
    | Money
    | Sequence[Violation]
    | Sequence[OrderLine]
    | Sequence[DeductionLine]
    | MessageParam
)

#: Babel locales of our four languages (the same regions as money formatting).
DATE_LOCALES: Final = {"en": "en_IE", "fi": "fi_FI", "sv": "sv_SE", "nb": "nb_NO"}

#: The shape of a parameter as a template sees it.
Shown: TypeAlias = str | list[str] | list[dict[str, str | bool | None]] | None


_T = TypeVar("_T")


class TemplateParamsError(TypeError):
    """A programming error: a message lacks a parameter its template needs, carries
    one it does not declare, or one of the wrong type; or the template is unknown."""


def _day_of(value: object, zone: str) -> date:
    if isinstance(value, str):
        text = value
        try:
            value = datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
        except ValueError:
            raise TemplateParamsError(f"not an ISO 8601 date: {text[:40]!r}") from None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise TemplateParamsError("a datetime parameter must be timezone-aware")
        return local_date(value, operator_zone(zone))
    if isinstance(value, date):
        return value
    raise TemplateParamsError(f"a date parameter cannot be a {type(value).__name__}")


def show_date(value: object, lang: str, *, zone: str) -> str:
    """A date (or the local date of an aware datetime in ``zone``) in ``lang``'s long
    format."""
    from babel.dates import format_date  # noqa: PLC0415 - Babel is heavy; load on use

    text: str = format_date(_day_of(value, zone), format="long", locale=DATE_LOCALES[lang])
    return text


def show_month(value: object, lang: str) -> str:
    """The month of a date (or ``"YYYY-MM"``), e.g. ``huhtikuu 2026``.

    >>> show_month("2026-04", "nb")
    'april 2026'
    """
    from babel.dates import format_date  # noqa: PLC0415

    if isinstance(value, str):
        value = _day_of(f"{value}-01" if len(value) == 7 else value, "UTC")
    if not isinstance(value, date):
        raise TemplateParamsError(f"a month parameter cannot be a {type(value).__name__}")
    text: str = format_date(value, format="LLLL y", locale=DATE_LOCALES[lang])
    return text


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TemplateParamsError(f"a text parameter cannot be a {type(value).__name__}")
    return value


def _number(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value.isdecimal():
        return str(int(value))
    raise TemplateParamsError(f"a number parameter cannot be {type(value).__name__}")


def _money(value: object, lang: str) -> str:
    if isinstance(value, str):
        value = _money_from_text(value)
    if not isinstance(value, Money):
        raise TemplateParamsError(f"a money parameter cannot be a {type(value).__name__}")
    return value.format(lang)


def _money_from_text(text: str) -> Money:
    """``str(money)`` read back: ``"149.00 NOK"``."""
    amount, _, currency = text.partition(" ")
    try:
        return Money(amount, currency)
    except SelfcareError:
        raise TemplateParamsError(
            f"a money parameter {text[:40]!r} is not an amount and a currency"
        ) from None


def _advisories(value: object, lang: str) -> list[str]:
    if isinstance(value, str):
        codes = [code.strip() for code in value.split(",") if code.strip()]
        return [render(code, {}, lang) for code in codes]
    if isinstance(value, Sequence) and all(isinstance(v, Violation) for v in value):
        return [v.message(lang) for v in value]
    raise TemplateParamsError("advisories are violation codes or Violation values")


def _items(value: object, item_type: type[_T]) -> list[_T]:
    if isinstance(value, Sequence) and not isinstance(value, str):
        items = [item for item in value if isinstance(item, item_type)]
        if len(items) == len(value):
            return items
    raise TemplateParamsError(f"expected a sequence of {item_type.__name__}")


def _order_line(line: OrderLine, lang: str, zone: str) -> dict[str, str | bool | None]:
    ends_on = None if line.ends_on is None else show_date(line.ends_on, lang, zone=zone)
    return {
        "name": line.name,
        "price": line.price.format(lang),
        "monthly": line.monthly,
        "starts_on": show_date(line.starts_on, lang, zone=zone),
        "ends_on": ends_on,
        "activation_url": line.activation_url,
        "download_url": line.download_url,
    }


def _deduction_line(line: DeductionLine, lang: str) -> dict[str, str | bool | None]:
    return {
        "description": line.description,
        "msisdn": line.msisdn,
        "amount": line.amount.format(lang),
    }


def show(kind: ParamKind, value: object, lang: str, *, zone: str) -> Shown:
    """``value`` as the templates see a parameter of ``kind``.

    Raises:
        TemplateParamsError: ``value`` is not what ``kind`` takes.
    """
    match kind:
        case ParamKind.TEXT:
            return _text(value)
        case ParamKind.NUMBER:
            return _number(value)
        case ParamKind.DATE:
            return show_date(value, lang, zone=zone)
        case ParamKind.MONTH:
            return show_month(value, lang)
        case ParamKind.MONEY:
            return _money(value, lang)
        case ParamKind.ADVISORIES:
            return _advisories(value, lang)
        case ParamKind.ORDER_LINES:
            return [_order_line(line, lang, zone) for line in _items(value, OrderLine)]
        case ParamKind.DEDUCTION_LINES:
            return [_deduction_line(line, lang) for line in _items(value, DeductionLine)]


def shown_params(
    kinds: Mapping[str, ParamKind],
    required: Sequence[str],
    params: Mapping[str, object],
    lang: str,
    *,
    zone: str,
) -> dict[str, Shown]:
    """Every declared parameter as the templates see it (``None`` for an optional one
    not given).

    Raises:
        TemplateParamsError: a required parameter is missing, an undeclared one is
            given, or a value has the wrong type.
    """
    missing = sorted(set(required) - set(params))
    unknown = sorted(set(params) - set(kinds))
    if missing or unknown:
        raise TemplateParamsError(f"parameters missing: {missing}, not declared: {unknown}")
    return {
        name: None if name not in params else show(kind, params[name], lang, zone=zone)
        for name, kind in kinds.items()
    }
