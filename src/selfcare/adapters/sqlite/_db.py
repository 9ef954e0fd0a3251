"""The storage engine behind the SQLite adapters (standard library :mod:`sqlite3`).

- One file, WAL journal mode, a connection per thread, a busy timeout so that writers
  queue instead of failing.
- The file is created readable and writable by its owner only (``0600``, whatever the
  umask); SQLite gives its ``-wal`` and ``-shm`` files the same mode. An existing file
  keeps the mode it has.
- ``secure_delete`` is on: a deleted or changed row is overwritten with zeros, so that
  an erased person's data does not stay in free pages; :meth:`SqliteDatabase.checkpoint`
  empties the write-ahead log after an erasure.
- Named, versioned migrations applied in order when the database is opened; the table
  ``schema_migrations`` records which ran.
- Entities are stored as JSON documents written by the library's cattrs converter, beside
  the columns the finders need (indexed) and the ``version`` used for compare-and-set.
- A :class:`SqliteUnitOfWork` is one transaction: everything a use case saves is
  committed together or not at all, and a process killed in the middle leaves the last
  committed state. It starts as a deferred (read) transaction, so finders never wait
  for a writer nor hold one up, and takes the write lock at its first write (upgrading
  the read transaction in place, or ``BEGIN IMMEDIATE`` when SQLite refuses that);
  what it read before is checked with compare-and-set on the ``version`` of every
  entity it saves (see :class:`SqliteUnitOfWork`).

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

Finders check their keys once, in :func:`lookup_keys` (used by ``SqliteTable.select``
and ``SqliteTable.delete``): a key SQLite cannot hold was never stored, so it finds
nothing (like the in-memory adapter), and a key that is not a string is a
:class:`TypeError`.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

from selfcare.adapters._nesting import TransactionUnitOfWork
from selfcare.adapters._sql._table import Migration, SqlTable
from selfcare.core.decision import Violation
from selfcare.core.errors import AlreadyExists, SelfcareError, StorageUnavailable

__all__ = ["Migration", "SqliteDatabase", "SqliteTable", "SqliteUnitOfWork", "lookup_keys"]

E = TypeVar("E")

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
    # ASCII keys, the usual ones, need no check and no call
    return [key if type(key) is str and key.isascii() else _lookup_key(key) for key in keys]


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


class _ThreadState(threading.local):
    """One thread's connection and the state of its unit of work (class attributes are
    each thread's defaults)."""

    conn: sqlite3.Connection | None = None
    #: How many units of work are open.
    depth = 0
    #: Whether the transaction holds the write lock (``BEGIN IMMEDIATE``).
    writing = False
    #: Whether the unit was opened with ``reading()``.
    read_only = False
    #: Whether ``BEGIN`` is to be sent before the next statement.
    begin_pending = False


