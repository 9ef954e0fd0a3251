"""The storage engine behind the PostgreSQL adapters (psycopg 3 and its connection pool).

- One :class:`PostgresDatabase` per process holds a pool of connections to the server
  (``psycopg_pool.ConnectionPool``); every thread that opens a unit of work borrows one
  connection for the unit's lifetime, and a statement outside any unit of work borrows
  one for that statement (autocommit).
- Named, versioned migrations applied in order when the database is opened, each in its
  own transaction under an advisory lock (processes starting together apply each
  migration once); the table ``schema_migrations`` records which ran.
- Entities are stored as JSON documents written by the library's cattrs converter, beside
  the columns the finders need (indexed) and the ``version`` used for compare-and-set;
  the repositories are the same as SQLite's (:mod:`selfcare.adapters._sql`).
- A :class:`PostgresUnitOfWork` is one transaction at ``READ COMMITTED``: everything a
  use case saves is committed together or not at all; a process killed in the middle
  leaves the last committed state (the server rolls back its open transaction).

Isolation: ``READ COMMITTED`` with compare-and-set. Every save is ``UPDATE ... WHERE
key = ? AND version = ?``; of two transactions updating one entity, the second waits for
the first's row lock, then re-reads the row, finds another version and changes nothing:
:class:`~selfcare.core.errors.ConcurrencyConflict`, never a lost update. Unique columns
are constraints: :class:`~selfcare.core.errors.AlreadyExists`. ``REPEATABLE READ`` or
``SERIALIZABLE`` would add serialization failures that the library could only report as
conflicts (a use case cannot be retried from inside its unit of work), without
protecting more of what the library saves.

Every statement runs through :meth:`PostgresDatabase.write` or
:meth:`~PostgresDatabase.fetch` (or :meth:`~PostgresDatabase.execute`), the one place
where the driver's errors become the library's:

- a unique constraint violated: :class:`~selfcare.core.errors.AlreadyExists`
  (``store.already_exists`` with the table);
- a serialization failure or a deadlock: :class:`~selfcare.core.errors.ConcurrencyConflict`
  (``store.conflict``);
- the server unreachable, gone, shutting down, out of connections, disk or memory, a
  read-only transaction or server, a lock or statement timeout, no connection free in
  the pool in time: :class:`~selfcare.core.errors.StorageUnavailable` with
  ``store.unavailable`` and a short ``reason`` (``cannot_connect``,
  ``connection_lost``, ``shutting_down``, ``too_many_connections``, ``disk_full``,
  ``out_of_memory``, ``read_only``, ``timeout``, ``pool_exhausted``, ``io_error``,
  ``corrupt``);
- a value PostgreSQL cannot hold (text with NUL or a lone surrogate, a number beyond
  64 bits): :class:`~selfcare.core.errors.SelfcareError` ``serialization.invalid_value``;
  a value of a type it cannot hold at all: :class:`TypeError`.

Finders check their keys once (:meth:`PostgresDatabase.lookup_keys`): a key PostgreSQL
cannot hold was never stored, so it finds nothing.
"""

from __future__ import annotations

import functools
import threading
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Self, TypeVar

import psycopg
import psycopg_pool
from psycopg import errors as pg_errors
from psycopg import sql as pg_sql

from selfcare.adapters._nesting import TransactionUnitOfWork
from selfcare.adapters._sql._table import Migration, SqlTable
from selfcare.core.decision import Violation
from selfcare.core.errors import (
    AlreadyExists,
    ConcurrencyConflict,
    SelfcareError,
    StorageUnavailable,
)

__all__ = ["Migration", "PostgresDatabase", "PostgresTable", "PostgresUnitOfWork"]

E = TypeVar("E")

#: Why the storage is unavailable, by SQLSTATE (then by its class, the first two
#: characters). Other errors (a mistake in our SQL) are bugs and stay as they are.
_UNAVAILABLE: Mapping[str, str] = {
    "57P01": "shutting_down",  # admin_shutdown
    "57P02": "shutting_down",  # crash_shutdown
    "57P03": "cannot_connect",  # cannot_connect_now (starting up, recovering)
    "53300": "too_many_connections",
    "53100": "disk_full",
    "53200": "out_of_memory",
    "25006": "read_only",  # read_only_sql_transaction (a hot standby too)
    "55P03": "timeout",  # lock_not_available (lock_timeout)
    "57014": "timeout",  # query_canceled (statement_timeout)
    "25P03": "timeout",  # idle_in_transaction_session_timeout
    "58030": "io_error",
    "XX001": "corrupt",
    "XX002": "corrupt",
    "08": "connection_lost",
    "53": "out_of_memory",
}

