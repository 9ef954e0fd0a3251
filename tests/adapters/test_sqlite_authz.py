"""The SQLite authz repositories pass the authz contract suites."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from selfcare.adapters.sqlite import (
    SqliteAuthzUnitOfWork,
    SqliteDatabase,
    SqliteGrantRepository,
    SqliteInvitationRepository,
    SqliteRelationshipRepository,
)
from selfcare.authz.invitation import InvitationId
from selfcare.authz.model import USER, CustomerRelationship, Grant, GrantId
from selfcare.core.ids import AccountId, CustomerNumber, RelationshipId
from selfcare.testing.contracts.authz import (
    GrantRepositoryContract,
    InvitationRepositoryContract,
    RelationshipRepositoryContract,
)

NewDatabase = Callable[[], SqliteDatabase]


class _Databases:
    @pytest.fixture(autouse=True)
    def _databases(self, new_database: NewDatabase) -> None:
        self.new_database = new_database


class TestSqliteGrantRepository(_Databases, GrantRepositoryContract):
    def make_repository(self) -> SqliteGrantRepository:
        return SqliteGrantRepository(self.new_database())


class TestSqliteInvitationRepository(_Databases, InvitationRepositoryContract):
    def make_repository(self) -> SqliteInvitationRepository:
        return SqliteInvitationRepository(self.new_database())


class TestSqliteRelationshipRepository(_Databases, RelationshipRepositoryContract):
    def make_repository(self) -> SqliteRelationshipRepository:
        return SqliteRelationshipRepository(self.new_database())


def test_unit_of_work_is_all_or_nothing(new_database: NewDatabase) -> None:
    db = new_database()
    relationship = CustomerRelationship(
        id=RelationshipId("rel-1"), customer_number=CustomerNumber("100234"), kind="electricity"
    )
    grant = Grant(
        id=GrantId("g-1"),
        user=AccountId("anna"),
        relationship_id=relationship.id,
        role=USER,
        granted_by=None,
        granted_at=datetime(2026, 3, 2, tzinfo=UTC),
    )
    with SqliteAuthzUnitOfWork(db) as uow:
        uow.relationships.add(relationship)
        uow.grants.add(grant)
    with SqliteAuthzUnitOfWork(db) as uow:
        assert uow.relationships.find(relationship.id) is None
        assert uow.grants.for_user(AccountId("anna")) == []
        uow.relationships.add(relationship)
        uow.grants.add(grant)
        uow.commit()
    with SqliteAuthzUnitOfWork(db) as uow:
        assert uow.relationships.find_by_customer_number(CustomerNumber("100234")) == relationship
        assert uow.grants.for_relationship(relationship.id) == [grant]


def test_text_sqlite_cannot_store_finds_nothing(new_database: NewDatabase) -> None:
    db = new_database()
    lone = "\ud83d"
    grants = SqliteGrantRepository(db)
    invitations = SqliteInvitationRepository(db)
    relationships = SqliteRelationshipRepository(db)
    assert grants.find(GrantId(lone)) is None
    assert grants.for_user(AccountId(lone)) == []
    assert grants.for_relationship(RelationshipId(lone)) == []
    assert invitations.find(InvitationId(lone)) is None
    assert invitations.find_by_token_hash(lone) is None
    assert invitations.for_relationship(RelationshipId(lone)) == []
    assert relationships.find(RelationshipId(lone)) is None
    assert relationships.find_by_customer_number(CustomerNumber(lone)) is None
