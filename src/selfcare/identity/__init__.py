"""selfcare.identity: national identity codes, passwords, contact details, one-time
codes and strong-identification assertions.

Importing this package is light: the heavy libraries (python-stdnum, zxcvbn,
phonenumbers) are loaded by the functions that need them.
"""

from selfcare.identity.assertion import (
    AuthMethod,
    IdentityAssertion,
    LevelOfAssurance,
    accept_assertion,
)
from selfcare.identity.contact import EmailAddress, PhoneNumber, require_mobile
from selfcare.identity.national_id import Country, NationalId, parse_national_id
from selfcare.identity.otp import (
    ChallengeState,
    OneTimeCodeChallenge,
    OneTimeCodeKey,
    OneTimeCodePolicy,
    can_resend,
    issue_code,
    resend_code,
    verify_code,
)
from selfcare.identity.password import (
    PasswordPolicy,
    check_password,
    hint_message,
    password_requirements,
)

__all__ = [
    "AuthMethod",
    "ChallengeState",
    "Country",
    "EmailAddress",
    "IdentityAssertion",
    "LevelOfAssurance",
    "NationalId",
    "OneTimeCodeChallenge",
    "OneTimeCodeKey",
    "OneTimeCodePolicy",
    "PasswordPolicy",
    "PhoneNumber",
    "accept_assertion",
    "can_resend",
    "check_password",
    "hint_message",
    "issue_code",
    "parse_national_id",
    "password_requirements",
    "require_mobile",
    "resend_code",
    "verify_code",
]

# Registration, accounts, login and profile (model, rules, ports, service; issue 4).
from selfcare.identity.account import (
    Account,
    AccountState,
    Feedback,
    PendingEmailChange,
    PendingUnlock,
    change_password,
    compose_feedback,
    confirm_email_change,
    request_email_change,
)
from selfcare.identity.customer_records import CustomerRecord
from selfcare.identity.events import (
    AccountLocked,
    CredentialsSet,
    CustomerRelationshipLinked,
    CustomersMatched,
    EmailChanged,
    EmailChangeRequested,
    FeedbackSent,
    LoginFailed,
    LoginFailedForUnknownAddress,
    LoginSucceeded,
    LoginUnlocked,
    LoginUnlockRequested,
    PasswordChanged,
    PasswordLoginDisabled,
    PersonIdentified,
    ProfileConfirmed,
    ProfileUpdated,
    RegistrationAbandoned,
    RegistrationCompleted,
    RegistrationConfirmed,
    RegistrationStarted,
    TermsAccepted,
)
from selfcare.identity.hashing import ScryptHasher
from selfcare.identity.ids import FeedbackId, LoginSource, LoginThrottleKey, RegistrationId
from selfcare.identity.login import LoginPolicy, LoginResult
from selfcare.identity.ports import (
    AccountRepository,
    Channel,
    CustomerDirectory,
    FeedbackInbox,
    IdentityUnitOfWork,
    LoginThrottleRepository,
    Notifier,
    OneTimeCodeRepository,
    OutgoingMessage,
    PasswordHasher,
    RegistrationRepository,
)
from selfcare.identity.profile import (
    Language,
    Profile,
    ProfileDraft,
    ProfileField,
    ProfilePolicy,
    check_profile,
)
from selfcare.identity.registration import (
    MatchedCustomer,
    Registration,
    RegistrationPolicy,
    RegistrationState,
)
from selfcare.identity.registration_account import CompletedRegistration
from selfcare.identity.service import IdentityService
from selfcare.identity.throttle import LoginThrottle

__all__ += [
    "Account",
    "AccountLocked",
    "AccountRepository",
    "AccountState",
    "Channel",
    "CompletedRegistration",
    "CredentialsSet",
    "CustomerDirectory",
    "CustomerRecord",
    "CustomerRelationshipLinked",
    "CustomersMatched",
    "EmailChangeRequested",
    "EmailChanged",
    "Feedback",
    "FeedbackId",
    "FeedbackInbox",
    "FeedbackSent",
    "IdentityService",
    "IdentityUnitOfWork",
    "Language",
    "LoginFailed",
    "LoginFailedForUnknownAddress",
    "LoginPolicy",
    "LoginResult",
    "LoginSource",
    "LoginSucceeded",
    "LoginThrottle",
    "LoginThrottleKey",
    "LoginThrottleRepository",
    "LoginUnlockRequested",
    "LoginUnlocked",
    "MatchedCustomer",
    "Notifier",
    "OneTimeCodeRepository",
    "OutgoingMessage",
    "PasswordChanged",
    "PasswordHasher",
    "PasswordLoginDisabled",
    "PendingEmailChange",
    "PendingUnlock",
    "PersonIdentified",
    "Profile",
    "ProfileConfirmed",
    "ProfileDraft",
    "ProfileField",
    "ProfilePolicy",
    "ProfileUpdated",
    "Registration",
    "RegistrationAbandoned",
    "RegistrationCompleted",
    "RegistrationConfirmed",
    "RegistrationId",
    "RegistrationPolicy",
    "RegistrationRepository",
    "RegistrationStarted",
    "RegistrationState",
    "ScryptHasher",
    "TermsAccepted",
    "change_password",
    "check_profile",
    "compose_feedback",
    "confirm_email_change",
    "request_email_change",
]
