"""Finnish national payment reference (viitenumero, *kotimainen viite*).

4 to 20 digits, the last a check digit: the digits of the base are weighted 7, 3, 1,
7, 3, 1, ... from the right, and the check digit takes the sum up to the next multiple
of ten. Printed in groups of five digits from the right, leading zeros dropped.
Source: Finanssiala, *Kotimaisen viitteen rakenneohje* (the reference structure guide).
python-stdnum has no module for it; the weights are the whole algorithm.

>>> from selfcare.billing.references import fi_reference
>>> fi_reference.create("12345")
'123453'
>>> fi_reference.validate("1 23453")
'123453'
>>> fi_reference.format("1234561")
'12 34561'
>>> fi_reference.is_valid("123454")
False

Each failure has its own code:

>>> from selfcare import SelfcareError
>>> for number in ("123454", "12a2", "123", " "):
...     try:
...         fi_reference.validate(number)
...     except SelfcareError as error:
...         print(error.codes)
('reference.invalid_check_digit',)
('reference.invalid_characters',)
('reference.invalid_length',)
('reference.empty',)
"""

from __future__ import annotations

from typing import Final

from selfcare.billing.references._checks import (
    check_characters_and_length,
    clean,
    require_any,
    wrong_check_digit,
)
from selfcare.core.errors import SelfcareError

__all__ = ["SCHEME", "calc_check_digit", "compact", "create", "format", "is_valid", "validate"]

#: The scheme's name in the parameters of its violations.
SCHEME: Final = "fi_reference"
_WEIGHTS: Final = (7, 3, 1)


def compact(number: str | int) -> str:
    """``number`` without white space (not checked).

    Raises:
        TypeError: ``number`` is neither ``str`` nor ``int``.
    """
    return clean(number)


def calc_check_digit(base: str | int) -> str:
    """The check digit of ``base`` (3 to 19 digits).

    >>> from selfcare.billing.references import fi_reference
    >>> fi_reference.calc_check_digit("12345")
    '3'

    Raises:
        SelfcareError: ``reference.empty``, ``reference.invalid_characters``,
            ``reference.invalid_length``.
    """
    digits = require_any(compact(base), SCHEME)
    check_characters_and_length(digits, SCHEME, 3, 19)
    return _check_digit(digits)


def _check_digit(digits: str) -> str:
    total = sum(int(d) * _WEIGHTS[i % 3] for i, d in enumerate(reversed(digits)))
    return str(-total % 10)


def create(base: str | int) -> str:
    """The reference for ``base`` (3 to 19 digits): ``base`` and its check digit.

    Raises:
        SelfcareError: the codes of :func:`calc_check_digit`.
    """
    return compact(base) + calc_check_digit(base)


def validate(number: str | int) -> str:
    """The compact form of a valid reference.

    Raises:
        SelfcareError: ``reference.empty``, ``reference.invalid_characters``,
            ``reference.invalid_length`` (4 to 20 digits), ``reference.invalid_check_digit``.
    """
    digits = require_any(compact(number), SCHEME)
    check_characters_and_length(digits, SCHEME, 4, 20)
    if _check_digit(digits[:-1]) != digits[-1]:
        raise wrong_check_digit(SCHEME)
    return digits


def is_valid(number: str | int) -> bool:
    """Whether ``number`` is a valid reference."""
    try:
        return bool(validate(number))
    except SelfcareError:
        return False


def format(number: str | int) -> str:  # noqa: A001 - python-stdnum's verb
    """A valid reference in groups of five digits from the right, as printed; leading
    zeros carry no meaning and are dropped.

    Raises:
        SelfcareError: the codes of :func:`validate`.
    """
    digits = validate(number).lstrip("0")
    head = len(digits) % 5
    groups = ([digits[:head]] if head else []) + [
        digits[i : i + 5] for i in range(head, len(digits), 5)
    ]
    return " ".join(groups)
