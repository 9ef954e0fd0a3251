"""Events of identity: what registration, login and account self-service changed.

Every state-changing method of :class:`~selfcare.identity.service.IdentityService`
returns its events inside the :class:`~selfcare.core.outcome.Outcome` (a failed login
too: its :class:`LoginFailed` and :class:`AccountLocked` come with the refusal). They
hold ids and facts, never a secret: no password or hash, no token, no national
identity code. An e-mail address appears only in :class:`RegistrationCompleted`, whose
consumer sends the confirmation to it.

The registration journey, step by step: :class:`RegistrationStarted`,
:class:`TermsAccepted`, :class:`PersonIdentified`, :class:`CustomersMatched`,
:class:`ProfileConfirmed`, :class:`CredentialsSet`, :class:`RegistrationConfirmed`
(the verification e-mail went out), then :class:`RegistrationCompleted` with one
:class:`CustomerRelationshipLinked` per matched relationship - or
:class:`RegistrationAbandoned`.

>>> from datetime import UTC, datetime
>>> from selfcare.serialization import unstructure
>>> event = EmailChanged(account_id=AccountId("acc-1"),
...                      occurred_at=datetime(2026, 3, 2, 8, tzinfo=UTC))
>>> unstructure(event)["type"]
'EmailChanged'
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import final

import attrs

from selfcare.core.clock import utc_field
from selfcare.core.decision import Violation
from selfcare.core.events import Event
from selfcare.core.ids import AccountId, CustomerNumber
from selfcare.identity.assertion import AuthMethod, LevelOfAssurance
from selfcare.identity.ids import FeedbackId, RegistrationId
from selfcare.identity.profile import Language, ProfileField

__all__ = [
    "AccountLocked",
    "CredentialsSet",
    "CustomerRelationshipLinked",
    "CustomersMatched",
    "EmailChangeRequested",
    "EmailChanged",
    "FeedbackSent",
    "LoginFailed",
    "LoginFailedForUnknownAddress",
    "LoginMethod",
    "LoginSucceeded",
    "LoginUnlockRequested",
    "LoginUnlocked",
    "PasswordChanged",
    "PasswordLoginDisabled",
    "PasswordRecoveryRequested",
    "PasswordReset",
    "PersonIdentified",
    "ProfileConfirmed",
    "ProfileUpdated",
    "RecoveryCodeUsed",
    "RecoveryMethod",
    "RegistrationAbandoned",
    "RegistrationCompleted",
    "RegistrationConfirmed",
    "RegistrationStarted",
    "SecondFactorEnrolled",
    "SecondFactorEnrolmentStarted",
    "SecondFactorFailed",
    "SecondFactorLocked",
    "SecondFactorRemoved",
    "SecondStepRequired",
    "SessionsRevoked",
    "SteppedUp",
    "TermsAccepted",
    "TermsOfUseAccepted",
    "WorkAccountLinked",
    "WorkAccountUnlinked",
]


# -- registration ---------------------------------------------------------------------


@final
@attrs.frozen(kw_only=True)
class RegistrationStarted(Event):
    """A registration was started in the portal language the user chose."""

    registration_id: RegistrationId
    language: Language


@final
@attrs.frozen(kw_only=True)
class TermsAccepted(Event):
    """The user accepted ``terms_version`` of the terms of use (the telecom registration guide)."""

    registration_id: RegistrationId
    terms_version: str


@final
@attrs.frozen(kw_only=True)
class PersonIdentified(Event):
    """The strong identification was accepted (the person is in the registration,
    not in the event)."""

    registration_id: RegistrationId
    method: AuthMethod
    level: LevelOfAssurance
    provider: str


@final
@attrs.frozen(kw_only=True)
class CustomersMatched(Event):
    """The customer relationships with the person's code on file were found; none is
    not an error (``advisories`` then holds ``registration.no_customer_found``)."""

    registration_id: RegistrationId
    customer_numbers: tuple[CustomerNumber, ...]
    advisories: tuple[Violation, ...] = ()


@final
@attrs.frozen(kw_only=True)
class ProfileConfirmed(Event):
    """The user confirmed the profile form (the customer system is not written)."""

    registration_id: RegistrationId


@final
@attrs.frozen(kw_only=True)
class CredentialsSet(Event):
    """The user chose a password (only its hash is kept, and not here)."""

    registration_id: RegistrationId


@final
@attrs.frozen(kw_only=True)
class RegistrationConfirmed(Event):
    """The user approved the details; a verification e-mail went out (the energy registration guide,
    phase 4)."""

    registration_id: RegistrationId


@final
@attrs.frozen(kw_only=True)
class RegistrationCompleted(Event):
    """An account was created; send the confirmation e-mail (the energy registration guide).

    ``advisories`` tell the user what to do next, e.g. ``registration.no_customer_found``.
    """

    registration_id: RegistrationId
    account_id: AccountId
    email: str
    language: Language
    customer_numbers: tuple[CustomerNumber, ...]
    advisories: tuple[Violation, ...]


@final
@attrs.frozen(kw_only=True)
class CustomerRelationshipLinked(Event):
    """The new account is the owner of this customer relationship (authz gives the
    holder's grants when it sees this event)."""

    account_id: AccountId
    customer_number: CustomerNumber
    kind: str


@final
@attrs.frozen(kw_only=True)
class RegistrationAbandoned(Event):
    """The registration was given up; its secrets were dropped."""

    registration_id: RegistrationId


# -- login and account ----------------------------------------------------------------


class LoginMethod(enum.StrEnum):
    """How a user logged in: ``password`` (with the second factor when the account has
    one), ``strong_identification`` (bank, mobile certificate, BankID) or
    ``work_account`` (the employer's single sign-on)."""

    PASSWORD = "password"  # noqa: S105 - the name of a method, not a password
    STRONG_IDENTIFICATION = "strong_identification"
    WORK_ACCOUNT = "work_account"


@final
@attrs.frozen(kw_only=True)
class LoginSucceeded(Event):
    """The account logged in (by ``method``; events stored before 0.2 load as
    ``password``); its failed-login count starts again."""

    account_id: AccountId
    method: LoginMethod = LoginMethod.PASSWORD


@final
@attrs.frozen(kw_only=True)
class LoginFailed(Event):
    """A wrong password for an existing account was counted (at login, or as the
    current password of a password change); ``failed_logins`` is the account's
    consecutive failures from every source (an unknown address has
    :class:`LoginFailedForUnknownAddress` instead)."""

    account_id: AccountId
    failed_logins: int


@final
@attrs.frozen(kw_only=True)
class LoginFailedForUnknownAddress(Event):
    """A login for an address that is no account's was counted against its source
    (password spraying) - or a login by strong identification or work account that
    found no account it may log in to (none, closed, locked, not linked: they are
    counted alike); ``source_failures`` is the source's count of recent failures.
    Neither the address nor the identity nor the source is named."""

    source_failures: int


@final
@attrs.frozen(kw_only=True)
class AccountLocked(Event):
    """Failed logins from one source locked the account for that source (only) until
    ``locked_until``; the source is not named (it may be personal data)."""

    account_id: AccountId
    locked_until: datetime = utc_field()


@final
@attrs.frozen(kw_only=True)
class PasswordLoginDisabled(Event):
    """``failed_logins`` consecutive failures disabled password login (NIST SP
    800-63B-4 section 3.2.2) until the owner unlocks it; an unlock link went to the
    account's verified address."""

    account_id: AccountId
    failed_logins: int


@final
@attrs.frozen(kw_only=True)
class LoginUnlockRequested(Event):
    """A single-use unlock link went to the account's address, valid until
    ``expires_at``."""

    account_id: AccountId
    expires_at: datetime = utc_field()


@final
@attrs.frozen(kw_only=True)
class LoginUnlocked(Event):
    """The owner confirmed the unlock link: the consecutive failures are forgotten,
    password login works again and the lock of the confirming source is lifted."""

    account_id: AccountId


@final
@attrs.frozen(kw_only=True)
class PasswordChanged(Event):
    """The user changed their password (the telecom ordering guide)."""

    account_id: AccountId


@final
@attrs.frozen(kw_only=True)
class EmailChangeRequested(Event):
    """A change of username was asked for; a token went to the new address (or, if it
    is someone's username, a notice to its holder), valid until ``expires_at``."""

    account_id: AccountId
    expires_at: datetime = utc_field()


@final
@attrs.frozen(kw_only=True)
class EmailChanged(Event):
    """The verified new address became the username."""

    account_id: AccountId


@final
@attrs.frozen(kw_only=True)
class ProfileUpdated(Event):
    """The user changed ``fields`` of their profile themselves."""

    account_id: AccountId
    fields: tuple[ProfileField, ...]


@final
@attrs.frozen(kw_only=True)
class FeedbackSent(Event):
    """Feedback went to customer service (``account_id`` when sent logged in)."""

    feedback_id: FeedbackId
    account_id: AccountId | None = None


# -- second factor (see selfcare.identity.second_factor) --------------------------------


@final
@attrs.frozen(kw_only=True)
class SecondFactorEnrolmentStarted(Event):
    """A TOTP secret was made for the account; it counts once a first code confirms it."""

    account_id: AccountId


@final
@attrs.frozen(kw_only=True)
class SecondFactorEnrolled(Event):
    """A first code confirmed the account's TOTP second factor; ``recovery_codes`` were
    issued (shown once)."""

    account_id: AccountId
    recovery_codes: int


@final
@attrs.frozen(kw_only=True)
class SecondFactorFailed(Event):
    """A wrong, malformed or already used second-factor code was counted;
    ``failures`` is the count of consecutive ones."""

    account_id: AccountId
    failures: int


@final
@attrs.frozen(kw_only=True)
class SecondFactorLocked(Event):
    """Too many wrong second-factor codes: every code is refused until
    ``locked_until``."""

    account_id: AccountId
    locked_until: datetime = utc_field()


@final
@attrs.frozen(kw_only=True)
class RecoveryCodeUsed(Event):
    """A recovery code stood in for a TOTP code and stopped working; ``remaining``
    are left."""

    account_id: AccountId
    remaining: int


@final
@attrs.frozen(kw_only=True)
class SecondStepRequired(Event):
    """The password of an account with a second factor was right; the login waits for
    its code (:meth:`~selfcare.identity.service.IdentityService.complete_login`)."""

    account_id: AccountId


@final
@attrs.frozen(kw_only=True)
class SteppedUp(Event):
    """A second-factor code was verified for a sensitive change (e-mail address,
    password, payer); the step-up holds until ``valid_until``."""

    account_id: AccountId
    valid_until: datetime = utc_field()


@final
@attrs.frozen(kw_only=True)
class SecondFactorRemoved(Event):
    """The account's second factor was turned off (with a valid code)."""

    account_id: AccountId


# -- recovery, terms, strong login ----------------------------------------------------


class RecoveryMethod(enum.StrEnum):
    """How a user who forgot the password proved who they are: a fresh
    ``strong_identification`` (bank, mobile certificate, BankID) or the single-use
    ``email_link`` sent to the verified address."""

    STRONG_IDENTIFICATION = "strong_identification"
    EMAIL_LINK = "email_link"


@final
@attrs.frozen(kw_only=True)
class PasswordRecoveryRequested(Event):
    """A single-use password recovery link went to the account's verified address,
    valid until ``expires_at``."""

    account_id: AccountId
    expires_at: datetime = utc_field()


@final
@attrs.frozen(kw_only=True)
class PasswordReset(Event):
    """A user who had forgotten the password set a new one after proving who they are
    (``method``). The login throttles of the account were reset and password login
    works again."""

    account_id: AccountId
    method: RecoveryMethod


@final
@attrs.frozen(kw_only=True)
class SessionsRevoked(Event):
    """Every session of ``account_id`` that began before ``revoked_before`` is no longer
    valid: end them (the library keeps no sessions; the portal does)."""

    account_id: AccountId
    revoked_before: datetime = utc_field()


@final
@attrs.frozen(kw_only=True)
class TermsOfUseAccepted(Event):
    """The owner of an existing account accepted ``version`` of the terms of use (a
    new version the operator published; registration has :class:`TermsAccepted`)."""

    account_id: AccountId
    version: str


@final
@attrs.frozen(kw_only=True)
class WorkAccountLinked(Event):
    """The logged-in owner linked the work account of ``tenant_id`` to the account:
    the employer's single sign-on logs in to it from now on (the work e-mail address
    and the subject stay on the account, not in the event)."""

    account_id: AccountId
    tenant_id: str


@final
@attrs.frozen(kw_only=True)
class WorkAccountUnlinked(Event):
    """The owner removed the link to the work account of ``tenant_id``: its sign-on no
    longer logs in to the account."""

    account_id: AccountId
    tenant_id: str
