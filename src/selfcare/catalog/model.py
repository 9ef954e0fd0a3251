"""The catalog's values: offerings, bundles, product instances, orders and quotes.

The vocabulary follows TM Forum's product catalog (TMF620), product ordering (TMF622)
and product inventory (TMF637) models, in snake_case: a :class:`Offering` is what can
be ordered, a :class:`ProductOrder` carries :class:`OrderItem` values with an
:class:`OrderAction`, and a :class:`ProductInstance` is what the customer has.

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
import functools
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Final, cast, final

import attrs

from selfcare.core.clock import require_aware
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import AccountId, RelationshipId
from selfcare.core.money import Currency, Money

__all__ = [
    "Asset",
    "AssetKind",
    "BundleSpec",
    "CancellationMethod",
    "CancellationRequest",
    "Catalog",
    "LifecycleStatus",
    "LocalizedText",
    "Offering",
    "OfferingKind",
    "OrderAction",
    "OrderItem",
    "OrderQuote",
    "OrderState",
    "Prerequisite",
    "PrerequisiteKind",
    "Price",
    "PriceTier",
    "PriceType",
    "ProductInstance",
    "ProductOrder",
    "ProductStatus",
    "QuoteLine",
    "ScheduledChange",
    "ScheduledChangeKind",
    "Term",
]

_ID_PATTERN: Final = re.compile(r"[a-z0-9][a-z0-9_.\-]{0,63}")
_MAX_TEXT: Final = 200


def _check_id(value: object, field: str) -> str:
    if not isinstance(value, str) or not _ID_PATTERN.fullmatch(value):
        raise SelfcareError(Violation("catalog.invalid_identifier", {"field": field}))
    return value


def _group_id(value: object) -> str:
    return _check_id(value, "group")


def _id_id(value: object) -> str:
    return _check_id(value, "id")


def _option_group_id(value: object) -> str:
    return _check_id(value, "option_group")


def _prerequisite_id(value: object) -> str:
    return _check_id(value, "prerequisite")


def _effective_at_time(value: object) -> datetime:
    return require_aware(value, "effective_at")


def _placed_at_time(value: object) -> datetime:
    return require_aware(value, "placed_at")


def _quoted_at_time(value: object) -> datetime:
    return require_aware(value, "quoted_at")


def _requested_at_time(value: object) -> datetime:
    return require_aware(value, "requested_at")


def _str_set(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


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
    customer service (seed 002)."""

    PORTAL = "portal"
    WRITTEN_REQUEST = "written_request"


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


class ProductStatus(enum.StrEnum):
    """TMF637 product status."""

    CREATED = "created"
    PENDING_ACTIVE = "pending_active"
    ACTIVE = "active"
    PENDING_TERMINATE = "pending_terminate"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"

    @property
    def is_live(self) -> bool:
        """Whether the customer has (or is about to have) the product: it counts for
        prerequisites, exclusions and quantities."""
        return self is not ProductStatus.TERMINATED


class OrderAction(enum.StrEnum):
    """TMF622 order item action (``change_plan`` and ``edit_bundle`` are the portal's
    names for two kinds of ``modify``)."""

    ADD = "add"
    MODIFY = "modify"
    REMOVE = "remove"
    CHANGE_PLAN = "change_plan"
    EDIT_BUNDLE = "edit_bundle"


class OrderState(enum.StrEnum):
    """TMF622 order state."""

    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        """Whether the order can no longer change."""
        return self in {OrderState.COMPLETED, OrderState.FAILED, OrderState.CANCELLED}


class ScheduledChangeKind(enum.StrEnum):
    """A change to a product that takes effect later."""

    CHANGE_PLAN = "change_plan"
    EDIT_BUNDLE = "edit_bundle"
    TERMINATE = "terminate"


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


def _non_negative(_instance: object, attribute: attrs.Attribute[Money], value: Money) -> None:
    if value.amount < 0:
        raise SelfcareError(Violation("catalog.negative_price", {"field": attribute.name}))


@final
@attrs.frozen
class Price:
    """One price of an offering: monthly recurring or one-time, never negative."""

    type: PriceType
    amount: Money = attrs.field(validator=_non_negative)


