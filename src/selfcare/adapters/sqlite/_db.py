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

Every statement runs through :meth:`SqliteDatabase.execute` (or
:meth:`~SqliteDatabase.fetch`), the one place where the driver's errors become the
library's (as eventsourcing's SQLite datastore does in its transaction):

- a unique index violated: :class:`~selfcare.core.errors.AlreadyExists`;
- the file locked past the busy timeout, read-only, full, failing, unopenable or corrupt:
  :class:`~selfcare.core.errors.StorageUnavailable` with ``store.unavailable`` and a
  short ``reason`` (``locked``, ``read_only``, ``disk_full``, ``io_error``,
  ``cannot_open``, ``corrupt``, ``out_of_memory``); SQLite has then undone the
  statement or the whole transaction, and the unit of work rolls back the rest;
- a value SQLite cannot hold (text with a lone surrogate, an integer beyond 64 bits):
  :class:`~selfcare.core.errors.SelfcareError` ``serialization.invalid_value``; a value
  of a type it cannot hold at all: :class:`TypeError`.

Finders check their keys once, in :func:`lookup_keys` (used by :meth:`SqliteTable.select`
and :meth:`SqliteTable.delete`): a key SQLite cannot hold was never stored, so it finds
nothing (like the in-memory adapter), and a key that is not a string is a
:class:`TypeError`.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Generic, Self, TypeVar, cast

import attrs

from selfcare.adapters._nesting import NestingUnitOfWork
from selfcare.core.decision import Violation
from selfcare.core.errors import (
    AlreadyExists,
    ConcurrencyConflict,
    NotFound,
    SelfcareError,
    StorageUnavailable,
)
from selfcare.serialization import converter

__all__ = ["Migration", "SqliteDatabase", "SqliteTable", "SqliteUnitOfWork", "lookup_keys"]

E = TypeVar("E")

#: Rewrites the fields of an unstructured document in place (sealing or unsealing).
DocumentHook = Callable[[dict[str, Any]], None]

#: Why the storage is unavailable, by SQLite's primary result code. Other codes
#: (``SQLITE_ERROR``: a mistake in our SQL, ``SQLITE_MISUSE``) are bugs and stay as
#: they are.
_UNAVAILABLE: Mapping[int, str] = {
    sqlite3.SQLITE_BUSY: "locked",
    sqlite3.SQLITE_LOCKED: "locked",
    sqlite3.SQLITE_PROTOCOL: "locked",
    sqlite3.SQLITE_READONLY: "read_only",
    sqlite3.SQLITE_FULL: "disk_full",
    sqlite3.SQLITE_IOERR: "io_error",
    sqlite3.SQLITE_CANTOPEN: "cannot_open",
    sqlite3.SQLITE_CORRUPT: "corrupt",
    sqlite3.SQLITE_NOTADB: "corrupt",
    sqlite3.SQLITE_NOMEM: "out_of_memory",
}


#: What the driver raises, translated by :func:`_library_error`.
_DRIVER_ERRORS = (sqlite3.Error, UnicodeEncodeError, OverflowError)


def _library_error(error: Exception) -> Exception:
    """The library's error for the driver's ``error`` (``error`` itself for a bug)."""
    translated: Exception
    if isinstance(error, sqlite3.IntegrityError):
        if error.sqlite_errorcode not in (
            sqlite3.SQLITE_CONSTRAINT_UNIQUE,
            sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY,
        ):
            return error
        # "UNIQUE constraint failed: <table>.<column>, ..."
        table = str(error).partition(": ")[2].partition(".")[0]
        translated = AlreadyExists(Violation("store.already_exists", {"entity": table}))
    elif isinstance(error, sqlite3.ProgrammingError):
        if not str(error).startswith("Error binding parameter"):
            return error
        translated = TypeError(str(error))
    elif isinstance(error, UnicodeEncodeError | OverflowError):
        translated = SelfcareError(
            Violation("serialization.invalid_value", {"path": "$", "expected": "storable text"})
        )
    else:
        reason = _UNAVAILABLE.get(getattr(error, "sqlite_errorcode", -1) & 0xFF)
        if reason is None:
            return error
        # The driver's message says no more than the reason, and helps an operator.
        translated = StorageUnavailable(Violation("store.unavailable", {"reason": reason}))
        translated.__cause__ = error
    translated.__suppress_context__ = True
    return translated


def lookup_keys(keys: Iterable[str | None]) -> list[str | None]:
    """The caller's ``keys`` ready to bind: text SQLite cannot hold (a lone surrogate,
    which no stored row can contain) becomes ``None``, which equals nothing in SQL, so
    that it finds nothing and the other keys of an ``OR`` still count.

    Raises:
        TypeError: a key is neither a string nor ``None``.
    """
    return [_lookup_key(key) for key in keys]


