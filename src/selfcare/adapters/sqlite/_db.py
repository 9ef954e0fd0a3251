"""The storage engine behind the SQLite adapters (standard library :mod:`sqlite3`).

- One file, WAL journal mode, a connection per thread, a busy timeout so that writers
  queue instead of failing.
- Named, versioned migrations applied in order when the database is opened; the table
  ``schema_migrations`` records which ran.
- Entities are stored as JSON documents written by the library's cattrs converter, beside
  the columns the finders need (indexed) and the ``version`` used for compare-and-set.
- A :class:`SqliteUnitOfWork` is one ``BEGIN IMMEDIATE`` transaction: everything a use
  case saves is committed together or not at all, and a process killed in the middle
  leaves the last committed state.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import attrs

from selfcare.core.decision import Violation
from selfcare.core.errors import AlreadyExists, ConcurrencyConflict, NotFound
from selfcare.serialization import converter

__all__ = ["Migration", "SqliteDatabase", "SqliteTable", "SqliteUnitOfWork"]

E = TypeVar("E")


@attrs.frozen
class Migration:
    """One schema change: a unique ``name`` (e.g. ``authz_0001_grants``) and its SQL."""

    name: str
    sql: str


class SqliteDatabase:
    """A SQLite file (or ``":memory:"``-like shared cache) with migrations applied on open.

    Args:
        path: the database file; created when missing.
        migrations: applied in order, each once; names already recorded are skipped.
        busy_timeout: seconds a writer waits for another writer's transaction.
    """

    def __init__(
        self,
        path: str | Path,
        migrations: Sequence[Migration] = (),
        *,
        busy_timeout: float = 30.0,
    ) -> None:
        self.path = str(path)
        self.busy_timeout = busy_timeout
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        self.migrate(migrations)

    # -- connections -------------------------------------------------------------
    @property
    def connection(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode is durable against a killed process (only a power cut
            # can lose the last transactions); FULL would fsync on every commit.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
            self._local.depth = 0
            with self._all_lock:
                self._all.append(conn)
        return conn

    @property
    def depth(self) -> int:
        """How many units of work are open on this thread."""
        self.connection  # noqa: B018 - opens the connection and its depth counter
        depth: int = self._local.depth
        return depth

    @depth.setter
    def depth(self, value: int) -> None:
        self._local.depth = value

    def close(self) -> None:
        """Close every connection this object opened."""
        with self._all_lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- migrations --------------------------------------------------------------
    def migrate(self, migrations: Iterable[Migration]) -> list[str]:
        """Apply the migrations not yet recorded, in order; return their names."""
        conn = self.connection
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations"
            " (name TEXT PRIMARY KEY, applied_order INTEGER NOT NULL)"
        )
        applied: list[str] = []
        for migration in migrations:
            conn.execute("BEGIN IMMEDIATE")
            try:
                done = conn.execute(
                    "SELECT 1 FROM schema_migrations WHERE name = ?", (migration.name,)
                ).fetchone()
                if done is None:
                    for statement in _statements(migration.sql):
                        conn.execute(statement)
                    conn.execute(
                        "INSERT INTO schema_migrations (name, applied_order)"
                        " SELECT ?, COALESCE(MAX(applied_order), 0) + 1 FROM schema_migrations",
                        (migration.name,),
                    )
                    applied.append(migration.name)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return applied

    def applied_migrations(self) -> list[str]:
        """The names of the migrations applied, in order."""
        rows = self.connection.execute(
            "SELECT name FROM schema_migrations ORDER BY applied_order"
        ).fetchall()
        return [row[0] for row in rows]

    def execute(
        self, sql: str, params: Sequence[object] | Mapping[str, object] = ()
    ) -> sqlite3.Cursor:
        """Run one statement on this thread's connection."""
        return self.connection.execute(sql, params)


def _statements(sql: str) -> Iterator[str]:
    for part in sql.split(";"):
        if part.strip():
            yield part


