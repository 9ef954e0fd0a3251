"""Integrator-style code type-checked by ``mypy --strict`` in CI (never run by pytest):
the shipped units of work are accepted where the domains' protocols are expected."""

from __future__ import annotations

from selfcare.adapters.memory import MemoryDatabase
from selfcare.adapters.memory.authz import MemoryAuthzUnitOfWork
from selfcare.adapters.memory.billing import MemoryBillingUnitOfWork
from selfcare.adapters.memory.catalog import MemoryCatalogUnitOfWork
from selfcare.adapters.memory.identity import MemoryIdentityUnitOfWork
from selfcare.adapters.sqlite import (
    SqliteAuthzUnitOfWork,
    SqliteBillingUnitOfWork,
    SqliteCatalogUnitOfWork,
    SqliteDatabase,
    SqliteIdentityUnitOfWork,
    SqlitePrivacyUnitOfWork,
)
from selfcare.authz.ports import AuthzUnitOfWork
from selfcare.billing.ports import BillingUnitOfWork
from selfcare.catalog.ports import CatalogUnitOfWork
from selfcare.identity.national_id_at_rest import NationalIdKey
from selfcare.identity.ports import IdentityUnitOfWork
from selfcare.privacy.ports import PrivacyUnitOfWork


def memory_units(
    db: MemoryDatabase,
) -> tuple[IdentityUnitOfWork, AuthzUnitOfWork, CatalogUnitOfWork, BillingUnitOfWork]:
    return (
        MemoryIdentityUnitOfWork(db),
        MemoryAuthzUnitOfWork(db),
        MemoryCatalogUnitOfWork(db),
        MemoryBillingUnitOfWork(db),
    )


def sqlite_units(
    db: SqliteDatabase, key: NationalIdKey
) -> tuple[
    IdentityUnitOfWork, AuthzUnitOfWork, CatalogUnitOfWork, BillingUnitOfWork, PrivacyUnitOfWork
]:
    return (
        SqliteIdentityUnitOfWork(db, key),
        SqliteAuthzUnitOfWork(db),
        SqliteCatalogUnitOfWork(db),
        SqliteBillingUnitOfWork(db),
        SqlitePrivacyUnitOfWork(db, key),
    )