class SqliteDatabase:
    """A SQLite file (or ``":memory:"``-like shared cache) with migrations applied on open.

    Args:
        path: the database file; created when missing.
        migrations: applied in order, each once; names already recorded are skipped.
        busy_timeout: seconds a writer waits for another writer's transaction.

    Thread safety: share one per process; each thread gets its own connection and
    transaction state.
    """

    #: What every connection sets when it opens: the write-ahead log; ``NORMAL``
    #: synchronisation, which in WAL mode is durable against a killed process (only a
    #: power cut can lose the last transactions; ``FULL`` would fsync on every commit);
    #: foreign keys; and ``secure_delete``, which overwrites deleted content with zeros
    #: instead of leaving it in free pages (erasure).
    pragmas: tuple[str, ...] = (
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "foreign_keys=ON",
        "secure_delete=ON",
    )
    #: Rows come back in the order they were inserted.
    insertion_order = "rowid"
    #: An update rewrites the index entries of every column it sets (see SqlTable).
    rewrites_indexes_it_sets = True

    def __init__(
        self,
        path: str | Path,
        migrations: Sequence[Migration] = (),
        *,
        busy_timeout: float = 30.0,
    ) -> None:
        self.path: str = str(path)
        self.busy_timeout = busy_timeout
        self._local = _ThreadState()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        _create_private(self.path)
        self.migrate(migrations)

    # -- connections -------------------------------------------------------------
    @property
    def connection(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use).

        Raises:
            StorageUnavailable: the file cannot be opened or set up.
        """
        conn = self._local.conn
        if conn is None:
            try:
                conn = self._connect()
            except _DRIVER_ERRORS as error:
                raise _library_error(error)  # noqa: B904 - its cause is set when useful
            self._local.conn = conn
            with self._all_lock:
                self._all.append(conn)
        return conn

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
        )
        for pragma in self.pragmas:
            conn.execute(f"PRAGMA {pragma}")
        return conn

    def checkpoint(self) -> bool:
        """Copy the write-ahead log into the database file and empty it
        (``wal_checkpoint(TRUNCATE)``); whether it was emptied (a reader of another
        connection can hold it back). Call it outside a unit of work.

        Raises:
            StorageUnavailable: the file cannot be written.
        """
        rows = self.fetch("PRAGMA wal_checkpoint(TRUNCATE)")
        return bool(rows) and rows[0][0] == 0

    @property
    def depth(self) -> int:
        """How many units of work are open on this thread."""
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
        self._local = _ThreadState()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- migrations --------------------------------------------------------------
    def migrate(self, migrations: Iterable[Migration]) -> list[str]:
        """Apply the migrations not yet recorded, in order; return their names.

        Each runs in its own write transaction, taken before it looks at
        ``schema_migrations``, so that processes opening the file together apply each
        migration once.
        """
        self.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations"
            " (name TEXT PRIMARY KEY, applied_order INTEGER NOT NULL)"
        )
        applied: list[str] = []
        for migration in migrations:
            with SqliteUnitOfWork(self) as uow:
                self.lock_for_writing()
                if not self.fetch(
                    "SELECT 1 FROM schema_migrations WHERE name = ?", (migration.name,)
                ):
                    for statement in _statements(migration.sql):
                        self.write(statement)
                    self.write(
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
        the errors it raises instead of the driver's); the first of a unit of work
        begins its transaction."""
        try:
            conn = self.connection
            if self._local.begin_pending:
                self._local.begin_pending = False
                conn.execute("BEGIN")
            return conn.execute(sql, params)
        except _DRIVER_ERRORS as error:
            raise _library_error(error)  # noqa: B904 - its cause is set when useful

    def fetch(self, sql: str, params: Sequence[object] | Mapping[str, object] = ()) -> list[Any]:
        """Every row of one query, read within the same error translation."""
        cursor = self.execute(sql, params)
        try:
            return cursor.fetchall()
        except _DRIVER_ERRORS as error:
            raise _library_error(error)  # noqa: B904 - its cause is set when useful

    def write(self, sql: str, params: Sequence[object] = ()) -> int:
        """Run one changing statement (within the same error translation); how many rows
        it changed. Inside a unit of work, the first write takes the write lock.

        Raises:
            RuntimeError: the unit of work was opened with ``reading()``.
        """
        local = self._local
        if local.depth and not local.writing:
            return self._first_write(sql, params)
        return self.execute(sql, params).rowcount

    def _first_write(self, sql: str, params: Sequence[object]) -> int:
        """The first write of a unit of work: it takes the write lock.

        When the unit has read, the write is sent within its read transaction, which
        SQLite upgrades in place - one statement, and the reads stay those of the
        newest state. SQLite refuses the upgrade at once (``SQLITE_BUSY``, without
        waiting) when another connection holds the write lock, or has committed since
        this transaction first read (``SQLITE_BUSY_SNAPSHOT``); a write refused that way
        changed nothing, so it is sent again after :meth:`lock_for_writing` (which
        waits up to the busy timeout). Either way, what was read before is checked by
        the compare-and-set of every save.
        """
        local = self._local
        conn = self.connection
        # Refused; or nothing read yet; or no transaction to upgrade (SQLite ends one on
        # some errors), where the write would run in autocommit.
        if local.read_only or not conn.in_transaction:
            self.lock_for_writing()
            return self.execute(sql, params).rowcount
        try:
            rowcount: int = conn.execute(sql, params).rowcount
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
                raise _library_error(error)  # noqa: B904 - its cause is set when useful
        except _DRIVER_ERRORS as error:
            raise _library_error(error)  # noqa: B904 - its cause is set when useful
        else:
            local.writing = True
            return rowcount
        self.lock_for_writing()
        return self.execute(sql, params).rowcount

    def lock_for_writing(self) -> None:
        """Make this thread's unit of work (if one is open) a write transaction, now.

        A unit of work begins as a deferred transaction. This ends that read
        transaction (it wrote nothing; when it read nothing, there is none yet) and
        begins ``BEGIN IMMEDIATE``, which waits for other writers up to the busy timeout.
        (Upgrading the read transaction in place, as the first :meth:`write` tries
        first, fails at once when another writer holds the lock or has committed since
        it first read.) A migration calls it before it reads ``schema_migrations``.

        Raises:
            RuntimeError: the unit of work was opened with ``reading()``.
            StorageUnavailable: ``locked`` past the busy timeout.
        """
        if self.depth == 0 or self._local.writing:
            return
        if self._local.read_only:
            msg = "a unit of work opened with reading() cannot write"
            raise RuntimeError(msg)
        self._local.begin_pending = False  # nothing read yet: nothing to end
        if self.connection.in_transaction:  # (SQLite may have ended it on an error)
            self.execute("ROLLBACK")
        self.execute("BEGIN IMMEDIATE")
        self._local.writing = True

    # -- transactions (driven by SqliteUnitOfWork) --------------------------------
    def begin(self) -> None:
        """Begin a deferred transaction on this thread's connection: ``BEGIN`` is sent
        with the first statement (a deferred transaction takes its snapshot at its first
        read anyway), so a unit of work that ends without one costs no statement."""
        self.connection  # noqa: B018 - opens the connection and its flags
        # A unit opened with reading() runs each statement in autocommit (see there).
        self._local.begin_pending = not self._local.read_only
        self._local.writing = False

    def end(self, how: str, *, again: bool) -> None:
        """``COMMIT`` or ``ROLLBACK`` this thread's transaction; begin another if ``again``."""
        self._local.begin_pending = False
        if self.connection.in_transaction:
            self.execute(how)
        self._local.writing = False
        if again:
            self.begin()

    def set_read_only(self, read_only: bool) -> None:
        """Whether this thread's units of work may write (see ``reading()``)."""
        self._local.read_only = read_only

    def open_reading(self) -> bool:
        """Open a ``reading()`` unit of work on this thread: the outermost one (``True``)
        in one step - read-only, autocommit, no transaction to begin - or, inside
        another unit, a nested one that joins it (``False``). What ``set_read_only``,
        ``begin`` and the unit's depth do, without their layers: a permission check
        opens one per call."""
        local = self._local
        if local.depth:
            local.depth += 1
            return False
        self.connection  # noqa: B018 - opens the connection and its flags
        local.read_only = True
        local.begin_pending = False
        local.writing = False
        local.depth = 1
        return True

    def close_reading(self, outermost: bool) -> None:
        """Close the unit :meth:`open_reading` opened (``outermost``: what it returned)."""
        local = self._local
        local.depth -= 1
        if outermost:
            try:
                self.end("ROLLBACK", again=False)  # nothing to end unless a bug began one
            finally:
                local.read_only = False

    def lookup_keys(self, keys: Iterable[str | None]) -> list[str | None]:
        """See :func:`lookup_keys`."""
        return lookup_keys(keys)

    def insert_sql(self, table: str, columns: Sequence[str]) -> str:
        """A plain ``INSERT`` (a taken unique column fails it: ``AlreadyExists``)."""
        marks = ", ".join("?" * len(columns))
        return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608

    def upsert_sql(self, table: str, columns: Sequence[str]) -> str:
        """``INSERT OR REPLACE`` of ``columns`` into ``table``."""
        return self.insert_sql(table, columns).replace("INSERT", "INSERT OR REPLACE", 1)


