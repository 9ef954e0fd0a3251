"""Pure rules of selfcare.privacy: redaction, tombstones, and what retention purges.

>>> from datetime import UTC, datetime, timedelta
>>> from selfcare.privacy.model import RetentionPolicy
>>> now = datetime(2026, 3, 1, tzinfo=UTC)
>>> retention_cutoff(timedelta(days=30), now=now).isoformat()
'2026-01-30T00:00:00+00:00'
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

import attrs

from selfcare.authz.invitation import Invitation, InvitationStatus
from selfcare.authz.model import Grant
from selfcare.core.clock import require_aware
from selfcare.core.ports import next_version
from selfcare.identity.account import Account
from selfcare.identity.contact import EmailAddress
from selfcare.identity.login import LoginPolicy, throttle_at_rest
from selfcare.identity.otp import ChallengeState, OneTimeCodeChallenge
from selfcare.identity.registration import Registration, RegistrationState
from selfcare.identity.throttle import LoginThrottle
from selfcare.privacy.model import REDACTED, RetentionPolicy

__all__ = [
    "ERASED_EMAIL",
    "anonymise_invitation",
    "challenge_is_purgeable",
    "invitation_is_purgeable",
    "redact_account",
    "redact_challenge",
    "redact_invitation",
    "redact_registration",
    "registration_is_purgeable",
    "retention_cutoff",
    "revoke_for_erasure",
    "throttle_is_purgeable",
]

#: The address an anonymised invitation shows instead of a person's (RFC 2606 reserves
#: ``.invalid``: it can never be delivered to, nor belong to anyone).
ERASED_EMAIL: Final = "erased@erased.invalid"


def retention_cutoff(period: timedelta, *, now: datetime) -> datetime:
    """The moment before which a record ended more than ``period`` ago.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    return require_aware(now, "now") - period


def redact_account(account: Account) -> Account:
    """The account as exported: the password hash and the e-mail change token digest
    replaced by :data:`~selfcare.privacy.model.REDACTED`."""
    pending = account.pending_email
    if pending is not None:
        pending = attrs.evolve(pending, token_digest=REDACTED)
    return attrs.evolve(account, password_hash=REDACTED, pending_email=pending)


def redact_registration(registration: Registration) -> Registration:
    """The registration as exported: password hash and token digest shown as redacted
    when present."""
    return attrs.evolve(
        registration,
        password_hash=None if registration.password_hash is None else REDACTED,
        email_token_digest=None if registration.email_token_digest is None else REDACTED,
    )


def redact_invitation(invitation: Invitation) -> Invitation:
    """The invitation as exported: the token hash redacted."""
    return attrs.evolve(invitation, token_hash=REDACTED)


def redact_challenge(challenge: OneTimeCodeChallenge) -> OneTimeCodeChallenge:
    """The challenge as exported: the salt and the code hash redacted."""
    return attrs.evolve(challenge, salt=REDACTED, code_hash=REDACTED)


def anonymise_invitation(invitation: Invitation, *, now: datetime) -> Invitation:
    """The tombstone of an invitation an erased person sent or received.

    It stays countable - relationship, roles, status, times and the account ids (which
    lead to tombstones or to other people) are kept - but names no one: the address
    becomes :data:`ERASED_EMAIL`, the names and the cover message empty. A pending
    invitation is revoked (``closed_by`` empty: nobody's act), since its token was sent
    to a mailbox that no longer belongs to an account here, or by someone who no longer
    has one.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    changes: dict[str, object] = {
        "email": EmailAddress.parse(ERASED_EMAIL),
        "first_name": "",
        "last_name": "",
        "message": "",
    }
    if invitation.status is InvitationStatus.PENDING:
        changes.update(status=InvitationStatus.REVOKED, closed_at=moment, closed_by=None)
    return next_version(invitation, **changes)


def revoke_for_erasure(grant: Grant, *, now: datetime) -> Grant | None:
    """The grant revoked at ``now`` because its user was erased, or ``None`` when it
    allows nothing from ``now`` on anyway (revoked or expired).

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    if grant.is_revoked(moment) or grant.is_expired(moment):
        return None
    return next_version(grant, revoked_at=moment, revoked_by=None)


def registration_is_purgeable(
    registration: Registration, *, policy: RetentionPolicy, now: datetime
) -> bool:
    """Whether retention removes ``registration`` at ``now``: more than
    ``policy.registrations`` after it was abandoned, or after an open one expired.
    Completed registrations stay (they go with their account).

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    cutoff = retention_cutoff(policy.registrations, now=now)
    if registration.state is RegistrationState.ABANDONED:
        return registration.updated_at < cutoff
    if registration.state is RegistrationState.COMPLETED:
        return False
    return registration.expires_at < cutoff


def invitation_is_purgeable(
    invitation: Invitation, *, policy: RetentionPolicy, now: datetime
) -> bool:
    """Whether retention removes ``invitation`` at ``now``: more than
    ``policy.invitations`` after it was declined, or after it expired unanswered.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    cutoff = retention_cutoff(policy.invitations, now=now)
    if invitation.status is InvitationStatus.DECLINED:
        ended = invitation.closed_at if invitation.closed_at is not None else invitation.created_at
        return ended < cutoff
    if invitation.status is InvitationStatus.PENDING:
        return invitation.expires_at < cutoff
    return False


def challenge_is_purgeable(
    challenge: OneTimeCodeChallenge, *, policy: RetentionPolicy, now: datetime
) -> bool:
    """Whether retention removes a one-time code ``challenge`` at ``now``: more than
    ``policy.one_time_codes`` after it was spent - verified (at ``verified_at``), or
    locked, expired or left pending (at ``expires_at``: the code is dead then).

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    cutoff = retention_cutoff(policy.one_time_codes, now=now)
    spent = challenge.expires_at
    if challenge.state is ChallengeState.VERIFIED and challenge.verified_at is not None:
        spent = challenge.verified_at
    return spent < cutoff


def throttle_is_purgeable(
    throttle: LoginThrottle,
    *,
    policy: RetentionPolicy,
    login_policy: LoginPolicy,
    now: datetime,
) -> bool:
    """Whether retention removes a failed-login counter at ``now``: it last changed more
    than ``policy.login_throttles`` ago and counts nothing any more
    (:func:`~selfcare.identity.login.throttle_at_rest` under ``login_policy``), so
    removing it changes no login's answer.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    cutoff = retention_cutoff(policy.login_throttles, now=now)
    return throttle.decayed_at < cutoff and throttle_at_rest(throttle, now, login_policy)