#: SQLSTATEs of a value the server cannot store.
_INVALID_VALUE = frozenset({"22021", "22P05", "22003", "22001", "54000"})

#: What the driver raises, translated by :func:`_library_error`.
_DRIVER_ERRORS = (psycopg.Error, psycopg_pool.PoolTimeout, UnicodeEncodeError, OverflowError)


def _invalid_value() -> SelfcareError:
    return SelfcareError(
        Violation("serialization.invalid_value", {"path": "$", "expected": "storable text"})
    )


def _unavailable(reason: str, cause: BaseException) -> StorageUnavailable:
    translated = StorageUnavailable(Violation("store.unavailable", {"reason": reason}))
    translated.__cause__ = cause  # the driver's message helps an operator
    return translated


def _library_error(error: Exception) -> Exception:
    """The library's error for the driver's ``error`` (``error`` itself for a bug)."""
    translated: Exception
    if isinstance(error, psycopg_pool.PoolTimeout):
        translated = _unavailable("pool_exhausted", error)
    elif isinstance(error, UnicodeEncodeError | OverflowError):
        translated = _invalid_value()
    elif isinstance(error, pg_errors.UniqueViolation):
        table = error.diag.table_name or "unknown"
        translated = AlreadyExists(Violation("store.already_exists", {"entity": table}))
    elif isinstance(error, pg_errors.SerializationFailure | pg_errors.DeadlockDetected):
        translated = ConcurrencyConflict(Violation("store.conflict", {"entity": "transaction"}))
        translated.__cause__ = error
    elif isinstance(error, psycopg.DataError) and (
        error.sqlstate in _INVALID_VALUE or error.sqlstate is None
    ):
        # None: refused by the driver before sending (text with NUL).
        translated = _invalid_value()
    elif isinstance(error, psycopg.ProgrammingError) and str(error).startswith("cannot adapt"):
        translated = TypeError(str(error))
    else:
        translated_or_none = _unavailable_error(error)
        if translated_or_none is None:
            return error
        translated = translated_or_none
    translated.__suppress_context__ = True
    return translated


def _unavailable_error(error: Exception) -> StorageUnavailable | None:
    state = getattr(error, "sqlstate", None)
    if state is not None:
        reason = _UNAVAILABLE.get(state) or _UNAVAILABLE.get(state[:2])
        return None if reason is None else _unavailable(reason, error)
    if isinstance(error, psycopg.OperationalError):  # no SQLSTATE: the connection
        return _unavailable("connection_lost", error)
    if isinstance(error, psycopg.InterfaceError):  # a connection closed under us
        return _unavailable("connection_lost", error)
    return None


def _lookup_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not isinstance(key, str):
        msg = f"a key must be str, not {type(key).__name__}"  # type: ignore[unreachable]
        raise TypeError(msg)
    if "\x00" in key:
        return None
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return key


@functools.lru_cache(maxsize=4096)
def _placeholders(sql: str) -> str:
    """``sql`` written with ``?`` placeholders, in psycopg's ``%s`` style (our SQL has no
    ``?`` or ``%`` of its own)."""
    return sql.replace("?", "%s")


