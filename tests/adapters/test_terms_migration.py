"""Migration identity_0005_terms_of_use (and 0006, work accounts) on SQLite and
PostgreSQL: accounts stored before them load, and take the accepted terms of use from
their registration record where one is kept."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import attrs
from engines import Database, Engine

from selfcare.core.ids import AccountId
from selfcare.identity.contact import EmailAddress
from selfcare.identity.national_id_at_rest import NationalIdKey
from selfcare.identity.registration import RegistrationState
from selfcare.identity.work_account import WorkAccountLink
from selfcare.testing.contracts.identity import example_account, example_registration

NEW = ("identity_0005_terms_of_use", "identity_0006_work_accounts")
ACCEPTED_AT = datetime(2025, 11, 3, 9, 15, tzinfo=UTC)
#: The fields of an account document that the two migrations introduced.
NEW_FIELDS = ("terms_version", "terms_accepted_at", "pending_login", "work_account")
ACCOUNT_COLUMNS = (
    "key, version, data, email, national_id_hash, unlock_token_digest, recovery_token_digest"
)
REGISTRATION_COLUMNS = (
    "key, version, data, national_id_hash, claimed_national_id_hash, account_id, updated_at_us"
)


def _rows(database: Database, table: str, columns: str) -> list[list[object]]:
    return [list(row) for row in database.fetch(f"SELECT {columns} FROM {table}")]  # noqa: S608


def _as_stored_before(row: list[object]) -> list[object]:
    """An account row as the code before the migrations wrote it."""
    document = json.loads(str(row[2]))
    for field in NEW_FIELDS:
        del document[field]
    return [row[0], row[1], json.dumps(document, sort_keys=True), *row[3:]]


def _insert(database: Database, table: str, columns: str, rows: list[list[object]]) -> None:
    marks = ", ".join("?" for _ in columns.split(","))
    for row in rows:
        database.write(f"INSERT INTO {table} ({columns}) VALUES ({marks})", row)  # noqa: S608


def test_stored_accounts_load_and_take_their_accepted_terms_from_registration(
    engine: Engine, national_id_key: NationalIdKey
) -> None:
    registered = example_account(1)
    without_record = example_account(2)
    registration = attrs.evolve(
        example_registration(1),
        state=RegistrationState.COMPLETED,
        account_id=registered.id,
        terms_version="2025-11",
        terms_accepted_at=ACCEPTED_AT,
    )
    # Rows written by today's adapters, then stripped to what the old code stored.
    current = engine.new()
    uow = engine.identity(current, national_id_key)
    with uow:
        uow.accounts.add(registered)
        uow.accounts.add(without_record)
        uow.registrations.add(registration)
        uow.commit()
    accounts = [
        _as_stored_before(row) for row in _rows(current, "identity_accounts", ACCOUNT_COLUMNS)
    ]
    registrations = _rows(current, "identity_registrations", REGISTRATION_COLUMNS)

    old = engine.new_without(NEW)
    with engine.identity(old, national_id_key) as writing:
        _insert(old, "identity_accounts", ACCOUNT_COLUMNS, accounts)
        _insert(old, "identity_registrations", REGISTRATION_COLUMNS, registrations)
        writing.commit()
    assert engine.migrate(old) == list(NEW)

    migrated = engine.identity(old, national_id_key)
    with migrated:
        first = migrated.accounts.find(registered.id)
        second = migrated.accounts.find(without_record.id)
    assert first == attrs.evolve(registered, terms_version="2025-11", terms_accepted_at=ACCEPTED_AT)
    assert second == without_record
    assert second is not None
    assert second.terms_version is None

    # The new columns work on the migrated rows.
    link = WorkAccountLink(
        tenant_id="tenant-a",
        subject="emp-1",
        email=EmailAddress.parse("anna@company.example"),
        linked_at=ACCEPTED_AT,
        last_issued_at=ACCEPTED_AT,
    )
    assert first is not None
    with migrated:
        migrated.accounts.update(attrs.evolve(first, work_account=link, version=first.version + 1))
        migrated.commit()
    with migrated:
        found = migrated.accounts.find_by_work_account("tenant-a", link.email)
    assert found is not None
    assert found.id == AccountId(registered.id)
