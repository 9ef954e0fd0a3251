"""Ports of the registration and account use cases: what *you* implement.

- :class:`AccountRepository`, :class:`RegistrationRepository`: storage, with the
  compare-and-set semantics of :mod:`selfcare.core.ports`; grouped in an
  :class:`IdentityUnitOfWork`.
- :class:`CustomerDirectory`: read-only access to the operator's customer system.
  The library never writes to it.
- :class:`PasswordHasher`: the default is
  :class:`~selfcare.identity.hashing.ScryptHasher`.
- :class:`Notifier`: receives the e-mails and SMS the library composes
  (:class:`OutgoingMessage`); your service renders and sends them.
- :class:`FeedbackInbox`: receives feedback for customer service.
- :class:`OneTimeCodeRepository`: the one-time code challenges of the corporate mobile guide, kept
  between sending and verifying a code.
- :class:`LoginThrottleRepository`: the recent failed logins per (account, source)
  and per source (:mod:`selfcare.identity.throttle`), kept in storage so that every
  service process counts the same.

The memory adapters in :mod:`selfcare.adapters.memory.identity` implement all of them;
:mod:`selfcare.testing.contracts.identity` holds the contract suites for yours.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol, TypeAlias, final, runtime_checkable

import attrs

from selfcare.core.ports import UnitOfWork
from selfcare.core.secrets import secret_field
from selfcare.identity.profile import Language

if TYPE_CHECKING:
    from datetime import datetime

    from selfcare.core.ids import AccountId
    from selfcare.identity.account import Account, Feedback
    from selfcare.identity.contact import EmailAddress, PhoneNumber
    from selfcare.identity.customer_records import CustomerRecord
    from selfcare.identity.ids import LoginThrottleKey
    from selfcare.identity.national_id import NationalId
    from selfcare.identity.otp import OneTimeCodeChallenge
    from selfcare.identity.registration import Registration
    from selfcare.identity.second_factor import SecondFactor
    from selfcare.identity.throttle import LoginThrottle

__all__ = [
    "AccountRepository",
    "Channel",
    "CustomerDirectory",
    "FeedbackInbox",
    "IdentityUnitOfWork",
    "LoginThrottleRepository",
    "MessageParam",
    "Notifier",
    "OneTimeCodeRepository",
    "OutgoingMessage",
    "PasswordHasher",
    "RegistrationRepository",
    "SecondFactorRepository",
]


@runtime_checkable
class PasswordHasher(Protocol):
    """Hashes passwords into self-describing strings and checks them."""

    def hash(self, password: str) -> str:
        """The encoded hash of ``password`` with a fresh salt."""
        ...

    def verify(self, password: str, encoded: str) -> bool:
        """Whether ``password`` matches ``encoded``, compared in constant time; a
        malformed ``encoded`` is no match (never an exception)."""
        ...

    def needs_rehash(self, encoded: str) -> bool:
        """Whether ``encoded`` is weaker than the current parameters (or unreadable):
        a hash to upgrade at the next login. A stronger one is kept."""
        ...

    def exceeds_current(self, encoded: str) -> bool:
        """Whether ``encoded`` is stronger than the current parameters, so that a new
        hash with them would be a downgrade (then a hash is never replaced)."""
        ...


class CustomerDirectory(Protocol):
    """Read-only view of the operator's customer system."""

    def find_by_national_id(self, national_id: NationalId) -> Sequence[CustomerRecord]:
        """Every customer relationship that has ``national_id`` on file.

        The rules check :meth:`~selfcare.identity.customer_records.CustomerRecord.is_on_file`
        again, so a directory that also returns records found by other means (a name
        on the invoice) cannot link the wrong person.
        """
        ...


