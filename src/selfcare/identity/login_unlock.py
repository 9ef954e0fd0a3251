"""The owner's way back in: a single-use unlock link sent to the verified address.

Whoever can read the account's mailbox - its e-mail address was verified at
registration or at the last change - may lift what failed logins did to the account:

- :func:`request_unlock` records a :class:`~selfcare.identity.account.PendingUnlock`
  (the digest of a fresh 256-bit token, never the token) and the service mails the
  link (template ``login.unlock_link``). The service also sends it, unasked, when
  consecutive failures disable password login. A new request replaces an older link;
  while a link is younger than :data:`RESEND_AFTER`, no new one is sent (the answer is
  the same), so the form cannot be used to flood the mailbox.
- :func:`confirm_unlock`, on an explicit confirm after the link's page loaded (a mail
  gateway's link scanner that merely opens the link changes nothing), forgets the
  consecutive failures - password login works again - and the service lifts the lock
  of the (account, source) pair the owner confirms from. Locks of other sources stay:
  they are most likely the attacker's.

Strong identification is the other way back (the NIST reset path); it arrives with the
forgotten-password flow.

>>> from datetime import UTC, datetime
>>> import attrs
>>> from selfcare.identity.account import token_digest
>>> from selfcare.testing.contracts.identity import example_account
>>> t0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
>>> account = attrs.evolve(example_account(1), failed_logins=100)
>>> requested = request_unlock(account, token_digest=token_digest("t" * 43), now=t0,
...                            valid_for=timedelta(hours=1))
>>> confirm_unlock(requested.unwrap(), "t" * 43, now=t0).unwrap().failed_logins
0
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from selfcare.core.clock import require_aware
from selfcare.core.decision import Violation
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.core.ports import next_version
from selfcare.identity.account import Account, PendingUnlock, token_matches
from selfcare.identity.events import LoginUnlocked, LoginUnlockRequested

__all__ = ["RESEND_AFTER", "confirm_unlock", "recently_sent", "request_unlock"]

#: A new unlock link is sent only when the last one is at least this old.
RESEND_AFTER: Final = timedelta(minutes=1)


def recently_sent(account: Account, now: datetime) -> bool:
    """Whether an unlock link went out less than :data:`RESEND_AFTER` ago."""
    pending = account.pending_unlock
    return pending is not None and now - pending.requested_at < RESEND_AFTER


def request_unlock(
    account: Account, *, token_digest: str, now: datetime, valid_for: timedelta
) -> Done[Account]:
    """Record a new unlock link (replacing an older one).

    Returns:
        The account with its :class:`~selfcare.identity.account.PendingUnlock` and
        :class:`~selfcare.identity.events.LoginUnlockRequested`.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    pending = PendingUnlock(
        token_digest=token_digest, requested_at=moment, expires_at=moment + valid_for
    )
    requested = LoginUnlockRequested(
        account_id=account.id, expires_at=pending.expires_at, occurred_at=moment
    )
    return Done(next_version(account, pending_unlock=pending), (requested,))


def confirm_unlock(account: Account, token: str, *, now: datetime) -> Outcome[Account]:
    """Use the unlock link: the consecutive failures are forgotten.

    Returns:
        The account with :class:`~selfcare.identity.events.LoginUnlocked`, or a
        refusal with ``login.unlock_link_invalid`` (no link, or another token) or
        ``login.unlock_link_expired``.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    pending = account.pending_unlock
    if pending is None or not token_matches(token, pending.token_digest):
        return Refused.because(Violation("login.unlock_link_invalid"))
    if moment >= pending.expires_at:
        return Refused.because(Violation("login.unlock_link_expired"))
    changed = next_version(account, failed_logins=0, locked_until=None, pending_unlock=None)
    return Done(changed, (LoginUnlocked(account_id=account.id, occurred_at=moment),))
