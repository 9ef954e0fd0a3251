"""Login by e-mail address and password: throttling and its rules.

Strong identification is needed only to register (the energy registration guide: "bank
codes only the first time"); afterwards users log in with their e-mail address and
password, from a *source* the caller names (:data:`~selfcare.identity.ids.LoginSource`:
the client's IP address, a device id, or both).

Throttling (defaults of :class:`LoginPolicy`, all operator-configurable), counted in
storage by :mod:`selfcare.identity.throttle`, so that every service process sees the
same counts:

- **Per (account, source)**: after ``max_failures`` (5) recent failures from one
  source, the account is locked *for that source* for ``first_lock`` (1 minute); every
  further failure after the lock ends doubles the lock, up to ``max_lock`` (1 hour).
  One failure is forgotten every ``failure_decay`` (10 minutes), so a few typos a day
  never add up. Someone who knows the address locks out only themselves: the owner,
  from another source, logs in as usual.
- **Per source**: after ``source_max_failures`` (100) recent failures from one source,
  at any accounts (known or not), that source is refused for every account
  (``login.rate_limited``, with the seconds to wait) until failures leak away, one
  every ``source_failure_decay`` (36 seconds: 100 an hour). Nothing is verified then.
- **Consecutive failures of the account**, from every source, reset by a successful
  login: with ``disable_password_after`` (off by default; NIST SP 800-63B-4 section
  3.2.2: at most 100, the NIST preset
  :func:`~selfcare.identity.password_presets.nist_login_policy`) that many disable
  password login altogether - without the password being verified - until the owner
  follows the single-use unlock link sent to the account's verified address
  (:mod:`selfcare.identity.login_unlock`).

A wrong current password in a password change counts exactly like a failed login.

Privacy: the answer for an unknown e-mail address, for a wrong password and - unless
the operator opts in with ``reveal_lock=True`` - for a locked (account, source) or a
disabled password login is the same ``login.invalid_credentials``, and each of them
runs one password verification (an unknown address is checked against a dummy hash),
so that neither the reply nor its timing tells whether an address is registered. That
an account is locked by customer service or closed is said only after the right
password was given. The per-source refusal says nothing about any account.

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
from selfcare.core.ports import next_version
from selfcare.identity.account import Account, AccountState
from selfcare.identity.events import (
    AccountLocked,
    LoginFailed,
    LoginFailedForUnknownAddress,
    LoginMethod,
    LoginSucceeded,
    PasswordLoginDisabled,
)
from selfcare.identity.ids import LoginThrottleKey
from selfcare.identity.throttle import (
    LoginThrottle,
    count_failure,
    decayed,
    new_throttle,
    pair_key,
    source_key,
    wait_until_below,
)

__all__ = [
    "LoginPolicy",
    "LoginResult",
    "account_refusal",
    "account_state_refusal",
    "lock_duration",
    "login_failed",
    "login_succeeded",
    "password_login_disabled",
    "source_refusal",
    "throttle_at_rest",
]


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
    """Throttling of failed logins (see the module for the model and the defaults).

    Raises ``SelfcareError`` with ``config.invalid_setting`` for a count below one or a
    time that is not positive.

    Attributes:
        max_failures: recent failures from one source at one account before the
            first lock of that pair.
        first_lock: length of the first lock.
        max_lock: the longest lock; each further failure doubles the lock up to it.
        failure_decay: one failure of a pair is forgotten per this interval.
        source_max_failures: recent failures from one source (at any accounts)
            before that source is refused.
        source_failure_decay: one failure of a source is forgotten per this interval.
        reveal_lock: answer ``login.temporarily_locked`` (with the seconds to wait)
            or ``login.password_login_disabled`` instead of
            ``login.invalid_credentials`` during a lock. It tells anyone who tries an
            address that it is registered: opt in knowingly.
        disable_password_after: consecutive failures (from every source) after
            which password login is disabled until the owner unlocks it (0: never;
            NIST SP 800-63B-4: at most 100).
        unlock_valid_for: how long an unlock link works.
    """

    max_failures: int = attrs.field(default=5, validator=_at_least_one)
    first_lock: timedelta = attrs.field(default=timedelta(minutes=1), validator=_positive)
    max_lock: timedelta = attrs.field(default=timedelta(hours=1), validator=_positive)
    failure_decay: timedelta = attrs.field(default=timedelta(minutes=10), validator=_positive)
    source_max_failures: int = attrs.field(default=100, validator=_at_least_one)
    source_failure_decay: timedelta = attrs.field(
        default=timedelta(seconds=36), validator=_positive
    )
    reveal_lock: bool = False
    disable_password_after: int = attrs.field(default=0, validator=_not_negative)
    unlock_valid_for: timedelta = attrs.field(default=timedelta(hours=1), validator=_positive)


def lock_duration(failures: int, policy: LoginPolicy) -> timedelta | None:
    """How long ``failures`` recent failures lock a pair; ``None``: no lock."""
    if failures < policy.max_failures:
        return None
    duration = policy.first_lock
    # Doubling stops at the cap: timedelta overflows after some 90 doublings of a minute.
    for _ in range(failures - policy.max_failures):
        if duration >= policy.max_lock:
            break
        duration *= 2
    return min(duration, policy.max_lock)


def throttle_at_rest(throttle: LoginThrottle, now: datetime, policy: LoginPolicy) -> bool:
    """Whether ``throttle`` counts nothing any more at ``now``: every failure has leaked
    away (at the pair's or the source's rate of ``policy``) and no lock is running. Such
    a record weighs exactly what no record does, so retention may delete it.

    >>> from datetime import UTC
    >>> from selfcare.core.ids import AccountId
    >>> t0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
    >>> pair = LoginThrottle(key=pair_key(AccountId("a-1"), "ab"), account_id=AccountId("a-1"),
    ...                      failures=3, decayed_at=t0)
    >>> throttle_at_rest(pair, t0 + timedelta(minutes=29), LoginPolicy())
    False
    >>> throttle_at_rest(pair, t0 + timedelta(minutes=30), LoginPolicy())
    True

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    if throttle.locked_until is not None and throttle.locked_until > moment:
        return False
    every = policy.source_failure_decay if throttle.account_id is None else policy.failure_decay
    return decayed(throttle, moment, every).failures == 0


