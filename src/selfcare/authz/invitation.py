"""Invitations: letting another person use a customer relationship (the energy authorization guide).

The holder (or a user admin) of a relationship invites someone by e-mail - a spouse or
partner who needs no contract of their own - in four phases: the invitee's e-mail, their
first and last name (:mod:`~selfcare.authz.invitee`), a mandatory cover message, and
confirmation. :func:`invite` checks all of it at once and returns the
:class:`IssuedInvitation`: the :class:`Invitation` to store and the token to put in the
e-mail link. Only a SHA-256 hash of the token is stored; the token has at least 128
random bits from the injected :class:`~selfcare.core.ids.SecretSource`, works once, and
dies after 7 days computed in the operator's time zone
(:class:`~selfcare.authz.invitation_policy.InvitationPolicy`).

The invitee - registering first if they have no account - accepts or declines
(:mod:`~selfcare.authz.invitation_reply`); the inviter may revoke or resend a pending
invitation (:func:`revoke_invitation`, :func:`resend_invitation`). An invitation is
*pending* until it is accepted, declined or revoked; a pending invitation whose time has
run out is *expired* (:meth:`Invitation.status_at`).

Every rule here is pure and returns an :class:`~selfcare.core.outcome.Outcome` without
events; :class:`~selfcare.authz.service.AuthzService` stores the result and adds them.

>>> from datetime import datetime, UTC
>>> from selfcare.core.ids import SequentialIds, SystemSecrets
>>> from selfcare.authz.model import GrantId, HOLDER, USER
>>> now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
>>> rel = RelationshipId("rel-1")
>>> holder = Grant(id=GrantId("g-1"), user=AccountId("anna"), relationship_id=rel,
...                role=HOLDER, granted_at=datetime(2026, 1, 1, tzinfo=UTC))
>>> issued = invite(rel, "Pekka.Virtanen@example.fi", first_name="Pekka",
...                 last_name="Virtanen", message="Hi, this is for the cottage contract.",
...                 roles={USER}, inviter=AccountId("anna"), grants=[holder], existing=[],
...                 ids=SequentialIds("inv"), secrets=SystemSecrets(), now=now).unwrap()
>>> issued.invitation.status_at(now), issued.invitation.expires_at.isoformat()
(<InvitationStatus.PENDING: 'pending'>, '2026-03-09T08:00:00+00:00')
>>> "token" in repr(issued.invitation) or issued.token in repr(issued)
False
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from typing import NewType

import attrs

from selfcare.authz.grants import check_can_grant
from selfcare.authz.invitation_policy import MIN_TOKEN_BYTES, InvitationPolicy
from selfcare.authz.invitee import check_cover_message, check_invitee_name
from selfcare.authz.model import Grant, Role, to_roles
from selfcare.authz.permissions import can_manage_users
from selfcare.authz.roles import DEFAULT_ROLE_MODEL, RoleModel
from selfcare.core.clock import add_local_days, operator_zone, require_aware, utc_field
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import AccountId, IdSource, RelationshipId, SecretSource
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.core.ports import next_version
from selfcare.core.secrets import secret_field
from selfcare.identity.account import token_digest
from selfcare.identity.contact import EmailAddress

__all__ = [
    "Invitation",
    "InvitationId",
    "InvitationStatus",
    "IssuedInvitation",
    "hash_token",
    "invite",
    "resend_invitation",
    "revoke_invitation",
]

#: The id of an :class:`Invitation`.
InvitationId = NewType("InvitationId", str)

#: The longest token looked at; anything longer is not one of ours.
MAX_TOKEN_LENGTH = 512


class InvitationStatus(enum.StrEnum):
    """Where an invitation is in its life. ``expired`` is never stored: it is a pending
    invitation looked at after its ``expires_at`` (see :meth:`Invitation.status_at`)."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REVOKED = "revoked"
    EXPIRED = "expired"


@attrs.frozen(kw_only=True)
class Invitation:
    """An invitation to use a customer relationship with some roles.

    ``token_hash`` is the SHA-256 hex digest of the token (never the token) and is left
    out of the ``repr``. ``status`` is the stored status; ask :meth:`status_at` for the
    one that counts at a given time.
    """

    id: InvitationId
    relationship_id: RelationshipId
    email: EmailAddress
    first_name: str
    last_name: str
    message: str
    roles: frozenset[Role] = attrs.field(converter=to_roles)
    invited_by: AccountId
    created_at: datetime = utc_field()
    expires_at: datetime = utc_field()
    token_hash: str = secret_field()
    status: InvitationStatus = InvitationStatus.PENDING
    accepted_by: AccountId | None = None
    closed_at: datetime | None = utc_field(optional=True, default=None)
    closed_by: AccountId | None = None
    sent_count: int = 1
    version: int = 1

    def status_at(self, now: datetime) -> InvitationStatus:
        """The status at ``now``: a pending invitation past ``expires_at`` is expired.

        Raises:
            SelfcareError: ``time.naive_datetime`` when ``now`` is naive.
        """
        moment = require_aware(now, "now")
        if self.status is InvitationStatus.PENDING and moment >= self.expires_at:
            return InvitationStatus.EXPIRED
        return self.status

    def is_pending(self, now: datetime) -> bool:
        """Whether it can still be accepted at ``now``."""
        return self.status_at(now) is InvitationStatus.PENDING


