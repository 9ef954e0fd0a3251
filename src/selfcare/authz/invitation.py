"""Invitations: letting another person use a customer relationship (seed 003).

The holder (or a user admin) of a relationship invites someone by e-mail - a spouse or
partner who needs no contract of their own - in four phases: the invitee's e-mail, their
first and last name, a mandatory cover message, and confirmation. :func:`invite` checks
all of it at once and returns the :class:`Invitation` to store and the token to put in
the e-mail link. Only a SHA-256 hash of the token is stored; the token has at least 128
random bits from the injected :class:`~selfcare.core.ids.SecretSource`, works once, and
dies after 7 days computed in the operator's time zone (:class:`InvitationPolicy`).

The invitee - registering first if they have no account - accepts with
:func:`accept_invitation`, which creates exactly the grants they lack. An invitation is
*pending* until it is accepted, declined or revoked; a pending invitation whose time has
run out is *expired* (:meth:`Invitation.status_at`).

>>> from datetime import datetime, UTC
>>> from selfcare.core.ids import SequentialIds, SystemSecrets
>>> from selfcare.authz.model import HOLDER, USER
>>> now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
>>> rel = RelationshipId("rel-1")
>>> holder = Grant(id=GrantId("g-1"), user=AccountId("anna"), relationship_id=rel,
...                role=HOLDER, granted_at=datetime(2026, 1, 1, tzinfo=UTC))
>>> issued = invite(rel, "Pekka.Virtanen@example.fi", first_name="Pekka",
...                 last_name="Virtanen", message="Hi, this is for the cottage contract.",
...                 roles={USER}, inviter=AccountId("anna"), grants=[holder], existing=[],
...                 ids=SequentialIds("inv"), secrets=SystemSecrets(), now=now)
>>> issued.invitation.status_at(now), issued.invitation.expires_at.isoformat()
(<InvitationStatus.PENDING: 'pending'>, '2026-03-09T08:00:00+00:00')
>>> "token" in repr(issued.invitation) or issued.token in repr(issued)
False
"""

from __future__ import annotations

import enum
import hmac
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from typing import Final, NewType

import attrs

from selfcare.authz.model import (
    DEFAULT_ROLE_MODEL,
    Grant,
    GrantId,
    Role,
    RoleModel,
)
from selfcare.authz.rules import active_roles, can_manage_users, check_can_grant
from selfcare.core.clock import DEFAULT_TIMEZONE, add_local_days, operator_zone, require_aware
from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import AccountId, IdSource, RelationshipId, SecretSource
from selfcare.core.ports import bump
from selfcare.identity.account import token_digest
from selfcare.identity.contact import EmailAddress

__all__ = [
    "Acceptance",
    "EmailMatch",
    "Invitation",
    "InvitationId",
    "InvitationPolicy",
    "InvitationStatus",
    "IssuedInvitation",
    "RegisteredAccount",
    "accept_invitation",
    "accept_listed_invitation",
    "check_cover_message",
    "check_invitee_name",
    "decline_invitation",
    "decline_listed_invitation",
    "hash_token",
    "invite",
    "may_propose_name",
    "resend_invitation",
    "revoke_invitation",
]

#: The id of an :class:`Invitation`.
InvitationId = NewType("InvitationId", str)

#: Below this many random bytes a token is refused (128 bits).
MIN_TOKEN_BYTES: Final = 16

