"""National identity codes of Finland, Sweden, Norway and Denmark.

One verb, :func:`parse_national_id`, for the four formats; it wraps python-stdnum
(:mod:`stdnum.fi.hetu`, :mod:`stdnum.se.personnummer`, :mod:`stdnum.no.fodselsnummer`,
:mod:`stdnum.dk.cpr`) for the check digits and the century rules, and adds what stdnum
lacks: one violation code per failure branch, an injected ``today`` (no hidden clock),
the Finnish century signs of 2023, Swedish coordination numbers and one canonical form
per person, so that equal codes written differently compare equal.

Formats and sources
    ``FI`` henkilötunnus (Digital and Population Data Services Agency, DVV; Act on the
    Population Information System 661/2009 and the 2023 reform, decree 128/2010 as
    amended): ``DDMMYYCZZZQ``, century sign ``+`` (1800s), ``-``, ``Y``, ``X``, ``W``,
    ``V``, ``U`` (1900s), ``A``-``F`` (2000s); individual number ``002``-``899``
    (``900``-``999`` are temporary codes); check character ``DDMMYYZZZ mod 31`` from
    ``0123456789ABCDEFHJKLMNPRSTUVWXY``. Canonical form: the first sign of each century
    (``+``, ``-``, ``A``), so ``010594Y9032`` and ``010594-9032`` are one person.

    ``SE`` personnummer and samordningsnummer (Skatteverket, SKV 704 and 707;
    Folkbokföringslagen 1991:481 section 18): ``YYMMDD-NNNC`` (``+`` from the year the
    person turns 100) or ``YYYYMMDDNNNC``; coordination numbers add 60 to the day; the
    check digit is Luhn over the ten short digits. Hyphens inside the date are
    ignored, as python-stdnum does (``8803-20-0016``). Canonical form: the twelve digits
    ``YYYYMMDDNNNC``. Coordination numbers with an unknown birth date (day ``60``) are
    refused as ``national_id.invalid_date``: they carry no birth date to check.

    ``NO`` fødselsnummer and D-nummer (Skatteetaten, Folkeregisteret): ``DDMMYYIIIKK``;
    D-numbers add 40 to the day; the century follows from the individual number; two
    modulus-11 check digits, the first also under the rule for numbers issued from
    1 January 2032 (weighted remainder 0, 1, 2 or 3), which systems must accept now.
    H-numbers (month + 40, health-service help numbers) are temporary; Skatteetaten's
    synthetic test numbers (month + 80, Tenor test data) follow every rule of a real
    number and are accepted - no real identification ever asserts one - unless
    ``allow_synthetic=False`` (:attr:`NationalId.is_synthetic` tells them apart);
    FH-numbers (first digit 8 or 9) carry no birth date and are refused. Canonical
    form: the eleven digits.

    ``DK`` CPR-nummer (CPR-kontoret): ``DDMMYY-SSSS``; the century follows from the
    seventh digit; there is no check digit since October 2007 (modulus 11 is not
    checked, as the CPR office asks). Replacement numbers (erstatningspersonnumre, day
    + 60) are temporary. Canonical form: the ten digits.

Every form is accepted with surrounding whitespace, inner spaces, lower-case letters
and typographic dashes (``–``) in place of ``-``.

>>> from datetime import date
>>> hetu = parse_national_id(" 131052-308t ", "FI", today=date(2026, 1, 1))
>>> hetu
NationalId(FI, '131052-****')
>>> hetu.birth_date, hetu.age_on(date(2026, 1, 1))
(datetime.date(1952, 10, 13), 73)
>>> parse_national_id("131052Y308T", "FI", today=date(2026, 1, 1)) == hetu
True
>>> parse_national_id("131052-308U", "FI", today=date(2026, 1, 1))
Traceback (most recent call last):
...
selfcare.core.errors.SelfcareError: The check character of the identity code is wrong; ...
"""

from __future__ import annotations

import enum
import re
from datetime import date
from typing import Final, cast, final

import attrs

from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError

__all__ = ["Country", "NationalId", "parse_national_id"]


class Country(enum.StrEnum):
    """The countries whose identity codes :func:`parse_national_id` understands."""

    FI = "FI"
    SE = "SE"
    NO = "NO"
    DK = "DK"


# Typographic dashes people paste from documents, mapped to the hyphen-minus.
_DASHES: Final = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
# Longer input cannot be a code even with generous spacing; keeps parsing bounded.
_MAX_INPUT: Final = 64

