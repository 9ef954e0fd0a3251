"""The identity repositories (accounts, registrations, login throttles, second
factors) of the SQL engines.

National identity codes never reach the database in clear (see
:mod:`selfcare.identity.national_id_at_rest`): every document holds the code sealed under the
operator's :class:`~selfcare.identity.national_id_at_rest.NationalIdKeyRing`, bound to its
table, row and field, and the only index on it is the keyed hash
:meth:`~selfcare.identity.national_id_at_rest.NationalIdKeyRing.lookup_hash`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

import attrs

from selfcare.adapters._sql._queries import micros
from selfcare.adapters._sql._table import SqlEngine, SqlTable
from selfcare.core.ids import AccountId
from selfcare.identity.account import Account
from selfcare.identity.contact import EmailAddress
from selfcare.identity.ids import LoginThrottleKey
from selfcare.identity.national_id import NationalId
from selfcare.identity.national_id_at_rest import NationalIdKey, NationalIdKeyRing, SealedAt
from selfcare.identity.ports import (
    AccountRepository,
    LoginThrottleRepository,
    RegistrationRepository,
    SecondFactorRepository,
)
from selfcare.identity.registration import Registration
from selfcare.identity.second_factor import SecondFactor
from selfcare.identity.throttle import LoginThrottle
from selfcare.identity.work_account import work_account_key
from selfcare.serialization import storage_converter as converter

__all__ = [
    "IdentityRepositories",
    "NationalIdKeys",
    "SqlAccountRepository",
    "SqlLoginThrottleRepository",
    "SqlRegistrationRepository",
    "SqlSecondFactorRepository",
    "second_factors_table",
]


#: What the SQL identity adapters take: one key, or a ring of them.
NationalIdKeys = NationalIdKey | NationalIdKeyRing

E = TypeVar("E")


class _Sealer:
    """Replaces the national identity codes of a document by their sealed form, bound
    to the table, the row (the document's ``id``) and the field."""

    def __init__(self, keys: NationalIdKeyRing, table: str, fields: tuple[str, ...]) -> None:
        self._keys = keys
        self._table = table
        self._fields = fields

    def _where(self, document: dict[str, Any], field: str) -> SealedAt:
        return SealedAt(self._table, str(document["id"]), field)

    def seal(self, document: dict[str, Any]) -> None:
        for field in self._fields:
            if document.get(field) is not None:
                national_id = converter.structure(document[field], NationalId)
                document[field] = self._keys.seal(national_id, self._where(document, field))

    def unseal(self, document: dict[str, Any]) -> None:
        for field in self._fields:
            if document.get(field) is not None:
                national_id = self._keys.unseal(document[field], self._where(document, field))
                document[field] = converter.unstructure(national_id)

    def is_current(self, document: dict[str, Any]) -> bool:
        """Whether every sealed field of ``document`` is sealed under the current key."""
        return all(
            self._keys.is_current(document[field])
            for field in self._fields
            if document.get(field) is not None
        )


class _SealedTable(Generic[E]):
    """A table whose documents hold sealed national identity codes."""

    def __init__(self, table: SqlTable[E], sealer: _Sealer) -> None:
        self.table = table
        self.sealer = sealer

    def reseal(self, *, rehash: bool) -> int:
        """Rewrite the rows sealed under a retired key (every row when ``rehash``);
        how many were rewritten."""
        rewritten = 0
        for data in self.table.documents():
            if rehash or not self.sealer.is_current(json.loads(data)):
                self.table.rewrite(self.table.load(data))
                rewritten += 1
        return rewritten


class SqlAccountRepository:
    """Accounts in the ``identity_accounts`` table, unique by id, by case-folded e-mail
    address and by person (the keyed hash of the national identity code)."""

    def __init__(self, database: SqlEngine, key: NationalIdKeys) -> None:
        self._key = NationalIdKeyRing.of(key)
        self._sealed = accounts_table(database, self._key)
        self._table = self._sealed.table

    def reseal_national_ids(self, *, rehash: bool = False) -> int:
        """See :meth:`IdentityRepositories.reseal_national_ids`."""
        return self._sealed.reseal(rehash=rehash)

    def add(self, account: Account) -> None:
        """Store a new account (``AlreadyExists`` for a taken id, e-mail or national id)."""
        self._table.insert(account)

    def update(self, account: Account) -> None:
        """Compare-and-set on ``account.version - 1`` (``ConcurrencyConflict``,
        ``NotFound``); ``AlreadyExists`` when the new e-mail address is another
        account's."""
        self._table.compare_and_set(account, account.version - 1)

    def find(self, account_id: str) -> Account | None:
        """The account with ``account_id``, or ``None``."""
        return self._table.find(account_id)

    def find_by_email(self, email: EmailAddress) -> Account | None:
        """The account whose username is ``email`` (case-insensitively), or ``None``."""
        canonical = email.canonical
        return self._table.first("email = ?", [canonical])

    def find_by_national_id(self, national_id: NationalId) -> Account | None:
        """The account of ``national_id`` (looked up by its keyed hash), or ``None``."""
        return self._table.first("national_id_hash = ?", [self._key.lookup_hash(national_id)])

    def find_by_recovery_token(self, token_digest: str) -> Account | None:
        """The account whose pending recovery link has ``token_digest``, or ``None``."""
        return self._table.first("recovery_token_digest = ?", [token_digest])

    def find_by_unlock_token(self, token_digest: str) -> Account | None:
        """The account whose pending unlock link has ``token_digest``, or ``None``."""
        return self._table.first("unlock_token_digest = ?", [token_digest])

    def find_by_pending_login(self, token_digest: str) -> Account | None:
        """The account whose login waiting for the terms has ``token_digest``, or
        ``None``."""
        return self._table.first("pending_login_digest = ?", [token_digest])

    def find_by_work_account(self, tenant_id: str, email: EmailAddress) -> Account | None:
        """The account whose linked work account is ``email`` in ``tenant_id``, or
        ``None``."""
        return self._table.first("work_account_key = ?", [work_account_key(tenant_id, email)])


def _hash(key: NationalIdKeyRing, national_id: NationalId | None) -> str | None:
    return None if national_id is None else key.lookup_hash(national_id)


def registrations_table(database: SqlEngine, key: NationalIdKeyRing) -> _SealedTable[Registration]:
    """The ``identity_registrations`` table (shared with the privacy index)."""
    sealer = _Sealer(key, "identity_registrations", ("claimed_national_id", "national_id"))
    table = SqlTable(
        database,
        "identity_registrations",
        Registration,
        key=lambda r: r.id,
        columns={
            "national_id_hash": lambda r: _hash(key, r.national_id),
            "claimed_national_id_hash": lambda r: _hash(key, r.claimed_national_id),
            "account_id": lambda r: r.account_id,
            "updated_at_us": lambda r: micros(r.updated_at),
        },
        on_write=sealer.seal,
        on_read=sealer.unseal,
    )
    return _SealedTable(table, sealer)


def accounts_table(database: SqlEngine, key: NationalIdKeyRing) -> _SealedTable[Account]:
    """The ``identity_accounts`` table (shared with the privacy index)."""
    sealer = _Sealer(key, "identity_accounts", ("national_id",))
    table = SqlTable(
        database,
        "identity_accounts",
        Account,
        key=lambda a: a.id,
        columns={
            "email": lambda a: a.email.canonical,
            "national_id_hash": lambda a: key.lookup_hash(a.national_id),
            "unlock_token_digest": lambda a: (
                a.pending_unlock.token_digest if a.pending_unlock is not None else None
            ),
            "recovery_token_digest": lambda a: (
                a.pending_recovery.token_digest if a.pending_recovery is not None else None
            ),
            "pending_login_digest": lambda a: (
                a.pending_login.token_digest if a.pending_login is not None else None
            ),
            "work_account_key": lambda a: (
                work_account_key(a.work_account.tenant_id, a.work_account.email)
                if a.work_account is not None
                else None
            ),
        },
        on_write=sealer.seal,
        on_read=sealer.unseal,
    )
    return _SealedTable(table, sealer)


class SqlRegistrationRepository:
    """Registrations in the ``identity_registrations`` table (national identity codes
    sealed, indexed by keyed hash)."""

    def __init__(self, database: SqlEngine, key: NationalIdKeys) -> None:
        self._sealed = registrations_table(database, NationalIdKeyRing.of(key))
        self._table = self._sealed.table

    def reseal_national_ids(self, *, rehash: bool = False) -> int:
        """See :meth:`IdentityRepositories.reseal_national_ids`."""
        return self._sealed.reseal(rehash=rehash)

    def add(self, registration: Registration) -> None:
        """Store a new registration (``AlreadyExists`` for a taken id)."""
        self._table.insert(registration)

    def update(self, registration: Registration) -> None:
        """Compare-and-set on ``registration.version - 1`` (``ConcurrencyConflict``,
        ``NotFound``)."""
        self._table.compare_and_set(registration, registration.version - 1)

    def find(self, registration_id: str) -> Registration | None:
        """The registration with ``registration_id``, or ``None``."""
        return self._table.find(registration_id)


class SqlLoginThrottleRepository:
    """Throttle records of failed logins in the ``identity_login_throttles`` table,
    indexed by account."""

    def __init__(self, database: SqlEngine) -> None:
        self._table = SqlTable(
            database,
            "identity_login_throttles",
            LoginThrottle,
            key=lambda t: t.key,
            columns={
                "account_id": lambda t: t.account_id,
                "decayed_at_us": lambda t: micros(t.decayed_at),
            },
        )

    def add(self, throttle: LoginThrottle) -> None:
        """Store a new record (``AlreadyExists`` for a taken key)."""
        self._table.insert(throttle)

    def update(self, throttle: LoginThrottle) -> None:
        """Compare-and-set on ``throttle.version - 1`` (``ConcurrencyConflict``,
        ``NotFound``)."""
        self._table.compare_and_set(throttle, throttle.version - 1)

    def find(self, key: LoginThrottleKey) -> LoginThrottle | None:
        """The record under ``key``, or ``None``."""
        return self._table.find(key)

    def for_account(self, account_id: AccountId) -> Sequence[LoginThrottle]:
        """Every (account, source) record of ``account_id``, oldest first."""
        return self._table.select("account_id = ?", [account_id])

    def changed_before(self, cutoff: datetime) -> Sequence[LoginThrottle]:
        """Every record whose ``decayed_at`` is before ``cutoff``, and the records not
        written since migration ``identity_0007`` added the column (retention checks
        each one's own time).

        Raises:
            SelfcareError: ``time.naive_datetime`` for a naive ``cutoff``.
        """
        return self._table.select(
            "decayed_at_us < ? OR decayed_at_us IS NULL", values=[micros(cutoff, "cutoff")]
        )

    def delete(self, key: LoginThrottleKey) -> bool:
        """Remove the record under ``key``; whether it was there."""
        return self._table.delete(key)


def second_factors_table(database: SqlEngine, key: NationalIdKeyRing) -> SqlTable[SecondFactor]:
    """The ``identity_second_factors`` table (shared with the privacy index): the TOTP
    secret is sealed under the national identity code keys, bound to the row."""
    where = SealedAt("identity_second_factors", "", "secret")

    def seal(document: dict[str, Any]) -> None:
        at = attrs.evolve(where, row=str(document["account_id"]))
        document["secret"] = key.seal_secret(document["secret"], at)

    def unseal(document: dict[str, Any]) -> None:
        at = attrs.evolve(where, row=str(document["account_id"]))
        document["secret"] = key.unseal_secret(document["secret"], at)

    return SqlTable(
        database,
        "identity_second_factors",
        SecondFactor,
        key=lambda f: f.account_id,
        columns={
            "pending_login_digest": lambda f: (
                f.pending_login.token_digest if f.pending_login is not None else None
            )
        },
        on_write=seal,
        on_read=unseal,
    )


class SqlSecondFactorRepository:
    """TOTP second factors in the ``identity_second_factors`` table, keyed by account,
    the secret sealed, indexed by the digest of the pending login."""

    def __init__(self, database: SqlEngine, key: NationalIdKeys) -> None:
        self._table = second_factors_table(database, NationalIdKeyRing.of(key))

    def add(self, factor: SecondFactor) -> None:
        """Store a new factor (``AlreadyExists`` when the account has one)."""
        self._table.insert(factor)

    def update(self, factor: SecondFactor) -> None:
        """Compare-and-set on ``factor.version - 1`` (``ConcurrencyConflict``,
        ``NotFound``)."""
        self._table.compare_and_set(factor, factor.version - 1)

    def find(self, account_id: AccountId) -> SecondFactor | None:
        """The factor of ``account_id``, or ``None``."""
        return self._table.find(account_id)

    def find_by_pending_login(self, token_digest: str) -> SecondFactor | None:
        """The factor whose pending login has ``token_digest``, or ``None``."""
        return self._table.first("pending_login_digest = ?", [token_digest])

    def delete(self, account_id: AccountId) -> bool:
        """Remove the factor of ``account_id``; whether there was one."""
        return self._table.delete(account_id)


class IdentityRepositories:
    """The repositories of an identity unit of work (mixed into each engine's)."""

    accounts: AccountRepository
    registrations: RegistrationRepository
    login_throttles: LoginThrottleRepository
    second_factors: SecondFactorRepository

    def _open_identity(self, database: SqlEngine, key: NationalIdKeys) -> None:
        accounts = SqlAccountRepository(database, key)
        registrations = SqlRegistrationRepository(database, key)
        self._sealing = (accounts, registrations)
        self.accounts = accounts
        self.registrations = registrations
        self.login_throttles = SqlLoginThrottleRepository(database)
        self.second_factors = SqlSecondFactorRepository(database, key)

    def reseal_national_ids(self, *, rehash: bool = False) -> int:
        """Re-seal, under the current key of the ring, every national identity code
        sealed under a retired key; how many rows were rewritten.

        Run it inside this unit of work and commit, after giving the storage a ring
        whose current key is new and whose retired keys hold the old ones; once it
        returns 0, the old keys can go. Versions do not change (nothing the user sees
        changes), so it can run beside the service.

        Args:
            rehash: rewrite every row, also recomputing the lookup hashes - for a new
                lookup key, in a maintenance window (until it is done, finders by
                national identity code miss the rows not yet rewritten).
        """
        return sum(repository.reseal_national_ids(rehash=rehash) for repository in self._sealing)
