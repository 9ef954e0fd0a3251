"""SQLite stores of :mod:`selfcare.privacy` and its unit of work.

The personal-data index reads the domains' own tables through the columns their
migrations index for it (who granted, invited, accepted or ordered; when a registration
or invitation last changed); one-time code challenges, feedback and tombstones get
tables of their own.

>>> import os
>>> from selfcare.adapters.sqlite.schema import open_database
>>> from selfcare.identity.national_id_at_rest import NationalIdKey
>>> uow = SqlitePrivacyUnitOfWork(open_database(":memory:"), NationalIdKey(os.urandom(32)))
>>> with uow:
...     uow.erasures.find("nobody") is None
True
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
from selfcare.adapters.sqlite._db import Migration, SqliteDatabase, SqliteUnitOfWork

__all__ = [
    "MIGRATIONS",
    "SqliteErasureLog",
    "SqliteFeedbackArchive",
    "SqliteOneTimeCodeRepository",
    "SqlitePersonalDataIndex",
    "SqlitePrivacyUnitOfWork",
]

#: The privacy schema, in order (it relies on the columns of the other domains).
MIGRATIONS = (
    Migration(
        "privacy_0001_one_time_codes_feedback_erasures",
        """
        CREATE TABLE privacy_one_time_codes (
            seq INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            phone TEXT NOT NULL,
            issued_at_us INTEGER NOT NULL
        );
        CREATE INDEX privacy_one_time_codes_phone ON privacy_one_time_codes (phone, seq);
        CREATE INDEX privacy_one_time_codes_issued ON privacy_one_time_codes (issued_at_us);
        CREATE TABLE privacy_feedback (
            seq INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            account_id TEXT,
            reply_email TEXT,
            reply_phone TEXT
        );
        CREATE INDEX privacy_feedback_account ON privacy_feedback (account_id, seq);
        CREATE INDEX privacy_feedback_email ON privacy_feedback (reply_email, seq);
        CREATE INDEX privacy_feedback_phone ON privacy_feedback (reply_phone, seq);
        CREATE TABLE privacy_erasures (
            seq INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version INTEGER NOT NULL,
            data TEXT NOT NULL
        )
        """,
    ),
)


class SqlitePersonalDataIndex(SqlPersonalDataIndex):
    """The finders and deletes of export, erasure and retention, over the domains'
    tables."""


class SqliteOneTimeCodeRepository(SqlOneTimeCodeRepository):
    """One-time code challenges in the ``privacy_one_time_codes`` table."""


class SqliteFeedbackArchive(SqlFeedbackArchive):
    """Feedback in the ``privacy_feedback`` table (also a
    :class:`~selfcare.identity.ports.FeedbackInbox`)."""


class SqliteErasureLog(SqlErasureLog):
    """Tombstones of erased accounts in the ``privacy_erasures`` table."""


class SqlitePrivacyUnitOfWork(PrivacyRepositories, SqliteUnitOfWork):
    """A unit of work (one transaction) over every store that holds personal data: the
    identity repositories (it takes the arguments of
    :class:`~selfcare.adapters.sqlite.SqliteIdentityUnitOfWork`), grants, invitations,
    orders, one-time codes, feedback, tombstones and the index over them."""

    def __init__(self, database: SqliteDatabase, key: NationalIdKeys) -> None:
        super().__init__(database)
        self._open_privacy(database, key)

    def after_erasure(self) -> None:
        """Drop the cached entities and copy the write-ahead log into the database file,
        then empty it (``wal_checkpoint(TRUNCATE)``): deleted rows were overwritten
        with zeros (``secure_delete``), and the log's older page images go with it.

        A connection of another thread (or process) in the middle of a read keeps the
        log from being emptied now; the next checkpoint after it finishes does it.
        """
        super().after_erasure()
        if self.database.depth == 0:
            self.database.checkpoint()
