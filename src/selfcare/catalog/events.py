"""Events of the catalog: what placing, fulfilling, changing and cancelling changed.

Every state-changing method of :class:`~selfcare.catalog.service.CatalogService`
returns them in its :class:`~selfcare.core.outcome.Done` (or
:class:`~selfcare.core.outcome.Refused`); each names the customer relationship it
concerns, so an integrator can keep an audit trail or an outbox per customer. They hold
ids and facts only: no contact details, no messages.

>>> from datetime import datetime, UTC
>>> event = OrderPlaced(occurred_at=datetime(2026, 3, 10, tzinfo=UTC),
...     relationship_id="rel-1", order_id="o-1", placed_by=None)
>>> event.name
'OrderPlaced'
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import attrs

from selfcare.catalog._fields import string_set
from selfcare.catalog.inventory import ScheduledChangeKind
from selfcare.catalog.orders import OrderState
from selfcare.core.clock import utc_field
from selfcare.core.events import Event
from selfcare.core.ids import AccountId, RelationshipId

__all__ = [
    "BundleEditScheduled",
    "BundleEdited",
    "CancellationRequested",
    "CatalogEvent",
    "OrderPlaced",
    "OrderStateChanged",
    "PlanChangeScheduled",
    "PlanChanged",
    "ProductActivated",
    "ProductModified",
    "ProductOrdered",
    "ProductTerminated",
    "ScheduledChangeApplied",
    "SimActivated",
    "TerminationScheduled",
]


@attrs.frozen(kw_only=True)
class CatalogEvent(Event):
    """The base of the catalog's events.

    Attributes:
        relationship_id: the customer relationship whose products or orders changed.
    """

    abstract: ClassVar[bool] = True

    relationship_id: RelationshipId


@attrs.frozen(kw_only=True)
class OrderPlaced(CatalogEvent):
    """An order was placed (the customer's OK on a quote)."""

    order_id: str
    placed_by: AccountId | None


@attrs.frozen(kw_only=True)
class ProductOrdered(CatalogEvent):
    """A placed order created a product, pending activation until fulfilment."""

    order_id: str
    product_id: str
    offering_id: str


@attrs.frozen(kw_only=True)
class SimActivated(CatalogEvent):
    """A new SIM card now serves a subscription (the old one no longer does)."""

    order_id: str
    product_id: str


@attrs.frozen(kw_only=True)
class ProductModified(CatalogEvent):
    """A product's quantity or asset changed."""

    order_id: str
    product_id: str
    quantity: int


@attrs.frozen(kw_only=True)
class PlanChanged(CatalogEvent):
    """A plan moved to another offering at once (an upgrade, by default)."""

    order_id: str | None
    product_id: str
    from_offering_id: str
    to_offering_id: str


@attrs.frozen(kw_only=True)
class PlanChangeScheduled(CatalogEvent):
    """A plan will move to another offering at ``effective_at`` (a downgrade, by default)."""

    order_id: str
    product_id: str
    to_offering_id: str
    effective_at: datetime = utc_field()


@attrs.frozen(kw_only=True)
class BundleEdited(CatalogEvent):
    """A bundle's picks changed."""

    order_id: str | None
    product_id: str
    bundle_items: frozenset[str] = attrs.field(converter=string_set)


@attrs.frozen(kw_only=True)
class BundleEditScheduled(CatalogEvent):
    """A bundle's picks will change at ``effective_at`` (the next billing period)."""

    order_id: str
    product_id: str
    bundle_items: frozenset[str] = attrs.field(converter=string_set)
    effective_at: datetime = utc_field()


@attrs.frozen(kw_only=True)
class TerminationScheduled(CatalogEvent):
    """A product will end at ``effective_at`` (a removal in an order, ``order_id``, or a
    cancellation in the portal, without one)."""

    order_id: str | None
    product_id: str
    effective_at: datetime = utc_field()


@attrs.frozen(kw_only=True)
class CancellationRequested(CatalogEvent):
    """A written cancellation request for customer service was made; nothing ended."""

    request_id: str
    product_id: str
    offering_id: str


@attrs.frozen(kw_only=True)
class OrderStateChanged(CatalogEvent):
    """Fulfilment moved an order from ``from_state`` to ``to_state``."""

    order_id: str
    from_state: OrderState
    to_state: OrderState


@attrs.frozen(kw_only=True)
class ProductActivated(CatalogEvent):
    """A completed order activated the product it created."""

    order_id: str
    product_id: str


@attrs.frozen(kw_only=True)
class ProductTerminated(CatalogEvent):
    """A product ended: its order failed or was cancelled (``order_id``), or a scheduled
    termination took effect."""

    order_id: str | None
    product_id: str


@attrs.frozen(kw_only=True)
class ScheduledChangeApplied(CatalogEvent):
    """A scheduled change of ``kind`` took effect (a plan change, a bundle edit or a
    termination)."""

    product_id: str
    kind: ScheduledChangeKind
