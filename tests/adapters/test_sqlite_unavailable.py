"""Storage failures reach the caller as the library's errors, never as ``sqlite3``'s.

Each scenario is real SQLite behaviour: a file the process may not write, another
writer holding the lock past the busy timeout, a database that cannot grow. Each
raises :class:`StorageUnavailable` with a short reason, and the unit of work that met
it leaves nothing behind.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from selfcare import SelfcareError, StorageUnavailable
from selfcare.adapters.sqlite import (
    Migration,
    SqliteAuthzUnitOfWork,
    SqliteDatabase,
    SqliteTable,
    SqliteUnitOfWork,
    open_database,
)
from selfcare.authz.model import CustomerRelationship
from selfcare.core.ids import CustomerNumber, RelationshipId


@attrs.frozen
class Thing:
    id: str
    payload: str = ""
    version: int = 1


MIGRATIONS = [
    Migration(
        "test_0001_things",
        "CREATE TABLE things (key TEXT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL)",
    )
]


def _things(db: SqliteDatabase) -> SqliteTable[Thing]:
    return SqliteTable(db, "things", Thing, key=lambda t: t.id)


def _stored(path: Path) -> list[str]:
    """The keys in the file, read by a connection of its own."""
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT key FROM things ORDER BY key")]


@pytest.fixture
def path(tmp_path: Path) -> Iterator[Path]:
    file = tmp_path / "things.sqlite3"
    db = SqliteDatabase(file, MIGRATIONS)
    _things(db).insert(Thing("kept"))
    db.close()
    yield file
    file.chmod(0o600)


def _reason(error: pytest.ExceptionInfo[StorageUnavailable]) -> object:
    (violation,) = error.value.violations
    assert violation.code == "store.unavailable"
    return violation.params["reason"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a file whatever its mode")
def test_a_read_only_file_refuses_writes_as_unavailable(path: Path) -> None:
    path.chmod(0o400)
    db = SqliteDatabase(path)
    with pytest.raises(StorageUnavailable) as refused:
        _things(db).insert(Thing("new"))
    assert _reason(refused) == "read_only"
    db.close()
    assert _stored(path) == ["kept"]


def test_a_database_opened_read_only_refuses_writes_as_unavailable(path: Path) -> None:
    # What a file the process may not write does, also when the tests run as root.
    db = SqliteDatabase(path)
    db.execute("PRAGMA query_only = ON")
    things = _things(db)
    with pytest.raises(StorageUnavailable) as refused:
        things.insert(Thing("new"))
    assert _reason(refused) == "read_only"
    assert things.find("kept") == Thing("kept")
    db.close()
    assert _stored(path) == ["kept"]


def test_a_database_locked_past_the_busy_timeout_is_unavailable(path: Path) -> None:
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    db = SqliteDatabase(path, busy_timeout=0.05)
    things = _things(db)
    try:
        with pytest.raises(StorageUnavailable) as refused, SqliteUnitOfWork(db):
            things.insert(Thing("new"))
        assert _reason(refused) == "locked"
        with pytest.raises(StorageUnavailable) as refused:
            things.insert(Thing("new"))  # outside a unit of work too
        assert _reason(refused) == "locked"
        assert things.find("kept") == Thing("kept")  # readers never wait in WAL mode
        assert db.depth == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with SqliteUnitOfWork(db) as uow:  # usable again once the other writer is gone
        things.insert(Thing("later"))
        uow.commit()
    db.close()
    assert _stored(path) == ["kept", "later"]


def _save_more_than_fits(db: SqliteDatabase, things: SqliteTable[Thing]) -> None:
    with SqliteUnitOfWork(db) as uow:
        things.insert(Thing("small"))
        for number in range(20):
            things.insert(Thing(f"big-{number:02}", payload="x" * 4000))
        uow.commit()


def test_a_full_database_is_unavailable_and_keeps_nothing_of_the_unit(path: Path) -> None:
    db = SqliteDatabase(path)
    things = _things(db)
    (pages,) = db.execute("PRAGMA page_count").fetchone()
    db.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(StorageUnavailable) as refused:
        _save_more_than_fits(db, things)
    assert _reason(refused) == "disk_full"
    db.close()
    assert _stored(path) == ["kept"]


def test_repositories_meet_the_same_errors(tmp_path: Path) -> None:
    db = open_database(tmp_path / "db.sqlite3", busy_timeout=0.05)
    holder = sqlite3.connect(tmp_path / "db.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    relationship = CustomerRelationship(
        id=RelationshipId("r1"), customer_number=CustomerNumber("100234"), kind="electricity"
    )
    try:
        with pytest.raises(StorageUnavailable) as refused, SqliteAuthzUnitOfWork(db) as uow:
            uow.relationships.add(relationship)
        assert _reason(refused) == "locked"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with SqliteAuthzUnitOfWork(db) as uow:
        assert uow.relationships.find(RelationshipId("r1")) is None
    db.close()


def test_text_sqlite_cannot_hold_is_refused_on_write_and_found_nowhere(path: Path) -> None:
    db = SqliteDatabase(path)
    things = _things(db)
    with pytest.raises(SelfcareError) as refused:
        things.insert(Thing("\ud800"))
    assert refused.value.codes == ("serialization.invalid_value",)
    assert things.find("\ud800") is None
    assert not things.delete("\ud800")
    assert things.select("key = ? OR key = ?", ["\ud800", "kept"]) == [Thing("kept")]
    with pytest.raises(TypeError):
        things.find(5)  # type: ignore[arg-type]
    db.close()
    assert _stored(path) == ["kept"]
