from __future__ import annotations

from datetime import date

from selfcare.adapters.memory import MemoryDatabase
from selfcare.adapters.memory.billing import (
    MemoryBillingAgreementRepository,
    MemoryBillingUnitOfWork,
    MemoryInvoiceRepository,
)
from selfcare.billing import BillingAgreement, BillingMethod
from selfcare.core.ids import CustomerNumber
from selfcare.testing.contracts.billing import (
    BillingAgreementRepositoryContract,
    InvoiceRepositoryContract,
)


class TestMemoryBillingAgreementRepository(BillingAgreementRepositoryContract):
    def make_repository(self) -> MemoryBillingAgreementRepository:
        return MemoryBillingAgreementRepository(MemoryDatabase())


class TestMemoryInvoiceRepository(InvoiceRepositoryContract):
    def make_repository(self) -> MemoryInvoiceRepository:
        return MemoryInvoiceRepository(MemoryDatabase())


def test_unit_of_work_rolls_back_without_commit() -> None:
    db = MemoryDatabase()
    agreement = BillingAgreement(
        agreement_id="a",
        payer=CustomerNumber("c"),
        method=BillingMethod.PAPER,
        valid_from=date(2026, 1, 1),
    )
    with MemoryBillingUnitOfWork(db) as uow:
        uow.agreements.add(agreement)
    with MemoryBillingUnitOfWork(db) as uow:
        assert uow.agreements.find("a") is None
        uow.agreements.add(agreement)
        uow.commit()
    with MemoryBillingUnitOfWork(db) as uow:
        assert uow.agreements.for_payer("c") == [agreement]
        assert uow.invoices.for_payer("c") == []


def test_a_fresh_unit_of_work_has_its_own_database() -> None:
    with MemoryBillingUnitOfWork() as uow:
        assert uow.invoices.find("x") is None
