"""Helpers the SQLite repositories share: a table whose documents can hide fields,
finders with their own ``WHERE``, text that SQLite cannot store, and the translation
of unique-index violations.

Python strings may hold lone surrogates (``"\\ud800"``) that UTF-8 cannot encode, so
:mod:`sqlite3` refuses to bind them. No stored row can hold such a string (the rows
were written through the same driver), so a finder given one simply finds nothing,
like the in-memory adapter does, instead of leaking :class:`UnicodeEncodeError`.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar, cast

from selfcare.adapters.sqlite._db import SqliteDatabase, SqliteTable
from selfcare.core.clock import require_aware
from selfcare.core.decision import Violation
from selfcare.core.errors import AlreadyExists
from selfcare.serialization import converter

__all__ = ["DocumentTable", "encodable", "first", "micros", "select", "unique"]

E = TypeVar("E")

#: Rewrites the fields of an unstructured document in place (sealing or unsealing).
DocumentHook = Callable[[dict[str, Any]], None]


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


class DocumentTable(SqliteTable[E]):
    """A :class:`SqliteTable` that can rewrite a document on its way in and out.

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
        super().__init__(database, name, cls, key=key, columns=columns)
        self._on_write = on_write
        self._on_read = on_read

    def _row(self, entity: E) -> list[object]:
        document = converter.unstructure(entity)
        if self._on_write is not None:
            self._on_write(document)
        return [
            json.dumps(document, ensure_ascii=False, sort_keys=True),
            *(fn(entity) for fn in self._columns.values()),
        ]

    def _load(self, data: str) -> E:
        cls: Any = self.cls
        return cast("E", _structured(cls, self._on_read, data))

    def load(self, data: str) -> E:
        """The entity stored as the document ``data``."""
        return self._load(data)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def micros(moment: datetime, name: str = "time") -> int:
    """``moment`` as whole microseconds since 1970 UTC: an integer column that sorts and
    compares like the time itself, whatever its offset.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``moment``.
    """
    return (require_aware(moment, name) - _EPOCH) // timedelta(microseconds=1)


def encodable(*values: str) -> bool:
    """Whether every value can be bound as SQLite text (UTF-8, no lone surrogate).

    Raises:
        TypeError: a value is not a string (a key of the wrong type).
    """
    for value in values:
        if not isinstance(value, str):
            msg = f"a key must be str, not {type(value).__name__}"  # type: ignore[unreachable]
            raise TypeError(msg)
    try:
        for value in values:
            value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def select(
    table: DocumentTable[E],
    where: str,
    params: Sequence[object],
    order_by: str = "seq",
    *,
    limit: int = -1,
) -> list[E]:
    """The entities of ``table`` matching the SQL condition ``where`` (written by us,
    with ``?`` placeholders for ``params``), in ``order_by`` (at most ``limit``)."""
    rows = table.db.execute(
        f"SELECT data FROM {table.name} WHERE {where} ORDER BY {order_by} LIMIT ?",  # noqa: S608 - our SQL
        [*params, limit],
    ).fetchall()
    return [table.load(row[0]) for row in rows]


def first(table: DocumentTable[E], where: str, params: Sequence[object]) -> E | None:
    """The oldest entity matching ``where``, or ``None``."""
    found = select(table, where, params, limit=1)
    return found[0] if found else None


@contextmanager
def unique(entity: str) -> Iterator[None]:
    """Turn a unique-index violation of the block into :class:`AlreadyExists`."""
    try:
        yield
    except sqlite3.IntegrityError:
        raise AlreadyExists(Violation("store.already_exists", {"entity": entity})) from None
