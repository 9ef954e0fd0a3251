"""The contract kit catches the adapter bugs that once passed it.

Each planted adapter below is a correct memory adapter with one bug an integrator's
adapter really had: ordering by a timestamp that can tie, ordering by id (which the old
test data, added in id order, could not tell from the order added), a lone-surrogate
key raising ``UnicodeEncodeError``, and a unit of work that keeps the changes of a unit
that failed. Each now fails its suite; the correct adapters pass the same suites.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from selfcare.adapters.memory import MemoryDatabase
from selfcare.adapters.memory.authz import MemoryGrantRepository, MemoryInvitationRepository
from selfcare.adapters.memory.catalog import MemoryOrderRepository
from selfcare.adapters.memory.identity import MemoryIdentityUnitOfWork
from selfcare.authz.invitation import Invitation, InvitationId
from selfcare.authz.model import Grant
from selfcare.authz.ports import GrantRepository, InvitationRepository
from selfcare.catalog.orders import ProductOrder
from selfcare.catalog.ports import OrderRepository
from selfcare.core.ids import AccountId, RelationshipId
from selfcare.identity.ports import IdentityUnitOfWork
from selfcare.testing.contracts import Contract
from selfcare.testing.contracts.authz import (
    GrantRepositoryContract,
    InvitationRepositoryContract,
)
from selfcare.testing.contracts.catalog import OrderRepositoryContract
from selfcare.testing.contracts.identity import IdentityUnitOfWorkContract

# -- the planted adapters -------------------------------------------------------------


class GrantsByTimestamp(MemoryGrantRepository):
    """Orders by ``granted_at`` alone: ties and late-added old grants come out wrong."""

    def for_user(self, user: AccountId) -> Sequence[Grant]:
        return sorted(super().for_user(user), key=lambda g: g.granted_at)

    def for_relationship(self, relationship: RelationshipId) -> Sequence[Grant]:
        return sorted(super().for_relationship(relationship), key=lambda g: g.granted_at)


class OrdersByTimestamp(MemoryOrderRepository):
    """Orders by ``placed_at`` alone."""

    def for_relationship(self, relationship_id: RelationshipId) -> tuple[ProductOrder, ...]:
        found = super().for_relationship(relationship_id)
        return tuple(sorted(found, key=lambda o: o.placed_at))


class GrantsById(MemoryGrantRepository):
    """Orders by id, which matched the order added only while test data came sorted."""

    def for_user(self, user: AccountId) -> Sequence[Grant]:
        return sorted(super().for_user(user), key=lambda g: g.id)

    def for_relationship(self, relationship: RelationshipId) -> Sequence[Grant]:
        return sorted(super().for_relationship(relationship), key=lambda g: g.id)


class InvitationsEncodingKeys(MemoryInvitationRepository):
    """Encodes the key as UTF-8 before looking it up, as a driver does: a lone
    surrogate raises ``UnicodeEncodeError`` instead of finding nothing."""

    def find(self, invitation_id: InvitationId) -> Invitation | None:
        return super().find(InvitationId(invitation_id.encode("utf-8").decode("utf-8")))


class UnitOfWorkKeepingFailures(MemoryIdentityUnitOfWork):
    """Commits when a unit of work ends, even by an exception."""

    def _discard(self) -> None:
        self.database.commit()
        self.database.end()


# -- the suites over them ----------------------------------------------------------------


class GrantsByTimestampSuite(GrantRepositoryContract):
    def make_repository(self) -> GrantRepository:
        return GrantsByTimestamp(MemoryDatabase())


class OrdersByTimestampSuite(OrderRepositoryContract):
    def make_repository(self) -> OrderRepository:
        return OrdersByTimestamp(MemoryDatabase())


class GrantsByIdSuite(GrantRepositoryContract):
    def make_repository(self) -> GrantRepository:
        return GrantsById(MemoryDatabase())


class InvitationsEncodingKeysSuite(InvitationRepositoryContract):
    def make_repository(self) -> InvitationRepository:
        return InvitationsEncodingKeys(MemoryDatabase())


class UnitOfWorkKeepingFailuresSuite(IdentityUnitOfWorkContract):
    def make_unit_of_work(self) -> IdentityUnitOfWork:
        return UnitOfWorkKeepingFailures(MemoryDatabase())


class CorrectGrantsSuite(GrantRepositoryContract):
    def make_repository(self) -> GrantRepository:
        return MemoryGrantRepository(MemoryDatabase())


class CorrectInvitationsSuite(InvitationRepositoryContract):
    def make_repository(self) -> InvitationRepository:
        return MemoryInvitationRepository(MemoryDatabase())


class CorrectUnitOfWorkSuite(IdentityUnitOfWorkContract):
    def make_unit_of_work(self) -> IdentityUnitOfWork:
        return MemoryIdentityUnitOfWork(MemoryDatabase())


def failing_tests(suite: type[Contract]) -> dict[str, str]:
    """Run every test of ``suite`` (none of these suites uses fixtures); the failures by
    test name, with the exception's type."""
    failures: dict[str, str] = {}
    for name in sorted(dir(suite)):
        if not name.startswith("test_"):
            continue
        try:
            getattr(suite(), name)()
        except Exception as error:  # noqa: BLE001 - a failing contract test, whatever it raised
            failures[name] = type(error).__name__
    return failures


@pytest.mark.parametrize(
    ("suite", "caught_by"),
    [
        (
            GrantsByTimestampSuite,
            "test_for_user_returns_every_grant_of_the_user_in_the_order_added",
        ),
        (OrdersByTimestampSuite, "test_for_relationship_lists_in_the_order_added"),
        (GrantsByIdSuite, "test_for_relationship_returns_every_grant_on_it_in_the_order_added"),
        (InvitationsEncodingKeysSuite, "test_keys_no_row_can_hold_find_nothing"),
        (UnitOfWorkKeepingFailuresSuite, "test_an_exception_rolls_back_what_was_not_committed"),
    ],
    ids=["timestamp-order", "timestamp-order-orders", "id-order", "surrogate-key", "uow-commit"],
)
def test_a_planted_bug_fails_the_kit(suite: type[Contract], caught_by: str) -> None:
    failures = failing_tests(suite)
    assert caught_by in failures


def test_the_surrogate_key_fails_with_the_drivers_error() -> None:
    assert failing_tests(InvitationsEncodingKeysSuite) == {
        "test_keys_no_row_can_hold_find_nothing": "UnicodeEncodeError"
    }


def test_the_uow_bug_fails_every_rollback_rule() -> None:
    assert set(failing_tests(UnitOfWorkKeepingFailuresSuite)) == {
        "test_changes_are_kept_only_after_commit",
        "test_an_exception_rolls_back_what_was_not_committed",
        "test_a_failed_write_leaves_nothing_of_its_unit_behind",
        "test_a_nested_unit_joins_the_outer_one",
        "test_an_exception_in_a_nested_unit_rolls_back_the_whole_unit",
    }


@pytest.mark.parametrize(
    "suite", [CorrectGrantsSuite, CorrectInvitationsSuite, CorrectUnitOfWorkSuite]
)
def test_the_correct_adapters_pass_the_same_suites(suite: type[Contract]) -> None:
    assert failing_tests(suite) == {}
