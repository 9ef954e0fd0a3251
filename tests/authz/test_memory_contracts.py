"""The in-memory authz adapters pass the contract suites that ship with the library."""

from __future__ import annotations

from collections.abc import Sequence

from selfcare.adapters.memory import MemoryDatabase
from selfcare.adapters.memory.authz import (
    MemoryAccountDirectory,
    MemoryGrantRepository,
    MemoryInvitationRepository,
    MemoryRelationshipRepository,
)
from selfcare.authz.ports import (
    AccountDirectory,
    GrantRepository,
    InvitationRepository,
    RelationshipRepository,
)
from selfcare.testing.contracts.authz import (
    AccountDirectoryContract,
    AccountRow,
    GrantRepositoryContract,
    InvitationRepositoryContract,
    RelationshipRepositoryContract,
)


class TestMemoryGrantRepository(GrantRepositoryContract):
    def make_repository(self) -> GrantRepository:
        return MemoryGrantRepository(MemoryDatabase())


class TestMemoryInvitationRepository(InvitationRepositoryContract):
    def make_repository(self) -> InvitationRepository:
        return MemoryInvitationRepository(MemoryDatabase())


class TestMemoryRelationshipRepository(RelationshipRepositoryContract):
    def make_repository(self) -> RelationshipRepository:
        return MemoryRelationshipRepository(MemoryDatabase())


class TestMemoryAccountDirectory(AccountDirectoryContract):
    def make_directory(self, accounts: Sequence[AccountRow]) -> AccountDirectory:
        directory = MemoryAccountDirectory()
        for account, email, verified, first, last, national_id in accounts:
            directory.register(
                account,
                email,
                verified=verified,
                first_name=first,
                last_name=last,
                national_id=national_id,
            )
        return directory


def test_the_contract_bases_are_not_collected() -> None:
    assert GrantRepositoryContract.__test__ is False
    assert TestMemoryGrantRepository.__test__ is True
