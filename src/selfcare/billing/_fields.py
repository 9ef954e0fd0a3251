"""Field validators and converters the values of billing share.

Each raises the ``billing.*`` (or ``vat.*``) code of the field it checks; they are
attrs validators, so a value that breaks them cannot be built at all.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Final, TypeVar, cast

from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.money import Money

__all__ = [
    "Validator",
    "check_not_before",
    "enum_member",
    "non_negative",
    "require_day",
    "require_text",
    "require_type",
]

Validator = Callable[[Any, Any, Any], None]
E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")


def enum_member(cls: type[E], value: object, field: str) -> E:
    """``value`` as a member of the enumeration ``cls``.

    Raises:
        SelfcareError: ``billing.invalid_choice`` naming ``field`` and the allowed values.
    """
    if isinstance(value, cls):
        return value
    if not isinstance(value, str):
        msg = f"{field} must be {cls.__name__} or str, not {type(value).__name__}"
        raise TypeError(msg)
    try:
        return cls(value)
    except ValueError:
        allowed = tuple(str(member.value) for member in cls)
        raise SelfcareError(
            Violation("billing.invalid_choice", {"field": field, "allowed": allowed})
        ) from None


def require_day(value: object, name: str) -> date:
    """``value`` if it is a calendar day (a ``date``, not a ``datetime``), else
    ``TypeError`` naming ``name``."""
    if not isinstance(value, date) or isinstance(value, datetime):
        msg = f"{name} must be a date, not {type(value).__name__}"
        raise TypeError(msg)
    return value


def require_type(value: object, kind: type[T], name: str) -> T:
    """``value`` if it is a ``kind``, else ``TypeError`` naming ``name``."""
    if not isinstance(value, kind):
        msg = f"{name} must be {kind.__name__}, not {type(value).__name__}"
        raise TypeError(msg)
    return value


#: The longest text of a billing field (ids, descriptions, names).
TEXT_LIMIT: Final = 200


def is_text(value: object, limit: int = TEXT_LIMIT) -> bool:
    """Whether ``value`` is what :func:`require_text` takes: a ``str``, not blank, at
    most ``limit`` characters."""
    return isinstance(value, str) and len(value) <= limit and bool(value.strip())


def require_text(name: str, limit: int = TEXT_LIMIT) -> Validator:
    """A validator: ``str`` (else ``TypeError``), not blank, at most ``limit`` characters
    (else ``billing.invalid_text``)."""

    def check(_instance: object, _attribute: object, value: object) -> None:
        if is_text(value, limit):
            return
        if not isinstance(value, str):
            msg = f"{name} must be str, not {type(value).__name__}"
            raise TypeError(msg)
        raise SelfcareError(Violation("billing.invalid_text", {"field": name}))

    return check


def check_not_before(start_field: str, code: str) -> Validator:
    """A validator: the day is ``None`` or not before the day in ``start_field``; else
    ``code`` (one of the ``billing.invalid_*_dates`` codes, passed literally)."""

    def check(instance: object, attribute: Any, value: date | None) -> None:
        start: date = getattr(instance, start_field)
        require_day(start, start_field)
        if value is not None:
            require_day(value, attribute.name)
        if value is not None and value < start:
            raise SelfcareError(
                Violation(code, {"start": start.isoformat(), "end": value.isoformat()})
            )

    return check


def non_negative(name: str) -> Validator:
    """A validator: the amount is ``None`` or not negative (else ``billing.negative_price``)."""

    def check(_instance: object, _attribute: object, value: Money | None) -> None:
        if value is not None and not isinstance(cast("object", value), Money):
            msg = f"{name} must be Money, not {type(value).__name__}"
            raise TypeError(msg)
        if value is not None and value.amount < 0:
            raise SelfcareError(Violation("billing.negative_price", {"field": name}))

    return check
