"""The entities every authz topic shares: customer relationships and grants, and the
names of roles and permissions.

A *customer relationship* is one customer number of the operator (an electricity
contract, a mobile subscription, ...). People reach it through *grants*: one grant gives
one account one *role* on one relationship. What a role may do is a set of
*permissions*, given by the operator's :class:`~selfcare.authz.roles.RoleModel`.

The role and permission names below are those of the energy authorization guide (the default role
model); an operator's model may add its own snake_case names.

>>> from datetime import datetime, UTC
>>> grant = Grant(id=GrantId("g-1"), user=AccountId("anna"),
...               relationship_id=RelationshipId("rel-1"), role=USER,
...               granted_at=datetime(2026, 1, 1, tzinfo=UTC))
>>> grant.is_active(datetime(2026, 2, 1, tzinfo=UTC))
True
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Final, NewType

import attrs

from selfcare.core.clock import utc_field
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import AccountId, CustomerNumber, RelationshipId

__all__ = [
    "CHANGE_SERVICES",
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
    "CustomerRelationship",
    "Grant",
    "GrantId",
    "Permission",
    "RelationshipKind",
    "Role",
    "check_name",
    "to_roles",
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


def check_name(kind: str, value: object) -> None:
    """Raise unless ``value`` is a snake_case name (of a role, permission or kind).

    Raises:
        SelfcareError: ``authz.invalid_name``.
    """
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
    check_name("kind", value)


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


def to_roles(value: Iterable[str]) -> frozenset[Role]:
    """``value`` as a frozen set of :data:`Role` names (the converter of role fields)."""
    return frozenset(Role(r) for r in value)


def _validate_role(_instance: object, _attribute: object, value: Any) -> None:
    check_name("role", value)


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
    granted_at: datetime = utc_field()
    valid_until: datetime | None = utc_field(optional=True, default=None)
    revoked_at: datetime | None = utc_field(optional=True, default=None)
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
