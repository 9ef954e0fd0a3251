"""Login by e-mail address and password, with throttling (rules).

Strong identification is needed only to register (the energy registration guide: "bank codes only
the first time"); afterwards users log in with their e-mail address and password.

Throttling (defaults of :class:`LoginPolicy`, all operator-configurable): after
``max_failures`` (5) consecutive failed logins the account is locked for
``first_lock`` (1 minute); every further failure after the lock ends doubles the lock,
up to ``max_lock`` (1 hour). A successful login resets the count. With
``disable_password_after`` (off by default; NIST SP 800-63B-4 section 3.2.2: at most
100) that many consecutive failures disable password login altogether: further
attempts are refused without verifying the password, until the count is reset (a new
password chosen after strong identification).

Privacy: the answer for an unknown e-mail address, for a wrong password and - unless
the operator opts in with ``reveal_lock=True`` - for a temporarily locked account is
the same ``login.invalid_credentials``, and each of them runs one password
verification (an unknown address is checked against a dummy hash), so that neither the
reply nor its timing tells whether an address is registered. That an account is
locked by customer service or closed is said only after the right password was given.

>>> policy = LoginPolicy()
>>> [lock_duration(n, policy) for n in (4, 5, 6, 7)]  # doctest: +NORMALIZE_WHITESPACE
[None, datetime.timedelta(seconds=60), datetime.timedelta(seconds=120),
 datetime.timedelta(seconds=240)]
>>> lock_duration(40, policy)
datetime.timedelta(seconds=3600)
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import final

import attrs

from selfcare.core.clock import require_aware
from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.events import Event
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.core.ports import bump
from selfcare.identity.account import Account, AccountState
from selfcare.identity.events import AccountLocked, LoginFailed, LoginSucceeded
from selfcare.identity.ports import PasswordHasher

__all__ = ["LoginPolicy", "LoginResult", "authenticate", "lock_duration"]


def _positive(_instance: object, attribute: attrs.Attribute[timedelta], value: timedelta) -> None:
    if value <= timedelta(0):
        raise SelfcareError(Violation("config.invalid_setting", {"setting": attribute.name}))


def _not_negative(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 0:
        raise SelfcareError(Violation("config.invalid_setting", {"setting": attribute.name}))


def _at_least_one(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise SelfcareError(Violation("config.invalid_setting", {"setting": attribute.name}))


@final
@attrs.frozen(kw_only=True)
class LoginPolicy:
    """Throttling of failed logins (see the module for the defaults' meaning).

    Raises ``SelfcareError`` with ``config.invalid_setting`` for a count below one or a
    lock that is not positive.

    Attributes:
        max_failures: consecutive failures before the first lock.
        first_lock: length of the first lock.
        max_lock: the longest lock; each further failure doubles the lock up to it.
        reveal_lock: answer ``login.temporarily_locked`` (with the seconds to wait)
            or ``login.password_login_disabled`` instead of
            ``login.invalid_credentials`` during a lock. It tells anyone who tries an
            address that it is registered: opt in knowingly.
        disable_password_after: consecutive failures after which password login is
            disabled (0: never).
    """

    max_failures: int = attrs.field(default=5, validator=_at_least_one)
    first_lock: timedelta = attrs.field(default=timedelta(minutes=1), validator=_positive)
    max_lock: timedelta = attrs.field(default=timedelta(hours=1), validator=_positive)
    reveal_lock: bool = False
    disable_password_after: int = attrs.field(default=0, validator=_not_negative)


def lock_duration(failures: int, policy: LoginPolicy) -> timedelta | None:
    """How long ``failures`` consecutive failures lock the account; ``None``: no lock."""
    if failures < policy.max_failures:
        return None
    duration = policy.first_lock
    # Doubling stops at the cap: timedelta overflows after some 90 doublings of a minute.
    for _ in range(failures - policy.max_failures):
        if duration >= policy.max_lock:
            break
        duration *= 2
    return min(duration, policy.max_lock)


@final
@attrs.frozen(kw_only=True)
class LoginResult:
    """What :func:`authenticate` decided, and what to save.

    Attributes:
        decision: allowed, or the refusal to show.
        account: the account as it must be saved (failure count, lock, last login, an
            upgraded hash), or ``None`` when nothing changed.
        events: :class:`~selfcare.identity.events.LoginSucceeded`, or - when a wrong
            password was counted - :class:`~selfcare.identity.events.LoginFailed` (and
            :class:`~selfcare.identity.events.AccountLocked` when it started a lock).
    """

    decision: Decision
    account: Account | None = None
    events: tuple[Event, ...] = ()

    @property
    def outcome(self) -> Outcome[Account]:
        """The logged-in account with the events, or the refusal with them."""
        if self.decision and self.account is not None:
            return Done(self.account, self.events)
        return Refused(self.decision, self.events)


def _counted_failure(account: Account, moment: datetime, policy: LoginPolicy) -> LoginResult:
    failures = account.failed_logins + 1
    duration = lock_duration(failures, policy)
    locked_until = moment + duration if duration is not None else None
    changed = bump(account, failed_logins=failures, locked_until=locked_until)
    events: list[Event] = [
        LoginFailed(account_id=account.id, failed_logins=failures, occurred_at=moment)
    ]
    if locked_until is not None:
        events.append(
            AccountLocked(account_id=account.id, locked_until=locked_until, occurred_at=moment)
        )
    invalid = Decision.deny(Violation("login.invalid_credentials"))
    return LoginResult(decision=invalid, account=changed, events=tuple(events))


def _while_locked(locked_until: datetime, moment: datetime, policy: LoginPolicy) -> LoginResult:
    if policy.reveal_lock:
        wait = math.ceil((locked_until - moment).total_seconds())
        return LoginResult(
            decision=Decision.deny(
                Violation("login.temporarily_locked", {"retry_after_seconds": wait})
            )
        )
    return LoginResult(decision=Decision.deny(Violation("login.invalid_credentials")))


def _state_refusal(account: Account) -> LoginResult | None:
    if account.state is AccountState.LOCKED:
        return LoginResult(decision=Decision.deny(Violation("login.account_locked")))
    if account.state is AccountState.CLOSED:
        return LoginResult(decision=Decision.deny(Violation("login.account_closed")))
    return None


def authenticate(
    account: Account | None,
    password: str,
    *,
    hasher: PasswordHasher,
    dummy_hash: str,
    policy: LoginPolicy,
    now: datetime,
) -> LoginResult:
    """Check a login attempt against ``account`` (``None``: the address is unknown).

    ``dummy_hash`` is a hash made by ``hasher`` of some random string; it is verified
    whenever there is no real hash to verify, so that every attempt costs the same.

    Returns:
        A :class:`LoginResult` whose outcome is the account, or a refusal with
        ``login.invalid_credentials`` (unknown address, wrong password, temporarily
        locked, password login disabled), ``login.temporarily_locked``
        (``retry_after_seconds``; only with ``policy.reveal_lock``),
        ``login.password_login_disabled`` (only with ``policy.reveal_lock``),
        ``login.account_locked`` or ``login.account_closed`` (only after the right
        password).

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    if account is None:
        hasher.verify(password, dummy_hash)
        return LoginResult(decision=Decision.deny(Violation("login.invalid_credentials")))
    if 0 < policy.disable_password_after <= account.failed_logins:
        hasher.verify(password, dummy_hash)
        if policy.reveal_lock:
            return LoginResult(decision=Decision.deny(Violation("login.password_login_disabled")))
        return LoginResult(decision=Decision.deny(Violation("login.invalid_credentials")))
    if account.locked_until is not None and moment < account.locked_until:
        hasher.verify(password, dummy_hash)
        return _while_locked(account.locked_until, moment, policy)
    if not hasher.verify(password, account.password_hash):
        return _counted_failure(account, moment, policy)
    refused = _state_refusal(account)
    if refused is not None:
        return refused
    new_hash = (
        hasher.hash(password)
        if hasher.needs_rehash(account.password_hash)
        else account.password_hash
    )
    changed = bump(
        account,
        failed_logins=0,
        locked_until=None,
        last_login_at=moment,
        password_hash=new_hash,
    )
    succeeded = LoginSucceeded(account_id=account.id, occurred_at=moment)
    allowed = Decision.allow(reason=f"account:{account.id}")
    return LoginResult(decision=allowed, account=changed, events=(succeeded,))