@final
@attrs.frozen
class PriceTier:
    """The monthly price of a bundle when ``min_items`` or more items are picked."""

    min_items: int
    monthly: Money = attrs.field(validator=_non_negative)


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
    value: str = attrs.field(converter=_prerequisite_id)

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.value}"


def _tier_tuple(value: Iterable[PriceTier]) -> tuple[PriceTier, ...]:
    return tuple(value)


@final
@attrs.frozen(kw_only=True)
class BundleSpec:
    """A bundle the customer fills (seed 002's MIX package): between ``min_items`` and
    ``max_items`` offerings of ``option_group``, the monthly price by count.

    >>> spec = BundleSpec(option_group="mix_channels", min_items=3, max_items=5,
    ...     price_tiers=(PriceTier(3, Money("19.90", "EUR")), PriceTier(5, Money("24.90", "EUR"))))
    >>> str(spec.price_for(4))
    '19.90 EUR'
    """

    option_group: str = attrs.field(converter=_option_group_id)
    min_items: int
    max_items: int
    price_tiers: tuple[PriceTier, ...] = attrs.field(converter=_tier_tuple)

    def __attrs_post_init__(self) -> None:
        tiers = self.price_tiers
        if (
            not 0 <= self.min_items <= self.max_items <= 100
            or not tiers
            or min(t.min_items for t in tiers) > self.min_items
            or len({t.min_items for t in tiers}) != len(tiers)
            or len({t.monthly.currency for t in tiers}) != 1
        ):
            raise SelfcareError(Violation("catalog.invalid_bundle", {"group": self.option_group}))

    def price_for(self, count: int) -> Money:
        """The monthly price for ``count`` picked items: the tier with the largest
        ``min_items`` not above ``count`` (the lowest tier below the minimum)."""
        ordered = sorted(self.price_tiers, key=lambda t: t.min_items)
        chosen = ordered[0]
        for tier in ordered:
            if tier.min_items <= count:
                chosen = tier
        return chosen.monthly


def _price_tuple(value: Iterable[Price]) -> tuple[Price, ...]:
    return tuple(value)


def _prerequisite_set(value: Iterable[Prerequisite]) -> frozenset[Prerequisite]:
    return frozenset(value)


def _window(instance: Offering, _attribute: object, value: datetime | None) -> None:
    if value is not None:
        require_aware(value, "valid_until")
    start = instance.valid_from
    if start is not None:
        require_aware(start, "valid_from")
        if value is not None and value <= start:
            raise SelfcareError(Violation("catalog.invalid_window", {"offering": instance.id}))


def _aware_or_none(value: datetime | None) -> datetime | None:
    return None if value is None else require_aware(value, "time")


@final
@attrs.frozen(kw_only=True)
class Offering:
    """A product offering (TMF620 ProductOffering): what a customer can order.

    Prices are :class:`Price` values (monthly recurring and one-time) in one currency.
    ``family`` and ``family_rank`` order the plans of one family by size (seed 004:
    Total C 10 GB < Total E 50 GB), so a plan change is an upgrade or a downgrade.
    ``asset_kind`` says what the product is attached to (a phone number, a SIM, a
    metering point) and so what an order item must name.

    Raises:
        SelfcareError: ``catalog.invalid_identifier``, ``catalog.invalid_text``,
            ``catalog.negative_price``, ``catalog.invalid_term``, ``catalog.invalid_window``,
            ``catalog.invalid_bundle``, ``catalog.invalid_offering``.
    """

    id: str = attrs.field(converter=_id_id)
    names: LocalizedText
    group: str = attrs.field(converter=_group_id)
    kind: OfferingKind
    prices: tuple[Price, ...] = attrs.field(default=(), converter=_price_tuple)
    term: Term = Term()
    requires: frozenset[Prerequisite] = attrs.field(
        default=frozenset(), converter=_prerequisite_set
    )
    excludes: frozenset[str] = attrs.field(default=frozenset(), converter=_str_set)
    max_quantity: int = 1
    usage_note: LocalizedText | None = None
    valid_from: datetime | None = attrs.field(default=None, converter=_aware_or_none)
    valid_until: datetime | None = attrs.field(
        default=None, converter=_aware_or_none, validator=_window
    )
    lifecycle: LifecycleStatus = LifecycleStatus.ACTIVE
    cancellation: CancellationMethod = CancellationMethod.PORTAL
    asset_kind: AssetKind | None = None
    bundle: BundleSpec | None = None
    family: str | None = None
    family_rank: int = 0

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
            _check_id(other, "excludes")
        if self.family is not None:
            _check_id(self.family, "family")

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


