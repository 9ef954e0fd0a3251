"""The SQLite billing repositories pass the billing contract suites."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from selfcare.adapters.sqlite import (
    SqliteBillingAgreementRepository,
    SqliteBillingUnitOfWork,
    SqliteDatabase,
    SqliteInvoiceRepository,
)
from selfcare.billing import BillingAgreement, BillingMethod, BillingPeriod
from selfcare.core.ids import CustomerNumber
from selfcare.testing.contracts.billing import (
    BillingAgreementRepositoryContract,
    InvoiceRepositoryContract,
)

NewDatabase = Callable[[], SqliteDatabase]


class TestSqliteBillingAgreementRepository(BillingAgreementRepositoryContract):
    @pytest.fixture(autouse=True)
    def _databases(self, new_database: NewDatabase) -> None:
        self.new_database = new_database

    def make_repository(self) -> SqliteBillingAgreementRepository:
        return SqliteBillingAgreementRepository(self.new_database())


class TestSqliteInvoiceRepository(InvoiceRepositoryContract):
    @pytest.fixture(autouse=True)
    def _databases(self, new_database: NewDatabase) -> None:
        self.new_database = new_database

    def make_repository(self) -> SqliteInvoiceRepository:
        return SqliteInvoiceRepository(self.new_database())


AGREEMENT = BillingAgreement(
    agreement_id="a",
    payer=CustomerNumber("c"),
    method=BillingMethod.PAPER,
    valid_from=date(2026, 1, 1),
)


def test_unit_of_work_is_all_or_nothing(new_database: NewDatabase) -> None:
    db = new_database()
    with SqliteBillingUnitOfWork(db) as uow:
        uow.agreements.add(AGREEMENT)
    with SqliteBillingUnitOfWork(db) as uow:
        assert uow.agreements.find("a") is None
        uow.agreements.add(AGREEMENT)
        uow.commit()
    with SqliteBillingUnitOfWork(db) as uow:
        assert uow.agreements.for_payer("c") == [AGREEMENT]
        assert uow.invoices.for_payer("c") == []


def test_a_second_connection_sees_only_committed_work(new_database: NewDatabase) -> None:
    db = new_database()
    other = SqliteDatabase(db.path)
    try:
        with SqliteBillingUnitOfWork(db) as uow:
            uow.agreements.add(AGREEMENT)
            assert SqliteBillingAgreementRepository(other).find("a") is None
            uow.commit()
        assert SqliteBillingAgreementRepository(other).find("a") == AGREEMENT
    finally:
        other.close()


def test_text_sqlite_cannot_store_finds_nothing(new_database: NewDatabase) -> None:
    db = new_database()
    agreements = SqliteBillingAgreementRepository(db)
    invoices = SqliteInvoiceRepository(db)
    lone = "\ud800"
    assert agreements.find(lone) is None
    assert agreements.for_payer(lone) == []
    assert invoices.find(lone) is None
    assert invoices.find_by_reference(lone) is None
    assert invoices.for_payer(lone) == []
    assert invoices.for_payer(lone, BillingPeriod(2026, 1)) == []
