"""The one exceptions module of selfcare.

Every exception the library raises for bad input is a :class:`SelfcareError`, which is
also a :class:`ValueError`; each carries the :class:`~selfcare.core.decision.Violation`
values that say what was wrong, with stable codes, so that callers can branch on
``error.codes`` and render ``error.messages(lang)`` at the edge.

Business refusals are not exceptions: use cases return
:class:`~selfcare.core.outcome.Refused`. Exceptions are for three things only:

- a wrong type: :class:`TypeError`;
- input that cannot be represented at all: :class:`SelfcareError` from a parser or a
  constructor (``Money("x", "EUR")``);
- storage outcomes: :class:`StorageError` and its subclasses :class:`NotFound`,
  :class:`AlreadyExists`, :class:`ConcurrencyConflict` and :class:`StorageUnavailable`,
  into which every adapter translates its driver's errors.

:class:`Refusal` is raised only when a caller asks for it with
:meth:`Refused.unwrap() <selfcare.core.outcome.Refused.unwrap>`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from selfcare.core.kinds import Kind, deciding_kind

if TYPE_CHECKING:
    from selfcare.core.decision import Violation

__all__ = [
    "AlreadyExists",
    "ConcurrencyConflict",
    "NotFound",
    "Refusal",
    "SelfcareError",
    "StorageError",
    "StorageUnavailable",
]


class SelfcareError(ValueError):
    """Bad input or a refused operation, with the violations that explain it.

    ``str(error)`` is the English rendering of every violation; use
    :meth:`messages` for another language.

    >>> from selfcare import Violation
    >>> err = SelfcareError(Violation("time.naive_datetime", {"name": "now"}))
    >>> err.codes
    ('time.naive_datetime',)
    >>> isinstance(err, ValueError)
    True
    """

    violations: tuple[Violation, ...]

    def __init__(self, *violations: Violation) -> None:
        if not violations:
            msg = "SelfcareError needs at least one Violation"
            raise TypeError(msg)
        self.violations = tuple(violations)
        super().__init__(*self.violations)

    @classmethod
    def from_violations(cls, violations: Iterable[Violation]) -> SelfcareError:
        """Build the error from any iterable of violations."""
        return cls(*violations)

    @property
    def codes(self) -> tuple[str, ...]:
        """The stable codes of the violations, in order."""
        return tuple(v.code for v in self.violations)

    @property
    def kind(self) -> Kind:
        """The deciding :class:`~selfcare.core.kinds.Kind` of the violations."""
        return deciding_kind(v.kind for v in self.violations)

    def messages(self, lang: str = "en") -> tuple[str, ...]:
        """Every violation rendered in ``lang`` (``en``, ``fi``, ``sv`` or ``nb``)."""
        return tuple(v.message(lang) for v in self.violations)

    def __str__(self) -> str:
        return " ".join(self.messages("en"))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(repr(v) for v in self.violations)})"

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), self.violations)


class Refusal(SelfcareError):  # noqa: N818 - it is a refusal, raised on request
    """A business refusal raised on request by
    :meth:`Refused.unwrap() <selfcare.core.outcome.Refused.unwrap>`.

    Use cases never raise it themselves: they return
    :class:`~selfcare.core.outcome.Refused`.
    """


class StorageError(SelfcareError):
    """A storage outcome: the base of every error a repository or unit of work raises.

    Adapters translate their driver's exceptions into these; a driver's own exception
    never reaches the caller.
    """


class StorageUnavailable(StorageError):  # noqa: N818
    """The storage cannot serve the request now (locked past the busy timeout, read-only,
    disk full, connection lost). Nothing was saved; retrying later may succeed."""


class NotFound(StorageError, LookupError):  # noqa: N818 - the domain name reads better
    """A repository has no entity under the key that was asked for."""


class AlreadyExists(StorageError):  # noqa: N818
    """A repository already holds an entity under that key (insert of a duplicate)."""


class ConcurrencyConflict(StorageError):  # noqa: N818
    """A compare-and-set save lost: the entity changed since it was read."""
