"""PostgreSQL repositories of :mod:`selfcare.authz` and its unit of work."""

from __future__ import annotations

from selfcare.adapters._sql.authz import (
    AuthzRepositories,
    SqlGrantRepository,
    SqlInvitationRepository,
    SqlRelationshipRepository,
)
from selfcare.adapters.postgres._db import Migration, PostgresDatabase, PostgresUnitOfWork

__all__ = [
    "MIGRATIONS",
    "PostgresAuthzUnitOfWork",
    "PostgresGrantRepository",
    "PostgresInvitationRepository",
    "PostgresRelationshipRepository",
]

#: The authz schema, in order.
MIGRATIONS = (
    Migration(
        "authz_0001_relationships_grants_invitations",
        """
        CREATE TABLE authz_relationships (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version BIGINT NOT NULL,
            data TEXT NOT NULL,
            customer_number TEXT NOT NULL UNIQUE
        );
        CREATE TABLE authz_grants (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version BIGINT NOT NULL,
            data TEXT NOT NULL,
            "user" TEXT NOT NULL,
            relationship_id TEXT NOT NULL,
            granted_by TEXT,
            revoked_by TEXT
        );
        CREATE INDEX authz_grants_granted_by ON authz_grants (granted_by, seq);
        CREATE INDEX authz_grants_revoked_by ON authz_grants (revoked_by, seq);
        CREATE INDEX authz_grants_user ON authz_grants ("user", seq);
        CREATE INDEX authz_grants_relationship ON authz_grants (relationship_id, seq);
        CREATE TABLE authz_invitations (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            version BIGINT NOT NULL,
            data TEXT NOT NULL,
            token_hash TEXT NOT NULL,
            relationship_id TEXT NOT NULL,
            email TEXT NOT NULL,
            invited_by TEXT NOT NULL,
            accepted_by TEXT,
            created_at_us BIGINT NOT NULL
        );
        CREATE INDEX authz_invitations_invited_by ON authz_invitations (invited_by, seq);
        CREATE INDEX authz_invitations_accepted_by ON authz_invitations (accepted_by, seq);
        CREATE INDEX authz_invitations_created ON authz_invitations (created_at_us);
        CREATE INDEX authz_invitations_token ON authz_invitations (token_hash, seq);
        CREATE INDEX authz_invitations_relationship ON authz_invitations (relationship_id, seq);
        CREATE INDEX authz_invitations_email ON authz_invitations (email, seq)
        """,
    ),
    Migration(
        "authz_0002_indexes_of_the_targeted_finders",
        """
        CREATE INDEX authz_grants_user_relationship
            ON authz_grants ("user", relationship_id, seq);
        CREATE INDEX authz_invitations_relationship_email
            ON authz_invitations (relationship_id, email, seq);
        -- The new indexes begin with the columns of these two: every index costs a
        -- page write per change.
        DROP INDEX authz_grants_user;
        DROP INDEX authz_invitations_relationship;
        -- Found only by an account (never by NULL): a new grant or invitation, which
        -- has none yet, then writes no entry in these.
        DROP INDEX authz_grants_revoked_by;
        CREATE INDEX authz_grants_revoked_by ON authz_grants (revoked_by, seq)
            WHERE revoked_by IS NOT NULL;
        DROP INDEX authz_grants_granted_by;
        CREATE INDEX authz_grants_granted_by ON authz_grants (granted_by, seq)
            WHERE granted_by IS NOT NULL;
        DROP INDEX authz_invitations_accepted_by;
        CREATE INDEX authz_invitations_accepted_by ON authz_invitations (accepted_by, seq)
            WHERE accepted_by IS NOT NULL
        """,
    ),
)


class PostgresGrantRepository(SqlGrantRepository):
    """Grants in the ``authz_grants`` table."""


class PostgresInvitationRepository(SqlInvitationRepository):
    """Invitations in the ``authz_invitations`` table, indexed by token hash,
    relationship and case-folded e-mail address."""


class PostgresRelationshipRepository(SqlRelationshipRepository):
    """Customer relationships in the ``authz_relationships`` table, unique by id and by
    customer number."""


class PostgresAuthzUnitOfWork(AuthzRepositories, PostgresUnitOfWork):
    """A unit of work (one transaction) over the authz repositories of a database."""

    def __init__(self, database: PostgresDatabase) -> None:
        super().__init__(database)
        self._open_authz(database)
