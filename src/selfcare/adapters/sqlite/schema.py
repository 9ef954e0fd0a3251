"""The full schema of the SQLite adapters, and :func:`open_database`.

Every domain module lists its own migrations (``MIGRATIONS``), named
``<domain>_<number>_<what>``; :data:`MIGRATIONS` is all of them in the order they are
applied. A migration, once released, is never edited: a schema change is a new
migration appended to its domain's list.

>>> db = open_database(":memory:")
>>> db.applied_migrations() == [m.name for m in MIGRATIONS]
True
>>> db.close()
"""

from __future__ import annotations

from pathlib import Path

from selfcare.adapters.sqlite import authz, billing, catalog, identity, privacy
from selfcare.adapters.sqlite._db import Migration, SqliteDatabase

__all__ = ["MIGRATIONS", "open_database"]

#: Every migration of every domain, in the order they are applied.
MIGRATIONS: tuple[Migration, ...] = (
    *identity.MIGRATIONS,
    *authz.MIGRATIONS,
    *catalog.MIGRATIONS,
    *billing.MIGRATIONS,
    *privacy.MIGRATIONS,
)


def open_database(path: str | Path, *, busy_timeout: float = 30.0) -> SqliteDatabase:
    """Open (or create) the database file ``path`` with the schema of every domain.

    The migrations not yet applied to the file are applied, each in its own
    transaction. Open one :class:`~selfcare.adapters.sqlite.SqliteDatabase` per process
    and share it between threads (each thread gets its own connection); several
    processes may open the same file.

    Args:
        path: the database file, created when missing.
        busy_timeout: seconds a writer waits for another writer before giving up.
    """
    return SqliteDatabase(path, MIGRATIONS, busy_timeout=busy_timeout)
