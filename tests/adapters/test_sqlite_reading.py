"""SQLite units of work read without a lock: a finder-only unit (a permission check) or
the slow part of a use case before its first write (hashing a password) never holds up
a writer, and what it read is checked by compare-and-set when it writes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from selfcare.adapters.sqlite import SqliteAuthzUnitOfWork, SqliteDatabase
from selfcare.authz.model import USER, Grant, GrantId
from selfcare.core.errors import ConcurrencyConflict
from selfcare.core.ids import AccountId, RelationshipId
from selfcare.core.ports import next_version

NewDatabase = Callable[[], SqliteDatabase]


def _grant(n: int) -> Grant:
    return Grant(
        id=GrantId(f"g-{n}"),
        user=AccountId("pekka"),
        relationship_id=RelationshipId("rel-1"),
        role=USER,
        granted_by=AccountId("anna"),
        granted_at=datetime(2026, 3, 2, tzinfo=UTC),
    )


def test_a_write_waits_for_no_unit_of_work_that_has_only_read(new_database: NewDatabase) -> None:
    db = new_database()
    db.busy_timeout = 0.05
    reader = SqliteAuthzUnitOfWork(db)
    reading, written = threading.Event(), threading.Event()

    def slow_use_case() -> None:
        with reader:
            reader.grants.for_user(AccountId("pekka"))
            reading.set()
            written.wait(5)  # e.g. scrypt, between the reads and the first write
            reader.grants.add(_grant(2))
            reader.commit()

    thread = threading.Thread(target=slow_use_case)
    thread.start()
    reading.wait()
    writer = SqliteAuthzUnitOfWork(SqliteDatabase(db.path, busy_timeout=0.05))
    started = time.perf_counter()
    with writer:
        writer.grants.add(_grant(1))
        writer.commit()
    waited = time.perf_counter() - started
    written.set()
    thread.join()
    assert waited < 0.01
    assert [g.id for g in writer.grants.for_user(AccountId("pekka"))] == ["g-1", "g-2"]


def test_what_was_read_before_the_first_write_is_checked_by_compare_and_set(
    new_database: NewDatabase,
) -> None:
    db = new_database()
    uow = SqliteAuthzUnitOfWork(db)
    uow.grants.add(_grant(1))
    other = SqliteAuthzUnitOfWork(SqliteDatabase(db.path))
    with uow:
        stale = uow.grants.find(GrantId("g-1"))
        assert stale is not None
        with other:  # another connection changes the grant after we read it
            other.grants.update(next_version(stale))
            other.commit()
        with pytest.raises(ConcurrencyConflict):
            uow.grants.update(next_version(stale))


def test_a_reading_unit_of_work_may_not_write(new_database: NewDatabase) -> None:
    db = new_database()
    uow = SqliteAuthzUnitOfWork(db)
    with uow.reading():
        assert uow.grants.for_user(AccountId("pekka")) == []
        assert not db.connection.in_transaction  # each statement on its own: no BEGIN
        with pytest.raises(RuntimeError, match="reading"):
            uow.grants.add(_grant(1))
    with uow:  # the next unit of work may write again
        uow.grants.add(_grant(1))
        uow.commit()
    with uow:
        with uow.reading():  # inside a writing unit, reading() joins it
            uow.grants.add(_grant(2))
        uow.commit()
    assert len(uow.grants.for_user(AccountId("pekka"))) == 2


def test_units_inside_a_reading_unit_join_it_and_cannot_write(new_database: NewDatabase) -> None:
    db = new_database()
    uow = SqliteAuthzUnitOfWork(db)
    with uow.reading():
        with uow.reading():
            assert db.depth == 2
        # a plain unit inside a reading one is still read-only
        with uow, pytest.raises(RuntimeError, match="reading"):
            uow.grants.add(_grant(1))
        assert db.depth == 1
    assert db.depth == 0
    with uow:
        uow.grants.add(_grant(1))
        uow.commit()
    assert len(uow.grants.for_user(AccountId("pekka"))) == 1


def test_a_reading_unit_left_by_an_exception_leaves_the_thread_ready(
    new_database: NewDatabase,
) -> None:
    db = new_database()
    uow = SqliteAuthzUnitOfWork(db)

    def fails_while_reading() -> None:
        with uow.reading():
            uow.grants.for_user(AccountId("pekka"))
            raise KeyError("boom")

    with pytest.raises(KeyError):
        fails_while_reading()
    assert db.depth == 0
    assert not db.connection.in_transaction
    with uow:
        uow.grants.add(_grant(1))
        uow.commit()
    assert len(uow.grants.for_user(AccountId("pekka"))) == 1
