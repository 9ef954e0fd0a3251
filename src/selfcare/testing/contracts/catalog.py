"""Contract suites for the catalog's ports.

Subclass each suite, implement its factory, and pytest runs every contract against
your implementation::

    class TestMyInventoryRepository(InventoryRepositoryContract):
        def make_repository(self):
            return MyInventoryRepository(connection)

A factory returns a fresh, empty repository each time it is called.
"""

# ruff: noqa: S101 - a contract suite is a pytest test module; assert is how it tests

from __future__ import annotations

import abc
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from selfcare.catalog import (
    Asset,
    LocalizedText,
    Offering,
    OfferingKind,
    OrderItem,
    Price,
    PriceType,
    ProductInstance,
    ProductOrder,
    ProductStatus,
)
from selfcare.catalog.ports import (
    CatalogRepository,
    CatalogUnitOfWork,
    InventoryRepository,
    OrderRepository,
)
from selfcare.core.errors import AlreadyExists, ConcurrencyConflict, NotFound
from selfcare.core.ids import RelationshipId
from selfcare.core.money import Money
from selfcare.core.ports import next_version
from selfcare.testing.contracts._base import KEYS_NO_ROW_CAN_HOLD, Contract
from selfcare.testing.contracts.unit_of_work import UnitOfWorkContract

__all__ = [
    "CatalogRepositoryContract",
    "CatalogUnitOfWorkContract",
    "InventoryRepositoryContract",
    "OrderRepositoryContract",
]

_NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
_REL = RelationshipId("rel-1")
_OTHER_REL = RelationshipId("rel-2")


def _offering(offering_id: str, group: str = "security", amount: str = "9.90") -> Offering:
    name = offering_id.replace("_", " ")
    return Offering(
        id=offering_id,
        names=LocalizedText(en=name, fi=name, sv=name, nb=name),
        group=group,
        kind=OfferingKind.STANDALONE,
        prices=(Price(PriceType.RECURRING, Money(amount, "EUR")),),
    )


def _product(
    product_id: str,
    relationship_id: RelationshipId = _REL,
    *,
    asset: Asset | None = None,
    order_id: str | None = None,
    start: datetime = _NOW,
) -> ProductInstance:
    return ProductInstance(
        id=product_id,
        offering_id="security_total",
        relationship_id=relationship_id,
        status=ProductStatus.ACTIVE,
        asset=asset,
        start=start,
        order_id=order_id,
    )


def _order(
    order_id: str, key: str, relationship_id: RelationshipId = _REL, placed_at: datetime = _NOW
) -> ProductOrder:
    return ProductOrder(
        id=order_id,
        relationship_id=relationship_id,
        idempotency_key=key,
        items=(OrderItem.add("security_total"),),
        lines=(),
        placed_at=placed_at,
    )


class CatalogRepositoryContract(Contract, abc.ABC):
    """What every :class:`~selfcare.catalog.ports.CatalogRepository` must do."""

    @abc.abstractmethod
    def make_repository(self) -> CatalogRepository:
        """A fresh, empty repository."""

    def test_an_added_offering_can_be_read_back(self) -> None:
        repo = self.make_repository()
        offering = _offering("security_total")
        repo.add(offering)
        assert repo.find("security_total") == offering
        assert repo.find("missing") is None

    def test_adding_an_id_twice_is_refused(self) -> None:
        repo = self.make_repository()
        repo.add(_offering("security_total"))
        with pytest.raises(AlreadyExists):
            repo.add(_offering("security_total", amount="1.00"))
        assert repo.find("security_total") == _offering("security_total")

    def test_replace_changes_a_stored_offering_only(self) -> None:
        repo = self.make_repository()
        repo.add(_offering("security_total"))
        repo.replace(_offering("security_total", amount="12.90"))
        stored = repo.find("security_total")
        assert stored is not None
        assert stored.monthly_price == Money("12.90", "EUR")
        with pytest.raises(NotFound):
            repo.replace(_offering("unknown"))

    def test_group_and_catalog_list_in_insertion_order(self) -> None:
        repo = self.make_repository()
        for offering_id, group in (("b", "tv"), ("a", "security"), ("c", "tv")):
            repo.add(_offering(offering_id, group))
        assert [o.id for o in repo.in_group("tv")] == ["b", "c"]
        assert repo.in_group("none") == ()
        catalog = repo.catalog()
        assert [o.id for o in catalog.offerings] == ["b", "a", "c"]
        assert catalog.find("a") == _offering("a", "security")


