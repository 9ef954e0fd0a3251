"""The privacy stores of the SQL engines.

The personal-data index reads the domains' own tables through the columns their
migrations index for it (who granted, invited, accepted or ordered; when a registration
or invitation last changed); one-time code challenges, feedback and tombstones get
tables of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from selfcare.adapters._sql._queries import micros
from selfcare.adapters._sql._table import SqlEngine, SqlTable, forget_cached_documents
from selfcare.adapters._sql.authz import (
    SqlGrantRepository,
    SqlInvitationRepository,
    SqlRelationshipRepository,
    grants_table,
    invitations_table,
)
from selfcare.adapters._sql.billing import SqlInvoiceRepository
from selfcare.adapters._sql.catalog import SqlOrderRepository, orders_table
from selfcare.adapters._sql.identity import (
    IdentityRepositories,
    NationalIdKeys,
    accounts_table,
    registrations_table,
    second_factors_table,
)
from selfcare.authz.invitation import Invitation, InvitationId
from selfcare.authz.model import Grant
from selfcare.authz.ports import GrantRepository, InvitationRepository, RelationshipRepository
from selfcare.billing.ports import InvoiceRepository
from selfcare.catalog.orders import ProductOrder
from selfcare.catalog.ports import OrderRepository
from selfcare.core.ids import AccountId
from selfcare.identity.account import Feedback
from selfcare.identity.contact import EmailAddress, PhoneNumber
from selfcare.identity.national_id import NationalId
from selfcare.identity.national_id_at_rest import NationalIdKeyRing
from selfcare.identity.otp import OneTimeCodeChallenge
from selfcare.identity.ports import OneTimeCodeRepository
from selfcare.identity.registration import Registration
from selfcare.privacy.model import ErasedAccount
from selfcare.privacy.ports import (
    ErasureLog,
    FeedbackArchive,
    PersonalDataIndex,
)

__all__ = [
    "PrivacyRepositories",
    "SqlErasureLog",
    "SqlFeedbackArchive",
    "SqlOneTimeCodeRepository",
    "SqlPersonalDataIndex",
]


class SqlPersonalDataIndex:
    """The finders and deletes of export, erasure and retention, over the domains'
    tables."""

    def __init__(self, database: SqlEngine, key: NationalIdKeys) -> None:
        self._key = NationalIdKeyRing.of(key)
        self._accounts = accounts_table(database, self._key).table
        self._registrations = registrations_table(database, self._key).table
        self._second_factors = second_factors_table(database, self._key)
        self._grants = grants_table(database)
        self._invitations = invitations_table(database)
        self._orders = orders_table(database)

    def registrations_of_account(self, account_id: str) -> Sequence[Registration]:
        """The registrations that created ``account_id``, oldest first."""
        return self._registrations.select("account_id = ?", [account_id])

    def registrations_of_person(self, national_id: NationalId) -> Sequence[Registration]:
        """The registrations identified as, or claiming to be, ``national_id`` (by keyed
        hash), oldest first."""
        digest = self._key.lookup_hash(national_id)
        return self._registrations.select(
            "national_id_hash = ? OR claimed_national_id_hash = ?",
            [digest, digest],
        )

    def registrations_changed_before(self, cutoff: datetime) -> Sequence[Registration]:
        """The registrations whose ``updated_at`` is before ``cutoff``, oldest first.

        Raises:
            SelfcareError: ``time.naive_datetime`` for a naive ``cutoff``.
        """
        return self._registrations.select("updated_at_us < ?", values=[micros(cutoff, "cutoff")])

    def delete_registration(self, registration_id: str) -> bool:
        """Remove a registration; whether it was there."""
        return self._registrations.delete(registration_id)

    def delete_account(self, account_id: str) -> bool:
        """Remove an account (its e-mail address and national id become free) and its
        second factor."""
        self._second_factors.delete(account_id)
        return self._accounts.delete(account_id)

    def grants_given_by(self, account: AccountId) -> Sequence[Grant]:
        """The grants ``account`` gave or revoked, oldest first."""
        return self._grants.select("granted_by = ? OR revoked_by = ?", [account, account])

    def invitations_sent_by(self, account: AccountId) -> Sequence[Invitation]:
        """The invitations ``account`` sent, oldest first."""
        return self._invitations.select("invited_by = ?", [account])

    def invitations_accepted_by(self, account: AccountId) -> Sequence[Invitation]:
        """The invitations ``account`` accepted, oldest first."""
        return self._invitations.select("accepted_by = ?", [account])

    def invitations_created_before(self, cutoff: datetime) -> Sequence[Invitation]:
        """The invitations created before ``cutoff``, oldest first.

        Raises:
            SelfcareError: ``time.naive_datetime`` for a naive ``cutoff``.
        """
        return self._invitations.select("created_at_us < ?", values=[micros(cutoff, "cutoff")])

    def delete_invitation(self, invitation_id: InvitationId) -> bool:
        """Remove an invitation; whether it was there."""
        return self._invitations.delete(invitation_id)

    def orders_placed_by(self, account: AccountId) -> Sequence[ProductOrder]:
        """The orders ``account`` placed, oldest first."""
        return self._orders.select("placed_by = ?", [account])


class SqlOneTimeCodeRepository:
    """One-time code challenges in the ``privacy_one_time_codes`` table."""

    def __init__(self, database: SqlEngine) -> None:
        self._table = SqlTable(
            database,
            "privacy_one_time_codes",
            OneTimeCodeChallenge,
            key=lambda c: c.id,
            columns={
                "phone": lambda c: c.phone.e164,
                "issued_at_us": lambda c: micros(c.issued_at),
            },
        )

    def add(self, challenge: OneTimeCodeChallenge) -> None:
        """Store a new challenge; ``AlreadyExists`` when its id is taken."""
        self._table.insert(challenge)

    def update(self, challenge: OneTimeCodeChallenge) -> None:
        """Compare-and-set on ``challenge.version - 1`` (``ConcurrencyConflict``,
        ``NotFound``)."""
        self._table.compare_and_set(challenge, challenge.version - 1)

    def find(self, challenge_id: str) -> OneTimeCodeChallenge | None:
        """The challenge or ``None``."""
        return self._table.find(challenge_id)

    def for_phone(self, phone: PhoneNumber) -> Sequence[OneTimeCodeChallenge]:
        """Every challenge sent to ``phone`` (in E.164 form), oldest first."""
        return self._table.select("phone = ?", [phone.e164])

    def issued_before(self, cutoff: datetime) -> Sequence[OneTimeCodeChallenge]:
        """The challenges started before ``cutoff``, oldest first.

        Raises:
            SelfcareError: ``time.naive_datetime`` for a naive ``cutoff``.
        """
        return self._table.select("issued_at_us < ?", values=[micros(cutoff, "cutoff")])

    def delete(self, challenge_id: str) -> bool:
        """Remove a challenge; whether it was there."""
        return self._table.delete(challenge_id)


class SqlFeedbackArchive:
    """Feedback in the ``privacy_feedback`` table (also a
    :class:`~selfcare.identity.ports.FeedbackInbox`)."""

    def __init__(self, database: SqlEngine) -> None:
        self._table = SqlTable(
            database,
            "privacy_feedback",
            Feedback,
            key=lambda f: f.id,
            columns={
                "account_id": lambda f: f.account_id,
                "reply_email": lambda f: None if f.reply_email is None else f.reply_email.canonical,
                "reply_phone": lambda f: None if f.reply_phone is None else f.reply_phone.e164,
            },
        )

    def submit(self, feedback: Feedback) -> None:
        """Keep ``feedback``; ``AlreadyExists`` when its id is taken."""
        self._table.insert(feedback)

    def find(self, feedback_id: str) -> Feedback | None:
        """The feedback or ``None``."""
        return self._table.find(feedback_id)

    def for_account(self, account_id: str) -> Sequence[Feedback]:
        """The feedback sent while logged in as ``account_id``, oldest first."""
        return self._table.select("account_id = ?", [account_id])

    def for_contact(
        self, email: EmailAddress | None, phone: PhoneNumber | None
    ) -> Sequence[Feedback]:
        """The feedback whose reply address is ``email`` (case-insensitively) or whose
        reply phone is ``phone``, oldest first."""
        canonical = None if email is None else email.canonical
        e164 = None if phone is None else phone.e164
        # "= NULL" is never true in SQL, so an absent contact matches nothing.
        return self._table.select("reply_email = ? OR reply_phone = ?", [canonical, e164])

    def delete(self, feedback_id: str) -> bool:
        """Remove feedback; whether it was there."""
        return self._table.delete(feedback_id)


class SqlErasureLog:
    """Tombstones of erased accounts in the ``privacy_erasures`` table."""

    def __init__(self, database: SqlEngine) -> None:
        self._table = SqlTable(
            database, "privacy_erasures", ErasedAccount, key=lambda t: t.account_id
        )

    def add(self, tombstone: ErasedAccount) -> None:
        """Store a tombstone; ``AlreadyExists`` when the account has one."""
        self._table.insert(tombstone)

    def find(self, account_id: str) -> ErasedAccount | None:
        """The tombstone of ``account_id`` or ``None``."""
        return self._table.find(account_id)


class PrivacyRepositories(IdentityRepositories):
    """The stores of a privacy unit of work (mixed into each engine's): the identity
    repositories, grants, invitations, relationships, invoices, orders, one-time codes,
    feedback, tombstones and the index over them."""

    grants: GrantRepository
    invitations: InvitationRepository
    relationships: RelationshipRepository
    invoices: InvoiceRepository
    orders: OrderRepository
    one_time_codes: OneTimeCodeRepository
    feedback: FeedbackArchive
    erasures: ErasureLog
    index: PersonalDataIndex

    def _open_privacy(self, database: SqlEngine, key: NationalIdKeys) -> None:
        self._open_identity(database, key)
        self.grants = SqlGrantRepository(database)
        self.invitations = SqlInvitationRepository(database)
        self.relationships = SqlRelationshipRepository(database)
        self.invoices = SqlInvoiceRepository(database)
        self.orders = SqlOrderRepository(database)
        self.one_time_codes = SqlOneTimeCodeRepository(database)
        self.feedback = SqlFeedbackArchive(database)
        self.erasures = SqlErasureLog(database)
        self.index = SqlPersonalDataIndex(database, key)

    def after_erasure(self) -> None:
        """Drop the cached entities (see
        :meth:`~selfcare.privacy.ports.PrivacyUnitOfWork.after_erasure`); an engine adds
        what its files need."""
        forget_cached_documents()
