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
"""

from __future__ import annotations

from datetime import datetime

from selfcare.core.clock import require_aware
from selfcare.core.decision import Decision
from selfcare.core.outcome import Done
from selfcare.core.ports import bump
from selfcare.identity.account import Account
from selfcare.identity.assertion import IdentityAssertion
from selfcare.identity.events import PasswordReset, RecoveryMethod, SessionsRevoked
from selfcare.identity.password import PasswordPolicy, check_password

__all__ = ["RecoveryMethod", "recovery_password_refusal", "reset_password"]


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
    changed = bump(
        account,
        password_hash=password_hash,
        password_changed_at=moment,
        failed_logins=0,
        locked_until=None,
        pending_unlock=None,
    )
    events = (
        PasswordReset(account_id=account.id, method=method, occurred_at=moment),
        SessionsRevoked(account_id=account.id, revoked_before=moment, occurred_at=moment),
    )
    return Done(changed, events)
