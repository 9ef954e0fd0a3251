from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import attrs
import pytest

from selfcare import ConcurrencyConflict, NotFound
from selfcare.adapters.sqlite import Migration, SqliteDatabase, SqliteTable, SqliteUnitOfWork
from selfcare.core.errors import AlreadyExists
from selfcare.core.ports import next_version


@attrs.frozen
class Thing:
    id: str
    owner: str = "x"
    value: int = 0
    version: int = 1


MIGRATIONS = [
    Migration(
        "test_0001_things",
        "CREATE TABLE things (key TEXT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL,"
        " owner TEXT NOT NULL); CREATE INDEX things_owner ON things (owner)",
    )
]


def open_db(path: Path) -> tuple[SqliteDatabase, SqliteTable[Thing]]:
    db = SqliteDatabase(path, MIGRATIONS)
    return db, SqliteTable(
        db, "things", Thing, key=lambda t: t.id, columns={"owner": lambda t: t.owner}
    )


def test_migrations_run_once_and_are_recorded(tmp_path: Path) -> None:
    db, _ = open_db(tmp_path / "db.sqlite3")
    assert db.applied_migrations() == ["test_0001_things"]
    assert db.migrate(MIGRATIONS) == []
    extra = Migration("test_0002_more", "CREATE TABLE more (key TEXT PRIMARY KEY)")
    assert db.migrate([*MIGRATIONS, extra]) == ["test_0002_more"]
    assert db.applied_migrations() == ["test_0001_things", "test_0002_more"]
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_a_failing_migration_leaves_nothing_behind(tmp_path: Path) -> None:
    db, _ = open_db(tmp_path / "db.sqlite3")
    broken = Migration("test_0002_broken", "CREATE TABLE ok (x); CREATE TABLE ok (x)")
    with pytest.raises(Exception, match="already exists"):
        db.migrate([broken])
    assert db.applied_migrations() == ["test_0001_things"]
    assert db.execute("SELECT name FROM sqlite_master WHERE name = 'ok'").fetchone() is None


def test_documents_round_trip_and_finders_use_columns(tmp_path: Path) -> None:
    _, table = open_db(tmp_path / "db.sqlite3")
    table.insert(Thing("a", owner="ann"))
    table.insert(Thing("b", owner="bo"))
    table.insert(Thing("c", owner="ann", value=3))
    assert table.find("a") == Thing("a", owner="ann")
    assert [t.id for t in table.find_where(owner="ann")] == ["a", "c"]
    assert table.count(owner="ann") == 2
    assert table.count() == 3
    assert len(table.find_where()) == 3
    with pytest.raises(ValueError, match="not a column"):
        table.find_where(nope=1)
    with pytest.raises(AlreadyExists):
        table.insert(Thing("a"))
    assert table.delete("b")
    assert not table.delete("b")
    table.put(Thing("p", value=1))
    table.put(Thing("p", value=2))
    assert table.require("p").value == 2
    with pytest.raises(NotFound):
        table.require("zzz")


def test_compare_and_set(tmp_path: Path) -> None:
    _, table = open_db(tmp_path / "db.sqlite3")
    first = Thing("a")
    table.insert(first)
    table.compare_and_set(next_version(first, value=1), expected_version=1)
    with pytest.raises(ConcurrencyConflict):
        table.compare_and_set(next_version(first, value=2), expected_version=1)
    with pytest.raises(NotFound):
        table.compare_and_set(Thing("zzz", version=2), expected_version=1)
    assert table.require("a") == Thing("a", value=1, version=2)


def test_unit_of_work_is_all_or_nothing(tmp_path: Path) -> None:
    db, table = open_db(tmp_path / "db.sqlite3")

    def failing_use_case() -> None:
        with SqliteUnitOfWork(db):
            table.insert(Thing("a"))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        failing_use_case()
    assert table.find("a") is None
    with SqliteUnitOfWork(db) as uow:
        table.insert(Thing("a"))
        with SqliteUnitOfWork(db) as inner:
            table.insert(Thing("b"))
            inner.commit()  # joins the outer unit
        uow.rollback()
        table.insert(Thing("c"))
        uow.commit()
        table.insert(Thing("d"))  # after the commit, never committed
    assert sorted(t.id for t in table.find_where()) == ["c"]


def test_two_connections_racing_compare_and_set_let_one_win(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    db, table = open_db(path)
    table.insert(Thing("a"))
    wins: list[int] = []
    barrier = threading.Barrier(4)

    def writer(n: int) -> None:
        other_db, other = open_db(path)
        current = other.require("a")
        barrier.wait()
        try:
            with SqliteUnitOfWork(other_db) as uow:
                other.compare_and_set(next_version(current, value=n), current.version)
                uow.commit()
            wins.append(n)
        except ConcurrencyConflict:
            pass
        finally:
            other_db.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(wins) == 1
    assert table.require("a").value == wins[0]
    db.close()


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_process_loses_only_its_uncommitted_unit_of_work(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_sqlite_store import Thing, open_db
        from selfcare.adapters.sqlite import SqliteUnitOfWork
        db, table = open_db({str(path)!r})
        with SqliteUnitOfWork(db) as uow:
            table.insert(Thing("committed"))
            uow.commit()
        with SqliteUnitOfWork(db):
            table.insert(Thing("half-written"))
            print("ready", flush=True)
            time.sleep(60)
        """
    )
    with subprocess.Popen(  # noqa: S603 - our interpreter, our script
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    db, table = open_db(path)
    assert table.find("committed") == Thing("committed")
    assert table.find("half-written") is None
    db.close()
