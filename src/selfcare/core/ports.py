"""Ports shared by every domain: the unit of work, and versioned entities.

Every entity that can be changed concurrently carries ``version: int``. A rule that
changes one returns a copy with the version bumped (:func:`next_version`); repositories then
save it with compare-and-set semantics:

- ``add(entity)`` stores a new entity; :class:`~selfcare.core.errors.AlreadyExists`
  if its key is taken.
- ``update(entity)`` replaces the stored entity only if the stored version is
  ``entity.version - 1``; otherwise :class:`~selfcare.core.errors.ConcurrencyConflict`
  (or :class:`~selfcare.core.errors.NotFound` when nothing is stored).

Use cases run inside one :class:`UnitOfWork`: everything they save is committed
together or not at all.
"""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self, TypeVar

import attrs

__all__ = ["UnitOfWork", "Versioned", "next_version"]


class Versioned(Protocol):
    """An entity saved with optimistic concurrency."""

    @property
    def version(self) -> int:
        """1 for a new entity, +1 for every saved change."""
        ...


V = TypeVar("V", bound=Versioned)


def next_version(entity: V, **changes: object) -> V:
    """A copy of ``entity`` with ``changes`` applied and the version increased by one."""
    return attrs.evolve(entity, version=entity.version + 1, **changes)  # type: ignore[misc]


class UnitOfWork(Protocol):
    """A transaction over the repositories of one use case.

    Use it as a context manager; call :meth:`commit` to keep the changes. Leaving the
    block without a commit (or with an exception) rolls everything back.
    """

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Make every change of this unit of work durable."""
        ...

    def rollback(self) -> None:
        """Undo every change of this unit of work not yet committed."""
        ...
