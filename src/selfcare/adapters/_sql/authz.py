"""The authz repositories of the SQL engines."""

from __future__ import annotations

from collections.abc import Sequence

from selfcare.adapters._sql._queries import micros
from selfcare.adapters._sql._table import SqlEngine, SqlTable
from selfcare.authz.invitation import Invitation, InvitationId
from selfcare.authz.model import CustomerRelationship, Grant, GrantId
from selfcare.authz.ports import GrantRepository, InvitationRepository, RelationshipRepository
from selfcare.core.ids import AccountId, CustomerNumber, RelationshipId
from selfcare.identity.contact import EmailAddress

__all__ = [
    "AuthzRepositories",
    "SqlGrantRepository",
    "SqlInvitationRepository",
    "SqlRelationshipRepository",
]


def grants_table(database: SqlEngine) -> SqlTable[Grant]:
    """The ``authz_grants`` table (shared with the privacy index)."""
    return SqlTable(
        database,
        "authz_grants",
        Grant,
        key=lambda g: g.id,
        columns={
            "user": lambda g: g.user,
            "relationship_id": lambda g: g.relationship_id,
            "granted_by": lambda g: g.granted_by,
            "revoked_by": lambda g: g.revoked_by,
        },
    )


def invitations_table(database: SqlEngine) -> SqlTable[Invitation]:
    """The ``authz_invitations`` table (shared with the privacy index)."""
    return SqlTable(
        database,
        "authz_invitations",
        Invitation,
        key=lambda i: i.id,
        columns={
            "token_hash": lambda i: i.token_hash,
            "relationship_id": lambda i: i.relationship_id,
            "email": lambda i: i.email.canonical,
            "invited_by": lambda i: i.invited_by,
            "accepted_by": lambda i: i.accepted_by,
            "created_at_us": lambda i: micros(i.created_at),
        },
    )


class SqlGrantRepository:
    """Grants in the ``authz_grants`` table."""

    def __init__(self, database: SqlEngine) -> None:
        self._table = grants_table(database)

    def add(self, grant: Grant) -> None:
        """Store a new grant (``AlreadyExists`` for a taken id)."""
        self._table.insert(grant)

    def update(self, grant: Grant) -> None:
        """Compare-and-set on ``grant.version - 1`` (``ConcurrencyConflict``,
        ``NotFound``)."""
        self._table.compare_and_set(grant, grant.version - 1)

    def find(self, grant_id: GrantId) -> Grant | None:
        """The grant or ``None``."""
        return self._table.find(grant_id)

    def for_user(self, user: AccountId) -> Sequence[Grant]:
        """Every grant (active or not) of ``user``, oldest first."""
        return self._table.select('"user" = ?', [user])

    def for_relationship(self, relationship: RelationshipId) -> Sequence[Grant]:
        """Every grant (active or not) on ``relationship``, oldest first."""
        return self._table.select("relationship_id = ?", [relationship])

    def for_user_and_relationship(
        self, user: AccountId, relationship: RelationshipId
    ) -> Sequence[Grant]:
        """Every grant (active or not) of ``user`` on ``relationship``, oldest first."""
        return self._table.select('"user" = ? AND relationship_id = ?', [user, relationship])


class SqlInvitationRepository:
    """Invitations in the ``authz_invitations`` table, indexed by token hash,
    relationship and case-folded e-mail address."""

    def __init__(self, database: SqlEngine) -> None:
        self._table = invitations_table(database)

    def add(self, invitation: Invitation) -> None:
        """Store a new invitation (``AlreadyExists`` for a taken id)."""
        self._table.insert(invitation)

    def update(self, invitation: Invitation) -> None:
        """Compare-and-set on ``invitation.version - 1`` (``ConcurrencyConflict``,
        ``NotFound``)."""
        self._table.compare_and_set(invitation, invitation.version - 1)

    def find(self, invitation_id: InvitationId) -> Invitation | None:
        """The invitation or ``None``."""
        return self._table.find(invitation_id)

    def find_by_token_hash(self, token_hash: str) -> Invitation | None:
        """The invitation whose current token has this hash, or ``None``."""
        return self._table.first("token_hash = ?", [token_hash])

    def for_relationship(self, relationship: RelationshipId) -> Sequence[Invitation]:
        """Every invitation of ``relationship``, oldest first."""
        return self._table.select("relationship_id = ?", [relationship])

    def for_email(self, email: EmailAddress) -> Sequence[Invitation]:
        """Every invitation sent to ``email`` (compared case-insensitively), oldest first."""
        canonical = email.canonical
        return self._table.select("email = ?", [canonical])

    def for_relationship_and_email(
        self, relationship: RelationshipId, email: EmailAddress
    ) -> Sequence[Invitation]:
        """Every invitation of ``relationship`` sent to ``email`` (compared
        case-insensitively), oldest first."""
        return self._table.select(
            "relationship_id = ? AND email = ?", [relationship, email.canonical]
        )


class SqlRelationshipRepository:
    """Customer relationships in the ``authz_relationships`` table, unique by id and by
    customer number."""

    def __init__(self, database: SqlEngine) -> None:
        self._table = SqlTable(
            database,
            "authz_relationships",
            CustomerRelationship,
            key=lambda r: r.id,
            columns={"customer_number": lambda r: r.customer_number},
        )

    def add(self, relationship: CustomerRelationship) -> None:
        """Store a new relationship; ``AlreadyExists`` for a taken id or customer number."""
        self._table.insert(relationship)

    def find(self, relationship_id: RelationshipId) -> CustomerRelationship | None:
        """The relationship or ``None``."""
        return self._table.find(relationship_id)

    def find_by_customer_number(self, number: CustomerNumber) -> CustomerRelationship | None:
        """The relationship of customer number ``number`` or ``None``."""
        return self._table.first("customer_number = ?", [number])


class AuthzRepositories:
    """The repositories of an authz unit of work (mixed into each engine's)."""

    grants: GrantRepository
    invitations: InvitationRepository
    relationships: RelationshipRepository

    def _open_authz(self, database: SqlEngine) -> None:
        self.grants = SqlGrantRepository(database)
        self.invitations = SqlInvitationRepository(database)
        self.relationships = SqlRelationshipRepository(database)
