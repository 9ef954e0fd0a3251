"""Recovery after a forgotten password (rules).

A user who forgot the password proves who they are again - with a fresh strong
identification (:class:`~selfcare.identity.events.RecoveryMethod` ``strong_identification``)
- and sets a new password. :func:`reset_password` is the change itself: the new hash,
the consecutive failures forgotten (password login works again, also after the NIST
ceiling disabled it), any pending unlock link dropped, and every earlier session
reported invalid with :class:`~selfcare.identity.events.SessionsRevoked`.

:func:`recovery_password_refusal` checks the new password the same way whether or not
an account exists for the identity: the personal words are the names of the
identification, never those of an account, and the new password is not compared with
the old one (comparing would verify a hash only for a known identity, and its refusal
would tell that the account exists). The use case is
:meth:`~selfcare.identity.service.IdentityService.recover_password_with_identification`.

Recovery by e-mail link is the operator's opt-in (:attr:`RecoveryPolicy.email_link`,
off by default: an e-mail link is only as strong as the mailbox, and the Nordic
portals have the bank). :func:`request_recovery` records a single-use link - a token of
256 random bits, stored only as its SHA-256 digest, valid for
:attr:`RecoveryPolicy.email_link_valid_for` (one hour) - and
:func:`recovery_link_refusal` checks it when it comes back. The page the link opens
sets the new password only on the user's explicit confirm (a form POST), never on the
page load: mail gateways and link scanners fetch every link of an e-mail.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import final

import attrs

from selfcare.core.clock import require_aware
from selfcare.core.decision import Decision, Violation
from selfcare.core.outcome import Done
from selfcare.core.ports import next_version
from selfcare.identity.account import Account, PendingRecovery, token_matches
from selfcare.identity.assertion import IdentityAssertion
from selfcare.identity.events import (
    PasswordRecoveryRequested,
    PasswordReset,
    RecoveryMethod,
    SessionsRevoked,
)
from selfcare.identity.password import PasswordPolicy, check_password

__all__ = [
    "RecoveryMethod",
    "RecoveryPolicy",
    "recovery_link_refusal",
    "recovery_password_refusal",
    "request_recovery",
    "reset_password",
]


def _positive(_instance: object, attribute: attrs.Attribute[timedelta], value: timedelta) -> None:
    if value <= timedelta(0):
        raise ValueError(f"{attribute.name} must be positive")


@final
@attrs.frozen(kw_only=True)
class RecoveryPolicy:
    """The operator's choices for recovery after a forgotten password.

    Attributes:
        email_link: whether a recovery link may be mailed to the verified address
            (``False`` by default: recovery is by strong identification only).
        email_link_valid_for: how long a recovery link works (one hour).
        email_link_answer_floor: the least time the request for a link takes to
            answer (250 ms): a known address costs a write and a mail more than an
            unknown one, and the answer waits out the difference so that a stopwatch
            cannot tell them apart. Keep it above the slowest write of your storage.
    """

    email_link: bool = False
    email_link_valid_for: timedelta = attrs.field(default=timedelta(hours=1), validator=_positive)
    email_link_answer_floor: timedelta = attrs.field(
        default=timedelta(milliseconds=250), validator=_positive
    )


def recovery_password_refusal(
    new_password: str, assertion: IdentityAssertion, policy: PasswordPolicy
) -> Decision:
    """Whether ``new_password`` may be set by the person of ``assertion``: the
    password policy, with the names of the identification as personal words.

    Returns:
        An allowed decision, or a refusal with the ``password.*`` codes of
        :func:`~selfcare.identity.password.check_password`.

    Raises:
        TypeError: ``new_password`` is not a string.
    """
    return check_password(new_password, policy, personal=(assertion.given_names, assertion.surname))


def reset_password(
    account: Account, password_hash: str, *, method: RecoveryMethod, now: datetime
) -> Done[Account]:
    """``account`` with the new ``password_hash``, its consecutive failed logins
    forgotten and no pending unlock link (version bumped).

    Returns:
        The account with :class:`~selfcare.identity.events.PasswordReset` and
        :class:`~selfcare.identity.events.SessionsRevoked` (every session begun before
        ``now`` is invalid).

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    changed = next_version(
        account,
        password_hash=password_hash,
        password_changed_at=moment,
        failed_logins=0,
        locked_until=None,
        pending_unlock=None,
        pending_recovery=None,
    )
    events = (
        PasswordReset(account_id=account.id, method=method, occurred_at=moment),
        SessionsRevoked(account_id=account.id, revoked_before=moment, occurred_at=moment),
    )
    return Done(changed, events)


def request_recovery(
    account: Account, *, token_digest: str, now: datetime, valid_for: timedelta
) -> Done[Account]:
    """Record a new recovery link (replacing an older one).

    Returns:
        The account with its :class:`~selfcare.identity.account.PendingRecovery` and
        :class:`~selfcare.identity.events.PasswordRecoveryRequested`.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    pending = PendingRecovery(
        token_digest=token_digest, requested_at=moment, expires_at=moment + valid_for
    )
    requested = PasswordRecoveryRequested(
        account_id=account.id, expires_at=pending.expires_at, occurred_at=moment
    )
    return Done(next_version(account, pending_recovery=pending), (requested,))


def recovery_link_refusal(account: Account, token: str, *, now: datetime) -> Decision:
    """Whether ``token`` is the account's recovery link, still valid at ``now``.

    Returns:
        An allowed decision, or a refusal with ``recovery.link_invalid`` (no link, or
        another token) or ``recovery.link_expired``.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    pending = account.pending_recovery
    if pending is None or not token_matches(token, pending.token_digest):
        return Decision.deny(Violation("recovery.link_invalid"))
    if moment >= pending.expires_at:
        return Decision.deny(Violation("recovery.link_expired"))
    return Decision.allow()
