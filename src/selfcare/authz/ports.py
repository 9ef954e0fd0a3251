"""Ports of selfcare.authz: the repositories and directories you implement.

Repositories follow the library's conventions (:mod:`selfcare.core.ports`): ``add``
raises :class:`~selfcare.core.errors.AlreadyExists` for a taken id, ``update`` is a
compare-and-set on ``entity.version - 1`` raising
:class:`~selfcare.core.errors.ConcurrencyConflict` (or
:class:`~selfcare.core.errors.NotFound`), ``find`` returns ``None`` when absent. The
contract suites in :mod:`selfcare.testing.contracts.authz` check an implementation.

"Fetch other contracts" reads the operator's customer system through the identity
layer's :class:`~selfcare.identity.ports.CustomerDirectory`.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Protocol, Self

from selfcare.authz.invitation import Invitation, InvitationId
from selfcare.authz.invitee import AccountContact, RegisteredAccount
from selfcare.authz.model import CustomerRelationship, Grant, GrantId
from selfcare.core.ids import AccountId, CustomerNumber, RelationshipId
from selfcare.core.ports import UnitOfWork
from selfcare.identity.contact import EmailAddress
from selfcare.identity.national_id import NationalId

__all__ = [
    "AccountDirectory",
    "AuthzUnitOfWork",
    "GrantRepository",
    "InvitationRepository",
    "RelationshipRepository",
]


class GrantRepository(Protocol):
    """Grants, by id, by user and by relationship."""

    def add(self, grant: Grant) -> None:
        """Store a new grant; ``AlreadyExists`` when its id is taken."""
        ...

    def update(self, grant: Grant) -> None:
        """Compare-and-set on ``grant.version - 1``; ``ConcurrencyConflict``/``NotFound``."""
        ...

    def find(self, grant_id: GrantId) -> Grant | None:
        """The grant or ``None``."""
        ...

    def for_user(self, user: AccountId) -> Sequence[Grant]:
        """Every grant (active or not) of ``user``, oldest first (in the order they
        were added)."""
        ...

    def for_relationship(self, relationship: RelationshipId) -> Sequence[Grant]:
        """Every grant (active or not) on ``relationship``, oldest first (in the order they
        were added)."""
        ...

    def for_user_and_relationship(
        self, user: AccountId, relationship: RelationshipId
    ) -> Sequence[Grant]:
        """Every grant (active or not) of ``user`` on ``relationship``, oldest first: what
        a permission check reads, found through an index whatever the table holds."""
        ...


class InvitationRepository(Protocol):
    """Invitations, by id, by token hash, by relationship and by invited address."""

    def add(self, invitation: Invitation) -> None:
        """Store a new invitation; ``AlreadyExists`` when its id is taken."""
        ...

    def update(self, invitation: Invitation) -> None:
        """Compare-and-set on ``invitation.version - 1``."""
        ...

    def find(self, invitation_id: InvitationId) -> Invitation | None:
        """The invitation or ``None``."""
        ...

    def find_by_token_hash(self, token_hash: str) -> Invitation | None:
        """The invitation whose current token has this hash, or ``None``."""
        ...

    def for_relationship(self, relationship: RelationshipId) -> Sequence[Invitation]:
        """Every invitation of ``relationship``, oldest first (in the order they
        were added)."""
        ...

    def for_email(self, email: EmailAddress) -> Sequence[Invitation]:
        """Every invitation sent to ``email`` (compared case-insensitively), oldest first (in the
        order they were added)."""
        ...

    def for_relationship_and_email(
        self, relationship: RelationshipId, email: EmailAddress
    ) -> Sequence[Invitation]:
        """Every invitation of ``relationship`` sent to ``email`` (compared
        case-insensitively), oldest first: what the check for a pending duplicate reads."""
        ...


class RelationshipRepository(Protocol):
    """Customer relationships, by id and by customer number (unique)."""

    def add(self, relationship: CustomerRelationship) -> None:
        """Store a new relationship; ``AlreadyExists`` when its id or customer number
        is taken."""
        ...

    def find(self, relationship_id: RelationshipId) -> CustomerRelationship | None:
        """The relationship or ``None``."""
        ...

    def find_by_customer_number(self, number: CustomerNumber) -> CustomerRelationship | None:
        """The relationship of ``number`` or ``None``."""
        ...


class AccountDirectory(Protocol):
    """What authz needs to know about accounts (implemented over selfcare.identity or
    your own user store)."""

    def verified_email(self, account: AccountId) -> EmailAddress | None:
        """The account's e-mail address if it has been verified, else ``None``."""
        ...

    def verified_national_id(self, account: AccountId) -> NationalId | None:
        """The identity code the account's owner proved with strong identification when
        registering, or ``None`` (an unknown account, or one without a code, such as a
        work account).

        Only :meth:`~selfcare.authz.service.AuthzService.link_customer_relationships`
        calls it, to compare with a fresh identification; never pass it a code a
        caller typed.
        """

    def find(self, account: AccountId) -> AccountContact | None:
        """The account's names, verified address and language, or ``None`` for an
        unknown account: the inviter's name in an invitation, the recipient of an order
        confirmation."""
        ...

    def find_by_email(self, email: EmailAddress) -> RegisteredAccount | None:
        """The account registered with ``email`` (case-insensitively), or ``None``.

        Only :meth:`~selfcare.authz.service.AuthzService.propose_invitee_name` calls it, behind the
        operator's opt-in.
        """
        ...


class AuthzUnitOfWork(UnitOfWork, Protocol):
    """A unit of work over the authz repositories.

    :meth:`reading` opens it for a use case that only reads (a permission check): the
    shipped adapters then take no write lock and, on PostgreSQL, need no ``BEGIN``.
    """

    grants: GrantRepository
    invitations: InvitationRepository
    relationships: RelationshipRepository

    def reading(self) -> AbstractContextManager[Self]:
        """This unit of work, opened for reading only (a write in it is a bug); inside
        another unit of work it joins that one."""
        ...
