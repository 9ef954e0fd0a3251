"""The catalog repositories of the SQL engines."""

from __future__ import annotations

from selfcare.adapters._sql._table import SqlEngine, SqlTable
from selfcare.catalog.inventory import Asset, ProductInstance
from selfcare.catalog.offerings import Catalog, Offering
from selfcare.catalog.orders import ProductOrder
from selfcare.catalog.ports import CatalogRepository, InventoryRepository, OrderRepository
from selfcare.core.decision import Violation
from selfcare.core.errors import NotFound
from selfcare.core.ids import RelationshipId

__all__ = [
    "CatalogRepositories",
    "SqlCatalogRepository",
    "SqlInventoryRepository",
    "SqlOrderRepository",
]


def _asset_key(asset: Asset | None) -> str | None:
    return None if asset is None else f"{asset.kind.value}:{asset.value}"


class SqlCatalogRepository:
    """Offerings in the ``catalog_offerings`` table, in the order they were added."""

    def __init__(self, database: SqlEngine) -> None:
        self._table = SqlTable(
            database,
            "catalog_offerings",
            Offering,
            key=lambda o: o.id,
            columns={"offering_group": lambda o: o.group},
        )

    def add(self, offering: Offering) -> None:
        """Store a new offering; ``AlreadyExists`` if its id is taken."""
        self._table.insert(offering)

    def replace(self, offering: Offering) -> None:
        """Replace the offering with the same id (keeping its place in the catalog);
        ``NotFound`` if there is none."""
        # Offerings carry no version: the stored one is always at version 0.
        self._table.compare_and_set(offering, 0)

    def find(self, offering_id: str) -> Offering | None:
        """The offering ``offering_id`` or ``None``."""
        return self._table.find(offering_id)

    def in_group(self, group: str) -> tuple[Offering, ...]:
        """The offerings of ``group``, in the order they were added."""
        return tuple(self._table.select("offering_group = ?", [group]))

    def catalog(self) -> Catalog:
        """Every offering, in the order they were added."""
        return Catalog(tuple(self._table.select("1 = 1")))


class SqlInventoryRepository:
    """Product instances in the ``catalog_products`` table."""

    def __init__(self, database: SqlEngine) -> None:
        self._table = SqlTable(
            database,
            "catalog_products",
            ProductInstance,
            key=lambda p: p.id,
            columns={
                "relationship_id": lambda p: p.relationship_id,
                "asset": lambda p: _asset_key(p.asset),
                "sim": lambda p: _asset_key(p.sim),
                "order_id": lambda p: p.order_id,
            },
        )

    def add(self, product: ProductInstance) -> None:
        """Store a new product; ``AlreadyExists`` if its id is taken."""
        self._table.insert(product)

    def update(self, product: ProductInstance) -> None:
        """Compare-and-set on ``product.version - 1`` (``ConcurrencyConflict`` /
        ``NotFound``)."""
        self._table.compare_and_set(product, product.version - 1)

    def find(self, product_id: str) -> ProductInstance | None:
        """The product ``product_id`` or ``None``."""
        return self._table.find(product_id)

    def for_relationship(self, relationship_id: RelationshipId) -> tuple[ProductInstance, ...]:
        """Every product of the relationship (terminated ones too), oldest first."""
        return tuple(self._table.select("relationship_id = ?", [relationship_id]))

    def for_asset(self, asset: Asset) -> tuple[ProductInstance, ...]:
        """Every product attached to ``asset`` (as its asset or its SIM), oldest first."""
        key = _asset_key(asset)
        return tuple(self._table.select("asset = ? OR sim = ?", [key, key]))

    def for_order(self, order_id: str) -> tuple[ProductInstance, ...]:
        """Every product created by the order ``order_id``, oldest first."""
        return tuple(self._table.select("order_id = ?", [order_id]))


def orders_table(database: SqlEngine) -> SqlTable[ProductOrder]:
    """The ``catalog_orders`` table (shared with the privacy index)."""
    return SqlTable(
        database,
        "catalog_orders",
        ProductOrder,
        key=lambda o: o.id,
        columns={
            "relationship_id": lambda o: o.relationship_id,
            "idempotency_key": lambda o: o.idempotency_key,
            "placed_by": lambda o: o.placed_by,
        },
    )


class SqlOrderRepository:
    """Product orders in the ``catalog_orders`` table, unique by id and by
    (relationship, idempotency key)."""

    def __init__(self, database: SqlEngine) -> None:
        self._table = orders_table(database)

    def add(self, order: ProductOrder) -> None:
        """Store a new order; ``AlreadyExists`` if its id, or its idempotency key within
        its relationship, is taken."""
        self._table.insert(order)

    def update(self, order: ProductOrder) -> None:
        """Compare-and-set on ``order.version - 1`` (``ConcurrencyConflict`` /
        ``NotFound``). The idempotency key and relationship of an order never change:
        an order that changes them is not the stored one (``NotFound``)."""
        stored = self.find(order.id)
        if stored is not None and (
            stored.idempotency_key != order.idempotency_key
            or stored.relationship_id != order.relationship_id
        ):
            raise NotFound(Violation("store.not_found", {"entity": "product_order"}))
        self._table.compare_and_set(order, order.version - 1)

    def find(self, order_id: str) -> ProductOrder | None:
        """The order ``order_id`` or ``None``."""
        return self._table.find(order_id)

    def find_by_idempotency_key(
        self, relationship_id: RelationshipId, key: str
    ) -> ProductOrder | None:
        """The order placed for the relationship with ``key``, or ``None``."""
        return self._table.first(
            "relationship_id = ? AND idempotency_key = ?", [relationship_id, key]
        )

    def for_relationship(self, relationship_id: RelationshipId) -> tuple[ProductOrder, ...]:
        """Every order of the relationship, oldest first."""
        return tuple(self._table.select("relationship_id = ?", [relationship_id]))


class CatalogRepositories:
    """The repositories of a catalog unit of work (mixed into each engine's)."""

    catalog: CatalogRepository
    inventory: InventoryRepository
    orders: OrderRepository

    def _open_catalog(self, database: SqlEngine) -> None:
        self.catalog = SqlCatalogRepository(database)
        self.inventory = SqlInventoryRepository(database)
        self.orders = SqlOrderRepository(database)
