# ruff: noqa: S101 - a contract suite is pytest tests; assert is how they check
"""Contract suites for the ports of :mod:`selfcare.billing`.

Subclass and implement ``make_repository`` (a new, empty repository per call)::

    class TestMyInvoices(InvoiceRepositoryContract):
        def make_repository(self):
            return MyInvoiceRepository(...)
"""

from __future__ import annotations

from abc import abstractmethod
from datetime import date
from decimal import Decimal

import pytest

from selfcare.billing import (
    BillingAgreement,
    BillingMethod,
    BillingPeriod,
    ChargeKind,
    Invoice,
    InvoiceLine,
)
from selfcare.billing.ports import (
    BillingAgreementRepository,
    BillingUnitOfWork,
    InvoiceRepository,
)
from selfcare.billing.vat import PriceBasis
from selfcare.core.errors import AlreadyExists, ConcurrencyConflict, NotFound
from selfcare.core.ids import CustomerNumber
from selfcare.core.money import Money
from selfcare.core.ports import next_version
from selfcare.testing.contracts._base import Contract
from selfcare.testing.contracts.unit_of_work import UnitOfWorkContract

__all__ = [
    "BillingAgreementRepositoryContract",
    "BillingUnitOfWorkContract",
    "InvoiceRepositoryContract",
    "example_invoice",
]


def _agreement(agreement_id: str = "ba-1", payer: str = "C-1", start: int = 1) -> BillingAgreement:
    return BillingAgreement(
        agreement_id=agreement_id,
        payer=CustomerNumber(payer),
        method=BillingMethod.E_INVOICE,
        valid_from=date(2026, start, 1),
    )


class BillingAgreementRepositoryContract(Contract):
    """What every :class:`~selfcare.billing.ports.BillingAgreementRepository` does."""

    @abstractmethod
    def make_repository(self) -> BillingAgreementRepository:
        """A new, empty repository."""

    def test_added_agreement_can_be_read_back(self) -> None:
        repo = self.make_repository()
        agreement = _agreement()
        repo.add(agreement)
        assert repo.find("ba-1") == agreement

    def test_unknown_id_gives_none(self) -> None:
        assert self.make_repository().find("nope") is None

    def test_adding_a_taken_id_raises_already_exists(self) -> None:
        repo = self.make_repository()
        repo.add(_agreement())
        with pytest.raises(AlreadyExists):
            repo.add(_agreement(payer="C-2"))
        assert repo.find("ba-1") == _agreement()

    def test_update_replaces_the_next_version(self) -> None:
        repo = self.make_repository()
        repo.add(_agreement())
        ended = next_version(_agreement(), valid_to=date(2026, 6, 30))
        repo.update(ended)
        assert repo.find("ba-1") == ended

    def test_update_of_a_stale_version_raises_conflict(self) -> None:
        repo = self.make_repository()
        repo.add(_agreement())
        repo.update(next_version(_agreement(), method=BillingMethod.PAPER))
        with pytest.raises(ConcurrencyConflict):
            repo.update(next_version(_agreement(), method=BillingMethod.EMAIL))
        stored = repo.find("ba-1")
        assert stored is not None
        assert stored.method is BillingMethod.PAPER

    def test_update_of_an_unknown_agreement_raises_not_found(self) -> None:
        with pytest.raises(NotFound):
            self.make_repository().update(next_version(_agreement()))

    def test_for_payer_lists_only_that_payer_oldest_first(self) -> None:
        repo = self.make_repository()
        repo.add(_agreement("ba-3", "C-1", start=5))
        repo.add(_agreement("ba-2", "C-2", start=1))
        repo.add(_agreement("ba-1", "C-1", start=2))
        assert [a.agreement_id for a in repo.for_payer("C-1")] == ["ba-1", "ba-3"]
        assert repo.for_payer("C-9") == []


def example_invoice(
    invoice_id: str = "inv-1", payer: str = "C-1", month: int = 1, reference: str = "123453"
) -> Invoice:
    """A valid invoice of ``payer`` for a month of 2026, with one line."""
    line = InvoiceLine.build(
        service_id="svc-1",
        kind=ChargeKind.RECURRING,
        description="Mobiili 10 GB",
        supply_from=date(2026, month, 1),
        supply_to=date(2026, month, 28),
        amount=Money("19.90", "EUR"),
        price_basis=PriceBasis.GROSS,
        vat_percent=Decimal("25.5"),
    )
    return Invoice(
        invoice_id=invoice_id,
        payer=CustomerNumber(payer),
        period=BillingPeriod(2026, month),
        currency="EUR",
        issued_on=date(2026, month, 1),
        due_on=date(2026, month, 15),
        reference=reference,
        lines=(line,),
    )


