"""CatalogService against the in-memory adapters (wired by bootstrap), and the contract
suites."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import attrs
import pytest

from selfcare.adapters.memory import MemoryDatabase
from selfcare.adapters.memory.catalog import (
    MemoryCatalogRepository,
    MemoryCatalogUnitOfWork,
    MemoryInventoryRepository,
    MemoryOrderRepository,
)
from selfcare.bootstrap import App, Policies, bootstrap
from selfcare.catalog import (
    Asset,
    CatalogService,
    EligibilityContext,
    OrderItem,
    OrderPolicy,
    OrderState,
    Price,
    PriceType,
    ProductInstance,
    ProductOrder,
    ProductStatus,
    ScheduledChangeKind,
    Timing,
    ordered_services,
)
from selfcare.catalog.events import (
    BundleEdited,
    BundleEditScheduled,
    CancellationRequested,
    OrderPlaced,
    OrderStateChanged,
    PlanChanged,
    PlanChangeScheduled,
    ProductActivated,
    ProductModified,
    ProductOrdered,
    ProductTerminated,
    ScheduledChangeApplied,
    SimActivated,
    TerminationScheduled,
)
from selfcare.catalog.ports import CatalogUnitOfWork
from selfcare.catalog.sample import sample_catalog
from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import NotFound
from selfcare.core.ids import RelationshipId
from selfcare.core.kinds import Kind
from selfcare.core.money import Money
from selfcare.core.outcome import Done, Refused
from selfcare.core.ports import next_version
from selfcare.testing.contracts.catalog import (
    CatalogRepositoryContract,
    CatalogUnitOfWorkContract,
    InventoryRepositoryContract,
    OrderRepositoryContract,
)
from selfcare.testing.fakes import SequentialIds, SteppableClock

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


def _published(policies: Policies | None = None) -> App:
    app = bootstrap(clock=SteppableClock(NOW), ids=SequentialIds("c"), policies=policies)
    with app.storage.catalog as unit:
        for offering in sample_catalog().offerings:
            unit.catalog.add(offering)
        unit.commit()
    return app


@pytest.fixture
def app() -> App:
    return _published()


@pytest.fixture
def uow(app: App) -> CatalogUnitOfWork:
    return app.storage.catalog


@pytest.fixture
def service(app: App) -> CatalogService:
    return app.catalog


@pytest.fixture
def clock(app: App) -> SteppableClock:
    assert isinstance(app.clock, SteppableClock)
    return app.clock


def seed(uow: CatalogUnitOfWork, *products: ProductInstance) -> None:
    with uow:
        for product in products:
            uow.inventory.add(product)
        uow.commit()


@pytest.fixture
def plan(make_product: MakeProduct, uow: CatalogUnitOfWork) -> ProductInstance:
    built = make_product("bedrift_total_c_10gb", "plan-1", asset=PHONE)
    seed(uow, built)
    return built


def place(
    service: CatalogService, item: OrderItem, context: EligibilityContext, key: str
) -> Done[ProductOrder]:
    quote = service.quote_order(item, context).unwrap()
    placed = service.place_order(quote, context, idempotency_key=key)
    assert isinstance(placed, Done)
    return placed


def test_an_employee_orders_extra_data_and_nothing_is_placed_before_the_ok(
    service: CatalogService,
    uow: CatalogUnitOfWork,
    make_context: MakeContext,
    plan: ProductInstance,
) -> None:
    quoted = service.quote_order(OrderItem.add("extra_data_5gb", asset=PHONE), make_context())
    assert quoted.events == ()
    quote = quoted.unwrap()
    assert uow.orders.for_relationship(REL) == ()
    assert len(uow.inventory.for_relationship(REL)) == 1
    placed = service.place_order(quote, make_context(), idempotency_key="k1")
    order = placed.unwrap()
    assert order.state is OrderState.ACKNOWLEDGED
    assert order.lines == quote.lines
    (added,) = uow.inventory.for_order(order.id)
    assert added.status is ProductStatus.PENDING_ACTIVE
    assert added.asset == PHONE
    assert added.start == NOW
    assert placed.events == (
        OrderPlaced(occurred_at=NOW, relationship_id=REL, order_id=order.id, placed_by=None),
        ProductOrdered(
            occurred_at=NOW,
            relationship_id=REL,
            order_id=order.id,
            product_id=added.id,
            offering_id="extra_data_5gb",
        ),
    )


def test_a_double_submit_places_one_order(
    service: CatalogService,
    uow: CatalogUnitOfWork,
    make_context: MakeContext,
    plan: ProductInstance,
) -> None:
    quote = service.quote_order(
        OrderItem.add("net_protection", asset=PHONE), make_context()
    ).unwrap()
    first = service.place_order(quote, make_context(), idempotency_key="k1")
    second = service.place_order(quote, make_context(), idempotency_key="k1")
    assert first.unwrap() == second.unwrap()
    assert second.events == ()  # nothing changed the second time
    assert len(uow.orders.for_relationship(REL)) == 1
    other = service.quote_order(OrderItem.add("security_vpn"), make_context()).unwrap()
    conflict = service.place_order(other, make_context(), idempotency_key="k1")
    assert isinstance(conflict, Refused)
    assert conflict.codes == ("order.idempotency_conflict",)


def test_an_outdated_quote_places_nothing(
    service: CatalogService,
    uow: CatalogUnitOfWork,
    make_context: MakeContext,
    plan: ProductInstance,
) -> None:
    quote = service.quote_order(
        OrderItem.add("net_protection", asset=PHONE), make_context()
    ).unwrap()
    with uow:
        old = uow.catalog.find("net_protection")
        assert old is not None
        uow.catalog.replace(
            attrs.evolve(old, prices=(Price(PriceType.RECURRING, Money("59.00", "NOK")),))
        )
        uow.commit()
    outdated = service.place_order(quote, make_context(), idempotency_key="k")
    assert outdated.decision.codes == ("order.quote_outdated",)
    assert outdated.decision.kind is Kind.CONFLICT
    assert uow.orders.for_relationship(REL) == ()


def test_a_placed_order_is_rechecked(
    service: CatalogService, make_context: MakeContext, plan: ProductInstance
) -> None:
    quote = service.quote_order(
        OrderItem.add("net_protection", asset=PHONE), make_context()
    ).unwrap()
    refused = service.place_order(
        quote, make_context(has_billing_agreement=False), idempotency_key="k"
    )
    match refused:
        case Refused(decision=decision):
            assert decision.codes == ("order.no_billing_agreement",)
        case Done():
            pytest.fail("placed without a billing agreement")


def test_completing_an_order_activates_its_products_and_failing_terminates_them(
    service: CatalogService,
    uow: CatalogUnitOfWork,
    make_context: MakeContext,
    plan: ProductInstance,
) -> None:
    order = place(service, OrderItem.add("net_protection", asset=PHONE), make_context(), "k1").value
    moving = service.advance_order(order.id, OrderState.IN_PROGRESS)
    assert moving.unwrap().completed_at is None
    assert moving.events == (
        OrderStateChanged(
            occurred_at=NOW,
            relationship_id=REL,
            order_id=order.id,
            from_state=OrderState.ACKNOWLEDGED,
            to_state=OrderState.IN_PROGRESS,
        ),
    )
    completed = service.advance_order(order.id, OrderState.COMPLETED)
    done = completed.unwrap()
    assert done.state is OrderState.COMPLETED
    assert done.completed_at == NOW
    (product,) = uow.inventory.for_order(order.id)
    assert product.status is ProductStatus.ACTIVE
    assert completed.events[1] == ProductActivated(
        occurred_at=NOW, relationship_id=REL, order_id=order.id, product_id=product.id
    )
    again = service.advance_order(order.id, OrderState.IN_PROGRESS)
    assert again.decision.violations == (
        Violation("order.invalid_transition", {"state": "completed", "target": "in_progress"}),
    )
    order2 = place(service, OrderItem.add("twin_sim", asset=PHONE), make_context(), "k2").value
    failed = service.advance_order(order2.id, OrderState.FAILED)
    (twin,) = uow.inventory.for_order(order2.id)
    assert twin.status is ProductStatus.TERMINATED
    assert twin.end == NOW
    assert isinstance(failed.events[-1], ProductTerminated)
    unknown = service.advance_order("nope", OrderState.COMPLETED)
    assert unknown.decision.codes == ("order.unknown_order",)
    assert unknown.decision.kind is Kind.NOT_FOUND


def test_change_plan_upgrades_at_once_and_downgrades_at_the_end_of_the_period(
    service: CatalogService,
    uow: CatalogUnitOfWork,
    clock: SteppableClock,
    make_context: MakeContext,
    plan: ProductInstance,
) -> None:
    up = service.change_plan("plan-1", "bedrift_total_e_50gb", make_context(), idempotency_key="u")
    upgraded = uow.inventory.find("plan-1")
    assert upgraded is not None
    assert upgraded.offering_id == "bedrift_total_e_50gb"
    assert up.events[1] == PlanChanged(
        occurred_at=NOW,
        relationship_id=REL,
        order_id=up.unwrap().id,
        product_id="plan-1",
        from_offering_id="bedrift_total_c_10gb",
        to_offering_id="bedrift_total_e_50gb",
    )
    down = service.change_plan("plan-1", "bedrift_total_a_1gb", make_context(), idempotency_key="d")
    assert isinstance(down.events[1], PlanChangeScheduled)
    pending = uow.inventory.find("plan-1")
    assert pending is not None
    assert pending.offering_id == "bedrift_total_e_50gb"
    assert pending.scheduled is not None
    assert pending.scheduled.kind is ScheduledChangeKind.CHANGE_PLAN
    assert pending.scheduled.effective_at == APRIL
    assert service.apply_due_changes(REL) == Done(())
    clock.set(APRIL)
    applied = service.apply_due_changes(REL)
    (changed,) = applied.unwrap()
    assert changed.offering_id == "bedrift_total_a_1gb"
    assert changed.scheduled is None
    assert applied.events == (
        ScheduledChangeApplied(
            occurred_at=APRIL,
            relationship_id=REL,
            product_id="plan-1",
            kind=ScheduledChangeKind.CHANGE_PLAN,
        ),
    )


def test_a_fixed_term_product_gets_its_commitment_end_in_local_calendar_months(
    service: CatalogService, uow: CatalogUnitOfWork, make_context: MakeContext
) -> None:
    order = place(service, OrderItem.add("tv_sport_12m"), make_context(), "k").value
    (product,) = uow.inventory.for_order(order.id)
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
    service: CatalogService,
    uow: CatalogUnitOfWork,
    clock: SteppableClock,
    make_context: MakeContext,
    make_product: MakeProduct,
) -> None:
    seed(uow, make_product("mix_package", "mix-1", bundle_items=MIX))
    five = MIX | {"mix_food", "mix_crime"}
    edited = service.edit_bundle("mix-1", five, make_context(), idempotency_key="e")
    assert edited.events[1] == BundleEditScheduled(
        occurred_at=NOW,
        relationship_id=REL,
        order_id=edited.unwrap().id,
        product_id="mix-1",
        bundle_items=five,
        effective_at=APRIL,
    )
    mix = uow.inventory.find("mix-1")
    assert mix is not None
    assert mix.bundle_items == MIX
    assert mix.scheduled is not None
    assert mix.scheduled.bundle_items == five
    clock.set(APRIL)
    service.apply_due_changes(REL).unwrap()
    applied = uow.inventory.find("mix-1")
    assert applied is not None
    assert applied.bundle_items == five


def test_a_new_sim_is_activated_on_the_subscription(
    service: CatalogService,
    uow: CatalogUnitOfWork,
    make_context: MakeContext,
    plan: ProductInstance,
) -> None:
    sim = Asset.iccid("8947080000000000007")
    placed = place(service, OrderItem.modify("plan-1", asset=sim), make_context(), "s")
    updated = uow.inventory.find("plan-1")
    assert updated is not None
    assert updated.sim == sim
    assert updated.asset == PHONE
    assert uow.inventory.for_asset(sim) == (updated,)
    assert isinstance(placed.events[1], SimActivated)


@pytest.mark.usefixtures("plan")
def test_a_portal_cancellation_ends_at_the_end_of_the_billing_period(
    service: CatalogService,
    uow: CatalogUnitOfWork,
    clock: SteppableClock,
    make_context: MakeContext,
    make_product: MakeProduct,
) -> None:
    seed(uow, make_product("net_protection", "net-1", asset=PHONE))
    cancelled = service.cancel_service("net-1", make_context())
    receipt = cancelled.unwrap()
    assert receipt.request is None
    assert receipt.product is not None
    assert receipt.product.status is ProductStatus.PENDING_TERMINATE
    assert receipt.product.end == APRIL
    assert cancelled.events == (
        TerminationScheduled(
            occurred_at=NOW,
            relationship_id=REL,
            order_id=None,
            product_id="net-1",
            effective_at=APRIL,
        ),
    )
    again = service.cancel_service("net-1", make_context())
    assert again.decision.codes == ("cancellation.already_ending",)
    clock.set(APRIL)
    (ended,) = service.apply_due_changes(REL).unwrap()
    assert ended.status is ProductStatus.TERMINATED


def test_a_written_only_cancellation_produces_a_request_and_terminates_nothing(
    app: App, uow: CatalogUnitOfWork, make_context: MakeContext, make_product: MakeProduct
) -> None:
    tv = make_product("tv_sport", "tv-1")
    seed(uow, tv)
    service = CatalogService(uow=uow, clock=app.clock, ids=SequentialIds("req"))
    missing = service.cancel_service("tv-1", make_context())
    assert missing.decision.codes == ("cancellation.contact_required",)
    requested = service.cancel_service(
        "tv-1",
        make_context(),
        contact_phone="+358 40 123 4567",
        contact_email="maija@example.fi",
    )
    receipt = requested.unwrap()
    assert receipt.product is None
    assert receipt.request is not None
    assert receipt.request.id == "req-1"
    assert receipt.request.product_id == "tv-1"
    assert receipt.request.contact_email == "maija@example.fi"
    assert receipt.request.contact_phone == "+358401234567"
    assert uow.inventory.find("tv-1") == tv
    assert requested.events == (
        CancellationRequested(
            occurred_at=NOW,
            relationship_id=REL,
            request_id="req-1",
            product_id="tv-1",
            offering_id="tv_sport",
        ),
    )


def test_cancellation_checks_the_relationship_permission_and_product(
    service: CatalogService, make_context: MakeContext, plan: ProductInstance
) -> None:
    denied = Decision.deny(Violation("store.not_found", {"entity": "grant"}))
    refused = service.cancel_service(
        "plan-1", make_context(relationship_active=False, permission=denied)
    )
    assert refused.decision.codes == ("order.no_active_relationship", "order.permission_denied")
    missing = service.cancel_service("nope", make_context())
    assert missing.decision.codes == ("order.unknown_product",)


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
    service: CatalogService,
    uow: CatalogUnitOfWork,
    make_context: MakeContext,
    make_product: MakeProduct,
    plan: ProductInstance,
) -> None:
    seed(uow, make_product("net_protection", "net-1", asset=PHONE))
    placed = place(service, OrderItem.remove("net-1"), make_context(), "r")
    removed = uow.inventory.find("net-1")
    assert removed is not None
    assert removed.status is ProductStatus.PENDING_TERMINATE
    assert removed.end == APRIL
    assert placed.events[1] == TerminationScheduled(
        occurred_at=NOW,
        relationship_id=REL,
        order_id=placed.value.id,
        product_id="net-1",
        effective_at=APRIL,
    )
    again = service.quote_order(OrderItem.remove("net-1"), make_context())
    assert again.decision.codes == ("cancellation.already_ending",)


def test_immediate_bundle_edits_and_number_changes_apply_at_once(
    make_context: MakeContext, make_product: MakeProduct
) -> None:
    app = _published(Policies(order=OrderPolicy(bundle_edit=Timing.IMMEDIATELY)))
    service, uow = app.catalog, app.storage.catalog
    seed(
        uow,
        make_product("mix_package", "mix-1", bundle_items=MIX),
        make_product("bedrift_total_c_10gb", "plan-1", asset=PHONE),
    )
    five = MIX | {"mix_food", "mix_crime"}
    edited = service.edit_bundle("mix-1", five, make_context(), idempotency_key="e")
    assert isinstance(edited.events[1], BundleEdited)
    mix = uow.inventory.find("mix-1")
    assert mix is not None
    assert mix.bundle_items == five
    assert mix.scheduled is None
    new_number = Asset.msisdn("+4791234567")
    placed = place(service, OrderItem.modify("plan-1", asset=new_number), make_context(), "n")
    moved = uow.inventory.find("plan-1")
    assert moved is not None
    assert moved.asset == new_number
    assert isinstance(placed.events[1], ProductModified)


def test_only_pending_products_of_a_failed_order_are_terminated(
    service: CatalogService,
    uow: CatalogUnitOfWork,
    make_context: MakeContext,
    plan: ProductInstance,
) -> None:
    order = place(service, OrderItem.add("net_protection", asset=PHONE), make_context(), "k").value
    (product,) = uow.inventory.for_order(order.id)
    with uow:
        uow.inventory.update(next_version(product, status=ProductStatus.ACTIVE))
        uow.commit()
    cancelled = service.advance_order(order.id, OrderState.CANCELLED)
    (kept,) = uow.inventory.for_order(order.id)
    assert kept.status is ProductStatus.ACTIVE
    assert len(cancelled.events) == 1  # the state change; no product ended


def test_updating_an_order_cannot_move_its_idempotency_key() -> None:
    repo = MemoryOrderRepository(MemoryDatabase())
    order = ProductOrder(
        id="o1",
        relationship_id=REL,
        idempotency_key="k1",
        items=(OrderItem.add("security_vpn"),),
        lines=(),
        placed_at=NOW,
    )
    repo.add(order)
    with pytest.raises(NotFound):
        repo.update(next_version(order, idempotency_key="k2"))


def test_a_written_cancellation_needs_valid_contact_details(
    service: CatalogService,
    uow: CatalogUnitOfWork,
    make_context: MakeContext,
    make_product: MakeProduct,
) -> None:
    seed(uow, make_product("tv_sport", "tv-1"))
    refused = service.cancel_service(
        "tv-1", make_context(), contact_phone="123", contact_email="not an address"
    )
    codes = refused.decision.codes
    assert codes
    assert all(c.startswith(("phone.", "email.")) for c in codes)
    assert any(c.startswith("phone.") for c in codes)
    assert any(c.startswith("email.") for c in codes)


def test_a_quote_cannot_be_placed_under_another_relationships_permission(
    service: CatalogService, make_context: MakeContext, plan: ProductInstance
) -> None:
    quote = service.quote_order(
        OrderItem.add("net_protection", asset=PHONE), make_context()
    ).unwrap()
    other = make_context(relationship_id=RelationshipId("rel-2"))
    refused = service.place_order(quote, other, idempotency_key="k")
    assert refused.decision.codes == ("order.relationship_mismatch",)


def test_a_sim_card_in_use_on_another_subscription_cannot_be_activated(
    service: CatalogService,
    uow: CatalogUnitOfWork,
    make_context: MakeContext,
    make_product: MakeProduct,
) -> None:
    other_phone = Asset.msisdn("+4791234567")
    seed(
        uow,
        make_product("bedrift_total_c_10gb", "plan-1", asset=PHONE),
        make_product("bedrift_total_c_10gb", "plan-2", asset=other_phone),
    )
    first = service.activate_sim(
        "plan-1", "8947 0800 0000 0000 007", make_context(), idempotency_key="a"
    )
    assert isinstance(first.events[1], SimActivated)
    in_use = service.activate_sim(
        "plan-2", "8947080000000000007", make_context(), idempotency_key="b"
    )
    assert in_use.decision.codes == ("asset.sim_in_use",)
    assert uow.orders.find_by_idempotency_key(REL, "b") is None
    bad = service.activate_sim("plan-2", "8947080000000000008", make_context(), idempotency_key="c")
    assert bad.decision.codes == ("asset.invalid_iccid",)


def test_every_public_method_returns_an_outcome() -> None:
    import inspect  # noqa: PLC0415
    import typing  # noqa: PLC0415

    methods = [
        member
        for name, member in inspect.getmembers(CatalogService, inspect.isfunction)
        if not name.startswith("_")
    ]
    assert len(methods) == 11
    for method in methods:
        returned = typing.get_type_hints(method)["return"]
        assert set(typing.get_args(returned)) >= {Refused}, method.__name__
        assert any(typing.get_origin(arg) is Done for arg in typing.get_args(returned))