def _lookup_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not isinstance(key, str):
        msg = f"a key must be str, not {type(key).__name__}"  # type: ignore[unreachable]
        raise TypeError(msg)
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return key


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
        """This thread's connection (opened on first use).

        Raises:
            StorageUnavailable: the file cannot be opened or set up.
        """
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = self._connect()
            except _DRIVER_ERRORS as error:
                raise _library_error(error)  # noqa: B904 - its cause is set when useful
            self._local.conn = conn
            self._local.depth = 0
            with self._all_lock:
                self._all.append(conn)
        return conn

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
        )
        conn.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode is durable against a killed process (only a power cut can
        # lose the last transactions); FULL would fsync on every commit.
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
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
        self.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations"
            " (name TEXT PRIMARY KEY, applied_order INTEGER NOT NULL)"
        )
        applied: list[str] = []
        for migration in migrations:
            with SqliteUnitOfWork(self) as uow:
                if not self.fetch(
                    "SELECT 1 FROM schema_migrations WHERE name = ?", (migration.name,)
                ):
                    for statement in _statements(migration.sql):
                        self.execute(statement)
                    self.execute(
                        "INSERT INTO schema_migrations (name, applied_order)"
                        " SELECT ?, COALESCE(MAX(applied_order), 0) + 1 FROM schema_migrations",
                        (migration.name,),
                    )
                    applied.append(migration.name)
                uow.commit()
        return applied

    def applied_migrations(self) -> list[str]:
        """The names of the migrations applied, in order."""
        rows = self.fetch("SELECT name FROM schema_migrations ORDER BY applied_order")
        return [row[0] for row in rows]

    # -- statements --------------------------------------------------------------
    def execute(
        self, sql: str, params: Sequence[object] | Mapping[str, object] = ()
    ) -> sqlite3.Cursor:
        """Run one statement on this thread's connection (see the module docstring for
        the errors it raises instead of the driver's)."""
        try:
            return self.connection.execute(sql, params)
        except _DRIVER_ERRORS as error:
            raise _library_error(error)  # noqa: B904 - its cause is set when useful

    def fetch(self, sql: str, params: Sequence[object] | Mapping[str, object] = ()) -> list[Any]:
        """Every row of one query, read within the same error translation."""
        cursor = self.execute(sql, params)
        try:
            return cursor.fetchall()
        except _DRIVER_ERRORS as error:
            raise _library_error(error)  # noqa: B904 - its cause is set when useful


def _statements(sql: str) -> Iterator[str]:
    for part in sql.split(";"):
        if part.strip():
            yield part


@functools.lru_cache(maxsize=8192)
def _structured(cls: Any, on_read: DocumentHook | None, data: str) -> Any:
    """The entity of class ``cls`` stored as the JSON text ``data``.

    Entities are immutable and ``data`` is their whole content, so the result can be
    shared: finders read the same documents again and again (a relationship's grants on
    every permission check), and building an entity costs far more than looking the
    text up. The hook is part of the key, so documents read under another operator key
    are never confused.
    """
    document = json.loads(data)
    if on_read is not None:
        on_read(document)
    return converter.structure(document, cls)


