"""Use cases of the catalog: quote, place and follow orders, change plans, edit bundles,
cancel services.

Each takes a :class:`~selfcare.catalog.ports.CatalogUnitOfWork`, loads through it,
calls the pure rules of :mod:`selfcare.catalog.rules`, saves and commits once. The
:class:`~selfcare.catalog.rules.EligibilityContext` comes from the caller (who runs the
permission check and knows the billing agreement); its ``products`` are replaced with
the relationship's products from the inventory, which is authoritative.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import final

import attrs

from selfcare.catalog.model import (
    AssetKind,
    CancellationMethod,
    CancellationRequest,
    Catalog,
    OrderAction,
    OrderItem,
    OrderQuote,
    OrderState,
    ProductInstance,
    ProductOrder,
    ProductStatus,
    QuoteLine,
    ScheduledChange,
    ScheduledChangeKind,
)
from selfcare.catalog.ports import CatalogUnitOfWork
from selfcare.catalog.rules import (
    DEFAULT_POLICY,
    EligibilityContext,
    OrderPolicy,
    apply_due_change,
    build_quote,
    cancellation_end,
    check_order_transition,
    commitment_end,
)
from selfcare.core.clock import require_aware
from selfcare.core.decision import Violation
from selfcare.core.errors import NotFound, SelfcareError
from selfcare.core.ids import AccountId, IdSource, RelationshipId
from selfcare.core.ports import bump

__all__ = [
    "CancellationOutcome",
    "activate_sim",
    "advance_order",
    "apply_due_changes",
    "cancel_service",
    "change_plan",
    "edit_bundle",
    "place_order",
    "quote_order",
]


def _with_inventory(uow: CatalogUnitOfWork, context: EligibilityContext) -> EligibilityContext:
    products = uow.inventory.for_relationship(context.relationship_id)
    return attrs.evolve(context, products=products)


def quote_order(
    uow: CatalogUnitOfWork,
    items: OrderItem | Sequence[OrderItem],
    context: EligibilityContext,
    *,
    now: datetime,
    policy: OrderPolicy = DEFAULT_POLICY,
) -> OrderQuote:
    """The quote to show in the confirmation dialog; nothing is saved.

    Raises:
        SelfcareError: every code of :func:`selfcare.catalog.rules.check_order`;
            ``time.naive_datetime``.
    """
    with uow:
        return build_quote(
            items,
            _with_inventory(uow, context),
            catalog=uow.catalog.catalog(),
            now=now,
            policy=policy,
        )


def _same_offer(old: Sequence[QuoteLine], new: Sequence[QuoteLine]) -> bool:
    def key(line: QuoteLine) -> tuple[object, ...]:
        return (
            line.action,
            line.offering_id,
            line.product_id,
            line.asset,
            line.quantity,
            line.monthly_change,
            line.one_time,
        )

    return [key(line) for line in old] == [key(line) for line in new]


def place_order(
    uow: CatalogUnitOfWork,
    quote: OrderQuote,
    context: EligibilityContext,
    *,
    idempotency_key: str,
    ids: IdSource,
    now: datetime,
    placed_by: AccountId | None = None,
    policy: OrderPolicy = DEFAULT_POLICY,
) -> ProductOrder:
    """Place the order the customer confirmed (their OK on ``quote``).

    The order is checked again and re-priced at ``now``; if anything the customer saw
    changed, nothing is placed. A second call with the same ``idempotency_key`` for
    the same relationship returns the order already placed (a double submit places one
    order). New products are created ``pending_active``; removals, downgrades and
    bundle edits are scheduled for when they take effect; upgrades apply at once.

    Raises:
        SelfcareError: ``order.quote_outdated``, ``order.idempotency_conflict``,
            ``asset.sim_in_use`` (activating a SIM card another subscription uses),
            ``order.relationship_mismatch`` (the quote is for another relationship than
            the context), every
            code of :func:`selfcare.catalog.rules.check_order`; ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    if quote.relationship_id != context.relationship_id:
        # the permission decision in the context was made for another relationship
        raise SelfcareError(Violation("order.relationship_mismatch", {}))
    with uow:
        existing = uow.orders.by_idempotency_key(quote.relationship_id, idempotency_key)
        if existing is not None:
            if existing.items != quote.items:
                raise SelfcareError(Violation("order.idempotency_conflict", {}))
            return existing
        catalog = uow.catalog.catalog()
        fresh = build_quote(
            quote.items,
            _with_inventory(uow, context),
            catalog=catalog,
            now=moment,
            policy=policy,
        )
        if not _same_offer(quote.lines, fresh.lines):
            raise SelfcareError(Violation("order.quote_outdated", {}))
        order = ProductOrder(
            id=ids.new_id(),
            relationship_id=quote.relationship_id,
            idempotency_key=idempotency_key,
            items=fresh.items,
            lines=fresh.lines,
            placed_at=moment,
            placed_by=placed_by,
        )
        uow.orders.add(order)
        for item, line in zip(fresh.items, fresh.lines, strict=True):
            _apply(uow, catalog, order, item, line, ids=ids, now=moment, policy=policy)
        uow.commit()
        return order


