"""The inventory use cases of :class:`~selfcare.catalog.service.CatalogService`: what a
relationship has ("ordered services"), the published catalog, refusals worded for the
customer, cancellations and the scheduler's due changes.

They are written here, in a class :class:`~selfcare.catalog.service.CatalogService`
extends, so that neither module is too long to read; call them on ``app.catalog``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from selfcare.catalog.cancellation import (
    CancellationReceipt,
    CancellationRequest,
    already_ending_violations,
    cancellation_end,
    contact_for_written_request,
    needs_written_request,
    pending_termination,
)
from selfcare.catalog.dependencies import (
    BaseChange,
    dependants_of,
    dependent_product_violations,
)
from selfcare.catalog.eligibility import (
    EligibilityContext,
    inactive_relationship_violations,
    permission_violations,
)
from selfcare.catalog.events import (
    CancellationRequested,
    ScheduledChangeApplied,
    TerminationScheduled,
)
from selfcare.catalog.inventory import (
    ProductInstance,
    apply_due_change,
)
from selfcare.catalog.offerings import Catalog
from selfcare.catalog.ports import CatalogUnitOfWork
from selfcare.catalog.timing import OrderPolicy
from selfcare.catalog.wording import CatalogLabel, customer_messages
from selfcare.core.clock import Clock
from selfcare.core.decision import Violation
from selfcare.core.events import Event
from selfcare.core.ids import IdSource, RelationshipId
from selfcare.core.outcome import Done, Outcome, Refused

__all__ = ["InventoryUseCases", "termination_event"]


def termination_event(
    product: ProductInstance, end: datetime, *, order_id: str | None, now: datetime
) -> TerminationScheduled:
    return TerminationScheduled(
        occurred_at=now,
        relationship_id=product.relationship_id,
        order_id=order_id,
        product_id=product.id,
        effective_at=end,
    )


class InventoryUseCases:
    """The inventory half of :class:`~selfcare.catalog.service.CatalogService` (not built
    on its own)."""

    _uow: CatalogUnitOfWork
    _clock: Clock
    _ids: IdSource
    _policy: OrderPolicy
    _labels: tuple[CatalogLabel, ...]

    # ----------------------------------------------------------------------- inventory

    def products_of(self, relationship_id: RelationshipId) -> Outcome[tuple[ProductInstance, ...]]:
        """Every product of the relationship (terminated ones too), oldest first, each
        with its history (the telecom ordering guide's "ordered services" and billing read them).

        Returns:
            ``Done`` with the products (no events); it refuses nothing.
        """
        with self._uow as uow:
            return Done(tuple(uow.inventory.for_relationship(relationship_id)))

    def customer_messages(
        self, violations: Iterable[Violation], lang: str = "en"
    ) -> Outcome[tuple[str, ...]]:
        """The messages of a refusal's ``violations`` as the customer reads them in
        ``lang``: offerings by their display names, capabilities and groups by their
        labels (never ``tv_sport`` or ``capability:pay_tv_card``).

        Returns:
            ``Done`` with one message per violation (no events).
        """
        with self._uow as uow:
            catalog = uow.catalog.catalog()
        return Done(customer_messages(violations, catalog, lang, labels=self._labels))

    def published_catalog(self) -> Outcome[Catalog]:
        """Every offering of the catalog, in the order they were added.

        Returns:
            ``Done`` with the :class:`~selfcare.catalog.offerings.Catalog` (no events).
        """
        with self._uow as uow:
            return Done(uow.catalog.catalog())

    def cancel_service(
        self,
        product_id: str,
        context: EligibilityContext,
        *,
        contact_phone: str = "",
        contact_email: str = "",
        message: str = "",
        region: str = "FI",
    ) -> Outcome[CancellationReceipt]:
        """Cancel a service. One cancellable in the portal ends at the end of the
        billing period (not before its fixed term ends); one that needs a written
        request (the telecom ordering guide) produces a
        :class:`~selfcare.catalog.cancellation.CancellationRequest` for customer service
        with the customer's phone number (parsed in ``region``, stored in E.164) and
        e-mail address, and nothing is terminated.

        Returns:
            ``Done`` with the :class:`~selfcare.catalog.cancellation.CancellationReceipt`
            and :class:`~selfcare.catalog.events.TerminationScheduled` or
            :class:`~selfcare.catalog.events.CancellationRequested`, or ``Refused`` with
            ``order.unknown_product``, ``order.no_active_relationship``,
            ``order.permission_denied``, ``cancellation.already_ending``,
            ``cancellation.contact_required`` (no phone number or no e-mail address),
            the ``phone.*`` and ``email.*`` codes of an invalid one,
            ``order.dependent_products`` (add-ons need the product and its offering
            does not take them along; otherwise they end with it, listed in the
            receipt's ``dependants``).
        """
        now = self._clock.now()
        with self._uow as uow:
            product = uow.inventory.find(product_id)
            found = [*inactive_relationship_violations(context), *permission_violations(context)]
            if (
                product is None
                or product.relationship_id != context.relationship_id
                or not product.is_live_at(now)
            ):
                found.append(Violation("order.unknown_product", {"product": product_id[:64]}))
                return Refused.because(*found)
            found += already_ending_violations(product)
            if needs_written_request(uow.catalog.find(product.offering_id)):
                contact = contact_for_written_request(contact_phone, contact_email, region=region)
                if found or not contact.ok:
                    return Refused.because(*found, *contact.decision.violations)
                request = CancellationRequest(
                    id=self._ids.new_id(),
                    relationship_id=RelationshipId(product.relationship_id),
                    product_id=product.id,
                    offering_id=product.offering_id,
                    requested_at=now,
                    contact_phone=contact.value.phone,
                    contact_email=contact.value.email,
                    message=message,
                )
                requested = CancellationRequested(
                    occurred_at=now,
                    relationship_id=request.relationship_id,
                    request_id=request.id,
                    product_id=product.id,
                    offering_id=product.offering_id,
                )
                return Done(CancellationReceipt(request=request), [requested])
            live = {p.id: p for p in uow.inventory.for_relationship(product.relationship_id)}
            live = {key: p for key, p in live.items() if p.is_live_at(now)}
            catalog = uow.catalog.catalog()
            dependants = dependants_of([BaseChange(product=product)], live.values(), catalog)
            found += dependent_product_violations(dependants, live, catalog, removed=())
            if found:
                return Refused.because(*found)
            end = cancellation_end(product, now=now, policy=self._policy)
            ending = [product, *(live[key] for key in dependants)]
            ended: list[ProductInstance] = []
            events: list[Event] = []
            for each in ending:
                if each is not product and each.end is not None and each.end <= end:
                    continue  # ends by then anyway
                updated = pending_termination(each, end=end)
                uow.inventory.update(updated)
                ended.append(updated)
                events.append(termination_event(each, end, order_id=None, now=now))
            uow.commit()
            receipt = CancellationReceipt(product=ended[0], dependants=tuple(ended[1:]))
            return Done(receipt, events)

    def apply_due_changes(
        self, relationship_id: RelationshipId
    ) -> Outcome[tuple[ProductInstance, ...]]:
        """Apply every scheduled change of the relationship that is due now (run it at
        the turn of the billing period).

        Returns:
            ``Done`` with the changed products and one
            :class:`~selfcare.catalog.events.ScheduledChangeApplied` each; it refuses
            nothing.
        """
        now = self._clock.now()
        changed: list[ProductInstance] = []
        events: list[Event] = []
        with self._uow as uow:
            for product in uow.inventory.for_relationship(relationship_id):
                updated = apply_due_change(product, now=now)
                if updated is product or product.scheduled is None:
                    continue
                uow.inventory.update(updated)
                changed.append(updated)
                events.append(
                    ScheduledChangeApplied(
                        occurred_at=now,
                        relationship_id=product.relationship_id,
                        product_id=product.id,
                        kind=product.scheduled.kind,
                    )
                )
            uow.commit()
        return Done(tuple(changed), events)
