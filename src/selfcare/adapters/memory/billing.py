"""In-memory repositories of :mod:`selfcare.billing` and its unit of work."""

from __future__ import annotations

from typing import cast

from selfcare.adapters.memory._store import MemoryDatabase, MemoryTable, MemoryUnitOfWork
from selfcare.billing.agreements import BillingAgreement
from selfcare.billing.invoices import Invoice
from selfcare.billing.periods import BillingPeriod
from selfcare.billing.ports import BillingAgreementRepository, InvoiceRepository
from selfcare.core.decision import Violation
from selfcare.core.errors import AlreadyExists

__all__ = [
    "MemoryBillingAgreementRepository",
    "MemoryBillingUnitOfWork",
    "MemoryInvoiceRepository",
]


class MemoryBillingAgreementRepository:
    """Billing agreements in a :class:`MemoryDatabase` table."""

    def __init__(self, database: MemoryDatabase) -> None:
        self._table = cast(
            "MemoryTable[str, BillingAgreement]", database.table("billing_agreements")
        )
        self._table.index("payer", lambda a: (a.payer,))

    def add(self, agreement: BillingAgreement) -> None:
        """Store a new agreement (``AlreadyExists`` if its id is taken)."""
        self._table.insert(agreement.agreement_id, agreement)

    def update(self, agreement: BillingAgreement) -> None:
        """Compare-and-set on ``agreement.version - 1``."""
        self._table.compare_and_set(agreement.agreement_id, agreement, agreement.version - 1)

    def find(self, agreement_id: str) -> BillingAgreement | None:
        """The agreement ``agreement_id`` or ``None``."""
        return self._table.find(agreement_id)

    def for_payer(self, payer: str) -> list[BillingAgreement]:
        """Every agreement of ``payer``, oldest ``valid_from`` first (then by id)."""
        found = self._table.lookup("payer", payer)
        return sorted(found, key=lambda a: (a.valid_from, a.agreement_id))


class MemoryInvoiceRepository:
    """Invoices in a :class:`MemoryDatabase` table, with a unique index on the reference."""

    def __init__(self, database: MemoryDatabase) -> None:
        self._db = database
        self._table = cast("MemoryTable[str, Invoice]", database.table("invoices"))
        self._table.index("payer", lambda i: (i.payer,))
        self._references = cast("MemoryTable[str, str]", database.table("invoice_references"))

    def add(self, invoice: Invoice) -> None:
        """Store a new invoice (``AlreadyExists`` if its id or reference is taken)."""
        with self._db.lock:
            if self._table.find(invoice.invoice_id) is not None:
                raise AlreadyExists(Violation("store.already_exists", {"entity": "invoices"}))
            self._references.insert(invoice.reference, invoice.invoice_id)
            self._table.insert(invoice.invoice_id, invoice)

    def update(self, invoice: Invoice) -> None:
        """Compare-and-set on ``invoice.version - 1``; the reference index follows."""
        with self._db.lock:
            current = self._table.require(invoice.invoice_id)
            if current.reference != invoice.reference:
                owner = self._references.find(invoice.reference)
                if owner is not None and owner != invoice.invoice_id:
                    raise AlreadyExists(
                        Violation("store.already_exists", {"entity": "invoice_references"})
                    )
            self._table.compare_and_set(invoice.invoice_id, invoice, invoice.version - 1)
            if current.reference != invoice.reference:
                self._references.delete(current.reference)
                self._references.put(invoice.reference, invoice.invoice_id)

    def find(self, invoice_id: str) -> Invoice | None:
        """The invoice ``invoice_id`` or ``None``."""
        return self._table.find(invoice_id)

    def find_by_reference(self, reference: str) -> Invoice | None:
        """The invoice with the payment reference ``reference`` or ``None``."""
        with self._db.lock:
            invoice_id = self._references.find(reference)
            return None if invoice_id is None else self._table.find(invoice_id)

    def for_payer(self, payer: str, period: BillingPeriod | None = None) -> list[Invoice]:
        """The invoices of ``payer`` (of ``period`` only, if given), oldest period first."""
        found = [
            i for i in self._table.lookup("payer", payer) if period is None or i.period == period
        ]
        return sorted(found, key=lambda i: (i.period, i.invoice_id))


class MemoryBillingUnitOfWork(MemoryUnitOfWork):
    """A unit of work over the billing repositories of one :class:`MemoryDatabase`."""

    def __init__(self, database: MemoryDatabase | None = None) -> None:
        super().__init__(database or MemoryDatabase())
        self.agreements: BillingAgreementRepository = MemoryBillingAgreementRepository(
            self.database
        )
        self.invoices: InvoiceRepository = MemoryInvoiceRepository(self.database)