# --------------------------------------------------------------------------- assets


_METERING_POINT: Final = re.compile(r"\d{18}")
_ICCID: Final = re.compile(r"89\d{16,18}")
_NON_MOBILE_TYPES: Final = frozenset({"FIXED_LINE", "TOLL_FREE", "PREMIUM_RATE", "SHARED_COST"})


# Rebuilding an order from storage re-validates each of its assets; the numbering-plan
# check is pure and costs ~0.7 ms, so remember the numbers already found valid.
@functools.lru_cache(maxsize=8192)
def _validate_msisdn(value: str) -> None:
    import phonenumbers  # noqa: PLC0415 - heavy, loaded on first use

    bad = Violation("asset.invalid_msisdn", {})
    if not value.startswith("+") or len(value) > 16 or not value[1:].isdigit():
        raise SelfcareError(bad)
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        raise SelfcareError(bad) from None
    kind = phonenumbers.PhoneNumberType.to_string(phonenumbers.number_type(number))
    if not phonenumbers.is_valid_number(number) or kind in _NON_MOBILE_TYPES:
        raise SelfcareError(bad)


def _validate_iccid(value: str) -> None:
    from stdnum import luhn  # noqa: PLC0415 - heavy, loaded on first use

    if not _ICCID.fullmatch(value) or not luhn.is_valid(value):
        raise SelfcareError(Violation("asset.invalid_iccid", {}))


def _validate_metering_point(value: str) -> None:
    from stdnum import ean  # noqa: PLC0415 - heavy, loaded on first use

    # A metering point id is a GS1 GSRN: 18 digits, the last a GS1 mod-10 check digit.
    if not _METERING_POINT.fullmatch(value) or ean.calc_check_digit(value[:-1]) != value[-1]:
        raise SelfcareError(Violation("asset.invalid_metering_point", {}))


@final
@attrs.frozen
class Asset:
    """What a product is attached to, in canonical form: an MSISDN in E.164
    (``+4791234567``), a SIM card's ICCID (ITU-T E.118, Luhn check digit) or a
    metering point id (GS1 GSRN, 18 digits).

    >>> Asset.iccid("8947 0800 0000 0000 007").value
    '8947080000000000007'
    >>> Asset.iccid("8947080000000000006")
    Traceback (most recent call last):
    ...
    selfcare.core.errors.SelfcareError: ...

    Raises:
        SelfcareError: ``asset.invalid_msisdn``, ``asset.invalid_iccid``,
            ``asset.invalid_metering_point``.
    """

    kind: AssetKind
    value: str

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.value, str):  # the annotation says str; callers may not obey
            msg = f"Asset value must be str, not {type(self.value).__name__}"  # type: ignore[unreachable]
            raise TypeError(msg)
        if self.kind is AssetKind.MSISDN:
            _validate_msisdn(self.value)
        elif self.kind is AssetKind.ICCID:
            _validate_iccid(self.value)
        else:
            _validate_metering_point(self.value)

    @classmethod
    def msisdn(cls, text: str, region: str = "FI") -> Asset:
        """A phone number as typed (national or international form) in ``region``,
        parsed like :meth:`selfcare.identity.contact.PhoneNumber.parse`.

        >>> Asset.msisdn("412 34 567", region="NO").value
        '+4741234567'

        Raises:
            SelfcareError: ``asset.invalid_msisdn``.
            TypeError: ``text`` is not a ``str``.
        """
        from selfcare.identity.contact import PhoneNumber  # noqa: PLC0415 - on first use

        if not isinstance(cast("object", text), str):
            msg = f"expected a str, not {type(text).__name__}"
            raise TypeError(msg)
        try:
            e164 = PhoneNumber.parse(text, region).e164
        except SelfcareError:
            raise SelfcareError(Violation("asset.invalid_msisdn", {})) from None
        return cls(AssetKind.MSISDN, e164)

    @classmethod
    def iccid(cls, text: str) -> Asset:
        """A SIM card's ICCID as printed (spaces and dashes allowed) or as read from the
        card (a 19-digit ICCID padded with a trailing ``F``). ITU-T E.118: ``89`` (the
        telecom industry), the country code, the issuer and the account number, then a
        Luhn check digit; 18 to 20 digits in all.

        >>> Asset.iccid("8965880812100011146F").value
        '8965880812100011146'

        Raises:
            SelfcareError: ``asset.invalid_iccid``.
        """
        compact = _compact(text, "asset.invalid_iccid")
        # A SIM reader shows a 19-digit ICCID padded to 20 nibbles with a hex F.
        if len(compact) == 20 and compact[-1] in "Ff":
            compact = compact[:-1]
        return cls(AssetKind.ICCID, compact)

    @classmethod
    def metering_point(cls, text: str) -> Asset:
        """A metering point id (GSRN) as printed.

        >>> Asset.metering_point("643 007 574 000 000 008").value
        '643007574000000008'

        Raises:
            SelfcareError: ``asset.invalid_metering_point``.
        """
        return cls(AssetKind.METERING_POINT, _compact(text, "asset.invalid_metering_point"))

    def __str__(self) -> str:
        return self.value


