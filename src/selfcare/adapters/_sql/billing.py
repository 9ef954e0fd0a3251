"""The billing repositories of the SQL engines."""

from __future__ import annotations

from selfcare.adapters._sql._table import SqlEngine, SqlTable
from selfcare.billing.agreements import BillingAgreement
from selfcare.billing.invoices import Invoice
from selfcare.billing.periods import BillingPeriod
from selfcare.billing.ports import BillingAgreementRepository, InvoiceRepository

__all__ = [
    "BillingRepositories",
    "SqlBillingAgreementRepository",
    "SqlInvoiceRepository",
]


class SqlBillingAgreementRepository:
    """Billing agreements in the ``billing_agreements`` table."""

    def __init__(self, database: SqlEngine) -> None:
        self._table = SqlTable(
            database,
            "billing_agreements",
            BillingAgreement,
            key=lambda a: a.agreement_id,
            columns={"payer": lambda a: a.payer, "valid_from": lambda a: a.valid_from.isoformat()},
        )

    def add(self, agreement: BillingAgreement) -> None:
        """Store a new agreement (``AlreadyExists`` if its id is taken)."""
        self._table.insert(agreement)

    def update(self, agreement: BillingAgreement) -> None:
        """Compare-and-set on ``agreement.version - 1`` (``ConcurrencyConflict``,
        ``NotFound``)."""
        self._table.compare_and_set(agreement, agreement.version - 1)

    def find(self, agreement_id: str) -> BillingAgreement | None:
        """The agreement ``agreement_id`` or ``None``."""
        return self._table.find(agreement_id)

    def for_payer(self, payer: str) -> list[BillingAgreement]:
        """Every agreement of ``payer``, oldest ``valid_from`` first (then by id)."""
        return self._table.select("payer = ?", [payer], order_by="valid_from, key")


class SqlInvoiceRepository:
    """Invoices in the ``billing_invoices`` table, unique by id and by reference."""

    def __init__(self, database: SqlEngine) -> None:
        self._table = SqlTable(
            database,
            "billing_invoices",
            Invoice,
            key=lambda i: i.invoice_id,
            columns={
                "payer": lambda i: i.payer,
                "period_year": lambda i: i.period.year,
                "period_month": lambda i: i.period.month,
                "reference": lambda i: i.reference,
            },
        )

    def add(self, invoice: Invoice) -> None:
        """Store a new invoice (``AlreadyExists`` if its id or reference is taken)."""
        self._table.insert(invoice)

    def update(self, invoice: Invoice) -> None:
        """Compare-and-set on ``invoice.version - 1`` (``ConcurrencyConflict``,
        ``NotFound``); ``AlreadyExists`` if the new reference is another invoice's."""
        self._table.compare_and_set(invoice, invoice.version - 1)

    def find(self, invoice_id: str) -> Invoice | None:
        """The invoice ``invoice_id`` or ``None``."""
        return self._table.find(invoice_id)

    def find_by_reference(self, reference: str) -> Invoice | None:
        """The invoice with the payment reference ``reference`` or ``None``."""
        return self._table.first("reference = ?", [reference])

    def for_payer(self, payer: str, period: BillingPeriod | None = None) -> list[Invoice]:
        """The invoices of ``payer`` (of ``period`` only, if given), oldest period first,
        then by id."""
        order = "period_year, period_month, key"
        if period is None:
            return self._table.select("payer = ?", [payer], order_by=order)
        found = self._table.select(
            "payer = ? AND period_year = ? AND period_month = ?",
            [payer],
            [period.year, period.month],
            order_by=order,
        )
        # The columns hold the month; a period with another anchor day is another period.
        return [invoice for invoice in found if invoice.period == period]


class BillingRepositories:
    """The repositories of a billing unit of work (mixed into each engine's)."""

    agreements: BillingAgreementRepository
    invoices: InvoiceRepository

    def _open_billing(self, database: SqlEngine) -> None:
        self.agreements = SqlBillingAgreementRepository(database)
        self.invoices = SqlInvoiceRepository(database)
