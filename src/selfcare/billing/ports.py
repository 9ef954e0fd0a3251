"""Ports of billing: the repositories you implement (or take from
:mod:`selfcare.adapters.memory.billing`), and the billing unit of work.

Both repositories follow :mod:`selfcare.core.ports`: ``add`` raises
:class:`~selfcare.core.errors.AlreadyExists` for a taken id, ``update`` is a
compare-and-set on ``entity.version - 1`` (:class:`~selfcare.core.errors.ConcurrencyConflict`,
or :class:`~selfcare.core.errors.NotFound` when nothing is stored), ``find`` returns
``None`` for an unknown id. Finders return entities in a stable, documented order.
"""

from __future__ import annotations

from typing import Protocol

from selfcare.billing.agreements import BillingAgreement
from selfcare.billing.invoices import Invoice
from selfcare.billing.periods import BillingPeriod
from selfcare.catalog.inventory import ProductInstance
from selfcare.catalog.offerings import Catalog
from selfcare.core.ids import RelationshipId
from selfcare.core.outcome import Outcome
from selfcare.core.ports import UnitOfWork

__all__ = [
    "BillingAgreementRepository",
    "BillingUnitOfWork",
    "InvoiceRepository",
    "ProductInventory",
]


class BillingAgreementRepository(Protocol):
    """Billing agreements by id, and the agreements of a payer."""

    def add(self, agreement: BillingAgreement) -> None:
        """Store a new agreement (``AlreadyExists`` if its id is taken)."""
        ...

    def update(self, agreement: BillingAgreement) -> None:
        """Replace the stored agreement if its version is ``agreement.version - 1``."""
        ...

    def find(self, agreement_id: str) -> BillingAgreement | None:
        """The agreement ``agreement_id`` or ``None``."""
        ...

    def for_payer(self, payer: str) -> list[BillingAgreement]:
        """Every agreement of ``payer`` (valid or not), oldest ``valid_from`` first."""
        ...


class InvoiceRepository(Protocol):
    """Invoices by id, by payer and by payment reference."""

    def add(self, invoice: Invoice) -> None:
        """Store a new invoice (``AlreadyExists`` if its id or reference is taken)."""
        ...

    def update(self, invoice: Invoice) -> None:
        """Replace the stored invoice if its version is ``invoice.version - 1``."""
        ...

    def find(self, invoice_id: str) -> Invoice | None:
        """The invoice ``invoice_id`` or ``None``."""
        ...

    def find_by_reference(self, reference: str) -> Invoice | None:
        """The invoice with the payment reference ``reference`` (compact form) or ``None``."""
        ...

    def for_payer(self, payer: str, period: BillingPeriod | None = None) -> list[Invoice]:
        """The invoices of ``payer`` (of ``period`` only, if given), oldest period first,
        then by id."""
        ...


class BillingUnitOfWork(UnitOfWork, Protocol):
    """The repositories of billing inside one transaction."""

    agreements: BillingAgreementRepository
    invoices: InvoiceRepository


class ProductInventory(Protocol):
    """What the invoice run reads of the product inventory (the catalog's
    :class:`~selfcare.catalog.service.CatalogService` is one)."""

    def products_of(self, relationship_id: RelationshipId) -> Outcome[tuple[ProductInstance, ...]]:
        """Every product of the relationship, with its history."""
        ...

    def published_catalog(self) -> Outcome[Catalog]:
        """The offerings, for the names on the invoice lines."""
        ...