class InvoiceRepositoryContract(Contract):
    """What every :class:`~selfcare.billing.ports.InvoiceRepository` does."""

    @abstractmethod
    def make_repository(self) -> InvoiceRepository:
        """A new, empty repository."""

    def test_added_invoice_can_be_read_back_by_id_and_reference(self) -> None:
        repo = self.make_repository()
        invoice = example_invoice()
        repo.add(invoice)
        assert repo.find("inv-1") == invoice
        assert repo.find_by_reference("123453") == invoice

    def test_unknown_id_and_reference_give_none(self) -> None:
        repo = self.make_repository()
        assert repo.find("nope") is None
        assert repo.find_by_reference("1232") is None

    def test_adding_a_taken_id_raises_already_exists(self) -> None:
        repo = self.make_repository()
        repo.add(example_invoice())
        with pytest.raises(AlreadyExists):
            repo.add(example_invoice(reference="1232"))
        assert repo.find_by_reference("1232") is None

    def test_adding_a_taken_reference_raises_already_exists(self) -> None:
        repo = self.make_repository()
        repo.add(example_invoice())
        with pytest.raises(AlreadyExists):
            repo.add(example_invoice("inv-2"))
        assert repo.find("inv-2") is None
        assert repo.find_by_reference("123453") == example_invoice()

    def test_update_replaces_the_next_version_and_moves_the_reference(self) -> None:
        repo = self.make_repository()
        repo.add(example_invoice())
        changed = next_version(example_invoice(), reference="1232", due_on=date(2026, 1, 31))
        repo.update(changed)
        assert repo.find("inv-1") == changed
        assert repo.find_by_reference("1232") == changed
        assert repo.find_by_reference("123453") is None

    def test_update_to_a_reference_of_another_invoice_raises_already_exists(self) -> None:
        repo = self.make_repository()
        repo.add(example_invoice())
        repo.add(example_invoice("inv-2", reference="1232"))
        with pytest.raises(AlreadyExists):
            repo.update(next_version(example_invoice(), reference="1232"))
        assert repo.find("inv-1") == example_invoice()
        assert repo.find_by_reference("1232") == example_invoice("inv-2", reference="1232")

    def test_update_of_a_stale_version_raises_conflict(self) -> None:
        repo = self.make_repository()
        repo.add(example_invoice())
        repo.update(next_version(example_invoice(), due_on=date(2026, 1, 20)))
        with pytest.raises(ConcurrencyConflict):
            repo.update(next_version(example_invoice(), due_on=date(2026, 1, 25)))
        stored = repo.find("inv-1")
        assert stored is not None
        assert stored.due_on == date(2026, 1, 20)

    def test_update_of_an_unknown_invoice_raises_not_found(self) -> None:
        with pytest.raises(NotFound):
            self.make_repository().update(next_version(example_invoice()))

    def test_for_payer_lists_that_payers_invoices_by_period(self) -> None:
        repo = self.make_repository()
        repo.add(example_invoice("inv-3", "C-1", month=3, reference="1232"))
        repo.add(example_invoice("inv-1", "C-1", month=1, reference="123453"))
        repo.add(example_invoice("inv-2", "C-2", month=2, reference="1245"))
        assert [i.invoice_id for i in repo.for_payer("C-1")] == ["inv-1", "inv-3"]
        assert [i.invoice_id for i in repo.for_payer("C-1", BillingPeriod(2026, 3))] == ["inv-3"]
        assert repo.for_payer("C-1", BillingPeriod(2026, 2)) == []
        assert repo.for_payer("C-9") == []


class BillingUnitOfWorkContract(UnitOfWorkContract[BillingUnitOfWork]):
    """The transaction rules (:class:`~selfcare.testing.contracts.unit_of_work.
    UnitOfWorkContract`) for a :class:`~selfcare.billing.ports.BillingUnitOfWork`."""

    def add_entity(self, uow: BillingUnitOfWork, key: str) -> None:
        """Add a billing agreement with id ``key``."""
        uow.agreements.add(_agreement(key))

    def has_entity(self, uow: BillingUnitOfWork, key: str) -> bool:
        """Whether the agreement ``key`` is stored."""
        return uow.agreements.find(key) is not None