# Bidirectional embeddings, overrides and isolates: invisible, and they can make a
# message read differently from what it says ("Trojan Source", CVE-2021-42574).
_BIDI_CONTROLS: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class InvitationStatus(enum.StrEnum):
    """Where an invitation is in its life. ``expired`` is never stored: it is a pending
    invitation looked at after its ``expires_at`` (see :meth:`Invitation.status_at`)."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REVOKED = "revoked"
    EXPIRED = "expired"


class EmailMatch(enum.StrEnum):
    """Operator policy: whose account may accept an invitation.

    ``same_address`` (the default) requires the accepting account's *verified* e-mail
    address to equal the invited one, compared case-insensitively. ``any_verified``
    lets an account with another verified address accept - the token proves that the
    invitee read the invited mailbox, e.g. a spouse who registered with a work address.
    Choose it only if a forwarded invitation e-mail may grant access in your portal.
    """

    SAME_ADDRESS = "same_address"
    ANY_VERIFIED = "any_verified"


@attrs.frozen(kw_only=True)
class InvitationPolicy:
    """The operator's invitation settings.

    Args:
        validity_days: calendar days an invitation stays valid (7 in seed 003).
        timezone: the operator's IANA time zone for counting those days.
        token_bytes: random bytes per token (at least 16, i.e. 128 bits).
        message_max_length: the longest cover message, in characters.
        name_max_length: the longest first or last name, in characters.
        email_match: see :class:`EmailMatch`.
        propose_registered_names: the opt-in of seed 003, phase 2: propose the name of a
            registered user when the inviter types their e-mail. It tells the inviter
            that the address has an account, so it is off by default (see
            :func:`may_propose_name`).

    Raises:
        SelfcareError: ``invitation.invalid_policy`` for values out of range;
            ``time.unknown_timezone``.
    """

    validity_days: int = 7
    timezone: str = DEFAULT_TIMEZONE
    token_bytes: int = 32
    message_max_length: int = 1000
    name_max_length: int = 100
    email_match: EmailMatch = EmailMatch.SAME_ADDRESS
    propose_registered_names: bool = False

    def __attrs_post_init__(self) -> None:
        operator_zone(self.timezone)
        limits = (
            ("validity_days", self.validity_days, 1),
            ("token_bytes", self.token_bytes, MIN_TOKEN_BYTES),
            ("message_max_length", self.message_max_length, 1),
            ("name_max_length", self.name_max_length, 1),
        )
        for name, value, minimum in limits:
            if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
                raise SelfcareError(
                    Violation("invitation.invalid_policy", {"setting": name, "minimum": minimum})
                )


def _roles(value: Iterable[str]) -> frozenset[Role]:
    return frozenset(Role(r) for r in value)


def _utc(value: datetime) -> datetime:
    return require_aware(value, "time")


def _optional_utc(value: datetime | None) -> datetime | None:
    return None if value is None else require_aware(value, "time")


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
    roles: frozenset[Role] = attrs.field(converter=_roles)
    invited_by: AccountId
    created_at: datetime = attrs.field(converter=_utc)
    expires_at: datetime = attrs.field(converter=_utc)
    token_hash: str = attrs.field(repr=False)
    status: InvitationStatus = InvitationStatus.PENDING
    accepted_by: AccountId | None = None
    closed_at: datetime | None = attrs.field(default=None, converter=_optional_utc)
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
    """A new or resent invitation and its token (to send, never to store)."""

    invitation: Invitation
    token: str = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class Acceptance:
    """The result of accepting: the accepted invitation and the grants it created.

    ``grants`` is empty when the invitee already had every role, or when the same
    account accepted the same invitation before (accepting is idempotent).
    """

    invitation: Invitation
    grants: tuple[Grant, ...]
    changed: bool


@attrs.frozen(kw_only=True)
class RegisteredAccount:
    """What :func:`may_propose_name` may show about a registered e-mail address."""

    account: AccountId
    first_name: str
    last_name: str


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


def _token_matches(invitation: Invitation, token: object) -> bool:
    if not isinstance(token, str) or not token or len(token) > 512:
        return False
    return hmac.compare_digest(hash_token(token), invitation.token_hash)


def _bad_characters(text: str, allow_newlines: bool) -> bool:
    for char in text:
        if char == "\n" and allow_newlines:
            continue
        if char in _BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs"):
            return True
    return False


def check_cover_message(text: str, *, policy: InvitationPolicy | None = None) -> Decision:
    """Check the cover message of phase 3: mandatory, 1-1000 characters once trimmed.

    Line breaks are allowed (``\\r\\n`` and ``\\r`` count as one ``\\n``); other control
    characters, unpaired surrogates and invisible bidirectional controls are not.
    The allowed decision's ``reason`` is the trimmed message to store.

    Returns:
        ``invitation.message_required``, ``invitation.message_too_long`` or
        ``invitation.message_invalid_characters``.

    >>> check_cover_message("  Hi!  ").reason
    'Hi!'
    >>> check_cover_message("   ").codes
    ('invitation.message_required',)
    """
    rules = policy or InvitationPolicy()
    raw: object = text  # callers may pass None from a form library
    if not isinstance(raw, str):
        return Decision.deny(Violation("invitation.message_required"))
    trimmed = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    found: list[Violation] = []
    if not trimmed:
        found.append(Violation("invitation.message_required"))
    elif len(trimmed) > rules.message_max_length:
        found.append(
            Violation("invitation.message_too_long", {"max_length": rules.message_max_length})
        )
    if _bad_characters(trimmed, allow_newlines=True):
        found.append(Violation("invitation.message_invalid_characters"))
    return Decision.from_violations(found, reason=trimmed)


def check_invitee_name(
    first_name: str, last_name: str, *, policy: InvitationPolicy | None = None
) -> Decision:
    """Check the names of phase 2: both required, trimmed, printable, not too long.

    The allowed decision's ``reason`` is ``"<first>\\n<last>"`` trimmed.

    Returns:
        ``invitation.first_name_required``, ``invitation.last_name_required``,
        ``invitation.first_name_invalid`` and ``invitation.last_name_invalid``, every
        one that applies.

    >>> check_invitee_name(" Pekka ", "").codes
    ('invitation.last_name_required',)
    """
    rules = policy or InvitationPolicy()
    found: list[Violation] = []
    cleaned: list[str] = []
    for field, raw in (("first_name", first_name), ("last_name", last_name)):
        value = " ".join(raw.split()) if isinstance(raw, str) else ""
        cleaned.append(value)
        if not value:
            found.append(Violation(f"invitation.{field}_required"))
        elif len(value) > rules.name_max_length or _bad_characters(value, allow_newlines=False):
            found.append(
                Violation(f"invitation.{field}_invalid", {"max_length": rules.name_max_length})
            )
    return Decision.from_violations(found, reason="\n".join(cleaned))


def _parse_email(text: object, found: list[Violation]) -> EmailAddress | None:
    if isinstance(text, EmailAddress):
        return text
    if not isinstance(text, str):
        found.append(Violation("email.empty"))
        return None
    try:
        return EmailAddress.parse(text)
    except SelfcareError as error:
        found.extend(error.violations)
        return None


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
) -> IssuedInvitation:
    """Phases 1-4 of seed 003: check everything and issue the invitation.

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
        policy: the operator's :class:`InvitationPolicy`.
        model: the operator's :class:`~selfcare.authz.model.RoleModel`.

    Raises:
        SelfcareError: ``authz.cannot_manage_users`` alone when the inviter may not
            manage users; otherwise every one that applies of the ``email.*`` codes of
            :meth:`~selfcare.identity.contact.EmailAddress.parse`, the codes of
            :func:`check_invitee_name` and :func:`check_cover_message`,
            ``invitation.no_roles``, ``authz.unknown_role``,
            ``authz.holder_not_grantable``, ``authz.escalation`` and
            ``invitation.already_pending``; ``time.naive_datetime``.
    """
    rules = policy or InvitationPolicy()
    moment = require_aware(now, "now")
    grants = tuple(g for g in grants if g.relationship_id == relationship)
    # Stop here for an outsider: the other checks would tell them about pending invitations.
    can_manage_users(inviter, relationship, grants, now=moment, model=model).raise_for_denial()
    found: list[Violation] = []
    address = _parse_email(email, found)
    names = check_invitee_name(first_name, last_name, policy=rules)
    found.extend(names.violations)
    cover = check_cover_message(message, policy=rules)
    found.extend(cover.violations)
    chosen = _roles(roles)
    if not chosen:
        found.append(Violation("invitation.no_roles"))
    else:
        found.extend(
            check_can_grant(
                inviter, chosen, relationship, grants, now=moment, model=model
            ).violations
        )
    if address is not None and any(
        other.relationship_id == relationship
        and other.email == address
        and other.is_pending(moment)
        for other in existing
    ):
        found.append(Violation("invitation.already_pending"))
    if found:
        raise SelfcareError(*found)
    assert address is not None  # noqa: S101 - no violation means the address parsed
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
        expires_at=add_local_days(moment, rules.validity_days, zone=operator_zone(rules.timezone)),
        token_hash=hash_token(token),
    )
    return IssuedInvitation(invitation, token)


def _new_token(secrets: SecretSource, policy: InvitationPolicy) -> str:
    token = secrets.token(max(policy.token_bytes, MIN_TOKEN_BYTES))
    if not isinstance(token, str) or len(token) < 22:  # 16 bytes in URL-safe base64
        msg = "SecretSource.token returned too short a token"
        raise TypeError(msg)
    return token


def accept_invitation(
    invitation: Invitation,
    token: str,
    account: AccountId,
    verified_email: EmailAddress | None,
    grants: Iterable[Grant],
    *,
    ids: IdSource,
    now: datetime,
    policy: InvitationPolicy | None = None,
    model: RoleModel = DEFAULT_ROLE_MODEL,
) -> Acceptance:
    """Accept ``invitation`` for ``account`` (seed 003: "Process" -> "Approve").

    Checks, in this order: the token (compared in constant time; nothing else is said to
    someone without it); that the invitation is pending - unless this same account
    accepted it already, which returns the earlier outcome with no new grants; that it
    has not expired; that the account has a verified e-mail address equal to the invited
    one (case-insensitively; see :class:`EmailMatch`); and that the inviter may still
    grant the roles. Accepting creates a grant for each invited role the account does
    not hold yet.

    Args:
        invitation: the stored invitation.
        token: the token from the e-mail link.
        account: the account accepting (registered first if need be).
        verified_email: that account's *verified* e-mail address, ``None`` if none.
        grants: the grants of the invitation's relationship.
        ids: where the new grant ids come from.
        now: the current time (aware).
        policy: the operator's :class:`InvitationPolicy`.
        model: the operator's role model.

    Raises:
        SelfcareError: ``invitation.invalid_token`` alone; ``invitation.not_pending``;
            or every one that applies of ``invitation.expired``,
            ``invitation.email_not_verified``, ``invitation.email_mismatch`` and
            ``invitation.inviter_not_allowed``; ``time.naive_datetime``.
    """
    rules = policy or InvitationPolicy()
    moment = require_aware(now, "now")
    if not _token_matches(invitation, token):
        raise SelfcareError(Violation("invitation.invalid_token"))
    return _accept(
        invitation,
        account,
        verified_email,
        grants,
        ids=ids,
        moment=moment,
        email_match=rules.email_match,
        model=model,
    )


def accept_listed_invitation(
    invitation: Invitation,
    account: AccountId,
    verified_email: EmailAddress | None,
    grants: Iterable[Grant],
    *,
    ids: IdSource,
    now: datetime,
    model: RoleModel = DEFAULT_ROLE_MODEL,
) -> Acceptance:
    """Accept from the list of invitations of a logged-in user (seed 003: "Process" ->
    "Approve"), without the e-mail link.

    Without the token, only the account's *verified* address proves that the invitee
    owns the invited mailbox, so it must equal the invited address whatever the
    :class:`EmailMatch` policy says. Otherwise the same as :func:`accept_invitation`.

    Raises:
        SelfcareError: ``invitation.not_pending``; or every one that applies of
            ``invitation.expired``, ``invitation.email_not_verified``,
            ``invitation.email_mismatch`` and ``invitation.inviter_not_allowed``;
            ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    return _accept(
        invitation,
        account,
        verified_email,
        grants,
        ids=ids,
        moment=moment,
        email_match=EmailMatch.SAME_ADDRESS,
        model=model,
    )


