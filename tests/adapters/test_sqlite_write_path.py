"""The statements a SQLite unit of work sends on its way from reading to writing.

- The first write of a unit that has read goes into its read transaction, which SQLite
  upgrades in place; when SQLite refuses that (another writer holds the lock, or has
  committed since the unit first read), the write is sent again after ``BEGIN
  IMMEDIATE``, and compare-and-set judges what was read.
- A compare-and-set of an entity the unit of work found by key or first-of reads no
  finder columns first: the entity it found says what the row holds at its version.
  A wrong hint never writes a wrong row.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import attrs
import pytest

from selfcare.adapters._sql import _table
from selfcare.adapters.sqlite import (
    Migration,
    SqliteAuthzUnitOfWork,
    SqliteDatabase,
    SqliteTable,
    SqliteUnitOfWork,
)
from selfcare.authz.model import USER, Grant, GrantId
from selfcare.core.errors import AlreadyExists, ConcurrencyConflict, StorageUnavailable
from selfcare.core.ids import AccountId, RelationshipId
from selfcare.core.ports import next_version

NewDatabase = Callable[[], SqliteDatabase]


@attrs.frozen
class Thing:
    id: str
    owner: str = "x"
    colour: str = "red"
    value: int = 0
    version: int = 1


MIGRATIONS = [
    Migration(
        "test_0001_things",
        "CREATE TABLE things (key TEXT PRIMARY KEY, version INTEGER NOT NULL,"
        " data TEXT NOT NULL, owner TEXT NOT NULL, colour TEXT NOT NULL);"
        " CREATE INDEX things_owner ON things (owner);"
        " CREATE INDEX things_colour ON things (colour)",
    )
]


def _open(path: Path) -> tuple[SqliteDatabase, SqliteTable[Thing]]:
    db = SqliteDatabase(path, MIGRATIONS)
    table = SqliteTable(
        db,
        "things",
        Thing,
        key=lambda t: t.id,
        columns={"owner": lambda t: t.owner, "colour": lambda t: t.colour},
    )
    return db, table


@contextmanager
def _statements(db: SqliteDatabase) -> Iterator[list[str]]:
    """The statements this thread's connection runs inside the block."""
    seen: list[str] = []
    db.connection.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        db.connection.set_trace_callback(None)


def _grant(n: int) -> Grant:
    return Grant(
        id=GrantId(f"g-{n}"),
        user=AccountId("pekka"),
        relationship_id=RelationshipId("rel-1"),
        role=USER,
        granted_by=AccountId("anna"),
        granted_at=datetime(2026, 3, 2, tzinfo=UTC),
    )


def _verbs(statements: list[str]) -> list[str]:
    return [" ".join(s.split()[:2]) if s.startswith("BEGIN") else s.split()[0] for s in statements]


def test_a_unit_that_reads_then_writes_upgrades_its_transaction_in_place(
    new_database: NewDatabase,
) -> None:
    db = new_database()
    uow = SqliteAuthzUnitOfWork(db)
    with _statements(db) as seen, uow:
        assert uow.grants.for_user(AccountId("pekka")) == []
        uow.grants.add(_grant(1))
        uow.commit()
    assert _verbs(seen) == ["BEGIN", "SELECT", "INSERT", "COMMIT"]
    assert [g.id for g in uow.grants.for_user(AccountId("pekka"))] == ["g-1"]


def test_a_unit_that_writes_first_takes_the_write_lock_before_it(
    new_database: NewDatabase,
) -> None:
    db = new_database()
    uow = SqliteAuthzUnitOfWork(db)
    with _statements(db) as seen, uow:
        uow.grants.add(_grant(1))
        uow.commit()
    assert _verbs(seen) == ["BEGIN IMMEDIATE", "INSERT", "COMMIT"]


def test_a_write_after_another_connection_committed_is_sent_again_under_the_lock(
    new_database: NewDatabase,
) -> None:
    db = new_database()
    uow = SqliteAuthzUnitOfWork(db)
    other = SqliteAuthzUnitOfWork(SqliteDatabase(db.path))
    with _statements(db) as seen, uow:
        assert uow.grants.for_user(AccountId("pekka")) == []
        with other:  # commits after our snapshot: SQLite refuses the upgrade
            other.grants.add(_grant(1))
            other.commit()
        uow.grants.add(_grant(2))
        uow.commit()
    verbs = _verbs(seen)
    assert verbs == ["BEGIN", "SELECT", "INSERT", "ROLLBACK", "BEGIN IMMEDIATE", "INSERT", "COMMIT"]
    assert [g.id for g in uow.grants.for_user(AccountId("pekka"))] == ["g-1", "g-2"]


