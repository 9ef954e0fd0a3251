"""The SQLite identity repositories pass the identity contract suites, and keep national
identity codes out of the file."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import attrs
import pytest

from selfcare.adapters.sqlite import (
    SqliteAccountRepository,
    SqliteDatabase,
    SqliteIdentityUnitOfWork,
    SqliteLoginThrottleRepository,
    SqliteRegistrationRepository,
    SqliteSecondFactorRepository,
)
from selfcare.core.errors import SelfcareError
from selfcare.identity.contact import EmailAddress
from selfcare.identity.national_id_at_rest import NationalIdKey
from selfcare.testing.contracts.identity import (
    AccountRepositoryContract,
    LoginThrottleRepositoryContract,
    RegistrationRepositoryContract,
    example_account,
    example_hetu,
    example_registration,
)
from selfcare.testing.contracts.second_factor import SecondFactorRepositoryContract

NewDatabase = Callable[[], SqliteDatabase]


class _Databases:
    @pytest.fixture(autouse=True)
    def _databases(self, new_database: NewDatabase, national_id_key: NationalIdKey) -> None:
        self.new_database = new_database
        self.key = national_id_key


class TestSqliteAccountRepository(_Databases, AccountRepositoryContract):
    def make_repository(self) -> SqliteAccountRepository:
        return SqliteAccountRepository(self.new_database(), self.key)


class TestSqliteRegistrationRepository(_Databases, RegistrationRepositoryContract):
    def make_repository(self) -> SqliteRegistrationRepository:
        return SqliteRegistrationRepository(self.new_database(), self.key)


class TestSqliteLoginThrottleRepository(_Databases, LoginThrottleRepositoryContract):
    def make_repository(self) -> SqliteLoginThrottleRepository:
        return SqliteLoginThrottleRepository(self.new_database())


class TestSqliteSecondFactorRepository(_Databases, SecondFactorRepositoryContract):
    def make_repository(self) -> SqliteSecondFactorRepository:
        return SqliteSecondFactorRepository(self.new_database(), self.key)


def _dump(connection: sqlite3.Connection) -> str:
    return "\n".join(connection.iterdump())


def test_a_dump_shows_no_national_identity_code(
    new_database: NewDatabase, national_id_key: NationalIdKey
) -> None:
    db = new_database()
    account = example_account(1)
    registration = attrs.evolve(example_registration(1), claimed_national_id=example_hetu(555))
    with SqliteIdentityUnitOfWork(db, national_id_key) as uow:
        uow.accounts.add(account)
        uow.registrations.add(registration)
        uow.commit()
        assert uow.registrations.find(registration.id) == registration
    dump = _dump(db.connection)
    assert account.id in dump
    for national_id in (account.national_id, registration.national_id, example_hetu(555)):
        assert national_id is not None
        assert national_id.compact not in dump
        assert national_id.compact.replace("-", "") not in dump
    assert national_id_key.lookup_hash(account.national_id) in dump


def test_another_key_cannot_read_or_find_the_codes(
    new_database: NewDatabase, national_id_key: NationalIdKey
) -> None:
    db = new_database()
    account = example_account(1)
    owner = SqliteAccountRepository(db, national_id_key)
    owner.add(account)
    assert owner.find(account.id) == account  # read (and remembered) under the right key
    stranger = SqliteAccountRepository(db, NationalIdKey(b"another-key-of-32-bytes-or-longer"))
    assert stranger.find_by_national_id(account.national_id) is None
    with pytest.raises(SelfcareError) as refused:
        stranger.find(account.id)
    assert refused.value.codes == ("national_id.sealed_invalid",)


def test_unit_of_work_is_all_or_nothing(
    new_database: NewDatabase, national_id_key: NationalIdKey
) -> None:
    db = new_database()
    with SqliteIdentityUnitOfWork(db, national_id_key) as uow:
        uow.accounts.add(example_account(1))
        uow.registrations.add(example_registration(1))
    with SqliteIdentityUnitOfWork(db, national_id_key) as uow:
        assert uow.accounts.find("account-1") is None
        assert uow.registrations.find("registration-1") is None


def test_text_sqlite_cannot_store_finds_nothing(
    new_database: NewDatabase, national_id_key: NationalIdKey
) -> None:
    db = new_database()
    accounts = SqliteAccountRepository(db, national_id_key)
    assert accounts.find("\ud800") is None
    assert accounts.find_by_email(EmailAddress.parse("anna@example.fi")) is None
    assert SqliteRegistrationRepository(db, national_id_key).find("\ud800") is None
