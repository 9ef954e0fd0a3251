"""The one result type of every use case: :data:`Outcome`.

A use case either did what was asked - :class:`Done`, with the value and the
:class:`~selfcare.core.events.Event` values of what it changed - or was refused -
:class:`Refused`, with the :class:`~selfcare.core.decision.Decision` that lists every
reason (and the events of what a refusal still changed, such as a counted failed
login). A business "no" is never an exception.

``Outcome[T]`` is the union ``Done[T] | Refused``; ``match`` narrows it, and so do
:func:`is_done` and :func:`is_refused` under mypy and pyright (``if outcome.ok:`` narrows
under mypy; pyright narrows ``if outcome.ok is True:`` but not the bare truth test):

>>> from selfcare import Decision, Violation
>>> def describe(outcome: Outcome[int]) -> str:
...     match outcome:
...         case Done(value=value):
...             return f"done: {value}"
...         case Refused(decision=decision):
...             return f"refused: {decision.codes[0]} ({decision.kind})"
>>> describe(Done(42))
'done: 42'
>>> describe(Refused.because(Violation("invitation.expired", {})))
'refused: invitation.expired (gone)'

:meth:`Done.unwrap` returns the value and :meth:`Refused.unwrap` raises
:class:`~selfcare.core.errors.Refusal` (a :class:`~selfcare.core.errors.SelfcareError`),
for code - a script, a test, the demo - that expects success.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, Generic, Literal, NoReturn, TypeGuard, TypeVar, final

import attrs

from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import Refusal
from selfcare.core.events import Event
from selfcare.core.kinds import Kind

__all__ = ["Done", "Outcome", "Refused", "is_done", "is_refused"]

T = TypeVar("T")
U = TypeVar("U")


def _events(value: Iterable[object]) -> tuple[Event, ...]:
    events: list[Event] = []
    for event in value:
        if not isinstance(event, Event):
            msg = f"events must be Event values, not {type(event).__name__}"
            raise TypeError(msg)
        events.append(event)
    return tuple(events)


def _denied(_instance: Refused, _attribute: object, value: Decision) -> None:
    if not isinstance(value, Decision) or value.allowed:
        msg = "Refused needs a denied Decision"
        raise TypeError(msg)


@final
@attrs.frozen
class Done(Generic[T]):
    """A use case did what was asked.

    Attributes:
        value: what it returns (the changed entity, a quote, an export...).
        events: what it changed, in order; empty for a query.
    """

    value: T
    events: tuple[Event, ...] = attrs.field(default=(), converter=_events)

    #: Always ``True``; ``Refused.ok`` is always ``False``.
    ok: ClassVar[Literal[True]] = True

    def __bool__(self) -> Literal[True]:
        return True

    @property
    def decision(self) -> Decision:
        """An allowed :class:`~selfcare.core.decision.Decision`."""
        return Decision.allow()

    def unwrap(self) -> T:
        """The value."""
        return self.value

    def value_or(self, default: U) -> T | U:  # noqa: ARG002 - the Refused twin uses it
        """The value (``default`` is for a refusal)."""
        return self.value


@final
@attrs.frozen
class Refused:
    """A use case said no.

    Attributes:
        decision: the denied decision, listing every violation.
        events: what the refusal still changed (e.g. a failed login counted).
    """

    decision: Decision = attrs.field(validator=_denied)
    events: tuple[Event, ...] = attrs.field(default=(), converter=_events)

    #: Always ``False``.
    ok: ClassVar[Literal[False]] = False

    @classmethod
    def because(cls, *violations: Violation, events: Iterable[Event] = ()) -> Refused:
        """A refusal for ``violations`` (at least one)."""
        return cls(Decision.deny(*violations), tuple(events))

    def __bool__(self) -> Literal[False]:
        return False

    @property
    def codes(self) -> tuple[str, ...]:
        """The violation codes, in order."""
        return self.decision.codes

    @property
    def kind(self) -> Kind:
        """The deciding :class:`~selfcare.core.kinds.Kind` (maps to an HTTP status)."""
        kind = self.decision.kind
        assert kind is not None  # noqa: S101 - a Refused decision is always denied
        return kind

    def unwrap(self) -> NoReturn:
        """Raise :class:`~selfcare.core.errors.Refusal` with the violations."""
        raise Refusal(*self.decision.violations)

    def value_or(self, default: U) -> U:
        """``default``."""
        return default


#: The result of every use case: ``Done[T] | Refused``.
Outcome = Done[T] | Refused


def is_done(outcome: Outcome[T]) -> TypeGuard[Done[T]]:
    """Whether ``outcome`` is :class:`Done` (narrows it for type checkers)."""
    return outcome.ok


def is_refused(outcome: Outcome[T]) -> TypeGuard[Refused]:
    """Whether ``outcome`` is :class:`Refused` (narrows it for type checkers)."""
    return not outcome.ok
