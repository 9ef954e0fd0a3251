"""Giving roles: who may grant which role, and the grants a change creates.

A holder grant comes from customer matching only (the national id on file); every
other role is granted by someone who may manage the relationship's users, and only
roles whose permissions that person has (no escalation).

>>> from datetime import datetime, UTC
>>> from selfcare.authz.model import GrantId, HOLDER, USER_ADMIN
>>> anna, rel = AccountId("anna"), RelationshipId("rel-1")
>>> holder = Grant(id=GrantId("g-1"), user=anna, relationship_id=rel, role=HOLDER,
...                granted_at=datetime(2026, 1, 1, tzinfo=UTC))
>>> check_can_grant(anna, {USER_ADMIN, HOLDER}, rel, [holder],
...                 now=datetime(2026, 2, 1, tzinfo=UTC)).codes
('authz.holder_not_grantable',)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from selfcare.authz.model import Grant, GrantId, Role
from selfcare.authz.permissions import active_roles, can_manage_users
from selfcare.authz.roles import DEFAULT_ROLE_MODEL, RoleModel
from selfcare.core.clock import require_aware
from selfcare.core.decision import Decision, Violation
from selfcare.core.ids import AccountId, IdSource, RelationshipId

__all__ = ["check_can_grant", "new_grants"]


def check_can_grant(
    granter: AccountId,
    roles: Iterable[str],
    relationship: RelationshipId,
    grants: Iterable[Grant],
    *,
    now: datetime,
    model: RoleModel = DEFAULT_ROLE_MODEL,
) -> Decision:
    """May ``granter`` give each of ``roles`` on ``relationship``? (no escalation)

    Returns:
        Allowed, or every one of ``authz.cannot_manage_users`` (the granter may not
        manage users at all), ``authz.unknown_role``, ``authz.holder_not_grantable``
        (holders come from customer matching only) and ``authz.escalation`` (a role the
        granter may not give).

    Raises:
        SelfcareError: ``time.naive_datetime`` when ``now`` is naive.
    """
    moment = require_aware(now, "now")
    grants = tuple(grants)
    manage = can_manage_users(granter, relationship, grants, now=moment, model=model)
    if not manage:
        return manage
    allowed = model.grantable_by(active_roles(granter, relationship, grants, now=moment))
    found = [_ungrantable(role, allowed, model) for role in sorted(set(roles))]
    return Decision.from_violations([v for v in found if v is not None], reason=manage.reason)


def _ungrantable(role: str, allowed: frozenset[Role], model: RoleModel) -> Violation | None:
    """Why ``role`` may not be given by someone who may give ``allowed``, if it may not."""
    if role not in model.roles:
        return Violation("authz.unknown_role", {"role": role[:64]})
    if role == model.holder_role:
        return Violation("authz.holder_not_grantable", {"role": role})
    if role not in allowed:
        return Violation("authz.escalation", {"role": role})
    return None


def new_grants(
    user: AccountId,
    relationship: RelationshipId,
    roles: Iterable[Role],
    *,
    granted_by: AccountId | None,
    ids: IdSource,
    now: datetime,
) -> tuple[Grant, ...]:
    """One new grant per role of ``roles`` (in name order) for ``user`` at ``now``.

    Raises:
        SelfcareError: ``authz.invalid_id`` for an unusable id, ``time.naive_datetime``.
    """
    return tuple(
        Grant(
            id=GrantId(ids.new_id()),
            user=user,
            relationship_id=relationship,
            role=role,
            granted_by=granted_by,
            granted_at=now,
        )
        for role in sorted(roles)
    )
