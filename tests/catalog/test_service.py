"""Use cases against the in-memory adapters, and the contract suites."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from selfcare.adapters.memory import MemoryDatabase
from selfcare.adapters.memory.catalog import (
    MemoryCatalogRepository,
    MemoryCatalogUnitOfWork,
    MemoryInventoryRepository,
    MemoryOrderRepository,
)
from selfcare.catalog.model import (
    Asset,
    OrderItem,
    OrderState,
    ProductInstance,
    ProductStatus,
    ScheduledChangeKind,
)
from selfcare.catalog.rules import EligibilityContext, ordered_services
from selfcare.catalog.sample import sample_catalog
from selfcare.catalog.service import (
    advance_order,
    apply_due_changes,
    cancel_service,
    change_plan,
    edit_bundle,
    place_order,
    quote_order,
)
from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import NotFound, SelfcareError
from selfcare.core.ids import RelationshipId, SequentialIds
from selfcare.testing.contracts.catalog import (
    CatalogRepositoryContract,
    CatalogUnitOfWorkContract,
    InventoryRepositoryContract,
    OrderRepositoryContract,
)

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
APRIL = datetime(2026, 3, 31, 21, 0, tzinfo=UTC)
PHONE = Asset.msisdn("+4741234567")
REL = RelationshipId("rel-1")
MIX = frozenset({"mix_history", "mix_music", "mix_travel"})

MakeProduct = Callable[..., ProductInstance]
MakeContext = Callable[..., EligibilityContext]


class TestMemoryCatalogRepository(CatalogRepositoryContract):
    def make_repository(self) -> MemoryCatalogRepository:
        return MemoryCatalogRepository(MemoryDatabase())


class TestMemoryInventoryRepository(InventoryRepositoryContract):
    def make_repository(self) -> MemoryInventoryRepository:
        return MemoryInventoryRepository(MemoryDatabase())


class TestMemoryOrderRepository(OrderRepositoryContract):
    def make_repository(self) -> MemoryOrderRepository:
        return MemoryOrderRepository(MemoryDatabase())


class TestMemoryCatalogUnitOfWork(CatalogUnitOfWorkContract):
    def make_unit_of_work(self) -> MemoryCatalogUnitOfWork:
        return MemoryCatalogUnitOfWork(MemoryDatabase())


@pytest.fixture
def uow() -> MemoryCatalogUnitOfWork:
    unit = MemoryCatalogUnitOfWork(MemoryDatabase())
    with unit:
        for offering in sample_catalog().offerings:
            unit.catalog.add(offering)
        unit.commit()
    return unit


def seed(uow: MemoryCatalogUnitOfWork, *products: ProductInstance) -> None:
    with uow:
        for product in products:
            uow.inventory.add(product)
        uow.commit()


@pytest.fixture
def plan(make_product: MakeProduct, uow: MemoryCatalogUnitOfWork) -> ProductInstance:
    built = make_product("bedrift_total_c_10gb", "plan-1", asset=PHONE)
    seed(uow, built)
    return built


def test_an_employee_orders_extra_data_and_nothing_is_placed_before_the_ok(
    uow: MemoryCatalogUnitOfWork, make_context: MakeContext, plan: ProductInstance
) -> None:
    ids = SequentialIds("c")
    quote = quote_order(uow, OrderItem.add("extra_data_5gb", asset=PHONE), make_context(), now=NOW)
    assert uow.orders.for_relationship(REL) == ()
    assert len(uow.inventory.for_relationship(REL)) == 1
    order = place_order(uow, quote, make_context(), idempotency_key="k1", ids=ids, now=NOW)
    assert order.state is OrderState.ACKNOWLEDGED
    assert order.lines == quote.lines
    (added,) = uow.inventory.by_order(order.id)
    assert added.status is ProductStatus.PENDING_ACTIVE
    assert added.asset == PHONE
    assert added.start == NOW


def test_a_double_submit_places_one_order(
    uow: MemoryCatalogUnitOfWork, make_context: MakeContext, plan: ProductInstance
) -> None:
    ids = SequentialIds("c")
    quote = quote_order(uow, OrderItem.add("net_protection", asset=PHONE), make_context(), now=NOW)
    first = place_order(uow, quote, make_context(), idempotency_key="k1", ids=ids, now=NOW)
    second = place_order(uow, quote, make_context(), idempotency_key="k1", ids=ids, now=NOW)
    assert first == second
    assert len(uow.orders.for_relationship(REL)) == 1
    other = quote_order(uow, OrderItem.add("security_vpn"), make_context(), now=NOW)
    with pytest.raises(SelfcareError) as caught:
        place_order(uow, other, make_context(), idempotency_key="k1", ids=ids, now=NOW)
    assert caught.value.codes == ("order.idempotency_conflict",)


def test_an_outdated_quote_places_nothing(
    uow: MemoryCatalogUnitOfWork, make_context: MakeContext, plan: ProductInstance
) -> None:
    quote = quote_order(uow, OrderItem.add("net_protection", asset=PHONE), make_context(), now=NOW)
    with uow:
        old = uow.catalog.get("net_protection")
        assert old is not None
        import attrs  # noqa: PLC0415

        from selfcare.catalog.model import Price, PriceType  # noqa: PLC0415
        from selfcare.core.money import Money  # noqa: PLC0415

        uow.catalog.replace(
            attrs.evolve(old, prices=(Price(PriceType.RECURRING, Money("59.00", "NOK")),))
        )
        uow.commit()
    with pytest.raises(SelfcareError) as caught:
        place_order(uow, quote, make_context(), idempotency_key="k", ids=SequentialIds(), now=NOW)
    assert caught.value.codes == ("order.quote_outdated",)
    assert uow.orders.for_relationship(REL) == ()


def test_a_placed_order_is_rechecked(
    uow: MemoryCatalogUnitOfWork, make_context: MakeContext, plan: ProductInstance
) -> None:
    quote = quote_order(uow, OrderItem.add("net_protection", asset=PHONE), make_context(), now=NOW)
    with pytest.raises(SelfcareError) as caught:
        place_order(
            uow,
            quote,
            make_context(has_billing_agreement=False),
            idempotency_key="k",
            ids=SequentialIds(),
            now=NOW,
        )
    assert caught.value.codes == ("order.no_billing_agreement",)


def test_completing_an_order_activates_its_products_and_failing_terminates_them(
    uow: MemoryCatalogUnitOfWork, make_context: MakeContext, plan: ProductInstance
) -> None:
    ids = SequentialIds("c")
    quote = quote_order(uow, OrderItem.add("net_protection", asset=PHONE), make_context(), now=NOW)
    order = place_order(uow, quote, make_context(), idempotency_key="k1", ids=ids, now=NOW)
    moving = advance_order(uow, order.id, OrderState.IN_PROGRESS, now=NOW)
    assert moving.completed_at is None
    done = advance_order(uow, order.id, OrderState.COMPLETED, now=NOW)
    assert done.state is OrderState.COMPLETED
    assert done.completed_at == NOW
    assert [p.status for p in uow.inventory.by_order(order.id)] == [ProductStatus.ACTIVE]
    with pytest.raises(SelfcareError) as caught:
        advance_order(uow, order.id, OrderState.IN_PROGRESS, now=NOW)
    assert caught.value.violations == (
        Violation("order.invalid_transition", {"state": "completed", "target": "in_progress"}),
    )
    quote2 = quote_order(uow, OrderItem.add("twin_sim", asset=PHONE), make_context(), now=NOW)
    order2 = place_order(uow, quote2, make_context(), idempotency_key="k2", ids=ids, now=NOW)
    advance_order(uow, order2.id, OrderState.FAILED, now=NOW)
    (twin,) = uow.inventory.by_order(order2.id)
    assert twin.status is ProductStatus.TERMINATED
    assert twin.end == NOW
    with pytest.raises(NotFound):
        advance_order(uow, "nope", OrderState.COMPLETED, now=NOW)


def test_change_plan_upgrades_at_once_and_downgrades_at_the_end_of_the_period(
    uow: MemoryCatalogUnitOfWork, make_context: MakeContext, plan: ProductInstance
) -> None:
    ids = SequentialIds("c")
    change_plan(
        uow, "plan-1", "bedrift_total_e_50gb", make_context(), idempotency_key="u", ids=ids, now=NOW
    )
    upgraded = uow.inventory.get("plan-1")
    assert upgraded is not None
    assert upgraded.offering_id == "bedrift_total_e_50gb"
    change_plan(
        uow, "plan-1", "bedrift_total_a_1gb", make_context(), idempotency_key="d", ids=ids, now=NOW
    )
    pending = uow.inventory.get("plan-1")
    assert pending is not None
    assert pending.offering_id == "bedrift_total_e_50gb"
    assert pending.scheduled is not None
    assert pending.scheduled.kind is ScheduledChangeKind.CHANGE_PLAN
    assert pending.scheduled.effective_at == APRIL
    assert apply_due_changes(uow, REL, now=NOW) == ()
    (changed,) = apply_due_changes(uow, REL, now=APRIL)
    assert changed.offering_id == "bedrift_total_a_1gb"
    assert changed.scheduled is None


def test_a_fixed_term_product_gets_its_commitment_end_in_local_calendar_months(
    uow: MemoryCatalogUnitOfWork, make_context: MakeContext
) -> None:
    ids = SequentialIds("c")
    quote = quote_order(uow, OrderItem.add("tv_sport_12m"), make_context(), now=NOW)
    order = place_order(uow, quote, make_context(), idempotency_key="k", ids=ids, now=NOW)
    (product,) = uow.inventory.by_order(order.id)
    # 10 March 2026 in Helsinki + 12 months = 10 March 2027 at local midnight (EET, UTC+2)
    assert product.commitment_end == datetime(2027, 3, 9, 22, 0, tzinfo=UTC)
    (row,) = ordered_services(
        uow.inventory.for_relationship(REL), sample_catalog(), now=NOW, lang="fi"
    )
    assert row.name == "Urheilu Max, 12 kk"
    assert row.end == product.commitment_end
    assert not row.until_further_notice
    assert not row.cancellable_in_portal


def test_edit_bundle_takes_effect_from_the_next_billing_period(
    uow: MemoryCatalogUnitOfWork, make_context: MakeContext, make_product: MakeProduct
) -> None:
    seed(uow, make_product("mix_package", "mix-1", bundle_items=MIX))
    five = MIX | {"mix_food", "mix_crime"}
    edit_bundle(
        uow, "mix-1", five, make_context(), idempotency_key="e", ids=SequentialIds(), now=NOW
    )
    mix = uow.inventory.get("mix-1")
    assert mix is not None
    assert mix.bundle_items == MIX
    assert mix.scheduled is not None
    assert mix.scheduled.bundle_items == five
    apply_due_changes(uow, REL, now=APRIL)
    applied = uow.inventory.get("mix-1")
    assert applied is not None
    assert applied.bundle_items == five


def test_a_new_sim_is_activated_on_the_subscription(
    uow: MemoryCatalogUnitOfWork, make_context: MakeContext, plan: ProductInstance
) -> None:
    sim = Asset.iccid("8947080000000000007")
    quote = quote_order(uow, OrderItem.modify("plan-1", asset=sim), make_context(), now=NOW)
    place_order(uow, quote, make_context(), idempotency_key="s", ids=SequentialIds(), now=NOW)
    updated = uow.inventory.get("plan-1")
    assert updated is not None
    assert updated.sim == sim
    assert updated.asset == PHONE
    assert uow.inventory.by_asset(sim) == (updated,)


def test_a_portal_cancellation_ends_at_the_end_of_the_billing_period(
    uow: MemoryCatalogUnitOfWork,
    make_context: MakeContext,
    make_product: MakeProduct,
    plan: ProductInstance,
) -> None:
    seed(uow, make_product("net_protection", "net-1", asset=PHONE))
    outcome = cancel_service(uow, "net-1", make_context(), ids=SequentialIds(), now=NOW)
    assert outcome.request is None
    assert outcome.product is not None
    assert outcome.product.status is ProductStatus.PENDING_TERMINATE
    assert outcome.product.end == APRIL
    with pytest.raises(SelfcareError) as caught:
        cancel_service(uow, "net-1", make_context(), ids=SequentialIds(), now=NOW)
    assert caught.value.codes == ("cancellation.already_ending",)
    (ended,) = apply_due_changes(uow, REL, now=APRIL)
    assert ended.status is ProductStatus.TERMINATED


def test_a_written_only_cancellation_produces_a_request_and_terminates_nothing(
    uow: MemoryCatalogUnitOfWork, make_context: MakeContext, make_product: MakeProduct
) -> None:
    tv = make_product("tv_sport", "tv-1")
    seed(uow, tv)
    with pytest.raises(SelfcareError) as caught:
        cancel_service(uow, "tv-1", make_context(), ids=SequentialIds(), now=NOW)
    assert caught.value.codes == ("cancellation.contact_required",)
    outcome = cancel_service(
        uow,
        "tv-1",
        make_context(),
        ids=SequentialIds("req"),
        now=NOW,
        contact_phone="+358 40 123 4567",
        contact_email="maija@example.fi",
    )
    assert outcome.product is None
    assert outcome.request is not None
    assert outcome.request.product_id == "tv-1"
    assert outcome.request.contact_email == "maija@example.fi"
    assert outcome.request.contact_phone == "+358401234567"
    assert uow.inventory.get("tv-1") == tv


def test_cancellation_checks_the_relationship_permission_and_product(
    uow: MemoryCatalogUnitOfWork, make_context: MakeContext, plan: ProductInstance
) -> None:
    denied = Decision.deny(Violation("store.not_found", {"entity": "grant"}))
    with pytest.raises(SelfcareError) as caught:
        cancel_service(
            uow,
            "plan-1",
            make_context(relationship_active=False, permission=denied),
            ids=SequentialIds(),
            now=NOW,
        )
    assert caught.value.codes == ("order.no_active_relationship", "order.permission_denied")
    with pytest.raises(SelfcareError) as missing:
        cancel_service(uow, "nope", make_context(), ids=SequentialIds(), now=NOW)
    assert missing.value.codes == ("order.unknown_product",)


def test_ordered_services_lists_live_products_oldest_first(make_product: MakeProduct) -> None:
    rows = ordered_services(
        [
            make_product("security_vpn", "b", start=datetime(2025, 6, 1, tzinfo=UTC)),
            make_product("security_total", "a", start=datetime(2025, 2, 1, tzinfo=UTC)),
            make_product("tv_kids", "gone", status=ProductStatus.TERMINATED),
            make_product("unknown_offering", "c", start=None),
        ],
        sample_catalog(),
        now=NOW,
        lang="sv",
    )
    assert [r.product_id for r in rows] == ["a", "b", "c"]
    assert rows[0].name == "Internetsäkerhet Total (5 enheter)"
    assert rows[0].until_further_notice
    assert rows[2].name == "unknown_offering"


def test_a_removal_in_an_order_is_scheduled_for_the_end_of_the_period(
    uow: MemoryCatalogUnitOfWork,
    make_context: MakeContext,
    make_product: MakeProduct,
    plan: ProductInstance,
) -> None:
    seed(uow, make_product("net_protection", "net-1", asset=PHONE))
    quote = quote_order(uow, OrderItem.remove("net-1"), make_context(), now=NOW)
    place_order(uow, quote, make_context(), idempotency_key="r", ids=SequentialIds(), now=NOW)
    removed = uow.inventory.get("net-1")
    assert removed is not None
    assert removed.status is ProductStatus.PENDING_TERMINATE
    assert removed.end == APRIL
    with pytest.raises(SelfcareError) as caught:
        quote_order(uow, OrderItem.remove("net-1"), make_context(), now=NOW)
    assert caught.value.codes == ("cancellation.already_ending",)


def test_immediate_bundle_edits_and_number_changes_apply_at_once(
    uow: MemoryCatalogUnitOfWork, make_context: MakeContext, make_product: MakeProduct
) -> None:
    from selfcare.catalog.rules import OrderPolicy, Timing  # noqa: PLC0415

    seed(
        uow,
        make_product("mix_package", "mix-1", bundle_items=MIX),
        make_product("bedrift_total_c_10gb", "plan-1", asset=PHONE),
    )
    five = MIX | {"mix_food", "mix_crime"}
    policy = OrderPolicy(bundle_edit=Timing.IMMEDIATELY)
    edit_bundle(
        uow,
        "mix-1",
        five,
        make_context(),
        idempotency_key="e",
        ids=SequentialIds(),
        now=NOW,
        policy=policy,
    )
    mix = uow.inventory.get("mix-1")
    assert mix is not None
    assert mix.bundle_items == five
    assert mix.scheduled is None
    new_number = Asset.msisdn("+4791234567")
    quote = quote_order(uow, OrderItem.modify("plan-1", asset=new_number), make_context(), now=NOW)
    place_order(uow, quote, make_context(), idempotency_key="n", ids=SequentialIds("n"), now=NOW)
    moved = uow.inventory.get("plan-1")
    assert moved is not None
    assert moved.asset == new_number


def test_only_pending_products_of_a_failed_order_are_terminated(
    uow: MemoryCatalogUnitOfWork, make_context: MakeContext, plan: ProductInstance
) -> None:
    ids = SequentialIds("c")
    quote = quote_order(uow, OrderItem.add("net_protection", asset=PHONE), make_context(), now=NOW)
    order = place_order(uow, quote, make_context(), idempotency_key="k", ids=ids, now=NOW)
    (product,) = uow.inventory.by_order(order.id)
    with uow:
        from selfcare.core.ports import bump  # noqa: PLC0415

        uow.inventory.update(bump(product, status=ProductStatus.ACTIVE))
        uow.commit()
    advance_order(uow, order.id, OrderState.CANCELLED, now=NOW)
    (kept,) = uow.inventory.by_order(order.id)
    assert kept.status is ProductStatus.ACTIVE


def test_updating_an_order_cannot_move_its_idempotency_key() -> None:
    from selfcare.core.ports import bump  # noqa: PLC0415

    repo = MemoryOrderRepository(MemoryDatabase())
    uow_items = (OrderItem.add("security_vpn"),)
    from selfcare.catalog.model import ProductOrder  # noqa: PLC0415

    order = ProductOrder(
        id="o1", relationship_id=REL, idempotency_key="k1", items=uow_items, lines=(), placed_at=NOW
    )
    repo.add(order)
    with pytest.raises(NotFound):
        repo.update(bump(order, idempotency_key="k2"))


def test_a_written_cancellation_needs_valid_contact_details(
    uow: MemoryCatalogUnitOfWork, make_context: MakeContext, make_product: MakeProduct
) -> None:
    seed(uow, make_product("tv_sport", "tv-1"))
    with pytest.raises(SelfcareError) as caught:
        cancel_service(
            uow,
            "tv-1",
            make_context(),
            ids=SequentialIds(),
            now=NOW,
            contact_phone="123",
            contact_email="not an address",
        )
    assert caught.value.codes
    assert all(c.startswith(("phone.", "email.")) for c in caught.value.codes)
    assert any(c.startswith("phone.") for c in caught.value.codes)
    assert any(c.startswith("email.") for c in caught.value.codes)


def test_a_quote_cannot_be_placed_under_another_relationships_permission(
    uow: MemoryCatalogUnitOfWork, make_context: MakeContext, plan: ProductInstance
) -> None:
    quote = quote_order(uow, OrderItem.add("net_protection", asset=PHONE), make_context(), now=NOW)
    other = make_context(relationship_id=RelationshipId("rel-2"))
    with pytest.raises(SelfcareError) as caught:
        place_order(uow, quote, other, idempotency_key="k", ids=SequentialIds(), now=NOW)
    assert caught.value.codes == ("order.relationship_mismatch",)


def test_a_sim_card_in_use_on_another_subscription_cannot_be_activated(
    uow: MemoryCatalogUnitOfWork, make_context: MakeContext, make_product: MakeProduct
) -> None:
    from selfcare.catalog.service import activate_sim  # noqa: PLC0415

    other_phone = Asset.msisdn("+4791234567")
    seed(
        uow,
        make_product("bedrift_total_c_10gb", "plan-1", asset=PHONE),
        make_product("bedrift_total_c_10gb", "plan-2", asset=other_phone),
    )
    ids = SequentialIds("a")
    activate_sim(
        uow,
        "plan-1",
        "8947 0800 0000 0000 007",
        make_context(),
        idempotency_key="a",
        ids=ids,
        now=NOW,
    )
    with pytest.raises(SelfcareError) as caught:
        activate_sim(
            uow,
            "plan-2",
            "8947080000000000007",
            make_context(),
            idempotency_key="b",
            ids=ids,
            now=NOW,
        )
    assert caught.value.codes == ("asset.sim_in_use",)
    assert uow.orders.by_idempotency_key(REL, "b") is None
    with pytest.raises(SelfcareError) as bad:
        activate_sim(
            uow,
            "plan-2",
            "8947080000000000008",
            make_context(),
            idempotency_key="c",
            ids=ids,
            now=NOW,
        )
    assert bad.value.codes == ("asset.invalid_iccid",)
