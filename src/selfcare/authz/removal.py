"""Removing access (the energy authorization guide, part 3): choose roles, see what goes, confirm.

Anyone may give up their own roles; taking someone else's needs the role model's
remove permission, and only for roles the remover could grant. A relationship never
loses its last holder. Removing happens in two phases: :func:`request_removal` names
the exact grants that would be revoked (nothing changes yet); :func:`confirm_removal`
revokes them, after checking everything again on the grants as they are then.

A :class:`RemovalRequest` travels through the client between the two phases (a
hidden form field, a session the client can write), so nothing in it is trusted:
:func:`confirm_removal` derives the grants to revoke again from the confirmer, the
user, the relationship and the roles, on the grants as stored, and revokes those -
never the grants the request lists. The listed grants only say what the remover saw:
a list that names anything else (another person's grant, another role, another
relationship, a grant that does not exist) is refused as ``authz.removal_mismatch``,
and one that differs from the derived grants only by what happened since (a version,
a grant added or revoked meanwhile) as ``authz.removal_outdated``. This makes a
signature on the request unnecessary: a tampered request can at worst be refused.

>>> from datetime import datetime, UTC
>>> from selfcare.authz.model import GrantId, HOLDER, USER
>>> anna, pekka, rel = AccountId("anna"), AccountId("pekka"), RelationshipId("rel-1")
>>> t0, now = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC)
>>> grants = [Grant(id=GrantId("g-1"), user=anna, relationship_id=rel, role=HOLDER,
...                 granted_at=t0),
...           Grant(id=GrantId("g-2"), user=pekka, relationship_id=rel, role=USER,
...                 granted_at=t0)]
>>> request = request_removal(pekka, rel, {USER}, grants, by=anna, now=now).unwrap()
>>> [g.id for g in request.grants]
['g-2']
>>> request_removal(anna, rel, {HOLDER}, grants, by=anna, now=now).codes
('authz.last_holder',)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs

from selfcare.authz.model import Grant, GrantId, Role, to_roles
from selfcare.authz.permissions import active_roles, check_permission
from selfcare.authz.roles import DEFAULT_ROLE_MODEL, RoleModel
from selfcare.core.clock import require_aware, utc_field
from selfcare.core.decision import Decision, Violation
from selfcare.core.ids import AccountId, RelationshipId
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.core.ports import next_version

__all__ = [
    "RemovalRequest",
    "check_can_remove",
    "check_holder_remains",
    "confirm_removal",
    "request_removal",
]


def check_holder_remains(
    relationship: RelationshipId,
    grants: Iterable[Grant],
    *,
    removing: Iterable[GrantId],
    now: datetime,
    model: RoleModel = DEFAULT_ROLE_MODEL,
) -> Decision:
    """Would ``relationship`` keep at least one active holder without ``removing``?

    Returns:
        Allowed, or ``authz.last_holder``.

    Raises:
        SelfcareError: ``time.naive_datetime`` when ``now`` is naive.
    """
    moment = require_aware(now, "now")
    gone = set(removing)
    remaining = [
        g
        for g in grants
        if g.relationship_id == relationship
        and g.role == model.holder_role
        and g.is_active(moment)
        and g.id not in gone
    ]
    if remaining:
        return Decision.allow()
    return Decision.deny(Violation("authz.last_holder", {"relationship": relationship}))


def check_can_remove(
    remover: AccountId,
    user: AccountId,
    relationship: RelationshipId,
    roles: Iterable[str],
    grants: Iterable[Grant],
    *,
    now: datetime,
    model: RoleModel = DEFAULT_ROLE_MODEL,
) -> Decision:
    """May ``remover`` take ``roles`` away from ``user`` on ``relationship``?

    Anyone may give up their own roles; taking someone else's needs the model's remove
    permission and only for roles the remover could grant (no escalation: a user admin
    cannot remove a holder). Never the last holder.

    Returns:
        Allowed, or every one of ``authz.no_roles_selected``, ``authz.cannot_manage_users``,
        ``authz.role_not_held``, ``authz.escalation`` and ``authz.last_holder``.

    Raises:
        SelfcareError: ``time.naive_datetime`` when ``now`` is naive.
    """
    moment = require_aware(now, "now")
    grants = tuple(grants)
    wanted = to_roles(roles)
    if not wanted:
        return Decision.deny(Violation("authz.no_roles_selected"))
    reason: str | None = None
    removable: frozenset[Role] | None = None  # None: the user gives up their own roles
    if remover != user:
        authority = check_permission(
            remover, model.remove_permission, relationship, grants, now=moment, model=model
        )
        if not authority:
            return Decision.deny(
                Violation("authz.cannot_manage_users", {"relationship": relationship})
            )
        reason = authority.reason
        removable = model.grantable_by(active_roles(remover, relationship, grants, now=moment))
    held = active_roles(user, relationship, grants, now=moment)
    found = [
        violation
        for role in sorted(wanted)
        if (violation := _unremovable(role, held, removable)) is not None
    ]
    if model.holder_role in wanted:
        removing = [g.id for g in _affected(user, relationship, wanted, grants, moment)]
        found.extend(
            check_holder_remains(
                relationship, grants, removing=removing, now=moment, model=model
            ).violations
        )
    return Decision.from_violations(found, reason=reason)


def _unremovable(
    role: Role, held: frozenset[Role], removable: frozenset[Role] | None
) -> Violation | None:
    """Why ``role`` cannot be taken away, if it cannot: not held, or beyond the remover."""
    if role not in held:
        return Violation("authz.role_not_held", {"role": role[:64]})
    if removable is not None and role not in removable:
        return Violation("authz.escalation", {"role": role})
    return None


def _affected(
    user: AccountId,
    relationship: RelationshipId,
    roles: frozenset[Role],
    grants: Iterable[Grant],
    moment: datetime,
) -> tuple[Grant, ...]:
    """The active grants of ``user`` on ``relationship`` with one of ``roles``."""
    return tuple(
        g
        for g in grants
        if g.user == user
        and g.relationship_id == relationship
        and g.role in roles
        and g.is_active(moment)
    )


@attrs.frozen(kw_only=True)
class RemovalRequest:
    """Phase 1 of "remove authorizations": the roles chosen, waiting for confirmation.

    It names the exact grants (and their versions) that confirming will revoke, so
    that a confirmation after someone else changed them is refused instead of removing
    something the remover did not see.
    """

    relationship_id: RelationshipId
    user: AccountId
    roles: frozenset[Role]
    requested_by: AccountId
    requested_at: datetime = utc_field()
    grants: tuple[Grant, ...]


def request_removal(
    user: AccountId,
    relationship: RelationshipId,
    roles: Iterable[str],
    grants: Iterable[Grant],
    *,
    by: AccountId,
    now: datetime,
    model: RoleModel = DEFAULT_ROLE_MODEL,
) -> Outcome[RemovalRequest]:
    """Phase 1: check that ``by`` may remove ``roles`` from ``user`` and say what would go.

    Nothing changes yet; show the request and call :func:`confirm_removal` (phase 2).

    Returns:
        The :class:`RemovalRequest`, or a refusal with the codes of
        :func:`check_can_remove`.

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    grants = tuple(grants)
    chosen = to_roles(roles)
    decision = check_can_remove(by, user, relationship, chosen, grants, now=moment, model=model)
    if not decision:
        return Refused(decision)
    return Done(
        RemovalRequest(
            relationship_id=relationship,
            user=user,
            roles=chosen,
            requested_by=by,
            requested_at=moment,
            grants=_affected(user, relationship, chosen, grants, moment),
        )
    )


