"""Ports of selfcare.privacy: what export, erasure and retention read and remove.

:class:`PrivacyUnitOfWork` bundles the repositories of the domains (their own
protocols: accounts, registrations, grants, invitations, orders) with what only privacy
needs:

- :class:`PersonalDataIndex` - the finders across domains ("every invitation this
  account sent") and the deletes (a domain repository never deletes);
- :class:`~selfcare.identity.ports.OneTimeCodeRepository` - the one-time code
  challenges of the corporate mobile guide, kept between sending and verifying a code (an identity
  port);
- :class:`~selfcare.identity.ports.LoginThrottleRepository` - the failed-login
  counters of the account (identity's port), which erasure deletes;
- :class:`FeedbackArchive` - the feedback handed to customer service (it is also a
  :class:`~selfcare.identity.ports.FeedbackInbox`: give it to
  :class:`~selfcare.identity.service.IdentityService` as its inbox);
- :class:`ErasureLog` - the tombstones of erased accounts;
- the customer relationships and invoices (authz's and billing's ports), which the
  summary before closing an account reads (invoices are kept by law).

Closing one's own account also needs an :class:`AccountAuthenticator`: the password
check and the second factor's step-up of identity
(:class:`~selfcare.identity.service.IdentityService` is one).

The memory adapters are in :mod:`selfcare.adapters.memory.privacy`; the contract
suites for yours in :mod:`selfcare.testing.contracts.privacy`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from selfcare.authz.invitation import Invitation, InvitationId
from selfcare.authz.model import Grant
from selfcare.authz.ports import GrantRepository, InvitationRepository, RelationshipRepository
from selfcare.billing.ports import InvoiceRepository
from selfcare.catalog.orders import ProductOrder
from selfcare.catalog.ports import OrderRepository
from selfcare.core.ids import AccountId
from selfcare.core.outcome import Outcome
from selfcare.core.ports import UnitOfWork
from selfcare.identity.account import Feedback
from selfcare.identity.contact import EmailAddress, PhoneNumber
from selfcare.identity.ids import LoginSource
from selfcare.identity.national_id import NationalId
from selfcare.identity.ports import (
    AccountRepository,
    LoginThrottleRepository,
    OneTimeCodeRepository,
    RegistrationRepository,
    SecondFactorRepository,
)
from selfcare.identity.registration import Registration
from selfcare.privacy.model import ErasedAccount

__all__ = [
    "AccountAuthenticator",
    "ErasureLog",
    "FeedbackArchive",
    "PersonalDataIndex",
    "PrivacyUnitOfWork",
]


class PersonalDataIndex(Protocol):
    """Finders across the domains' stores, and the deletes of erasure and retention.

    Every finder returns oldest first; every delete returns whether the record was
    there (deleting twice is not an error).
    """

    def registrations_of_account(self, account_id: str) -> Sequence[Registration]:
        """The registrations that created ``account_id``."""
        ...

    def registrations_of_person(self, national_id: NationalId) -> Sequence[Registration]:
        """The registrations identified as, or claiming to be, ``national_id``."""
        ...

    def registrations_changed_before(self, cutoff: datetime) -> Sequence[Registration]:
        """The registrations whose last step (``updated_at``) was before ``cutoff``."""
        ...

    def delete_registration(self, registration_id: str) -> bool:
        """Remove a registration."""
        ...

    def delete_account(self, account_id: str) -> bool:
        """Remove an account (its e-mail address and national id become free)."""
        ...

    def grants_given_by(self, account: AccountId) -> Sequence[Grant]:
        """The grants ``account`` gave (``granted_by``) or revoked (``revoked_by``)."""
        ...

    def invitations_sent_by(self, account: AccountId) -> Sequence[Invitation]:
        """The invitations ``account`` sent (``invited_by``)."""
        ...

    def invitations_accepted_by(self, account: AccountId) -> Sequence[Invitation]:
        """The invitations ``account`` accepted (``accepted_by``)."""
        ...

    def invitations_created_before(self, cutoff: datetime) -> Sequence[Invitation]:
        """The invitations created before ``cutoff``."""
        ...

    def delete_invitation(self, invitation_id: InvitationId) -> bool:
        """Remove an invitation."""
        ...

    def orders_placed_by(self, account: AccountId) -> Sequence[ProductOrder]:
        """The orders ``account`` placed (``placed_by``)."""
        ...


class AccountAuthenticator(Protocol):
    """What closing an account asks identity before it erases anything
    (:class:`~selfcare.identity.service.IdentityService` is one)."""

    def verify_password(
        self, account_id: AccountId, password: str, *, source: LoginSource
    ) -> Outcome[None]:
        """Whether ``password`` is the account's; a wrong one counts as a failed login
        from ``source`` (see
        :meth:`~selfcare.identity.login_use_cases.LoginUseCases.verify_password`)."""
        ...

    def require_step_up(self, account_id: AccountId) -> Outcome[None]:
        """Whether an account with a second factor verified a code recently enough for
        a sensitive change (see
        :meth:`~selfcare.identity.second_factor_use_cases.SecondFactorUseCases.require_step_up`)."""
        ...


class FeedbackArchive(Protocol):
    """Feedback kept for customer service (and a
    :class:`~selfcare.identity.ports.FeedbackInbox`)."""

    def submit(self, feedback: Feedback) -> None:
        """Keep ``feedback``; ``AlreadyExists`` when its id is taken."""
        ...

    def find(self, feedback_id: str) -> Feedback | None:
        """The feedback or ``None``."""
        ...

    def for_account(self, account_id: str) -> Sequence[Feedback]:
        """The feedback sent while logged in as ``account_id``, oldest first."""
        ...

    def for_contact(
        self, email: EmailAddress | None, phone: PhoneNumber | None
    ) -> Sequence[Feedback]:
        """The feedback whose reply address is ``email`` (case-insensitively) or whose
        reply phone is ``phone``, oldest first."""
        ...

    def delete(self, feedback_id: str) -> bool:
        """Remove feedback; whether it was there."""
        ...


class ErasureLog(Protocol):
    """Tombstones of erased accounts, unique by account id."""

    def add(self, tombstone: ErasedAccount) -> None:
        """Store a tombstone; ``AlreadyExists`` when the account has one."""
        ...

    def find(self, account_id: str) -> ErasedAccount | None:
        """The tombstone of ``account_id`` or ``None``."""
        ...


class PrivacyUnitOfWork(UnitOfWork, Protocol):
    """A transaction over every store that holds personal data."""

    accounts: AccountRepository
    registrations: RegistrationRepository
    grants: GrantRepository
    invitations: InvitationRepository
    orders: OrderRepository
    relationships: RelationshipRepository
    invoices: InvoiceRepository
    one_time_codes: OneTimeCodeRepository
    login_throttles: LoginThrottleRepository
    second_factors: SecondFactorRepository
    feedback: FeedbackArchive
    erasures: ErasureLog
    index: PersonalDataIndex

    def after_erasure(self) -> None:
        """Remove what the storage still keeps of the records an erasure deleted,
        beyond the tables: copies in caches, in a write-ahead log, in free pages.

        :meth:`~selfcare.privacy.service.PrivacyService.erase_account` calls it after
        the erasure's unit of work has ended (committed). Storage that keeps nothing
        beyond its tables does nothing; what an engine cannot remove itself (backups,
        PostgreSQL's dead row versions until ``VACUUM``) is the operator's to do
        (:doc:`/guides/privacy`).
        """
        ...
