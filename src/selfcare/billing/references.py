"""Payment reference numbers: Finnish viitenumero, RF creditor reference, KID, Swedish OCR.

Every scheme has the same three verbs: ``create_*`` (append the check digit(s) to a
customer or invoice number), ``validate_*`` (return the compact form or raise) and
``format_*`` (the grouping printed on an invoice). Each failure has its own code, with
the scheme as a parameter: ``reference.empty``, ``reference.invalid_characters``,
``reference.invalid_length``, ``reference.invalid_check_digit``, and for the
special cases ``reference.invalid_prefix`` (RF) and ``reference.invalid_length_digit``
(Swedish OCR with a length digit).

Finnish national reference (Finanssiala, *Kotimaisen viitteen rakenneohje*): 4 to 20
digits, the last a check digit computed with the weights 7, 3, 1 from the right;
printed in groups of five from the right.

>>> create_fi_reference("12345")
'123453'
>>> validate_fi_reference("1 23453")
'123453'
>>> format_fi_reference("1234561")
'12 34561'

RF creditor reference (ISO 11649): ``RF``, two check digits (ISO 7064 mod 97-10), and up
to 21 letters or digits; a Finnish reference converts to it unchanged.

>>> create_rf_reference("539007547034")
'RF18539007547034'
>>> format_rf_reference("RF18539007547034")
'RF18 5390 0754 7034'

Norwegian KID (Nets): 2 to 25 digits with a mod 10 (Luhn) or mod 11 check digit; a mod 11
remainder of 10 is written ``-``.

>>> create_kid("123456", KidMethod.MOD10), create_kid("123456", KidMethod.MOD11)
('1234566', '1234560')

Swedish OCR reference (Bankgirot): 2 to 25 digits with a Luhn check digit, optionally
preceded by a length digit (the total length modulo 10).

>>> create_ocr_reference("1234"), create_ocr_reference("1234", length_digit=True)
('12344', '123463')
"""

from __future__ import annotations

import enum
from typing import Final

from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError

__all__ = [
    "KidMethod",
    "create_fi_reference",
    "create_kid",
    "create_ocr_reference",
    "create_rf_reference",
    "format_fi_reference",
    "format_rf_reference",
    "validate_fi_reference",
    "validate_kid",
    "validate_ocr_reference",
    "validate_rf_reference",
]

_DIGITS: Final = frozenset("0123456789")
_ALNUM: Final = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# Anything longer than this is refused before it is looked at character by character.
_MAX_INPUT: Final = 64
_FI: Final = "fi_reference"
_RF: Final = "rf_creditor_reference"
_KID: Final = "kid"
_OCR: Final = "ocr_reference"


class KidMethod(enum.StrEnum):
    """How the check digit of a Norwegian KID is computed (agreed with Nets per account)."""

    MOD10 = "mod10"
    MOD11 = "mod11"


def _compact(value: object, scheme: str) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool):
        msg = f"a reference must be str or int, not {type(value).__name__}"
        raise TypeError(msg)
    text = str(value)
    if len(text) > _MAX_INPUT:
        return text[: _MAX_INPUT + 1]
    compact = "".join(text.split()).upper()
    if not compact:
        raise SelfcareError(Violation("reference.empty", {"scheme": scheme}))
    return compact


def _check_digits_and_length(
    compact: str, scheme: str, min_length: int, max_length: int, allowed: frozenset[str] = _DIGITS
) -> None:
    found: list[Violation] = []
    if not set(compact) <= allowed:
        found.append(Violation("reference.invalid_characters", {"scheme": scheme}))
    if not min_length <= len(compact) <= max_length:
        found.append(
            Violation(
                "reference.invalid_length",
                {"scheme": scheme, "min_length": min_length, "max_length": max_length},
            )
        )
    if found:
        raise SelfcareError(*found)


def _bad_check(scheme: str) -> SelfcareError:
    return SelfcareError(Violation("reference.invalid_check_digit", {"scheme": scheme}))


# -- Finnish national reference -------------------------------------------------------

_FI_WEIGHTS: Final = (7, 3, 1)