def _accept(
    invitation: Invitation,
    account: AccountId,
    verified_email: EmailAddress | None,
    grants: Iterable[Grant],
    *,
    ids: IdSource,
    moment: datetime,
    email_match: EmailMatch,
    model: RoleModel,
) -> Acceptance:
    if invitation.status is InvitationStatus.ACCEPTED and invitation.accepted_by == account:
        return Acceptance(invitation=invitation, grants=(), changed=False)
    status = invitation.status_at(moment)
    if status not in (InvitationStatus.PENDING, InvitationStatus.EXPIRED):
        raise SelfcareError(Violation("invitation.not_pending", {"status": str(status)}))
    found: list[Violation] = []
    if status is InvitationStatus.EXPIRED:
        found.append(Violation("invitation.expired"))
    if verified_email is None:
        found.append(Violation("invitation.email_not_verified"))
    elif email_match is EmailMatch.SAME_ADDRESS and verified_email != invitation.email:
        found.append(Violation("invitation.email_mismatch"))
    relevant = tuple(g for g in grants if g.relationship_id == invitation.relationship_id)
    if not check_can_grant(
        invitation.invited_by,
        invitation.roles,
        invitation.relationship_id,
        relevant,
        now=moment,
        model=model,
    ):
        found.append(Violation("invitation.inviter_not_allowed"))
    if found:
        raise SelfcareError(*found)
    held = active_roles(account, invitation.relationship_id, relevant, now=moment)
    created = tuple(
        Grant(
            id=GrantId(ids.new_id()),
            user=account,
            relationship_id=invitation.relationship_id,
            role=role,
            granted_by=invitation.invited_by,
            granted_at=moment,
        )
        for role in sorted(invitation.roles - held)
    )
    accepted = bump(
        invitation,
        status=InvitationStatus.ACCEPTED,
        accepted_by=account,
        closed_at=moment,
        closed_by=account,
    )
    return Acceptance(invitation=accepted, grants=created, changed=True)


