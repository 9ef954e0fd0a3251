"""Permission checks: may this account do this on this customer relationship now?

Pure functions over the grants; :class:`GrantIndex` answers many checks over the same
grants in constant time each.

>>> from datetime import datetime, UTC
>>> from selfcare.authz.model import GrantId, USER, VIEW_INVOICES, ORDER_SERVICES
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

from selfcare.authz.model import Grant, Permission, Role
from selfcare.authz.roles import DEFAULT_ROLE_MODEL, RoleModel
from selfcare.core.clock import require_aware
from selfcare.core.decision import Decision, Violation
from selfcare.core.ids import AccountId, RelationshipId
from selfcare.core.outcome import Done, Outcome, Refused

__all__ = [
    "GrantIndex",
    "active_roles",
    "allowing_grant",
    "can_manage_users",
    "check_permission",
    "permissions_of",
    "relationships_of",
]


def _decide(
    permission: Permission,
    relationship: RelationshipId,
    mine: Iterable[Grant],
    now: datetime,
    model: RoleModel,
) -> Outcome[Grant]:
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
            return Done(grant)
        else:
            lacking.append(grant.role)
    if not seen:
        return Refused.because(
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
    return Refused.because(*(found or inactive_without))


def _as_decision(outcome: Outcome[Grant]) -> Decision:
    match outcome:
        case Done(value=grant):
            return Decision.allow(reason=f"grant:{grant.id}")
        case Refused(decision=decision):
            return decision


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
    return _as_decision(
        allowing_grant(user, permission, relationship, grants, now=now, model=model)
    )


def allowing_grant(
    user: AccountId,
    permission: str,
    relationship: RelationshipId,
    grants: Iterable[Grant],
    *,
    now: datetime,
    model: RoleModel = DEFAULT_ROLE_MODEL,
) -> Outcome[Grant]:
    """:func:`check_permission` with the grant that allows it as the value.

    Returns:
        ``Done`` with an active grant of ``user`` on ``relationship`` whose role has
        ``permission``, or ``Refused`` with the decision of :func:`check_permission`
        (``authz.no_grant``, ``authz.grant_revoked``, ``authz.grant_expired``,
        ``authz.role_lacks_permission``).

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
    >>> from selfcare.authz.model import GrantId, USER, VIEW_INVOICES
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
        self.model: RoleModel = model
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
        return _as_decision(_decide(Permission(permission), relationship, mine, moment, self.model))

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