def _fi_check_digit(base: str) -> str:
    total = sum(int(d) * _FI_WEIGHTS[i % 3] for i, d in enumerate(reversed(base)))
    return str(-total % 10)


def create_fi_reference(base: str | int) -> str:
    """The Finnish reference for ``base`` (3 to 19 digits): ``base`` + its 7-3-1 check digit.

    Raises:
        SelfcareError: ``reference.empty``, ``reference.invalid_characters``,
            ``reference.invalid_length`` (scheme ``fi_reference``).
    """
    compact = _compact(base, _FI)
    _check_digits_and_length(compact, _FI, 3, 19)
    return compact + _fi_check_digit(compact)


def validate_fi_reference(reference: str | int) -> str:
    """The compact form of a valid Finnish reference (spaces removed).

    >>> validate_fi_reference("123454")
    Traceback (most recent call last):
    ...
    selfcare.core.errors.SelfcareError: The check digit of the reference is wrong (fi_reference).

    Raises:
        SelfcareError: ``reference.empty``, ``reference.invalid_characters``,
            ``reference.invalid_length`` (4 to 20 digits), ``reference.invalid_check_digit``.
    """
    compact = _compact(reference, _FI)
    _check_digits_and_length(compact, _FI, 4, 20)
    if _fi_check_digit(compact[:-1]) != compact[-1]:
        raise _bad_check(_FI)
    return compact


def format_fi_reference(reference: str | int) -> str:
    """A valid Finnish reference in groups of five digits from the right, as printed.

    Leading zeros carry no meaning and are dropped.

    Raises:
        SelfcareError: the codes of :func:`validate_fi_reference`.
    """
    digits = validate_fi_reference(reference).lstrip("0")
    head = len(digits) % 5
    groups = ([digits[:head]] if head else []) + [
        digits[i : i + 5] for i in range(head, len(digits), 5)
    ]
    return " ".join(groups)


# -- RF creditor reference (ISO 11649) -------------------------------------------------


def create_rf_reference(base: str | int) -> str:
    """The RF creditor reference for ``base`` (1 to 21 letters or digits, e.g. a Finnish
    reference): ``RF`` + two ISO 7064 mod 97-10 check digits + ``base``.

    Raises:
        SelfcareError: ``reference.empty``, ``reference.invalid_characters``,
            ``reference.invalid_length`` (scheme ``rf_creditor_reference``).
    """
    from stdnum.iso7064 import mod_97_10  # noqa: PLC0415 - heavy, loaded on first use

    compact = _compact(base, _RF)
    _check_digits_and_length(compact, _RF, 1, 21, _ALNUM)
    check: str = mod_97_10.calc_check_digits(compact + "RF")
    return "RF" + check + compact


def validate_rf_reference(reference: str) -> str:
    """The compact form of a valid RF creditor reference.

    >>> validate_rf_reference("RF18 5390 0754 7034")
    'RF18539007547034'

    Raises:
        SelfcareError: ``reference.empty``, ``reference.invalid_prefix`` (not ``RF``),
            ``reference.invalid_characters``, ``reference.invalid_length`` (5 to 25
            characters), ``reference.invalid_check_digit``.
    """
    from stdnum.iso7064 import mod_97_10  # noqa: PLC0415 - heavy, loaded on first use

    compact = _compact(reference, _RF)
    found: list[Violation] = []
    if not compact.startswith("RF"):
        found.append(Violation("reference.invalid_prefix", {"scheme": _RF}))
    try:
        _check_digits_and_length(compact, _RF, 5, 25, _ALNUM)
    except SelfcareError as error:
        found.extend(error.violations)
    if not found and not compact[2:4].isdigit():
        found.append(Violation("reference.invalid_characters", {"scheme": _RF}))
    if found:
        raise SelfcareError(*found)
    if not mod_97_10.is_valid(compact[4:] + compact[:4]):
        raise _bad_check(_RF)
    return compact


def format_rf_reference(reference: str) -> str:
    """A valid RF creditor reference in groups of four characters, as printed.

    Raises:
        SelfcareError: the codes of :func:`validate_rf_reference`.
    """
    compact = validate_rf_reference(reference)
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


# -- Norwegian KID ---------------------------------------------------------------------


