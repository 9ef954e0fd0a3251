"""The PostgreSQL engine on a real server: the isolation level it relies on, compare-and-set
between connections, the translation of the driver's errors, read-only units of work,
migrations and sealed national identity codes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import attrs
import psycopg
import pytest
from postgres_server import PostgresSchemas

from selfcare.adapters.postgres import (
    MIGRATIONS,
    PostgresAuthzUnitOfWork,
    PostgresDatabase,
    PostgresGrantRepository,
    PostgresIdentityUnitOfWork,
    PostgresTable,
    open_database,
)
from selfcare.authz.model import USER, Grant, GrantId
from selfcare.core.errors import (
    AlreadyExists,
    ConcurrencyConflict,
    SelfcareError,
    StorageUnavailable,
)
from selfcare.core.ids import AccountId, RelationshipId
from selfcare.core.ports import next_version
from selfcare.identity.national_id_at_rest import NationalIdKey
from selfcare.testing.contracts.authz import T0
from selfcare.testing.contracts.identity import example_account

NewDatabase = Callable[[], PostgresDatabase]


def _grant(n: int = 1, user: str = "pekka") -> Grant:
    return Grant(
        id=GrantId(f"g-{n}"),
        user=AccountId(user),
        relationship_id=RelationshipId("rel-1"),
        role=USER,
        granted_by=AccountId("anna"),
        granted_at=T0,
    )


def _reason(error: pytest.ExceptionInfo[StorageUnavailable]) -> object:
    return error.value.violations[0].params["reason"]


def test_a_unit_of_work_is_one_read_committed_transaction(
    new_postgres_database: NewDatabase,
) -> None:
    db = new_postgres_database()
    with PostgresAuthzUnitOfWork(db):
        assert db.fetch("SHOW transaction_isolation") == [("read committed",)]
        assert db.fetch("SELECT txid_current() = txid_current()") == [(True,)]
    uow = PostgresAuthzUnitOfWork(db)
    with uow.reading():
        # Each statement on its own, in autocommit: no BEGIN, no transaction that
        # spans two statements (at READ COMMITTED each has its own snapshot anyway).
        first, second = (db.fetch("SELECT txid_current()")[0][0] for _ in range(2))
        assert first != second
        with pytest.raises(RuntimeError, match="reading"):
            uow.grants.add(_grant())
    assert uow.grants.find(_grant().id) is None
    with uow:
        assert db.fetch("SHOW transaction_read_only") == [("off",)]


def test_two_connections_updating_one_entity_cannot_both_win(
    new_postgres_database: NewDatabase, postgres_schemas: PostgresSchemas
) -> None:
    """The second update waits for the first's row lock, then finds another version:
    ConcurrencyConflict, not a lost update (READ COMMITTED re-checks the WHERE clause)."""
    db = new_postgres_database()
    other = postgres_schemas.again(db)
    grant = _grant()
    PostgresGrantRepository(db).add(grant)
    first, second = PostgresAuthzUnitOfWork(db), PostgresAuthzUnitOfWork(other)
    saved, outcome = threading.Event(), {}

    def later() -> None:
        saved.wait()
        with second:
            try:
                second.grants.update(next_version(grant, role=USER))
                second.commit()
                outcome["second"] = "won"
            except ConcurrencyConflict:
                outcome["second"] = "conflict"

    racer = threading.Thread(target=later)
    racer.start()
    with first:
        first.grants.update(next_version(grant))
        saved.set()
        time.sleep(0.2)  # the other connection is now waiting for this row
        first.commit()
    racer.join()
    assert outcome == {"second": "conflict"}
    stored = PostgresGrantRepository(db).find(grant.id)
    assert stored is not None
    assert stored.version == grant.version + 1


def test_a_taken_key_inside_a_unit_of_work_keeps_the_rest_of_it(
    new_postgres_database: NewDatabase, national_id_key: NationalIdKey
) -> None:
    db = new_postgres_database()
    uow = PostgresIdentityUnitOfWork(db, national_id_key)
    first, second = example_account(1), example_account(2)
    with uow:
        uow.accounts.add(first)
        with pytest.raises(AlreadyExists):
            uow.accounts.add(first)
        taken = next_version(second, profile=attrs.evolve(second.profile, email=first.email))
        uow.accounts.add(second)
        with pytest.raises(AlreadyExists):
            uow.accounts.update(taken)  # the e-mail address is the first account's
        uow.commit()
    assert uow.accounts.find(first.id) == first
    assert uow.accounts.find(second.id) == second


def test_national_ids_are_sealed_and_found_only_with_the_key(
    new_postgres_database: NewDatabase, national_id_key: NationalIdKey
) -> None:
    db = new_postgres_database()
    account = example_account(1)
    uow = PostgresIdentityUnitOfWork(db, national_id_key)
    uow.accounts.add(account)
    rows = db.fetch("SELECT data, national_id_hash FROM identity_accounts")
    assert account.national_id.compact not in repr(rows)
    assert uow.accounts.find_by_national_id(account.national_id) == account
    stranger = PostgresIdentityUnitOfWork(db, NationalIdKey(b"another-key-0123456789abcdefghijk"))
    assert stranger.accounts.find_by_national_id(account.national_id) is None


@attrs.frozen
class Note:
    id: str
    text: str
    version: int = 1


def test_values_postgresql_cannot_hold(new_postgres_database: NewDatabase) -> None:
    db = new_postgres_database()
    db.execute(
        "CREATE TABLE notes (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " key TEXT NOT NULL UNIQUE, version BIGINT NOT NULL, data TEXT NOT NULL, text TEXT)"
    )
    notes = PostgresTable(db, "notes", Note, key=lambda n: n.id, columns={"text": lambda n: n.text})
    for junk in ("nul\x00", "lone\ud800"):
        assert notes.find(junk) is None
        assert notes.select("text = ?", [junk]) == []
        with pytest.raises(SelfcareError) as refused:
            notes.insert(Note("n-1", junk))
        assert refused.value.codes == ("serialization.invalid_value",)
    with pytest.raises(SelfcareError):
        notes.insert(Note("n-1", "big", version=2**70))
    with pytest.raises(TypeError):
        notes.find(1)  # type: ignore[arg-type]
    assert notes.count() == 0


def test_migrations_are_recorded_and_applied_once_by_processes_starting_together(
    postgres_schemas: PostgresSchemas,
) -> None:
    db = postgres_schemas.new()
    names = [m.name for m in MIGRATIONS]
    assert db.applied_migrations() == names
    assert db.migrate(MIGRATIONS) == []
    results: list[list[str]] = []
    starting = [postgres_schemas.again(db) for _ in range(3)]
    threads = [
        threading.Thread(target=lambda d=d: results.append(d.applied_migrations()))
        for d in starting
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [names] * 3


def test_an_unreachable_server_is_unavailable(postgres_schemas: PostgresSchemas) -> None:
    with pytest.raises(StorageUnavailable) as refused:
        open_database("host=127.0.0.1 port=1 user=nobody dbname=nothing", timeout=1)
    assert _reason(refused) == "cannot_connect"


def test_no_free_connection_in_time_is_unavailable(postgres_schemas: PostgresSchemas) -> None:
    db = postgres_schemas.new()
    small = PostgresDatabase(postgres_schemas.dsn, schema=db.schema, pool_size=1, timeout=0.3)
    try:
        holding, done = threading.Event(), threading.Event()

        def hold() -> None:
            with PostgresAuthzUnitOfWork(small) as uow:
                uow.grants.find(GrantId("x"))
                holding.set()
                done.wait()

        holder = threading.Thread(target=hold)
        holder.start()
        holding.wait()
        with pytest.raises(StorageUnavailable) as refused, PostgresAuthzUnitOfWork(small):
            pass
        done.set()
        holder.join()
        assert _reason(refused) == "pool_exhausted"
    finally:
        small.close()


def test_a_connection_killed_by_the_server_is_unavailable_then_replaced(
    new_postgres_database: NewDatabase, postgres_schemas: PostgresSchemas
) -> None:
    db = new_postgres_database()
    uow = PostgresAuthzUnitOfWork(db)
    with uow:
        (pid,) = db.fetch("SELECT pg_backend_pid()")[0]
        with psycopg.connect(postgres_schemas.dsn, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        with pytest.raises(StorageUnavailable) as refused:
            uow.grants.add(_grant())
    assert _reason(refused) in {"shutting_down", "connection_lost"}
    uow.grants.add(_grant())  # the pool gave a new connection
    assert uow.grants.find(GrantId("g-1")) == _grant()
