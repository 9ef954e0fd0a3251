"""Every domain's unit of work keeps the transaction rules of
:mod:`selfcare.testing.contracts.unit_of_work` on memory, SQLite and PostgreSQL (the
catalog's and privacy's suites run beside their repositories' suites)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from selfcare.adapters.memory import MemoryDatabase
from selfcare.adapters.memory.authz import MemoryAuthzUnitOfWork
from selfcare.adapters.memory.billing import MemoryBillingUnitOfWork
from selfcare.adapters.memory.identity import MemoryIdentityUnitOfWork
from selfcare.adapters.postgres import (
    PostgresAuthzUnitOfWork,
    PostgresBillingUnitOfWork,
    PostgresDatabase,
    PostgresIdentityUnitOfWork,
)
from selfcare.adapters.sqlite import (
    SqliteAuthzUnitOfWork,
    SqliteBillingUnitOfWork,
    SqliteDatabase,
    SqliteIdentityUnitOfWork,
)
from selfcare.authz.ports import AuthzUnitOfWork
from selfcare.billing.ports import BillingUnitOfWork
from selfcare.identity.national_id_at_rest import NationalIdKey
from selfcare.identity.ports import IdentityUnitOfWork
from selfcare.testing.contracts.authz import AuthzUnitOfWorkContract
from selfcare.testing.contracts.billing import BillingUnitOfWorkContract
from selfcare.testing.contracts.identity import IdentityUnitOfWorkContract


class TestMemoryIdentityUnitOfWork(IdentityUnitOfWorkContract):
    def make_unit_of_work(self) -> IdentityUnitOfWork:
        return MemoryIdentityUnitOfWork(MemoryDatabase())


class TestMemoryAuthzUnitOfWork(AuthzUnitOfWorkContract):
    def make_unit_of_work(self) -> AuthzUnitOfWork:
        return MemoryAuthzUnitOfWork(MemoryDatabase())


class TestMemoryBillingUnitOfWork(BillingUnitOfWorkContract):
    def make_unit_of_work(self) -> BillingUnitOfWork:
        return MemoryBillingUnitOfWork(MemoryDatabase())


class _Sqlite:
    @pytest.fixture(autouse=True)
    def _databases(
        self, new_database: Callable[[], SqliteDatabase], national_id_key: NationalIdKey
    ) -> None:
        self.new_database = new_database
        self.key = national_id_key


class TestSqliteIdentityUnitOfWork(_Sqlite, IdentityUnitOfWorkContract):
    def make_unit_of_work(self) -> IdentityUnitOfWork:
        return SqliteIdentityUnitOfWork(self.new_database(), self.key)


class TestSqliteAuthzUnitOfWork(_Sqlite, AuthzUnitOfWorkContract):
    def make_unit_of_work(self) -> AuthzUnitOfWork:
        return SqliteAuthzUnitOfWork(self.new_database())


class TestSqliteBillingUnitOfWork(_Sqlite, BillingUnitOfWorkContract):
    def make_unit_of_work(self) -> BillingUnitOfWork:
        return SqliteBillingUnitOfWork(self.new_database())


class _Postgres:
    @pytest.fixture(autouse=True)
    def _databases(
        self,
        new_postgres_database: Callable[[], PostgresDatabase],
        national_id_key: NationalIdKey,
    ) -> None:
        self.new_database = new_postgres_database
        self.key = national_id_key


class TestPostgresIdentityUnitOfWork(_Postgres, IdentityUnitOfWorkContract):
    def make_unit_of_work(self) -> IdentityUnitOfWork:
        return PostgresIdentityUnitOfWork(self.new_database(), self.key)


class TestPostgresAuthzUnitOfWork(_Postgres, AuthzUnitOfWorkContract):
    def make_unit_of_work(self) -> AuthzUnitOfWork:
        return PostgresAuthzUnitOfWork(self.new_database())


class TestPostgresBillingUnitOfWork(_Postgres, BillingUnitOfWorkContract):
    def make_unit_of_work(self) -> BillingUnitOfWork:
        return PostgresBillingUnitOfWork(self.new_database())
