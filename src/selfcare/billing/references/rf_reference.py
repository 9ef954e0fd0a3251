"""RF creditor reference (ISO 11649, *structured creditor reference*).

``RF``, two check digits and 1 to 21 letters or digits; the check digits are those of
ISO 7064 mod 97-10 over the base followed by ``RF``. Printed in groups of four. A
Finnish reference converts to it unchanged (Finanssiala's structure guide). The
arithmetic is python-stdnum's (``stdnum.iso7064.mod_97_10``, ``stdnum.iso11649``);
this module adds a code per failure.

>>> from selfcare.billing.references import rf_reference
>>> rf_reference.create("539007547034")
'RF18539007547034'
>>> rf_reference.validate("RF18 5390 0754 7034")
'RF18539007547034'
>>> rf_reference.format("rf18539007547034")
'RF18 5390 0754 7034'
>>> rf_reference.is_valid("RF17539007547034")
False

Each failure has its own code:

>>> from selfcare import SelfcareError
>>> for number in ("RF17539007547034", "XX18539007547034", "RF1", "RF18-5390", ""):
...     try:
...         rf_reference.validate(number)
...     except SelfcareError as error:
...         print(error.codes)
('reference.invalid_check_digit',)
('reference.invalid_prefix',)
('reference.invalid_length',)
('reference.invalid_characters',)
('reference.empty',)
"""

from __future__ import annotations

from typing import Final

from selfcare.billing.references._checks import (
    ALPHANUMERIC,
    characters_violation,
    check_characters_and_length,
    clean,
    length_violation,
    require_any,
    wrong_check_digit,
)
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError

__all__ = ["SCHEME", "calc_check_digits", "compact", "create", "format", "is_valid", "validate"]

#: The scheme's name in the parameters of its violations.
SCHEME: Final = "rf_creditor_reference"


def compact(number: str | int) -> str:
    """``number`` without white space, in upper case (not checked).

    Raises:
        TypeError: ``number`` is neither ``str`` nor ``int``.
    """
    return clean(number)


def calc_check_digits(base: str | int) -> str:
    """The two check digits of ``base`` (1 to 21 letters or digits).

    >>> from selfcare.billing.references import rf_reference
    >>> rf_reference.calc_check_digits("539007547034")
    '18'

    Raises:
        SelfcareError: ``reference.empty``, ``reference.invalid_characters``,
            ``reference.invalid_length``.
    """
    from stdnum.iso7064 import mod_97_10  # noqa: PLC0415 - heavy, loaded on first use

    text = require_any(compact(base), SCHEME)
    check_characters_and_length(text, SCHEME, 1, 21, ALPHANUMERIC)
    digits: str = mod_97_10.calc_check_digits(text + "RF")
    return digits


def create(base: str | int) -> str:
    """The RF creditor reference of ``base`` (1 to 21 letters or digits, e.g. a Finnish
    reference): ``RF``, the check digits and ``base``.

    Raises:
        SelfcareError: the codes of :func:`calc_check_digits`.
    """
    return "RF" + calc_check_digits(base) + compact(base)


def _form_violations(text: str) -> list[Violation]:
    found = []
    if not text.startswith("RF"):
        found.append(Violation("reference.invalid_prefix", {"scheme": SCHEME}))
    found += characters_violation(text, SCHEME, ALPHANUMERIC)
    found += length_violation(text, SCHEME, 5, 25)
    if not found and not text[2:4].isdigit():
        found.append(Violation("reference.invalid_characters", {"scheme": SCHEME}))
    return found


def validate(number: str | int) -> str:
    """The compact form of a valid RF creditor reference.

    Raises:
        SelfcareError: ``reference.empty``, ``reference.invalid_prefix`` (not ``RF``),
            ``reference.invalid_characters``, ``reference.invalid_length`` (5 to 25
            characters), ``reference.invalid_check_digit``.
    """
    from stdnum import iso11649  # noqa: PLC0415 - heavy, loaded on first use

    text = require_any(compact(number), SCHEME)
    found = _form_violations(text)
    if found:
        raise SelfcareError(*found)
    if not iso11649.is_valid(text):
        raise wrong_check_digit(SCHEME)
    return text


def is_valid(number: str | int) -> bool:
    """Whether ``number`` is a valid RF creditor reference."""
    try:
        return bool(validate(number))
    except SelfcareError:
        return False


def format(number: str | int) -> str:  # noqa: A001 - python-stdnum's verb
    """A valid RF creditor reference in groups of four characters, as printed.

    Raises:
        SelfcareError: the codes of :func:`validate`.
    """
    from stdnum import iso11649  # noqa: PLC0415 - heavy, loaded on first use

    formatted: str = iso11649.format(validate(number))
    return formatted
