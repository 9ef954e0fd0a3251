"""Ports of the catalog: the repositories a caller implements, and the unit of work.

Repositories follow the house rules (see :mod:`selfcare.core.ports`): ``add`` raises
:class:`~selfcare.core.errors.AlreadyExists` for a taken key, ``update`` is a
compare-and-set on ``entity.version - 1`` (:class:`~selfcare.core.errors.ConcurrencyConflict`,
or :class:`~selfcare.core.errors.NotFound` when nothing is stored), ``find`` returns
``None`` for an unknown id. The contract suites in :mod:`selfcare.testing.contracts.catalog`
pin the semantics down.
"""

from __future__ import annotations

from typing import Protocol

from selfcare.catalog.inventory import Asset, ProductInstance
from selfcare.catalog.offerings import Catalog, Offering
from selfcare.catalog.orders import ProductOrder
from selfcare.core.ids import RelationshipId
from selfcare.core.ports import UnitOfWork

__all__ = ["CatalogRepository", "CatalogUnitOfWork", "InventoryRepository", "OrderRepository"]


class CatalogRepository(Protocol):
    """The operator's offerings (unversioned: the catalog is published, not edited
    concurrently)."""

    def add(self, offering: Offering) -> None:
        """Store a new offering; ``AlreadyExists`` if its id is taken."""
        ...

    def replace(self, offering: Offering) -> None:
        """Replace the offering with the same id; ``NotFound`` if there is none."""
        ...

    def find(self, offering_id: str) -> Offering | None:
        """The offering ``offering_id`` or ``None``."""
        ...

    def in_group(self, group: str) -> tuple[Offering, ...]:
        """The offerings of ``group``, in the order they were added."""
        ...

    def catalog(self) -> Catalog:
        """Every offering, in the order they were added."""
        ...


class InventoryRepository(Protocol):
    """The customers' products (TMF637 product inventory)."""

    def add(self, product: ProductInstance) -> None:
        """Store a new product; ``AlreadyExists`` if its id is taken."""
        ...

    def update(self, product: ProductInstance) -> None:
        """Compare-and-set save of a changed product (``version`` bumped by one)."""
        ...

    def find(self, product_id: str) -> ProductInstance | None:
        """The product ``product_id`` or ``None``."""
        ...

    def for_relationship(self, relationship_id: RelationshipId) -> tuple[ProductInstance, ...]:
        """Every product of the relationship (terminated ones too), oldest first (in the order they
        were added)."""
        ...

    def for_asset(self, asset: Asset) -> tuple[ProductInstance, ...]:
        """Every product attached to ``asset`` (as its asset or its SIM), oldest first (in the order
        they were added)."""
        ...

    def for_order(self, order_id: str) -> tuple[ProductInstance, ...]:
        """Every product created by the order ``order_id``, oldest first (in the order they
        were added)."""
        ...


class OrderRepository(Protocol):
    """Placed orders (TMF622)."""

    def add(self, order: ProductOrder) -> None:
        """Store a new order; ``AlreadyExists`` if its id, or its idempotency key within
        its relationship, is taken."""
        ...

    def update(self, order: ProductOrder) -> None:
        """Compare-and-set save of a changed order (``version`` bumped by one)."""
        ...

    def find(self, order_id: str) -> ProductOrder | None:
        """The order ``order_id`` or ``None``."""
        ...

    def find_by_idempotency_key(
        self, relationship_id: RelationshipId, key: str
    ) -> ProductOrder | None:
        """The order placed for the relationship with ``key``, or ``None``."""
        ...

    def for_relationship(self, relationship_id: RelationshipId) -> tuple[ProductOrder, ...]:
        """Every order of the relationship, oldest first (in the order they
        were added)."""
        ...


class CatalogUnitOfWork(UnitOfWork, Protocol):
    """The unit of work of the catalog's use cases."""

    catalog: CatalogRepository
    inventory: InventoryRepository
    orders: OrderRepository
