"""The catalog's use cases: quote, place and follow orders, change plans, edit bundles,
cancel services - one :class:`CatalogService`.

Each method opens the unit of work, loads through it, calls the pure rules of the topic
modules with the service clock's ``now``, saves and commits once, and returns an
:data:`~selfcare.core.outcome.Outcome`: ``Done`` with the value and the
:mod:`~selfcare.catalog.events` of what changed, or ``Refused`` with every reason. The
:class:`~selfcare.catalog.eligibility.EligibilityContext` comes from the caller (who
runs the permission check and knows the billing agreement); its ``products`` are
replaced with the relationship's products from the inventory, which is authoritative.

>>> from datetime import datetime, UTC
>>> from selfcare.bootstrap import bootstrap
>>> from selfcare.catalog.eligibility import EligibilityContext
>>> from selfcare.catalog.orders import OrderItem
>>> from selfcare.catalog.sample import sample_catalog
>>> from selfcare.core.decision import Decision
>>> from selfcare.testing.fakes import SequentialIds, SteppableClock
>>> app = bootstrap(clock=SteppableClock(datetime(2026, 3, 10, 12, tzinfo=UTC)),
...                 ids=SequentialIds("c"))
>>> with app.storage.catalog as uow:
...     for offering in sample_catalog().offerings:
...         uow.catalog.add(offering)
...     uow.commit()
>>> context = EligibilityContext(relationship_id="rel-1", relationship_active=True,
...     has_billing_agreement=True, permission=Decision.allow("grant:owner"))
>>> quote = app.catalog.quote_order(OrderItem.add("security_vpn"), context).unwrap()
>>> placed = app.catalog.place_order(quote, context, idempotency_key="k1")
>>> [event.name for event in placed.events]
['OrderPlaced', 'ProductOrdered']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import attrs

from selfcare.authz.ports import AccountDirectory
from selfcare.catalog.cancellation import pending_termination
from selfcare.catalog.confirmation import confirmation_lines
from selfcare.catalog.dependencies import (
    base_end,
)
from selfcare.catalog.eligibility import (
    EligibilityContext,
)
from selfcare.catalog.events import (
    OrderPlaced,
    OrderStateChanged,
    ProductActivated,
    ProductTerminated,
)
from selfcare.catalog.inventory import (
    Asset,
    ProductStatus,
    with_history,
)
from selfcare.catalog.inventory_use_cases import InventoryUseCases, termination_event
from selfcare.catalog.offerings import AssetKind, Catalog
from selfcare.catalog.orders import (
    OrderAction,
    OrderItem,
    OrderQuote,
    OrderState,
    ProductOrder,
    QuoteLine,
    check_order_transition,
    idempotency_conflict_violations,
    outdated_quote_violations,
)
from selfcare.catalog.placement import Placement, changed_product, new_product
from selfcare.catalog.ports import CatalogUnitOfWork
from selfcare.catalog.pricing import build_quote
from selfcare.catalog.timing import DEFAULT_POLICY, OrderPolicy
from selfcare.catalog.wording import CatalogLabel
from selfcare.core.clock import Clock
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.events import Event
from selfcare.core.ids import AccountId, IdSource
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.core.ports import next_version
from selfcare.identity.ports import Channel, MessageParam, Notifier, OutgoingMessage

__all__ = ["CatalogService"]


class CatalogService(InventoryUseCases):
    """The catalog's use cases over one unit of work, clock and id source.

    Args:
        uow: the catalog's unit of work.
        clock: the current time (every use case's ``now``).
        ids: new order, product and request ids.
        policy: when changes take effect (the operator's
            :class:`~selfcare.catalog.timing.OrderPolicy`).
        labels: what customers call the capabilities and groups prerequisites name
            (:class:`~selfcare.catalog.wording.CatalogLabel`), for
            :meth:`customer_messages`.
        notifier: receives the order confirmations (``catalog.order_confirmation``);
            ``None`` sends none.
        accounts: where the confirmation goes: the verified address and language of
            the account that placed the order (authz's
            :class:`~selfcare.authz.ports.AccountDirectory`).

    Thread safety: not safe to share between threads (it holds one unit of work); build
    one per thread or per call, as :class:`selfcare.aio.AsyncApp` does.
    """

    def __init__(
        self,
        *,
        uow: CatalogUnitOfWork,
        clock: Clock,
        ids: IdSource,
        policy: OrderPolicy = DEFAULT_POLICY,
        labels: Iterable[CatalogLabel] = (),
        notifier: Notifier | None = None,
        accounts: AccountDirectory | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self._policy = policy
        self._labels = tuple(labels)
        self._notifier = notifier
        self._accounts = accounts

    @property
    def policy(self) -> OrderPolicy:
        """The operator's timing rules the service applies."""
        return self._policy

    def _with_inventory(self, context: EligibilityContext) -> EligibilityContext:
        products = self._uow.inventory.for_relationship(context.relationship_id)
        return attrs.evolve(context, products=products)

    # ----------------------------------------------------------------------- orders

    def quote_order(
        self, items: OrderItem | Sequence[OrderItem], context: EligibilityContext
    ) -> Outcome[OrderQuote]:
        """The quote to show in the confirmation dialog; nothing is saved.

        Returns:
            ``Done`` with the :class:`~selfcare.catalog.orders.OrderQuote` (no events),
            or ``Refused`` with every code of
            :func:`~selfcare.catalog.eligibility.check_order`.
        """
        with self._uow as uow:
            return build_quote(
                items,
                self._with_inventory(context),
                catalog=uow.catalog.catalog(),
                now=self._clock.now(),
                policy=self._policy,
            )

    def place_order(
        self,
        quote: OrderQuote,
        context: EligibilityContext,
        *,
        idempotency_key: str,
        placed_by: AccountId | None = None,
    ) -> Outcome[ProductOrder]:
        """Place the order the customer confirmed (their OK on ``quote``).

        The order is checked again and re-priced now; if anything the customer saw
        changed, nothing is placed. A second call with the same ``idempotency_key`` for
        the same relationship returns the order already placed, with no events (a double
        submit places one order). With a notifier, the order confirmation
        (``catalog.order_confirmation``) goes to whoever placed it (``placed_by``), listing
        the new services with their links. New products are created ``pending_active``;
        removals, downgrades and bundle edits are scheduled for when they take effect;
        upgrades apply at once.

        Returns:
            ``Done`` with the :class:`~selfcare.catalog.orders.ProductOrder` and
            :class:`~selfcare.catalog.events.OrderPlaced` followed by one event per item,
            or ``Refused`` with ``order.relationship_mismatch`` (the quote is for another
            relationship than the context), ``order.idempotency_conflict``,
            ``order.quote_outdated``, ``asset.sim_in_use`` (activating a SIM card
            another subscription uses), or every code of
            :func:`~selfcare.catalog.eligibility.check_order`.
        """
        if quote.relationship_id != context.relationship_id:
            # the permission decision in the context was made for another relationship
            return Refused.because(Violation("order.relationship_mismatch", {}))
        now = self._clock.now()
        with self._uow as uow:
            placed = uow.orders.find_by_idempotency_key(quote.relationship_id, idempotency_key)
            if placed is not None:
                conflict = idempotency_conflict_violations(placed, quote.items)
                return Refused.because(*conflict) if conflict else Done(placed)
            catalog = uow.catalog.catalog()
            fresh = build_quote(
                quote.items,
                self._with_inventory(context),
                catalog=catalog,
                now=now,
                policy=self._policy,
            )
            if not fresh.ok:
                return fresh
            refusal = outdated_quote_violations(quote.lines, fresh.value.lines)
            refusal = refusal or self._sims_in_use(fresh.value.items, fresh.value.lines, now)
            if refusal:
                return Refused.because(*refusal)
            order = ProductOrder(
                id=self._ids.new_id(),
                relationship_id=quote.relationship_id,
                idempotency_key=idempotency_key,
                items=fresh.value.items,
                lines=fresh.value.lines,
                placed_at=now,
                placed_by=placed_by,
            )
            uow.orders.add(order)
            placement = Placement(order=order, now=now, policy=self._policy)
            events: list[Event] = [
                OrderPlaced(
                    occurred_at=now,
                    relationship_id=order.relationship_id,
                    order_id=order.id,
                    placed_by=placed_by,
                )
            ]
            for item, line in zip(order.items, order.lines, strict=True):
                events.append(self._apply(catalog, placement, item, line))
            events += self._end_with_their_base(order, catalog, now)
            uow.commit()
        self._send_confirmation(order, catalog)
        return Done(order, events)

    def _send_confirmation(self, order: ProductOrder, catalog: Catalog) -> None:
        """Hand the order confirmation to the notifier: to the verified address of
        whoever placed the order, in their language, listing the new services."""
        if self._notifier is None or self._accounts is None or order.placed_by is None:
            return
        contact = self._accounts.find(order.placed_by)
        if contact is None or contact.email is None:
            return
        lines = confirmation_lines(order, catalog, contact.language, zone=self._policy.timezone)
        if not lines:
            return
        params: dict[str, MessageParam] = {"order_id": order.id, "items": lines}
        if contact.first_name:
            params["given_names"] = contact.first_name
        self._notifier.send(
            OutgoingMessage(
                template="catalog.order_confirmation",
                channel=Channel.EMAIL,
                recipient=contact.email.value,
                language=contact.language,
                params=params,
            )
        )

    def _end_with_their_base(
        self, order: ProductOrder, catalog: Catalog, now: datetime
    ) -> list[Event]:
        """An add-on ordered on a product that is ending ends with it."""
        inventory = self._uow.inventory
        live = [p for p in inventory.for_relationship(order.relationship_id) if p.is_live_at(now)]
        events: list[Event] = []
        for product in inventory.for_order(order.id):
            end = base_end(product, live, catalog)
            if end is not None and (product.end is None or product.end > end):
                inventory.update(pending_termination(product, end=end))
                events.append(termination_event(product, end, order_id=order.id, now=now))
        return events

    def _sims_in_use(
        self, items: Sequence[OrderItem], lines: Sequence[QuoteLine], now: datetime
    ) -> tuple[Violation, ...]:
        """``asset.sim_in_use`` when an item activates a SIM card that another live
        product uses."""
        for item, line in zip(items, lines, strict=True):
            sim = item.asset
            if (
                item.action is not OrderAction.MODIFY
                or sim is None
                or sim.kind is not AssetKind.ICCID
            ):
                continue
            users = self._uow.inventory.for_asset(sim)
            if any(p.id != line.product_id and p.is_live_at(now) for p in users):
                return (Violation("asset.sim_in_use", {}),)
        return ()

    def _apply(
        self, catalog: Catalog, placement: Placement, item: OrderItem, line: QuoteLine
    ) -> Event:
        inventory = self._uow.inventory
        offering = catalog.find(line.offering_id)
        assert offering is not None  # noqa: S101 - the fresh quote vouches for it
        if item.action is OrderAction.ADD:
            added, event = new_product(
                placement, item, line, offering, product_id=self._ids.new_id()
            )
            inventory.add(added)
            return event
        stored = inventory.find(line.product_id or "")
        assert stored is not None  # noqa: S101 - the fresh quote vouches for it
        current = catalog.find(stored.offering_id)
        product = stored if current is None else with_history(stored, current)
        updated, event = changed_product(placement, item, line, product, offering)
        inventory.update(updated)
        return event

    def activate_sim(
        self,
        product_id: str,
        iccid: str,
        context: EligibilityContext,
        *,
        idempotency_key: str,
    ) -> Outcome[ProductOrder]:
        """Activate a new SIM card on a subscription (the corporate mobile guide's "activate a new
        SIM"): the ICCID printed on the card, checked with the Luhn algorithm, replaces the old
        SIM.

        Returns:
            ``Done`` with the order and its events (among them
            :class:`~selfcare.catalog.events.SimActivated`), or ``Refused`` with
            ``asset.invalid_iccid``, ``asset.sim_in_use`` and the codes of
            :meth:`place_order`.
        """
        try:
            sim = Asset.iccid(iccid)
        except SelfcareError as error:
            return Refused.because(*error.violations)
        return self._quote_and_place(
            OrderItem.modify(product_id, asset=sim), context, idempotency_key=idempotency_key
        )

    def change_plan(
        self,
        product_id: str,
        offering_id: str,
        context: EligibilityContext,
        *,
        idempotency_key: str,
    ) -> Outcome[ProductOrder]:
        """Quote and place a plan change in one step (for callers that already showed
        the customer the effect, e.g. with :meth:`quote_order`). An upgrade applies at
        once, a downgrade at the end of the billing period (per the policy).

        Returns:
            ``Done`` with the order and :class:`~selfcare.catalog.events.PlanChanged` or
            :class:`~selfcare.catalog.events.PlanChangeScheduled`, or ``Refused`` with
            the codes of :meth:`place_order`, among them ``plan_change.same_plan``,
            ``plan_change.not_a_plan``, ``plan_change.other_currency`` and
            ``plan_change.downgrade_in_commitment``.
        """
        return self._quote_and_place(
            OrderItem.change_plan(product_id, offering_id), context, idempotency_key=idempotency_key
        )

    def edit_bundle(
        self,
        product_id: str,
        bundle_items: Iterable[str],
        context: EligibilityContext,
        *,
        idempotency_key: str,
    ) -> Outcome[ProductOrder]:
        """Quote and place a new selection for a bundle (the telecom ordering guide's "Edit MIX
        package"); it takes effect from the next billing period by default.

        Returns:
            ``Done`` with the order and :class:`~selfcare.catalog.events.BundleEdited` or
            :class:`~selfcare.catalog.events.BundleEditScheduled`, or ``Refused`` with
            the codes of :meth:`place_order`, among them ``bundle.too_few_items``,
            ``bundle.too_many_items``, ``bundle.item_not_in_group``, ``bundle.unchanged``
            and ``bundle.not_a_bundle``.
        """
        return self._quote_and_place(
            OrderItem.edit_bundle(product_id, bundle_items),
            context,
            idempotency_key=idempotency_key,
        )

    def _quote_and_place(
        self, item: OrderItem, context: EligibilityContext, *, idempotency_key: str
    ) -> Outcome[ProductOrder]:
        quoted = self.quote_order(item, context)
        if not quoted.ok:
            return quoted
        return self.place_order(quoted.value, context, idempotency_key=idempotency_key)

    def advance_order(self, order_id: str, target: OrderState) -> Outcome[ProductOrder]:
        """Move an order on (fulfilment reports back): ``completed`` activates the
        products it created; ``failed`` and ``cancelled`` terminate them.

        Returns:
            ``Done`` with the order, :class:`~selfcare.catalog.events.OrderStateChanged`
            and one :class:`~selfcare.catalog.events.ProductActivated` or
            :class:`~selfcare.catalog.events.ProductTerminated` per product, or
            ``Refused`` with ``order.unknown_order`` or ``order.invalid_transition``.
        """
        now = self._clock.now()
        with self._uow as uow:
            order = uow.orders.find(order_id)
            if order is None:
                return Refused.because(Violation("order.unknown_order", {"order": order_id[:64]}))
            transition = check_order_transition(order.state, target)
            if not transition.allowed:
                return Refused(transition)
            updated = next_version(
                order, state=target, completed_at=now if target.is_final else None
            )
            uow.orders.update(updated)
            events: list[Event] = [
                OrderStateChanged(
                    occurred_at=now,
                    relationship_id=order.relationship_id,
                    order_id=order.id,
                    from_state=order.state,
                    to_state=target,
                )
            ]
            if target.is_final:
                events += self._settle_products(order, target, now)
            uow.commit()
            return Done(updated, events)

    def _settle_products(
        self, order: ProductOrder, target: OrderState, now: datetime
    ) -> list[Event]:
        completed = target is OrderState.COMPLETED
        events: list[Event] = []
        for product in self._uow.inventory.for_order(order.id):
            if product.status is not ProductStatus.PENDING_ACTIVE:
                continue
            rel = order.relationship_id
            if completed:
                self._uow.inventory.update(next_version(product, status=ProductStatus.ACTIVE))
                events.append(
                    ProductActivated(
                        occurred_at=now,
                        relationship_id=rel,
                        order_id=order.id,
                        product_id=product.id,
                    )
                )
            else:
                # Nothing was supplied: the product leaves no price in the history.
                ended = next_version(product, status=ProductStatus.TERMINATED, end=now, prices=())
                self._uow.inventory.update(ended)
                events.append(
                    ProductTerminated(
                        occurred_at=now,
                        relationship_id=rel,
                        order_id=order.id,
                        product_id=product.id,
                    )
                )
        return events
