"""The full schema of the PostgreSQL adapters, and :func:`open_database`.

Every domain module lists its own migrations (``MIGRATIONS``), named
``<domain>_<number>_<what>`` like SQLite's; :data:`MIGRATIONS` is all of them in the
order they are applied. A migration, once released, is never edited: a schema change is
a new migration appended to its domain's list. Opening the database applies those not
yet recorded in ``schema_migrations``, each in its own transaction, one process at a
time (an advisory lock), so service processes may start together.
"""

from __future__ import annotations

from selfcare.adapters._sql._table import Migration
from selfcare.adapters.postgres import authz, billing, catalog, identity, privacy
from selfcare.adapters.postgres._db import PostgresDatabase

__all__ = ["MIGRATIONS", "open_database"]

#: Every migration of every domain, in the order they are applied.
MIGRATIONS: tuple[Migration, ...] = (
    *identity.MIGRATIONS,
    *authz.MIGRATIONS,
    *catalog.MIGRATIONS,
    *billing.MIGRATIONS,
    *privacy.MIGRATIONS,
)


def open_database(
    dsn: str, *, pool_size: int = 10, schema: str | None = None, timeout: float = 30.0
) -> PostgresDatabase:
    """Connect to the PostgreSQL database ``dsn`` and bring its schema up to date.

    Open one :class:`~selfcare.adapters.postgres.PostgresDatabase` per process and share
    it between threads (each thread's unit of work borrows its own connection); many
    processes, on many machines, may open the same database.

    Args:
        dsn: a libpq connection string or URI.
        pool_size: the most connections this process opens.
        schema: the schema for the tables (created when missing), e.g. one per tenant
            or per test; the connection's default (``public``) when ``None``.
        timeout: seconds to wait to connect, and for a free connection.

    Raises:
        StorageUnavailable: the server cannot be reached (``cannot_connect``).
    """
    return PostgresDatabase(dsn, MIGRATIONS, pool_size=pool_size, schema=schema, timeout=timeout)
