"""In-memory repositories of the catalog, on :class:`~selfcare.adapters.memory.MemoryDatabase`.

>>> from selfcare.catalog.sample import sample_catalog
>>> db = MemoryDatabase()
>>> uow = MemoryCatalogUnitOfWork(db)
>>> with uow:
...     for offering in sample_catalog().offerings:
...         uow.catalog.add(offering)
...     uow.commit()
>>> len(uow.catalog.catalog()) == len(sample_catalog())
True
"""

from __future__ import annotations

from typing import cast

from selfcare.adapters.memory._store import MemoryDatabase, MemoryTable, MemoryUnitOfWork
from selfcare.catalog.inventory import Asset, ProductInstance
from selfcare.catalog.offerings import Catalog, Offering
from selfcare.catalog.orders import ProductOrder
from selfcare.catalog.ports import CatalogRepository, InventoryRepository, OrderRepository
from selfcare.core.decision import Violation
from selfcare.core.errors import AlreadyExists, NotFound
from selfcare.core.ids import RelationshipId

__all__ = [
    "MemoryCatalogRepository",
    "MemoryCatalogUnitOfWork",
    "MemoryInventoryRepository",
    "MemoryOrderRepository",
]


class MemoryCatalogRepository:
    """Offerings in a :class:`MemoryDatabase` table."""

    def __init__(self, database: MemoryDatabase) -> None:
        self._db = database
        self._table = cast("MemoryTable[str, Offering]", database.table("catalog_offerings"))
        self._table.index("group", lambda o: (o.group,))

    def add(self, offering: Offering) -> None:
        """Store a new offering; ``AlreadyExists`` if its id is taken."""
        self._table.insert(offering.id, offering)

    def replace(self, offering: Offering) -> None:
        """Replace the offering with the same id; ``NotFound`` if there is none."""
        with self._db.lock:
            self._table.require(offering.id)
            self._table.put(offering.id, offering)

    def find(self, offering_id: str) -> Offering | None:
        """The offering ``offering_id`` or ``None``."""
        return self._table.find(offering_id)

    def in_group(self, group: str) -> tuple[Offering, ...]:
        """The offerings of ``group``, in the order they were added."""
        return tuple(self._table.lookup("group", group))

    def catalog(self) -> Catalog:
        """Every offering, in the order they were added."""
        return Catalog(tuple(self._table.scan()))


class MemoryInventoryRepository:
    """Product instances in a :class:`MemoryDatabase` table."""

    def __init__(self, database: MemoryDatabase) -> None:
        self._table = cast("MemoryTable[str, ProductInstance]", database.table("catalog_products"))
        self._table.index("relationship", lambda p: (p.relationship_id,))
        self._table.index("asset", lambda p: (p.asset, p.sim))
        self._table.index("order", lambda p: (p.order_id,))

    def add(self, product: ProductInstance) -> None:
        """Store a new product; ``AlreadyExists`` if its id is taken."""
        self._table.insert(product.id, product)

    def update(self, product: ProductInstance) -> None:
        """Compare-and-set save (``ConcurrencyConflict`` / ``NotFound``)."""
        self._table.compare_and_set(product.id, product, product.version - 1)

    def find(self, product_id: str) -> ProductInstance | None:
        """The product ``product_id`` or ``None``."""
        return self._table.find(product_id)

    def for_relationship(self, relationship_id: RelationshipId) -> tuple[ProductInstance, ...]:
        """Every product of the relationship, oldest first."""
        return tuple(self._table.lookup("relationship", relationship_id))

    def for_asset(self, asset: Asset) -> tuple[ProductInstance, ...]:
        """Every product attached to ``asset`` (as its asset or its SIM), oldest first."""
        return tuple(self._table.lookup("asset", asset))

    def for_order(self, order_id: str) -> tuple[ProductInstance, ...]:
        """Every product created by the order, oldest first."""
        return tuple(self._table.lookup("order", order_id))


class MemoryOrderRepository:
    """Product orders in a :class:`MemoryDatabase` table, with a unique index on
    (relationship, idempotency key)."""

    def __init__(self, database: MemoryDatabase) -> None:
        self._db = database
        self._table = cast("MemoryTable[str, ProductOrder]", database.table("catalog_orders"))
        self._table.index("relationship", lambda o: (o.relationship_id,))
        self._keys = cast("MemoryTable[tuple[str, str], str]", database.table("catalog_order_keys"))

    def add(self, order: ProductOrder) -> None:
        """Store a new order; ``AlreadyExists`` if its id or its idempotency key (within
        the relationship) is taken."""
        key = (str(order.relationship_id), order.idempotency_key)
        with self._db.lock:
            if self._keys.find(key) is not None:
                raise AlreadyExists(Violation("store.already_exists", {"entity": "product_order"}))
            self._table.insert(order.id, order)
            self._keys.insert(key, order.id)

    def update(self, order: ProductOrder) -> None:
        """Compare-and-set save (``ConcurrencyConflict`` / ``NotFound``). The
        idempotency key and relationship of an order never change."""
        with self._db.lock:
            stored = self._table.find(order.id)
            if stored is not None and (
                stored.idempotency_key != order.idempotency_key
                or stored.relationship_id != order.relationship_id
            ):
                raise NotFound(Violation("store.not_found", {"entity": "product_order"}))
            self._table.compare_and_set(order.id, order, order.version - 1)

    def find(self, order_id: str) -> ProductOrder | None:
        """The order ``order_id`` or ``None``."""
        return self._table.find(order_id)

    def find_by_idempotency_key(
        self, relationship_id: RelationshipId, key: str
    ) -> ProductOrder | None:
        """The order placed for the relationship with ``key``, or ``None``."""
        with self._db.lock:
            order_id = self._keys.find((str(relationship_id), key))
            return None if order_id is None else self._table.find(order_id)

    def for_relationship(self, relationship_id: RelationshipId) -> tuple[ProductOrder, ...]:
        """Every order of the relationship, oldest first."""
        return tuple(self._table.lookup("relationship", relationship_id))


class MemoryCatalogUnitOfWork(MemoryUnitOfWork):
    """The catalog's unit of work over a :class:`MemoryDatabase`."""

    def __init__(self, database: MemoryDatabase) -> None:
        super().__init__(database)
        self.catalog: CatalogRepository = MemoryCatalogRepository(database)
        self.inventory: InventoryRepository = MemoryInventoryRepository(database)
        self.orders: OrderRepository = MemoryOrderRepository(database)
