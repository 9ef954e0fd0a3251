"""Strategies for selfcare.authz: relationships, grants, invitations, events."""

from __future__ import annotations

import string
from datetime import datetime, timedelta
from typing import Any

from hypothesis import strategies as st

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
from selfcare.authz.invitation import (
    Invitation,
    InvitationId,
    InvitationStatus,
    IssuedInvitation,
    hash_token,
)
from selfcare.authz.invitation_policy import EmailMatch, InvitationPolicy
from selfcare.authz.invitation_reply import Acceptance
from selfcare.authz.invitee import AccountContact, RegisteredAccount
from selfcare.authz.model import (
    CustomerRelationship,
    Grant,
    GrantId,
    RelationshipKind,
    Role,
)
from selfcare.authz.removal import RemovalRequest
from selfcare.authz.roles import DEFAULT_ROLE_MODEL, RoleModel
from selfcare.core.ids import AccountId, CustomerNumber, RelationshipId
from selfcare.identity.contact import EmailAddress
from selfcare.identity.profile import Language
from selfcare.testing.strategies._core import aware_datetimes

__all__ = [
    "ENTITIES",
    "acceptances",
    "account_ids",
    "authz_events",
    "customer_relationships",
    "emails",
    "grants",
    "invitations",
    "issued_invitations",
    "relationship_ids",
    "roles",
]

_ID_CHARS = string.ascii_lowercase + string.digits + "-"


def account_ids() -> st.SearchStrategy[AccountId]:
    """Account ids such as ``acc-3``."""
    return st.integers(0, 50).map(lambda n: AccountId(f"acc-{n}"))


def relationship_ids() -> st.SearchStrategy[RelationshipId]:
    """Relationship ids such as ``rel-2``."""
    return st.integers(0, 10).map(lambda n: RelationshipId(f"rel-{n}"))


def roles() -> st.SearchStrategy[Role]:
    """A role of the default model."""
    return st.sampled_from(sorted(DEFAULT_ROLE_MODEL.roles))


def emails() -> st.SearchStrategy[EmailAddress]:
    """Valid, normalised e-mail addresses with mixed case."""
    local = st.text(string.ascii_letters + string.digits, min_size=1, max_size=12)
    domain = st.sampled_from(["example.fi", "example.se", "example.no", "Example.COM"])
    return st.builds(lambda a, b, d: EmailAddress.parse(f"{a}.{b}@{d}"), local, local, domain)


def _ids(prefix: str) -> st.SearchStrategy[str]:
    return st.text(_ID_CHARS, min_size=1, max_size=12).map(lambda s: f"{prefix}{s}")


def customer_relationships() -> st.SearchStrategy[CustomerRelationship]:
    """Relationships of the usual kinds."""
    return st.builds(
        CustomerRelationship,
        id=relationship_ids(),
        customer_number=st.integers(1, 10**9).map(lambda n: CustomerNumber(str(n))),
        kind=st.sampled_from(RelationshipKind).map(str),
        label=st.text(max_size=20),
    )


@st.composite
def grants(
    draw: st.DrawFn,
    users: st.SearchStrategy[AccountId] | None = None,
    relationships: st.SearchStrategy[RelationshipId] | None = None,
) -> Grant:
    """Grants, active or not: some expire, some are revoked."""
    granted_at = draw(aware_datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1)))  # noqa: DTZ001
    valid_until = draw(
        st.none() | st.integers(1, 10**7).map(lambda s: granted_at + timedelta(seconds=s))
    )
    revoked_at = draw(
        st.none() | st.integers(0, 10**7).map(lambda s: granted_at + timedelta(seconds=s))
    )
    return Grant(
        id=GrantId(draw(_ids("g-"))),
        user=draw(users if users is not None else account_ids()),
        relationship_id=draw(relationships if relationships is not None else relationship_ids()),
        role=draw(roles()),
        granted_by=draw(st.none() | account_ids()),
        granted_at=granted_at,
        valid_until=valid_until,
        revoked_at=revoked_at,
        revoked_by=draw(account_ids()) if revoked_at is not None else None,
        version=draw(st.integers(1, 5)),
    )


_NAMES = st.text(st.characters(categories=["L"]), min_size=1, max_size=20).filter(
    lambda s: s == " ".join(s.split())
)


@st.composite
def invitations(draw: st.DrawFn) -> Invitation:
    """Invitations in every stored status."""
    created = draw(aware_datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1)))  # noqa: DTZ001
    stored = [s for s in InvitationStatus if s is not InvitationStatus.EXPIRED]
    status = draw(st.sampled_from(stored))
    closed = status is not InvitationStatus.PENDING
    return Invitation(
        id=InvitationId(draw(_ids("inv-"))),
        relationship_id=draw(relationship_ids()),
        email=draw(emails()),
        first_name=draw(_NAMES),
        last_name=draw(_NAMES),
        message=draw(st.text(min_size=1, max_size=50).filter(str.strip)),
        roles=draw(st.frozensets(roles(), min_size=1)),
        invited_by=draw(account_ids()),
        created_at=created,
        expires_at=created + timedelta(days=7),
        token_hash=hash_token(draw(st.text(min_size=1, max_size=20))),
        status=status,
        accepted_by=draw(account_ids()) if status is InvitationStatus.ACCEPTED else None,
        closed_at=created + timedelta(hours=1) if closed else None,
        closed_by=draw(st.none() | account_ids()) if closed else None,
        sent_count=draw(st.integers(1, 3)),
        version=draw(st.integers(1, 5)),
    )