class PostgresDatabase:
    """A PostgreSQL database (one schema of it) with migrations applied on open.

    Open one per process and share it between threads: each thread's unit of work
    borrows its own connection from the pool. Do not share one across ``fork``; open it
    in each process.

    Args:
        dsn: a libpq connection string or URI (``host=db port=5432 dbname=portal
            user=selfcare``, ``postgresql://selfcare@db/portal``); the password is best
            kept in ``PGPASSWORD`` or ``~/.pgpass``.
        migrations: applied in order, each once; names already recorded are skipped.
        pool_size: the most connections this process opens (one per thread inside a
            unit of work at the same time).
        schema: the schema that holds the tables (created when missing); the server's
            default search path (``public``) when ``None``.
        timeout: seconds to wait for a free connection, and to connect.

    Raises:
        StorageUnavailable: the server cannot be reached (``cannot_connect``).
    """

    #: Rows come back in the order they were inserted.
    insertion_order = "seq"
    #: An update that changes no indexed value writes no index (a HOT update).
    rewrites_indexes_it_sets = False

    def __init__(
        self,
        dsn: str,
        migrations: Sequence[Migration] = (),
        *,
        pool_size: int = 10,
        schema: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        if pool_size < 1:
            msg = "pool_size must be at least 1"
            raise ValueError(msg)
        self.schema = schema
        self._local = threading.local()
        kwargs: dict[str, Any] = {"autocommit": True, "connect_timeout": max(1, int(timeout))}
        if schema is not None:
            self._create_schema(dsn, schema, kwargs)
            kwargs["options"] = f"-c search_path={schema}"
        self._pool = psycopg_pool.ConnectionPool(
            dsn,
            min_size=1,
            max_size=pool_size,
            kwargs=kwargs,
            timeout=timeout,
            open=False,
            name="selfcare",
        )
        try:
            self._pool.open(wait=True, timeout=timeout)
        except psycopg_pool.PoolTimeout as error:
            self._pool.close()
            raise _unavailable("cannot_connect", error) from None
        self.migrate(migrations)

    @staticmethod
    def _create_schema(dsn: str, schema: str, kwargs: Mapping[str, Any]) -> None:
        try:
            with psycopg.connect(dsn, **kwargs) as conn:
                conn.execute(
                    pg_sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(pg_sql.Identifier(schema))
                )
        except pg_errors.UniqueViolation:
            pass  # created by another process at the same moment
        except psycopg.OperationalError as error:
            raise _unavailable("cannot_connect", error) from None

    # -- this thread's state -----------------------------------------------------
    @property
    def depth(self) -> int:
        """How many units of work are open on this thread."""
        depth: int = getattr(self._local, "depth", 0)
        return depth

    @depth.setter
    def depth(self, value: int) -> None:
        self._local.depth = value

    def close(self) -> None:
        """Close the pool and every connection in it."""
        self._pool.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions (driven by PostgresUnitOfWork) ---------------------------------
    def begin(self) -> None:
        """Borrow a connection for this thread's unit of work; its transaction begins
        with the first statement."""
        try:
            self._local.conn = self._pool.getconn()
        except _DRIVER_ERRORS as error:
            raise _library_error(error)  # noqa: B904 - its cause is set when useful
        self._local.in_transaction = False

    def end(self, how: str, *, again: bool) -> None:
        """``COMMIT`` or ``ROLLBACK`` this thread's transaction; give the connection back
        to the pool unless ``again``."""
        conn: psycopg.Connection[Any] = self._local.conn
        try:
            if self._local.in_transaction:
                self._local.in_transaction = False
                conn.execute(how)
        except _DRIVER_ERRORS as error:
            if again:
                raise _library_error(error)  # noqa: B904 - its cause is set when useful
            # Leaving the unit of work: a connection that broke cannot keep anything (the
            # server rolls back what it had), and the error that made us leave matters.
        if not again:
            self._give_back(conn)

    def _give_back(self, conn: psycopg.Connection[Any]) -> None:
        self._local.conn = None
        if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            conn.close()  # the pool replaces it
        self._pool.putconn(conn)

    def set_read_only(self, read_only: bool) -> None:
        """Whether this thread's next unit of work only reads: its statements then run
        in autocommit, and one that may write is refused (see ``reading()``)."""
        self._local.read_only = read_only

    # -- migrations --------------------------------------------------------------
    def migrate(self, migrations: Iterable[Migration]) -> list[str]:
        """Apply the migrations not yet recorded, in order; return their names."""
        applied: list[str] = []
        for migration in migrations:
            with PostgresUnitOfWork(self) as uow:
                # One migration at a time across processes (the lock ends with the
                # transaction); the key is the schema, so separate schemas do not wait.
                lock = zlib.crc32(f"selfcare:{self.schema}".encode())
                self.execute("SELECT pg_advisory_xact_lock(?)", (lock,))
                self.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY,"
                    " applied_order INTEGER NOT NULL)"
                )
                if not self.fetch(
                    "SELECT 1 FROM schema_migrations WHERE name = ?", (migration.name,)
                ):
                    self.execute(migration.sql)
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
    def _run(
        self, sql: str, params: Sequence[object], *, reads: bool = False
    ) -> tuple[list[Any], int]:
        """Run one statement; its rows (none for a statement without) and row count.

        Raises:
            RuntimeError: a statement that may write (not a ``reads`` one) in a unit of
                work opened with ``reading()``.
        """
        query = _placeholders(sql) if params else sql
        conn: psycopg.Connection[Any] | None = getattr(self._local, "conn", None)
        try:
            if conn is None:  # outside a unit of work: one autocommit statement
                with self._pool.connection() as borrowed:
                    return _result(borrowed.execute(query, params))
            if getattr(self._local, "read_only", False):
                # reading(): each statement on its own, in autocommit (see there).
                if not reads:
                    msg = "a unit of work opened with reading() cannot write"
                    raise RuntimeError(msg)
                return _result(conn.execute(query, params))
            if not self._local.in_transaction:
                conn.execute(_BEGIN)
                self._local.in_transaction = True
            if sql.startswith("UPDATE"):
                return _guarded(conn, query, params)
            return _result(conn.execute(query, params))
        except _DRIVER_ERRORS as error:
            raise _library_error(error)  # noqa: B904 - its cause is set when useful

    def execute(self, sql: str, params: Sequence[object] = ()) -> None:
        """Run one statement (DDL, maintenance) within the error translation."""
        self._run(sql, params)

    def fetch(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        """Every row of one query, read within the same error translation."""
        return self._run(sql, params, reads=True)[0]

    def write(self, sql: str, params: Sequence[object] = ()) -> int:
        """Run one changing statement; how many rows it changed."""
        return self._run(sql, params)[1]

    def lookup_keys(self, keys: Iterable[str | None]) -> list[str | None]:
        """The caller's ``keys`` ready to bind: text PostgreSQL cannot hold (NUL, a lone
        surrogate), which no stored row can contain, becomes ``None`` and finds nothing.

        Raises:
            TypeError: a key is neither a string nor ``None``.
        """
        return [_lookup_key(key) for key in keys]

    def insert_sql(self, table: str, columns: Sequence[str]) -> str:
        """``INSERT ... ON CONFLICT DO NOTHING``: a taken unique column changes no row
        (the table says ``AlreadyExists``) instead of failing the statement, which would
        abort the whole transaction in PostgreSQL (SQLite undoes only the statement)."""
        marks = ", ".join("?" * len(columns))
        return (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
            " ON CONFLICT DO NOTHING"
        )

    def upsert_sql(self, table: str, columns: Sequence[str]) -> str:
        """``INSERT ... ON CONFLICT (key) DO UPDATE`` of ``columns`` into ``table``."""
        marks = ", ".join("?" * len(columns))
        sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns[1:])
        return (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
            f" ON CONFLICT (key) DO UPDATE SET {sets}"
        )


