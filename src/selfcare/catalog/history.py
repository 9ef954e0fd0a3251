"""Product history: every plan, price and bundle selection a product had, and when.

A product's history is a tuple of :class:`ProductPrice` values, in the words of TM
Forum's product inventory (TMF637 ``Product.productPrice``, each with its ``validFor``
period): the offering, quantity and bundle picks of one interval, the monthly recurring
price agreed for it and any one-time charge due on its first day. Intervals are
half-open (``valid_from <= t < valid_to``), follow one another without gaps or overlaps,
and are recorded when a change is *made*, whether it applies at once (an upgrade) or
later (a downgrade or bundle edit from the next billing period): a past period can
always be priced again exactly, and a change the scheduler applies later alters nothing
already recorded.

>>> from datetime import datetime, UTC
>>> from selfcare.core.money import Money
>>> c10 = ProductPrice(offering_id="bedrift_total_c_10gb", recurring=Money("449", "NOK"),
...                    valid_from=datetime(2025, 1, 1, tzinfo=UTC))
>>> e50 = ProductPrice(offering_id="bedrift_total_e_50gb", recurring=Money("649", "NOK"),
...                    valid_from=datetime(2026, 4, 10, 7, tzinfo=UTC))
>>> history = recorded((c10,), e50)
>>> [(p.offering_id, p.valid_to and p.valid_to.date()) for p in history]
[('bedrift_total_c_10gb', datetime.date(2026, 4, 10)), ('bedrift_total_e_50gb', None)]
>>> price_at(history, datetime(2026, 4, 9, tzinfo=UTC)).offering_id
'bedrift_total_c_10gb'
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import final

import attrs

from selfcare.catalog._fields import check_identifier, string_set
from selfcare.catalog.offerings import Offering
from selfcare.core.clock import require_aware, utc_field
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.money import Money

__all__ = [
    "ProductPrice",
    "closed_at",
    "offering_price",
    "price_at",
    "recorded",
]


def _offering_id(value: object) -> str:
    return check_identifier(value, "offering_id")


def _check_interval(instance: ProductPrice, _attribute: object, value: datetime | None) -> None:
    if value is not None and value < instance.valid_from:
        raise SelfcareError(
            Violation("inventory.invalid_interval", {"offering": instance.offering_id})
        )


def _money_or_none(
    _instance: object, attribute: attrs.Attribute[Money | None], value: object
) -> None:
    if value is not None and not isinstance(value, Money):
        msg = f"{attribute.name} must be Money or None, not {type(value).__name__}"
        raise TypeError(msg)
    if isinstance(value, Money) and value.amount < 0:
        raise SelfcareError(Violation("catalog.negative_price", {"field": attribute.name}))


def _positive(_instance: object, _attribute: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"quantity must be int, not {type(value).__name__}"
        raise TypeError(msg)
    if value < 1:
        raise SelfcareError(Violation("order.invalid_quantity", {"offering": "-"}))


@final
@attrs.frozen(kw_only=True)
class ProductPrice:
    """One interval of a product's history (TMF637 ``productPrice`` with ``validFor``).

    Attributes:
        offering_id: the offering the product was (or will be) in the interval.
        valid_from: the first instant (aware UTC).
        valid_to: the instant the next interval starts or the product ends, ``None``
            while open.
        recurring: the monthly recurring price agreed (TMF637 ``priceType``
            ``recurring``, per month), ``None`` for a free product.
        one_time: a one-time charge due on the interval's first day (the product's
            order, a plan change's fee), or ``None``.
        quantity: how many.
        bundle_items: the picks of a bundle in the interval.
        order_id: the order that started the interval (``None`` for one a scheduled
            change or the provisioning started).

    Raises:
        SelfcareError: ``inventory.invalid_interval`` (``valid_to`` before
            ``valid_from``), ``catalog.negative_price``, ``catalog.invalid_identifier``,
            ``order.invalid_quantity``.
        TypeError: a price that is not :class:`~selfcare.core.money.Money`.
    """

    offering_id: str = attrs.field(converter=_offering_id)
    valid_from: datetime = utc_field()
    valid_to: datetime | None = utc_field(optional=True, default=None, validator=_check_interval)
    recurring: Money | None = attrs.field(default=None, validator=_money_or_none)
    one_time: Money | None = attrs.field(default=None, validator=_money_or_none)
    quantity: int = attrs.field(default=1, validator=_positive)
    bundle_items: frozenset[str] = attrs.field(default=frozenset(), converter=string_set)
    order_id: str | None = None

    @classmethod
    def of(
        cls,
        offering: Offering,
        *,
        valid_from: datetime,
        quantity: int = 1,
        bundle_items: frozenset[str] = frozenset(),
        one_time: Money | None = None,
        order_id: str | None = None,
    ) -> ProductPrice:
        """An open interval from ``valid_from`` at ``offering``'s monthly price today
        (for ``quantity`` and ``bundle_items``, see :func:`offering_price`)."""
        return cls(
            offering_id=offering.id,
            valid_from=valid_from,
            recurring=offering_price(offering, quantity=quantity, bundle_items=bundle_items),
            one_time=one_time,
            quantity=quantity,
            bundle_items=bundle_items,
            order_id=order_id,
        )

    def applies_at(self, moment: datetime) -> bool:
        """Whether the interval holds ``moment``."""
        return self.valid_from <= moment and (self.valid_to is None or moment < self.valid_to)


def offering_price(
    offering: Offering, *, quantity: int = 1, bundle_items: frozenset[str] = frozenset()
) -> Money | None:
    """What a product of ``offering`` costs a month: a bundle by its pick count,
    otherwise the offering's monthly price times ``quantity``."""
    if offering.bundle is not None:
        return offering.bundle.price_for(len(bundle_items))
    monthly = offering.monthly_price
    return None if monthly is None else monthly * quantity


def recorded(history: Iterable[ProductPrice], price: ProductPrice) -> tuple[ProductPrice, ...]:
    """``history`` with ``price`` in force from ``price.valid_from``.

    The interval that holds that instant ends there; one that starts at the same
    instant is replaced (a second bundle edit for the next period replaces the first);
    intervals that start later (a change already scheduled) are kept, and ``price``
    ends where the first of them starts.

    Raises:
        SelfcareError: ``inventory.invalid_interval`` when ``price`` would end before it
            starts.
    """
    start = price.valid_from
    before: list[ProductPrice] = []
    after: list[ProductPrice] = []
    for interval in history:
        if interval.valid_from < start:
            ends = interval.valid_to
            before.append(
                attrs.evolve(interval, valid_to=start) if ends is None or ends > start else interval
            )
        elif interval.valid_from > start:
            after.append(interval)
    ends_at = after[0].valid_from if after else price.valid_to
    return (*before, attrs.evolve(price, valid_to=ends_at), *after)


def closed_at(history: Iterable[ProductPrice], end: datetime) -> tuple[ProductPrice, ...]:
    """``history`` as it is when the product ends at ``end``: intervals that start at or
    after ``end`` are dropped, the one that holds it ends there.

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    moment = require_aware(end, "end")
    kept = []
    for interval in history:
        if interval.valid_from >= moment:
            continue
        ends_later = interval.valid_to is None or interval.valid_to > moment
        kept.append(attrs.evolve(interval, valid_to=moment) if ends_later else interval)
    return tuple(kept)


def price_at(history: Iterable[ProductPrice], moment: datetime) -> ProductPrice | None:
    """The interval of ``history`` in force at ``moment``, or ``None``.

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    instant = require_aware(moment, "moment")
    for interval in history:
        if interval.applies_at(instant):
            return interval
    return None
