"""The storage engine behind the in-memory adapters.

A :class:`MemoryDatabase` holds named tables of immutable entities and one re-entrant
lock. A :class:`MemoryUnitOfWork` holds that lock from ``__enter__`` to ``__exit__``, so
units of work are serialised, and keeps an undo log so that a rollback restores exactly
what it changed (O(changes), not O(table)).

Finders look entities up in dict indexes (:meth:`MemoryTable.index`), kept up to date by
every insert, update, delete and undo, so that their cost depends on what they find,
not on how many entities the table holds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

from selfcare.adapters._nesting import NestingUnitOfWork
from selfcare.core.decision import Violation
from selfcare.core.errors import AlreadyExists, ConcurrencyConflict, NotFound

__all__ = ["MemoryDatabase", "MemoryTable", "MemoryUnitOfWork"]

K = TypeVar("K")
E = TypeVar("E")

_MISSING = object()


class MemoryDatabase:
    """Named tables sharing one lock and one undo log.

    Thread safety: share it; units of work hold its re-entrant lock from entering to
    leaving, so they run one at a time.
    """

    def __init__(self) -> None:
        self.lock: threading.RLock = threading.RLock()
        self._tables: dict[str, MemoryTable[object, object]] = {}
        self._undo: list[tuple[MemoryTable[object, object], object, object]] | None = None
        #: How many units of work are open on this thread (the lock is re-entrant).
        self.depth = 0

    def table(self, name: str) -> MemoryTable[object, object]:
        """The table ``name``, created empty on first use."""
        with self.lock:
            if name not in self._tables:
                self._tables[name] = MemoryTable(self, name)
            return self._tables[name]

    def _record(self, table: MemoryTable[object, object], key: object, previous: object) -> None:
        if self._undo is not None:
            self._undo.append((table, key, previous))

    def begin(self) -> None:
        """Start recording changes (the caller holds the lock)."""
        self._undo = []

    def commit(self) -> None:
        """Keep every change since :meth:`begin`."""
        self._undo = []

    def rollback(self) -> None:
        """Undo every change since :meth:`begin`, newest first."""
        undo, self._undo = self._undo or [], None
        for table, key, previous in reversed(undo):
            table._restore(key, previous)
        self._undo = []

    def end(self) -> None:
        """Stop recording."""
        self._undo = None


#: The values an entity is found by in one index (``None`` values are left out).
IndexValues = Callable[[E], tuple[Hashable | None, ...]]


class MemoryTable(Generic[K, E]):
    """A dict of immutable entities with insert, compare-and-set update, indexed finders
    and scans."""

    def __init__(self, database: MemoryDatabase, name: str) -> None:
        self._db = database
        self.name = name
        self._rows: dict[K, E] = {}
        #: When each key was first inserted: finders return the oldest first.
        self._order: dict[K, int] = {}
        #: Per index: its values function, and per value the entities under it by key
        #: (the entities themselves, so that a look-up of a large table touches as
        #: little memory as it can).
        self._indexes: dict[str, tuple[IndexValues[E], dict[Hashable, dict[K, E]]]] = {}

    # -- indexes -----------------------------------------------------------------
    def index(self, name: str, values: IndexValues[E]) -> None:
        """Keep the index ``name``: each entity under every value ``values`` gives it
        (once per name: repositories opened again over the same table share it)."""
        with self._db.lock:
            if name in self._indexes:
                return
            buckets: dict[Hashable, dict[K, E]] = {}
            self._indexes[name] = (values, buckets)
            for key, entity in self._rows.items():
                self._index_one(values, buckets, key, entity)

    def lookup(self, index: str, value: Hashable) -> list[E]:
        """The entities the index ``index`` holds under ``value``, oldest first."""
        with self._db.lock:
            bucket = self._indexes[index][1].get(value)
            if not bucket:
                return []
            if len(bucket) == 1:
                return list(bucket.values())
            order = self._order
            return [bucket[key] for key in sorted(bucket, key=order.__getitem__)]

    @staticmethod
    def _index_one(
        values: IndexValues[E], buckets: dict[Hashable, dict[K, E]], key: K, entity: E
    ) -> None:
        for value in values(entity):
            if value is not None:
                buckets.setdefault(value, {})[key] = entity

    def _set(self, key: K, entity: E) -> None:
        """Store ``entity`` under ``key`` and update every index."""
        previous = self._rows.get(key)
        if previous is not None:
            self._unindex(key, previous)
        elif key not in self._order:
            self._order[key] = len(self._order)
        self._rows[key] = entity
        for values, buckets in self._indexes.values():
            self._index_one(values, buckets, key, entity)

    def _remove(self, key: K) -> None:
        entity = self._rows.pop(key, None)
        if entity is not None:
            self._unindex(key, entity)

    def _unindex(self, key: K, entity: E) -> None:
        for values, buckets in self._indexes.values():
            for value in values(entity):
                bucket = buckets.get(value)
                if bucket is not None:
                    bucket.pop(key, None)
                    if not bucket:
                        del buckets[value]

    def find(self, key: K) -> E | None:
        """The entity under ``key`` or ``None``."""
        with self._db.lock:
            return self._rows.get(key)

    def require(self, key: K) -> E:
        """The entity under ``key``; :class:`NotFound` when absent."""
        with self._db.lock:
            try:
                return self._rows[key]
            except KeyError:
                raise NotFound(Violation("store.not_found", {"entity": self.name})) from None

    def insert(self, key: K, entity: E) -> None:
        """Store a new entity; :class:`AlreadyExists` when ``key`` is taken."""
        with self._db.lock:
            if key in self._rows:
                raise AlreadyExists(Violation("store.already_exists", {"entity": self.name}))
            self._db._record(self, key, _MISSING)  # type: ignore[arg-type]
            self._set(key, entity)

    def compare_and_set(self, key: K, entity: E, expected_version: int) -> None:
        """Replace the entity if the stored one has ``expected_version``.

        Raises:
            NotFound: nothing is stored under ``key``.
            ConcurrencyConflict: the stored version is another.
        """
        with self._db.lock:
            current = self.require(key)
            if getattr(current, "version", None) != expected_version:
                raise ConcurrencyConflict(Violation("store.conflict", {"entity": self.name}))
            self._db._record(self, key, current)  # type: ignore[arg-type]
            self._set(key, entity)

    def put(self, key: K, entity: E) -> None:
        """Insert or replace without a version check (for entities that have none)."""
        with self._db.lock:
            self._db._record(self, key, self._rows.get(key, _MISSING))  # type: ignore[arg-type]
            self._set(key, entity)

    def delete(self, key: K) -> bool:
        """Remove ``key``; whether it was there."""
        with self._db.lock:
            if key not in self._rows:
                return False
            self._db._record(self, key, self._rows[key])  # type: ignore[arg-type]
            self._remove(key)
            return True

    def scan(self, where: Callable[[E], bool] | None = None) -> list[E]:
        """Every entity (matching ``where``), in insertion order."""
        with self._db.lock:
            rows = list(self._rows.values())
        return rows if where is None else [row for row in rows if where(row)]

    def __len__(self) -> int:
        with self._db.lock:
            return len(self._rows)

    def __iter__(self) -> Iterator[E]:
        return iter(self.scan())

    def _restore(self, key: K, previous: object) -> None:
        if previous is _MISSING:
            self._remove(key)
        else:
            self._set(key, previous)  # type: ignore[arg-type]


class MemoryUnitOfWork(NestingUnitOfWork):
    """A unit of work over a :class:`MemoryDatabase`; subclass it to add repositories.

    It holds the database's lock from entering to leaving, so units of work are
    serialised; nested ones join the outermost (only its commit counts).

    >>> db = MemoryDatabase()
    >>> table = db.table("things")
    >>> with MemoryUnitOfWork(db) as uow:
    ...     table.insert("a", 1)
    ...     # no commit: rolled back on exit
    >>> table.find("a") is None
    True
    >>> with MemoryUnitOfWork(db) as uow:
    ...     table.insert("a", 1)
    ...     uow.commit()
    >>> table.find("a")
    1
    """

    def __init__(self, database: MemoryDatabase) -> None:
        self.database: MemoryDatabase = database

    def _hold(self) -> None:
        self.database.lock.acquire()

    def _release(self) -> None:
        self.database.lock.release()

    def _begin(self) -> None:
        self.database.begin()

    def _discard(self) -> None:
        self.database.rollback()
        self.database.end()

    def _commit(self) -> None:
        self.database.commit()

    def _rollback(self) -> None:
        self.database.rollback()
        self.database.begin()