def confirm_removal(
    request: RemovalRequest,
    grants: Iterable[Grant],
    *,
    by: AccountId,
    now: datetime,
    model: RoleModel = DEFAULT_ROLE_MODEL,
) -> Outcome[tuple[Grant, ...]]:
    """Phase 2: the revoked copies (version bumped) of the grants of ``request``.

    The checks run again on the current ``grants``, so a confirmation cannot remove
    the last holder even if another holder left in between.

    The grants revoked are derived here from ``by``, ``request.user``,
    ``request.relationship_id`` and ``request.roles`` on the current ``grants``; the
    grants listed in the request are only compared with them (see the module).

    Returns:
        The revoked grants, or a refusal with ``authz.removal_not_yours`` when ``by`` is
        not who asked, ``authz.removal_mismatch`` when the request lists a grant that
        is not one of the user's grants with a chosen role on the relationship (it was
        altered on its way through the client), ``authz.removal_outdated`` when the
        user's grants with those roles have changed since, or the codes of
        :func:`check_can_remove`.

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    if by != request.requested_by:
        return Refused.because(Violation("authz.removal_not_yours"))
    current = tuple(g for g in grants if g.relationship_id == request.relationship_id)
    chosen = to_roles(request.roles)
    derived = _affected(request.user, request.relationship_id, chosen, current, moment)
    mismatch = _listed_mismatch(request, chosen, current)
    if mismatch is not None:
        return Refused.because(mismatch)
    if _versions(request.grants) != _versions(derived):
        return Refused.because(Violation("authz.removal_outdated"))
    decision = check_can_remove(
        by, request.user, request.relationship_id, chosen, current, now=moment, model=model
    )
    if not decision:
        return Refused(decision)
    return Done(tuple(next_version(g, revoked_at=moment, revoked_by=by) for g in derived))


def _listed_mismatch(
    request: RemovalRequest, roles: frozenset[Role], current: tuple[Grant, ...]
) -> Violation | None:
    """``authz.removal_mismatch`` when a listed grant is not, as stored, one of the
    user's grants on the relationship with one of the chosen roles (a tampered list)."""
    stored = {g.id: g for g in current}
    for listed in request.grants:
        found = stored.get(listed.id)
        if (
            found is None
            or found.user != request.user
            or found.role not in roles
            or listed.user != found.user
            or listed.relationship_id != found.relationship_id
            or listed.role != found.role
        ):
            return Violation("authz.removal_mismatch")
    return None


def _versions(grants: Iterable[Grant]) -> frozenset[tuple[GrantId, int]]:
    return frozenset((g.id, g.version) for g in grants)
