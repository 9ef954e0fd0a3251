"""selfcare.privacy: personal data export and erasure, retention (GDPR Art. 15, 17, 20).

What the library stores, where and for how long is described for a data protection
officer in :doc:`/guides/privacy`. Importing this package imports the domain models it
reads (identity, authz, catalog), nothing heavy.
"""

from selfcare.privacy.events import AccountErased, ExpiredRecordsPurged, PersonalDataExported
from selfcare.privacy.model import (
    DEFAULT_RETENTION,
    REDACTED,
    SCHEMA_VERSION,
    ErasedAccount,
    ErasureReport,
    PersonalDataExport,
    PurgeCounts,
    RetentionPolicy,
)
from selfcare.privacy.ports import (
    ErasureLog,
    FeedbackArchive,
    PersonalDataIndex,
    PrivacyUnitOfWork,
)
from selfcare.privacy.rules import ERASED_EMAIL, anonymise_invitation
from selfcare.privacy.service import PrivacyService

__all__ = [
    "DEFAULT_RETENTION",
    "ERASED_EMAIL",
    "REDACTED",
    "SCHEMA_VERSION",
    "AccountErased",
    "ErasedAccount",
    "ErasureLog",
    "ErasureReport",
    "ExpiredRecordsPurged",
    "FeedbackArchive",
    "PersonalDataExport",
    "PersonalDataExported",
    "PersonalDataIndex",
    "PrivacyService",
    "PrivacyUnitOfWork",
    "PurgeCounts",
    "RetentionPolicy",
    "anonymise_invitation",
]