def test_a_write_while_another_connection_writes_waits_for_its_lock(
    new_database: NewDatabase,
) -> None:
    db = new_database()
    uow = SqliteAuthzUnitOfWork(db)
    holder = SqliteDatabase(db.path)
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        with SqliteUnitOfWork(holder) as held:
            holder.lock_for_writing()
            locked.set()
            release.wait(5)
            held.commit()

    thread = threading.Thread(target=hold_the_lock)
    with uow:
        assert uow.grants.for_user(AccountId("pekka")) == []
        thread.start()
        locked.wait(5)
        threading.Timer(0.1, release.set).start()
        started = time.perf_counter()
        uow.grants.add(_grant(1))  # refused in place at once; BEGIN IMMEDIATE waits
        waited = time.perf_counter() - started
        uow.commit()
    thread.join()
    assert waited >= 0.05
    assert [g.id for g in uow.grants.for_user(AccountId("pekka"))] == ["g-1"]


def test_a_write_past_the_busy_timeout_is_unavailable_and_leaves_nothing(
    new_database: NewDatabase,
) -> None:
    db = new_database()
    db.busy_timeout = 0.05
    uow = SqliteAuthzUnitOfWork(SqliteDatabase(db.path, busy_timeout=0.05))
    holder = SqliteDatabase(db.path)
    with uow:
        assert uow.grants.for_user(AccountId("pekka")) == []
        with SqliteUnitOfWork(holder):
            holder.lock_for_writing()
            with pytest.raises(StorageUnavailable) as raised:
                uow.grants.add(_grant(1))
    assert raised.value.violations[0].params == {"reason": "locked"}
    assert uow.grants.for_user(AccountId("pekka")) == []
    with uow:  # the thread is ready for the next unit of work
        uow.grants.add(_grant(2))
        uow.commit()
    assert [g.id for g in uow.grants.for_user(AccountId("pekka"))] == ["g-2"]


def test_compare_and_set_of_a_found_entity_reads_no_columns_first(tmp_path: Path) -> None:
    db, table = _open(tmp_path / "db.sqlite3")
    table.insert(Thing("t-1"))
    with _statements(db) as seen, SqliteUnitOfWork(db) as uow:
        found = table.find("t-1")
        assert found is not None
        table.compare_and_set(next_version(attrs.evolve(found, value=2, colour="blue")), 1)
        uow.commit()
    assert _verbs(seen) == ["BEGIN", "SELECT", "UPDATE", "COMMIT"]
    # only the changed finder column is set; the unchanged one is in the condition
    assert "\"colour\" = 'blue'" in seen[2]
    assert "\"owner\" IS 'x'" in seen[2]
    assert table.find_where(colour="blue") == [Thing("t-1", colour="blue", value=2, version=2)]


def test_compare_and_set_after_first_of_reads_no_columns_either(tmp_path: Path) -> None:
    db, table = _open(tmp_path / "db.sqlite3")
    table.insert(Thing("t-1", owner="anna"))
    with _statements(db) as seen, SqliteUnitOfWork(db) as uow:
        found = table.first("owner = ?", ["anna"])
        assert found is not None
        table.compare_and_set(next_version(attrs.evolve(found, owner="pekka")), 1)
        uow.commit()
    assert _verbs(seen) == ["BEGIN", "SELECT", "UPDATE", "COMMIT"]
    assert table.find_where(owner="pekka") == [Thing("t-1", owner="pekka", version=2)]
    assert table.find_where(owner="anna") == []


def test_compare_and_set_of_an_entity_not_found_first_reads_its_columns(tmp_path: Path) -> None:
    db, table = _open(tmp_path / "db.sqlite3")
    table.insert(Thing("t-1"))
    _table.forget_cached_documents()
    with _statements(db) as seen, SqliteUnitOfWork(db) as uow:
        table.compare_and_set(Thing("t-1", colour="blue", version=2), 1)
        uow.commit()
    assert _verbs(seen) == ["BEGIN", "SELECT", "UPDATE", "COMMIT"]
    assert seen[1].startswith('SELECT "version", "owner", "colour"')
    assert table.find_where(colour="blue") == [Thing("t-1", colour="blue", version=2)]


