"""The PostgreSQL server of the adapter tests: the one named by ``SELFCARE_TEST_POSTGRES_DSN``.

Without that variable every PostgreSQL test is skipped, all with one line saying how to
run them; with ``SELFCARE_REQUIRE_POSTGRES=1`` (``.ci/run`` sets it) a missing server
fails them instead. Each test gets its databases in schemas of its own, dropped when it
ends, so tests stay independent and may run against a shared server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from typing import Any

import psycopg
import pytest
from psycopg import sql

from selfcare.adapters._sql._table import Migration
from selfcare.adapters.postgres import PostgresDatabase, open_database

__all__ = [
    "DSN_VARIABLE",
    "HOW_TO_RUN",
    "PostgresSchemas",
    "dump",
    "needs_postgres",
    "postgres_dsn",
    "postgres_required",
]

DSN_VARIABLE = "SELFCARE_TEST_POSTGRES_DSN"
HOW_TO_RUN = (
    f"PostgreSQL tests need a server: set {DSN_VARIABLE}, or run them on a throwaway "
    "local one with `.ci/with-postgres .venv/bin/python -m pytest`"
)


def postgres_required() -> bool:
    """Whether a missing server is an error (``SELFCARE_REQUIRE_POSTGRES=1``, set by CI)."""
    return bool(os.environ.get("SELFCARE_REQUIRE_POSTGRES"))


def postgres_dsn() -> str:
    """The test server's DSN; skips the test (fails it when required) without one."""
    dsn = os.environ.get(DSN_VARIABLE, "").strip()
    if not dsn:
        if postgres_required():
            pytest.fail(HOW_TO_RUN, pytrace=False)
        pytest.skip(HOW_TO_RUN)
    return dsn


def needs_postgres(item: pytest.Item) -> bool:
    """Whether the test ``item`` runs against the PostgreSQL server."""
    callspec = getattr(item, "callspec", None)
    if callspec is not None and callspec.params.get("engine") == "postgres":
        return True
    return "postgres_schemas" in getattr(item, "fixturenames", ())


class PostgresSchemas:
    """Databases in fresh schemas of the test server, each dropped by :meth:`drop_all`."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self._schemas: list[str] = []
        self._opened: list[PostgresDatabase] = []

    def new(
        self, *, pool_size: int = 4, migrations: Sequence[Migration] | None = None
    ) -> PostgresDatabase:
        """A database with the full schema (or only ``migrations``), in a schema no
        other test uses."""
        schema = f"test_{uuid.uuid4().hex[:16]}"
        self._schemas.append(schema)
        if migrations is not None:
            return self._keep(
                PostgresDatabase(self.dsn, migrations, schema=schema, pool_size=pool_size)
            )
        return self._keep(open_database(self.dsn, schema=schema, pool_size=pool_size))

    def again(self, database: PostgresDatabase, *, pool_size: int = 2) -> PostgresDatabase:
        """Another handle (its own pool of connections) on ``database``'s schema."""
        return self._keep(PostgresDatabase(self.dsn, schema=database.schema, pool_size=pool_size))

    def _keep(self, database: PostgresDatabase) -> PostgresDatabase:
        self._opened.append(database)
        return database

    def drop_all(self) -> None:
        """Close every database opened here and drop their schemas."""
        for database in self._opened:
            database.close()
        self._opened.clear()
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            for schema in self._schemas:
                conn.execute(
                    sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
                )
        self._schemas.clear()


def dump(database: PostgresDatabase) -> list[str]:
    """Every row of every table of ``database``'s schema, as text, in a stable order
    (identity sequences are left out: a refused insert may advance them)."""
    tables = database.fetch(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = ?"
        " ORDER BY table_name",
        (database.schema,),
    )
    lines: list[str] = []
    for (table,) in tables:
        rows: list[Any] = database.fetch(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608
        lines.extend(f"{table}: {row!r}" for row in rows)
    return lines