class SqliteTable(Generic[E]):
    """A table of JSON documents of one (immutable) entity class.

    The table has the columns ``key`` (primary key), ``version``, ``data`` (the JSON
    document) and one column per entry of ``columns``, each computed from the entity
    and meant for the finders (create indexes for them in the migration).

    ``on_write`` gets the unstructured entity before it is serialised (e.g. to replace
    a national identity code by its sealed form); ``on_read`` gets the parsed document
    before it is structured (to undo it).
    """

    def __init__(
        self,
        database: SqliteDatabase,
        name: str,
        cls: type[E],
        *,
        key: Callable[[E], str],
        columns: Mapping[str, Callable[[E], object]] | None = None,
        on_write: DocumentHook | None = None,
        on_read: DocumentHook | None = None,
    ) -> None:
        self.db = database
        self.name = name
        self.cls = cls
        self._key = key
        self._columns = dict(columns or {})
        self._on_write = on_write
        self._on_read = on_read
        names = ["key", "version", "data", *self._columns]
        self._insert_sql = (
            f"INSERT INTO {name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"  # noqa: S608 - names are ours
        )
        sets = ", ".join(f"{column} = ?" for column in ["version", "data", *self._columns])
        self._update_sql = f"UPDATE {name} SET {sets} WHERE key = ? AND version = ?"  # noqa: S608
        self._get_sql = f"SELECT data FROM {name} WHERE key = ?"  # noqa: S608

    def _row(self, entity: E) -> list[object]:
        document = converter.unstructure(entity)
        if self._on_write is not None:
            self._on_write(document)
        return [
            self._key(entity),
            getattr(entity, "version", 0),
            json.dumps(document, ensure_ascii=False, sort_keys=True),
            *(fn(entity) for fn in self._columns.values()),
        ]

    def load(self, data: str) -> E:
        """The entity stored as the document ``data``."""
        cls: Any = self.cls
        return cast("E", _structured(cls, self._on_read, data))

    # -- writes ------------------------------------------------------------------
    def insert(self, entity: E) -> None:
        """Store a new entity; :class:`AlreadyExists` when its key (or another unique
        column) is taken."""
        self.db.execute(self._insert_sql, self._row(entity))

    def compare_and_set(self, entity: E, expected_version: int) -> None:
        """Replace the stored entity if its version is ``expected_version``.

        Raises:
            NotFound: nothing is stored under the entity's key.
            ConcurrencyConflict: the stored version is another.
            AlreadyExists: the new values take another entity's unique column.
        """
        key, version, data, *columns = self._row(entity)
        cursor = self.db.execute(self._update_sql, [version, data, *columns, key, expected_version])
        if cursor.rowcount == 0:
            if self.find(cast("str", key)) is None:
                raise NotFound(Violation("store.not_found", {"entity": self.name}))
            raise ConcurrencyConflict(Violation("store.conflict", {"entity": self.name}))

    def put(self, entity: E) -> None:
        """Insert or replace without a version check."""
        self.db.execute(
            self._insert_sql.replace("INSERT", "INSERT OR REPLACE", 1), self._row(entity)
        )

    def delete(self, key: str) -> bool:
        """Remove ``key``; whether it was there."""
        sql = f"DELETE FROM {self.name} WHERE key = ?"  # noqa: S608 - our SQL
        return self.db.execute(sql, lookup_keys([key])).rowcount > 0

    # -- finders -----------------------------------------------------------------
    def select(
        self,
        where: str,
        keys: Sequence[str | None] = (),
        values: Sequence[int] = (),
        *,
        order_by: str = "rowid",
        limit: int = -1,
    ) -> list[E]:
        """The entities matching the SQL condition ``where`` (written by us), in
        ``order_by`` (at most ``limit``).

        Its ``?`` placeholders take the caller's ``keys`` (text, checked by
        :func:`lookup_keys`: one SQLite cannot hold matches nothing), then ``values``
        (numbers the adapter computed).

        Raises:
            TypeError: a key is not a string.
        """
        rows = self.db.fetch(
            f"SELECT data FROM {self.name} WHERE {where} ORDER BY {order_by} LIMIT ?",  # noqa: S608 - our SQL
            [*lookup_keys(keys), *values, limit],
        )
        return [self.load(row[0]) for row in rows]

    def first(self, where: str, keys: Sequence[str | None]) -> E | None:
        """The oldest entity matching ``where`` (see :meth:`select`), or ``None``."""
        found = self.select(where, keys, limit=1)
        return found[0] if found else None

    def find(self, key: str) -> E | None:
        """The entity under ``key`` or ``None`` (see :meth:`select` for odd keys)."""
        rows = self.db.fetch(self._get_sql, lookup_keys((key,)))
        return self.load(rows[0][0]) if rows else None

    def require(self, key: str) -> E:
        """The entity under ``key``; :class:`NotFound` when absent."""
        found = self.find(key)
        if found is None:
            raise NotFound(Violation("store.not_found", {"entity": self.name}))
        return found

    def _where(self, where: Mapping[str, object]) -> str:
        for column in where:
            self._check_column(column)
        return " AND ".join(f"{column} = ?" for column in where) or "1 = 1"

    def _check_column(self, column: str) -> None:
        if column not in self._columns and column not in ("key", "version", "rowid"):
            msg = f"{column!r} is not a column of {self.name}"
            raise ValueError(msg)

    def find_where(self, order_by: str = "rowid", **where: object) -> list[E]:
        """Entities whose columns equal the given values (all when none), in ``order_by``."""
        self._check_column(order_by)
        rows = self.db.fetch(
            f"SELECT data FROM {self.name} WHERE {self._where(where)} ORDER BY {order_by}",  # noqa: S608
            list(where.values()),
        )
        return [self.load(row[0]) for row in rows]

    def count(self, **where: object) -> int:
        """How many entities match."""
        (row,) = self.db.fetch(
            f"SELECT COUNT(*) FROM {self.name} WHERE {self._where(where)}",  # noqa: S608
            list(where.values()),
        )
        return int(row[0])


class SqliteUnitOfWork(NestingUnitOfWork):
    """One ``BEGIN IMMEDIATE`` transaction on this thread's connection.

    Nested units of work join the outer one: only the outermost commit counts. Leaving
    the block without a commit rolls back.

    Raises:
        StorageUnavailable: ``store.unavailable`` (``locked``) when another writer holds
            the database past the busy timeout, on entering or committing.
    """

    def __init__(self, database: SqliteDatabase) -> None:
        self.database: SqliteDatabase = database

    def _begin(self) -> None:
        self.database.execute("BEGIN IMMEDIATE")

    def _discard(self) -> None:
        if self.database.connection.in_transaction:
            self.database.execute("ROLLBACK")

    def _commit(self) -> None:
        """Commit and keep a transaction open for further work."""
        self.database.execute("COMMIT")
        self.database.execute("BEGIN IMMEDIATE")

    def _rollback(self) -> None:
        self.database.execute("ROLLBACK")
        self.database.execute("BEGIN IMMEDIATE")
