"""The role model: which permissions each role has and which roles each may grant.

The operator may replace the model; :data:`DEFAULT_ROLE_MODEL` follows the energy authorization
guide of the
project: the ``holder`` of the contract may do everything; a ``user`` sees contracts,
invoices and consumption; an ``orderer`` may also order and change services; a
``user_admin`` may also invite and remove users.

>>> DEFAULT_ROLE_MODEL.has_permission(ORDERER, ORDER_SERVICES)
True
>>> sorted(DEFAULT_ROLE_MODEL.grantable_by(frozenset({USER_ADMIN})))
['orderer', 'user', 'user_admin']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

import attrs

from selfcare.authz.model import (
    CHANGE_SERVICES,
    HOLDER,
    INVITE_USERS,
    ORDER_SERVICES,
    ORDERER,
    REMOVE_USERS,
    USER,
    USER_ADMIN,
    VIEW_CONSUMPTION,
    VIEW_CONTRACTS,
    VIEW_INVOICES,
    VIEW_USERS,
    Permission,
    Role,
    check_name,
    to_roles,
)
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError

__all__ = ["DEFAULT_ROLE_MODEL", "RoleModel"]


def _to_permissions(value: Iterable[str]) -> frozenset[Permission]:
    return frozenset(Permission(p) for p in value)


def _freeze_role_map(
    value: Mapping[str, Iterable[str]],
) -> Mapping[Role, frozenset[Permission]]:
    return MappingProxyType({Role(k): _to_permissions(v) for k, v in value.items()})


def _freeze_grantable(value: Mapping[str, Iterable[str]]) -> Mapping[Role, frozenset[Role]]:
    return MappingProxyType({Role(k): to_roles(v) for k, v in value.items()})


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
        remove_permission: the permission that lets a role remove other users' roles.

    Raises:
        SelfcareError: ``authz.invalid_name``, ``authz.unknown_role``,
            ``authz.holder_grantable``, ``authz.escalation`` and
            ``authz.grant_without_manage_permission``, every one that applies.
    """

    # Compared and hashed by the class's own __eq__ and __hash__ (by content).
    permissions: Mapping[Role, frozenset[Permission]] = attrs.field(converter=_freeze_role_map)
    grantable: Mapping[Role, frozenset[Role]] = attrs.field(converter=_freeze_grantable)
    holder_role: Role = HOLDER
    manage_permission: Permission = INVITE_USERS
    remove_permission: Permission = REMOVE_USERS

    def __attrs_post_init__(self) -> None:
        found = [*_invalid_names(self), *_unknown_holder(self)]
        for granter, roles in self.grantable.items():
            found.extend(_invalid_grants(self, granter, roles))
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


def _name_violations(kind: str, value: str) -> tuple[Violation, ...]:
    try:
        check_name(kind, value)
    except SelfcareError as error:
        return error.violations
    return ()


def _invalid_names(model: RoleModel) -> list[Violation]:
    """``authz.invalid_name`` for each role or permission name that is not snake_case."""
    found: list[Violation] = []
    for role, permissions in model.permissions.items():
        found.extend(_name_violations("role", role))
        for permission in sorted(permissions):
            found.extend(_name_violations("permission", permission))
    for name in (model.manage_permission, model.remove_permission):
        found.extend(_name_violations("permission", name))
    return found


def _unknown_holder(model: RoleModel) -> list[Violation]:
    """``authz.unknown_role`` when the holder role has no permissions entry."""
    if model.holder_role in model.permissions:
        return []
    return [Violation("authz.unknown_role", {"role": str(model.holder_role)[:64]})]


def _invalid_grants(model: RoleModel, granter: Role, roles: frozenset[Role]) -> list[Violation]:
    """What is wrong with letting ``granter`` grant ``roles``: an unknown role, granting
    without the manage permission, a grantable holder, or an escalation."""
    if granter not in model.permissions:
        return [Violation("authz.unknown_role", {"role": str(granter)[:64]})]
    own = model.permissions[granter]
    found: list[Violation] = []
    if roles and model.manage_permission not in own:
        found.append(Violation("authz.grant_without_manage_permission", {"role": granter}))
    for role in sorted(roles):
        if role not in model.permissions:
            found.append(Violation("authz.unknown_role", {"role": str(role)[:64]}))
        elif role == model.holder_role:
            found.append(Violation("authz.holder_grantable", {"role": granter}))
        elif not model.permissions[role] <= own:
            found.append(Violation("authz.escalation", {"role": role}))
    return found


_USER_PERMISSIONS: Final = frozenset({VIEW_CONTRACTS, VIEW_INVOICES, VIEW_CONSUMPTION})
_ORDERER_PERMISSIONS: Final = _USER_PERMISSIONS | {ORDER_SERVICES, CHANGE_SERVICES}
_ADMIN_PERMISSIONS: Final = _ORDERER_PERMISSIONS | {VIEW_USERS, INVITE_USERS, REMOVE_USERS}

#: The default roles of the energy authorization guide: holder > user_admin > orderer > user.
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