def _create_private(path: str) -> None:
    """Create the database file ``path`` with mode 0600 before SQLite opens it (SQLite
    would create it 0644 under the usual umask 022); an existing file and an in-memory
    or temporary database are left alone."""
    if path in ("", ":memory:"):
        return
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError:
        return  # SQLite reports it, translated, when it opens the file
    os.close(descriptor)


def _statements(sql: str) -> Iterator[str]:
    for part in sql.split(";"):
        if part.strip():
            yield part


class SqliteTable(SqlTable[E]):
    """A table of JSON documents of one (immutable) entity class in a SQLite database
    (see :class:`~selfcare.adapters._sql.SqlTable`; rows come in ``rowid`` order)."""


class SqliteUnitOfWork(TransactionUnitOfWork):
    """One transaction on this thread's connection.

    It begins deferred: finders read a consistent snapshot without taking any lock, so
    read-only use cases (permission checks, lists) never queue behind a writer, and a
    slow step between reads (hashing a password) blocks no one. The first write takes
    the write lock, and everything written from then on is committed together or not
    at all. It is sent within the read transaction, which SQLite upgrades in place when
    nothing was committed since the unit first read (one statement, no wait); otherwise
    SQLite refuses at once, and the write is sent again after ``BEGIN IMMEDIATE``,
    which waits for the lock. What was read before the first write may then have
    changed; every save is a compare-and-set on the entity's ``version`` (and every
    unique column is a constraint), so a decision taken on a stale read fails with
    :class:`~selfcare.core.errors.ConcurrencyConflict` (or
    :class:`~selfcare.core.errors.AlreadyExists`) instead of overwriting.

    :meth:`reading` opens a unit of work that must not write.

    Nested units of work join the outer one: only the outermost commit counts. Leaving
    the block without a commit rolls back.

    Raises:
        StorageUnavailable: ``store.unavailable`` (``locked``) when another writer holds
            the database past the busy timeout, at the first write or on committing.
    """

    def __init__(self, database: SqliteDatabase) -> None:
        self.database: SqliteDatabase = database

    def reading(self) -> AbstractContextManager[Self]:
        """See :meth:`~selfcare.adapters._nesting.NestingUnitOfWork.reading` (the same
        unit of work, opened in one step)."""
        return _SqliteReading(self)


U = TypeVar("U", bound=SqliteUnitOfWork)


class _SqliteReading(Generic[U]):
    """The context manager of :meth:`SqliteUnitOfWork.reading`."""

    __slots__ = ("_outermost", "_uow")

    def __init__(self, uow: U) -> None:
        self._uow = uow
        self._outermost = False

    def __enter__(self) -> U:
        self._outermost = self._uow.database.open_reading()
        return self._uow

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._uow.database.close_reading(self._outermost)
