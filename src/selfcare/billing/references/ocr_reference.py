"""Swedish OCR reference (*OCR-nummer*, Bankgirot).

2 to 25 digits, the last a Luhn (mod 10) check digit; the payee may also ask for a
length digit before it (the total length modulo 10), which Bankgirot then checks too.
Printed as one group. Source: Bankgirot, *OCR-referenskontroll* (product description).
Luhn is python-stdnum's (``stdnum.luhn``).

>>> from selfcare.billing.references import ocr_reference
>>> ocr_reference.create("1234"), ocr_reference.create("1234", length_digit=True)
('12344', '123463')
>>> ocr_reference.validate("123463", length_digit=True)
'123463'
>>> ocr_reference.format("12 344")
'12344'
>>> ocr_reference.is_valid("12345")
False

Each failure has its own code:

>>> from selfcare import SelfcareError
>>> for number, length_digit in [("12345", False), ("12344", True), ("1", False), ("", False)]:
...     try:
...         ocr_reference.validate(number, length_digit=length_digit)
...     except SelfcareError as error:
...         print(error.codes)
('reference.invalid_check_digit',)
('reference.invalid_length_digit',)
('reference.invalid_length',)
('reference.empty',)
"""

from __future__ import annotations

from typing import Final

from selfcare.billing.references._checks import check_characters_and_length, clean, require_any
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError

__all__ = ["SCHEME", "calc_check_digit", "compact", "create", "format", "is_valid", "validate"]

#: The scheme's name in the parameters of its violations.
SCHEME: Final = "ocr_reference"


def compact(number: str | int) -> str:
    """``number`` without white space (not checked).

    Raises:
        TypeError: ``number`` is neither ``str`` nor ``int``.
    """
    return clean(number)


def calc_check_digit(base: str | int) -> str:
    """The Luhn check digit of ``base`` (1 to 24 digits; a length digit, if wanted, is
    part of ``base``).

    >>> from selfcare.billing.references import ocr_reference
    >>> ocr_reference.calc_check_digit("1234")
    '4'

    Raises:
        SelfcareError: ``reference.empty``, ``reference.invalid_characters``,
            ``reference.invalid_length``.
    """
    from stdnum import luhn  # noqa: PLC0415 - heavy, loaded on first use

    digits = require_any(compact(base), SCHEME)
    check_characters_and_length(digits, SCHEME, 1, 24)
    check: str = luhn.calc_check_digit(digits)
    return check


def create(base: str | int, *, length_digit: bool = False) -> str:
    """The OCR reference for ``base``: with ``length_digit``, ``base``, the length digit
    and the check digit; else ``base`` and the check digit.

    Raises:
        SelfcareError: ``reference.empty``, ``reference.invalid_characters``,
            ``reference.invalid_length`` (the result may have at most 25 digits).
    """
    digits = require_any(compact(base), SCHEME)
    check_characters_and_length(digits, SCHEME, 1, 23 if length_digit else 24)
    if length_digit:
        digits += str((len(digits) + 2) % 10)
    return digits + calc_check_digit(digits)


def validate(number: str | int, *, length_digit: bool = False) -> str:
    """The compact form of a valid OCR reference (with the length digit if asked).

    Raises:
        SelfcareError: ``reference.empty``, ``reference.invalid_characters``,
            ``reference.invalid_length`` (2 to 25 digits, 3 with a length digit),
            ``reference.invalid_check_digit``, ``reference.invalid_length_digit``.
    """
    from stdnum import luhn  # noqa: PLC0415 - heavy, loaded on first use

    digits = require_any(compact(number), SCHEME)
    check_characters_and_length(digits, SCHEME, 3 if length_digit else 2, 25)
    found: list[Violation] = []
    if luhn.checksum(digits) != 0:
        found.append(Violation("reference.invalid_check_digit", {"scheme": SCHEME}))
    if length_digit and digits[-2] != str(len(digits) % 10):
        found.append(Violation("reference.invalid_length_digit", {"scheme": SCHEME}))
    if found:
        raise SelfcareError(*found)
    return digits


def is_valid(number: str | int, *, length_digit: bool = False) -> bool:
    """Whether ``number`` is a valid OCR reference (with the length digit if asked)."""
    try:
        return bool(validate(number, length_digit=length_digit))
    except SelfcareError:
        return False


def format(number: str | int, *, length_digit: bool = False) -> str:  # noqa: A001 - stdnum's verb
    """A valid OCR reference as printed on a giro: one group of digits.

    Raises:
        SelfcareError: the codes of :func:`validate`.
    """
    return validate(number, length_digit=length_digit)