def test_a_wrong_hint_does_not_write_a_wrong_row(tmp_path: Path) -> None:
    db, table = _open(tmp_path / "db.sqlite3")
    table.insert(Thing("t-1"))
    found = table.find("t-1")
    assert found is not None
    # The row's finder column changes behind the remembered entity, version kept
    # (a maintenance rewrite, a hand-made fix): the hint says "red", the row "green".
    with SqliteUnitOfWork(db) as uow:
        db.write("UPDATE things SET colour = 'green' WHERE key = 't-1'")
        uow.commit()
    with SqliteUnitOfWork(db) as uow:
        table.compare_and_set(next_version(attrs.evolve(found, value=5)), 1)
        uow.commit()
    assert db.fetch("SELECT version, owner, colour FROM things") == [(2, "x", "red")]
    assert table.find_where(colour="red") == [Thing("t-1", value=5, version=2)]


def test_a_hint_at_another_version_is_not_used(tmp_path: Path) -> None:
    db, table = _open(tmp_path / "db.sqlite3")
    table.insert(Thing("t-1"))
    old = table.find("t-1")
    assert old is not None
    with SqliteUnitOfWork(db) as uow:
        table.compare_and_set(next_version(attrs.evolve(old, colour="blue")), 1)
        uow.commit()
    with pytest.raises(ConcurrencyConflict):  # a stale save is still a conflict
        table.compare_and_set(next_version(attrs.evolve(old, value=9)), 1)
    assert table.find_where(colour="blue") == [Thing("t-1", colour="blue", version=2)]


def test_a_written_entity_is_read_back_without_being_parsed_again(tmp_path: Path) -> None:
    _, table = _open(tmp_path / "db.sqlite3")
    _table.forget_cached_documents()
    thing = Thing("t-1", owner="anna")
    table.insert(thing)
    assert table.find("t-1") is thing
    assert table.find("t-1") is thing  # and then from the cache of read entities
    changed = next_version(attrs.evolve(thing, value=3))
    table.compare_and_set(changed, 1)
    assert table.first("owner = ?", ["anna"]) is changed
    _table.forget_cached_documents()
    again = table.find("t-1")
    assert again == changed
    assert again is not changed  # parsed from the stored document


def test_erasure_empties_the_remembered_entities(tmp_path: Path) -> None:
    _, table = _open(tmp_path / "db.sqlite3")
    table.insert(Thing("t-1"))
    assert table.find("t-1") is not None
    assert _table._written or _table._loaded
    _table.forget_cached_documents()
    assert not _table._written
    assert not _table._loaded


def test_a_unit_whose_transaction_sqlite_ended_writes_in_a_new_one(
    new_database: NewDatabase,
) -> None:
    # SQLite may end a transaction on an error (a full disk, an I/O error): the next
    # write must not then run in autocommit, where a later failure would leave half
    # of the unit of work behind.
    db = new_database()
    uow = SqliteAuthzUnitOfWork(db)

    def use_case() -> None:
        with uow:
            assert uow.grants.for_user(AccountId("pekka")) == []
            db.connection.execute("ROLLBACK")  # as SQLite's own rollback after an error
            uow.grants.add(_grant(1))
            raise KeyError("the use case fails before it commits")

    with pytest.raises(KeyError):
        use_case()
    assert uow.grants.for_user(AccountId("pekka")) == []


def test_a_first_write_refused_for_its_content_leaves_the_unit_usable(
    new_database: NewDatabase,
) -> None:
    db = new_database()
    uow = SqliteAuthzUnitOfWork(db)
    uow.grants.add(_grant(1))
    with uow:
        assert len(uow.grants.for_user(AccountId("pekka"))) == 1
        with pytest.raises(AlreadyExists):  # in place, then refused by the unique key
            uow.grants.add(_grant(1))
        with pytest.raises(sqlite3.OperationalError, match="no such table"):  # our bug
            db.write("INSERT INTO no_such_table VALUES (1)")
        uow.grants.add(_grant(2))
        uow.commit()
    assert [g.id for g in uow.grants.for_user(AccountId("pekka"))] == ["g-1", "g-2"]


def test_the_remembered_entities_are_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_table, "_REMEMBERED", 2)
    _table.forget_cached_documents()
    _, table = _open(tmp_path / "db.sqlite3")
    for n in range(5):
        table.insert(Thing(f"t-{n}"))
        assert table.find(f"t-{n}") == Thing(f"t-{n}")
        assert len(_table._written) <= 2
        assert len(_table._loaded) <= 2
    found = table.find("t-0")  # long forgotten, found again
    assert found is not None
    table.compare_and_set(next_version(attrs.evolve(found, colour="blue")), 1)
    assert table.find_where(colour="blue") == [Thing("t-0", colour="blue", version=2)]