class AccountRepository(Protocol):
    """Accounts, unique by id, by e-mail address (case-folded), by national id and by
    linked work account (tenant and case-folded work address).

    ``add`` raises :class:`~selfcare.core.errors.AlreadyExists` when the id, the
    e-mail address or the national id is taken; ``update`` is compare-and-set on
    ``account.version - 1`` (:class:`~selfcare.core.errors.ConcurrencyConflict`,
    :class:`~selfcare.core.errors.NotFound`) and raises ``AlreadyExists`` when the
    new e-mail address belongs to another account.
    """

    def add(self, account: Account) -> None:
        """Store a new account."""
        ...

    def update(self, account: Account) -> None:
        """Replace the stored account whose version is ``account.version - 1``."""
        ...

    def find(self, account_id: str) -> Account | None:
        """The account with ``account_id``, or ``None``."""
        ...

    def find_by_email(self, email: EmailAddress) -> Account | None:
        """The account whose username is ``email`` (case-insensitively), or ``None``."""
        ...

    def find_by_national_id(self, national_id: NationalId) -> Account | None:
        """The account of ``national_id`` (compared in compact form), or ``None``."""
        ...

    def find_by_recovery_token(self, token_digest: str) -> Account | None:
        """The account whose pending password recovery link has ``token_digest``, or
        ``None``."""
        ...

    def find_by_unlock_token(self, token_digest: str) -> Account | None:
        """The account whose pending unlock link has ``token_digest``, or ``None``."""
        ...

    def find_by_pending_login(self, token_digest: str) -> Account | None:
        """The account whose login waiting for new terms of use
        (:attr:`~selfcare.identity.account.Account.pending_login`) has
        ``token_digest``, or ``None``."""
        ...

    def find_by_work_account(self, tenant_id: str, email: EmailAddress) -> Account | None:
        """The account whose linked work account
        (:attr:`~selfcare.identity.account.Account.work_account`) is ``email``
        (case-insensitively) in ``tenant_id``, or ``None``. At most one account links
        a work address of a tenant: ``add`` and ``update`` raise ``AlreadyExists`` for
        a second."""
        ...


class RegistrationRepository(Protocol):
    """Registrations in progress (and finished ones, for audit), unique by id."""

    def add(self, registration: Registration) -> None:
        """Store a new registration; ``AlreadyExists`` when the id is taken."""
        ...

    def update(self, registration: Registration) -> None:
        """Compare-and-set on ``registration.version - 1``."""
        ...

    def find(self, registration_id: str) -> Registration | None:
        """The registration with ``registration_id``, or ``None``."""
        ...


class OneTimeCodeRepository(Protocol):
    """One-time code challenges, unique by id, with the usual compare-and-set update."""

    def add(self, challenge: OneTimeCodeChallenge) -> None:
        """Store a new challenge; ``AlreadyExists`` when its id is taken."""
        ...

    def update(self, challenge: OneTimeCodeChallenge) -> None:
        """Compare-and-set on ``challenge.version - 1``."""
        ...

    def find(self, challenge_id: str) -> OneTimeCodeChallenge | None:
        """The challenge or ``None``."""
        ...

    def for_phone(self, phone: PhoneNumber) -> Sequence[OneTimeCodeChallenge]:
        """Every challenge sent to ``phone`` (compared in E.164 form), oldest first."""
        ...

    def issued_before(self, cutoff: datetime) -> Sequence[OneTimeCodeChallenge]:
        """The challenges started before ``cutoff``, oldest first."""
        ...

    def delete(self, challenge_id: str) -> bool:
        """Remove a challenge; whether it was there."""
        ...


class LoginThrottleRepository(Protocol):
    """Throttle records of failed logins, unique by key, with the usual
    compare-and-set ``update``."""

    def add(self, throttle: LoginThrottle) -> None:
        """Store a new record; ``AlreadyExists`` when its key is taken."""
        ...

    def update(self, throttle: LoginThrottle) -> None:
        """Compare-and-set on ``throttle.version - 1``."""
        ...

    def find(self, key: LoginThrottleKey) -> LoginThrottle | None:
        """The record under ``key``, or ``None``."""
        ...

    def for_account(self, account_id: AccountId) -> Sequence[LoginThrottle]:
        """Every (account, source) record of ``account_id``, oldest first."""
        ...

    def changed_before(self, cutoff: datetime) -> Sequence[LoginThrottle]:
        """Every record whose ``decayed_at`` is before ``cutoff`` (at least those: a
        finder may return more, retention checks each), for retention.

        Raises:
            SelfcareError: ``time.naive_datetime`` for a naive ``cutoff``.
        """
        ...

    def delete(self, key: LoginThrottleKey) -> bool:
        """Remove the record under ``key``; whether it was there."""
        ...


class SecondFactorRepository(Protocol):
    """The TOTP second factors (:mod:`selfcare.identity.second_factor`), one per account
    at most, keyed by the account id. ``add`` raises ``AlreadyExists`` for an account
    that has one; ``update`` is compare-and-set on ``factor.version - 1``. Keep the
    secret sealed at rest (the SQL adapters seal it under the national identity code
    keys)."""

    def add(self, factor: SecondFactor) -> None:
        """Store a new factor."""
        ...

    def update(self, factor: SecondFactor) -> None:
        """Replace the stored factor (compare-and-set)."""
        ...

    def find(self, account_id: AccountId) -> SecondFactor | None:
        """The factor of ``account_id``, or ``None``."""
        ...

    def find_by_pending_login(self, token_digest: str) -> SecondFactor | None:
        """The factor whose pending login has ``token_digest``, or ``None``."""
        ...

    def delete(self, account_id: AccountId) -> bool:
        """Remove the factor of ``account_id``; whether there was one."""
        ...


