"""Cancellation: when a service ends, and when it can only be cancelled in writing.

A service cancellable in the portal ends at the end of the current billing period (or
at once, per :class:`~selfcare.catalog.timing.OrderPolicy`), never before its fixed-term
commitment ends. One that needs a written request (the telecom ordering guide) is not ended by the
portal: a :class:`CancellationRequest` for customer service is produced instead, with
the customer's phone number and e-mail address.

>>> from datetime import datetime, UTC
>>> from selfcare.catalog.inventory import ProductInstance, ProductStatus
>>> vpn = ProductInstance(id="p-1", offering_id="security_vpn", relationship_id="rel-1",
...                       status=ProductStatus.ACTIVE)
>>> cancellation_end(vpn, now=datetime(2026, 3, 10, tzinfo=UTC)).isoformat()
'2026-03-31T21:00:00+00:00'
"""

from __future__ import annotations

from datetime import datetime
from typing import final

import attrs

from selfcare.catalog.history import closed_at
from selfcare.catalog.inventory import (
    ProductInstance,
    ProductStatus,
    ScheduledChange,
    ScheduledChangeKind,
)
from selfcare.catalog.offerings import CancellationMethod, Offering
from selfcare.catalog.timing import DEFAULT_POLICY, OrderPolicy, effective_at
from selfcare.core.clock import utc_field
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import RelationshipId
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.core.ports import next_version

__all__ = [
    "CancellationReceipt",
    "CancellationRequest",
    "ContactDetails",
    "already_ending_violations",
    "cancellation_end",
    "contact_for_written_request",
    "in_writing_violations",
    "needs_written_request",
    "pending_termination",
]


@final
@attrs.frozen(kw_only=True)
class CancellationRequest:
    """A written cancellation for customer service (the telecom ordering guide): what to cancel and
    how to reach the customer. Producing one terminates nothing."""

    id: str
    relationship_id: RelationshipId
    product_id: str
    offering_id: str
    requested_at: datetime = utc_field()
    contact_phone: str
    contact_email: str
    message: str = ""


@final
@attrs.frozen(kw_only=True)
class CancellationReceipt:
    """What :meth:`~selfcare.catalog.service.CatalogService.cancel_service` did: either
    ``product`` (now pending termination at ``product.end``, with the ``dependants``
    - the add-ons that need it - ending with it) or a ``request`` for customer
    service, and then nothing ended."""

    product: ProductInstance | None = None
    request: CancellationRequest | None = None
    dependants: tuple[ProductInstance, ...] = ()


@final
@attrs.frozen
class ContactDetails:
    """A phone number (E.164) and an e-mail address to reach the customer at."""

    phone: str
    email: str


def cancellation_end(
    product: ProductInstance, *, now: datetime, policy: OrderPolicy = DEFAULT_POLICY
) -> datetime:
    """When a portal cancellation made at ``now`` ends ``product``: at the end of the
    current billing period (or at once, if the policy says so), never before its
    fixed-term commitment ends."""
    end = effective_at(policy.cancellation, now=now, policy=policy)
    if product.commitment_end is not None and product.commitment_end > end:
        return product.commitment_end
    return end


def needs_written_request(offering: Offering | None) -> bool:
    """Whether cancelling a product of ``offering`` takes a written request (so does one
    whose offering has left the catalog: customer service decides)."""
    return offering is None or offering.cancellation is CancellationMethod.WRITTEN_REQUEST


def pending_termination(product: ProductInstance, *, end: datetime) -> ProductInstance:
    """``product`` pending termination at ``end`` (version bumped), its history closed
    there (a change scheduled for later will not happen)."""
    change = ScheduledChange(kind=ScheduledChangeKind.TERMINATE, effective_at=end)
    return next_version(
        product,
        status=ProductStatus.PENDING_TERMINATE,
        end=end,
        scheduled=change,
        prices=closed_at(product.prices, end),
    )


# --------------------------------------------------------------------------- rules


def in_writing_violations(offering: Offering) -> tuple[Violation, ...]:
    """``order.cancellation_in_writing`` when removing a product of ``offering`` in an
    order, although it can only be cancelled in writing."""
    if offering.cancellation is CancellationMethod.WRITTEN_REQUEST:
        return (Violation("order.cancellation_in_writing", {"offering": offering.id}),)
    return ()


def already_ending_violations(product: ProductInstance) -> tuple[Violation, ...]:
    """``cancellation.already_ending`` when ``product`` is already being cancelled."""
    if product.status is ProductStatus.PENDING_TERMINATE:
        return (Violation("cancellation.already_ending", {"product": product.offering_id}),)
    return ()


def contact_for_written_request(
    phone: str, email: str, *, region: str = "FI"
) -> Outcome[ContactDetails]:
    """The contact details of a written request, parsed (the phone number in
    ``region``).

    Returns:
        ``Done`` with the details, or ``Refused`` with ``cancellation.contact_required``
        when either is missing, else the ``phone.*`` and ``email.*`` codes of an
        invalid one.
    """
    from selfcare.identity.contact import EmailAddress, PhoneNumber  # noqa: PLC0415

    if not phone.strip() or not email.strip():
        return Refused.because(Violation("cancellation.contact_required", {}))
    found: list[Violation] = []
    parsed_phone = parsed_email = ""
    try:
        parsed_phone = PhoneNumber.parse(phone, region).e164
    except SelfcareError as error:
        found.extend(error.violations)
    try:
        parsed_email = str(EmailAddress.parse(email))
    except SelfcareError as error:
        found.extend(error.violations)
    if found:
        return Refused.because(*found)
    return Done(ContactDetails(parsed_phone, parsed_email))
