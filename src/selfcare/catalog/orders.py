"""Orders: their items, the quote the customer confirms, placed orders and their states.

The vocabulary follows TM Forum's product ordering model (TMF622) in snake_case: a
:class:`ProductOrder` carries :class:`OrderItem` values, each with an
:class:`OrderAction`; the :class:`OrderQuote` (one :class:`QuoteLine` per item) is what
the confirmation dialog shows before anything is placed. An order moves through the
:class:`OrderState` values by :func:`check_order_transition`.

>>> OrderItem.change_plan("plan-1", "bedrift_total_e_50gb").action
<OrderAction.CHANGE_PLAN: 'change_plan'>
>>> check_order_transition(OrderState.ACKNOWLEDGED, OrderState.COMPLETED).codes
('order.invalid_transition',)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Final, final

import attrs

from selfcare.catalog._fields import string_set
from selfcare.catalog.inventory import Asset
from selfcare.catalog.offerings import LocalizedText
from selfcare.core.clock import utc_field
from selfcare.core.decision import Decision, Violation
from selfcare.core.ids import AccountId, RelationshipId
from selfcare.core.money import Currency, Money

__all__ = [
    "OrderAction",
    "OrderItem",
    "OrderQuote",
    "OrderState",
    "ProductOrder",
    "QuoteLine",
    "check_order_transition",
    "idempotency_conflict_violations",
    "outdated_quote_violations",
]


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
    bundle_items: frozenset[str] = attrs.field(default=frozenset(), converter=string_set)

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
            bundle_items=string_set(bundle_items),
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
            bundle_items=string_set(bundle_items),
        )

    @classmethod
    def modify(cls, product_id: str, *, asset: Asset | None = None, quantity: int = 1) -> OrderItem:
        """An item that changes the asset or quantity of ``product_id`` (e.g. a new SIM)."""
        return cls(action=OrderAction.MODIFY, product_id=product_id, asset=asset, quantity=quantity)


@final
@attrs.frozen(kw_only=True)
class QuoteLine:
    """What one order item does, as shown in the confirmation dialog (the corporate mobile guide):
    the product, the phone number or other asset it applies to, the price effect and when
    it takes effect. ``monthly_change`` is the change of the monthly charge (negative
    for a removal or a downgrade); ``monthly_price`` the product's monthly price once
    the item takes effect (``None`` for a removal or a free product); ``one_time`` a
    one-time charge."""

    item_index: int
    action: OrderAction
    offering_id: str
    product_name: LocalizedText
    product_id: str | None = None
    asset: Asset | None = None
    quantity: int = 1
    monthly_change: Money | None = None
    one_time: Money | None = None
    effective_at: datetime = utc_field()
    group: str
    monthly_price: Money | None = None
    usage_note: LocalizedText | None = None


def _item_tuple(value: Iterable[OrderItem]) -> tuple[OrderItem, ...]:
    return tuple(value)


def _line_tuple(value: Iterable[QuoteLine]) -> tuple[QuoteLine, ...]:
    return tuple(value)


@final
@attrs.frozen(kw_only=True)
class OrderQuote:
    """The priced order awaiting the customer's OK. Nothing is placed until it is
    confirmed with :meth:`~selfcare.catalog.service.CatalogService.place_order`."""

    relationship_id: RelationshipId
    items: tuple[OrderItem, ...] = attrs.field(converter=_item_tuple)
    lines: tuple[QuoteLine, ...] = attrs.field(converter=_line_tuple)
    quoted_at: datetime = utc_field()

    def monthly_totals(self) -> Mapping[Currency, Money]:
        """The change of the monthly charges, per currency."""
        return _totals(line.monthly_change for line in self.lines)

    def one_time_totals(self) -> Mapping[Currency, Money]:
        """The one-time charges, per currency."""
        return _totals(line.one_time for line in self.lines)

    def summary(self, lang: str = "en") -> tuple[str, ...]:
        """One line per item for a confirmation dialog (the corporate mobile guide's OK / cancel):
        what is done, the product, the phone number or other asset, the monthly price effect and
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
    placed_at: datetime = utc_field()
    placed_by: AccountId | None = None
    completed_at: datetime | None = utc_field(optional=True, default=None)
    version: int = 1


# --------------------------------------------------------------------------- rules


_ORDER_TRANSITIONS: Final = {
    OrderState.ACKNOWLEDGED: {OrderState.IN_PROGRESS, OrderState.CANCELLED, OrderState.FAILED},
    OrderState.IN_PROGRESS: {OrderState.COMPLETED, OrderState.FAILED, OrderState.CANCELLED},
}


def check_order_transition(state: OrderState, target: OrderState) -> Decision:
    """Whether an order may move from ``state`` to ``target`` (TMF622: acknowledged ->
    in_progress -> completed | failed | cancelled).

    Returns:
        A refusal with ``order.invalid_transition`` for any other move.
    """
    if target in _ORDER_TRANSITIONS.get(state, set()):
        return Decision.allow()
    return Decision.deny(
        Violation("order.invalid_transition", {"state": state.value, "target": target.value})
    )


def _offer(line: QuoteLine) -> tuple[object, ...]:
    # What the customer agreed to; the effective time and the texts may move on.
    return (
        line.action,
        line.offering_id,
        line.product_id,
        line.asset,
        line.quantity,
        line.monthly_change,
        line.one_time,
    )


def outdated_quote_violations(
    shown: Sequence[QuoteLine], fresh: Sequence[QuoteLine]
) -> tuple[Violation, ...]:
    """``order.quote_outdated`` when re-pricing an order gives another offer than the
    customer saw (another product, asset, quantity or price)."""
    if [_offer(line) for line in shown] != [_offer(line) for line in fresh]:
        return (Violation("order.quote_outdated", {}),)
    return ()


def idempotency_conflict_violations(
    placed: ProductOrder, items: Sequence[OrderItem]
) -> tuple[Violation, ...]:
    """``order.idempotency_conflict`` when an idempotency key already placed an order
    with other items."""
    if tuple(placed.items) != tuple(items):
        return (Violation("order.idempotency_conflict", {}),)
    return ()