def password_login_disabled(account: Account, policy: LoginPolicy) -> bool:
    """Whether the account's consecutive failures have disabled password login."""
    return 0 < policy.disable_password_after <= account.failed_logins


@final
@attrs.frozen(kw_only=True)
class LoginResult:
    """What a verified login attempt changes: what to save, and the answer.

    Attributes:
        decision: allowed, or the refusal to show.
        account: the account as it must be saved (failure count, last login, an
            upgraded hash), or ``None`` when it does not change.
        throttles: the throttle records to save (added when their version is 1).
        forget: throttle keys to delete (a pair forgotten after a success).
        events: :class:`~selfcare.identity.events.LoginSucceeded`, or - when a wrong
            password was counted - :class:`~selfcare.identity.events.LoginFailed`
            (:class:`~selfcare.identity.events.LoginFailedForUnknownAddress` for an
            unknown address) (and
            :class:`~selfcare.identity.events.AccountLocked` when it locked the pair,
            :class:`~selfcare.identity.events.PasswordLoginDisabled` when it reached
            the ceiling).
    """

    decision: Decision
    account: Account | None = None
    throttles: tuple[LoginThrottle, ...] = ()
    forget: tuple[LoginThrottleKey, ...] = ()
    events: tuple[Event, ...] = ()

    @property
    def outcome(self) -> Outcome[Account]:
        """The logged-in account with the events, or the refusal with them."""
        if self.decision and self.account is not None:
            return Done(self.account, self.events)
        return Refused(self.decision, self.events)


def source_refusal(
    throttle: LoginThrottle | None, policy: LoginPolicy, now: datetime
) -> Decision | None:
    """The refusal of a source with too many recent failures, or ``None``.

    Returns:
        ``None``, or a refusal with ``login.rate_limited`` (``retry_after_seconds``).
    """
    moment = require_aware(now, "now")
    if throttle is None:
        return None
    wait = wait_until_below(
        throttle, policy.source_max_failures, moment, policy.source_failure_decay
    )
    if wait is None:
        return None
    seconds = max(1, math.ceil(wait.total_seconds()))
    return Decision.deny(Violation("login.rate_limited", {"retry_after_seconds": seconds}))


def account_refusal(
    account: Account, pair: LoginThrottle | None, policy: LoginPolicy, now: datetime
) -> Decision | None:
    """The refusal due before the password is verified: password login disabled, or
    the (account, source) pair locked; ``None`` when the password is to be verified.

    Returns:
        ``None``, or a refusal with ``login.invalid_credentials``, or - only with
        ``policy.reveal_lock`` - ``login.password_login_disabled`` or
        ``login.temporarily_locked`` (``retry_after_seconds``).
    """
    moment = require_aware(now, "now")
    if password_login_disabled(account, policy):
        if policy.reveal_lock:
            return Decision.deny(Violation("login.password_login_disabled"))
        return Decision.deny(Violation("login.invalid_credentials"))
    locked_until = pair.locked_until if pair is not None else None
    if locked_until is None or moment >= locked_until:
        return None
    if policy.reveal_lock:
        wait = math.ceil((locked_until - moment).total_seconds())
        return Decision.deny(Violation("login.temporarily_locked", {"retry_after_seconds": wait}))
    return Decision.deny(Violation("login.invalid_credentials"))


