"""The SQLite catalog repositories pass the catalog contract suites."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from selfcare.adapters.sqlite import (
    SqliteCatalogRepository,
    SqliteCatalogUnitOfWork,
    SqliteDatabase,
    SqliteInventoryRepository,
    SqliteOrderRepository,
)
from selfcare.catalog import OrderItem, ProductOrder
from selfcare.catalog.sample import sample_catalog
from selfcare.core.errors import NotFound
from selfcare.core.ids import RelationshipId
from selfcare.core.ports import next_version
from selfcare.testing.contracts.catalog import (
    CatalogRepositoryContract,
    CatalogUnitOfWorkContract,
    InventoryRepositoryContract,
    OrderRepositoryContract,
)

NewDatabase = Callable[[], SqliteDatabase]


class _Databases:
    @pytest.fixture(autouse=True)
    def _databases(self, new_database: NewDatabase) -> None:
        self.new_database = new_database


class TestSqliteCatalogRepository(_Databases, CatalogRepositoryContract):
    def make_repository(self) -> SqliteCatalogRepository:
        return SqliteCatalogRepository(self.new_database())


class TestSqliteInventoryRepository(_Databases, InventoryRepositoryContract):
    def make_repository(self) -> SqliteInventoryRepository:
        return SqliteInventoryRepository(self.new_database())


class TestSqliteOrderRepository(_Databases, OrderRepositoryContract):
    def make_repository(self) -> SqliteOrderRepository:
        return SqliteOrderRepository(self.new_database())


class TestSqliteCatalogUnitOfWork(_Databases, CatalogUnitOfWorkContract):
    def make_unit_of_work(self) -> SqliteCatalogUnitOfWork:
        return SqliteCatalogUnitOfWork(self.new_database())


def test_the_sample_catalog_round_trips_in_order(new_database: NewDatabase) -> None:
    uow = SqliteCatalogUnitOfWork(new_database())
    with uow:
        for offering in sample_catalog().offerings:
            uow.catalog.add(offering)
        uow.commit()
    assert uow.catalog.catalog() == sample_catalog()
    first = sample_catalog().offerings[0]
    uow.catalog.replace(first)
    assert uow.catalog.catalog().offerings[0] == first


def test_an_update_may_not_move_an_order_to_another_key(new_database: NewDatabase) -> None:
    orders = SqliteOrderRepository(new_database())
    order = ProductOrder(
        id="o1",
        relationship_id=RelationshipId("rel-1"),
        idempotency_key="k1",
        items=(OrderItem.add("security_total"),),
        lines=(),
        placed_at=datetime(2026, 3, 10, tzinfo=UTC),
    )
    orders.add(order)
    with pytest.raises(NotFound):
        orders.update(next_version(order, idempotency_key="k2"))
    assert orders.find_by_idempotency_key(RelationshipId("rel-1"), "k2") is None


def test_text_sqlite_cannot_store_finds_nothing(new_database: NewDatabase) -> None:
    db = new_database()
    lone = "\udfff"
    catalog = SqliteCatalogRepository(db)
    inventory = SqliteInventoryRepository(db)
    orders = SqliteOrderRepository(db)
    assert catalog.find(lone) is None
    assert catalog.in_group(lone) == ()
    assert inventory.find(lone) is None
    assert inventory.for_relationship(RelationshipId(lone)) == ()
    assert inventory.for_order(lone) == ()
    assert orders.find(lone) is None
    assert orders.find_by_idempotency_key(RelationshipId("rel-1"), lone) is None
    assert orders.for_relationship(RelationshipId(lone)) == ()