def _compact(text: object, code: str) -> str:
    if not isinstance(text, str) or len(text) > 64:
        raise SelfcareError(Violation(code, {}))
    return "".join(ch for ch in text if ch not in " -.")


# --------------------------------------------------------------------------- inventory


@final
@attrs.frozen(kw_only=True)
class ScheduledChange:
    """A change that takes effect at ``effective_at``: a plan change (to
    ``offering_id``), a bundle edit (to ``bundle_items``) or a termination."""

    kind: ScheduledChangeKind
    effective_at: datetime = attrs.field(converter=_effective_at_time)
    offering_id: str | None = None
    bundle_items: frozenset[str] = attrs.field(default=frozenset(), converter=_str_set)


def _is_iccid(_instance: object, _attribute: object, value: Asset | None) -> None:
    if value is not None and value.kind is not AssetKind.ICCID:
        raise SelfcareError(Violation("asset.invalid_iccid", {}))


@final
@attrs.frozen(kw_only=True)
class ProductInstance:
    """A product the customer has (TMF637 Product).

    ``start`` and ``end`` are what seed 002's "ordered services" view shows; ``end`` is
    ``None`` until further notice. ``commitment_end`` is the end of a fixed term
    (calendar months in the operator's zone); a downgrade is refused before it.
    ``bundle_items`` are the offerings picked into a bundle. ``sim`` is the SIM card
    (ICCID) of a subscription attached to a phone number (seed 004's main SIM).
    """

    id: str
    offering_id: str
    relationship_id: RelationshipId
    status: ProductStatus
    asset: Asset | None = None
    sim: Asset | None = attrs.field(default=None, validator=_is_iccid)
    quantity: int = 1
    start: datetime | None = attrs.field(default=None, converter=_aware_or_none)
    end: datetime | None = attrs.field(default=None, converter=_aware_or_none)
    commitment_end: datetime | None = attrs.field(default=None, converter=_aware_or_none)
    term: Term = Term()
    bundle_items: frozenset[str] = attrs.field(default=frozenset(), converter=_str_set)
    scheduled: ScheduledChange | None = None
    order_id: str | None = None
    version: int = 1

    def is_live_at(self, now: datetime) -> bool:
        """Whether the product counts at ``now``: not terminated and not past its end."""
        return self.status.is_live and (self.end is None or now < self.end)


@final
@attrs.frozen(kw_only=True)
class CancellationRequest:
    """A written cancellation for customer service (seed 002): what to cancel and how
    to reach the customer. Producing one terminates nothing."""

    id: str
    relationship_id: RelationshipId
    product_id: str
    offering_id: str
    requested_at: datetime = attrs.field(converter=_requested_at_time)
    contact_phone: str
    contact_email: str
    message: str = ""


# --------------------------------------------------------------------------- orders