def decline_invitation(
    invitation: Invitation, token: str, account: AccountId | None, *, now: datetime
) -> Invitation:
    """The invitee says no. The token from the e-mail proves who declines; ``account``
    is recorded if the invitee is logged in.

    Raises:
        SelfcareError: ``invitation.invalid_token`` alone, ``invitation.not_pending``,
            ``invitation.expired``; ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    if not _token_matches(invitation, token):
        raise SelfcareError(Violation("invitation.invalid_token"))
    _require_pending(invitation, moment)
    return bump(invitation, status=InvitationStatus.DECLINED, closed_at=moment, closed_by=account)


def decline_listed_invitation(
    invitation: Invitation,
    account: AccountId,
    verified_email: EmailAddress | None,
    *,
    now: datetime,
) -> Invitation:
    """The logged-in invitee says no from their list of invitations, without the link.
    As for :func:`accept_listed_invitation`, the account's verified address must be the
    invited one.

    Raises:
        SelfcareError: ``invitation.email_not_verified`` or ``invitation.email_mismatch``
            alone, then ``invitation.not_pending`` or ``invitation.expired``;
            ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    if verified_email is None:
        raise SelfcareError(Violation("invitation.email_not_verified"))
    if verified_email != invitation.email:
        raise SelfcareError(Violation("invitation.email_mismatch"))
    _require_pending(invitation, moment)
    return bump(invitation, status=InvitationStatus.DECLINED, closed_at=moment, closed_by=account)


