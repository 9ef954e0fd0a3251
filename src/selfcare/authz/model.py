"""Customer relationships, roles, permissions, grants and audit events.

A *customer relationship* is one customer number of the operator (an electricity
contract, a mobile subscription, ...). People reach it through *grants*: one grant gives
one account one *role* on one relationship. What a role may do is a set of
*permissions*, given by a :class:`RoleModel` that the operator may replace.

The default model (:data:`DEFAULT_ROLE_MODEL`) follows seed 003 of the project: the
``holder`` of the contract may do everything; a ``user`` sees contracts, invoices and
consumption; an ``orderer`` may also order and change services; a ``user_admin`` may
also invite and remove users.

>>> DEFAULT_ROLE_MODEL.has_permission(ORDERER, ORDER_SERVICES)
True
>>> sorted(DEFAULT_ROLE_MODEL.grantable_by(frozenset({USER_ADMIN})))
['orderer', 'user', 'user_admin']
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, Final, NewType

import attrs

from selfcare.core.clock import require_aware
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import AccountId, CustomerNumber, RelationshipId

__all__ = [
    "CHANGE_SERVICES",
    "DEFAULT_ROLE_MODEL",
    "HOLDER",
    "INVITE_USERS",
    "ORDERER",
    "ORDER_SERVICES",
    "REMOVE_USERS",
    "USER",
    "USER_ADMIN",
    "VIEW_CONSUMPTION",
    "VIEW_CONTRACTS",
    "VIEW_INVOICES",
    "VIEW_USERS",
    "AuthzAction",
    "AuthzEvent",
    "CustomerRelationship",
    "Grant",
    "GrantId",
    "Permission",
    "RelationshipKind",
    "Role",
    "RoleModel",
]

#: The name of a role (``holder``, ``user``, ... or an operator's own).
Role = NewType("Role", str)
#: The name of a permission (``view_invoices``, ... or an operator's own).
Permission = NewType("Permission", str)
#: The id of a :class:`Grant`.
GrantId = NewType("GrantId", str)

HOLDER: Final = Role("holder")
USER: Final = Role("user")
ORDERER: Final = Role("orderer")
USER_ADMIN: Final = Role("user_admin")

VIEW_CONTRACTS: Final = Permission("view_contracts")
VIEW_INVOICES: Final = Permission("view_invoices")
VIEW_CONSUMPTION: Final = Permission("view_consumption")
ORDER_SERVICES: Final = Permission("order_services")
CHANGE_SERVICES: Final = Permission("change_services")
VIEW_USERS: Final = Permission("view_users")
INVITE_USERS: Final = Permission("invite_users")
REMOVE_USERS: Final = Permission("remove_users")

_Validator = Callable[[Any, Any, Any], None]

_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")


def _check_name(kind: str, value: object) -> None:
    if not isinstance(value, str) or _NAME.fullmatch(value) is None:
        shown = value[:64] if isinstance(value, str) else type(value).__name__
        raise SelfcareError(Violation("authz.invalid_name", {"kind": kind, "name": shown}))


class RelationshipKind(enum.StrEnum):
    """The kinds of customer relationship the portals of the seeds know.

    A relationship's ``kind`` is a plain snake_case string, so an operator may use
    kinds of its own; these are the usual ones.
    """

    ELECTRICITY = "electricity"
    DISTRICT_HEATING = "district_heating"
    GAS = "gas"
    BROADBAND_TV = "broadband_tv"
    MOBILE = "mobile"
    CORPORATE_MOBILE = "corporate_mobile"


def _validate_kind(_instance: object, _attribute: object, value: Any) -> None:
    _check_name("kind", value)


def _validate_text_id(name: str) -> _Validator:
    def validate(_instance: object, _attribute: object, value: object) -> None:
        if not isinstance(value, str) or not value or len(value) > 128 or not value.isprintable():
            raise SelfcareError(Violation("authz.invalid_id", {"field": name}))

    return validate


def _kind(value: object) -> str:
    # A StrEnum member is stored as its plain value so that equality and the wire
    # format do not depend on whether a caller passed the member or the string.
    return str(value) if isinstance(value, enum.StrEnum) else value  # type: ignore[return-value]


@attrs.frozen(kw_only=True)
class CustomerRelationship:
    """One customer relationship of the operator, known by its customer number.

    Args:
        id: the relationship's id.
        customer_number: the operator's customer number (unique per relationship).
        kind: a :class:`RelationshipKind` value or an operator's own snake_case kind.
        label: an optional label the holder sees ("Summer cottage").

    Raises:
        SelfcareError: ``authz.invalid_id`` for an empty or unprintable id or customer
            number, ``authz.invalid_name`` for a kind that is not snake_case.

    >>> CustomerRelationship(id=RelationshipId("rel-1"), customer_number=CustomerNumber("1234567"),
    ...                      kind=RelationshipKind.ELECTRICITY).kind
    'electricity'
    """

    id: RelationshipId = attrs.field(validator=_validate_text_id("id"))
    customer_number: CustomerNumber = attrs.field(validator=_validate_text_id("customer_number"))
    kind: str = attrs.field(converter=_kind, validator=_validate_kind)
    label: str = ""


def _roles(value: Iterable[str]) -> frozenset[Role]:
    return frozenset(Role(r) for r in value)


def _permissions(value: Iterable[str]) -> frozenset[Permission]:
    return frozenset(Permission(p) for p in value)


def _validate_role(_instance: object, _attribute: object, value: Any) -> None:
    _check_name("role", value)


def _utc(value: datetime) -> datetime:
    return require_aware(value, "time")


def _optional_utc(value: datetime | None) -> datetime | None:
    return None if value is None else require_aware(value, "time")


@attrs.frozen(kw_only=True)
class Grant:
    """One role of one account on one customer relationship.

    A grant allows something at a time ``now`` only while it is *active*:
    ``granted_at <= now``, not revoked at or before ``now`` and, if it has a
    ``valid_until``, ``now`` is before it. ``granted_by`` is ``None`` for a holder grant
    made by customer matching (nobody granted it; the national id did).

    Raises:
        SelfcareError: ``authz.invalid_id`` for an empty id, ``authz.invalid_name`` for
            a role that is not snake_case, ``time.naive_datetime`` for a naive time,
            ``authz.invalid_validity`` when ``valid_until`` is not after ``granted_at``.
    """

    id: GrantId = attrs.field(validator=_validate_text_id("id"))
    user: AccountId = attrs.field(validator=_validate_text_id("user"))
    relationship_id: RelationshipId = attrs.field(validator=_validate_text_id("relationship_id"))
    role: Role = attrs.field(validator=_validate_role)
    granted_by: AccountId | None = None
    granted_at: datetime = attrs.field(converter=_utc)
    valid_until: datetime | None = attrs.field(default=None, converter=_optional_utc)
    revoked_at: datetime | None = attrs.field(default=None, converter=_optional_utc)
    revoked_by: AccountId | None = None
    version: int = 1

    def __attrs_post_init__(self) -> None:
        if self.valid_until is not None and self.valid_until <= self.granted_at:
            raise SelfcareError(Violation("authz.invalid_validity", {"grant": self.id}))

    def is_revoked(self, now: datetime) -> bool:
        """Whether the grant was revoked at or before ``now``."""
        return self.revoked_at is not None and self.revoked_at <= now

    def is_expired(self, now: datetime) -> bool:
        """Whether ``valid_until`` has passed at ``now``."""
        return self.valid_until is not None and self.valid_until <= now

    def is_active(self, now: datetime) -> bool:
        """Whether the grant allows anything at ``now`` (an aware datetime)."""
        return self.granted_at <= now and not self.is_revoked(now) and not self.is_expired(now)


def _freeze_role_map(
    value: Mapping[str, Iterable[str]],
) -> Mapping[Role, frozenset[Permission]]:
    return MappingProxyType({Role(k): _permissions(v) for k, v in value.items()})


def _freeze_grantable(value: Mapping[str, Iterable[str]]) -> Mapping[Role, frozenset[Role]]:
    return MappingProxyType({Role(k): _roles(v) for k, v in value.items()})


@attrs.frozen(kw_only=True)
class RoleModel:
    """Which permissions each role has and which roles each role may grant.

    The operator may replace it; a model is checked when built so that it cannot break
    the invariants of the library:

    - every role named anywhere is defined, with snake_case names;
    - ``holder_role`` exists and is never grantable (holders come from customer
      matching only);
    - no escalation: a role may grant only roles whose permissions it has itself;
    - only roles with ``manage_permission`` may grant anything (manage users).

    Args:
        permissions: role -> permissions.
        grantable: role -> the roles it may grant (invite someone to, or remove).
        holder_role: the role customer matching gives the contract holder.
        manage_permission: the permission that lets a role invite and remove users.

    Raises:
        SelfcareError: ``authz.invalid_name``, ``authz.unknown_role``,
            ``authz.holder_grantable``, ``authz.escalation`` and
            ``authz.grant_without_manage_permission``, every one that applies.
    """

    permissions: Mapping[Role, frozenset[Permission]] = attrs.field(
        converter=_freeze_role_map, eq=False, hash=False
    )
    grantable: Mapping[Role, frozenset[Role]] = attrs.field(
        converter=_freeze_grantable, eq=False, hash=False
    )
    holder_role: Role = HOLDER
    manage_permission: Permission = INVITE_USERS
    remove_permission: Permission = REMOVE_USERS

    def __attrs_post_init__(self) -> None:
        found: list[Violation] = []
        for role, permissions in self.permissions.items():
            _collect_name(found, "role", role)
            for permission in sorted(permissions):
                _collect_name(found, "permission", permission)
        for name in (self.manage_permission, self.remove_permission):
            _collect_name(found, "permission", name)
        if self.holder_role not in self.permissions:
            found.append(Violation("authz.unknown_role", {"role": str(self.holder_role)[:64]}))
        for granter, roles in self.grantable.items():
            if granter not in self.permissions:
                found.append(Violation("authz.unknown_role", {"role": str(granter)[:64]}))
                continue
            own = self.permissions[granter]
            if roles and self.manage_permission not in own:
                found.append(Violation("authz.grant_without_manage_permission", {"role": granter}))
            for role in sorted(roles):
                if role not in self.permissions:
                    found.append(Violation("authz.unknown_role", {"role": str(role)[:64]}))
                elif role == self.holder_role:
                    found.append(Violation("authz.holder_grantable", {"role": granter}))
                elif not self.permissions[role] <= own:
                    found.append(Violation("authz.escalation", {"role": role}))
        if found:
            raise SelfcareError(*found)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RoleModel):
            return NotImplemented
        return (
            dict(self.permissions) == dict(other.permissions)
            and dict(self.grantable) == dict(other.grantable)
            and self.holder_role == other.holder_role
            and self.manage_permission == other.manage_permission
            and self.remove_permission == other.remove_permission
        )

    def __hash__(self) -> int:
        return hash((frozenset(self.permissions.items()), self.holder_role))

    @property
    def roles(self) -> frozenset[Role]:
        """Every role the model defines."""
        return frozenset(self.permissions)

    def permissions_of(self, role: str) -> frozenset[Permission]:
        """The permissions of ``role``; none for a role the model does not define."""
        return self.permissions.get(Role(role), frozenset())

    def has_permission(self, role: str, permission: str) -> bool:
        """Whether ``role`` has ``permission``."""
        return Permission(permission) in self.permissions_of(role)

    def grantable_by(self, roles: Iterable[str]) -> frozenset[Role]:
        """Every role that a holder of ``roles`` may grant."""
        result: set[Role] = set()
        for role in roles:
            result |= self.grantable.get(Role(role), frozenset())
        return frozenset(result)


def _collect_name(found: list[Violation], kind: str, value: str) -> None:
    try:
        _check_name(kind, value)
    except SelfcareError as error:
        found.extend(error.violations)


_USER_PERMISSIONS: Final = frozenset({VIEW_CONTRACTS, VIEW_INVOICES, VIEW_CONSUMPTION})
_ORDERER_PERMISSIONS: Final = _USER_PERMISSIONS | {ORDER_SERVICES, CHANGE_SERVICES}
_ADMIN_PERMISSIONS: Final = _ORDERER_PERMISSIONS | {VIEW_USERS, INVITE_USERS, REMOVE_USERS}

#: The default roles of seed 003: holder > user_admin > orderer > user.
DEFAULT_ROLE_MODEL: Final = RoleModel(
    permissions={
        HOLDER: _ADMIN_PERMISSIONS,
        USER_ADMIN: _ADMIN_PERMISSIONS,
        ORDERER: _ORDERER_PERMISSIONS,
        USER: _USER_PERMISSIONS,
    },
    grantable={
        HOLDER: {USER, ORDERER, USER_ADMIN},
        USER_ADMIN: {USER, ORDERER, USER_ADMIN},
    },
)


class AuthzAction(enum.StrEnum):
    """What an :class:`AuthzEvent` records."""

    RELATIONSHIP_LINKED = "relationship_linked"
    GRANT_CREATED = "grant_created"
    GRANT_REVOKED = "grant_revoked"
    INVITATION_CREATED = "invitation_created"
    INVITATION_RESENT = "invitation_resent"
    INVITATION_ACCEPTED = "invitation_accepted"
    INVITATION_DECLINED = "invitation_declined"
    INVITATION_REVOKED = "invitation_revoked"


@attrs.frozen(kw_only=True)
class AuthzEvent:
    """An audit record of one change: who did what, when, on which relationship.

    Services return events; the caller stores or publishes them. ``subject`` is the id
    of the grant or invitation changed, ``user`` the account whose access changed (if
    known), ``roles`` the roles concerned. Never a token, never an e-mail address.
    """

    action: AuthzAction
    actor: AccountId | None
    at: datetime = attrs.field(converter=_utc)
    relationship_id: RelationshipId
    subject: str
    user: AccountId | None = None
    roles: frozenset[Role] = attrs.field(default=frozenset(), converter=_roles)
