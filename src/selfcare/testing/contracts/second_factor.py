# ruff: noqa: S101 - a contract suite is pytest tests, and pytest tests assert
"""The contract suite of :class:`~selfcare.identity.ports.SecondFactorRepository`.

::

    from selfcare.testing.contracts.second_factor import SecondFactorRepositoryContract

    class TestMySecondFactorRepository(SecondFactorRepositoryContract):
        def make_repository(self):
            return MySecondFactorRepository(connection=...)
"""

from __future__ import annotations

from abc import abstractmethod
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from selfcare.core.errors import AlreadyExists, ConcurrencyConflict, NotFound
from selfcare.core.ids import AccountId
from selfcare.core.ports import next_version
from selfcare.identity.account import token_digest
from selfcare.identity.ports import SecondFactorRepository
from selfcare.identity.second_factor import (
    PendingSecondStep,
    SecondFactor,
    new_recovery_codes,
    new_secret,
    recovery_code_digest,
)
from selfcare.testing.contracts._base import Contract

__all__ = ["SecondFactorRepositoryContract", "example_second_factor"]

_NOW = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)


def example_second_factor(number: int = 1, *, confirmed: bool = True) -> SecondFactor:
    """The second factor of the account ``account-<number>``, in force by default, with
    every field set."""
    account_id = AccountId(f"account-{number}")
    codes = new_recovery_codes((f"code-a-{number}", f"code-b-{number}"))
    return SecondFactor(
        account_id=account_id,
        secret=new_secret(f"secret-{number}"),
        started_at=_NOW,
        confirmed_at=_NOW + timedelta(minutes=1) if confirmed else None,
        last_used_step=59_000_000 + number,
        recovery_code_digests=tuple(recovery_code_digest(account_id, c) for c in codes.codes),
        failures=2,
        locked_until=_NOW + timedelta(minutes=15),
        verified_at=_NOW + timedelta(minutes=1),
        pending_login=None,
    )


def _pending(token: str) -> PendingSecondStep:
    return PendingSecondStep(
        token_digest=token_digest(token), expires_at=_NOW + timedelta(minutes=5)
    )


class SecondFactorRepositoryContract(Contract):
    """What every ``SecondFactorRepository`` must do."""

    @abstractmethod
    def make_repository(self) -> SecondFactorRepository:
        """A new, empty repository."""
        raise NotImplementedError

    def test_added_factor_is_read_back_with_every_field(self) -> None:
        repo = self.make_repository()
        factor = attrs.evolve(example_second_factor(1), pending_login=_pending("t1"))
        repo.add(factor)
        assert repo.find(factor.account_id) == factor
        assert repo.find(AccountId("account-2")) is None

    def test_one_factor_per_account(self) -> None:
        repo = self.make_repository()
        repo.add(example_second_factor(1))
        with pytest.raises(AlreadyExists):
            repo.add(example_second_factor(1, confirmed=False))

    def test_update_is_compare_and_set(self) -> None:
        repo = self.make_repository()
        factor = example_second_factor(1)
        repo.add(factor)
        repo.update(next_version(factor, failures=3))
        with pytest.raises(ConcurrencyConflict):
            repo.update(next_version(factor, failures=4))
        stored = repo.find(factor.account_id)
        assert stored is not None
        assert stored.failures == 3
        with pytest.raises(NotFound):
            repo.update(next_version(example_second_factor(9)))

    def test_find_by_pending_login_follows_the_pending_login(self) -> None:
        repo = self.make_repository()
        first = attrs.evolve(example_second_factor(1), pending_login=_pending("t1"))
        repo.add(first)
        repo.add(attrs.evolve(example_second_factor(2), pending_login=_pending("t2")))
        assert repo.find_by_pending_login(token_digest("t1")) == first
        assert repo.find_by_pending_login(token_digest("t3")) is None
        repo.update(next_version(first, pending_login=None))
        assert repo.find_by_pending_login(token_digest("t1")) is None
        found = repo.find_by_pending_login(token_digest("t2"))
        assert found is not None
        assert found.account_id == AccountId("account-2")

    def test_delete_removes_one_factor(self) -> None:
        repo = self.make_repository()
        repo.add(example_second_factor(1))
        repo.add(example_second_factor(2))
        assert repo.delete(AccountId("account-1")) is True
        assert repo.delete(AccountId("account-1")) is False
        assert repo.find(AccountId("account-1")) is None
        assert repo.find(AccountId("account-2")) is not None
        repo.add(example_second_factor(1, confirmed=False))  # enrol again
        assert repo.find(AccountId("account-1")) == example_second_factor(1, confirmed=False)