def _apply(
    uow: CatalogUnitOfWork,
    catalog: Catalog,
    order: ProductOrder,
    item: OrderItem,
    line: QuoteLine,
    *,
    ids: IdSource,
    now: datetime,
    policy: OrderPolicy,
) -> None:
    offering = catalog.get(line.offering_id)
    assert offering is not None  # noqa: S101 - the fresh quote vouches for it
    if item.action is OrderAction.ADD:
        uow.inventory.add(
            ProductInstance(
                id=ids.new_id(),
                offering_id=offering.id,
                relationship_id=order.relationship_id,
                status=ProductStatus.PENDING_ACTIVE,
                asset=item.asset,
                quantity=item.quantity,
                start=line.effective_at,
                commitment_end=commitment_end(offering, line.effective_at, policy),
                term=offering.term,
                bundle_items=item.bundle_items,
                order_id=order.id,
            )
        )
        return
    product = uow.inventory.get(line.product_id or "")
    assert product is not None  # noqa: S101 - the fresh quote vouches for it
    due = line.effective_at <= now
    if item.action is OrderAction.REMOVE:
        change = ScheduledChange(kind=ScheduledChangeKind.TERMINATE, effective_at=line.effective_at)
        updated = bump(
            product, status=ProductStatus.PENDING_TERMINATE, end=line.effective_at, scheduled=change
        )
    elif item.action is OrderAction.CHANGE_PLAN and due:
        new_end = commitment_end(offering, now, policy)
        keep = product.commitment_end
        updated = bump(
            product,
            offering_id=offering.id,
            term=offering.term,
            commitment_end=max((d for d in (keep, new_end) if d is not None), default=None),
        )
    elif item.action is OrderAction.CHANGE_PLAN:
        change = ScheduledChange(
            kind=ScheduledChangeKind.CHANGE_PLAN,
            effective_at=line.effective_at,
            offering_id=offering.id,
        )
        updated = bump(product, scheduled=change)
    elif item.action is OrderAction.EDIT_BUNDLE and due:
        updated = bump(product, bundle_items=item.bundle_items)
    elif item.action is OrderAction.EDIT_BUNDLE:
        change = ScheduledChange(
            kind=ScheduledChangeKind.EDIT_BUNDLE,
            effective_at=line.effective_at,
            bundle_items=item.bundle_items,
        )
        updated = bump(product, scheduled=change)
    elif item.asset is not None and item.asset.kind is AssetKind.ICCID:
        in_use = [
            p
            for p in uow.inventory.by_asset(item.asset)
            if p.id != product.id and p.is_live_at(now)
        ]
        if in_use:
            raise SelfcareError(Violation("asset.sim_in_use", {}))
        updated = bump(product, sim=item.asset, quantity=item.quantity)
    else:
        updated = bump(product, asset=item.asset or product.asset, quantity=item.quantity)
    uow.inventory.update(updated)