class SqliteTable(Generic[E]):
    """A table of JSON documents of one entity class.

    The table has the columns ``key`` (primary key), ``version``, ``data`` (the JSON
    document) and one column per entry of ``columns``, each computed from the entity
    and meant for the finders (create indexes for them in the migration).
    """

    def __init__(
        self,
        database: SqliteDatabase,
        name: str,
        cls: type[E],
        *,
        key: Callable[[E], str],
        columns: Mapping[str, Callable[[E], object]] | None = None,
    ) -> None:
        self.db = database
        self.name = name
        self.cls = cls
        self._key = key
        self._columns = dict(columns or {})
        names = ["key", "version", "data", *self._columns]
        self._insert_sql = (
            f"INSERT INTO {name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"  # noqa: S608 - names are ours
        )
        sets = ", ".join(f"{column} = ?" for column in ["version", "data", *self._columns])
        self._update_sql = f"UPDATE {name} SET {sets} WHERE key = ? AND version = ?"  # noqa: S608

    def _row(self, entity: E) -> list[object]:
        return [
            json.dumps(converter.unstructure(entity), ensure_ascii=False, sort_keys=True),
            *(fn(entity) for fn in self._columns.values()),
        ]

    def _load(self, data: str) -> E:
        return converter.structure(json.loads(data), self.cls)

    def insert(self, entity: E) -> None:
        """Store a new entity; :class:`AlreadyExists` when its key is taken."""
        version = getattr(entity, "version", 0)
        try:
            self.db.execute(self._insert_sql, [self._key(entity), version, *self._row(entity)])
        except sqlite3.IntegrityError:
            raise AlreadyExists(Violation("store.already_exists", {"entity": self.name})) from None

    def compare_and_set(self, entity: E, expected_version: int) -> None:
        """Replace the stored entity if its version is ``expected_version``.

        Raises:
            NotFound: nothing is stored under the entity's key.
            ConcurrencyConflict: the stored version is another.
        """
        key = self._key(entity)
        version = getattr(entity, "version", 0)
        data, *columns = self._row(entity)
        cursor = self.db.execute(self._update_sql, [version, data, *columns, key, expected_version])
        if cursor.rowcount == 0:
            if self.get(key) is None:
                raise NotFound(Violation("store.not_found", {"entity": self.name}))
            raise ConcurrencyConflict(Violation("store.conflict", {"entity": self.name}))

    def put(self, entity: E) -> None:
        """Insert or replace without a version check."""
        version = getattr(entity, "version", 0)
        self.db.execute(
            self._insert_sql.replace("INSERT", "INSERT OR REPLACE", 1),
            [self._key(entity), version, *self._row(entity)],
        )

    def get(self, key: str) -> E | None:
        """The entity under ``key`` or ``None``."""
        row = self.db.execute(f"SELECT data FROM {self.name} WHERE key = ?", (key,)).fetchone()  # noqa: S608
        return None if row is None else self._load(row[0])

    def require(self, key: str) -> E:
        """The entity under ``key``; :class:`NotFound` when absent."""
        found = self.get(key)
        if found is None:
            raise NotFound(Violation("store.not_found", {"entity": self.name}))
        return found

    def delete(self, key: str) -> bool:
        """Remove ``key``; whether it was there."""
        return self.db.execute(f"DELETE FROM {self.name} WHERE key = ?", (key,)).rowcount > 0  # noqa: S608

    def find(self, order_by: str = "rowid", **where: object) -> list[E]:
        """Entities whose columns equal the given values (all when none), in ``order_by``."""
        for column in [*where, order_by]:
            if column not in self._columns and column not in ("key", "version", "rowid"):
                msg = f"{column!r} is not a column of {self.name}"
                raise ValueError(msg)
        clause = " AND ".join(f"{column} = ?" for column in where) or "1 = 1"
        rows = self.db.execute(
            f"SELECT data FROM {self.name} WHERE {clause} ORDER BY {order_by}",  # noqa: S608
            list(where.values()),
        ).fetchall()
        return [self._load(row[0]) for row in rows]

    def count(self, **where: object) -> int:
        """How many entities match."""
        clause = " AND ".join(f"{column} = ?" for column in where) or "1 = 1"
        row = self.db.execute(
            f"SELECT COUNT(*) FROM {self.name} WHERE {clause}",  # noqa: S608
            list(where.values()),
        ).fetchone()
        return int(row[0])


class SqliteUnitOfWork:
    """One ``BEGIN IMMEDIATE`` transaction on this thread's connection.

    Nested units of work join the outer one: only the outermost commit counts. Leaving
    the block without a commit rolls back.
    """

    def __init__(self, database: SqliteDatabase) -> None:
        self.database = database

    def __enter__(self) -> Self:
        db = self.database
        if db.depth == 0:
            db.execute("BEGIN IMMEDIATE")
        db.depth += 1
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        db = self.database
        db.depth -= 1
        if db.depth == 0 and db.connection.in_transaction:
            db.execute("ROLLBACK")

    def commit(self) -> None:
        """Commit (outermost unit only) and keep a transaction open for further work."""
        db = self.database
        if db.depth == 1:
            db.execute("COMMIT")
            db.execute("BEGIN IMMEDIATE")

    def rollback(self) -> None:
        """Undo everything since the last commit (outermost unit only)."""
        db = self.database
        if db.depth == 1:
            db.execute("ROLLBACK")
            db.execute("BEGIN IMMEDIATE")


def unstructured(entity: Any) -> Any:
    """The JSON-ready form of ``entity`` (for index columns built from nested values)."""
    return converter.unstructure(entity)