@attrs.frozen
class IssuedInvitation:
    """A new or resent invitation and its token (to send in the e-mail, never to store;
    left out of the ``repr``)."""

    invitation: Invitation
    token: str = secret_field()


def hash_token(token: str) -> str:
    """The stored form of a token: its SHA-256 digest in hex.

    A token has at least 128 random bits, so a fast hash without salt is enough: there
    is nothing to guess from a leaked hash.

    >>> len(hash_token("abc"))
    64

    Raises:
        TypeError: ``token`` is not a string.
    """
    return token_digest(token)


def looks_like_token(token: object) -> bool:
    """Whether ``token`` could be a token at all (a string of 1-512 characters)."""
    return isinstance(token, str) and 0 < len(token) <= MAX_TOKEN_LENGTH


def _parse_email(text: str | EmailAddress) -> tuple[EmailAddress | None, list[Violation]]:
    raw: object = text  # callers may pass None from a form library
    if isinstance(raw, EmailAddress):
        return raw, []
    if not isinstance(raw, str):
        return None, [Violation("email.empty")]
    try:
        return EmailAddress.parse(raw), []
    except SelfcareError as error:
        return None, list(error.violations)


def _role_violations(
    inviter: AccountId,
    roles: frozenset[Role],
    relationship: RelationshipId,
    grants: tuple[Grant, ...],
    *,
    moment: datetime,
    model: RoleModel,
) -> tuple[Violation, ...]:
    """``invitation.no_roles``, or why the inviter may not give one of ``roles``."""
    if not roles:
        return (Violation("invitation.no_roles"),)
    return check_can_grant(inviter, roles, relationship, grants, now=moment, model=model).violations


def _already_pending(
    address: EmailAddress | None,
    relationship: RelationshipId,
    existing: Iterable[Invitation],
    moment: datetime,
) -> tuple[Violation, ...]:
    """``invitation.already_pending`` when ``address`` has a pending invitation."""
    if address is not None and any(
        other.relationship_id == relationship
        and other.email == address
        and other.is_pending(moment)
        for other in existing
    ):
        return (Violation("invitation.already_pending"),)
    return ()


def _new_token(secrets: SecretSource, policy: InvitationPolicy) -> str:
    token = secrets.token(max(policy.token_bytes, MIN_TOKEN_BYTES))
    if not isinstance(token, str) or len(token) < 22:  # 16 bytes in URL-safe base64
        msg = "SecretSource.token returned too short a token"
        raise TypeError(msg)
    return token


def _expiry(moment: datetime, policy: InvitationPolicy) -> datetime:
    return add_local_days(moment, policy.validity_days, zone=operator_zone(policy.timezone))


