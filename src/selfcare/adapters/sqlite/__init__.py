"""SQLite implementations of the repository ports, on the standard library's sqlite3.

Open one database per file with :func:`open_database` (the migrations of every domain
are applied when it is opened), then give each use case a unit of work of its domain:

>>> import os
>>> from selfcare.identity.national_id_at_rest import NationalIdKey
>>> db = open_database(":memory:")
>>> with SqliteAuthzUnitOfWork(db) as uow:
...     uow.grants.for_user("anna")
[]
>>> identity = SqliteIdentityUnitOfWork(db, NationalIdKey(os.urandom(32)))

One unit of work is one transaction: what a use case saves is committed together or
not at all, also when the process dies in the middle. It reads without a lock and takes
the write lock at its first write (see
:class:`~selfcare.adapters.sqlite.SqliteUnitOfWork`). Entities
are saved with compare-and-set on their ``version``, so two processes (or threads)
changing the same entity cannot both win.
"""

from selfcare.adapters.sqlite._db import Migration, SqliteDatabase, SqliteTable, SqliteUnitOfWork
from selfcare.adapters.sqlite.authz import (
    SqliteAuthzUnitOfWork,
    SqliteGrantRepository,
    SqliteInvitationRepository,
    SqliteRelationshipRepository,
)
from selfcare.adapters.sqlite.billing import (
    SqliteBillingAgreementRepository,
    SqliteBillingUnitOfWork,
    SqliteInvoiceRepository,
)
from selfcare.adapters.sqlite.catalog import (
    SqliteCatalogRepository,
    SqliteCatalogUnitOfWork,
    SqliteInventoryRepository,
    SqliteOrderRepository,
)
from selfcare.adapters.sqlite.identity import (
    SqliteAccountRepository,
    SqliteIdentityUnitOfWork,
    SqliteLoginThrottleRepository,
    SqliteRegistrationRepository,
    SqliteSecondFactorRepository,
)
from selfcare.adapters.sqlite.privacy import (
    SqliteErasureLog,
    SqliteFeedbackArchive,
    SqliteOneTimeCodeRepository,
    SqlitePersonalDataIndex,
    SqlitePrivacyUnitOfWork,
)
from selfcare.adapters.sqlite.schema import MIGRATIONS, open_database

__all__ = [
    "MIGRATIONS",
    "Migration",
    "SqliteAccountRepository",
    "SqliteAuthzUnitOfWork",
    "SqliteBillingAgreementRepository",
    "SqliteBillingUnitOfWork",
    "SqliteCatalogRepository",
    "SqliteCatalogUnitOfWork",
    "SqliteDatabase",
    "SqliteErasureLog",
    "SqliteFeedbackArchive",
    "SqliteGrantRepository",
    "SqliteIdentityUnitOfWork",
    "SqliteInventoryRepository",
    "SqliteInvitationRepository",
    "SqliteInvoiceRepository",
    "SqliteLoginThrottleRepository",
    "SqliteOneTimeCodeRepository",
    "SqliteOrderRepository",
    "SqlitePersonalDataIndex",
    "SqlitePrivacyUnitOfWork",
    "SqliteRegistrationRepository",
    "SqliteRelationshipRepository",
    "SqliteSecondFactorRepository",
    "SqliteTable",
    "SqliteUnitOfWork",
    "open_database",
]