#: How a unit of work's transaction begins (one opened with ``reading()`` has none).
_BEGIN = "BEGIN ISOLATION LEVEL READ COMMITTED"


def _guarded(
    conn: psycopg.Connection[Any], query: str, params: Sequence[object]
) -> tuple[list[Any], int]:
    """Run an update within a savepoint: one that fails (a unique column taken by the
    new values) is undone alone, and the unit of work goes on, as on SQLite."""
    conn.execute("SAVEPOINT selfcare_write")
    try:
        result = _result(conn.execute(query, params))
    except psycopg.Error:
        if conn.info.transaction_status == psycopg.pq.TransactionStatus.INERROR:
            conn.execute("ROLLBACK TO SAVEPOINT selfcare_write")
        raise
    conn.execute("RELEASE SAVEPOINT selfcare_write")
    return result


def _result(cursor: psycopg.Cursor[Any]) -> tuple[list[Any], int]:
    return (cursor.fetchall() if cursor.description else []), cursor.rowcount


class PostgresTable(SqlTable[E]):
    """A table of JSON documents of one (immutable) entity class in a PostgreSQL
    database (see :class:`~selfcare.adapters._sql.SqlTable`; rows come in ``seq``
    order)."""


class PostgresUnitOfWork(TransactionUnitOfWork):
    """One ``READ COMMITTED`` transaction on a connection this thread borrows from the
    pool until the unit of work ends.

    Finders never wait for writers (PostgreSQL's snapshots); each save is a
    compare-and-set on the entity's ``version``, so a decision taken on a read that
    another transaction has changed since fails with
    :class:`~selfcare.core.errors.ConcurrencyConflict` instead of overwriting.
    :meth:`reading` opens a unit that runs each statement on its own, in autocommit
    (one round trip per finder, no ``BEGIN``/``ROLLBACK``): at ``READ COMMITTED``
    every statement of a transaction has its own snapshot anyway, so a reader sees
    nothing different.

    Nested units of work join the outer one: only the outermost commit counts. Leaving
    the block without a commit rolls back.

    Raises:
        StorageUnavailable: ``store.unavailable`` when the server cannot serve it
            (see :mod:`selfcare.adapters.postgres`).
    """

    def __init__(self, database: PostgresDatabase) -> None:
        self.database: PostgresDatabase = database