class InventoryRepositoryContract(Contract, abc.ABC):
    """What every :class:`~selfcare.catalog.ports.InventoryRepository` must do."""

    @abc.abstractmethod
    def make_repository(self) -> InventoryRepository:
        """A fresh, empty repository."""

    def test_an_added_product_can_be_read_back(self) -> None:
        repo = self.make_repository()
        product = _product("p1", asset=Asset.msisdn("+358401234567"))
        repo.add(product)
        assert repo.find("p1") == product
        assert repo.find("p2") is None

    def test_adding_an_id_twice_is_refused(self) -> None:
        repo = self.make_repository()
        repo.add(_product("p1"))
        with pytest.raises(AlreadyExists):
            repo.add(_product("p1", _OTHER_REL))
        stored = repo.find("p1")
        assert stored is not None
        assert stored.relationship_id == _REL

    def test_update_is_compare_and_set_on_the_version(self) -> None:
        repo = self.make_repository()
        first = _product("p1")
        repo.add(first)
        second = next_version(first, status=ProductStatus.SUSPENDED)
        repo.update(second)
        assert repo.find("p1") == second
        with pytest.raises(ConcurrencyConflict):
            repo.update(next_version(first, status=ProductStatus.TERMINATED))
        with pytest.raises(ConcurrencyConflict):
            repo.update(second)
        assert repo.find("p1") == second

    def test_updating_an_unknown_product_is_not_found(self) -> None:
        repo = self.make_repository()
        with pytest.raises(NotFound):
            repo.update(next_version(_product("p1")))

    def test_finders_list_in_the_order_added(self) -> None:
        # Unsorted ids, tied start times and a last product that started first: only
        # the order they were added passes.
        repo = self.make_repository()
        phone = Asset.msisdn("+4741234567")
        sim = Asset.iccid("8947080000000000007")
        earlier = _NOW - timedelta(days=30)
        repo.add(_product("p7", asset=phone, order_id="o1", start=_NOW + timedelta(days=1)))
        repo.add(_product("p2", _OTHER_REL, order_id="o1"))
        repo.add(attrs.evolve(_product("p5", asset=phone), sim=sim))
        repo.add(_product("p4"))
        repo.add(_product("p1", asset=phone, order_id="o1", start=earlier))
        assert [p.id for p in repo.for_relationship(_REL)] == ["p7", "p5", "p4", "p1"]
        assert repo.for_relationship(RelationshipId("none")) == ()
        assert [p.id for p in repo.for_asset(phone)] == ["p7", "p5", "p1"]
        assert [p.id for p in repo.for_asset(sim)] == ["p5"]
        assert repo.for_asset(Asset.msisdn("+4791234567")) == ()
        assert [p.id for p in repo.for_order("o1")] == ["p7", "p2", "p1"]
        assert repo.for_order("o2") == ()

    def test_keys_no_row_can_hold_find_nothing(self) -> None:
        repo = self.make_repository()
        repo.add(_product("p1", order_id="o1"))
        for key in KEYS_NO_ROW_CAN_HOLD:
            assert repo.find(key) is None
            assert repo.for_relationship(RelationshipId(key)) == ()
            assert repo.for_order(key) == ()


