"""SQLite repositories of :mod:`selfcare.authz` and its unit of work.

>>> from selfcare.adapters.sqlite.schema import open_database
>>> from selfcare.core.ids import RelationshipId
>>> uow = SqliteAuthzUnitOfWork(open_database(":memory:"))
>>> with uow:
...     uow.relationships.find(RelationshipId("nope")) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence

from selfcare.adapters.sqlite._db import Migration, SqliteDatabase, SqliteTable, SqliteUnitOfWork
from selfcare.adapters.sqlite._queries import micros
from selfcare.authz.invitation import Invitation, InvitationId
from selfcare.authz.model import CustomerRelationship, Grant, GrantId
from selfcare.authz.ports import GrantRepository, InvitationRepository, RelationshipRepository
from selfcare.core.ids import AccountId, CustomerNumber, RelationshipId
from selfcare.identity.contact import EmailAddress

__all__ = [
    "MIGRATIONS",
    "SqliteAuthzUnitOfWork",
    "SqliteGrantRepository",
    "SqliteInvitationRepository",
    "SqliteRelationshipRepository",
]

#: The authz schema, in order.
MIGRATIONS = (
    Migration(
        "authz_0001_relationships_grants_invitations",
        """
        CREATE TABLE authz_relationships (
            seq INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            customer_number TEXT NOT NULL UNIQUE
        );
        CREATE TABLE authz_grants (
            seq INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            user TEXT NOT NULL,
            relationship_id TEXT NOT NULL,
            granted_by TEXT,
            revoked_by TEXT
        );
        CREATE INDEX authz_grants_granted_by ON authz_grants (granted_by, seq);
        CREATE INDEX authz_grants_revoked_by ON authz_grants (revoked_by, seq);
        CREATE INDEX authz_grants_user ON authz_grants (user, seq);
        CREATE INDEX authz_grants_relationship ON authz_grants (relationship_id, seq);
        CREATE TABLE authz_invitations (
            seq INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            token_hash TEXT NOT NULL,
            relationship_id TEXT NOT NULL,
            email TEXT NOT NULL,
            invited_by TEXT NOT NULL,
            accepted_by TEXT,
            created_at_us INTEGER NOT NULL
        );
        CREATE INDEX authz_invitations_invited_by ON authz_invitations (invited_by, seq);
        CREATE INDEX authz_invitations_accepted_by ON authz_invitations (accepted_by, seq);
        CREATE INDEX authz_invitations_created ON authz_invitations (created_at_us);
        CREATE INDEX authz_invitations_token ON authz_invitations (token_hash, seq);
        CREATE INDEX authz_invitations_relationship ON authz_invitations (relationship_id, seq);
        CREATE INDEX authz_invitations_email ON authz_invitations (email, seq)
        """,
    ),
)


def grants_table(database: SqliteDatabase) -> SqliteTable[Grant]:
    """The ``authz_grants`` table (shared with the privacy index)."""
    return SqliteTable(
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


def invitations_table(database: SqliteDatabase) -> SqliteTable[Invitation]:
    """The ``authz_invitations`` table (shared with the privacy index)."""
    return SqliteTable(
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


class SqliteGrantRepository:
    """Grants in the ``authz_grants`` table."""

    def __init__(self, database: SqliteDatabase) -> None:
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
        return self._table.select("user = ?", [user])

    def for_relationship(self, relationship: RelationshipId) -> Sequence[Grant]:
        """Every grant (active or not) on ``relationship``, oldest first."""
        return self._table.select("relationship_id = ?", [relationship])


class SqliteInvitationRepository:
    """Invitations in the ``authz_invitations`` table, indexed by token hash,
    relationship and case-folded e-mail address."""

    def __init__(self, database: SqliteDatabase) -> None:
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


class SqliteRelationshipRepository:
    """Customer relationships in the ``authz_relationships`` table, unique by id and by
    customer number."""

    def __init__(self, database: SqliteDatabase) -> None:
        self._table = SqliteTable(
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


class SqliteAuthzUnitOfWork(SqliteUnitOfWork):
    """A unit of work (one transaction) over the authz repositories of a database."""

    def __init__(self, database: SqliteDatabase) -> None:
        super().__init__(database)
        self.grants: GrantRepository = SqliteGrantRepository(database)
        self.invitations: InvitationRepository = SqliteInvitationRepository(database)
        self.relationships: RelationshipRepository = SqliteRelationshipRepository(database)
