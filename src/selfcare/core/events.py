"""Events: what a use case changed, as typed, frozen, serializable values.

Every state change of every service returns its events inside the
:class:`~selfcare.core.outcome.Outcome`; they are the audit trail and the outbox of an
integrator, collected in one place. Event classes have past-tense names
(``InvitationAccepted``) and subclass :class:`Event`; each carries ``occurred_at``
(aware UTC). They never hold a secret: no password, token, one-time code or national
id in clear.

:func:`event_types` lists every event class by name, so that a stored event
(``{"type": "InvitationAccepted", ...}``, see
:func:`selfcare.serialization.unstructure_event`) can be read back.

>>> import attrs
>>> from datetime import datetime, UTC
>>> @attrs.frozen(kw_only=True)
... class ExampleHappened(Event):
...     detail: str
>>> e = ExampleHappened(occurred_at=datetime(2026, 3, 2, 8, tzinfo=UTC), detail="x")
>>> e.name
'ExampleHappened'
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import ClassVar

import attrs

from selfcare.core.clock import to_utc

__all__ = ["Event", "event_types"]

_REGISTRY: dict[str, type[Event]] = {}


@attrs.frozen(kw_only=True)
class Event:
    """The base of every domain event.

    Attributes:
        occurred_at: when the change was made (the service clock's ``now``), aware UTC.
    """

    occurred_at: datetime = attrs.field(converter=to_utc)

    #: Set on a subclass that is a base of other events rather than an event itself.
    abstract: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        # attrs builds a new (slotted) class from the one declared: the last one wins,
        # which is the class that instances actually have.
        if not cls.__dict__.get("abstract", False):
            _REGISTRY[cls.__name__] = cls

    @property
    def name(self) -> str:
        """The event's type name, e.g. ``"InvitationAccepted"``."""
        return type(self).__name__


_REGISTRY[Event.__name__] = Event


def event_types() -> Mapping[str, type[Event]]:
    """Every event class defined so far, by name (import a domain to register its
    events; :mod:`selfcare.serialization` imports them all)."""
    return MappingProxyType(_REGISTRY)