def _grant_events(cls: type[GrantEvent]) -> st.SearchStrategy[GrantEvent]:
    return st.builds(
        cls,
        occurred_at=aware_datetimes(),
        actor=st.none() | account_ids(),
        relationship_id=relationship_ids(),
        grant_id=_ids("g-").map(GrantId),
        user=account_ids(),
        roles=st.frozensets(roles()),
    )


def _invitation_events(cls: type[InvitationEvent]) -> st.SearchStrategy[InvitationEvent]:
    extra = {"user": account_ids()} if cls is InvitationAccepted else {}
    return st.builds(
        cls,
        occurred_at=aware_datetimes(),
        actor=st.none() | account_ids(),
        relationship_id=relationship_ids(),
        invitation_id=_ids("inv-").map(InvitationId),
        roles=st.frozensets(roles()),
        **extra,
    )


_GRANT_EVENTS: dict[type, st.SearchStrategy[Any]] = {
    cls: _grant_events(cls) for cls in (RelationshipLinked, GrantCreated, GrantRevoked)
}
_INVITATION_EVENTS: dict[type, st.SearchStrategy[Any]] = {
    cls: _invitation_events(cls)
    for cls in (
        InvitationCreated,
        InvitationResent,
        InvitationAccepted,
        InvitationDeclined,
        InvitationRevoked,
    )
}


def authz_events() -> st.SearchStrategy[AuthzEvent]:
    """Every kind of authz event."""
    return st.one_of(*_GRANT_EVENTS.values(), *_INVITATION_EVENTS.values())


@st.composite
def _removal_requests(draw: st.DrawFn) -> RemovalRequest:
    user = draw(account_ids())
    relationship = draw(relationship_ids())
    found = draw(st.lists(grants(st.just(user), st.just(relationship)), max_size=3))
    return RemovalRequest(
        relationship_id=relationship,
        user=user,
        roles=frozenset(g.role for g in found),
        requested_by=draw(account_ids()),
        requested_at=draw(aware_datetimes()),
        grants=tuple(found),
    )


def _policies() -> st.SearchStrategy[InvitationPolicy]:
    return st.builds(
        InvitationPolicy,
        validity_days=st.integers(1, 30),
        timezone=st.sampled_from(["Europe/Helsinki", "Europe/Stockholm", "Europe/Oslo", "UTC"]),
        token_bytes=st.integers(16, 64),
        message_max_length=st.integers(1, 5000),
        name_max_length=st.integers(1, 200),
        email_match=st.sampled_from(EmailMatch),
        propose_registered_names=st.booleans(),
    )


def _role_models() -> st.SearchStrategy[RoleModel]:
    return st.just(DEFAULT_ROLE_MODEL) | st.just(
        RoleModel(
            permissions={
                "holder": {"view_contracts", "invite_users"},
                "viewer": {"view_contracts"},
            },
            grantable={"holder": {"viewer"}},
        )
    )


_TOKENS = st.text(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", min_size=22, max_size=43
)


def issued_invitations() -> st.SearchStrategy[IssuedInvitation]:
    """An invitation with the token for its e-mail."""
    return st.builds(IssuedInvitation, invitation=invitations(), token=_TOKENS)


def acceptances() -> st.SearchStrategy[Acceptance]:
    """An accepted invitation and the grants it created."""
    return st.builds(
        Acceptance,
        invitation=invitations(),
        grants=st.lists(grants(), max_size=3).map(tuple),
        newly_accepted=st.booleans(),
    )


ENTITIES: dict[type, st.SearchStrategy[Any]] = {
    CustomerRelationship: customer_relationships(),
    Grant: grants(),
    Invitation: invitations(),
    IssuedInvitation: issued_invitations(),
    Acceptance: acceptances(),
    **_GRANT_EVENTS,
    **_INVITATION_EVENTS,
    AuthzEvent: authz_events(),
    GrantEvent: st.one_of(*_GRANT_EVENTS.values()),
    InvitationEvent: st.one_of(*_INVITATION_EVENTS.values()),
    RemovalRequest: _removal_requests(),
    InvitationPolicy: _policies(),
    RoleModel: _role_models(),
    RegisteredAccount: st.builds(
        RegisteredAccount, account=account_ids(), first_name=_NAMES, last_name=_NAMES
    ),
    AccountContact: st.builds(
        AccountContact,
        account=account_ids(),
        first_name=_NAMES,
        last_name=_NAMES,
        email=st.none() | emails(),
        language=st.sampled_from(Language),
    ),
}
