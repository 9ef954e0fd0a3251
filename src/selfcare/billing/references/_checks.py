"""What the four reference schemes check alike: the type, the compact form, the
characters and the length. Each failure raises its own code with the scheme's name."""

from __future__ import annotations

from typing import Final

from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError

__all__ = [
    "ALPHANUMERIC",
    "DIGITS",
    "characters_violation",
    "check_characters_and_length",
    "clean",
    "length_violation",
    "require_any",
    "wrong_check_digit",
]

DIGITS: Final = frozenset("0123456789")
ALPHANUMERIC: Final = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# Anything longer than this is refused before it is looked at character by character.
_MAX_INPUT: Final = 64
# The smallest integer with more digits than that.
_TOO_MANY_DIGITS: Final = 10**_MAX_INPUT


def clean(value: str | int) -> str:
    """``value`` without white space, upper case; a text longer than any reference is cut
    just past the longest so that its length is still refused.

    Raises:
        TypeError: ``value`` is neither ``str`` nor ``int`` (``bool`` included).
    """
    if not isinstance(value, str | int) or isinstance(value, bool):
        msg = f"a reference must be str or int, not {type(value).__name__}"
        raise TypeError(msg)
    if isinstance(value, int) and abs(value) >= _TOO_MANY_DIGITS:
        # Python refuses to print an int of over 4300 digits (ValueError), and printing
        # a long one is slow: cut it by arithmetic, keeping its sign, before converting.
        text = str(value % _TOO_MANY_DIGITS).rjust(_MAX_INPUT + 1, "0")
        return ("-" if value < 0 else "") + text
    text = str(value)
    if len(text) > _MAX_INPUT:
        return text[: _MAX_INPUT + 1]
    return "".join(text.split()).upper()


def require_any(compact: str, scheme: str) -> str:
    """``compact`` unless it is empty.

    Raises:
        SelfcareError: ``reference.empty``.
    """
    if not compact:
        raise SelfcareError(Violation("reference.empty", {"scheme": scheme}))
    return compact


def characters_violation(compact: str, scheme: str, allowed: frozenset[str]) -> list[Violation]:
    """``reference.invalid_characters`` when ``compact`` has a character not ``allowed``."""
    if set(compact) <= allowed:
        return []
    return [Violation("reference.invalid_characters", {"scheme": scheme})]


def length_violation(
    compact: str, scheme: str, min_length: int, max_length: int
) -> list[Violation]:
    """``reference.invalid_length`` when ``compact`` is not ``min_length`` to ``max_length``
    characters long."""
    if min_length <= len(compact) <= max_length:
        return []
    return [
        Violation(
            "reference.invalid_length",
            {"scheme": scheme, "min_length": min_length, "max_length": max_length},
        )
    ]


def check_characters_and_length(
    compact: str,
    scheme: str,
    min_length: int,
    max_length: int,
    allowed: frozenset[str] = DIGITS,
) -> None:
    """Both checks, reported together.

    Raises:
        SelfcareError: ``reference.invalid_characters``, ``reference.invalid_length``.
    """
    found = characters_violation(compact, scheme, allowed) + length_violation(
        compact, scheme, min_length, max_length
    )
    if found:
        raise SelfcareError(*found)


def wrong_check_digit(scheme: str) -> SelfcareError:
    """The error of a reference whose check digit(s) do not match."""
    return SelfcareError(Violation("reference.invalid_check_digit", {"scheme": scheme}))
