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
