"""The PostgreSQL adapter passes every contract suite of :mod:`selfcare.testing.contracts`
against a real server (skipped without one: see postgres_server.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from selfcare.adapters.postgres import (
    PostgresAccountRepository,
    PostgresBillingAgreementRepository,
    PostgresCatalogRepository,
    PostgresCatalogUnitOfWork,
    PostgresDatabase,
    PostgresGrantRepository,
    PostgresInventoryRepository,
    PostgresInvitationRepository,
    PostgresInvoiceRepository,
    PostgresLoginThrottleRepository,
    PostgresOrderRepository,
    PostgresPrivacyUnitOfWork,
    PostgresRegistrationRepository,
    PostgresRelationshipRepository,
    PostgresSecondFactorRepository,
)
from selfcare.identity.national_id_at_rest import NationalIdKey
from selfcare.privacy.ports import PrivacyUnitOfWork
from selfcare.testing.contracts.authz import (
    GrantRepositoryContract,
    InvitationRepositoryContract,
    RelationshipRepositoryContract,
)
from selfcare.testing.contracts.billing import (
    BillingAgreementRepositoryContract,
    InvoiceRepositoryContract,
)
from selfcare.testing.contracts.catalog import (
    CatalogRepositoryContract,
    CatalogUnitOfWorkContract,
    InventoryRepositoryContract,
    OrderRepositoryContract,
)
from selfcare.testing.contracts.identity import (
    AccountRepositoryContract,
    LoginThrottleRepositoryContract,
    RegistrationRepositoryContract,
)
from selfcare.testing.contracts.privacy import PrivacyUnitOfWorkContract
from selfcare.testing.contracts.second_factor import SecondFactorRepositoryContract

NewDatabase = Callable[[], PostgresDatabase]


class _Databases:
    @pytest.fixture(autouse=True)
    def _databases(
        self, new_postgres_database: NewDatabase, national_id_key: NationalIdKey
    ) -> None:
        self.new_database = new_postgres_database
        self.key = national_id_key


class TestPostgresAccountRepository(_Databases, AccountRepositoryContract):
    def make_repository(self) -> PostgresAccountRepository:
        return PostgresAccountRepository(self.new_database(), self.key)


class TestPostgresRegistrationRepository(_Databases, RegistrationRepositoryContract):
    def make_repository(self) -> PostgresRegistrationRepository:
        return PostgresRegistrationRepository(self.new_database(), self.key)


class TestPostgresLoginThrottleRepository(_Databases, LoginThrottleRepositoryContract):
    def make_repository(self) -> PostgresLoginThrottleRepository:
        return PostgresLoginThrottleRepository(self.new_database())


class TestPostgresSecondFactorRepository(_Databases, SecondFactorRepositoryContract):
    def make_repository(self) -> PostgresSecondFactorRepository:
        return PostgresSecondFactorRepository(self.new_database(), self.key)


class TestPostgresGrantRepository(_Databases, GrantRepositoryContract):
    def make_repository(self) -> PostgresGrantRepository:
        return PostgresGrantRepository(self.new_database())


class TestPostgresInvitationRepository(_Databases, InvitationRepositoryContract):
    def make_repository(self) -> PostgresInvitationRepository:
        return PostgresInvitationRepository(self.new_database())


class TestPostgresRelationshipRepository(_Databases, RelationshipRepositoryContract):
    def make_repository(self) -> PostgresRelationshipRepository:
        return PostgresRelationshipRepository(self.new_database())


class TestPostgresCatalogRepository(_Databases, CatalogRepositoryContract):
    def make_repository(self) -> PostgresCatalogRepository:
        return PostgresCatalogRepository(self.new_database())


class TestPostgresInventoryRepository(_Databases, InventoryRepositoryContract):
    def make_repository(self) -> PostgresInventoryRepository:
        return PostgresInventoryRepository(self.new_database())


class TestPostgresOrderRepository(_Databases, OrderRepositoryContract):
    def make_repository(self) -> PostgresOrderRepository:
        return PostgresOrderRepository(self.new_database())


class TestPostgresCatalogUnitOfWork(_Databases, CatalogUnitOfWorkContract):
    def make_unit_of_work(self) -> PostgresCatalogUnitOfWork:
        return PostgresCatalogUnitOfWork(self.new_database())


class TestPostgresBillingAgreementRepository(_Databases, BillingAgreementRepositoryContract):
    def make_repository(self) -> PostgresBillingAgreementRepository:
        return PostgresBillingAgreementRepository(self.new_database())


class TestPostgresInvoiceRepository(_Databases, InvoiceRepositoryContract):
    def make_repository(self) -> PostgresInvoiceRepository:
        return PostgresInvoiceRepository(self.new_database())


class TestPostgresPrivacyUnitOfWork(_Databases, PrivacyUnitOfWorkContract):
    def make_unit_of_work(self) -> PrivacyUnitOfWork:
        return PostgresPrivacyUnitOfWork(self.new_database(), self.key)