_FI_RE: Final = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{2})([-+A-FU-Y])([0-9]{3})([0-9A-Y])\Z")
_FI_CENTURY: Final = {"+": 1800, **dict.fromkeys("-YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}
_FI_CANONICAL_SIGN: Final = {1800: "+", 1900: "-", 2000: "A"}
_FI_CHECK: Final = "0123456789ABCDEFHJKLMNPRSTUVWXY"

_SE_RE: Final = re.compile(r"([0-9]{2})?([0-9]{2})([0-9]{2})([0-9]{2})([-+]?)([0-9]{3})([0-9])\Z")
_DIGITS_RE: Final = re.compile(r"[0-9]+\Z")
_NO_WEIGHTS1: Final = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)


def _violation(code: str, country: Country) -> Violation:
    return Violation(code, {"country": country.value})


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _clean(text: str, country: Country) -> str:
    if len(text) > _MAX_INPUT:
        raise SelfcareError(_violation("national_id.invalid_format", country))
    cleaned = "".join(text.split()).translate(_DASHES).upper()
    if country in (Country.NO, Country.DK):
        cleaned = cleaned.replace("-", "")
    elif country is Country.SE:  # "8803-20-0016": hyphens inside the date, as stdnum
        cleaned = cleaned[:-5].replace("-", "") + cleaned[-5:]
    return cleaned


def _finish(found: list[Violation], canonical: str) -> str:
    if found:
        raise SelfcareError(*found)
    return canonical


def _check_future(found: list[Violation], born: date, today: date | None, c: Country) -> None:
    if today is not None and born > today:
        found.append(_violation("national_id.future_birth_date", c))


def _parse_fi(text: str, today: date | None, allow_temporary: bool) -> str:
    c = Country.FI
    match = _FI_RE.match(_clean(text, c))
    if match is None:
        raise SelfcareError(_violation("national_id.invalid_format", c))
    dd, mm, yy, sign, individual, check = match.groups()
    century = _FI_CENTURY[sign]
    found: list[Violation] = []
    born = _date_or_none(century + int(yy), int(mm), int(dd))
    if born is None:
        found.append(_violation("national_id.invalid_date", c))
    else:
        _check_future(found, born, today, c)
    number = int(individual)
    if number < 2:  # 000 and 001 have never been given out
        found.append(_violation("national_id.invalid_individual_number", c))
    elif number >= 900 and not allow_temporary:
        found.append(_violation("national_id.temporary_not_allowed", c))
    if _FI_CHECK[int(dd + mm + yy + individual) % 31] != check:
        found.append(_violation("national_id.invalid_checksum", c))
    return _finish(found, f"{dd}{mm}{yy}{_FI_CANONICAL_SIGN[century]}{individual}{check}")


def _se_century(yy: int, sign: str, today: date) -> int:
    century = today.year // 100 * 100
    if yy > today.year % 100:
        century -= 100
    if sign == "+":
        century -= 100
    return century


def _parse_se(text: str, today: date | None) -> str:
    from stdnum import luhn  # noqa: PLC0415 - heavy, loaded on first use

    c = Country.SE
    match = _SE_RE.match(_clean(text, c))
    if match is None:
        raise SelfcareError(_violation("national_id.invalid_format", c))
    cc, yy, mm, dd, sign, serial, check = match.groups()
    if cc is not None:
        century = int(cc) * 100
    elif today is not None:
        century = _se_century(int(yy), sign, today)
    else:  # stored codes hold all twelve digits
        raise SelfcareError(_violation("national_id.invalid_format", c))
    day = int(dd)
    if day > 60:  # samordningsnummer: the day of birth plus 60
        day -= 60
    found: list[Violation] = []
    born = _date_or_none(century + int(yy), int(mm), day)
    if born is None:
        found.append(_violation("national_id.invalid_date", c))
    else:
        _check_future(found, born, today, c)
    if luhn.checksum(yy + mm + dd + serial + check) != 0:
        found.append(_violation("national_id.invalid_checksum", c))
    return _finish(found, f"{century // 100:02d}{yy}{mm}{dd}{serial}{check}")


def _no_birth_date(number: str) -> tuple[date | None, str]:
    """The birth date and the kind of number: ``fnr``, ``d``, ``h``, ``synthetic``."""
    day, month, yy = int(number[0:2]), int(number[2:4]), int(number[4:6])
    individual = int(number[6:9])
    kind = "fnr"
    if day > 40:
        day -= 40
        kind = "d"
    if month > 80:
        month -= 80
        kind = "synthetic"
    elif month > 40:
        month -= 40
        kind = "h" if kind == "fnr" else kind
    # The century rules of Folkeregisteret, as in stdnum.no.fodselsnummer.
    if individual < 500:
        year = 1900 + yy
    elif individual < 750 and yy >= 54:
        year = 1800 + yy
    elif yy < 40:
        year = 2000 + yy
    elif individual >= 900:
        year = 1900 + yy
    else:
        return None, kind
    return _date_or_none(year, month, day), kind


def _parse_no(text: str, today: date | None, allow_temporary: bool, allow_synthetic: bool) -> str:
    from stdnum.no import fodselsnummer  # noqa: PLC0415 - heavy, loaded on first use

    c = Country.NO
    number = _clean(text, c)
    if len(number) != 11 or not _DIGITS_RE.match(number):
        raise SelfcareError(_violation("national_id.invalid_format", c))
    if number[0] in "89":
        raise SelfcareError(_violation("national_id.no_birth_date", c))
    found: list[Violation] = []
    born, kind = _no_birth_date(number)
    if born is None:
        found.append(_violation("national_id.invalid_date", c))
    else:
        _check_future(found, born, today, c)
    if kind == "h" and not allow_temporary:
        found.append(_violation("national_id.temporary_not_allowed", c))
    if kind == "synthetic" and not allow_synthetic:
        found.append(_violation("national_id.synthetic_not_allowed", c))
    # The first check digit under both the current rule (weighted sum = 0 mod 11) and
    # the rule of numbers issued from 2032 (0, 1, 2 or 3 mod 11), which Skatteetaten
    # asks systems to accept in parallel; the second is unchanged (stdnum).
    first = sum(w * int(d) for w, d in zip(_NO_WEIGHTS1, number[:10], strict=True)) % 11
    if first > 3 or fodselsnummer.calc_check_digit2(number[:10]) != number[10]:
        found.append(_violation("national_id.invalid_checksum", c))
    return _finish(found, number)


def _dk_birth_date(number: str) -> tuple[date | None, bool]:
    """The birth date and whether it is a replacement (temporary) number.

    The century follows the table of CPR-kontoret ("Personnummeret i CPR-systemet"),
    the same rule as :func:`stdnum.dk.cpr.get_birth_date`, written out here because
    stdnum's version re-cleans the number and costs more than the rest of the parse.
    """
    day, month, yy = int(number[0:2]), int(number[2:4]), int(number[4:6])
    seventh = number[6]
    replacement = day > 60
    if replacement:
        day -= 60
    if seventh in "0123" or (seventh in "49" and yy >= 37):
        year = 1900 + yy
    elif seventh in "5678" and yy >= 58:
        year = 1800 + yy
    else:
        year = 2000 + yy
    return _date_or_none(year, month, day), replacement


def _parse_dk(text: str, today: date | None, allow_temporary: bool) -> str:
    c = Country.DK
    number = _clean(text, c)
    if len(number) != 10 or not _DIGITS_RE.match(number):
        raise SelfcareError(_violation("national_id.invalid_format", c))
    found: list[Violation] = []
    born, replacement = _dk_birth_date(number)
    if born is None:
        found.append(_violation("national_id.invalid_date", c))
    else:
        _check_future(found, born, today, c)
    if replacement and not allow_temporary:
        found.append(_violation("national_id.temporary_not_allowed", c))
    return _finish(found, number)


def _canonical(
    text: str,
    country: Country,
    today: date | None,
    allow_temporary: bool,
    allow_synthetic: bool,
) -> str:
    if country is Country.FI:
        return _parse_fi(text, today, allow_temporary)
    if country is Country.SE:
        return _parse_se(text, today)
    if country is Country.NO:
        return _parse_no(text, today, allow_temporary, allow_synthetic)
    return _parse_dk(text, today, allow_temporary)


_COUNTRIES: Final = {country.value: country for country in Country}


def _country(value: object) -> Country:
    if isinstance(value, Country):
        return value
    if isinstance(value, str) and value in _COUNTRIES:
        return _COUNTRIES[value]
    if isinstance(value, str):
        try:
            return Country(value.strip().upper())
        except ValueError:
            pass
    shown = value[:8] if isinstance(value, str) and value.isascii() and value.isprintable() else "?"
    raise SelfcareError(Violation("national_id.unsupported_country", {"country": shown}))


def _check_compact(instance: NationalId, _attribute: object, value: str) -> None:
    if not isinstance(cast("object", value), str):
        msg = f"NationalId.compact must be str, not {type(value).__name__}"
        raise TypeError(msg)
    if _canonical(value, instance.country, None, True, True) != value:
        raise SelfcareError(_violation("national_id.invalid_format", instance.country))


@final
@attrs.frozen(repr=False)
class NationalId:
    """A valid national identity code in its canonical compact form.

    Build one with :func:`parse_national_id`. Constructing it directly requires the
    canonical form (that is how it is read back from storage). ``repr`` and ``str`` show
    only the masked form (:attr:`masked`); the individual part never leaves the object
    except through :attr:`compact`.

    Attributes:
        country: whose code it is.
        compact: the canonical compact form (see the module documentation); compare
            and store codes in this form only.
    """

    country: Country = attrs.field(converter=_country)
    compact: str = attrs.field(validator=_check_compact)

    @property
    def masked(self) -> str:
        """The code with the individual part hidden: ``131052-****``.

        >>> parse_national_id("811218-9876", "SE", today=date(2026, 1, 1)).masked
        '19811218-****'
        """
        if self.country is Country.FI:
            return self.compact[:7] + "****"
        if self.country is Country.SE:
            return self.compact[:8] + "-****"
        if self.country is Country.NO:
            return self.compact[:6] + " *****"
        return self.compact[:6] + "-****"

    @property
    def birth_date(self) -> date:
        """The date of birth the code encodes (coordination and D-numbers included)."""
        compact = self.compact
        if self.country is Country.FI:
            century = _FI_CENTURY[compact[6]]
            return date(century + int(compact[4:6]), int(compact[2:4]), int(compact[0:2]))
        if self.country is Country.SE:
            day = int(compact[6:8])
            return date(int(compact[0:4]), int(compact[4:6]), day - 60 if day > 60 else day)
        found = (
            _no_birth_date(compact)[0] if self.country is Country.NO else _dk_birth_date(compact)[0]
        )
        if found is None:  # pragma: no cover - construction guarantees a valid date
            raise SelfcareError(_violation("national_id.invalid_date", self.country))
        return found

    def age_on(self, day: date) -> int:
        """The age in whole years on ``day``; a person born on 29 February turns a year
        older on 1 March in common years.

        >>> parse_national_id("131052-308T", "FI", today=date(2026, 1, 1)).age_on(
        ...     date(2022, 10, 13))
        70
        """
        born = self.birth_date
        years = day.year - born.year
        if (day.month, day.day) < (born.month, born.day):
            years -= 1
        return years

    @property
    def is_temporary(self) -> bool:
        """Whether this is a temporary code: a Finnish individual number 900-999, a
        Norwegian H-number or a Danish replacement number."""
        compact = self.compact
        if self.country is Country.FI:
            return compact[7] == "9"
        if self.country is Country.NO:
            return _no_birth_date(compact)[1] == "h"
        if self.country is Country.DK:
            return int(compact[0:2]) > 60
        return False

    @property
    def is_synthetic(self) -> bool:
        """Whether this is one of Skatteetaten's synthetic test numbers (Norway)."""
        return self.country is Country.NO and _no_birth_date(self.compact)[1] == "synthetic"

    def __repr__(self) -> str:
        return f"NationalId({self.country.value}, {self.masked!r})"

    def __str__(self) -> str:
        return self.masked


def parse_national_id(
    text: str,
    country: Country | str,
    *,
    today: date,
    allow_temporary: bool = False,
    allow_synthetic: bool = True,
) -> NationalId:
    """Parse a national identity code typed by a user.

    Args:
        text: the code, in any of the forms in the module documentation.
        country: ``"FI"``, ``"SE"``, ``"NO"`` or ``"DK"`` (or a :class:`Country`).
        today: the date to check the birth date against (injected, never read from a
            clock).
        allow_temporary: accept temporary codes: Finnish individual numbers 900-999,
            Norwegian H-numbers and Danish replacement numbers.
        allow_synthetic: accept Skatteetaten's synthetic test numbers (Norway, month
            plus 80; the default). Production systems that must refuse test
            identities pass ``False``.

    Raises:
        SelfcareError: ``national_id.unsupported_country``,
            ``national_id.invalid_format``, or every one that applies of
            ``national_id.invalid_date``, ``national_id.future_birth_date``,
            ``national_id.invalid_individual_number``,
            ``national_id.temporary_not_allowed``, ``national_id.synthetic_not_allowed``,
            ``national_id.no_birth_date`` and ``national_id.invalid_checksum``. Their
            only parameter is the country: the code itself is never echoed.
        TypeError: ``text`` is not a ``str`` or ``today`` not a ``date``.

    >>> parse_national_id("010594Y9032", "FI", today=date(2026, 1, 1),
    ...                   allow_temporary=True).compact
    '010594-9032'
    >>> parse_national_id("131052-908T", "FI", today=date(2026, 1, 1)).compact
    Traceback (most recent call last):
    ...
    selfcare.core.errors.SelfcareError: ... temporary ...
    """
    if not isinstance(cast("object", text), str):
        msg = f"expected the code as a str, not {type(text).__name__}"
        raise TypeError(msg)
    if not isinstance(cast("object", today), date):
        msg = f"today must be a date, not {type(today).__name__}"
        raise TypeError(msg)
    if type(today) is not date:  # a datetime is a date; compare calendar days only
        today = date(today.year, today.month, today.day)
    which = _country(country)
    compact = _canonical(text, which, today, allow_temporary, allow_synthetic)
    instance = object.__new__(NationalId)
    object.__setattr__(instance, "country", which)
    object.__setattr__(instance, "compact", compact)
    return instance
