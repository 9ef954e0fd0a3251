"""The portal's lists of services: what a customer can order (the corporate mobile guide's
"available services") and what they have (the telecom ordering guide's "ordered services").

>>> from datetime import datetime, UTC
>>> from selfcare.catalog.eligibility import EligibilityContext
>>> from selfcare.catalog.sample import sample_catalog
>>> from selfcare.core.decision import Decision
>>> context = EligibilityContext(relationship_id="rel-1", relationship_active=True,
...     has_billing_agreement=True, permission=Decision.allow())
>>> rows = available_services(context, catalog=sample_catalog(),
...     now=datetime(2026, 3, 10, tzinfo=UTC), group="security")
>>> [(row.offering.id, row.state.value) for row in rows][:2]
[('security_total', 'orderable'), ('security_basic', 'orderable')]
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from typing import final

import attrs

from selfcare.catalog.eligibility import EligibilityContext, check_order
from selfcare.catalog.inventory import (
    Asset,
    ProductInstance,
    ProductStatus,
    ScheduledChange,
)
from selfcare.catalog.offerings import CancellationMethod, Catalog, Offering
from selfcare.catalog.orders import OrderItem
from selfcare.core.clock import require_aware
from selfcare.core.decision import Decision

__all__ = [
    "AvailableService",
    "OrderedService",
    "ServiceState",
    "available_services",
    "ordered_services",
]


class ServiceState(enum.StrEnum):
    """What the corporate mobile guide's "available services" list shows beside a service."""

    ORDERABLE = "orderable"
    ORDERED = "ordered"
    NOT_ORDERABLE = "not_orderable"


@final
@attrs.frozen(kw_only=True)
class AvailableService:
    """One row of the "available services" list: the offering, its state, and the
    decision that explains a ``not_orderable`` state."""

    offering: Offering
    state: ServiceState
    decision: Decision


def available_services(
    context: EligibilityContext,
    *,
    catalog: Catalog,
    now: datetime,
    group: str,
    asset: Asset | None = None,
) -> tuple[AvailableService, ...]:
    """The corporate mobile guide's list of services for a subscription: each orderable offering of
    ``group`` with an "order" action (``orderable``), "ordered" when the customer already
    has it on ``asset``, or ``not_orderable`` with the refusal that says why. Offerings
    that cannot be ordered at ``now`` at all (retired, outside their window) are left out.

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    live = [p for p in context.products if p.is_live_at(moment)]
    rows = []
    for offering in catalog.in_group(group):
        if not offering.is_orderable(moment):
            continue
        held = any(
            p.offering_id == offering.id and (asset is None or p.asset in (None, asset))
            for p in live
        )
        item = OrderItem.add(offering.id, asset=asset if offering.asset_kind else None)
        decision = check_order(item, context, catalog=catalog, now=moment)
        if held:
            state = ServiceState.ORDERED
        elif decision.allowed:
            state = ServiceState.ORDERABLE
        else:
            state = ServiceState.NOT_ORDERABLE
        rows.append(AvailableService(offering=offering, state=state, decision=decision))
    return tuple(rows)


@final
@attrs.frozen(kw_only=True)
class OrderedService:
    """One row of the telecom ordering guide's "ordered services" view."""

    product_id: str
    offering_id: str
    name: str
    asset: str | None
    status: ProductStatus
    start: datetime | None
    end: datetime | None
    until_further_notice: bool
    cancellable_in_portal: bool
    pending_change: ScheduledChange | None


def ordered_services(
    products: Iterable[ProductInstance],
    catalog: Catalog,
    *,
    now: datetime,
    lang: str = "en",
) -> tuple[OrderedService, ...]:
    """The customer's services with their start and end dates, oldest first: every
    product that is not terminated and has not ended at ``now``. The end is the
    cancellation end if the product is ending, else the end of a fixed term, else
    ``None`` ("until further notice").

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    rows = []
    for product in products:
        if not product.is_live_at(moment):
            continue
        offering = catalog.find(product.offering_id)
        end = product.end or product.commitment_end
        rows.append(
            OrderedService(
                product_id=product.id,
                offering_id=product.offering_id,
                name=offering.names.get(lang) if offering else product.offering_id,
                asset=None if product.asset is None else product.asset.value,
                status=product.status,
                start=product.start,
                end=end,
                until_further_notice=end is None,
                cancellable_in_portal=offering is not None
                and offering.cancellation is CancellationMethod.PORTAL,
                pending_change=product.scheduled,
            )
        )
    rows.sort(key=lambda r: (r.start is None, r.start or moment, r.product_id))
    return tuple(rows)
