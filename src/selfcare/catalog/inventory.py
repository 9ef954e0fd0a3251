"""Inventory: what a customer has (TMF637), what it is attached to, and what is due.

A :class:`ProductInstance` is a product the customer has, attached to an :class:`Asset`
(a phone number, a SIM card, a metering point), with a :class:`ProductStatus` and
perhaps a :class:`ScheduledChange` that takes effect later (a plan change or bundle
edit from the next billing period, a termination). The rules: which status moves are
allowed, applying a change that is due, and the telecom ordering guide's "ordered services" view.

>>> Asset.iccid("8947 0800 0000 0000 007").value
'8947080000000000007'
>>> ProductStatus.PENDING_TERMINATE.is_live
True
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Final, cast, final

import attrs

from selfcare.catalog._fields import string_set
from selfcare.catalog.history import ProductPrice, closed_at, recorded
from selfcare.catalog.offerings import AssetKind, Offering, Term
from selfcare.core.clock import require_aware, utc_field
from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import RelationshipId
from selfcare.core.money import Money
from selfcare.core.ports import next_version

__all__ = [
    "Asset",
    "ProductInstance",
    "ProductStatus",
    "ScheduledChange",
    "ScheduledChangeKind",
    "apply_due_change",
    "check_product_transition",
    "picks_in_effect",
    "repriced",
    "with_history",
]


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


# --------------------------------------------------------------------------- products


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


class ScheduledChangeKind(enum.StrEnum):
    """A change to a product that takes effect later."""

    CHANGE_PLAN = "change_plan"
    EDIT_BUNDLE = "edit_bundle"
    TERMINATE = "terminate"


@final
@attrs.frozen(kw_only=True)
class ScheduledChange:
    """A change that takes effect at ``effective_at``: a plan change (to
    ``offering_id``, with the target's ``term`` and the ``commitment_end`` that starts
    when the plan does), a bundle edit (to ``bundle_items``) or a termination."""

    kind: ScheduledChangeKind
    effective_at: datetime = utc_field()
    offering_id: str | None = None
    bundle_items: frozenset[str] = attrs.field(default=frozenset(), converter=string_set)
    term: Term | None = None
    commitment_end: datetime | None = utc_field(optional=True, default=None)


def _prices(value: Iterable[ProductPrice]) -> tuple[ProductPrice, ...]:
    return tuple(sorted(value, key=lambda p: p.valid_from))


def _is_iccid(_instance: object, _attribute: object, value: Asset | None) -> None:
    if value is not None and value.kind is not AssetKind.ICCID:
        raise SelfcareError(Violation("asset.invalid_iccid", {}))


@final
@attrs.frozen(kw_only=True)
class ProductInstance:
    """A product the customer has (TMF637 Product).

    ``start`` and ``end`` are what the telecom ordering guide's "ordered services" view shows;
    ``end`` is ``None`` until further notice. ``commitment_end`` is the end of a fixed term
    (calendar months in the operator's zone); a downgrade is refused before it.
    ``bundle_items`` are the offerings picked into a bundle. ``sim`` is the SIM card
    (ICCID) of a subscription attached to a phone number (the corporate mobile guide's main
    SIM). ``prices`` is the product's history (:mod:`~selfcare.catalog.history`): every
    offering, price and bundle selection it had or is scheduled to have, with the
    interval each applies; billing prices any period from it alone.
    """

    id: str
    offering_id: str
    relationship_id: RelationshipId
    status: ProductStatus
    asset: Asset | None = None
    sim: Asset | None = attrs.field(default=None, validator=_is_iccid)
    quantity: int = 1
    start: datetime | None = utc_field(optional=True, default=None)
    end: datetime | None = utc_field(optional=True, default=None)
    commitment_end: datetime | None = utc_field(optional=True, default=None)
    term: Term = attrs.field(factory=Term)
    bundle_items: frozenset[str] = attrs.field(default=frozenset(), converter=string_set)
    scheduled: ScheduledChange | None = None
    order_id: str | None = None
    prices: tuple[ProductPrice, ...] = attrs.field(default=(), converter=_prices)
    version: int = 1

    def is_live_at(self, now: datetime) -> bool:
        """Whether the product counts at ``now``: not terminated and not past its end."""
        return self.status.is_live and (self.end is None or now < self.end)


def picks_in_effect(product: ProductInstance) -> frozenset[str]:
    """The picks of a bundle once what is scheduled takes effect: a scheduled edit's
    picks, else the current ones."""
    change = product.scheduled
    if change is not None and change.kind is ScheduledChangeKind.EDIT_BUNDLE:
        return change.bundle_items
    return product.bundle_items


# --------------------------------------------------------------------------- rules


_PRODUCT_TRANSITIONS: Final = {
    ProductStatus.CREATED: {
        ProductStatus.PENDING_ACTIVE,
        ProductStatus.ACTIVE,
        ProductStatus.TERMINATED,
    },
    ProductStatus.PENDING_ACTIVE: {ProductStatus.ACTIVE, ProductStatus.TERMINATED},
    ProductStatus.ACTIVE: {
        ProductStatus.PENDING_TERMINATE,
        ProductStatus.SUSPENDED,
        ProductStatus.TERMINATED,
    },
    ProductStatus.SUSPENDED: {
        ProductStatus.ACTIVE,
        ProductStatus.PENDING_TERMINATE,
        ProductStatus.TERMINATED,
    },
    ProductStatus.PENDING_TERMINATE: {ProductStatus.ACTIVE, ProductStatus.TERMINATED},
}


def check_product_transition(status: ProductStatus, target: ProductStatus) -> Decision:
    """Whether a product may move from ``status`` to ``target`` (TMF637 statuses).

    Returns:
        A refusal with ``inventory.invalid_transition`` for any other move.
    """
    if target in _PRODUCT_TRANSITIONS.get(status, set()):
        return Decision.allow()
    return Decision.deny(
        Violation("inventory.invalid_transition", {"status": status.value, "target": target.value})
    )


def apply_due_change(product: ProductInstance, *, now: datetime) -> ProductInstance:
    """``product`` with its scheduled change applied if it is due at ``now`` (a plan
    change or bundle edit from the new billing period, or a termination), version bumped;
    otherwise ``product`` unchanged."""

    moment = require_aware(now, "now")
    change = product.scheduled
    if change is None or moment < change.effective_at:
        return product
    if change.kind is ScheduledChangeKind.TERMINATE:
        return next_version(
            product,
            status=ProductStatus.TERMINATED,
            scheduled=None,
            prices=closed_at(product.prices, change.effective_at),
        )
    if change.kind is ScheduledChangeKind.CHANGE_PLAN:
        # The commitment of a fixed-term plan starts when the plan does, scheduled or not.
        ends = [e for e in (product.commitment_end, change.commitment_end) if e is not None]
        return next_version(
            product,
            offering_id=change.offering_id,
            term=change.term if change.term is not None else product.term,
            commitment_end=max(ends, default=None),
            scheduled=None,
        )
    return next_version(product, bundle_items=change.bundle_items, scheduled=None)


def with_history(product: ProductInstance, offering: Offering) -> ProductInstance:
    """``product`` with a history: its own, or - for a product provisioned without one -
    one interval from its start at ``offering``'s price today (not bumped: nothing
    changed but what is written down)."""
    if product.prices or product.start is None:
        return product
    first = ProductPrice.of(
        offering,
        valid_from=product.start,
        quantity=product.quantity,
        bundle_items=product.bundle_items,
        order_id=product.order_id,
    )
    history = (first,) if product.end is None else closed_at((first,), product.end)
    return attrs.evolve(product, prices=history)


def repriced(
    product: ProductInstance,
    offering: Offering,
    *,
    at: datetime,
    quantity: int | None = None,
    bundle_items: frozenset[str] | None = None,
    one_time: Money | None = None,
    order_id: str | None = None,
) -> tuple[ProductPrice, ...]:
    """The history of ``product`` once it is ``offering`` (with ``quantity`` and
    ``bundle_items``, its own by default) from ``at``, at the offering's price; a
    product that ends keeps ending then."""
    count = product.quantity if quantity is None else quantity
    picks = product.bundle_items if bundle_items is None else bundle_items
    price = ProductPrice.of(
        offering,
        valid_from=at,
        quantity=count,
        bundle_items=picks,
        one_time=one_time,
        order_id=order_id,
    )
    history = recorded(product.prices, price)
    return history if product.end is None else closed_at(history, product.end)
