"""Offerings: what a customer can order, in which catalog, at what price and term.

The vocabulary follows TM Forum's product catalog model (TMF620) in snake_case: an
:class:`Offering` is what can be ordered, with its :class:`Price` values (monthly
recurring and one-time), its :class:`Term`, what it requires (:class:`Prerequisite`)
and excludes, and what it is attached to (:class:`AssetKind`). A :class:`Catalog` is
the operator's offerings indexed by id.

>>> from datetime import date
>>> from selfcare.core.money import Money
>>> extra = Offering(
...     id="extra_data_5gb",
...     names=LocalizedText(
...         en="Extra Data 5 GB", fi="Lisädata 5 Gt", sv="Extra data 5 GB", nb="Ekstra data 5 GB"
...     ),
...     group="mobile_addons",
...     kind=OfferingKind.ADD_ON,
...     prices=(Price(PriceType.RECURRING, Money("99.00", "NOK")),),
... )
>>> extra.monthly_price, extra.names.get("nb")
(Money(amount=Decimal('99.00'), currency=<Currency.NOK: 'NOK'>), 'Ekstra data 5 GB')
>>> Term.fixed(12).end_date(date(2026, 1, 31))
datetime.date(2027, 1, 31)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime
from typing import Final, final

import attrs

from selfcare.catalog._fields import check_identifier, non_negative, string_set
from selfcare.catalog.bundles import BundleSpec
from selfcare.core.clock import require_aware, utc_field
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.money import Currency, Money

__all__ = [
    "AssetKind",
    "CancellationMethod",
    "Catalog",
    "DependentAddOns",
    "LifecycleStatus",
    "LocalizedText",
    "Offering",
    "OfferingKind",
    "Prerequisite",
    "PrerequisiteKind",
    "Price",
    "PriceType",
    "Term",
]

_MAX_TEXT: Final = 200


def _group(value: object) -> str:
    return check_identifier(value, "group")


def _offering_id(value: object) -> str:
    return check_identifier(value, "id")


def _prerequisite_value(value: object) -> str:
    return check_identifier(value, "prerequisite")


# --------------------------------------------------------------------------- enums


class OfferingKind(enum.StrEnum):
    """What an offering is: a main plan, an add-on to a plan, standalone, or a bundle."""

    PLAN = "plan"
    ADD_ON = "add_on"
    STANDALONE = "standalone"
    BUNDLE = "bundle"


class LifecycleStatus(enum.StrEnum):
    """TMF620 lifecycle of an offering; only ``active`` ones can be ordered."""

    IN_DESIGN = "in_design"
    ACTIVE = "active"
    RETIRED = "retired"
    OBSOLETE = "obsolete"


class CancellationMethod(enum.StrEnum):
    """How a service can be cancelled: in the portal, or only by a written request to
    customer service (the telecom ordering guide)."""

    PORTAL = "portal"
    WRITTEN_REQUEST = "written_request"


class DependentAddOns(enum.StrEnum):
    """What removing, cancelling or changing a product of an offering does to the
    add-ons that need it (the operator's choice per offering): they go with it (shown
    in the quote before the customer's OK), or the change is refused naming them. Either
    way no add-on outlives the product it needs."""

    REMOVE_WITH_BASE = "remove_with_base"
    REFUSE = "refuse"


class PriceType(enum.StrEnum):
    """TMF620 price type: a monthly recurring charge or a one-time charge."""

    RECURRING = "recurring"
    ONE_TIME = "one_time"


class PrerequisiteKind(enum.StrEnum):
    """What an offering requires: another offering, any product of a group, or a
    capability the caller vouches for (e.g. a valid pay-TV card)."""

    OFFERING = "offering"
    GROUP = "group"
    CAPABILITY = "capability"


class AssetKind(enum.StrEnum):
    """What a product is attached to."""

    MSISDN = "msisdn"
    ICCID = "iccid"
    METERING_POINT = "metering_point"


# --------------------------------------------------------------------------- values


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > _MAX_TEXT:
        raise SelfcareError(Violation("catalog.invalid_text", {"max_length": _MAX_TEXT}))
    return value


@final
@attrs.frozen(kw_only=True)
class LocalizedText:
    """A text in each of the library's languages."""

    en: str = attrs.field(converter=_text)
    fi: str = attrs.field(converter=_text)
    sv: str = attrs.field(converter=_text)
    nb: str = attrs.field(converter=_text)

    def get(self, lang: str = "en") -> str:
        """The text in ``lang``; an unsupported language falls back to English."""
        from selfcare.core.messages import normalize_language  # noqa: PLC0415

        return str(getattr(self, normalize_language(lang)))


@final
@attrs.frozen
class Price:
    """One price of an offering: monthly recurring or one-time, never negative."""

    type: PriceType
    amount: Money = attrs.field(validator=non_negative)


def _https_url(_instance: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    """An attrs validator: ``None`` or an https URL without spaces or control characters
    (``catalog.invalid_url``)."""
    if value is None:
        return
    if (
        not isinstance(value, str)
        or not value.startswith("https://")
        or len(value) > 2000
        or len(value) <= len("https://")
        or any(char.isspace() or not char.isprintable() for char in value)
    ):
        raise SelfcareError(Violation("catalog.invalid_url", {"field": attribute.name}))


def _positive_months(_instance: object, _attribute: object, value: int | None) -> None:
    if value is not None and not 1 <= value <= 120:
        raise SelfcareError(Violation("catalog.invalid_term", {"max_months": 120}))


@final
@attrs.frozen
class Term:
    """Until further notice (``months is None``) or a fixed number of months.

    >>> Term.until_further_notice().end_date(date(2026, 3, 1)) is None
    True
    """

    months: int | None = attrs.field(default=None, validator=_positive_months)

    @classmethod
    def until_further_notice(cls) -> Term:
        """A term without an end."""
        return cls(None)

    @classmethod
    def fixed(cls, months: int) -> Term:
        """A fixed term of ``months`` calendar months.

        Raises:
            SelfcareError: ``catalog.invalid_term`` outside 1..120 months.
        """
        return cls(months)

    @property
    def is_fixed(self) -> bool:
        """Whether the term has an end."""
        return self.months is not None

    def end_date(self, start: date) -> date | None:
        """The local date the term ends: ``start`` plus the months (day clamped to the
        month's end), or ``None`` until further notice."""
        from selfcare.core.clock import add_months  # noqa: PLC0415

        return None if self.months is None else add_months(start, self.months)


@final
@attrs.frozen
class Prerequisite:
    """One thing an offering needs: an offering, any product of a group, or a capability."""

    kind: PrerequisiteKind
    value: str = attrs.field(converter=_prerequisite_value)

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.value}"


def _price_tuple(value: Iterable[Price]) -> tuple[Price, ...]:
    return tuple(value)


def _prerequisite_set(value: Iterable[Prerequisite]) -> frozenset[Prerequisite]:
    return frozenset(value)


def _window(instance: Offering, _attribute: object, value: datetime | None) -> None:
    start = instance.valid_from
    if start is not None and value is not None and value <= start:
        raise SelfcareError(Violation("catalog.invalid_window", {"offering": instance.id}))


@final
@attrs.frozen(kw_only=True)
class Offering:
    """A product offering (TMF620 ProductOffering): what a customer can order.

    Prices are :class:`Price` values (monthly recurring and one-time) in one currency.
    ``family`` and ``family_rank`` order the plans of one family by size (the corporate
    mobile guide: Total C 10 GB < Total E 50 GB), so a plan change is an upgrade or a
    downgrade. ``dependent_add_ons`` says what removing or changing a product of this
    offering does to the add-ons that need it.
    ``asset_kind`` says what the product is attached to (a phone number, a SIM, a
    metering point) and so what an order item must name.

    Raises:
        SelfcareError: ``catalog.invalid_identifier``, ``catalog.invalid_text``,
            ``catalog.negative_price``, ``catalog.invalid_term``, ``catalog.invalid_window``,
            ``catalog.invalid_bundle``, ``catalog.invalid_offering``, ``catalog.invalid_url``.
    """

    id: str = attrs.field(converter=_offering_id)
    names: LocalizedText
    group: str = attrs.field(converter=_group)
    kind: OfferingKind
    prices: tuple[Price, ...] = attrs.field(default=(), converter=_price_tuple)
    term: Term = Term()
    requires: frozenset[Prerequisite] = attrs.field(
        default=frozenset(), converter=_prerequisite_set
    )
    excludes: frozenset[str] = attrs.field(default=frozenset(), converter=string_set)
    max_quantity: int = 1
    usage_note: LocalizedText | None = None
    valid_from: datetime | None = utc_field(optional=True, default=None)
    valid_until: datetime | None = utc_field(optional=True, default=None, validator=_window)
    lifecycle: LifecycleStatus = LifecycleStatus.ACTIVE
    cancellation: CancellationMethod = CancellationMethod.PORTAL
    asset_kind: AssetKind | None = None
    bundle: BundleSpec | None = None
    family: str | None = None
    family_rank: int = 0
    dependent_add_ons: DependentAddOns = DependentAddOns.REMOVE_WITH_BASE
    #: Where the customer takes the service into use (a security-software
    #: subscription's activation page); the order confirmation shows it.
    activation_url: str | None = attrs.field(default=None, validator=_https_url)
    #: Where the service's software is downloaded; shown with it.
    download_url: str | None = attrs.field(default=None, validator=_https_url)

    def __attrs_post_init__(self) -> None:
        currencies = {p.amount.currency for p in self.prices}
        if self.bundle is not None:
            currencies |= {t.monthly.currency for t in self.bundle.price_tiers}
        if (
            len(currencies) > 1
            or not 1 <= self.max_quantity <= 1000
            or (self.bundle is None) == (self.kind is OfferingKind.BUNDLE)
            or (self.family is not None and self.kind is not OfferingKind.PLAN)
            or self.id in self.excludes
            or len(self.prices) != len({p.type for p in self.prices})
        ):
            raise SelfcareError(Violation("catalog.invalid_offering", {"offering": self.id}))
        for other in self.excludes:
            check_identifier(other, "excludes")
        if self.family is not None:
            check_identifier(self.family, "family")

    def _price(self, kind: PriceType) -> Money | None:
        for price in self.prices:
            if price.type is kind:
                return price.amount
        return None

    @property
    def monthly_price(self) -> Money | None:
        """The recurring monthly price (for a bundle: the price of its lowest tier)."""
        if self.bundle is not None:
            return self.bundle.price_for(self.bundle.min_items)
        return self._price(PriceType.RECURRING)

    @property
    def one_time_price(self) -> Money | None:
        """The one-time price, if any."""
        return self._price(PriceType.ONE_TIME)

    @property
    def currency(self) -> Currency | None:
        """The currency of the offering's prices (``None`` for a free offering)."""
        for money in (self.monthly_price, self.one_time_price):
            if money is not None:
                return money.currency
        return None

    def is_orderable(self, now: datetime) -> bool:
        """Whether the offering is active and ``now`` lies within its validity window."""
        moment = require_aware(now, "now")
        return (
            self.lifecycle is LifecycleStatus.ACTIVE
            and (self.valid_from is None or self.valid_from <= moment)
            and (self.valid_until is None or moment < self.valid_until)
        )


# --------------------------------------------------------------------------- catalog


def _offering_tuple(value: Iterable[Offering]) -> tuple[Offering, ...]:
    return tuple(value)


def _index(instance: Catalog) -> dict[str, Offering]:
    return {o.id: o for o in instance.offerings}


@final
@attrs.frozen
class Catalog:
    """The offerings an operator sells, indexed by id (the sample catalog is
    :func:`selfcare.catalog.sample.sample_catalog`).

    Raises:
        SelfcareError: ``catalog.duplicate_offering`` when two offerings share an id.
    """

    offerings: tuple[Offering, ...] = attrs.field(converter=_offering_tuple)
    _by_id: dict[str, Offering] = attrs.field(
        init=False, eq=False, repr=False, default=attrs.Factory(_index, takes_self=True)
    )

    def __attrs_post_init__(self) -> None:
        if len(self._by_id) != len(self.offerings):
            seen: set[str] = set()
            for offering in self.offerings:
                if offering.id in seen:
                    raise SelfcareError(
                        Violation("catalog.duplicate_offering", {"offering": offering.id})
                    )
                seen.add(offering.id)

    def find(self, offering_id: str) -> Offering | None:
        """The offering ``offering_id`` or ``None``."""
        return self._by_id.get(offering_id)

    def __contains__(self, offering_id: object) -> bool:
        return offering_id in self._by_id

    def __len__(self) -> int:
        return len(self.offerings)

    def in_group(self, group: str) -> tuple[Offering, ...]:
        """The offerings of ``group``, in catalog order."""
        return tuple(o for o in self.offerings if o.group == group)

    def orderable(self, *, now: datetime) -> tuple[Offering, ...]:
        """The offerings that can be ordered at ``now``."""
        return tuple(o for o in self.offerings if o.is_orderable(now))

    def family(self, family: str) -> tuple[Offering, ...]:
        """The plans of ``family``, smallest first."""
        return tuple(
            sorted((o for o in self.offerings if o.family == family), key=lambda o: o.family_rank)
        )
