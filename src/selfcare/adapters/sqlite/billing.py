"""SQLite repositories of :mod:`selfcare.billing` and its unit of work.

>>> from selfcare.adapters.sqlite.schema import open_database
>>> uow = SqliteBillingUnitOfWork(open_database(":memory:"))
>>> with uow:
...     uow.invoices.find_by_reference("1232") is None
True
"""

from __future__ import annotations

from selfcare.adapters._sql.billing import (
    BillingRepositories,
    SqlBillingAgreementRepository,
    SqlInvoiceRepository,
)
from selfcare.adapters.sqlite._db import Migration, SqliteDatabase, SqliteUnitOfWork

__all__ = [
    "MIGRATIONS",
    "SqliteBillingAgreementRepository",
    "SqliteBillingUnitOfWork",
    "SqliteInvoiceRepository",
]

#: The billing schema, in order.
MIGRATIONS = (
    Migration(
        "billing_0001_agreements_and_invoices",
        """
        CREATE TABLE billing_agreements (
            seq INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            payer TEXT NOT NULL,
            valid_from TEXT NOT NULL
        );
        CREATE INDEX billing_agreements_payer ON billing_agreements (payer, valid_from, key);
        CREATE TABLE billing_invoices (
            seq INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            payer TEXT NOT NULL,
            period_year INTEGER NOT NULL,
            period_month INTEGER NOT NULL,
            reference TEXT NOT NULL UNIQUE
        );
        CREATE INDEX billing_invoices_payer
            ON billing_invoices (payer, period_year, period_month, key)
        """,
    ),
)


class SqliteBillingAgreementRepository(SqlBillingAgreementRepository):
    """Billing agreements in the ``billing_agreements`` table."""


class SqliteInvoiceRepository(SqlInvoiceRepository):
    """Invoices in the ``billing_invoices`` table, unique by id and by reference."""


class SqliteBillingUnitOfWork(BillingRepositories, SqliteUnitOfWork):
    """A unit of work (one transaction) over the billing repositories of a database."""

    def __init__(self, database: SqliteDatabase) -> None:
        super().__init__(database)
        self._open_billing(database)