class IdentityUnitOfWork(UnitOfWork, Protocol):
    """A transaction over the identity repositories."""

    accounts: AccountRepository
    registrations: RegistrationRepository
    login_throttles: LoginThrottleRepository
    second_factors: SecondFactorRepository


class Channel(enum.StrEnum):
    """How a message reaches its recipient."""

    EMAIL = "email"
    SMS = "sms"


#: The value of a message parameter: text (a name, an ISO 8601 date, digits), or the
#: rows of a list the message shows - frozen ``attrs`` values its template knows, such
#: as the order confirmation's :class:`~selfcare.catalog.confirmation.OrderLine`.
MessageParam: TypeAlias = str | tuple[attrs.AttrsInstance, ...]


@final
@attrs.frozen(kw_only=True)
class OutgoingMessage:
    """An e-mail or SMS for your service to render and send.

    Attributes:
        template: what to send, e.g. ``registration.completed`` (see
            :doc:`/tutorials/registration` for the list).
        channel: e-mail or SMS.
        recipient: the e-mail address or E.164 phone number.
        language: the language to render the message in.
        params: values for the template (names, dates, the rows of a list); never a
            password. Messages whose params are all text round-trip through
            :mod:`selfcare.serialization`; one with rows (an order confirmation) is
            rendered, or kept rendered, rather than stored as data.
        secret: the token for a verification or invitation link, or the one-time code,
            when the message carries one (never in ``repr``).

    The message is immutable and can be handed to another thread.
    """

    template: str
    channel: Channel
    recipient: str
    language: Language
    params: Mapping[str, MessageParam] = attrs.field(factory=dict)
    secret: str | None = secret_field(default=None)


class Notifier(Protocol):
    """Receives the messages the library composes; sending them is yours.

    Messages composed (``OutgoingMessage.template``; params in brackets):

    - ``registration.verify_email`` [given_names] with the token as ``secret``: the
      address must come back with it to complete the registration.
    - ``registration.email_in_use_notice`` [] to the holder of an address someone tried
      to register with (sent *instead of* the token, so the registrant cannot tell).
    - ``registration.completed`` [given_names, advisories] - the registration's confirmation.
    - ``account.verify_new_email`` [given_names] with the token as ``secret``, to the new
      address; ``account.email_change_requested`` [] to the current address.
    - ``account.email_in_use_notice`` [] to the holder of an address someone tried to move
      their account to (again instead of the token).
    - ``account.email_changed`` [] to the old address once the change is confirmed.
    - ``account.password_changed`` [] after a password change.
    - ``account.password_reset`` [] after a forgotten password was set anew (recovery);
      every earlier session has ended.
    - ``account.recovery_link`` [given_names] with the token as ``secret``, to the
      account's address (opt-in recovery by e-mail); the page it opens sets the new
      password on an explicit confirm.
    - ``account.closed`` [given_names] to the address of an account its owner just
      closed (:meth:`~selfcare.privacy.service.PrivacyService.close_own_account`);
      nothing of the account is kept but what the law requires.
    - ``login.locked_notice`` [minutes] when failed logins from one source first lock
      the account for that source in a run of consecutive failures.
    - ``login.unlock_link`` [given_names] with the token as ``secret``, to the
      account's address: asked for, or sent when consecutive failures disabled
      password login; the page it opens confirms with a button.
    - ``authz.invitation`` [first_name, inviter_name, cover_message, valid_until,
      relationship] with the invitation token as ``secret`` (the accept and decline
      links), sent by :meth:`~selfcare.authz.service.AuthzService.invite` and
      :meth:`~selfcare.authz.service.AuthzService.resend_invitation`.
    - ``catalog.order_confirmation`` [order_id, items, given_names] to the verified
      address of whoever placed an order, sent by
      :meth:`~selfcare.catalog.service.CatalogService.place_order`.
    - ``billing.deduction_statement`` [employee, employer, month, allowance,
      company_part, employee_part, lines] to the employee account's verified address,
      sent by :meth:`~selfcare.billing.service.BillingService.send_deduction_statement`.

    :mod:`selfcare.notifications` renders every one of them
    (:class:`~selfcare.notifications.RenderingNotifier`). ``send`` is called after the
    use case's transaction committed; it may be called from several threads at once
    when the services run in worker threads (:mod:`selfcare.aio`).
    """

    def send(self, message: OutgoingMessage) -> None:
        """Queue or send ``message``."""
        ...


class FeedbackInbox(Protocol):
    """Where feedback to customer service goes (the telecom ordering guide)."""

    def submit(self, feedback: Feedback) -> None:
        """Hand ``feedback`` over to customer service."""
        ...
