"""selfcare.privacy: personal data export and erasure, retention (GDPR Art. 15, 17, 20),
and closing one's own account from the portal.

What the library stores, where and for how long is described for a data protection
officer in :doc:`/guides/privacy`. Importing this package imports the domain models it
reads (identity, authz, catalog), nothing heavy.
"""

from selfcare.privacy.accounting_retention import ACCOUNTING_RETENTION, ClosingPolicy
from selfcare.privacy.closing import (
    ClosingSummary,
    ErasedItem,
    IdentificationReauthentication,
    KeptItem,
    LastHolding,
    PasswordReauthentication,
    Reauthentication,
)
from selfcare.privacy.closing_data import ErasedData, KeptRecord
from selfcare.privacy.events import (
    AccountClosed,
    AccountErased,
    ExpiredRecordsPurged,
    PersonalDataExported,
    ReauthenticationMethod,
)
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
    AccountAuthenticator,
    ErasureLog,
    FeedbackArchive,
    PersonalDataIndex,
    PrivacyUnitOfWork,
)
from selfcare.privacy.rules import ERASED_EMAIL, anonymise_invitation
from selfcare.privacy.service import PrivacyService

__all__ = [
    "ACCOUNTING_RETENTION",
    "DEFAULT_RETENTION",
    "ERASED_EMAIL",
    "REDACTED",
    "SCHEMA_VERSION",
    "AccountAuthenticator",
    "AccountClosed",
    "AccountErased",
    "ClosingPolicy",
    "ClosingSummary",
    "ErasedAccount",
    "ErasedData",
    "ErasedItem",
    "ErasureLog",
    "ErasureReport",
    "ExpiredRecordsPurged",
    "FeedbackArchive",
    "IdentificationReauthentication",
    "KeptItem",
    "KeptRecord",
    "LastHolding",
    "PasswordReauthentication",
    "PersonalDataExport",
    "PersonalDataExported",
    "PersonalDataIndex",
    "PrivacyService",
    "PrivacyUnitOfWork",
    "PurgeCounts",
    "Reauthentication",
    "ReauthenticationMethod",
    "RetentionPolicy",
    "anonymise_invitation",
]
