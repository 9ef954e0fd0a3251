"""The events of selfcare.authz: what a use case changed about who may use what.

Every state-changing method of :class:`~selfcare.authz.service.AuthzService` returns
them inside its :class:`~selfcare.core.outcome.Outcome`; store them as the audit trail
or publish them from an outbox. Each names who acted (``actor``), the relationship,
the id of the grant or invitation changed and the roles concerned - never a token and
never an e-mail address.

>>> from datetime import datetime, UTC
>>> from selfcare.authz.model import USER
>>> event = GrantRevoked(occurred_at=datetime(2026, 3, 2, 8, tzinfo=UTC),
...                      actor=AccountId("anna"), relationship_id=RelationshipId("rel-1"),
...                      grant_id=GrantId("g-7"), user=AccountId("pekka"), roles=frozenset({USER}))
>>> event.name, sorted(event.roles)
('GrantRevoked', ['user'])
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import ClassVar, TypeVar

import attrs

from selfcare.authz.invitation import Invitation, InvitationId
from selfcare.authz.model import Grant, GrantId, Role
from selfcare.core.events import Event
from selfcare.core.ids import AccountId, RelationshipId

__all__ = [
    "AuthzEvent",
    "GrantCreated",
    "GrantEvent",
    "GrantRevoked",
    "InvitationAccepted",
    "InvitationCreated",
    "InvitationDeclined",
    "InvitationEvent",
    "InvitationResent",
    "InvitationRevoked",
    "RelationshipLinked",
    "grant_events",
    "invitation_event",
]

GrantEventT = TypeVar("GrantEventT", bound="GrantEvent")
InvitationEventT = TypeVar("InvitationEventT", bound="InvitationEvent")


@attrs.frozen(kw_only=True)
class AuthzEvent(Event):
    """The base of every authz event (match on it to take all of them).

    Attributes:
        actor: who made the change; ``None`` for an invitee who declined through the
            e-mail link without logging in.
        relationship_id: the customer relationship whose access changed.
        roles: the roles concerned.
    """

    abstract: ClassVar[bool] = True

    actor: AccountId | None
    relationship_id: RelationshipId
    roles: frozenset[Role]


@attrs.frozen(kw_only=True)
class GrantEvent(AuthzEvent):
    """The base of the events about one grant.

    Attributes:
        grant_id: the grant created or revoked.
        user: the account whose access changed.
    """

    abstract: ClassVar[bool] = True

    grant_id: GrantId
    user: AccountId


@attrs.frozen(kw_only=True)
class RelationshipLinked(GrantEvent):
    """Customer matching linked an account to a customer relationship as its holder
    (a holder grant was created: the national id on file, not a person, granted it)."""


@attrs.frozen(kw_only=True)
class GrantCreated(GrantEvent):
    """An invitee accepted an invitation and got a role they did not hold."""


@attrs.frozen(kw_only=True)
class GrantRevoked(GrantEvent):
    """A confirmed removal revoked a role."""


@attrs.frozen(kw_only=True)
class InvitationEvent(AuthzEvent):
    """The base of the events about one invitation.

    Attributes:
        invitation_id: the invitation changed (its id, never its token).
    """

    abstract: ClassVar[bool] = True

    invitation_id: InvitationId


@attrs.frozen(kw_only=True)
class InvitationCreated(InvitationEvent):
    """A holder or user admin invited someone (the invitation e-mail is yet to send)."""


@attrs.frozen(kw_only=True)
class InvitationResent(InvitationEvent):
    """An invitation got a new token and a new validity period; the old link is dead."""


@attrs.frozen(kw_only=True)
class InvitationAccepted(InvitationEvent):
    """The invitee accepted.

    Attributes:
        user: the account that accepted.
    """

    user: AccountId


@attrs.frozen(kw_only=True)
class InvitationDeclined(InvitationEvent):
    """The invitee declined."""


@attrs.frozen(kw_only=True)
class InvitationRevoked(InvitationEvent):
    """The inviter (or someone managing the relationship's users) withdrew it."""


def grant_events(
    event: type[GrantEventT], grants: Iterable[Grant], *, actor: AccountId, now: datetime
) -> list[GrantEventT]:
    """One ``event`` per grant of ``grants``: ``actor`` changed it at ``now``."""
    return [
        event(
            occurred_at=now,
            actor=actor,
            relationship_id=g.relationship_id,
            grant_id=g.id,
            user=g.user,
            roles=frozenset({g.role}),
        )
        for g in grants
    ]


def invitation_event(
    event: type[InvitationEventT], invitation: Invitation, *, actor: AccountId | None, now: datetime
) -> InvitationEventT:
    """``event`` about ``invitation``: ``actor`` changed it at ``now``. (For
    :class:`InvitationAccepted`, which also names the account, build it directly.)"""
    return event(
        occurred_at=now,
        actor=actor,
        relationship_id=invitation.relationship_id,
        invitation_id=invitation.id,
        roles=invitation.roles,
    )
