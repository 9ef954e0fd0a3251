"""PostgreSQL stores of :mod:`selfcare.privacy` and its unit of work.

The personal-data index reads the domains' own tables through the columns their
migrations index for it; one-time code challenges, feedback and tombstones get tables
of their own. A deleted row stays in the table's files until ``VACUUM`` reuses its
space, and in the write-ahead log until it is recycled: see "Running on PostgreSQL" in
the documentation for what erasure needs on the server.
"""

from __future__ import annotations

from selfcare.adapters._sql.identity import NationalIdKeys
from selfcare.adapters._sql.privacy import (
    PrivacyRepositories,
    SqlErasureLog,
    SqlFeedbackArchive,
    SqlOneTimeCodeRepository,
    SqlPersonalDataIndex,
)
from selfcare.adapters.postgres._db import Migration, PostgresDatabase, PostgresUnitOfWork

__all__ = [
    "MIGRATIONS",
    "PostgresErasureLog",
    "PostgresFeedbackArchive",
    "PostgresOneTimeCodeRepository",
    "PostgresPersonalDataIndex",
    "PostgresPrivacyUnitOfWork",
]

#: The privacy schema, in order (it relies on the columns of the other domains).
MIGRATIONS = (
    Migration(
        "privacy_0001_one_time_codes_feedback_erasures",
        """
        CREATE TABLE privacy_one_time_codes (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version BIGINT NOT NULL,
            data TEXT NOT NULL,
            phone TEXT NOT NULL,
            issued_at_us BIGINT NOT NULL
        );
        CREATE INDEX privacy_one_time_codes_phone ON privacy_one_time_codes (phone, seq);
        CREATE INDEX privacy_one_time_codes_issued ON privacy_one_time_codes (issued_at_us);
        CREATE TABLE privacy_feedback (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version BIGINT NOT NULL,
            data TEXT NOT NULL,
            account_id TEXT,
            reply_email TEXT,
            reply_phone TEXT
        );
        CREATE INDEX privacy_feedback_account ON privacy_feedback (account_id, seq);
        CREATE INDEX privacy_feedback_email ON privacy_feedback (reply_email, seq);
        CREATE INDEX privacy_feedback_phone ON privacy_feedback (reply_phone, seq);
        CREATE TABLE privacy_erasures (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version BIGINT NOT NULL,
            data TEXT NOT NULL
        )
        """,
    ),
)


class PostgresPersonalDataIndex(SqlPersonalDataIndex):
    """The finders and deletes of export, erasure and retention, over the domains'
    tables."""


class PostgresOneTimeCodeRepository(SqlOneTimeCodeRepository):
    """One-time code challenges in the ``privacy_one_time_codes`` table."""


class PostgresFeedbackArchive(SqlFeedbackArchive):
    """Feedback in the ``privacy_feedback`` table (also a
    :class:`~selfcare.identity.ports.FeedbackInbox`)."""


class PostgresErasureLog(SqlErasureLog):
    """Tombstones of erased accounts in the ``privacy_erasures`` table."""


class PostgresPrivacyUnitOfWork(PrivacyRepositories, PostgresUnitOfWork):
    """A unit of work (one transaction) over every store that holds personal data: the
    identity repositories (it takes the arguments of
    :class:`~selfcare.adapters.postgres.PostgresIdentityUnitOfWork`), grants, invitations,
    orders, one-time codes, feedback, tombstones and the index over them."""

    def __init__(self, database: PostgresDatabase, key: NationalIdKeys) -> None:
        super().__init__(database)
        self._open_privacy(database, key)
