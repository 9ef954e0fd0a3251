"""selfcare.identity: national identity codes, passwords, contact details, one-time
codes and strong-identification assertions.

Importing this package is light: the heavy libraries (python-stdnum, zxcvbn,
phonenumbers) are loaded by the functions that need them.
"""

from selfcare.identity.contact import EmailAddress, PhoneNumber, require_mobile
from selfcare.identity.national_id import Country, NationalId, parse_national_id

__all__ = [
    "Country",
    "EmailAddress",
    "NationalId",
    "PhoneNumber",
    "parse_national_id",
    "require_mobile",
]
