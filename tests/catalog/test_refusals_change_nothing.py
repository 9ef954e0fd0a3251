"""Every refusal of CatalogService leaves the inventory and the orders as they were."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfcare.bootstrap import App, bootstrap
from selfcare.catalog import (
    Asset,
    CatalogService,
    EligibilityContext,
    OrderItem,
    OrderState,
    ProductInstance,
    ProductStatus,
)
from selfcare.catalog.sample import sample_catalog
from selfcare.core.decision import Decision, Violation
from selfcare.core.ids import RelationshipId
from selfcare.core.outcome import Outcome, Refused
from selfcare.testing.fakes import SequentialIds, SteppableClock

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
REL = RelationshipId("rel-1")
PHONE = Asset.msisdn("+4741234567")
OFFERINGS = [o.id for o in sample_catalog().offerings]
PRODUCTS = ["plan-1", "mix-1", "tv-1", "nope"]


def _app() -> App:
    app = bootstrap(clock=SteppableClock(NOW), ids=SequentialIds("c"))
    with app.storage.catalog as uow:
        for offering in sample_catalog().offerings:
            uow.catalog.add(offering)
        start = datetime(2025, 1, 1, tzinfo=UTC)
        for product_id, offering_id, asset in (
            ("plan-1", "bedrift_total_c_10gb", PHONE),
            ("mix-1", "mix_package", None),
            ("tv-1", "tv_sport", None),
        ):
            uow.inventory.add(
                ProductInstance(
                    id=product_id,
                    offering_id=offering_id,
                    relationship_id=REL,
                    status=ProductStatus.ACTIVE,
                    asset=asset,
                    start=start,
                    bundle_items={"mix_history", "mix_music", "mix_travel"}
                    if product_id == "mix-1"
                    else (),
                )
            )
        uow.commit()
    return app


contexts = st.builds(
    EligibilityContext,
    relationship_id=st.sampled_from([REL, RelationshipId("rel-2")]),
    relationship_active=st.booleans(),
    has_billing_agreement=st.booleans(),
    permission=st.sampled_from(
        [
            Decision.allow("grant:owner"),
            Decision.deny(Violation("store.not_found", {"entity": "grant"})),
        ]
    ),
    phone_number_confirmed=st.booleans(),
    capabilities=st.sampled_from([frozenset(), frozenset({"pay_tv_card"})]),
)
items = st.one_of(
    st.builds(OrderItem.add, st.sampled_from(OFFERINGS), asset=st.sampled_from([None, PHONE])),
    st.builds(OrderItem.remove, st.sampled_from(PRODUCTS)),
    st.builds(OrderItem.change_plan, st.sampled_from(PRODUCTS), st.sampled_from(OFFERINGS)),
    st.builds(
        OrderItem.edit_bundle,
        st.sampled_from(PRODUCTS),
        st.frozensets(st.sampled_from(OFFERINGS), max_size=6),
    ),
    st.builds(OrderItem.modify, st.sampled_from(PRODUCTS), quantity=st.integers(-1, 3)),
)


def _snapshot(app: App) -> tuple[object, ...]:
    uow = app.storage.catalog
    with uow:
        return uow.inventory.for_relationship(REL), uow.orders.for_relationship(REL)


def _step(data: st.DataObject, catalog: CatalogService) -> Outcome[object]:
    context = data.draw(contexts)
    key = data.draw(st.sampled_from(["k1", "k2"]))
    product = data.draw(st.sampled_from(PRODUCTS))
    match data.draw(st.sampled_from(["quote", "plan", "bundle", "sim", "cancel", "advance"])):
        case "quote":
            quoted = catalog.quote_order(data.draw(st.lists(items, max_size=3)), context)
            if not quoted.ok:
                return quoted
            return catalog.place_order(quoted.value, data.draw(contexts), idempotency_key=key)
        case "plan":
            target = data.draw(st.sampled_from(OFFERINGS))
            return catalog.change_plan(product, target, context, idempotency_key=key)
        case "bundle":
            picks = data.draw(st.frozensets(st.sampled_from(OFFERINGS), max_size=6))
            return catalog.edit_bundle(product, picks, context, idempotency_key=key)
        case "sim":
            iccid = data.draw(st.text(max_size=22))
            return catalog.activate_sim(product, iccid, context, idempotency_key=key)
        case "cancel":
            return catalog.cancel_service(
                product,
                context,
                contact_phone=data.draw(st.sampled_from(["", "123", "+358 40 123 4567"])),
                contact_email=data.draw(st.sampled_from(["", "nope", "a@example.fi"])),
            )
        case _:
            order_id = data.draw(st.sampled_from(["c-1", "nope"]))
            return catalog.advance_order(order_id, data.draw(st.sampled_from(OrderState)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_refusal_changes_nothing(data: st.DataObject) -> None:
    app = _app()
    before = _snapshot(app)
    for _ in range(4):
        outcome = _step(data, app.catalog)
        after = _snapshot(app)
        if isinstance(outcome, Refused):
            assert after == before, outcome.codes
            assert outcome.events == ()
        else:
            assert outcome.events or after == before  # a change always says so
        before = after
