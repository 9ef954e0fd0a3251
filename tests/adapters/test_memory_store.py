from __future__ import annotations

import threading

import attrs
import pytest

from selfcare import ConcurrencyConflict, NotFound
from selfcare.adapters.memory import MemoryDatabase, MemoryUnitOfWork
from selfcare.core.errors import AlreadyExists
from selfcare.core.ports import next_version


@attrs.frozen
class Thing:
    id: str
    value: int = 0
    version: int = 1


def test_insert_refuses_duplicates() -> None:
    table = MemoryDatabase().table("things")
    table.insert("a", Thing("a"))
    with pytest.raises(AlreadyExists):
        table.insert("a", Thing("a"))


def test_compare_and_set_accepts_only_the_next_version() -> None:
    table = MemoryDatabase().table("things")
    first = Thing("a")
    table.insert("a", first)
    second = next_version(first, value=2)
    assert second.version == 2
    table.compare_and_set("a", second, expected_version=1)
    with pytest.raises(ConcurrencyConflict):
        table.compare_and_set("a", next_version(first, value=3), expected_version=1)
    with pytest.raises(NotFound):
        table.compare_and_set("b", Thing("b"), expected_version=0)
    assert table.require("a").value == 2


def test_unit_of_work_rolls_back_everything_it_did_not_commit() -> None:
    db = MemoryDatabase()
    table = db.table("things")
    table.insert("keep", Thing("keep"))

    def use_case() -> None:
        with MemoryUnitOfWork(db) as uow:
            table.insert("new", Thing("new"))
            table.compare_and_set("keep", next_version(table.require("keep"), value=9), 1)
            table.put("p", Thing("p"))
            table.delete("keep")
            uow.commit()  # a commit, then more work that fails
            table.insert("late", Thing("late"))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        use_case()
    assert {t.id for t in table} == {"new", "p"}
    assert table.find("late") is None


def test_explicit_rollback_and_nested_units_join_the_outer_one() -> None:
    db = MemoryDatabase()
    table = db.table("things")
    with MemoryUnitOfWork(db) as outer:
        table.insert("a", Thing("a"))
        outer.rollback()
        table.insert("b", Thing("b"))
        with MemoryUnitOfWork(db) as inner:
            table.insert("c", Thing("c"))
            inner.commit()  # joins the outer unit: not yet durable
        outer.commit()
    assert sorted(t.id for t in table.scan()) == ["b", "c"]
    with MemoryUnitOfWork(db), MemoryUnitOfWork(db) as inner:
        table.insert("d", Thing("d"))
        inner.commit()
        # the outer unit never commits
    assert table.find("d") is None
    assert len(table) == 2
    assert table.scan(lambda t: t.id == "b") == [Thing("b")]
    assert not table.delete("zzz")


def test_concurrent_compare_and_set_lets_exactly_one_writer_win() -> None:
    table = MemoryDatabase().table("things")
    table.insert("a", Thing("a"))
    wins: list[int] = []
    barrier = threading.Barrier(8)

    def writer(n: int) -> None:
        current = table.require("a")
        barrier.wait()
        try:
            table.compare_and_set("a", next_version(current, value=n), current.version)
            wins.append(n)
        except ConcurrencyConflict:
            pass

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(wins) == 1
    assert table.require("a").value == wins[0]


def test_indexed_finders_follow_updates_deletes_and_rollbacks() -> None:
    from datetime import UTC, datetime  # noqa: PLC0415

    from selfcare.adapters.memory.authz import MemoryAuthzUnitOfWork  # noqa: PLC0415
    from selfcare.authz.model import USER, Grant, GrantId  # noqa: PLC0415
    from selfcare.core.ids import AccountId, RelationshipId  # noqa: PLC0415

    def grant(n: int, user: str) -> Grant:
        return Grant(
            id=GrantId(f"g-{n}"),
            user=AccountId(user),
            relationship_id=RelationshipId("rel-1"),
            role=USER,
            granted_by=None,
            granted_at=datetime(2026, 3, 2, tzinfo=UTC),
        )

    uow = MemoryAuthzUnitOfWork(MemoryDatabase())
    with uow:
        for n in range(3):
            uow.grants.add(grant(n, "anna" if n != 1 else "pekka"))
        uow.commit()
    anna = AccountId("anna")
    assert [g.id for g in uow.grants.for_user(anna)] == ["g-0", "g-2"]
    with uow:  # moved to another user, then rolled back
        uow.grants.update(next_version(grant(0, "pekka")))
        assert [g.id for g in uow.grants.for_user(AccountId("pekka"))] == ["g-0", "g-1"]
        assert [g.id for g in uow.grants.for_user(anna)] == ["g-2"]
    assert [g.id for g in uow.grants.for_user(anna)] == ["g-0", "g-2"]
    assert [g.id for g in uow.grants.for_user(AccountId("pekka"))] == ["g-1"]
    # A repository opened again over the same table shares its index.
    again = MemoryAuthzUnitOfWork(uow.database)
    assert [g.id for g in again.grants.for_relationship(RelationshipId("rel-1"))] == [
        "g-0",
        "g-1",
        "g-2",
    ]


@attrs.frozen
class Numbered:
    id: int
    value: int = 0
    version: int = 1


def test_an_index_returns_the_current_entity_after_updates_and_rollbacks() -> None:
    # Index buckets hold the entities themselves: an update that keeps the indexed
    # value must still replace the entity they return, and a rollback bring it back.
    db = MemoryDatabase()
    table = db.table("things")
    table.index("parity", lambda t: (t.id % 2,))
    with MemoryUnitOfWork(db) as uow:
        for n in range(1, 6):
            table.insert(n, Numbered(n))
        uow.commit()
    with MemoryUnitOfWork(db) as uow:
        table.compare_and_set(3, next_version(Numbered(3), value=30), expected_version=1)
        table.compare_and_set(1, next_version(Numbered(1), value=10), expected_version=1)
        assert [(t.id, t.value) for t in table.lookup("parity", 1)] == [(1, 10), (3, 30), (5, 0)]
        uow.commit()
    with MemoryUnitOfWork(db):  # changed, then rolled back
        table.compare_and_set(5, next_version(Numbered(5), value=50), expected_version=1)
        assert table.lookup("parity", 1)[-1].value == 50
    assert [(t.id, t.value) for t in table.lookup("parity", 1)] == [(1, 10), (3, 30), (5, 0)]
    with MemoryUnitOfWork(db) as uow:  # the only one under its value
        table.delete(2)
        table.compare_and_set(4, next_version(Numbered(4), value=40), expected_version=1)
        uow.commit()
    assert table.lookup("parity", 0) == [Numbered(4, value=40, version=2)]
    assert table.lookup("parity", 7) == []


def test_an_index_added_to_a_table_with_rows_indexes_them() -> None:
    db = MemoryDatabase()
    table = db.table("things")
    with MemoryUnitOfWork(db) as uow:
        for n in range(1, 4):
            table.insert(n, Numbered(n))
        uow.commit()
    table.index("parity", lambda t: (t.id % 2,))
    table.index("parity", lambda _: (0,))  # once per name: the first one stays
    assert [t.id for t in table.lookup("parity", 1)] == [1, 3]
    assert [t.id for t in table.lookup("parity", 0)] == [2]
