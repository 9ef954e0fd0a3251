"""In-memory implementations of the identity ports (registration, accounts, login).

>>> from selfcare.adapters.memory import MemoryDatabase
>>> uow = MemoryIdentityUnitOfWork(MemoryDatabase())
>>> with uow:
...     uow.registrations.find("nope") is None
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from selfcare.adapters.memory._store import MemoryDatabase, MemoryTable, MemoryUnitOfWork
from selfcare.core.clock import require_aware
from selfcare.core.decision import Violation
from selfcare.core.errors import AlreadyExists
from selfcare.core.ids import AccountId
from selfcare.identity.account import Account, Feedback
from selfcare.identity.contact import EmailAddress
from selfcare.identity.customer_records import CustomerRecord
from selfcare.identity.ids import LoginThrottleKey
from selfcare.identity.national_id import NationalId
from selfcare.identity.ports import (
    AccountRepository,
    LoginThrottleRepository,
    OutgoingMessage,
    RegistrationRepository,
    SecondFactorRepository,
)
from selfcare.identity.registration import Registration
from selfcare.identity.second_factor import SecondFactor
from selfcare.identity.throttle import LoginThrottle
from selfcare.identity.work_account import work_account_key

__all__ = [
    "MemoryAccountRepository",
    "MemoryCustomerDirectory",
    "MemoryFeedbackInbox",
    "MemoryIdentityUnitOfWork",
    "MemoryLoginThrottleRepository",
    "MemoryRegistrationRepository",
    "MemorySecondFactorRepository",
    "RecordingNotifier",
]


def _work_account(account: Account) -> str | None:
    link = account.work_account
    return None if link is None else work_account_key(link.tenant_id, link.email)


def _person(national_id: NationalId | None) -> tuple[str, str] | None:
    """What makes two national ids the same person's (the index key)."""
    return None if national_id is None else (str(national_id.country), national_id.compact)


class MemoryAccountRepository:
    """Accounts in a :class:`~selfcare.adapters.memory.MemoryDatabase` table, unique by
    id, by case-folded e-mail address and by national id."""

    def __init__(self, database: MemoryDatabase) -> None:
        self._db = database
        self._table: MemoryTable[str, Account] = database.table("accounts")  # type: ignore[assignment]
        self._table.index("email", lambda a: (a.email.canonical,))
        self._table.index("person", lambda a: (_person(a.national_id),))
        self._table.index(
            "recovery",
            lambda a: (a.pending_recovery.token_digest if a.pending_recovery else None,),
        )
        self._table.index(
            "unlock", lambda a: (a.pending_unlock.token_digest if a.pending_unlock else None,)
        )
        self._table.index(
            "pending_login", lambda a: (a.pending_login.token_digest if a.pending_login else None,)
        )
        self._table.index("work_account", lambda a: (_work_account(a),))

    def _taken(self, account: Account) -> bool:
        same = [
            *self._table.lookup("email", account.email.canonical),
            *self._table.lookup("person", _person(account.national_id)),
        ]
        work = _work_account(account)
        if work is not None:
            same.extend(self._table.lookup("work_account", work))
        return any(other.id != account.id for other in same)

    def add(self, account: Account) -> None:
        """Store a new account (``AlreadyExists`` for a taken id, e-mail or national id)."""
        with self._db.lock:
            if self._taken(account):
                raise AlreadyExists(Violation("store.already_exists", {"entity": "accounts"}))
            self._table.insert(account.id, account)

    def update(self, account: Account) -> None:
        """Compare-and-set on ``account.version - 1``; the new e-mail must be free."""
        with self._db.lock:
            self._table.require(account.id)
            if self._taken(account):
                raise AlreadyExists(Violation("store.already_exists", {"entity": "accounts"}))
            self._table.compare_and_set(account.id, account, account.version - 1)

    def find(self, account_id: str) -> Account | None:
        """The account with ``account_id``, or ``None``."""
        return self._table.find(account_id)

    def find_by_email(self, email: EmailAddress) -> Account | None:
        """The account whose username is ``email`` (case-insensitively), or ``None``."""
        found = self._table.lookup("email", email.canonical)
        return found[0] if found else None

    def find_by_national_id(self, national_id: NationalId) -> Account | None:
        """The account of ``national_id``, or ``None``."""
        found = self._table.lookup("person", _person(national_id))
        return found[0] if found else None

    def find_by_recovery_token(self, token_digest: str) -> Account | None:
        """The account whose pending recovery link has ``token_digest``, or ``None``."""
        found = self._table.lookup("recovery", token_digest)
        return found[0] if found else None

    def find_by_unlock_token(self, token_digest: str) -> Account | None:
        """The account whose pending unlock link has ``token_digest``, or ``None``."""
        found = self._table.lookup("unlock", token_digest)
        return found[0] if found else None

    def find_by_pending_login(self, token_digest: str) -> Account | None:
        """The account whose login waiting for the terms has ``token_digest``, or
        ``None``."""
        found = self._table.lookup("pending_login", token_digest)
        return found[0] if found else None

    def find_by_work_account(self, tenant_id: str, email: EmailAddress) -> Account | None:
        """The account whose linked work account is ``email`` in ``tenant_id``, or
        ``None``."""
        found = self._table.lookup("work_account", work_account_key(tenant_id, email))
        return found[0] if found else None