def invite(
    relationship: RelationshipId,
    email: str | EmailAddress,
    *,
    first_name: str,
    last_name: str,
    message: str,
    roles: Iterable[str],
    inviter: AccountId,
    grants: Iterable[Grant],
    existing: Iterable[Invitation],
    ids: IdSource,
    secrets: SecretSource,
    now: datetime,
    policy: InvitationPolicy | None = None,
    model: RoleModel = DEFAULT_ROLE_MODEL,
) -> Outcome[IssuedInvitation]:
    """Phases 1-4 of the energy authorization guide: check everything and issue the invitation.

    Args:
        relationship: the relationship to give access to.
        email: the invitee's e-mail address as typed (normalised here).
        first_name: the invitee's first name.
        last_name: the invitee's last name.
        message: the mandatory cover message.
        roles: the roles to give; at least one, each grantable by the inviter.
        inviter: who invites.
        grants: the grants of ``relationship`` (others are ignored).
        existing: the invitations of ``relationship`` (to refuse a second pending one
            to the same address).
        ids: where the invitation id comes from.
        secrets: where the token comes from.
        now: the current time (aware).
        policy: the operator's invitation policy.
        model: the operator's role model.

    Returns:
        The :class:`IssuedInvitation`; or a refusal with ``authz.cannot_manage_users``
        alone when the inviter may not manage users; otherwise with every one that
        applies of the ``email.*`` codes of
        :meth:`~selfcare.identity.contact.EmailAddress.parse`, the codes of
        :func:`~selfcare.authz.invitee.check_invitee_name` and
        :func:`~selfcare.authz.invitee.check_cover_message`, ``invitation.no_roles``,
        ``authz.unknown_role``, ``authz.holder_not_grantable``, ``authz.escalation``
        and ``invitation.already_pending``.

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    rules = policy or InvitationPolicy()
    moment = require_aware(now, "now")
    grants = tuple(g for g in grants if g.relationship_id == relationship)
    # Stop here for an outsider: the other checks would tell them about pending invitations.
    manage = can_manage_users(inviter, relationship, grants, now=moment, model=model)
    if not manage:
        return Refused(manage)
    address, found = _parse_email(email)
    names = check_invitee_name(first_name, last_name, policy=rules)
    cover = check_cover_message(message, policy=rules)
    chosen = to_roles(roles)
    found += [
        *names.violations,
        *cover.violations,
        *_role_violations(inviter, chosen, relationship, grants, moment=moment, model=model),
        *_already_pending(address, relationship, existing, moment),
    ]
    if found or address is None:
        return Refused.because(*found)
    first, last = (names.reason or "\n").split("\n")
    token = _new_token(secrets, rules)
    invitation = Invitation(
        id=InvitationId(ids.new_id()),
        relationship_id=relationship,
        email=address,
        first_name=first,
        last_name=last,
        message=cover.reason or "",
        roles=chosen,
        invited_by=inviter,
        created_at=moment,
        expires_at=_expiry(moment, rules),
        token_hash=hash_token(token),
    )
    return Done(IssuedInvitation(invitation, token))


def _manager_violations(
    invitation: Invitation,
    by: AccountId,
    grants: Iterable[Grant],
    moment: datetime,
    model: RoleModel,
) -> tuple[Violation, ...]:
    """``invitation.not_allowed`` unless ``by`` invited or manages the users, then
    ``invitation.not_pending`` unless it is still pending (an expired one counts)."""
    if by != invitation.invited_by and not can_manage_users(
        by, invitation.relationship_id, tuple(grants), now=moment, model=model
    ):
        return (Violation("invitation.not_allowed"),)
    if invitation.status is not InvitationStatus.PENDING:
        return (Violation("invitation.not_pending", {"status": str(invitation.status)}),)
    return ()


def _resender_violations(
    invitation: Invitation,
    by: AccountId,
    grants: tuple[Grant, ...],
    moment: datetime,
    model: RoleModel,
) -> tuple[Violation, ...]:
    """``invitation.not_allowed`` unless ``by`` may manage the users now, then
    ``invitation.not_pending``, then ``invitation.inviter_not_allowed`` when the
    inviter may no longer give the invited roles."""
    if not can_manage_users(by, invitation.relationship_id, grants, now=moment, model=model):
        return (Violation("invitation.not_allowed"),)
    if invitation.status is not InvitationStatus.PENDING:
        return (Violation("invitation.not_pending", {"status": str(invitation.status)}),)
    return inviter_violations(invitation, grants, moment, model)


def inviter_violations(
    invitation: Invitation, grants: tuple[Grant, ...], moment: datetime, model: RoleModel
) -> tuple[Violation, ...]:
    """``invitation.inviter_not_allowed`` when the inviter may no longer give the roles
    (checked again on accepting and on resending)."""
    if check_can_grant(
        invitation.invited_by,
        invitation.roles,
        invitation.relationship_id,
        grants,
        now=moment,
        model=model,
    ):
        return ()
    return (Violation("invitation.inviter_not_allowed"),)


def revoke_invitation(
    invitation: Invitation,
    *,
    by: AccountId,
    grants: Iterable[Grant],
    now: datetime,
    model: RoleModel = DEFAULT_ROLE_MODEL,
) -> Outcome[Invitation]:
    """Withdraw a pending invitation: by the inviter or anyone who may manage the
    relationship's users (a holder or user admin).

    Returns:
        The revoked invitation, or a refusal with ``invitation.not_allowed`` or
        ``invitation.not_pending`` (an expired invitation may still be revoked).

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    refusal = _manager_violations(invitation, by, grants, moment, model)
    if refusal:
        return Refused.because(*refusal)
    return Done(
        next_version(invitation, status=InvitationStatus.REVOKED, closed_at=moment, closed_by=by)
    )


def resend_invitation(
    invitation: Invitation,
    *,
    by: AccountId,
    grants: Iterable[Grant],
    secrets: SecretSource,
    now: datetime,
    policy: InvitationPolicy | None = None,
    model: RoleModel = DEFAULT_ROLE_MODEL,
) -> Outcome[IssuedInvitation]:
    """Send a pending (or expired) invitation again: a new token - the old one stops
    working - and the validity period starts again from ``now``.

    Resending hands out a new token, so it needs today's rights, not yesterday's:
    ``by`` must be allowed to manage the relationship's users now (having sent the
    invitation is not enough once demoted), and the inviter must still be allowed to
    give the invited roles - accepting checks that too, so a resend that could never
    be accepted is refused; revoke it and invite again instead.

    Returns:
        The resent invitation and its new token, or a refusal with
        ``invitation.not_allowed``, ``invitation.not_pending`` or
        ``invitation.inviter_not_allowed``.

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    rules = policy or InvitationPolicy()
    moment = require_aware(now, "now")
    grants = tuple(g for g in grants if g.relationship_id == invitation.relationship_id)
    refusal = _resender_violations(invitation, by, grants, moment, model)
    if refusal:
        return Refused.because(*refusal)
    token = _new_token(secrets, rules)
    resent = next_version(
        invitation,
        token_hash=hash_token(token),
        expires_at=_expiry(moment, rules),
        sent_count=invitation.sent_count + 1,
    )
    return Done(IssuedInvitation(resent, token))
