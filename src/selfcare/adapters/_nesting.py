"""The nesting rule every unit of work of the shipped adapters follows.

A unit of work opened while another is open on the same database joins it: only the
outermost one begins, commits and rolls back, and leaving it without a commit discards
what it did. The engines (:mod:`selfcare.adapters.memory`,
:mod:`selfcare.adapters.sqlite`) supply the primitives.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Generic, Protocol, Self, TypeVar

__all__ = ["NestingUnitOfWork", "TransactionUnitOfWork"]


class _Nestable(Protocol):
    #: How many units of work are open (on this thread, for a thread-local engine).
    depth: int


class NestingUnitOfWork(ABC):
    """A unit of work on ``database``; nested units join the outermost one."""

    database: _Nestable

    def _hold(self) -> None:  # noqa: B027 - optional hook, empty by default
        """Called first on entering, for an engine that serialises units of work."""

    def _release(self) -> None:  # noqa: B027 - optional hook, empty by default
        """Called last on leaving (the pair of :meth:`_hold`)."""

    def _set_read_only(self, read_only: bool) -> None:  # noqa: B027 - optional hook
        """Called around an outermost :meth:`reading` unit, for an engine that has a
        read-only transaction."""

    @abstractmethod
    def _begin(self) -> None:
        """Start the transaction (outermost unit only)."""

    @abstractmethod
    def _discard(self) -> None:
        """Undo what was not committed and end the transaction (outermost unit only)."""

    @abstractmethod
    def _commit(self) -> None:
        """Keep the changes so far and go on in a new transaction."""

    @abstractmethod
    def _rollback(self) -> None:
        """Undo the changes since the last commit and go on in a new transaction."""

    def __enter__(self) -> Self:
        self._hold()
        try:
            if self.database.depth == 0:
                self._begin()
        except BaseException:
            self._release()
            raise
        self.database.depth += 1
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.database.depth -= 1
            if self.database.depth == 0:
                self._discard()
        finally:
            self._release()

    def commit(self) -> None:
        """Keep the changes made so far. A nested unit of work joins the outer one:
        only the outermost commit counts."""
        if self.database.depth == 1:
            self._commit()

    def rollback(self) -> None:
        """Undo the changes made since the last commit (of the outermost unit only)."""
        if self.database.depth == 1:
            self._rollback()

    def reading(self) -> AbstractContextManager[Self]:
        """This unit of work, opened for reading only; inside another unit of work it
        joins that one.

        On the SQL engines it runs each statement on its own, in autocommit: a statement
        sees what was committed when it began - what PostgreSQL's ``READ COMMITTED``
        gives each statement of a transaction anyway, and what the use cases are
        written for - and the unit holds no transaction open, takes no lock and costs
        no ``BEGIN``/``ROLLBACK`` (on PostgreSQL: no round trip but the statement's). A
        write in it is a bug: :class:`RuntimeError`, before anything is sent.
        """
        return _Reading(self)


U = TypeVar("U", bound=NestingUnitOfWork)


class _Reading(Generic[U]):
    """The context manager of :meth:`NestingUnitOfWork.reading` (a class, not a
    generator: a permission check opens one per call)."""

    __slots__ = ("_outermost", "_uow")

    def __init__(self, uow: U) -> None:
        self._uow = uow
        self._outermost = False

    def __enter__(self) -> U:
        uow = self._uow
        self._outermost = uow.database.depth == 0
        if self._outermost:
            uow._set_read_only(True)
        try:
            return uow.__enter__()
        except BaseException:
            if self._outermost:
                uow._set_read_only(False)
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self._uow.__exit__(exc_type, exc, tb)
        finally:
            if self._outermost:
                self._uow._set_read_only(False)


class _Transactional(_Nestable, Protocol):
    def begin(self) -> None: ...

    def end(self, how: str, *, again: bool) -> None: ...

    def set_read_only(self, read_only: bool) -> None: ...


class TransactionUnitOfWork(NestingUnitOfWork):
    """A unit of work over a SQL engine that runs this thread's transaction itself
    (``begin``, ``end("COMMIT" | "ROLLBACK", again=...)``, ``set_read_only``)."""

    database: _Transactional

    def _set_read_only(self, read_only: bool) -> None:
        self.database.set_read_only(read_only)

    def _begin(self) -> None:
        self.database.begin()

    def _discard(self) -> None:
        self.database.end("ROLLBACK", again=False)

    def _commit(self) -> None:
        """Commit and keep a transaction open for further work."""
        self.database.end("COMMIT", again=True)

    def _rollback(self) -> None:
        self.database.end("ROLLBACK", again=True)
