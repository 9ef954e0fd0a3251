"""Tables of JSON documents on a SQL engine (SQLite or PostgreSQL).

A :class:`SqlTable` writes its statements once, with ``?`` placeholders, and runs them
through its :class:`SqlEngine`, which owns what differs between the engines: the
placeholder style, the keys a finder may bind, the upsert statement, the translation
of the driver's errors, and when a write transaction starts.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Generic, Protocol, TypeVar, cast

import attrs

from selfcare.core.decision import Violation
from selfcare.core.errors import AlreadyExists, ConcurrencyConflict, NotFound
from selfcare.serialization import storage_converter as converter

__all__ = ["DocumentHook", "Migration", "SqlEngine", "SqlTable", "forget_cached_documents"]

E = TypeVar("E")

#: Rewrites the fields of an unstructured document in place (sealing or unsealing).
DocumentHook = Callable[[dict[str, Any]], None]


@attrs.frozen
class Migration:
    """One schema change: a unique ``name`` (e.g. ``authz_0001_grants``) and its SQL."""

    name: str
    sql: str


class SqlEngine(Protocol):
    """What a :class:`SqlTable` needs of its database."""

    #: The column that orders rows as they were inserted (``rowid``, ``seq``).
    insertion_order: str

    #: Whether an ``UPDATE`` rewrites the entry of every index on a column it sets,
    #: even to the value it had (SQLite; PostgreSQL compares the values and skips the
    #: indexes - a "HOT" update). When it does, a compare-and-set sets only the finder
    #: columns whose values changed, which it reads first.
    rewrites_indexes_it_sets: bool

    def write(self, sql: str, params: Sequence[object] = ()) -> int:
        """Run one changing statement; how many rows it changed."""
        ...

    def fetch(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        """Every row of one query."""
        ...

    def lookup_keys(self, keys: Iterable[str | None]) -> list[str | None]:
        """The caller's finder ``keys`` ready to bind: a key the engine cannot hold was
        never stored and becomes ``None`` (which equals nothing in SQL).

        Raises:
            TypeError: a key is neither a string nor ``None``.
        """
        ...

    def insert_sql(self, table: str, columns: Sequence[str]) -> str:
        """An insert of ``columns`` that changes no row (or raises
        :class:`~selfcare.core.errors.AlreadyExists`) when a unique column is taken."""
        ...

    def upsert_sql(self, table: str, columns: Sequence[str]) -> str:
        """An insert of ``columns`` (``key`` first) that replaces the row with the same key."""
        ...


#: Writes every stored document: UTF-8 as it is, keys sorted (the same entity always
#: gives the same text). Built once: ``json.dumps`` with options builds an encoder per
#: call.
_DOCUMENT_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def quoted(name: str) -> str:
    """``name`` as a quoted SQL identifier (``user`` is a keyword in PostgreSQL)."""
    return f'"{name}"'


@functools.lru_cache(maxsize=32768)
def _structured(cls: Any, on_read: DocumentHook | None, data: str) -> Any:
    """The entity of class ``cls`` stored as the JSON text ``data``.

    Entities are immutable and ``data`` is their whole content, so the result can be
    shared: finders read the same documents again and again (a user's grants on every
    permission check), and building an entity costs far more than looking the text up
    (a grant: about 3 µs to parse the JSON, 9 µs to build and validate the entity; a
    hit: 0.2 µs). The hook is part of the key, so documents read under another operator
    key are never confused. At most 32 768 documents are kept per process - about
    1 KB each for a grant, 2 KB for an invitation, so some 30-60 MB when full: enough
    for the grants of 10 000 users checked in turn.

    A document this process has just written comes back as the entity it was written
    from (see :data:`_written`).
    """
    written = _written.pop((cls, on_read, data), None)
    if written is not None:
        return written
    document = json.loads(data)
    if on_read is not None:
        on_read(document)
    return converter.structure(document, cls)


#: The entities this process wrote lately, by class, read hook and the document written:
#: the first read of such a document takes the entity from here instead of parsing and
#: validating it again (an invitation is read back when it is accepted). Storage
#: round-trips every entity exactly (each field is written in full and read back
#: through the same validators), so the entity is the one a read would build. Emptied
#: when it reaches :data:`_REMEMBERED` entries.
_written: dict[tuple[Any, DocumentHook | None, str], Any] = {}


def _keep(cache: dict[Any, Any], key: object, entity: object) -> None:
    """Put ``entity`` in ``cache`` (:data:`_written` or :data:`_loaded`) under ``key``,
    emptying it first when it holds :data:`_REMEMBERED` entries."""
    if len(cache) >= _REMEMBERED:
        cache.clear()
    cache[key] = entity


#: The entities :meth:`SqlTable.find` and :meth:`SqlTable.first` returned or
#: :meth:`SqlTable.compare_and_set` wrote lately, by database, table and key: what the
#: row held at their version, so that the next compare-and-set of the row need not read
#: its finder columns first. A hint only (see ``SqlTable._update``). Emptied when it
#: reaches :data:`_REMEMBERED` entries.
_loaded: dict[tuple[int, str, str], Any] = {}
_REMEMBERED = 4096


def forget_cached_documents() -> None:
    """Empty the caches of read entities (of every table and database of this process).

    Called after an erasure: the caches would otherwise keep the erased person's
    entities - an account with the national identity code in clear - until other
    documents pushed them out.
    """
    _structured.cache_clear()
    _loaded.clear()
    _written.clear()


class SqlTable(Generic[E]):
    """A table of JSON documents of one (immutable) entity class.

    The table has the columns ``key`` (unique), ``version``, ``data`` (the JSON
    document) and one column per entry of ``columns``, each computed from the entity
    and meant for the finders (create indexes for them in the migration).

    ``on_write`` gets the unstructured entity before it is serialised (e.g. to replace
    a national identity code by its sealed form); ``on_read`` gets the parsed document
    before it is structured (to undo it).
    """

    def __init__(
        self,
        database: SqlEngine,
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
        table = quoted(name)
        self._insert_sql = database.insert_sql(table, [quoted(n) for n in names])
        self._upsert_sql = database.upsert_sql(table, [quoted(n) for n in names])
        self._update_sql = self._update_of(tuple(range(len(self._columns))))
        self._updates: dict[tuple[int, ...], str] = {}
        finders = ", ".join(quoted(c) for c in ["version", *self._columns])
        self._columns_sql = f"SELECT {finders} FROM {table} WHERE key = ?"  # noqa: S608
        self._get_sql = f"SELECT data FROM {table} WHERE key = ?"  # noqa: S608
        #: The statements of select(), by (where, order_by, limited): a finder's SQL is
        #: written once.
        self._selects: dict[tuple[str, str | None, bool], str] = {}
        self._delete_sql = f"DELETE FROM {table} WHERE key = ?"  # noqa: S608
        sets = ", ".join(f"{quoted(c)} = ?" for c in ["version", "data", *self._columns])
        self._rewrite_sql = f"UPDATE {table} SET {sets} WHERE key = ?"  # noqa: S608
        self._documents_sql = f"SELECT data FROM {table} ORDER BY {database.insertion_order}"  # noqa: S608

    def _row(self, entity: E) -> list[object]:
        document = converter.unstructure(entity)
        if self._on_write is not None:
            self._on_write(document)
        return [
            self._key(entity),
            getattr(entity, "version", 0),
            _DOCUMENT_ENCODER.encode(document),
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
        row = self._row(entity)
        if self.db.write(self._insert_sql, row) == 0:
            raise AlreadyExists(Violation("store.already_exists", {"entity": self.name}))
        _keep(_written, (self.cls, self._on_read, row[2]), entity)

    def _update_of(self, changed: tuple[int, ...]) -> str:
        """The compare-and-set that sets the finder columns ``changed`` (by position)
        and requires the others to hold the values it read."""
        names = list(self._columns)
        sets = ", ".join(
            f"{quoted(c)} = ?" for c in ["version", "data", *(names[i] for i in changed)]
        )
        kept = "".join(f" AND {quoted(n)} IS ?" for i, n in enumerate(names) if i not in changed)
        return f"UPDATE {quoted(self.name)} SET {sets} WHERE key = ? AND version = ?{kept}"  # noqa: S608

    def _remember(self, key: str, entity: E) -> None:
        """Keep ``entity`` as what the row ``key`` holds at its version (see
        :data:`_loaded`); only where a compare-and-set would read the columns."""
        if self.db.rewrites_indexes_it_sets and self._columns:
            _keep(_loaded, (id(self.db), self.name, key), entity)

    def _update(
        self, key: str, columns: list[object], expected_version: int, *, hint: bool
    ) -> tuple[str, list[object], bool]:
        """The compare-and-set of the row ``key`` to the finder ``columns``, its
        parameters after ``version, data``, and whether it relied on a remembered entity.

        On an engine that rewrites every index an update sets, only the columns that
        changed are set and the others are part of the condition, so that a row changed
        meanwhile is not updated (a conflict). The stored values come from the entity
        remembered at ``expected_version`` (when ``hint``) or else are read first. A
        wrong hint cannot write a wrong row: a column it wrongly calls unchanged is in
        the condition, so the update changes nothing, and the caller does it again
        without the hint."""
        if not self.db.rewrites_indexes_it_sets or not columns:
            return self._update_sql, [*columns, key, expected_version], False
        remembered = _loaded.get((id(self.db), self.name, key)) if hint else None
        if remembered is not None and getattr(remembered, "version", 0) == expected_version:
            stored: Sequence[object] = [fn(remembered) for fn in self._columns.values()]
        else:
            remembered = None
            rows = self.db.fetch(self._columns_sql, self.db.lookup_keys((key,)))
            if not rows or rows[0][0] != expected_version:  # changes nothing: see the caller
                return self._update_sql, [*columns, key, expected_version], False
            stored = rows[0][1:]
        changed = tuple(i for i, value in enumerate(columns) if value != stored[i])
        sql = self._updates.get(changed)
        if sql is None:
            sql = self._updates[changed] = self._update_of(changed)
        kept = [value for i, value in enumerate(columns) if i not in changed]
        params = [*(columns[i] for i in changed), key, expected_version, *kept]
        return sql, params, remembered is not None

    def compare_and_set(self, entity: E, expected_version: int) -> None:
        """Replace the stored entity if its version is ``expected_version``.

        Raises:
            NotFound: nothing is stored under the entity's key.
            ConcurrencyConflict: the stored version is another.
            AlreadyExists: the new values take another entity's unique column.
        """
        key, version, data, *columns = self._row(entity)
        sql, params, hinted = self._update(cast("str", key), columns, expected_version, hint=True)
        changed = self.db.write(sql, [version, data, *params])
        if changed == 0 and hinted:  # the row is not what was remembered: read it
            sql, params, _ = self._update(cast("str", key), columns, expected_version, hint=False)
            changed = self.db.write(sql, [version, data, *params])
        if changed == 0:
            if self.find(cast("str", key)) is None:
                raise NotFound(Violation("store.not_found", {"entity": self.name}))
            raise ConcurrencyConflict(Violation("store.conflict", {"entity": self.name}))
        self._remember(cast("str", key), entity)
        _keep(_written, (self.cls, self._on_read, data), entity)

    def put(self, entity: E) -> None:
        """Insert or replace without a version check."""
        self.db.write(self._upsert_sql, self._row(entity))

    def rewrite(self, entity: E) -> None:
        """Write ``entity`` again under its key and version, without a version check
        (maintenance: re-sealing what a retired key sealed)."""
        key, version, data, *columns = self._row(entity)
        self.db.write(self._rewrite_sql, [version, data, *columns, key])

    def documents(self) -> list[str]:
        """The stored document of every row, in insertion order (maintenance)."""
        return [row[0] for row in self.db.fetch(self._documents_sql)]

    def delete(self, key: str) -> bool:
        """Remove ``key``; whether it was there."""
        return self.db.write(self._delete_sql, self.db.lookup_keys([key])) > 0

    # -- finders -----------------------------------------------------------------
    def select(
        self,
        where: str,
        keys: Sequence[str | None] = (),
        values: Sequence[int] = (),
        *,
        order_by: str | None = None,
        limit: int | None = None,
    ) -> list[E]:
        """The entities matching the SQL condition ``where`` (written by us), in
        ``order_by`` (insertion order by default; at most ``limit``).

        Its ``?`` placeholders take the caller's ``keys`` (text, checked by the
        engine's ``lookup_keys``: one it cannot hold matches nothing), then ``values``
        (numbers the adapter computed).

        Raises:
            TypeError: a key is not a string.
        """
        shape = (where, order_by, limit is not None)
        sql = self._selects.get(shape)
        if sql is None:
            order = order_by or self.db.insertion_order
            sql = f"SELECT data FROM {quoted(self.name)} WHERE {where} ORDER BY {order}"  # noqa: S608 - our SQL
            if limit is not None:
                sql += " LIMIT ?"
            self._selects[shape] = sql
        params: list[object] = [*self.db.lookup_keys(keys), *values]
        if limit is not None:
            params.append(limit)
        cls: Any = self.cls
        hook = self._on_read
        return [_structured(cls, hook, row[0]) for row in self.db.fetch(sql, params)]

    def first(self, where: str, keys: Sequence[str | None]) -> E | None:
        """The oldest entity matching ``where`` (see :meth:`select`), or ``None``."""
        found = self.select(where, keys, limit=1)
        if not found:
            return None
        self._remember(self._key(found[0]), found[0])
        return found[0]

    def find(self, key: str) -> E | None:
        """The entity under ``key`` or ``None`` (see :meth:`select` for odd keys)."""
        rows = self.db.fetch(self._get_sql, self.db.lookup_keys((key,)))
        if not rows:
            return None
        entity = self.load(rows[0][0])
        self._remember(key, entity)
        return entity

    def require(self, key: str) -> E:
        """The entity under ``key``; :class:`NotFound` when absent."""
        found = self.find(key)
        if found is None:
            raise NotFound(Violation("store.not_found", {"entity": self.name}))
        return found

    def _where(self, where: Mapping[str, object]) -> str:
        for column in where:
            self._check_column(column)
        return " AND ".join(f"{quoted(column)} = ?" for column in where) or "1 = 1"

    def _check_column(self, column: str) -> None:
        if column not in self._columns and column not in (
            "key",
            "version",
            self.db.insertion_order,
        ):
            msg = f"{column!r} is not a column of {self.name}"
            raise ValueError(msg)

    def find_where(self, order_by: str | None = None, **where: object) -> list[E]:
        """Entities whose columns equal the given values (all when none), in ``order_by``
        (insertion order by default)."""
        order = order_by or self.db.insertion_order
        self._check_column(order)
        rows = self.db.fetch(
            f"SELECT data FROM {quoted(self.name)} WHERE {self._where(where)} ORDER BY {order}",  # noqa: S608
            list(where.values()),
        )
        return [self.load(row[0]) for row in rows]

    def count(self, **where: object) -> int:
        """How many entities match."""
        (row,) = self.db.fetch(
            f"SELECT COUNT(*) FROM {quoted(self.name)} WHERE {self._where(where)}",  # noqa: S608
            list(where.values()),
        )
        return int(row[0])
