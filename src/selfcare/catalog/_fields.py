"""Field checks and converters the catalog's topic modules share (private).

Every catalog identifier (an offering, a group, an option group, a plan family, a
prerequisite) follows one pattern; every price is non-negative.

No ``from __future__ import annotations`` here: attrs copies a converter's parameter
annotation into the ``__init__`` of every class that uses it, and a string would then be
resolved in that class's module, which need not import ``Iterable``.
"""

import re
from collections.abc import Iterable
from typing import Final

import attrs

from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.money import Money

__all__ = ["check_identifier", "non_negative", "string_set"]

_IDENTIFIER: Final = re.compile(r"[a-z0-9][a-z0-9_.\-]{0,63}")


def check_identifier(value: object, field: str) -> str:
    """``value`` if it is a catalog identifier, else ``catalog.invalid_identifier``
    naming ``field``."""
    if not isinstance(value, str) or not _IDENTIFIER.fullmatch(value):
        raise SelfcareError(Violation("catalog.invalid_identifier", {"field": field}))
    return value


def non_negative(_instance: object, attribute: "attrs.Attribute[Money]", value: Money) -> None:
    """An attrs validator: a price is never negative (``catalog.negative_price``)."""
    if value.amount < 0:
        raise SelfcareError(Violation("catalog.negative_price", {"field": attribute.name}))


def string_set(value: Iterable[str]) -> frozenset[str]:
    """The converter of a set-of-ids field."""
    return frozenset(value)
