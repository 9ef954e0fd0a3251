"""The transaction rules every unit of work keeps, whatever its domain.

:class:`UnitOfWorkContract` is the shared part of the domains' unit-of-work suites
(:class:`~selfcare.testing.contracts.identity.IdentityUnitOfWorkContract`,
:class:`~selfcare.testing.contracts.authz.AuthzUnitOfWorkContract`, ...): each domain's
suite says how to add and find one of its entities by a key, and inherits these rules:

- what is not committed is gone when the unit of work ends;
- an exception rolls back everything since the last commit, and the unit of work can be
  used again;
- a write that fails (a taken key) leaves nothing of its unit of work behind;
- :meth:`~selfcare.core.ports.UnitOfWork.rollback` undoes what was not committed and
  the unit goes on;
- a unit of work entered again inside itself joins the outer one: only the outermost
  commit counts, and an exception anywhere rolls the whole unit back.

Subclass a domain's suite, not this one (see :mod:`selfcare.testing.contracts`).
"""

# ruff: noqa: S101 - the suites are pytest tests, and pytest asserts with assert

from __future__ import annotations

import abc
from typing import Generic, TypeVar

import pytest

from selfcare.core.errors import AlreadyExists
from selfcare.core.ports import UnitOfWork
from selfcare.testing.contracts._base import Contract

__all__ = ["UnitOfWorkContract"]

U = TypeVar("U", bound=UnitOfWork)


class _Planned(Exception):  # noqa: N818 - the exception a test raises on purpose
    """Raised by a test inside a unit of work, to see it rolled back."""


class UnitOfWorkContract(Contract, abc.ABC, Generic[U]):
    """The transaction rules of every unit of work (see the module)."""

    @abc.abstractmethod
    def make_unit_of_work(self) -> U:
        """A unit of work over fresh, empty storage."""

    @abc.abstractmethod
    def add_entity(self, uow: U, key: str) -> None:
        """Add one entity identified by ``key`` through ``uow`` (which is open); adding a
        key twice must raise :class:`~selfcare.core.errors.AlreadyExists`."""

    @abc.abstractmethod
    def has_entity(self, uow: U, key: str) -> bool:
        """Whether the entity of ``key`` is stored (``uow`` is open)."""

    def _stored(self, uow: U, *keys: str) -> list[bool]:
        with uow:
            return [self.has_entity(uow, key) for key in keys]

    def test_changes_are_kept_only_after_commit(self) -> None:
        uow = self.make_unit_of_work()
        with uow:
            self.add_entity(uow, "uncommitted")
            assert self.has_entity(uow, "uncommitted")  # a unit sees its own writes
        with uow:
            self.add_entity(uow, "committed")
            uow.commit()
        assert self._stored(uow, "uncommitted", "committed") == [False, True]

    def test_an_exception_rolls_back_what_was_not_committed(self) -> None:
        uow = self.make_unit_of_work()

        def fail() -> None:
            with uow:
                self.add_entity(uow, "kept")
                uow.commit()
                self.add_entity(uow, "lost")
                raise _Planned

        with pytest.raises(_Planned):
            fail()
        assert self._stored(uow, "kept", "lost") == [True, False]
        with uow:  # the unit of work is usable again
            self.add_entity(uow, "after")
            uow.commit()
        assert self._stored(uow, "after") == [True]

    def test_a_failed_write_leaves_nothing_of_its_unit_behind(self) -> None:
        uow = self.make_unit_of_work()
        with uow:
            self.add_entity(uow, "taken")
            uow.commit()

        def add_both() -> None:
            with uow:
                self.add_entity(uow, "first")
                self.add_entity(uow, "taken")
                uow.commit()

        with pytest.raises(AlreadyExists):
            add_both()
        assert self._stored(uow, "taken", "first") == [True, False]

    def test_rollback_undoes_since_the_last_commit_and_goes_on(self) -> None:
        uow = self.make_unit_of_work()
        with uow:
            self.add_entity(uow, "one")
            uow.commit()
            self.add_entity(uow, "two")
            uow.rollback()
            assert not self.has_entity(uow, "two")
            self.add_entity(uow, "three")
            uow.commit()
        assert self._stored(uow, "one", "two", "three") == [True, False, True]

    def test_a_nested_unit_joins_the_outer_one(self) -> None:
        uow = self.make_unit_of_work()
        with uow:
            self.add_entity(uow, "outer")
            with uow:
                self.add_entity(uow, "inner")
                uow.commit()  # joins the outer unit: nothing is kept yet
            assert self.has_entity(uow, "inner")
        assert self._stored(uow, "outer", "inner") == [False, False]
        with uow:
            with uow:
                self.add_entity(uow, "inner")
            self.add_entity(uow, "outer")
            uow.commit()  # the outermost commit keeps both
        assert self._stored(uow, "outer", "inner") == [True, True]

    def test_an_exception_in_a_nested_unit_rolls_back_the_whole_unit(self) -> None:
        uow = self.make_unit_of_work()

        def fail_inside() -> None:
            with uow:
                self.add_entity(uow, "outer")
                with uow:
                    self.add_entity(uow, "inner")
                    uow.commit()
                    raise _Planned

        with pytest.raises(_Planned):
            fail_inside()
        assert self._stored(uow, "outer", "inner") == [False, False]
