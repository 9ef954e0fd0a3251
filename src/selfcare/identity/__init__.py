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
from selfcare.identity.password import (
    PasswordPolicy,
    check_password,
    hint_message,
    password_requirements,
)

__all__ = [
    "AuthMethod",
    "Country",
    "EmailAddress",
    "IdentityAssertion",
    "LevelOfAssurance",
    "NationalId",
    "PasswordPolicy",
    "PhoneNumber",
    "accept_assertion",
    "check_password",
    "hint_message",
    "parse_national_id",
    "password_requirements",
    "require_mobile",
]