def _luhn(base: str) -> str:
    total = 0
    for i, digit in enumerate(reversed(base)):
        value = int(digit) * (2 if i % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str(-total % 10)


def _mod11(base: str) -> str:
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(base)))
    check = -total % 11
    return "-" if check == 10 else str(check)


def create_kid(base: str | int, method: KidMethod = KidMethod.MOD10) -> str:
    """The KID for ``base`` (1 to 24 digits) with a check digit by ``method``.

    Raises:
        SelfcareError: ``reference.empty``, ``reference.invalid_characters``,
            ``reference.invalid_length`` (scheme ``kid``).
    """
    method = KidMethod(method)
    compact = _compact(base, _KID)
    _check_digits_and_length(compact, _KID, 1, 24)
    return compact + (_luhn(compact) if method is KidMethod.MOD10 else _mod11(compact))


def validate_kid(reference: str | int, method: KidMethod | None = None) -> str:
    """The compact form of a valid KID; with ``method=None`` either check digit is accepted.

    >>> validate_kid("1234567-", KidMethod.MOD11)
    Traceback (most recent call last):
    ...
    selfcare.core.errors.SelfcareError: The check digit of the reference is wrong (kid).

    Raises:
        SelfcareError: ``reference.empty``, ``reference.invalid_characters`` (digits, and
            ``-`` only as a mod 11 check digit), ``reference.invalid_length`` (2 to 25),
            ``reference.invalid_check_digit``.
    """
    method = None if method is None else KidMethod(method)
    compact = _compact(reference, _KID)
    allowed_last = _DIGITS | {"-"} if method is not KidMethod.MOD10 else _DIGITS
    found: list[Violation] = []
    if not set(compact[:-1]) <= _DIGITS or compact[-1] not in allowed_last:
        found.append(Violation("reference.invalid_characters", {"scheme": _KID}))
    if not 2 <= len(compact) <= 25:
        found.append(
            Violation(
                "reference.invalid_length", {"scheme": _KID, "min_length": 2, "max_length": 25}
            )
        )
    if found:
        raise SelfcareError(*found)
    base, check = compact[:-1], compact[-1]
    methods = (KidMethod.MOD10, KidMethod.MOD11) if method is None else (method,)
    for candidate in methods:
        expected = _luhn(base) if candidate is KidMethod.MOD10 else _mod11(base)
        if expected == check:
            return compact
    raise _bad_check(_KID)


# -- Swedish OCR reference -------------------------------------------------------------


def create_ocr_reference(base: str | int, *, length_digit: bool = False) -> str:
    """The OCR reference for ``base``: with ``length_digit``, base + length digit + Luhn
    check digit (the length digit is the total length modulo 10), else base + check digit.

    Raises:
        SelfcareError: ``reference.empty``, ``reference.invalid_characters``,
            ``reference.invalid_length`` (scheme ``ocr_reference``; the result may have
            at most 25 digits).
    """
    compact = _compact(base, _OCR)
    _check_digits_and_length(compact, _OCR, 1, 23 if length_digit else 24)
    if length_digit:
        compact += str((len(compact) + 2) % 10)
    return compact + _luhn(compact)


def validate_ocr_reference(reference: str | int, *, length_digit: bool = False) -> str:
    """The compact form of a valid OCR reference (Luhn; with the length digit if asked).

    >>> validate_ocr_reference("123463", length_digit=True)
    '123463'

    Raises:
        SelfcareError: ``reference.empty``, ``reference.invalid_characters``,
            ``reference.invalid_length`` (2 to 25 digits, 3 with a length digit),
            ``reference.invalid_check_digit``, ``reference.invalid_length_digit``.
    """
    compact = _compact(reference, _OCR)
    _check_digits_and_length(compact, _OCR, 3 if length_digit else 2, 25)
    found: list[Violation] = []
    if _luhn(compact[:-1]) != compact[-1]:
        found.append(Violation("reference.invalid_check_digit", {"scheme": _OCR}))
    if length_digit and compact[-2] != str(len(compact) % 10):
        found.append(Violation("reference.invalid_length_digit", {"scheme": _OCR}))
    if found:
        raise SelfcareError(*found)
    return compact