@final
@attrs.frozen(kw_only=True)
class OrderItem:
    """One line of an order (TMF622 ProductOrderItem).

    - ``add``: ``offering_id`` (and ``asset`` when the offering is attached to one;
      ``bundle_items`` for a bundle);
    - ``modify``: ``product_id`` with a new ``asset`` (e.g. activate a new SIM) or
      ``quantity``;
    - ``remove``: ``product_id``;
    - ``change_plan``: ``product_id`` and the new plan's ``offering_id``;
    - ``edit_bundle``: ``product_id`` and the new ``bundle_items``.
    """

    action: OrderAction
    offering_id: str | None = None
    product_id: str | None = None
    quantity: int = 1
    asset: Asset | None = None
    bundle_items: frozenset[str] = attrs.field(default=frozenset(), converter=_str_set)

    @classmethod
    def add(
        cls,
        offering_id: str,
        *,
        asset: Asset | None = None,
        quantity: int = 1,
        bundle_items: Iterable[str] = (),
    ) -> OrderItem:
        """An item that orders ``offering_id``."""
        return cls(
            action=OrderAction.ADD,
            offering_id=offering_id,
            asset=asset,
            quantity=quantity,
            bundle_items=_str_set(bundle_items),
        )

    @classmethod
    def remove(cls, product_id: str) -> OrderItem:
        """An item that removes the product ``product_id``."""
        return cls(action=OrderAction.REMOVE, product_id=product_id)

    @classmethod
    def change_plan(cls, product_id: str, offering_id: str) -> OrderItem:
        """An item that moves the plan ``product_id`` to ``offering_id``."""
        return cls(action=OrderAction.CHANGE_PLAN, product_id=product_id, offering_id=offering_id)

    @classmethod
    def edit_bundle(cls, product_id: str, bundle_items: Iterable[str]) -> OrderItem:
        """An item that replaces the picks of the bundle ``product_id``."""
        return cls(
            action=OrderAction.EDIT_BUNDLE,
            product_id=product_id,
            bundle_items=_str_set(bundle_items),
        )

    @classmethod
    def modify(cls, product_id: str, *, asset: Asset | None = None, quantity: int = 1) -> OrderItem:
        """An item that changes the asset or quantity of ``product_id`` (e.g. a new SIM)."""
        return cls(action=OrderAction.MODIFY, product_id=product_id, asset=asset, quantity=quantity)


@final
@attrs.frozen(kw_only=True)
class QuoteLine:
    """What one order item does, as shown in the confirmation dialog (seed 004): the
    product, the phone number or other asset it applies to, the price effect and when
    it takes effect. ``monthly_change`` is the change of the monthly charge (negative
    for a removal or a downgrade); ``one_time`` a one-time charge."""

    item_index: int
    action: OrderAction
    offering_id: str
    product_name: LocalizedText
    product_id: str | None = None
    asset: Asset | None = None
    quantity: int = 1
    monthly_change: Money | None = None
    one_time: Money | None = None
    effective_at: datetime = attrs.field(converter=_effective_at_time)
    group: str
    usage_note: LocalizedText | None = None


def _item_tuple(value: Iterable[OrderItem]) -> tuple[OrderItem, ...]:
    return tuple(value)


def _line_tuple(value: Iterable[QuoteLine]) -> tuple[QuoteLine, ...]:
    return tuple(value)


