"""In-memory implementations of the privacy ports, over the same
:class:`~selfcare.adapters.memory.MemoryDatabase` tables as the domain repositories.

>>> from selfcare.adapters.memory import MemoryDatabase
>>> MemoryPrivacyUnitOfWork(MemoryDatabase()).erasures.find("nobody") is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from selfcare.adapters.memory._store import MemoryDatabase, MemoryTable
from selfcare.adapters.memory.authz import (
    MemoryGrantRepository,
    MemoryInvitationRepository,
    MemoryRelationshipRepository,
)
from selfcare.adapters.memory.billing import MemoryInvoiceRepository
from selfcare.adapters.memory.catalog import MemoryOrderRepository
from selfcare.adapters.memory.identity import MemoryIdentityUnitOfWork
from selfcare.authz.invitation import Invitation, InvitationId
from selfcare.authz.model import Grant
from selfcare.authz.ports import GrantRepository, InvitationRepository, RelationshipRepository
from selfcare.billing.ports import InvoiceRepository
from selfcare.catalog.orders import ProductOrder
from selfcare.catalog.ports import OrderRepository
from selfcare.core.ids import AccountId
from selfcare.identity.account import Account, Feedback
from selfcare.identity.contact import EmailAddress, PhoneNumber
from selfcare.identity.national_id import NationalId
from selfcare.identity.otp import OneTimeCodeChallenge
from selfcare.identity.ports import (
    OneTimeCodeRepository,
)
from selfcare.identity.registration import Registration
from selfcare.identity.second_factor import SecondFactor
from selfcare.privacy.model import ErasedAccount
from selfcare.privacy.ports import (
    ErasureLog,
    FeedbackArchive,
    PersonalDataIndex,
)

__all__ = [
    "MemoryErasureLog",
    "MemoryFeedbackArchive",
    "MemoryOneTimeCodeRepository",
    "MemoryPersonalDataIndex",
    "MemoryPrivacyUnitOfWork",
]


def _same_person(left: NationalId | None, right: NationalId) -> bool:
    return left is not None and left.country == right.country and left.compact == right.compact


class MemoryPersonalDataIndex:
    """The cross-domain finders and the deletes, over the domain tables."""

    def __init__(self, database: MemoryDatabase) -> None:
        self._accounts = cast("MemoryTable[str, Account]", database.table("accounts"))
        self._registrations = cast(
            "MemoryTable[str, Registration]", database.table("registrations")
        )
        self._grants = cast("MemoryTable[str, Grant]", database.table("authz_grants"))
        self._invitations = cast(
            "MemoryTable[str, Invitation]", database.table("authz_invitations")
        )
        self._orders = cast("MemoryTable[str, ProductOrder]", database.table("catalog_orders"))
        self._second_factors = cast(
            "MemoryTable[str, SecondFactor]", database.table("second_factors")
        )
        self._registrations.index("account", lambda r: (r.account_id,))
        self._grants.index("given_by", lambda g: (g.granted_by, g.revoked_by))
        self._invitations.index("invited_by", lambda i: (i.invited_by,))
        self._invitations.index("accepted_by", lambda i: (i.accepted_by,))
        self._orders.index("placed_by", lambda o: (o.placed_by,))

    def registrations_of_account(self, account_id: str) -> Sequence[Registration]:
        """The registrations that created ``account_id``."""
        return self._registrations.lookup("account", account_id)

    def registrations_of_person(self, national_id: NationalId) -> Sequence[Registration]:
        """The registrations identified as, or claiming to be, ``national_id``."""
        return self._registrations.scan(
            lambda r: (
                _same_person(r.national_id, national_id)
                or _same_person(r.claimed_national_id, national_id)
            )
        )

    def registrations_changed_before(self, cutoff: datetime) -> Sequence[Registration]:
        """The registrations whose last step was before ``cutoff``."""
        return self._registrations.scan(lambda r: r.updated_at < cutoff)

    def delete_registration(self, registration_id: str) -> bool:
        """Remove a registration."""
        return self._registrations.delete(registration_id)

    def delete_account(self, account_id: str) -> bool:
        """Remove an account and its second factor."""
        self._second_factors.delete(account_id)
        return self._accounts.delete(account_id)

    def grants_given_by(self, account: AccountId) -> Sequence[Grant]:
        """The grants ``account`` gave or revoked."""
        return self._grants.lookup("given_by", account)

    def invitations_sent_by(self, account: AccountId) -> Sequence[Invitation]:
        """The invitations ``account`` sent."""
        return self._invitations.lookup("invited_by", account)

    def invitations_accepted_by(self, account: AccountId) -> Sequence[Invitation]:
        """The invitations ``account`` accepted."""
        return self._invitations.lookup("accepted_by", account)

    def invitations_created_before(self, cutoff: datetime) -> Sequence[Invitation]:
        """The invitations created before ``cutoff``."""
        return self._invitations.scan(lambda i: i.created_at < cutoff)

    def delete_invitation(self, invitation_id: InvitationId) -> bool:
        """Remove an invitation."""
        return self._invitations.delete(invitation_id)

    def orders_placed_by(self, account: AccountId) -> Sequence[ProductOrder]:
        """The orders ``account`` placed."""
        return self._orders.lookup("placed_by", account)


class MemoryOneTimeCodeRepository:
    """One-time code challenges in the ``otp_challenges`` table."""

    def __init__(self, database: MemoryDatabase) -> None:
        self._table = cast(
            "MemoryTable[str, OneTimeCodeChallenge]", database.table("otp_challenges")
        )

    def add(self, challenge: OneTimeCodeChallenge) -> None:
        """Store a new challenge (``AlreadyExists`` for a taken id)."""
        self._table.insert(challenge.id, challenge)

    def update(self, challenge: OneTimeCodeChallenge) -> None:
        """Compare-and-set on ``challenge.version - 1``."""
        self._table.compare_and_set(challenge.id, challenge, challenge.version - 1)

    def find(self, challenge_id: str) -> OneTimeCodeChallenge | None:
        """The challenge or ``None``."""
        return self._table.find(challenge_id)

    def for_phone(self, phone: PhoneNumber) -> Sequence[OneTimeCodeChallenge]:
        """Every challenge sent to ``phone``, oldest first."""
        return self._table.scan(lambda c: c.phone.e164 == phone.e164)

    def issued_before(self, cutoff: datetime) -> Sequence[OneTimeCodeChallenge]:
        """The challenges started before ``cutoff``."""
        return self._table.scan(lambda c: c.issued_at < cutoff)

    def delete(self, challenge_id: str) -> bool:
        """Remove a challenge."""
        return self._table.delete(challenge_id)


class MemoryFeedbackArchive:
    """Feedback in the ``feedback`` table; also a
    :class:`~selfcare.identity.ports.FeedbackInbox`."""

    def __init__(self, database: MemoryDatabase) -> None:
        self._table = cast("MemoryTable[str, Feedback]", database.table("feedback"))
        self._table.index("account", lambda f: (f.account_id,))

    def submit(self, feedback: Feedback) -> None:
        """Keep ``feedback`` (``AlreadyExists`` for a taken id)."""
        self._table.insert(feedback.id, feedback)

    def find(self, feedback_id: str) -> Feedback | None:
        """The feedback or ``None``."""
        return self._table.find(feedback_id)

    def for_account(self, account_id: str) -> Sequence[Feedback]:
        """The feedback sent as ``account_id``."""
        return self._table.lookup("account", account_id)

    def for_contact(
        self, email: EmailAddress | None, phone: PhoneNumber | None
    ) -> Sequence[Feedback]:
        """The feedback with ``email`` or ``phone`` as its reply contact."""
        return self._table.scan(
            lambda f: (
                (email is not None and f.reply_email == email)
                or (
                    phone is not None
                    and f.reply_phone is not None
                    and f.reply_phone.e164 == phone.e164
                )
            )
        )

    def delete(self, feedback_id: str) -> bool:
        """Remove feedback."""
        return self._table.delete(feedback_id)


class MemoryErasureLog:
    """Tombstones in the ``privacy_erasures`` table."""

    def __init__(self, database: MemoryDatabase) -> None:
        self._table = cast("MemoryTable[str, ErasedAccount]", database.table("privacy_erasures"))

    def add(self, tombstone: ErasedAccount) -> None:
        """Store a tombstone (``AlreadyExists`` when the account has one)."""
        self._table.insert(tombstone.account_id, tombstone)

    def find(self, account_id: str) -> ErasedAccount | None:
        """The tombstone of ``account_id`` or ``None``."""
        return self._table.find(account_id)


class MemoryPrivacyUnitOfWork(MemoryIdentityUnitOfWork):
    """A unit of work over every store that holds personal data: the identity
    repositories, grants, invitations, relationships, invoices, orders, one-time codes,
    feedback, tombstones and the index over them."""

    def __init__(self, database: MemoryDatabase) -> None:
        super().__init__(database)
        # Annotated with the ports so that this class is a PrivacyUnitOfWork for mypy
        # (protocol attributes are mutable, hence invariant).
        self.grants: GrantRepository = MemoryGrantRepository(database)
        self.invitations: InvitationRepository = MemoryInvitationRepository(database)
        self.relationships: RelationshipRepository = MemoryRelationshipRepository(database)
        self.invoices: InvoiceRepository = MemoryInvoiceRepository(database)
        self.orders: OrderRepository = MemoryOrderRepository(database)
        self.one_time_codes: OneTimeCodeRepository = MemoryOneTimeCodeRepository(database)
        self.feedback: FeedbackArchive = MemoryFeedbackArchive(database)
        self.erasures: ErasureLog = MemoryErasureLog(database)
        self.index: PersonalDataIndex = MemoryPersonalDataIndex(database)

    def after_erasure(self) -> None:
        """Nothing to do: the tables hold the entities themselves, and a deleted one is
        gone from them (no cache, no log)."""
