"""Counting failed logins per (account, source) and per source: leaky buckets.

A login attempt comes from a *source*: an opaque string the caller supplies
(:data:`~selfcare.identity.ids.LoginSource`: the client's IP address or network, a
device id kept in a cookie, or both). Failures are counted in
:class:`LoginThrottle` records kept in storage (every service process sees the same
counts), under two keys:

- the pair (account, source): guesses at one account from one place; enough of them
  lock *that pair* for a growing time (:func:`~selfcare.identity.login.lock_duration`).
  The owner, logging in from elsewhere, is not locked out by someone who only knows
  the address;
- the source alone: guesses at many accounts from one place (password spraying);
  enough of them refuse that source for every account.

Each record is a leaky bucket with integer levels: a failure adds one, and one failure
leaks away every ``decay`` interval (:func:`decayed`), so the count measures recent
failures, never the whole history; a user who mistypes a few times a day is never
locked. The source's raw value is never stored: only :func:`source_digest`, a SHA-256
digest (a pseudonym: an IPv4 address can be found from it by trying all of them, so
treat the table as personal data with a short life).

>>> from datetime import UTC, datetime, timedelta
>>> t0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
>>> bucket = LoginThrottle(key=source_key(source_digest(LoginSource("192.0.2.1"))),
...                        failures=3, decayed_at=t0)
>>> decayed(bucket, t0 + timedelta(minutes=25), timedelta(minutes=10)).failures
1
>>> count_failure(bucket, t0 + timedelta(hours=1), timedelta(minutes=10)).failures
1
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Final, final

import attrs

from selfcare.core.clock import utc_field
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import AccountId
from selfcare.core.ports import next_version
from selfcare.identity.ids import LoginSource, LoginThrottleKey

__all__ = [
    "MAX_SOURCE_LENGTH",
    "LoginThrottle",
    "count_failure",
    "decayed",
    "new_throttle",
    "pair_key",
    "source_digest",
    "source_key",
    "wait_until_below",
]

#: The longest source accepted (characters): an IPv6 address and a device id fit.
MAX_SOURCE_LENGTH: Final = 512


def source_digest(source: LoginSource) -> str:
    """The digest under which ``source`` is counted (32 hex characters).

    >>> source_digest(LoginSource("192.0.2.1"))
    '37fcff24bf62035b2b08020afc08b4fe'

    Raises:
        TypeError: ``source`` is not a string.
        SelfcareError: ``login.source_invalid`` for an empty source or one longer than
            :data:`MAX_SOURCE_LENGTH` (the caller's bug: pass the client's address).
    """
    if not isinstance(source, str):  # the annotation says str; callers may not obey
        msg = f"a login source must be str, not {type(source).__name__}"  # type: ignore[unreachable]
        raise TypeError(msg)
    if not source.strip() or len(source) > MAX_SOURCE_LENGTH:
        raise SelfcareError(Violation("login.source_invalid", {"max_length": MAX_SOURCE_LENGTH}))
    data = source.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:32]


def pair_key(account_id: AccountId, digest: str) -> LoginThrottleKey:
    """The key counting failures at ``account_id`` from the source of ``digest``."""
    return LoginThrottleKey(f"pair:{digest}:{account_id}")


def source_key(digest: str) -> LoginThrottleKey:
    """The key counting failures at any account from the source of ``digest``."""
    return LoginThrottleKey(f"source:{digest}")


@final
@attrs.frozen(kw_only=True)
class LoginThrottle:
    """Recent failed logins under one key (see the module).

    Attributes:
        key: :func:`pair_key` or :func:`source_key`.
        account_id: the account of a pair; ``None`` for a source.
        failures: failures counted and not yet leaked away at ``decayed_at``.
        decayed_at: the moment from which the next leak is measured.
        locked_until: end of the lock of a pair (``None``: not locked).
        version: the optimistic-concurrency version.
    """

    key: LoginThrottleKey
    account_id: AccountId | None = None
    failures: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    decayed_at: datetime = utc_field()
    locked_until: datetime | None = utc_field(optional=True, default=None)
    version: int = 1


def new_throttle(
    key: LoginThrottleKey, now: datetime, account_id: AccountId | None = None
) -> LoginThrottle:
    """An empty record for ``key`` (not stored yet: its version is 0 until saved)."""
    return LoginThrottle(key=key, account_id=account_id, decayed_at=now, version=0)


def decayed(throttle: LoginThrottle, now: datetime, every: timedelta) -> LoginThrottle:
    """``throttle`` with one failure leaked away per whole ``every`` since
    ``decayed_at`` (the remainder of an interval is kept). Not a change to save: the
    version stays."""
    if now <= throttle.decayed_at:
        return throttle
    if throttle.failures == 0:
        return attrs.evolve(throttle, decayed_at=now)
    steps = (now - throttle.decayed_at) // every
    if steps >= throttle.failures:
        return attrs.evolve(throttle, failures=0, decayed_at=now)
    return attrs.evolve(
        throttle, failures=throttle.failures - steps, decayed_at=throttle.decayed_at + steps * every
    )


def count_failure(throttle: LoginThrottle, now: datetime, every: timedelta) -> LoginThrottle:
    """``throttle`` decayed to ``now`` with one more failure; the version bumped."""
    current = decayed(throttle, now, every)
    return next_version(current, failures=current.failures + 1)


def wait_until_below(
    throttle: LoginThrottle, limit: int, now: datetime, every: timedelta
) -> timedelta | None:
    """How long until fewer than ``limit`` failures remain; ``None`` when already so."""
    current = decayed(throttle, now, every)
    if current.failures < limit:
        return None
    steps = current.failures - limit + 1
    return current.decayed_at + steps * every - now
