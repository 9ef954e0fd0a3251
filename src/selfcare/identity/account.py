"""Accounts of the e-services: model and the rules that change them.

An :class:`Account` is created when a registration completes. Its username is the
e-mail address of its :class:`~selfcare.identity.profile.Profile`; its national
identity code links it to customer relationships (and is masked in every ``repr``).

Rules here are pure: :func:`change_password` (current password required, the new one
checked by the operator's policy and different from the current one; the service runs
its halves :func:`check_new_password` and :func:`set_password` around hashing done
outside any transaction),
:func:`request_email_change` and :func:`confirm_email_change` (the new address becomes
the username only after a token sent to it comes back), and :func:`compose_feedback`
(the telecom ordering guide: free text to customer service, optionally with an e-mail address and a
phone number for a call back).

Tokens are never stored: only their SHA-256 digest (:func:`token_digest`). A token of
at least 128 random bits makes a fast hash enough - there is nothing to guess.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Final, final

import attrs

from selfcare.core.clock import require_aware, utc_field
from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import AccountId
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.core.ports import next_version
from selfcare.core.secrets import secret_field
from selfcare.core.text import has_unsafe_characters
from selfcare.identity.contact import EmailAddress, PhoneNumber
from selfcare.identity.events import EmailChanged, EmailChangeRequested, PasswordChanged
from selfcare.identity.hashing import matching_candidate
from selfcare.identity.ids import FeedbackId
from selfcare.identity.national_id import NationalId
from selfcare.identity.password import PasswordPolicy, check_password
from selfcare.identity.password_normalize import normalize_for_hashing
from selfcare.identity.ports import PasswordHasher
from selfcare.identity.profile import Language, Profile
from selfcare.identity.second_factor import PendingSecondStep
from selfcare.identity.work_account import WorkAccountLink

__all__ = [
    "EMAIL_CHANGE_VALID_FOR",
    "MAX_FEEDBACK_LENGTH",
    "Account",
    "AccountState",
    "Feedback",
    "PendingEmailChange",
    "PendingRecovery",
    "PendingUnlock",
    "account_not_found",
    "change_password",
    "check_new_password",
    "compose_feedback",
    "confirm_email_change",
    "request_email_change",
    "set_password",
    "token_digest",
    "token_matches",
]

#: How long the link sent to a new e-mail address stays valid.
EMAIL_CHANGE_VALID_FOR: Final = timedelta(hours=24)


def account_not_found() -> Refused:
    """The refusal of a use case given the id of no stored account:
    ``account.not_found``."""
    return Refused.because(Violation("account.not_found"))


#: Longest feedback text accepted (characters).
MAX_FEEDBACK_LENGTH: Final = 5000


def token_digest(token: str) -> str:
    """The SHA-256 digest (hex) under which a token is stored instead of the token.

    >>> len(token_digest("abc"))
    64

    Raises:
        TypeError: ``token`` is not a string.
    """
    if not isinstance(token, str):  # the annotation says str; callers may not obey
        msg = f"a token must be str, not {type(token).__name__}"  # type: ignore[unreachable]
        raise TypeError(msg)
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def token_matches(token: str, digest: str) -> bool:
    """Whether ``token`` is the one stored as ``digest`` (constant-time comparison).

    >>> token_matches("abc", token_digest("abc")), token_matches("abd", token_digest("abc"))
    (True, False)
    """
    return hmac.compare_digest(token_digest(token), digest)


class AccountState(enum.StrEnum):
    """Whether an account can log in: ``active``; ``locked`` (by customer service,
    not the temporary lock after failed logins); ``closed``."""

    ACTIVE = "active"
    LOCKED = "locked"
    CLOSED = "closed"


@final
@attrs.frozen(kw_only=True)
class PendingEmailChange:
    """A new e-mail address waiting for the user to prove they read it.

    Attributes:
        email: the new address.
        token_digest: the digest of the token sent to it (never the token).
        requested_at: when the change was asked for.
        expires_at: when the token stops working.
    """

    email: EmailAddress
    token_digest: str = secret_field()
    requested_at: datetime = utc_field()
    expires_at: datetime = utc_field()


@final
@attrs.frozen(kw_only=True)
class PendingUnlock:
    """A single-use unlock link sent to the account's verified address (see
    :mod:`selfcare.identity.login_unlock`).

    Attributes:
        token_digest: the digest of the token in the link (never the token).
        requested_at: when the link was sent.
        expires_at: when the token stops working.
    """

    token_digest: str = attrs.field(repr=False)
    requested_at: datetime = utc_field()
    expires_at: datetime = utc_field()


@final
@attrs.frozen(kw_only=True)
class PendingRecovery:
    """A single-use password recovery link sent to the account's verified address
    (see :mod:`selfcare.identity.recovery`).

    Attributes:
        token_digest: the digest of the token in the link (never the token).
        requested_at: when the link was sent.
        expires_at: when the token stops working.
    """

    token_digest: str = secret_field()
    requested_at: datetime = utc_field()
    expires_at: datetime = utc_field()


@final
@attrs.frozen(kw_only=True)
class Account:
    """A registered user of the e-services.

    Attributes:
        id: the account id.
        national_id: the identity code the user proved with strong identification
            (masked in ``repr``); links the account to customer relationships.
        profile: names, e-mail address (the username), phone, address and language.
        password_hash: the encoded hash from the
            :class:`~selfcare.identity.ports.PasswordHasher` (never in ``repr``).
        created_at: when the registration completed.
        state: see :class:`AccountState`.
        failed_logins: consecutive failed logins (from every source) since the last
            success or unlock; password login is disabled when it reaches
            :attr:`~selfcare.identity.login.LoginPolicy.disable_password_after`.
        locked_until: not set since 0.2 (temporary locks are kept per source in
            :class:`~selfcare.identity.throttle.LoginThrottle`); kept so that stored
            accounts still load, and cleared by a successful login or an unlock.
        last_login_at: time of the last successful login.
        password_changed_at: when the password was last set.
        pending_email: an e-mail change waiting for verification.
        pending_unlock: an unlock link waiting to be confirmed.
        pending_recovery: a password recovery link waiting to be used (accounts
            stored before it existed load with ``None``).
        terms_version: the version of the terms of use the owner accepted last
            (:mod:`selfcare.identity.terms`); ``None`` when not known (an account
            stored before 0.2 whose registration record is gone).
        terms_accepted_at: when the owner accepted ``terms_version``.
        pending_login: a login that waits for the owner to accept new terms of use
            (:meth:`~selfcare.identity.service.IdentityService.complete_login_with_terms`).
        work_account: the work account (single sign-on tenant and subject) the owner
            linked, if any (:mod:`selfcare.identity.work_account`).
        version: the optimistic-concurrency version.
    """

    id: AccountId
    national_id: NationalId = secret_field()
    profile: Profile
    password_hash: str = secret_field()
    created_at: datetime = utc_field()
    state: AccountState = AccountState.ACTIVE
    failed_logins: int = 0
    locked_until: datetime | None = utc_field(optional=True, default=None)
    last_login_at: datetime | None = utc_field(optional=True, default=None)
    password_changed_at: datetime | None = utc_field(optional=True, default=None)
    pending_email: PendingEmailChange | None = None
    pending_unlock: PendingUnlock | None = None
    pending_recovery: PendingRecovery | None = None
    terms_version: str | None = None
    terms_accepted_at: datetime | None = utc_field(optional=True, default=None)
    pending_login: PendingSecondStep | None = None
    work_account: WorkAccountLink | None = None
    version: int = 1

    @property
    def email(self) -> EmailAddress:
        """The username."""
        return self.profile.email

    @property
    def given_names(self) -> str:
        """The given names of the profile."""
        return self.profile.given_names

    @property
    def surname(self) -> str:
        """The surname of the profile."""
        return self.profile.surname

    @property
    def language(self) -> Language:
        """The language of the portal and of the messages sent to the user."""
        return self.profile.language

    def personal_words(self) -> tuple[str, ...]:
        """What a password must not borrow from: the names and the e-mail address."""
        return (self.given_names, self.surname, self.email.value)


def change_password(
    account: Account,
    *,
    current: str,
    new: str,
    policy: PasswordPolicy,
    hasher: PasswordHasher,
    now: datetime,
) -> Outcome[Account]:
    """Change the password: the current one is required, the new one must pass the
    policy (with the user's names and e-mail address as personal words) and differ
    from the current one.

    Returns:
        The changed account (new hash, version bumped) with
        :class:`~selfcare.identity.events.PasswordChanged`, or a refusal with
        ``account.current_password_wrong``,
        ``account.password_unchanged`` or the ``password.*`` codes of
        :func:`~selfcare.identity.password.check_password`.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    form = policy.hash_normalization
    if matching_candidate(hasher, current, account.password_hash, form) is None:
        return Refused.because(Violation("account.current_password_wrong"))
    checked = check_new_password(account, current=current, new=new, policy=policy)
    if not checked:
        return Refused(checked)
    new_hash = hasher.hash(normalize_for_hashing(new, form))
    return set_password(account, new_hash, now=moment)


def check_new_password(
    account: Account, *, current: str, new: str, policy: PasswordPolicy
) -> Decision:
    """Whether ``new`` may replace ``current`` (already verified): it must differ from
    it (compared in the policy's normal form) and pass the policy with the user's
    names and e-mail address as personal words.

    Returns:
        An allowed decision, or a refusal with ``account.password_unchanged`` or the
        ``password.*`` codes of :func:`~selfcare.identity.password.check_password`.
    """
    form = policy.hash_normalization
    if hmac.compare_digest(
        normalize_for_hashing(current, form).encode("utf-8", "surrogatepass"),
        normalize_for_hashing(new, form).encode("utf-8", "surrogatepass"),
    ):
        return Decision.deny(Violation("account.password_unchanged"))
    return check_password(new, policy, personal=account.personal_words())


def set_password(account: Account, password_hash: str, *, now: datetime) -> Done[Account]:
    """``account`` with the new ``password_hash`` (version bumped) and
    :class:`~selfcare.identity.events.PasswordChanged`.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    changed = next_version(account, password_hash=password_hash, password_changed_at=moment)
    return Done(changed, (PasswordChanged(account_id=account.id, occurred_at=moment),))


def request_email_change(
    account: Account,
    new_email: EmailAddress,
    *,
    token_digest: str,
    now: datetime,
    valid_for: timedelta = EMAIL_CHANGE_VALID_FOR,
) -> Outcome[Account]:
    """Record a pending change of the username to ``new_email``.

    The caller sends the token (whose digest is ``token_digest``) to the new address;
    the username changes only in :func:`confirm_email_change`. A new request replaces
    an earlier pending one.

    Returns:
        The account with the pending change and
        :class:`~selfcare.identity.events.EmailChangeRequested`, or a refusal with
        ``account.email_unchanged``.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    if new_email == account.email:
        return Refused.because(Violation("account.email_unchanged"))
    pending = PendingEmailChange(
        email=new_email,
        token_digest=token_digest,
        requested_at=moment,
        expires_at=moment + valid_for,
    )
    requested = EmailChangeRequested(
        account_id=account.id, expires_at=pending.expires_at, occurred_at=moment
    )
    return Done(next_version(account, pending_email=pending), (requested,))


def confirm_email_change(account: Account, token: str, *, now: datetime) -> Outcome[Account]:
    """Make the pending e-mail address the username, if ``token`` is the one sent to it.

    Returns:
        The account with the new username and
        :class:`~selfcare.identity.events.EmailChanged`, or a refusal with
        ``account.no_pending_email_change``, ``account.email_token_invalid`` (wrong
        token) or ``account.email_token_expired``.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    pending = account.pending_email
    if pending is None:
        return Refused.because(Violation("account.no_pending_email_change"))
    if not token_matches(token, pending.token_digest):
        return Refused.because(Violation("account.email_token_invalid"))
    if moment >= pending.expires_at:
        return Refused.because(Violation("account.email_token_expired"))
    profile = attrs.evolve(account.profile, email=pending.email)
    changed = next_version(account, profile=profile, pending_email=None)
    return Done(changed, (EmailChanged(account_id=account.id, occurred_at=moment),))


@final
@attrs.frozen(kw_only=True)
class Feedback:
    """A message to customer service (the telecom ordering guide), handed to a
    :class:`~selfcare.identity.ports.FeedbackInbox`.

    Attributes:
        id: the feedback id.
        account_id: the sender's account, if logged in.
        text: the message.
        reply_email: where customer service may answer, if the sender gave one.
        reply_phone: where customer service may call back, if the sender gave one.
        language: the language the sender wrote in / wants the answer in.
        sent_at: when it was sent.
    """

    id: FeedbackId
    account_id: AccountId | None
    text: str
    reply_email: EmailAddress | None = None
    reply_phone: PhoneNumber | None = None
    language: Language = Language.FI
    sent_at: datetime = utc_field()


def _feedback_text_violations(body: str) -> list[Violation]:
    """Required, at most :data:`MAX_FEEDBACK_LENGTH` characters (checked before the
    characters are looked at), and nothing a database, an e-mail or a screen could
    choke on or misread (:func:`~selfcare.core.text.has_unsafe_characters`)."""
    if not body:
        return [Violation("feedback.text_required")]
    if len(body) > MAX_FEEDBACK_LENGTH:
        return [Violation("feedback.text_too_long", {"max_length": MAX_FEEDBACK_LENGTH})]
    if has_unsafe_characters(body, allowed="\r\n\t"):
        return [Violation("feedback.text_invalid_characters")]
    return []


def compose_feedback(
    *,
    feedback_id: FeedbackId,
    account_id: AccountId | None,
    text: str,
    email: str = "",
    phone: str = "",
    wants_contact: bool = False,
    language: Language = Language.FI,
    phone_region: str = "FI",
    now: datetime,
) -> Outcome[Feedback]:
    """Build the feedback value from the form (the telecom ordering guide).

    Returns:
        The :class:`Feedback` (not sent yet: no event), or a refusal with
        ``feedback.text_required``, ``feedback.text_too_long`` (``max_length``),
        ``feedback.text_invalid_characters`` (control characters other than line
        breaks and tabs, unpaired surrogates, bidirectional controls),
        ``feedback.contact_missing`` (a call back was asked for without an e-mail
        address or phone number) and the ``email.*`` / ``phone.*`` parser codes.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
        TypeError: ``text``, ``email`` or ``phone`` is not a string.
    """
    for name, value in (("text", text), ("email", email), ("phone", phone)):
        if not isinstance(value, str):  # the annotations say str; callers may not obey
            msg = f"{name} must be str, not {type(value).__name__}"  # type: ignore[unreachable]
            raise TypeError(msg)
    moment = require_aware(now, "now")
    body = text.strip()
    found = _feedback_text_violations(body)
    reply_email: EmailAddress | None = None
    reply_phone: PhoneNumber | None = None
    if email.strip():
        try:
            reply_email = EmailAddress.parse(email)
        except SelfcareError as error:
            found.extend(error.violations)
    if phone.strip():
        try:
            reply_phone = PhoneNumber.parse(phone, phone_region)
        except SelfcareError as error:
            found.extend(error.violations)
    if wants_contact and not email.strip() and not phone.strip():
        found.append(Violation("feedback.contact_missing"))
    if found:
        return Refused.because(*found)
    feedback = Feedback(
        id=feedback_id,
        account_id=account_id,
        text=body,
        reply_email=reply_email,
        reply_phone=reply_phone,
        language=language,
        sent_at=moment,
    )
    return Done(feedback)