class OrderRepositoryContract(Contract, abc.ABC):
    """What every :class:`~selfcare.catalog.ports.OrderRepository` must do."""

    @abc.abstractmethod
    def make_repository(self) -> OrderRepository:
        """A fresh, empty repository."""

    def test_an_added_order_can_be_read_back_by_id_and_key(self) -> None:
        repo = self.make_repository()
        order = _order("o1", "key-1")
        repo.add(order)
        assert repo.find("o1") == order
        assert repo.find_by_idempotency_key(_REL, "key-1") == order
        assert repo.find_by_idempotency_key(_REL, "key-2") is None
        assert repo.find_by_idempotency_key(_OTHER_REL, "key-1") is None
        assert repo.find("o2") is None

    def test_a_taken_id_or_idempotency_key_is_refused(self) -> None:
        repo = self.make_repository()
        repo.add(_order("o1", "key-1"))
        with pytest.raises(AlreadyExists):
            repo.add(_order("o1", "key-2"))
        with pytest.raises(AlreadyExists):
            repo.add(_order("o2", "key-1"))
        assert repo.find("o2") is None
        assert repo.find_by_idempotency_key(_REL, "key-2") is None
        repo.add(_order("o3", "key-1", _OTHER_REL))  # keys are per relationship
        assert repo.find_by_idempotency_key(_OTHER_REL, "key-1") == _order(
            "o3", "key-1", _OTHER_REL
        )

    def test_update_is_compare_and_set_on_the_version(self) -> None:
        from selfcare.catalog import OrderState  # noqa: PLC0415

        repo = self.make_repository()
        first = _order("o1", "key-1")
        repo.add(first)
        second = next_version(first, state=OrderState.IN_PROGRESS)
        repo.update(second)
        assert repo.find("o1") == second
        assert repo.find_by_idempotency_key(_REL, "key-1") == second
        with pytest.raises(ConcurrencyConflict):
            repo.update(next_version(first, state=OrderState.CANCELLED))
        with pytest.raises(NotFound):
            repo.update(next_version(_order("o9", "key-9")))
        assert repo.find("o1") == second

    def test_for_relationship_lists_in_the_order_added(self) -> None:
        repo = self.make_repository()
        repo.add(_order("o4", "k4", placed_at=_NOW + timedelta(hours=1)))
        repo.add(_order("o2", "k2"))
        repo.add(_order("o1", "k1", _OTHER_REL))
        repo.add(_order("o3", "k3"))
        repo.add(_order("o0", "k0", placed_at=_NOW - timedelta(hours=1)))
        assert [o.id for o in repo.for_relationship(_REL)] == ["o4", "o2", "o3", "o0"]
        assert repo.for_relationship(RelationshipId("none")) == ()

    def test_keys_no_row_can_hold_find_nothing(self) -> None:
        repo = self.make_repository()
        repo.add(_order("o1", "k1"))
        for key in KEYS_NO_ROW_CAN_HOLD:
            assert repo.find(key) is None
            assert repo.find_by_idempotency_key(_REL, key) is None
            assert repo.find_by_idempotency_key(RelationshipId(key), "k1") is None
            assert repo.for_relationship(RelationshipId(key)) == ()


class CatalogUnitOfWorkContract(UnitOfWorkContract[CatalogUnitOfWork]):
    """What every :class:`~selfcare.catalog.ports.CatalogUnitOfWork` must do: the
    transaction rules of :class:`~selfcare.testing.contracts.unit_of_work.UnitOfWorkContract`
    over all three repositories."""

    @abc.abstractmethod
    def make_unit_of_work(self) -> CatalogUnitOfWork:
        """A unit of work over fresh, empty storage (each call may share that storage
        with the earlier calls of the same test)."""

    def add_entity(self, uow: CatalogUnitOfWork, key: str) -> None:
        """Add a product with id ``key``."""
        uow.inventory.add(_product(key))

    def has_entity(self, uow: CatalogUnitOfWork, key: str) -> bool:
        """Whether the product ``key`` is stored."""
        return uow.inventory.find(key) is not None

    def test_every_repository_is_in_the_transaction(self) -> None:
        uow = self.make_unit_of_work()
        with uow:
            uow.catalog.add(_offering("security_total"))
            uow.inventory.add(_product("p1"))
            uow.orders.add(_order("o1", "k1"))
        with uow:
            assert uow.catalog.find("security_total") is None
            assert uow.inventory.find("p1") is None
            assert uow.orders.find("o1") is None
            assert uow.orders.find_by_idempotency_key(_REL, "k1") is None
            uow.catalog.add(_offering("security_total"))
            uow.inventory.add(_product("p1"))
            uow.orders.add(_order("o1", "k1"))
            uow.commit()
        with uow:
            assert uow.catalog.find("security_total") is not None
            assert uow.inventory.find("p1") is not None
            assert uow.orders.find_by_idempotency_key(_REL, "k1") is not None
