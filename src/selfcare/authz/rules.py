"""Permission checks and the invariants of grants (pure functions).

>>> from datetime import datetime, UTC
>>> from selfcare.authz.model import USER, VIEW_INVOICES, ORDER_SERVICES
>>> now = datetime(2026, 3, 1, tzinfo=UTC)
>>> anna, rel = AccountId("anna"), RelationshipId("rel-1")
>>> grant = Grant(id=GrantId("g-1"), user=anna, relationship_id=rel, role=USER,
...               granted_at=datetime(2026, 1, 1, tzinfo=UTC))
>>> check_permission(anna, VIEW_INVOICES, rel, [grant], now=now)
Decision(allowed=True, violations=(), reason='grant:g-1')
>>> check_permission(anna, ORDER_SERVICES, rel, [grant], now=now).codes
('authz.role_lacks_permission',)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import attrs

from selfcare.authz.model import (
    DEFAULT_ROLE_MODEL,
    Grant,
    GrantId,
    Permission,
    Role,
    RoleModel,
)
from selfcare.core.clock import require_aware
from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import AccountId, RelationshipId
from selfcare.core.ports import bump

__all__ = [
    "GrantIndex",
    "RemovalRequest",
    "active_roles",
    "can_manage_users",
    "check_can_grant",
    "check_can_remove",
    "check_holder_remains",
    "check_permission",
    "confirm_removal",
    "permissions_of",
    "relationships_of",
    "remove_roles",
]


def _decide(
    permission: Permission,
    relationship: RelationshipId,
    mine: Iterable[Grant],
    now: datetime,
    model: RoleModel,
) -> Decision:
    lacking: list[Role] = []
    inactive_with: list[Violation] = []
    inactive_without: list[Violation] = []
    seen = False
    for grant in mine:
        if grant.granted_at > now:
            continue  # not granted yet at `now`: as if it did not exist
        seen = True
        has = permission in model.permissions_of(grant.role)
        if grant.is_revoked(now):
            target = inactive_with if has else inactive_without
            target.append(Violation("authz.grant_revoked", {"grant": grant.id}))
        elif grant.is_expired(now):
            target = inactive_with if has else inactive_without
            until = grant.valid_until.isoformat() if grant.valid_until else ""
            target.append(Violation("authz.grant_expired", {"grant": grant.id, "until": until}))
        elif has:
            return Decision.allow(reason=f"grant:{grant.id}")
        else:
            lacking.append(grant.role)
    if not seen:
        return Decision.deny(
            Violation("authz.no_grant", {"permission": permission, "relationship": relationship})
        )
    found = list(inactive_with)
    if lacking:
        found.append(
            Violation(
                "authz.role_lacks_permission",
                {"permission": permission, "roles": tuple(sorted(set(lacking)))},
            )
        )
    return Decision.deny(*(found or inactive_without))


def check_permission(
    user: AccountId,
    permission: str,
    relationship: RelationshipId,
    grants: Iterable[Grant],
    *,
    now: datetime,
    model: RoleModel = DEFAULT_ROLE_MODEL,
) -> Decision:
    """May ``user`` do ``permission`` on ``relationship`` at ``now``?

    ``grants`` may hold anybody's grants; only those of ``user`` on ``relationship``
    count. For many checks over the same grants build a :class:`GrantIndex` once.

    Returns:
        An allowed decision whose ``reason`` is ``grant:<id>`` of an active grant whose
        role has the permission; otherwise a refusal with ``authz.no_grant`` (the user
        has no grant on the relationship), or every one of ``authz.grant_revoked``,
        ``authz.grant_expired`` (grants that are no longer active) and
        ``authz.role_lacks_permission`` (active grants whose roles lack it).

    Raises:
        SelfcareError: ``time.naive_datetime`` when ``now`` is naive.
    """
    moment = require_aware(now, "now")
    mine = (g for g in grants if g.user == user and g.relationship_id == relationship)
    return _decide(Permission(permission), relationship, mine, moment, model)


def active_roles(
    user: AccountId,
    relationship: RelationshipId,
    grants: Iterable[Grant],
    *,
    now: datetime,
) -> frozenset[Role]:
    """The roles ``user`` holds on ``relationship`` through grants active at ``now``.

    Raises:
        SelfcareError: ``time.naive_datetime`` when ``now`` is naive.
    """
    moment = require_aware(now, "now")
    return frozenset(
        g.role
        for g in grants
        if g.user == user and g.relationship_id == relationship and g.is_active(moment)
    )


def permissions_of(
    user: AccountId,
    relationship: RelationshipId,
    grants: Iterable[Grant],
    *,
    now: datetime,
    model: RoleModel = DEFAULT_ROLE_MODEL,
) -> frozenset[Permission]:
    """Every permission ``user`` has on ``relationship`` at ``now``.

    Raises:
        SelfcareError: ``time.naive_datetime`` when ``now`` is naive.
    """
    result: set[Permission] = set()
    for role in active_roles(user, relationship, grants, now=now):
        result |= model.permissions_of(role)
    return frozenset(result)


def relationships_of(
    user: AccountId, grants: Iterable[Grant], *, now: datetime
) -> frozenset[RelationshipId]:
    """Every relationship on which ``user`` has at least one grant active at ``now``.

    Raises:
        SelfcareError: ``time.naive_datetime`` when ``now`` is naive.
    """
    moment = require_aware(now, "now")
    return frozenset(g.relationship_id for g in grants if g.user == user and g.is_active(moment))


class GrantIndex:
    """Grants indexed by (user, relationship), built once, for checks in O(1).

    A check looks only at the grants of one user on one relationship (a handful), so its
    time does not grow with the number of grants indexed.

    >>> from datetime import datetime, UTC
    >>> from selfcare.authz.model import USER, VIEW_INVOICES
    >>> grant = Grant(id=GrantId("g-1"), user=AccountId("anna"),
    ...               relationship_id=RelationshipId("rel-1"), role=USER,
    ...               granted_at=datetime(2026, 1, 1, tzinfo=UTC))
    >>> index = GrantIndex([grant])
    >>> bool(index.check(AccountId("anna"), VIEW_INVOICES, RelationshipId("rel-1"),
    ...                  now=datetime(2026, 2, 1, tzinfo=UTC)))
    True
    """

    __slots__ = ("_by_key", "_by_user", "model")

    def __init__(self, grants: Iterable[Grant], *, model: RoleModel = DEFAULT_ROLE_MODEL) -> None:
        self.model = model
        self._by_key: dict[tuple[str, str], list[Grant]] = {}
        self._by_user: dict[str, list[Grant]] = {}
        for grant in grants:
            self._by_key.setdefault((grant.user, grant.relationship_id), []).append(grant)
            self._by_user.setdefault(grant.user, []).append(grant)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_key.values())

    def grants_of(self, user: AccountId, relationship: RelationshipId) -> Sequence[Grant]:
        """The grants (active or not) of ``user`` on ``relationship``."""
        return tuple(self._by_key.get((user, relationship), ()))

    def check(
        self,
        user: AccountId,
        permission: str,
        relationship: RelationshipId,
        *,
        now: datetime,
    ) -> Decision:
        """The same answer as :func:`check_permission` over the indexed grants.

        Returns:
            See :func:`check_permission`: ``authz.no_grant``, ``authz.grant_revoked``,
            ``authz.grant_expired``, ``authz.role_lacks_permission``.

        Raises:
            SelfcareError: ``time.naive_datetime`` when ``now`` is naive.
        """
        moment = require_aware(now, "now")
        mine = self._by_key.get((user, relationship), ())
        return _decide(Permission(permission), relationship, mine, moment, self.model)

    def permissions_of(
        self, user: AccountId, relationship: RelationshipId, *, now: datetime
    ) -> frozenset[Permission]:
        """Like :func:`permissions_of` over the indexed grants.

        Raises:
            SelfcareError: ``time.naive_datetime`` when ``now`` is naive.
        """
        return permissions_of(
            user,
            relationship,
            self._by_key.get((user, relationship), ()),
            now=now,
            model=self.model,
        )

    def relationships_of(self, user: AccountId, *, now: datetime) -> frozenset[RelationshipId]:
        """Like :func:`relationships_of` over the indexed grants.

        Raises:
            SelfcareError: ``time.naive_datetime`` when ``now`` is naive.
        """
        return relationships_of(user, self._by_user.get(user, ()), now=now)


def can_manage_users(
    user: AccountId,
    relationship: RelationshipId,
    grants: Iterable[Grant],
    *,
    now: datetime,
    model: RoleModel = DEFAULT_ROLE_MODEL,
) -> Decision:
    """May ``user`` manage the users of ``relationship`` (invite them)?

    Only roles with the model's manage permission may: in the default model the
    holder and the user admin.

    Returns:
        An allowed decision naming the grant, or ``authz.cannot_manage_users``.

    Raises:
        SelfcareError: ``time.naive_datetime`` when ``now`` is naive.
    """
    decision = check_permission(
        user, model.manage_permission, relationship, grants, now=now, model=model
    )
    if decision:
        return decision
    return Decision.deny(Violation("authz.cannot_manage_users", {"relationship": relationship}))


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
    own = active_roles(granter, relationship, grants, now=moment)
    allowed = model.grantable_by(own)
    found: list[Violation] = []
    for role in sorted(set(roles)):
        if role not in model.roles:
            found.append(Violation("authz.unknown_role", {"role": role[:64]}))
        elif role == model.holder_role:
            found.append(Violation("authz.holder_not_grantable", {"role": role}))
        elif role not in allowed:
            found.append(Violation("authz.escalation", {"role": role}))
    return Decision.from_violations(found, reason=manage.reason)


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
    wanted = sorted(set(roles))
    if not wanted:
        return Decision.deny(Violation("authz.no_roles_selected"))
    reason: str | None = None
    found: list[Violation] = []
    allowed: frozenset[Role] = frozenset()
    if remover != user:
        decision = check_permission(
            remover, model.remove_permission, relationship, grants, now=moment, model=model
        )
        if not decision:
            return Decision.deny(
                Violation("authz.cannot_manage_users", {"relationship": relationship})
            )
        reason = decision.reason
        allowed = model.grantable_by(active_roles(remover, relationship, grants, now=moment))
    held = active_roles(user, relationship, grants, now=moment)
    for role in wanted:
        if role not in held:
            found.append(Violation("authz.role_not_held", {"role": role[:64]}))
        elif remover != user and role not in allowed:
            found.append(Violation("authz.escalation", {"role": role}))
    removing = [
        g.id
        for g in grants
        if g.user == user
        and g.relationship_id == relationship
        and g.role in wanted
        and g.is_active(moment)
    ]
    if model.holder_role in wanted:
        found.extend(
            check_holder_remains(
                relationship, grants, removing=removing, now=moment, model=model
            ).violations
        )
    return Decision.from_violations(found, reason=reason)


def _utc(value: datetime) -> datetime:
    return require_aware(value, "requested_at")


@attrs.frozen(kw_only=True)
class RemovalRequest:
    """Phase 1 of "remove authorizations": the roles chosen, waiting for confirmation.

    It names the exact grants (and their versions) that confirming will revoke, so
    that a confirmation after someone else changed them fails with a conflict instead
    of removing something the remover did not see.
    """

    relationship_id: RelationshipId
    user: AccountId
    roles: frozenset[Role]
    requested_by: AccountId
    requested_at: datetime = attrs.field(converter=_utc)
    grants: tuple[Grant, ...]


def remove_roles(
    user: AccountId,
    relationship: RelationshipId,
    roles: Iterable[str],
    grants: Iterable[Grant],
    *,
    by: AccountId,
    now: datetime,
    model: RoleModel = DEFAULT_ROLE_MODEL,
) -> RemovalRequest:
    """Phase 1: check that ``by`` may remove ``roles`` from ``user`` and say what would go.

    Nothing changes yet; show the request and call :func:`confirm_removal` (phase 2).

    Raises:
        SelfcareError: every code of :func:`check_can_remove`, or
            ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    grants = tuple(grants)
    chosen = frozenset(Role(r) for r in roles)
    check_can_remove(
        by, user, relationship, chosen, grants, now=moment, model=model
    ).raise_for_denial()
    affected = tuple(
        g
        for g in grants
        if g.user == user
        and g.relationship_id == relationship
        and g.role in chosen
        and g.is_active(moment)
    )
    return RemovalRequest(
        relationship_id=relationship,
        user=user,
        roles=chosen,
        requested_by=by,
        requested_at=moment,
        grants=affected,
    )


def confirm_removal(
    request: RemovalRequest,
    grants: Iterable[Grant],
    *,
    by: AccountId,
    now: datetime,
    model: RoleModel = DEFAULT_ROLE_MODEL,
) -> tuple[Grant, ...]:
    """Phase 2: the revoked copies (version bumped) of the grants of ``request``.

    The checks run again on the current ``grants``, so a confirmation cannot remove
    the last holder even if another holder left in between.

    Raises:
        SelfcareError: ``authz.removal_not_yours`` when ``by`` is not who asked,
            ``authz.removal_outdated`` when a grant of the request has changed since,
            and every code of :func:`check_can_remove`; ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    if by != request.requested_by:
        raise SelfcareError(Violation("authz.removal_not_yours"))
    current = {g.id: g for g in grants}
    for grant in request.grants:
        if current.get(grant.id) != grant:
            raise SelfcareError(Violation("authz.removal_outdated"))
    check_can_remove(
        by,
        request.user,
        request.relationship_id,
        request.roles,
        current.values(),
        now=moment,
        model=model,
    ).raise_for_denial()
    return tuple(bump(g, revoked_at=moment, revoked_by=by) for g in request.grants)