def activate_sim(
    uow: CatalogUnitOfWork,
    product_id: str,
    iccid: str,
    context: EligibilityContext,
    *,
    idempotency_key: str,
    ids: IdSource,
    now: datetime,
) -> ProductOrder:
    """Activate a new SIM card on a subscription (seed 004's "activate a new SIM"): the
    ICCID printed on the card, checked with the Luhn algorithm, replaces the old SIM.

    Raises:
        SelfcareError: ``asset.invalid_iccid``, ``asset.sim_in_use``, and the codes of
            :func:`place_order`.
    """
    from selfcare.catalog.model import Asset  # noqa: PLC0415

    item = OrderItem.modify(product_id, asset=Asset.iccid(iccid))
    quote = quote_order(uow, item, context, now=now)
    return place_order(uow, quote, context, idempotency_key=idempotency_key, ids=ids, now=now)


def change_plan(
    uow: CatalogUnitOfWork,
    product_id: str,
    offering_id: str,
    context: EligibilityContext,
    *,
    idempotency_key: str,
    ids: IdSource,
    now: datetime,
    policy: OrderPolicy = DEFAULT_POLICY,
) -> ProductOrder:
    """Quote and place a plan change in one step (for callers that already showed the
    customer the effect, e.g. with :func:`quote_order`). An upgrade applies at once, a
    downgrade at the end of the billing period (per ``policy``).

    Raises:
        SelfcareError: the codes of :func:`place_order`, among them
            ``plan_change.same_plan``, ``plan_change.not_a_plan`` and
            ``plan_change.downgrade_in_commitment``.
    """
    item = OrderItem.change_plan(product_id, offering_id)
    quote = quote_order(uow, item, context, now=now, policy=policy)
    return place_order(
        uow, quote, context, idempotency_key=idempotency_key, ids=ids, now=now, policy=policy
    )


def edit_bundle(
    uow: CatalogUnitOfWork,
    product_id: str,
    bundle_items: Sequence[str] | frozenset[str],
    context: EligibilityContext,
    *,
    idempotency_key: str,
    ids: IdSource,
    now: datetime,
    policy: OrderPolicy = DEFAULT_POLICY,
) -> ProductOrder:
    """Quote and place a new selection for a bundle (seed 002's "Edit MIX package"); it
    takes effect from the next billing period by default.

    Raises:
        SelfcareError: the codes of :func:`place_order`, among them
            ``bundle.too_few_items``, ``bundle.too_many_items``,
            ``bundle.item_not_in_group``, ``bundle.unchanged`` and ``bundle.not_a_bundle``.
    """
    item = OrderItem.edit_bundle(product_id, bundle_items)
    quote = quote_order(uow, item, context, now=now, policy=policy)
    return place_order(
        uow, quote, context, idempotency_key=idempotency_key, ids=ids, now=now, policy=policy
    )