class MemoryRegistrationRepository:
    """Registrations in a :class:`~selfcare.adapters.memory.MemoryDatabase` table."""

    def __init__(self, database: MemoryDatabase) -> None:
        self._table: MemoryTable[str, Registration] = database.table("registrations")  # type: ignore[assignment]

    def add(self, registration: Registration) -> None:
        """Store a new registration (``AlreadyExists`` for a taken id)."""
        self._table.insert(registration.id, registration)

    def update(self, registration: Registration) -> None:
        """Compare-and-set on ``registration.version - 1``."""
        self._table.compare_and_set(registration.id, registration, registration.version - 1)

    def find(self, registration_id: str) -> Registration | None:
        """The registration with ``registration_id``, or ``None``."""
        return self._table.find(registration_id)


class MemoryLoginThrottleRepository:
    """Throttle records of failed logins in a
    :class:`~selfcare.adapters.memory.MemoryDatabase` table, indexed by account."""

    def __init__(self, database: MemoryDatabase) -> None:
        self._table: MemoryTable[str, LoginThrottle] = database.table("login_throttles")  # type: ignore[assignment]
        self._table.index("account", lambda t: (t.account_id,))

    def add(self, throttle: LoginThrottle) -> None:
        """Store a new record (``AlreadyExists`` for a taken key)."""
        self._table.insert(throttle.key, throttle)

    def update(self, throttle: LoginThrottle) -> None:
        """Compare-and-set on ``throttle.version - 1``."""
        self._table.compare_and_set(throttle.key, throttle, throttle.version - 1)

    def find(self, key: LoginThrottleKey) -> LoginThrottle | None:
        """The record under ``key``, or ``None``."""
        return self._table.find(key)

    def for_account(self, account_id: AccountId) -> Sequence[LoginThrottle]:
        """Every (account, source) record of ``account_id``, oldest first."""
        return self._table.lookup("account", account_id)

    def changed_before(self, cutoff: datetime) -> Sequence[LoginThrottle]:
        """Every record whose ``decayed_at`` is before ``cutoff`` (a scan: retention
        runs it once a night).

        Raises:
            SelfcareError: ``time.naive_datetime`` for a naive ``cutoff``.
        """
        moment = require_aware(cutoff, "cutoff")
        return self._table.scan(lambda t: t.decayed_at < moment)

    def delete(self, key: LoginThrottleKey) -> bool:
        """Remove the record under ``key``; whether it was there."""
        return self._table.delete(key)


class MemorySecondFactorRepository:
    """TOTP second factors in a :class:`~selfcare.adapters.memory.MemoryDatabase`
    table, keyed by account, indexed by pending login."""

    def __init__(self, database: MemoryDatabase) -> None:
        self._table: MemoryTable[str, SecondFactor] = database.table("second_factors")  # type: ignore[assignment]
        self._table.index(
            "pending",
            lambda f: (f.pending_login.token_digest,) if f.pending_login is not None else (),
        )

    def add(self, factor: SecondFactor) -> None:
        """Store a new factor (``AlreadyExists`` when the account has one)."""
        self._table.insert(factor.account_id, factor)

    def update(self, factor: SecondFactor) -> None:
        """Compare-and-set on ``factor.version - 1``."""
        self._table.compare_and_set(factor.account_id, factor, factor.version - 1)

    def find(self, account_id: AccountId) -> SecondFactor | None:
        """The factor of ``account_id``, or ``None``."""
        return self._table.find(account_id)

    def find_by_pending_login(self, token_digest: str) -> SecondFactor | None:
        """The factor whose pending login has ``token_digest``, or ``None``."""
        found = self._table.lookup("pending", token_digest)
        return found[0] if found else None

    def delete(self, account_id: AccountId) -> bool:
        """Remove the factor of ``account_id``; whether there was one."""
        return self._table.delete(account_id)


class MemoryIdentityUnitOfWork(MemoryUnitOfWork):
    """A unit of work over the identity repositories of one database."""

    def __init__(self, database: MemoryDatabase) -> None:
        super().__init__(database)
        self.accounts: AccountRepository = MemoryAccountRepository(database)
        self.registrations: RegistrationRepository = MemoryRegistrationRepository(database)
        self.login_throttles: LoginThrottleRepository = MemoryLoginThrottleRepository(database)
        self.second_factors: SecondFactorRepository = MemorySecondFactorRepository(database)


class MemoryCustomerDirectory:
    """A read-only customer system seeded with records (it has no way to be written)."""

    def __init__(self, records: Iterable[CustomerRecord] = ()) -> None:
        self._records = tuple(records)

    @property
    def records(self) -> tuple[CustomerRecord, ...]:
        """Every record, as seeded."""
        return self._records

    def find_by_national_id(self, national_id: NationalId) -> Sequence[CustomerRecord]:
        """The records that have ``national_id`` on file."""
        return [record for record in self._records if record.is_on_file(national_id)]


class RecordingNotifier:
    """Keeps every message it is given, in order, instead of sending it.

    Thread-safe: threads may send at once (``list.append`` is atomic).
    """

    def __init__(self) -> None:
        self.sent: list[OutgoingMessage] = []

    def send(self, message: OutgoingMessage) -> None:
        """Record ``message``."""
        self.sent.append(message)

    def last(self, template: str | None = None) -> OutgoingMessage:
        """The latest message (with ``template``, if given).

        Raises:
            LookupError: no such message was sent (a test failure, not user input).
        """
        for message in reversed(self.sent):
            if template is None or message.template == template:
                return message
        msg = f"no message {template!r} was sent"
        raise LookupError(msg)


class MemoryFeedbackInbox:
    """Keeps the feedback handed to customer service."""

    def __init__(self) -> None:
        self.received: list[Feedback] = []

    def submit(self, feedback: Feedback) -> None:
        """Record ``feedback``."""
        self.received.append(feedback)
