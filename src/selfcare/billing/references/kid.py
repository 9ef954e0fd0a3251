"""Norwegian KID (*kundeidentifikasjon*, Nets/Mastercard Payment Services).

2 to 25 digits, the last a check digit computed by the method agreed for the account:
mod 10 (Luhn) or mod 11 (weights 2, 3, 4, 5, 6, 7 from the right; a remainder of 10 is
written ``-``). Printed as one group. Source: Nets, *KID - kundeidentifikasjon*
(OCR giro system specification). Luhn is python-stdnum's (``stdnum.luhn``); stdnum has
no KID module, so the mod 11 weights are written out here.

>>> from selfcare.billing.references import kid
>>> kid.create("123456", kid.KidMethod.MOD10), kid.create("123456", kid.KidMethod.MOD11)
('1234566', '1234560')
>>> kid.validate("104-", kid.KidMethod.MOD11)
'104-'
>>> kid.format("12 34566")
'1234566'
>>> kid.is_valid("1234567")
False

Each failure has its own code:

>>> from selfcare import SelfcareError
>>> for number, method in [("1234567-", kid.KidMethod.MOD11), ("104-", kid.KidMethod.MOD10),
...                        ("1", None), ("", None)]:
...     try:
...         kid.validate(number, method)
...     except SelfcareError as error:
...         print(error.codes)
('reference.invalid_check_digit',)
('reference.invalid_characters',)
('reference.invalid_length',)
('reference.empty',)
"""

from __future__ import annotations

import enum
from typing import Final

from selfcare.billing.references._checks import (
    DIGITS,
    check_characters_and_length,
    clean,
    length_violation,
    require_any,
    wrong_check_digit,
)
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError

__all__ = [
    "SCHEME",
    "KidMethod",
    "calc_check_digit",
    "compact",
    "create",
    "format",
    "is_valid",
    "validate",
]

#: The scheme's name in the parameters of its violations.
SCHEME: Final = "kid"


class KidMethod(enum.StrEnum):
    """How the check digit of a KID is computed (agreed with Nets per account)."""

    MOD10 = "mod10"
    MOD11 = "mod11"


def compact(number: str | int) -> str:
    """``number`` without white space (not checked).

    Raises:
        TypeError: ``number`` is neither ``str`` nor ``int``.
    """
    return clean(number)


def _luhn_check_digit(digits: str) -> str:
    from stdnum import luhn  # noqa: PLC0415 - heavy, loaded on first use

    check: str = luhn.calc_check_digit(digits)
    return check


def _mod11_check_digit(digits: str) -> str:
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(digits)))
    check = -total % 11
    return "-" if check == 10 else str(check)


def _check_digit(digits: str, method: KidMethod) -> str:
    if method is KidMethod.MOD10:
        return _luhn_check_digit(digits)
    return _mod11_check_digit(digits)


def calc_check_digit(base: str | int, method: KidMethod = KidMethod.MOD10) -> str:
    """The check digit of ``base`` (1 to 24 digits) by ``method``.

    >>> from selfcare.billing.references import kid
    >>> kid.calc_check_digit("104", kid.KidMethod.MOD11)
    '-'

    Raises:
        SelfcareError: ``reference.empty``, ``reference.invalid_characters``,
            ``reference.invalid_length``.
    """
    method = KidMethod(method)
    digits = require_any(compact(base), SCHEME)
    check_characters_and_length(digits, SCHEME, 1, 24)
    return _check_digit(digits, method)


def create(base: str | int, method: KidMethod = KidMethod.MOD10) -> str:
    """The KID for ``base`` (1 to 24 digits): ``base`` and its check digit by ``method``.

    Raises:
        SelfcareError: the codes of :func:`calc_check_digit`.
    """
    return compact(base) + calc_check_digit(base, method)


def _form_violations(text: str, method: KidMethod | None) -> list[Violation]:
    allowed_last = DIGITS | {"-"} if method is not KidMethod.MOD10 else DIGITS
    found = []
    if not set(text[:-1]) <= DIGITS or text[-1] not in allowed_last:
        found.append(Violation("reference.invalid_characters", {"scheme": SCHEME}))
    return found + length_violation(text, SCHEME, 2, 25)


def validate(number: str | int, method: KidMethod | None = None) -> str:
    """The compact form of a valid KID; with ``method=None`` either check digit is accepted.

    Raises:
        SelfcareError: ``reference.empty``, ``reference.invalid_characters`` (digits, and
            ``-`` only as a mod 11 check digit), ``reference.invalid_length`` (2 to 25),
            ``reference.invalid_check_digit``.
    """
    method = None if method is None else KidMethod(method)
    text = require_any(compact(number), SCHEME)
    found = _form_violations(text, method)
    if found:
        raise SelfcareError(*found)
    base, check = text[:-1], text[-1]
    methods = (KidMethod.MOD10, KidMethod.MOD11) if method is None else (method,)
    if any(_check_digit(base, candidate) == check for candidate in methods):
        return text
    raise wrong_check_digit(SCHEME)


def is_valid(number: str | int, method: KidMethod | None = None) -> bool:
    """Whether ``number`` is a valid KID (by ``method``, or by either)."""
    try:
        return bool(validate(number, method))
    except SelfcareError:
        return False


def format(number: str | int, method: KidMethod | None = None) -> str:  # noqa: A001 - stdnum's verb
    """A valid KID as printed on a giro: one group of digits.

    Raises:
        SelfcareError: the codes of :func:`validate`.
    """
    return validate(number, method)