@final
@attrs.frozen(kw_only=True)
class OrderQuote:
    """The priced order awaiting the customer's OK. Nothing is placed until it is
    confirmed with :func:`selfcare.catalog.service.place_order`."""

    relationship_id: RelationshipId
    items: tuple[OrderItem, ...] = attrs.field(converter=_item_tuple)
    lines: tuple[QuoteLine, ...] = attrs.field(converter=_line_tuple)
    quoted_at: datetime = attrs.field(converter=_quoted_at_time)

    def monthly_totals(self) -> Mapping[Currency, Money]:
        """The change of the monthly charges, per currency."""
        return _totals(line.monthly_change for line in self.lines)

    def one_time_totals(self) -> Mapping[Currency, Money]:
        """The one-time charges, per currency."""
        return _totals(line.one_time for line in self.lines)

    def summary(self, lang: str = "en") -> tuple[str, ...]:
        """One line per item for a confirmation dialog (seed 004's OK / cancel): what is
        done, the product, the phone number or other asset, the monthly price effect and
        any one-time charge, in ``lang``.

        >>> from datetime import datetime, UTC
        >>> line = QuoteLine(
        ...     item_index=0, action=OrderAction.ADD, offering_id="extra_data_5gb",
        ...     product_name=LocalizedText(en="Extra Data 5 GB", fi="Lisädata 5 Gt",
        ...                                sv="Extra data 5 GB", nb="Ekstra data 5 GB"),
        ...     asset=Asset.msisdn("+4741234567"), monthly_change=Money("99", "NOK"),
        ...     effective_at=datetime(2026, 3, 10, tzinfo=UTC), group="mobile_addons")
        >>> quote = OrderQuote(relationship_id="acme", items=(), lines=(line,),
        ...                    quoted_at=datetime(2026, 3, 10, tzinfo=UTC))
        >>> quote.summary("nb")
        ('Bestill · Ekstra data 5 GB · +4741234567 · 99,00\xa0kr/mnd',)
        """
        from selfcare.core.messages import normalize_language  # noqa: PLC0415

        language = normalize_language(lang)
        per_month = _PER_MONTH[language]
        shown = []
        for line in self.lines:
            parts = [_ACTION_LABELS[language][line.action], line.product_name.get(language)]
            if line.asset is not None:
                parts.append(line.asset.value)
            if line.monthly_change is not None:
                parts.append(f"{line.monthly_change.format(language)}{per_month}")
            if line.one_time is not None:
                parts.append(line.one_time.format(language))
            shown.append(" · ".join(parts))
        return tuple(shown)


_PER_MONTH: Final = {"en": "/month", "fi": "/kk", "sv": "/mån", "nb": "/mnd"}

_ACTION_LABELS: Final = {
    "en": {
        OrderAction.ADD: "Order",
        OrderAction.MODIFY: "Change",
        OrderAction.REMOVE: "Cancel",
        OrderAction.CHANGE_PLAN: "Change subscription",
        OrderAction.EDIT_BUNDLE: "Edit package",
    },
    "fi": {
        OrderAction.ADD: "Tilaa",
        OrderAction.MODIFY: "Muuta",
        OrderAction.REMOVE: "Irtisano",
        OrderAction.CHANGE_PLAN: "Vaihda liittymä",
        OrderAction.EDIT_BUNDLE: "Muokkaa pakettia",
    },
    "sv": {
        OrderAction.ADD: "Beställ",
        OrderAction.MODIFY: "Ändra",
        OrderAction.REMOVE: "Säg upp",
        OrderAction.CHANGE_PLAN: "Byt abonnemang",
        OrderAction.EDIT_BUNDLE: "Ändra paket",
    },
    "nb": {
        OrderAction.ADD: "Bestill",
        OrderAction.MODIFY: "Endre",
        OrderAction.REMOVE: "Si opp",
        OrderAction.CHANGE_PLAN: "Bytt abonnement",
        OrderAction.EDIT_BUNDLE: "Endre pakke",
    },
}


def _totals(amounts: Iterable[Money | None]) -> Mapping[Currency, Money]:
    totals: dict[Currency, Money] = {}
    for money in amounts:
        if money is not None:
            totals[money.currency] = totals.get(money.currency, Money.zero(money.currency)) + money
    return totals


@final
@attrs.frozen(kw_only=True)
class ProductOrder:
    """A placed order (TMF622 ProductOrder). ``idempotency_key`` makes a double submit
    place one order."""

    id: str
    relationship_id: RelationshipId
    idempotency_key: str
    items: tuple[OrderItem, ...] = attrs.field(converter=_item_tuple)
    lines: tuple[QuoteLine, ...] = attrs.field(converter=_line_tuple)
    state: OrderState = OrderState.ACKNOWLEDGED
    placed_at: datetime = attrs.field(converter=_placed_at_time)
    placed_by: AccountId | None = None
    completed_at: datetime | None = attrs.field(default=None, converter=_aware_or_none)
    version: int = 1


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

    def get(self, offering_id: str) -> Offering | None:
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
