"""How long accounting records are kept after a customer's account is closed.

**Retention of accounting records.** An invoice and the order it bills are vouchers
(Finnish *tosite*, Swedish *verifikation*, Norwegian *primærdokumentasjon*). How long
a voucher is kept depends on the country of the operator's bookkeeping - the seller's
country on the invoice, else :attr:`ClosingPolicy.accounting_country` - and is counted
from the end of the financial year the voucher belongs to
(:attr:`ClosingPolicy.financial_year_end_month`; December: the calendar year):

- Finland, Kirjanpitolaki (1336/1997) 2 luku 10 §: vouchers at least six years from
  the end of the year in which the financial year ended; the books and the financial
  statements ten years from the end of the financial year.
- Sweden, Bokföringslagen (1999:1078) 7 kap. 2 §: all accounting information until the
  end of the seventh year after the calendar year in which the financial year ended.
- Norway, Bokføringsloven (2004) § 13: primary documentation five years after the end
  of the financial year.

These periods are not in the portal guides nor in the project's domain notes; they are
cited from the statutes (Finlex, Riksdagen, Lovdata) as in force in 2026. The library
keeps no books (the operator's ledger), so only the voucher rule dates the records it
keeps; :data:`ACCOUNTING_RETENTION` lists both for the operator's own records.

>>> from datetime import date
>>> voucher_kept_until("FI", date(2026, 3, 14)).isoformat()
'2032-12-31'
>>> voucher_kept_until("SE", date(2026, 3, 14)).isoformat()
'2033-12-31'
>>> voucher_kept_until("NO", date(2026, 3, 14)).isoformat()
'2031-12-31'
>>> voucher_kept_until("NO", date(2026, 7, 1), financial_year_end_month=6).isoformat()
'2032-06-30'
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Final, final

import attrs

from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError

__all__ = [
    "ACCOUNTING_COUNTRIES",
    "ACCOUNTING_RETENTION",
    "ClosingPolicy",
    "DocumentKind",
    "RetentionRule",
    "financial_year_end",
    "voucher_kept_until",
]


class DocumentKind(enum.StrEnum):
    """What a bookkeeping law dates: a voucher, or the books."""

    VOUCHER = "voucher"
    BOOKS = "books"


@final
@attrs.frozen(kw_only=True)
class RetentionRule:
    """How long a bookkeeping law keeps one kind of accounting record.

    Attributes:
        country: ISO 3166-1 alpha-2 code of the law's country.
        document: a voucher or the books.
        legal_ground: the statute and section, as cited.
        years: how many years it is kept.
        from_calendar_year_end: counted from the end of the *calendar year* in which
            the financial year ended (``True``), or from the end of the financial year.
    """

    country: str
    document: DocumentKind
    legal_ground: str
    years: int
    from_calendar_year_end: bool

    def kept_until(self, financial_year_end: date) -> date:
        """The last day a record of a financial year ending ``financial_year_end`` is
        kept."""
        if self.from_calendar_year_end:
            return date(financial_year_end.year + self.years, 12, 31)
        return _month_end(financial_year_end.year + self.years, financial_year_end.month)


_FI_LAW: Final = "Kirjanpitolaki (1336/1997) 2 luku 10 §"
_SE_LAW: Final = "Bokföringslagen (1999:1078) 7 kap. 2 §"
_NO_LAW: Final = "Bokføringsloven (2004) § 13"

_VOUCHER, _BOOKS = DocumentKind.VOUCHER, DocumentKind.BOOKS
#: country, kind of record, law, years, counted from the end of the calendar year?
_RULES: Final = (
    ("FI", _VOUCHER, _FI_LAW, 6, True),
    ("FI", _BOOKS, _FI_LAW, 10, False),
    ("SE", _VOUCHER, _SE_LAW, 7, True),
    ("SE", _BOOKS, _SE_LAW, 7, True),
    ("NO", _VOUCHER, _NO_LAW, 5, False),
    ("NO", _BOOKS, _NO_LAW, 5, False),
)

#: The bookkeeping laws' retention periods, by country and kind of record (see the
#: module's docstring for the sources).
ACCOUNTING_RETENTION: Final[Mapping[tuple[str, DocumentKind], RetentionRule]] = MappingProxyType(
    {
        (country, document): RetentionRule(
            country=country,
            document=document,
            legal_ground=law,
            years=years,
            from_calendar_year_end=calendar_year,
        )
        for country, document, law, years, calendar_year in _RULES
    }
)

#: The countries whose bookkeeping laws :data:`ACCOUNTING_RETENTION` knows.
ACCOUNTING_COUNTRIES: Final = frozenset(country for country, _ in ACCOUNTING_RETENTION)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def financial_year_end(day: date, *, end_month: int = 12) -> date:
    """The last day of the financial year ``day`` belongs to, for a financial year
    that ends with the month ``end_month``.

    >>> financial_year_end(date(2026, 7, 1), end_month=6).isoformat()
    '2027-06-30'
    """
    year = day.year if day.month <= end_month else day.year + 1
    return _month_end(year, end_month)


def voucher_kept_until(country: str, day: date, *, financial_year_end_month: int = 12) -> date:
    """The last day a voucher dated ``day`` is kept under the bookkeeping law of
    ``country`` (``FI``, ``SE`` or ``NO``).

    Raises:
        SelfcareError: ``closing.unknown_accounting_country`` for another country.
    """
    rule = ACCOUNTING_RETENTION.get((country, DocumentKind.VOUCHER))
    if rule is None:
        raise SelfcareError(Violation("closing.unknown_accounting_country", {"country": country}))
    return rule.kept_until(financial_year_end(day, end_month=financial_year_end_month))


def _country(_instance: object, _attribute: object, value: object) -> None:
    if value not in ACCOUNTING_COUNTRIES:
        raise SelfcareError(
            Violation("closing.unknown_accounting_country", {"country": str(value)[:8]})
        )


def _month(_instance: object, _attribute: object, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 12:
        raise SelfcareError(
            Violation("config.invalid_setting", {"setting": "financial_year_end_month"})
        )


@final
@attrs.frozen(kw_only=True)
class ClosingPolicy:
    """The operator's bookkeeping, as closing an account needs to know it.

    Attributes:
        accounting_country: the country whose bookkeeping law applies to a record
            whose invoice names no seller country (``FI``, ``SE`` or ``NO``).
        financial_year_end_month: the month the operator's financial year ends with
            (12: the calendar year).

    Raises:
        SelfcareError: ``closing.unknown_accounting_country`` or
            ``config.invalid_setting`` (``financial_year_end_month``).
    """

    accounting_country: str = attrs.field(default="FI", validator=_country)
    financial_year_end_month: int = attrs.field(default=12, validator=_month)

    def country_of(self, seller_country: str | None) -> str:
        """The law that dates a record sold by a seller of ``seller_country``."""
        if seller_country in ACCOUNTING_COUNTRIES:
            return str(seller_country)
        return self.accounting_country
