"""In-memory repositories of selfcare.authz, on a :class:`MemoryDatabase`.

>>> from selfcare.adapters.memory import MemoryDatabase
>>> uow = MemoryAuthzUnitOfWork(MemoryDatabase())
>>> with uow:
...     uow.relationships.find(RelationshipId("nope")) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import attrs

from selfcare.adapters.memory._store import MemoryDatabase, MemoryTable, MemoryUnitOfWork
from selfcare.authz.invitation import Invitation, InvitationId
from selfcare.authz.invitee import AccountContact, RegisteredAccount
from selfcare.authz.model import CustomerRelationship, Grant, GrantId
from selfcare.authz.ports import GrantRepository, InvitationRepository, RelationshipRepository
from selfcare.core.decision import Violation
from selfcare.core.errors import AlreadyExists
from selfcare.core.ids import AccountId, CustomerNumber, RelationshipId
from selfcare.identity.contact import EmailAddress
from selfcare.identity.national_id import NationalId
from selfcare.identity.profile import Language

__all__ = [
    "MemoryAccountDirectory",
    "MemoryAuthzUnitOfWork",
    "MemoryGrantRepository",
    "MemoryInvitationRepository",
    "MemoryRelationshipRepository",
]


class MemoryGrantRepository:
    """Grants in the ``authz_grants`` table."""

    def __init__(self, database: MemoryDatabase) -> None:
        self._table = cast("MemoryTable[str, Grant]", database.table("authz_grants"))
        self._table.index("user", lambda g: (g.user,))
        self._table.index("relationship", lambda g: (g.relationship_id,))
        self._table.index("user_relationship", lambda g: ((g.user, g.relationship_id),))

    def add(self, grant: Grant) -> None:
        """Store a new grant (``AlreadyExists`` for a taken id)."""
        self._table.insert(grant.id, grant)

    def update(self, grant: Grant) -> None:
        """Compare-and-set on ``grant.version - 1``."""
        self._table.compare_and_set(grant.id, grant, grant.version - 1)

    def find(self, grant_id: GrantId) -> Grant | None:
        """The grant or ``None``."""
        return self._table.find(grant_id)

    def for_user(self, user: AccountId) -> Sequence[Grant]:
        """Every grant of ``user``, oldest first."""
        return self._table.lookup("user", user)

    def for_relationship(self, relationship: RelationshipId) -> Sequence[Grant]:
        """Every grant on ``relationship``, oldest first."""
        return self._table.lookup("relationship", relationship)

    def for_user_and_relationship(
        self, user: AccountId, relationship: RelationshipId
    ) -> Sequence[Grant]:
        """Every grant of ``user`` on ``relationship``, oldest first."""
        return self._table.lookup("user_relationship", (user, relationship))


class MemoryInvitationRepository:
    """Invitations in the ``authz_invitations`` table."""

    def __init__(self, database: MemoryDatabase) -> None:
        self._table = cast("MemoryTable[str, Invitation]", database.table("authz_invitations"))
        self._table.index("token", lambda i: (i.token_hash,))
        self._table.index("relationship", lambda i: (i.relationship_id,))
        self._table.index("email", lambda i: (i.email.canonical,))
        self._table.index("relationship_email", lambda i: ((i.relationship_id, i.email.canonical),))

    def add(self, invitation: Invitation) -> None:
        """Store a new invitation (``AlreadyExists`` for a taken id)."""
        self._table.insert(invitation.id, invitation)

    def update(self, invitation: Invitation) -> None:
        """Compare-and-set on ``invitation.version - 1``."""
        self._table.compare_and_set(invitation.id, invitation, invitation.version - 1)

    def find(self, invitation_id: InvitationId) -> Invitation | None:
        """The invitation or ``None``."""
        return self._table.find(invitation_id)

    def find_by_token_hash(self, token_hash: str) -> Invitation | None:
        """The invitation whose current token hashes to ``token_hash``."""
        found = self._table.lookup("token", token_hash)
        return found[0] if found else None

    def for_relationship(self, relationship: RelationshipId) -> Sequence[Invitation]:
        """Every invitation of ``relationship``, oldest first."""
        return self._table.lookup("relationship", relationship)

    def for_email(self, email: EmailAddress) -> Sequence[Invitation]:
        """Every invitation sent to ``email``, compared case-insensitively."""
        return self._table.lookup("email", email.canonical)

    def for_relationship_and_email(
        self, relationship: RelationshipId, email: EmailAddress
    ) -> Sequence[Invitation]:
        """Every invitation of ``relationship`` sent to ``email``, oldest first."""
        return self._table.lookup("relationship_email", (relationship, email.canonical))


class MemoryRelationshipRepository:
    """Customer relationships in the ``authz_relationships`` table."""

    def __init__(self, database: MemoryDatabase) -> None:
        self._db = database
        self._table = cast(
            "MemoryTable[str, CustomerRelationship]", database.table("authz_relationships")
        )
        self._table.index("customer_number", lambda r: (r.customer_number,))

    def add(self, relationship: CustomerRelationship) -> None:
        """Store a new relationship; ``AlreadyExists`` for a taken id or customer number."""
        with self._db.lock:
            if self.find_by_customer_number(relationship.customer_number) is not None:
                raise AlreadyExists(
                    Violation("store.already_exists", {"entity": "authz_relationships"})
                )
            self._table.insert(relationship.id, relationship)

    def find(self, relationship_id: RelationshipId) -> CustomerRelationship | None:
        """The relationship or ``None``."""
        return self._table.find(relationship_id)

    def find_by_customer_number(self, number: CustomerNumber) -> CustomerRelationship | None:
        """The relationship of customer number ``number`` or ``None``."""
        found = self._table.lookup("customer_number", number)
        return found[0] if found else None


@attrs.frozen
class _Account:
    email: EmailAddress
    verified: bool
    first_name: str
    last_name: str
    national_id: NationalId | None
    language: Language


class MemoryAccountDirectory:
    """An :class:`~selfcare.authz.ports.AccountDirectory` over a dict, for tests and demos.

    >>> accounts = MemoryAccountDirectory()
    >>> accounts.register(AccountId("pekka"), "Pekka@Example.fi", first_name="Pekka",
    ...                   last_name="Virtanen")
    >>> accounts.verified_email(AccountId("pekka"))
    EmailAddress(value='Pekka@example.fi')
    """

    def __init__(self) -> None:
        self._accounts: dict[AccountId, _Account] = {}

    def register(
        self,
        account: AccountId,
        email: str,
        *,
        verified: bool = True,
        first_name: str = "",
        last_name: str = "",
        national_id: NationalId | None = None,
        language: Language | str = Language.FI,
    ) -> None:
        """Add or replace an account; ``national_id`` is the code its owner proved."""
        address = EmailAddress.parse(email)
        self._accounts[account] = _Account(
            address, verified, first_name, last_name, national_id, Language(language)
        )

    def find(self, account: AccountId) -> AccountContact | None:
        """The account's names, verified address and language, or ``None``."""
        found = self._accounts.get(account)
        if found is None:
            return None
        return AccountContact(
            account=account,
            first_name=found.first_name,
            last_name=found.last_name,
            email=found.email if found.verified else None,
            language=found.language,
        )

    def verified_email(self, account: AccountId) -> EmailAddress | None:
        """The account's verified address, or ``None``."""
        found = self._accounts.get(account)
        return found.email if found is not None and found.verified else None

    def verified_national_id(self, account: AccountId) -> NationalId | None:
        """The identity code registered for ``account``, or ``None``."""
        found = self._accounts.get(account)
        return None if found is None else found.national_id

    def find_by_email(self, email: EmailAddress) -> RegisteredAccount | None:
        """The account registered with ``email`` (case-insensitively), or ``None``."""
        for account, data in self._accounts.items():
            if data.email == email:
                return RegisteredAccount(
                    account=account, first_name=data.first_name, last_name=data.last_name
                )
        return None


class MemoryAuthzUnitOfWork(MemoryUnitOfWork):
    """A unit of work with the authz repositories (see :class:`MemoryUnitOfWork`)."""

    def __init__(self, database: MemoryDatabase) -> None:
        super().__init__(database)
        self.grants: GrantRepository = MemoryGrantRepository(database)
        self.invitations: InvitationRepository = MemoryInvitationRepository(database)
        self.relationships: RelationshipRepository = MemoryRelationshipRepository(database)
