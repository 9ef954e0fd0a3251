"""PostgreSQL repositories of :mod:`selfcare.catalog` and its unit of work."""

from __future__ import annotations

from selfcare.adapters._sql.catalog import (
    CatalogRepositories,
    SqlCatalogRepository,
    SqlInventoryRepository,
    SqlOrderRepository,
)
from selfcare.adapters.postgres._db import Migration, PostgresDatabase, PostgresUnitOfWork

__all__ = [
    "MIGRATIONS",
    "PostgresCatalogRepository",
    "PostgresCatalogUnitOfWork",
    "PostgresInventoryRepository",
    "PostgresOrderRepository",
]

#: The catalog schema, in order.
MIGRATIONS = (
    Migration(
        "catalog_0001_offerings_products_orders",
        """
        CREATE TABLE catalog_offerings (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version BIGINT NOT NULL,
            data TEXT NOT NULL,
            offering_group TEXT NOT NULL
        );
        CREATE INDEX catalog_offerings_group ON catalog_offerings (offering_group, seq);
        CREATE TABLE catalog_products (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version BIGINT NOT NULL,
            data TEXT NOT NULL,
            relationship_id TEXT NOT NULL,
            asset TEXT,
            sim TEXT,
            order_id TEXT
        );
        CREATE INDEX catalog_products_relationship ON catalog_products (relationship_id, seq);
        CREATE INDEX catalog_products_asset ON catalog_products (asset, seq);
        CREATE INDEX catalog_products_sim ON catalog_products (sim, seq);
        CREATE INDEX catalog_products_order ON catalog_products (order_id, seq);
        CREATE TABLE catalog_orders (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version BIGINT NOT NULL,
            data TEXT NOT NULL,
            relationship_id TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            placed_by TEXT,
            UNIQUE (relationship_id, idempotency_key)
        );
        CREATE INDEX catalog_orders_placed_by ON catalog_orders (placed_by, seq);
        CREATE INDEX catalog_orders_relationship ON catalog_orders (relationship_id, seq)
        """,
    ),
)


class PostgresCatalogRepository(SqlCatalogRepository):
    """Offerings in the ``catalog_offerings`` table, in the order they were added."""


class PostgresInventoryRepository(SqlInventoryRepository):
    """Product instances in the ``catalog_products`` table."""


class PostgresOrderRepository(SqlOrderRepository):
    """Product orders in the ``catalog_orders`` table, unique by id and by
    (relationship, idempotency key)."""


class PostgresCatalogUnitOfWork(CatalogRepositories, PostgresUnitOfWork):
    """A unit of work (one transaction) over the catalog repositories of a database."""

    def __init__(self, database: PostgresDatabase) -> None:
        super().__init__(database)
        self._open_catalog(database)
