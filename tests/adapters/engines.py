"""The SQL engines the reliability tests run on, behind one small interface, so that the
same test runs on SQLite and on PostgreSQL (``engine`` fixture in conftest.py)."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Protocol

from postgres_server import PostgresSchemas, dump

from selfcare.adapters.postgres import MIGRATIONS as POSTGRES_MIGRATIONS
from selfcare.adapters.postgres import (
    PostgresAuthzUnitOfWork,
    PostgresBillingUnitOfWork,
    PostgresCatalogUnitOfWork,
    PostgresDatabase,
    PostgresIdentityUnitOfWork,
    PostgresPrivacyUnitOfWork,
)
from selfcare.adapters.sqlite import MIGRATIONS as SQLITE_MIGRATIONS
from selfcare.adapters.sqlite import (
    SqliteAuthzUnitOfWork,
    SqliteBillingUnitOfWork,
    SqliteCatalogUnitOfWork,
    SqliteDatabase,
    SqliteIdentityUnitOfWork,
    SqlitePrivacyUnitOfWork,
    open_database,
)
from selfcare.authz.ports import AuthzUnitOfWork
from selfcare.billing.ports import BillingUnitOfWork
from selfcare.catalog.ports import CatalogUnitOfWork
from selfcare.identity.national_id_at_rest import NationalIdKey
from selfcare.identity.ports import IdentityUnitOfWork
from selfcare.privacy.ports import PrivacyUnitOfWork

Database = SqliteDatabase | PostgresDatabase


class Engine(Protocol):
    """Fresh databases of one engine and the units of work over them."""

    name: str

    def new(self) -> Database:
        """A new, empty database with the full schema."""
        ...

    def again(self, database: Database) -> Database:
        """Another handle, with connections of its own, on ``database``."""
        ...

    def new_without(self, names: Collection[str]) -> Database:
        """A new database with every migration but those named (an older schema)."""
        ...

    def migrate(self, database: Database) -> list[str]:
        """Apply every migration not yet applied to ``database``; their names."""
        ...

    def authz(self, database: Database) -> AuthzUnitOfWork: ...

    def identity(self, database: Database, key: NationalIdKey) -> IdentityUnitOfWork: ...

    def billing(self, database: Database) -> BillingUnitOfWork: ...

    def catalog(self, database: Database) -> CatalogUnitOfWork: ...

    def privacy(self, database: Database, key: NationalIdKey) -> PrivacyUnitOfWork: ...

    def dump(self, database: Database) -> list[str]:
        """Everything stored, as text."""
        ...

    def locator(self, database: Database) -> dict[str, str | None]:
        """What another process needs to open ``database`` (see ``open_located``)."""
        ...

    def close(self) -> None:
        """Close (and drop) every database this engine opened."""
        ...


class SqliteEngine:
    name = "sqlite"

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._opened: list[SqliteDatabase] = []

    def new(self) -> SqliteDatabase:
        database = open_database(self._folder / f"db-{len(self._opened)}.sqlite3")
        self._opened.append(database)
        return database

    def again(self, database: Database) -> SqliteDatabase:
        assert isinstance(database, SqliteDatabase)
        other = SqliteDatabase(database.path)
        self._opened.append(other)
        return other

    def new_without(self, names: Collection[str]) -> SqliteDatabase:
        migrations = [m for m in SQLITE_MIGRATIONS if m.name not in names]
        database = SqliteDatabase(self._folder / f"db-{len(self._opened)}.sqlite3", migrations)
        self._opened.append(database)
        return database

    def migrate(self, database: Database) -> list[str]:
        assert isinstance(database, SqliteDatabase)
        return database.migrate(SQLITE_MIGRATIONS)

    def authz(self, database: Database) -> AuthzUnitOfWork:
        assert isinstance(database, SqliteDatabase)
        return SqliteAuthzUnitOfWork(database)

    def identity(self, database: Database, key: NationalIdKey) -> IdentityUnitOfWork:
        assert isinstance(database, SqliteDatabase)
        return SqliteIdentityUnitOfWork(database, key)

    def billing(self, database: Database) -> BillingUnitOfWork:
        assert isinstance(database, SqliteDatabase)
        return SqliteBillingUnitOfWork(database)

    def catalog(self, database: Database) -> CatalogUnitOfWork:
        assert isinstance(database, SqliteDatabase)
        return SqliteCatalogUnitOfWork(database)

    def privacy(self, database: Database, key: NationalIdKey) -> PrivacyUnitOfWork:
        assert isinstance(database, SqliteDatabase)
        return SqlitePrivacyUnitOfWork(database, key)

    def dump(self, database: Database) -> list[str]:
        assert isinstance(database, SqliteDatabase)
        return list(database.connection.iterdump())

    def locator(self, database: Database) -> dict[str, str | None]:
        assert isinstance(database, SqliteDatabase)
        return {"engine": self.name, "path": database.path}

    def close(self) -> None:
        for database in self._opened:
            database.close()


class PostgresEngine:
    name = "postgres"

    def __init__(self, dsn: str) -> None:
        self._schemas = PostgresSchemas(dsn)
        self._dsn = dsn

    def new(self) -> PostgresDatabase:
        return self._schemas.new()

    def again(self, database: Database) -> PostgresDatabase:
        assert isinstance(database, PostgresDatabase)
        return self._schemas.again(database)

    def new_without(self, names: Collection[str]) -> PostgresDatabase:
        migrations = [m for m in POSTGRES_MIGRATIONS if m.name not in names]
        return self._schemas.new(migrations=migrations)

    def migrate(self, database: Database) -> list[str]:
        assert isinstance(database, PostgresDatabase)
        return database.migrate(POSTGRES_MIGRATIONS)

    def authz(self, database: Database) -> AuthzUnitOfWork:
        assert isinstance(database, PostgresDatabase)
        return PostgresAuthzUnitOfWork(database)

    def identity(self, database: Database, key: NationalIdKey) -> IdentityUnitOfWork:
        assert isinstance(database, PostgresDatabase)
        return PostgresIdentityUnitOfWork(database, key)

    def billing(self, database: Database) -> BillingUnitOfWork:
        assert isinstance(database, PostgresDatabase)
        return PostgresBillingUnitOfWork(database)

    def catalog(self, database: Database) -> CatalogUnitOfWork:
        assert isinstance(database, PostgresDatabase)
        return PostgresCatalogUnitOfWork(database)

    def privacy(self, database: Database, key: NationalIdKey) -> PrivacyUnitOfWork:
        assert isinstance(database, PostgresDatabase)
        return PostgresPrivacyUnitOfWork(database, key)

    def dump(self, database: Database) -> list[str]:
        assert isinstance(database, PostgresDatabase)
        return dump(database)

    def locator(self, database: Database) -> dict[str, str | None]:
        assert isinstance(database, PostgresDatabase)
        return {"engine": self.name, "dsn": self._dsn, "schema": database.schema}

    def close(self) -> None:
        self._schemas.drop_all()


#: Python source that defines ``open_located(locator) -> (database, AuthzUnitOfWork
#: class)`` in a child process.
OPEN_LOCATED = """
def open_located(locator):
    if locator["engine"] == "sqlite":
        from selfcare.adapters.sqlite import SqliteAuthzUnitOfWork, open_database
        return open_database(locator["path"]), SqliteAuthzUnitOfWork
    from selfcare.adapters.postgres import PostgresAuthzUnitOfWork, PostgresDatabase
    database = PostgresDatabase(locator["dsn"], schema=locator["schema"], pool_size=1)
    return database, PostgresAuthzUnitOfWork
"""
