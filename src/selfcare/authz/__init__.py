"""selfcare.authz: customer relationships, roles, grants, permission checks, invitations
and removal of access (the energy authorization guide).

A contract holder lets another person - a spouse, who needs no contract of their own -
see or manage a customer relationship. Importing this package is light: it needs only
attrs and the identity layer's contact details.

The modules, by topic:

- :mod:`~selfcare.authz.model`: customer relationships, grants, role and permission names;
- :mod:`~selfcare.authz.roles`: the operator's role model;
- :mod:`~selfcare.authz.permissions`: permission checks;
- :mod:`~selfcare.authz.grants`: who may grant which role;
- :mod:`~selfcare.authz.invitation`, :mod:`~selfcare.authz.invitation_reply`,
  :mod:`~selfcare.authz.invitee`, :mod:`~selfcare.authz.invitation_policy`: invitations;
- :mod:`~selfcare.authz.removal`: removing access;
- :mod:`~selfcare.authz.events`: what changed;
- :mod:`~selfcare.authz.ports` and :mod:`~selfcare.authz.service`: storage and use cases.
"""

from selfcare.authz.events import (
    AuthzEvent,
    GrantCreated,
    GrantEvent,
    GrantRevoked,
    InvitationAccepted,
    InvitationCreated,
    InvitationDeclined,
    InvitationEvent,
    InvitationResent,
    InvitationRevoked,
    RelationshipLinked,
)
from selfcare.authz.grants import check_can_grant, new_grants
from selfcare.authz.invitation import (
    Invitation,
    InvitationId,
    InvitationStatus,
    IssuedInvitation,
    hash_token,
    invite,
    resend_invitation,
    revoke_invitation,
)
from selfcare.authz.invitation_policy import EmailMatch, InvitationPolicy
from selfcare.authz.invitation_reply import (
    Acceptance,
    accept_invitation,
    accept_listed_invitation,
    decline_invitation,
    decline_listed_invitation,
)
from selfcare.authz.invitee import (
    AccountContact,
    RegisteredAccount,
    check_cover_message,
    check_invitee_name,
    may_propose_name,
)
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
    CustomerRelationship,
    Grant,
    GrantId,
    Permission,
    RelationshipKind,
    Role,
)
from selfcare.authz.permissions import (
    GrantIndex,
    active_roles,
    allowing_grant,
    can_manage_users,
    check_permission,
    permissions_of,
    relationships_of,
)
from selfcare.authz.ports import (
    AccountDirectory,
    AuthzUnitOfWork,
    GrantRepository,
    InvitationRepository,
    RelationshipRepository,
)
from selfcare.authz.removal import (
    RemovalRequest,
    check_can_remove,
    check_holder_remains,
    confirm_removal,
    request_removal,
)
from selfcare.authz.roles import DEFAULT_ROLE_MODEL, RoleModel
from selfcare.authz.service import AuthzService

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
    "Acceptance",
    "AccountContact",
    "AccountDirectory",
    "AuthzEvent",
    "AuthzService",
    "AuthzUnitOfWork",
    "CustomerRelationship",
    "EmailMatch",
    "Grant",
    "GrantCreated",
    "GrantEvent",
    "GrantId",
    "GrantIndex",
    "GrantRepository",
    "GrantRevoked",
    "Invitation",
    "InvitationAccepted",
    "InvitationCreated",
    "InvitationDeclined",
    "InvitationEvent",
    "InvitationId",
    "InvitationPolicy",
    "InvitationRepository",
    "InvitationResent",
    "InvitationRevoked",
    "InvitationStatus",
    "IssuedInvitation",
    "Permission",
    "RegisteredAccount",
    "RelationshipKind",
    "RelationshipLinked",
    "RelationshipRepository",
    "RemovalRequest",
    "Role",
    "RoleModel",
    "accept_invitation",
    "accept_listed_invitation",
    "active_roles",
    "allowing_grant",
    "can_manage_users",
    "check_can_grant",
    "check_can_remove",
    "check_cover_message",
    "check_holder_remains",
    "check_invitee_name",
    "check_permission",
    "confirm_removal",
    "decline_invitation",
    "decline_listed_invitation",
    "hash_token",
    "invite",
    "may_propose_name",
    "new_grants",
    "permissions_of",
    "relationships_of",
    "request_removal",
    "resend_invitation",
    "revoke_invitation",
]
