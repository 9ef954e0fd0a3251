"""PostgreSQL implementations of the repository ports, on psycopg 3 and its pool.

Install the extra: ``pip install 'selfcare[postgres]'``. Open one database per process
with :func:`open_database` (the migrations of every domain are applied when it is
opened), then give each use case a unit of work of its domain - or let
:func:`selfcare.bootstrap.postgres_storage` do both::

    from selfcare.adapters.postgres import PostgresAuthzUnitOfWork, open_database

    db = open_database("host=db dbname=portal user=selfcare", pool_size=10)
    with PostgresAuthzUnitOfWork(db) as uow:
        uow.grants.for_user(AccountId("anna"))

One unit of work is one ``READ COMMITTED`` transaction: what a use case saves is
committed together or not at all, also when the process dies in the middle. Entities
are saved with compare-and-set on their ``version``, so two processes (or threads)
changing the same entity cannot both win. The repositories are those of the SQLite
adapter (:mod:`selfcare.adapters._sql`); only the engine differs.
"""

from selfcare.adapters._sql._table import Migration
from selfcare.adapters.postgres._db import (
    PostgresDatabase,
    PostgresTable,
    PostgresUnitOfWork,
)
from selfcare.adapters.postgres.authz import (
    PostgresAuthzUnitOfWork,
    PostgresGrantRepository,
    PostgresInvitationRepository,
    PostgresRelationshipRepository,
)
from selfcare.adapters.postgres.billing import (
    PostgresBillingAgreementRepository,
    PostgresBillingUnitOfWork,
    PostgresInvoiceRepository,
)
from selfcare.adapters.postgres.catalog import (
    PostgresCatalogRepository,
    PostgresCatalogUnitOfWork,
    PostgresInventoryRepository,
    PostgresOrderRepository,
)
from selfcare.adapters.postgres.identity import (
    PostgresAccountRepository,
    PostgresIdentityUnitOfWork,
    PostgresLoginThrottleRepository,
    PostgresRegistrationRepository,
    PostgresSecondFactorRepository,
)
from selfcare.adapters.postgres.privacy import (
    PostgresErasureLog,
    PostgresFeedbackArchive,
    PostgresOneTimeCodeRepository,
    PostgresPersonalDataIndex,
    PostgresPrivacyUnitOfWork,
)
from selfcare.adapters.postgres.schema import MIGRATIONS, open_database

__all__ = [
    "MIGRATIONS",
    "Migration",
    "PostgresAccountRepository",
    "PostgresAuthzUnitOfWork",
    "PostgresBillingAgreementRepository",
    "PostgresBillingUnitOfWork",
    "PostgresCatalogRepository",
    "PostgresCatalogUnitOfWork",
    "PostgresDatabase",
    "PostgresErasureLog",
    "PostgresFeedbackArchive",
    "PostgresGrantRepository",
    "PostgresIdentityUnitOfWork",
    "PostgresInventoryRepository",
    "PostgresInvitationRepository",
    "PostgresInvoiceRepository",
    "PostgresLoginThrottleRepository",
    "PostgresOneTimeCodeRepository",
    "PostgresOrderRepository",
    "PostgresPersonalDataIndex",
    "PostgresPrivacyUnitOfWork",
    "PostgresRegistrationRepository",
    "PostgresRelationshipRepository",
    "PostgresSecondFactorRepository",
    "PostgresTable",
    "PostgresUnitOfWork",
    "open_database",
]
