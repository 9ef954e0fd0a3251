"""PostgreSQL repositories of the identity use cases (accounts, registrations, login
throttles).

National identity codes never reach the database in clear (see
:mod:`selfcare.identity.national_id_at_rest`): every document holds the code sealed under the
operator's :class:`~selfcare.identity.national_id_at_rest.NationalIdKeyRing`, bound to
its table, row and field, and the only index on it is the keyed hash
:meth:`~selfcare.identity.national_id_at_rest.NationalIdKeyRing.lookup_hash` -
exactly as on SQLite, with the same keys. The key is therefore a required argument; keep it outside
the database (and outside its backups).
"""

from __future__ import annotations

from selfcare.adapters._sql.identity import (
    IdentityRepositories,
    NationalIdKeys,
    SqlAccountRepository,
    SqlLoginThrottleRepository,
    SqlRegistrationRepository,
    SqlSecondFactorRepository,
)
from selfcare.adapters.postgres._db import Migration, PostgresDatabase, PostgresUnitOfWork

__all__ = [
    "MIGRATIONS",
    "PostgresAccountRepository",
    "PostgresIdentityUnitOfWork",
    "PostgresLoginThrottleRepository",
    "PostgresRegistrationRepository",
    "PostgresSecondFactorRepository",
]

#: The identity schema, in order.
MIGRATIONS = (
    Migration(
        "identity_0001_accounts_and_registrations",
        """
        CREATE TABLE identity_accounts (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version BIGINT NOT NULL,
            data TEXT NOT NULL,
            email TEXT NOT NULL UNIQUE,
            national_id_hash TEXT NOT NULL UNIQUE
        );
        CREATE TABLE identity_registrations (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version BIGINT NOT NULL,
            data TEXT NOT NULL,
            national_id_hash TEXT,
            claimed_national_id_hash TEXT,
            account_id TEXT,
            updated_at_us BIGINT NOT NULL
        );
        CREATE INDEX identity_registrations_person
            ON identity_registrations (national_id_hash, seq);
        CREATE INDEX identity_registrations_claimed
            ON identity_registrations (claimed_national_id_hash, seq);
        CREATE INDEX identity_registrations_account ON identity_registrations (account_id, seq);
        CREATE INDEX identity_registrations_updated ON identity_registrations (updated_at_us)
        """,
    ),
    Migration(
        "identity_0002_login_throttles_and_unlock_links",
        """
        CREATE TABLE identity_login_throttles (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version BIGINT NOT NULL,
            data TEXT NOT NULL,
            account_id TEXT
        );
        CREATE INDEX identity_login_throttles_account
            ON identity_login_throttles (account_id, seq);
        ALTER TABLE identity_accounts ADD COLUMN unlock_token_digest TEXT;
        CREATE UNIQUE INDEX identity_accounts_unlock ON identity_accounts (unlock_token_digest)
        """,
    ),
    Migration(
        "identity_0003_second_factors",
        """
        CREATE TABLE identity_second_factors (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version BIGINT NOT NULL,
            data TEXT NOT NULL,
            pending_login_digest TEXT
        );
        CREATE UNIQUE INDEX identity_second_factors_pending
            ON identity_second_factors (pending_login_digest)
        """,
    ),
    Migration(
        "identity_0004_recovery_links",
        """
        ALTER TABLE identity_accounts ADD COLUMN recovery_token_digest TEXT;
        CREATE UNIQUE INDEX identity_accounts_recovery
            ON identity_accounts (recovery_token_digest)
        """,
    ),
    # The accepted terms of use move onto the account: the version and time come from
    # the account's registration record where one is kept (accounts without one load
    # with None and are asked to accept the terms in force); the pending login waits
    # for an acceptance.
    Migration(
        "identity_0005_terms_of_use",
        """
        ALTER TABLE identity_accounts ADD COLUMN pending_login_digest TEXT;
        CREATE UNIQUE INDEX identity_accounts_pending_login
            ON identity_accounts (pending_login_digest);
        UPDATE identity_accounts AS a
        SET data = (
            a.data::jsonb || jsonb_build_object(
                'terms_version', r.data::jsonb -> 'terms_version',
                'terms_accepted_at', r.data::jsonb -> 'terms_accepted_at'
            )
        )::text
        FROM identity_registrations AS r
        WHERE r.account_id = a.key
            AND r.data::jsonb ->> 'terms_version' IS NOT NULL
            AND a.data::jsonb ->> 'terms_version' IS NULL
        """,
    ),
    Migration(
        "identity_0006_work_accounts",
        """
        ALTER TABLE identity_accounts ADD COLUMN work_account_key TEXT;
        CREATE UNIQUE INDEX identity_accounts_work_account
            ON identity_accounts (work_account_key)
        """,
    ),
    Migration(
        "identity_0007_login_throttle_ages",
        """
        -- Retention finds the records at rest by when they last changed. Rows written
        -- before stay NULL until their next change, and are checked each night.
        ALTER TABLE identity_login_throttles ADD COLUMN decayed_at_us BIGINT;
        CREATE INDEX identity_login_throttles_decayed
            ON identity_login_throttles (decayed_at_us)
        """,
    ),
)


class PostgresAccountRepository(SqlAccountRepository):
    """Accounts in the ``identity_accounts`` table, unique by id, by case-folded e-mail
    address and by person (the keyed hash of the national identity code)."""


class PostgresRegistrationRepository(SqlRegistrationRepository):
    """Registrations in the ``identity_registrations`` table (national identity codes
    sealed, indexed by keyed hash)."""


class PostgresLoginThrottleRepository(SqlLoginThrottleRepository):
    """Throttle records of failed logins in the ``identity_login_throttles`` table."""


class PostgresSecondFactorRepository(SqlSecondFactorRepository):
    """TOTP second factors in the ``identity_second_factors`` table (the secret
    sealed)."""


class PostgresIdentityUnitOfWork(IdentityRepositories, PostgresUnitOfWork):
    """A unit of work (one transaction) over the identity repositories of a database.

    Args:
        database: the opened database (:func:`~selfcare.adapters.postgres.open_database`).
        key: the operator key that seals and hashes national identity codes.
    """

    def __init__(self, database: PostgresDatabase, key: NationalIdKeys) -> None:
        super().__init__(database)
        self._open_identity(database, key)
