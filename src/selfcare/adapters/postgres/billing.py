"""PostgreSQL repositories of :mod:`selfcare.billing` and its unit of work."""

from __future__ import annotations

from selfcare.adapters._sql.billing import (
    BillingRepositories,
    SqlBillingAgreementRepository,
    SqlInvoiceRepository,
)
from selfcare.adapters.postgres._db import Migration, PostgresDatabase, PostgresUnitOfWork

__all__ = [
    "MIGRATIONS",
    "PostgresBillingAgreementRepository",
    "PostgresBillingUnitOfWork",
    "PostgresInvoiceRepository",
]

#: The billing schema, in order.
MIGRATIONS = (
    Migration(
        "billing_0001_agreements_and_invoices",
        """
        CREATE TABLE billing_agreements (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version BIGINT NOT NULL,
            data TEXT NOT NULL,
            payer TEXT NOT NULL,
            valid_from TEXT NOT NULL
        );
        CREATE INDEX billing_agreements_payer ON billing_agreements (payer, valid_from, key);
        CREATE TABLE billing_invoices (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version BIGINT NOT NULL,
            data TEXT NOT NULL,
            payer TEXT NOT NULL,
            period_year BIGINT NOT NULL,
            period_month BIGINT NOT NULL,
            reference TEXT NOT NULL UNIQUE
        );
        CREATE INDEX billing_invoices_payer
            ON billing_invoices (payer, period_year, period_month, key)
        """,
    ),
)


class PostgresBillingAgreementRepository(SqlBillingAgreementRepository):
    """Billing agreements in the ``billing_agreements`` table."""


class PostgresInvoiceRepository(SqlInvoiceRepository):
    """Invoices in the ``billing_invoices`` table, unique by id and by reference."""


class PostgresBillingUnitOfWork(BillingRepositories, PostgresUnitOfWork):
    """A unit of work (one transaction) over the billing repositories of a database."""

    def __init__(self, database: PostgresDatabase) -> None:
        super().__init__(database)
        self._open_billing(database)