def _counted_source(
    source: LoginThrottle | None, digest: str, policy: LoginPolicy, moment: datetime
) -> LoginThrottle:
    current = source or new_throttle(source_key(digest), moment)
    return count_failure(current, moment, policy.source_failure_decay)


def _counted_pair(
    account: Account, pair: LoginThrottle | None, digest: str, policy: LoginPolicy, now: datetime
) -> LoginThrottle:
    current = pair or new_throttle(pair_key(account.id, digest), now, account.id)
    counted = count_failure(current, now, policy.failure_decay)
    duration = lock_duration(counted.failures, policy)
    return attrs.evolve(counted, locked_until=now + duration if duration else None)


def login_failed(
    account: Account | None,
    *,
    pair: LoginThrottle | None,
    source: LoginThrottle | None,
    digest: str,
    policy: LoginPolicy,
    now: datetime,
    refusal: Violation | None = None,
) -> LoginResult:
    """Count a wrong password from the source of ``digest`` (``account`` ``None``: the
    address is unknown, and only the source counts).

    Args:
        account: the account tried, as stored.
        pair: the stored (account, source) record, if any.
        source: the stored source record, if any.
        digest: :func:`~selfcare.identity.throttle.source_digest` of the source.
        policy: the throttling.
        now: the time of the attempt.
        refusal: the violation to answer (``login.invalid_credentials`` by default).

    Returns:
        A :class:`LoginResult` refusing with ``refusal``.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    denied = Decision.deny(refusal or Violation("login.invalid_credentials"))
    counted_source = _counted_source(source, digest, policy, moment)
    if account is None:
        counted = LoginFailedForUnknownAddress(
            source_failures=counted_source.failures, occurred_at=moment
        )
        return LoginResult(decision=denied, throttles=(counted_source,), events=(counted,))
    counted_pair = _counted_pair(account, pair, digest, policy, moment)
    failures = account.failed_logins + 1
    events: list[Event] = [
        LoginFailed(account_id=account.id, failed_logins=failures, occurred_at=moment)
    ]
    was_locked = pair is not None and pair.locked_until is not None and moment < pair.locked_until
    if counted_pair.locked_until is not None and not was_locked:
        events.append(
            AccountLocked(
                account_id=account.id, locked_until=counted_pair.locked_until, occurred_at=moment
            )
        )
    if failures == policy.disable_password_after:
        events.append(
            PasswordLoginDisabled(account_id=account.id, failed_logins=failures, occurred_at=moment)
        )
    return LoginResult(
        decision=denied,
        account=next_version(account, failed_logins=failures),
        throttles=(counted_pair, counted_source),
        events=tuple(events),
    )


def account_state_refusal(account: Account) -> Decision | None:
    """Why ``account`` may not log in or act whatever it proves: locked by customer
    service (``login.account_locked``) or closed (``login.account_closed``); ``None``
    for an active account."""
    if account.state is AccountState.LOCKED:
        return Decision.deny(Violation("login.account_locked"))
    if account.state is AccountState.CLOSED:
        return Decision.deny(Violation("login.account_closed"))
    return None


def login_succeeded(
    account: Account,
    *,
    digest: str,
    new_hash: str | None,
    now: datetime,
    method: LoginMethod = LoginMethod.PASSWORD,
) -> LoginResult:
    """The right password (or another ``method``'s proof) was given from the source of
    ``digest``.

    Args:
        account: the account, as stored.
        digest: :func:`~selfcare.identity.throttle.source_digest` of the source.
        new_hash: an upgraded hash to store instead of the current one, if any.
        now: the time of the attempt.
        method: how the user authenticated (in the event).

    Returns:
        A :class:`LoginResult` with the logged-in account (consecutive failures reset,
        the pair forgotten), or a refusal with ``login.account_locked`` or
        ``login.account_closed`` (which changes nothing).

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    refused = account_state_refusal(account)
    if refused is not None:
        return LoginResult(decision=refused)
    changed = next_version(
        account,
        failed_logins=0,
        locked_until=None,
        last_login_at=moment,
        password_hash=new_hash or account.password_hash,
    )
    succeeded = LoginSucceeded(account_id=account.id, method=method, occurred_at=moment)
    allowed = Decision.allow(reason=f"account:{account.id}")
    return LoginResult(
        decision=allowed,
        account=changed,
        forget=(pair_key(account.id, digest),),
        events=(succeeded,),
    )