def advance_order(
    uow: CatalogUnitOfWork, order_id: str, target: OrderState, *, now: datetime
) -> ProductOrder:
    """Move an order on (fulfilment reports back): ``completed`` activates the products
    it created; ``failed`` and ``cancelled`` terminate them.

    Raises:
        NotFound: ``store.not_found`` for an unknown order.
        SelfcareError: ``order.invalid_transition``; ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    with uow:
        order = uow.orders.get(order_id)
        if order is None:
            raise NotFound(Violation("store.not_found", {"entity": "product_order"}))
        check_order_transition(order.state, target).raise_for_denial()
        final = target.is_final
        updated = bump(order, state=target, completed_at=moment if final else None)
        uow.orders.update(updated)
        if final:
            status = (
                ProductStatus.ACTIVE if target is OrderState.COMPLETED else ProductStatus.TERMINATED
            )
            for product in uow.inventory.by_order(order.id):
                if product.status is ProductStatus.PENDING_ACTIVE:
                    ended = None if status is ProductStatus.ACTIVE else moment
                    uow.inventory.update(bump(product, status=status, end=ended or product.end))
        uow.commit()
        return updated


@final
@attrs.frozen(kw_only=True)
class CancellationOutcome:
    """What :func:`cancel_service` did: either ``product`` (now pending termination at
    ``product.end``) or a ``request`` for customer service, and then nothing ended."""

    product: ProductInstance | None = None
    request: CancellationRequest | None = None


def cancel_service(
    uow: CatalogUnitOfWork,
    product_id: str,
    context: EligibilityContext,
    *,
    ids: IdSource,
    now: datetime,
    contact_phone: str = "",
    contact_email: str = "",
    message: str = "",
    region: str = "FI",
    policy: OrderPolicy = DEFAULT_POLICY,
) -> CancellationOutcome:
    """Cancel a service. One cancellable in the portal ends at the end of the billing
    period (not before its fixed term ends); one that needs a written request (seed 002)
    produces a :class:`~selfcare.catalog.model.CancellationRequest` for customer service
    with the customer's phone number (parsed in ``region``, stored in E.164) and e-mail
    address, and nothing is terminated.

    Raises:
        SelfcareError: ``order.unknown_product``, ``order.no_active_relationship``,
            ``order.permission_denied``, ``cancellation.already_ending``,
            ``cancellation.contact_required`` (no phone number or no e-mail address),
            the ``phone.*`` and ``email.*`` codes of an invalid one;
            ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    with uow:
        product = uow.inventory.get(product_id)
        found: list[Violation] = []
        if not context.relationship_active:
            found.append(Violation("order.no_active_relationship", {}))
        if not context.permission.allowed:
            found.append(
                Violation("order.permission_denied", {"reasons": context.permission.codes})
            )
        if (
            product is None
            or product.relationship_id != context.relationship_id
            or not product.is_live_at(moment)
        ):
            found.append(Violation("order.unknown_product", {"product": product_id[:64]}))
            raise SelfcareError(*found)
        if product.status is ProductStatus.PENDING_TERMINATE:
            found.append(Violation("cancellation.already_ending", {"product": product.offering_id}))
        offering = uow.catalog.get(product.offering_id)
        written = offering is None or offering.cancellation is CancellationMethod.WRITTEN_REQUEST
        phone, email = "", ""
        if written:
            phone, email = _contact(contact_phone, contact_email, region, found)
        if found:
            raise SelfcareError(*found)
        if written:
            return CancellationOutcome(
                request=CancellationRequest(
                    id=ids.new_id(),
                    relationship_id=RelationshipId(product.relationship_id),
                    product_id=product.id,
                    offering_id=product.offering_id,
                    requested_at=moment,
                    contact_phone=phone,
                    contact_email=email,
                    message=message,
                )
            )
        end = cancellation_end(product, now=moment, policy=policy)
        change = ScheduledChange(kind=ScheduledChangeKind.TERMINATE, effective_at=end)
        updated = bump(product, status=ProductStatus.PENDING_TERMINATE, end=end, scheduled=change)
        uow.inventory.update(updated)
        uow.commit()
        return CancellationOutcome(product=updated)


def _contact(phone: str, email: str, region: str, found: list[Violation]) -> tuple[str, str]:
    from selfcare.identity.contact import EmailAddress, PhoneNumber  # noqa: PLC0415

    if not phone.strip() or not email.strip():
        found.append(Violation("cancellation.contact_required", {}))
        return "", ""
    parsed_phone = parsed_email = ""
    try:
        parsed_phone = PhoneNumber.parse(phone, region).e164
    except SelfcareError as error:
        found.extend(error.violations)
    try:
        parsed_email = str(EmailAddress.parse(email))
    except SelfcareError as error:
        found.extend(error.violations)
    return parsed_phone, parsed_email


def apply_due_changes(
    uow: CatalogUnitOfWork, relationship_id: RelationshipId, *, now: datetime
) -> tuple[ProductInstance, ...]:
    """Apply every scheduled change of the relationship that is due at ``now`` (run it
    at the turn of the billing period); returns the changed products.

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    changed = []
    with uow:
        for product in uow.inventory.for_relationship(relationship_id):
            updated = apply_due_change(product, now=moment)
            if updated is not product:
                uow.inventory.update(updated)
                changed.append(updated)
        uow.commit()
    return tuple(changed)
