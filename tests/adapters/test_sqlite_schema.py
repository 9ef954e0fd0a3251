"""The schema of the SQLite adapters: named migrations, applied once, an index for
every finder, and units of work that satisfy the domains' protocols."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from selfcare.adapters.sqlite import (
    MIGRATIONS,
    SqliteAuthzUnitOfWork,
    SqliteBillingUnitOfWork,
    SqliteCatalogUnitOfWork,
    SqliteDatabase,
    SqliteIdentityUnitOfWork,
    open_database,
)
from selfcare.authz.ports import AuthzUnitOfWork
from selfcare.billing.ports import BillingUnitOfWork
from selfcare.catalog.ports import CatalogUnitOfWork
from selfcare.identity.national_id_at_rest import NationalIdKey
from selfcare.identity.ports import IdentityUnitOfWork

NewDatabase = Callable[[], SqliteDatabase]


def test_migrations_are_named_by_domain_and_applied_once(tmp_path: Path) -> None:
    names = [m.name for m in MIGRATIONS]
    assert len(set(names)) == len(names)
    for name in names:
        assert re.fullmatch(r"(identity|authz|catalog|billing|privacy)_\d{4}_[a-z_]+", name), name
    path = tmp_path / "db.sqlite3"
    first = open_database(path)
    assert first.applied_migrations() == names
    first.close()
    again = open_database(path)
    assert again.migrate(MIGRATIONS) == []
    assert again.applied_migrations() == names
    assert again.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    again.close()


# Every finder's WHERE clause, as the repositories run it.
FINDERS = [
    ("identity_accounts", "email = ?"),
    ("identity_accounts", "national_id_hash = ?"),
    ("authz_relationships", "customer_number = ?"),
    ("authz_grants", "user = ?"),
    ("authz_grants", "relationship_id = ?"),
    ("authz_invitations", "token_hash = ?"),
    ("authz_invitations", "relationship_id = ?"),
    ("authz_invitations", "email = ?"),
    ("catalog_offerings", "offering_group = ?"),
    ("catalog_products", "relationship_id = ?"),
    ("catalog_products", "asset = ? OR sim = ?"),
    ("catalog_products", "order_id = ?"),
    ("catalog_orders", "relationship_id = ? AND idempotency_key = ?"),
    ("catalog_orders", "relationship_id = ?"),
    ("billing_agreements", "payer = ?"),
    ("billing_invoices", "reference = ?"),
    ("billing_invoices", "payer = ?"),
    ("billing_invoices", "payer = ? AND period_year = ? AND period_month = ?"),
    # the privacy index over the domains' tables, and the privacy stores
    ("identity_registrations", "account_id = ?"),
    ("identity_registrations", "national_id_hash = ? OR claimed_national_id_hash = ?"),
    ("identity_registrations", "updated_at_us < ?"),
    ("authz_grants", "granted_by = ? OR revoked_by = ?"),
    ("authz_invitations", "invited_by = ?"),
    ("authz_invitations", "accepted_by = ?"),
    ("authz_invitations", "created_at_us < ?"),
    ("catalog_orders", "placed_by = ?"),
    ("privacy_one_time_codes", "phone = ?"),
    ("privacy_one_time_codes", "issued_at_us < ?"),
    ("privacy_feedback", "account_id = ?"),
    ("privacy_feedback", "reply_email = ? OR reply_phone = ?"),
]


@pytest.mark.parametrize(("table", "where"), FINDERS)
def test_every_finder_uses_an_index(tmp_path: Path, table: str, where: str) -> None:
    db = open_database(tmp_path / "db.sqlite3")
    params = ["x"] * where.count("?")
    plan = db.execute(
        f"EXPLAIN QUERY PLAN SELECT data FROM {table} WHERE {where}",  # noqa: S608 - ours
        params,
    ).fetchall()
    details = " | ".join(str(row[-1]) for row in plan)
    assert "INDEX" in details, details
    assert not re.search(rf"SCAN {table}\b(?! USING)", details), details
    db.close()


def test_units_of_work_satisfy_the_domain_protocols(tmp_path: Path) -> None:
    db = open_database(tmp_path / "db.sqlite3")
    key = NationalIdKey(os.urandom(32))
    identity: IdentityUnitOfWork = SqliteIdentityUnitOfWork(db, key)
    authz: AuthzUnitOfWork = SqliteAuthzUnitOfWork(db)
    catalog: CatalogUnitOfWork = SqliteCatalogUnitOfWork(db)
    billing: BillingUnitOfWork = SqliteBillingUnitOfWork(db)
    for uow in (identity, authz, catalog, billing):
        with uow:
            uow.commit()
    db.close()
