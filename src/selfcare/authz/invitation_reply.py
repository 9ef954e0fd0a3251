"""The invitee's reply: accepting or declining an invitation (the energy authorization guide,
"Process").

With the link of the e-mail, the token proves that the invited mailbox was read and
the logged-in account answers (:func:`accept_invitation`, :func:`decline_invitation`);
from the list of a logged-in user's invitations, the account's verified address must
be the invited one (:func:`accept_listed_invitation`,
:func:`decline_listed_invitation`).

A link must never act when it is merely fetched: mail gateways and link scanners open
every link of an e-mail. The page behind the link (a GET) only shows the invitation and
a form; the form POSTs the confirm, from the invitee's logged-in session, and only that
calls :meth:`~selfcare.authz.service.AuthzService.accept` or
:meth:`~selfcare.authz.service.AuthzService.decline`. Both take the logged-in account,
so a scanner without the invitee's session cannot answer.

Accepting creates exactly the grants the invitee lacks, and accepting twice changes
nothing the second time.

>>> from datetime import datetime, timedelta, UTC
>>> from selfcare.core.ids import SequentialIds, SystemSecrets
>>> from selfcare.authz.invitation import invite
>>> from selfcare.authz.model import GrantId, HOLDER, USER
>>> from selfcare.core.ids import RelationshipId
>>> now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
>>> rel = RelationshipId("rel-1")
>>> holder = Grant(id=GrantId("g-1"), user=AccountId("anna"), relationship_id=rel,
...                role=HOLDER, granted_at=datetime(2026, 1, 1, tzinfo=UTC))
>>> issued = invite(rel, "pekka@example.fi", first_name="Pekka", last_name="Virtanen",
...                 message="Hi!", roles={USER}, inviter=AccountId("anna"),
...                 grants=[holder], existing=[], ids=SequentialIds("inv"),
...                 secrets=SystemSecrets(), now=now).unwrap()
>>> pekka_email = EmailAddress.parse("pekka@example.fi")
>>> accepted = accept_invitation(issued.invitation, issued.token, AccountId("pekka"),
...                              pekka_email, [holder], ids=SequentialIds("g"),
...                              now=now + timedelta(days=1)).unwrap()
>>> [(g.user, g.role) for g in accepted.grants]
[('pekka', 'user')]
>>> accept_invitation(issued.invitation, issued.token, AccountId("pekka"), pekka_email,
...                   [holder], ids=SequentialIds("g"), now=now + timedelta(days=8)).codes
('invitation.expired',)
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from datetime import datetime

import attrs

from selfcare.authz.grants import new_grants
from selfcare.authz.invitation import (
    Invitation,
    InvitationStatus,
    hash_token,
    inviter_violations,
    looks_like_token,
)
from selfcare.authz.invitation_policy import EmailMatch, InvitationPolicy
from selfcare.authz.model import Grant
from selfcare.authz.permissions import active_roles
from selfcare.authz.roles import DEFAULT_ROLE_MODEL, RoleModel
from selfcare.core.clock import require_aware
from selfcare.core.decision import Violation
from selfcare.core.ids import AccountId, IdSource
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.core.ports import next_version
from selfcare.identity.contact import EmailAddress

__all__ = [
    "Acceptance",
    "accept_invitation",
    "accept_listed_invitation",
    "decline_invitation",
    "decline_listed_invitation",
]


@attrs.frozen(kw_only=True)
class Acceptance:
    """The result of accepting: the accepted invitation and the grants it created.

    Attributes:
        invitation: the invitation, accepted.
        grants: the grants created; empty when the invitee already had every role, or
            when the same account had accepted the same invitation before.
        newly_accepted: ``False`` when the same account had accepted it before
            (accepting is idempotent: nothing was changed this time).
    """

    invitation: Invitation
    grants: tuple[Grant, ...]
    newly_accepted: bool


def _token_matches(invitation: Invitation, token: object) -> bool:
    if not isinstance(token, str) or not looks_like_token(token):
        return False
    return hmac.compare_digest(hash_token(token), invitation.token_hash)


def _invalid_token() -> Refused:
    return Refused.because(Violation("invitation.invalid_token"))


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
) -> Outcome[Acceptance]:
    """Accept ``invitation`` for ``account`` (the energy authorization guide: "Process" ->
    "Approve").

    Checks, in this order: the token (compared in constant time; nothing else is said to
    someone without it); that the invitation is pending - unless this same account
    accepted it already, which returns the earlier outcome with no new grants; that it
    has not expired; that the account has a verified e-mail address equal to the invited
    one (case-insensitively; see :class:`~selfcare.authz.invitation_policy.EmailMatch`);
    and that the inviter may still grant the roles. Accepting creates a grant for each
    invited role the account does not hold yet.

    Args:
        invitation: the stored invitation.
        token: the token from the e-mail link.
        account: the account accepting (registered first if need be).
        verified_email: that account's *verified* e-mail address, ``None`` if none.
        grants: the grants of the invitation's relationship.
        ids: where the new grant ids come from.
        now: the current time (aware).
        policy: the operator's invitation policy.
        model: the operator's role model.

    Returns:
        The :class:`Acceptance`; or a refusal with ``invitation.invalid_token`` alone;
        ``invitation.not_pending``; or every one that applies of
        ``invitation.expired``, ``invitation.email_not_verified``,
        ``invitation.email_mismatch`` and ``invitation.inviter_not_allowed``.

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    rules = policy or InvitationPolicy()
    moment = require_aware(now, "now")
    if not _token_matches(invitation, token):
        return _invalid_token()
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
) -> Outcome[Acceptance]:
    """Accept from the list of invitations of a logged-in user (the energy authorization guide:
    "Process" -> "Approve"), without the e-mail link.

    Without the token, only the account's *verified* address proves that the invitee
    owns the invited mailbox, so it must equal the invited address whatever the
    :class:`~selfcare.authz.invitation_policy.EmailMatch` policy says. Otherwise the
    same as :func:`accept_invitation`.

    Returns:
        The :class:`Acceptance`; or a refusal with ``invitation.not_pending``; or every
        one that applies of ``invitation.expired``, ``invitation.email_not_verified``,
        ``invitation.email_mismatch`` and ``invitation.inviter_not_allowed``.

    Raises:
        SelfcareError: ``time.naive_datetime``.
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


def _email_violations(
    invitation: Invitation, verified_email: EmailAddress | None, email_match: EmailMatch
) -> tuple[Violation, ...]:
    """``invitation.email_not_verified`` or ``invitation.email_mismatch``, if either."""
    if verified_email is None:
        return (Violation("invitation.email_not_verified"),)
    if email_match is EmailMatch.SAME_ADDRESS and verified_email != invitation.email:
        return (Violation("invitation.email_mismatch"),)
    return ()


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
) -> Outcome[Acceptance]:
    if invitation.status is InvitationStatus.ACCEPTED and invitation.accepted_by == account:
        return Done(Acceptance(invitation=invitation, grants=(), newly_accepted=False))
    status = invitation.status_at(moment)
    if status not in (InvitationStatus.PENDING, InvitationStatus.EXPIRED):
        return Refused.because(Violation("invitation.not_pending", {"status": str(status)}))
    relevant = tuple(g for g in grants if g.relationship_id == invitation.relationship_id)
    found = [
        *_expiry_violations(status),
        *_email_violations(invitation, verified_email, email_match),
        *inviter_violations(invitation, relevant, moment, model),
    ]
    if found:
        return Refused.because(*found)
    held = active_roles(account, invitation.relationship_id, relevant, now=moment)
    created = new_grants(
        account,
        invitation.relationship_id,
        invitation.roles - held,
        granted_by=invitation.invited_by,
        ids=ids,
        now=moment,
    )
    accepted = next_version(
        invitation,
        status=InvitationStatus.ACCEPTED,
        accepted_by=account,
        closed_at=moment,
        closed_by=account,
    )
    return Done(Acceptance(invitation=accepted, grants=created, newly_accepted=True))


def _expiry_violations(status: InvitationStatus) -> tuple[Violation, ...]:
    if status is InvitationStatus.EXPIRED:
        return (Violation("invitation.expired"),)
    return ()


def _pending_violation(invitation: Invitation, moment: datetime) -> Violation | None:
    """``invitation.expired`` or ``invitation.not_pending`` unless pending at ``moment``."""
    status = invitation.status_at(moment)
    if status is InvitationStatus.EXPIRED:
        return Violation("invitation.expired")
    if status is not InvitationStatus.PENDING:
        return Violation("invitation.not_pending", {"status": str(status)})
    return None


def _declined(invitation: Invitation, account: AccountId, moment: datetime) -> Outcome[Invitation]:
    violation = _pending_violation(invitation, moment)
    if violation is not None:
        return Refused.because(violation)
    return Done(
        next_version(
            invitation, status=InvitationStatus.DECLINED, closed_at=moment, closed_by=account
        )
    )


def decline_invitation(
    invitation: Invitation,
    token: str,
    account: AccountId,
    verified_email: EmailAddress | None,
    *,
    now: datetime,
    policy: InvitationPolicy | None = None,
) -> Outcome[Invitation]:
    """The invitee says no with the link of the e-mail, logged in as ``account``.

    As for :func:`accept_invitation`, the token proves the link was read and the
    account's verified address must be the invited one (under the policy's
    :class:`~selfcare.authz.invitation_policy.EmailMatch`): someone else logged in on
    the same browser cannot decline for the invitee, and ``account`` is recorded as
    who declined.

    Returns:
        The declined invitation, or a refusal with ``invitation.invalid_token`` alone,
        ``invitation.email_not_verified`` or ``invitation.email_mismatch`` alone, then
        ``invitation.not_pending`` or ``invitation.expired``.

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    rules = policy or InvitationPolicy()
    moment = require_aware(now, "now")
    if not _token_matches(invitation, token):
        return _invalid_token()
    mailbox = _email_violations(invitation, verified_email, rules.email_match)
    if mailbox:
        return Refused.because(*mailbox)
    return _declined(invitation, account, moment)


def decline_listed_invitation(
    invitation: Invitation,
    account: AccountId,
    verified_email: EmailAddress | None,
    *,
    now: datetime,
) -> Outcome[Invitation]:
    """The logged-in invitee says no from their list of invitations, without the link.
    As for :func:`accept_listed_invitation`, the account's verified address must be the
    invited one.

    Returns:
        The declined invitation, or a refusal with ``invitation.email_not_verified`` or
        ``invitation.email_mismatch`` alone, then ``invitation.not_pending`` or
        ``invitation.expired``.

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    mailbox = _email_violations(invitation, verified_email, EmailMatch.SAME_ADDRESS)
    if mailbox:
        return Refused.because(*mailbox)
    return _declined(invitation, account, moment)