def _require_pending(invitation: Invitation, moment: datetime) -> None:
    status = invitation.status_at(moment)
    if status is InvitationStatus.EXPIRED:
        raise SelfcareError(Violation("invitation.expired"))
    if status is not InvitationStatus.PENDING:
        raise SelfcareError(Violation("invitation.not_pending", {"status": str(status)}))


def _check_manager(
    invitation: Invitation,
    by: AccountId,
    grants: Iterable[Grant],
    moment: datetime,
    model: RoleModel,
) -> None:
    if by == invitation.invited_by:
        return
    grants = tuple(grants)
    if not can_manage_users(by, invitation.relationship_id, grants, now=moment, model=model):
        raise SelfcareError(Violation("invitation.not_allowed"))


def revoke_invitation(
    invitation: Invitation,
    *,
    by: AccountId,
    grants: Iterable[Grant],
    now: datetime,
    model: RoleModel = DEFAULT_ROLE_MODEL,
) -> Invitation:
    """Withdraw a pending invitation: by the inviter or anyone who may manage the
    relationship's users (a holder or user admin).

    Raises:
        SelfcareError: ``invitation.not_allowed``, ``invitation.not_pending`` (an
            expired invitation may still be revoked); ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    _check_manager(invitation, by, grants, moment, model)
    if invitation.status is not InvitationStatus.PENDING:
        raise SelfcareError(Violation("invitation.not_pending", {"status": str(invitation.status)}))
    return bump(invitation, status=InvitationStatus.REVOKED, closed_at=moment, closed_by=by)


def resend_invitation(
    invitation: Invitation,
    *,
    by: AccountId,
    grants: Iterable[Grant],
    secrets: SecretSource,
    now: datetime,
    policy: InvitationPolicy | None = None,
    model: RoleModel = DEFAULT_ROLE_MODEL,
) -> IssuedInvitation:
    """Send a pending (or expired) invitation again: a new token - the old one stops
    working - and the validity period starts again from ``now``.

    Raises:
        SelfcareError: ``invitation.not_allowed``, ``invitation.not_pending``;
            ``time.naive_datetime``.
    """
    rules = policy or InvitationPolicy()
    moment = require_aware(now, "now")
    _check_manager(invitation, by, grants, moment, model)
    if invitation.status is not InvitationStatus.PENDING:
        raise SelfcareError(Violation("invitation.not_pending", {"status": str(invitation.status)}))
    token = _new_token(secrets, rules)
    resent = bump(
        invitation,
        token_hash=hash_token(token),
        expires_at=add_local_days(moment, rules.validity_days, zone=operator_zone(rules.timezone)),
        sent_count=invitation.sent_count + 1,
    )
    return IssuedInvitation(resent, token)


def may_propose_name(
    caller: AccountId,
    relationship: RelationshipId,
    grants: Iterable[Grant],
    *,
    now: datetime,
    policy: InvitationPolicy | None = None,
    model: RoleModel = DEFAULT_ROLE_MODEL,
) -> Decision:
    """May ``caller`` see the name behind a registered e-mail address (seed 003, phase 2)?

    Proposing the name tells the inviter that the address has an account - an
    enumeration oracle. So it needs both the operator's opt-in
    (:attr:`InvitationPolicy.propose_registered_names`) and a caller who may manage the
    relationship's users. With it, show the name only from
    :class:`RegisteredAccount`, and rate-limit the lookups in your web layer.

    Returns:
        Allowed, or ``invitation.name_proposal_disabled`` or
        ``authz.cannot_manage_users``.

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    rules = policy or InvitationPolicy()
    moment = require_aware(now, "now")
    if not rules.propose_registered_names:
        return Decision.deny(Violation("invitation.name_proposal_disabled"))
    return can_manage_users(caller, relationship, grants, now=moment, model=model)
