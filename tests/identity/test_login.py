"""Login throttling rules: pairs and sources, leaky buckets, growing locks, properties."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import SelfcareError, Violation
from selfcare.identity.account import Account, AccountState
from selfcare.identity.events import AccountLocked, LoginFailed, PasswordLoginDisabled
from selfcare.identity.ids import LoginSource, LoginThrottleKey
from selfcare.identity.login import (
    LoginPolicy,
    account_refusal,
    lock_duration,
    login_failed,
    login_succeeded,
    source_refusal,
)
from selfcare.identity.throttle import (
    MAX_SOURCE_LENGTH,
    LoginThrottle,
    count_failure,
    decayed,
    new_throttle,
    pair_key,
    source_digest,
    source_key,
)
from selfcare.testing.contracts.identity import example_account

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
DIGEST = source_digest(LoginSource("203.0.113.9"))


def account(**changes: object) -> Account:
    return attrs.evolve(example_account(1), **changes)


def fail(
    target: Account | None,
    pair: LoginThrottle | None = None,
    source: LoginThrottle | None = None,
    policy: LoginPolicy | None = None,
    now: datetime = T0,
):  # type: ignore[no-untyped-def]
    return login_failed(
        target, pair=pair, source=source, digest=DIGEST, policy=policy or LoginPolicy(), now=now
    )


def test_defaults_lock_after_five_failures_for_one_minute_doubling_to_an_hour() -> None:
    policy = LoginPolicy()
    assert (policy.max_failures, policy.first_lock, policy.max_lock) == (
        5,
        timedelta(minutes=1),
        timedelta(hours=1),
    )
    assert (policy.failure_decay, policy.source_max_failures, policy.source_failure_decay) == (
        timedelta(minutes=10),
        100,
        timedelta(seconds=36),
    )
    durations = [lock_duration(n, policy) for n in range(1, 13)]
    assert durations[:4] == [None] * 4
    assert [d.total_seconds() for d in durations[4:] if d] == [
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_failures": 0},
        {"first_lock": timedelta(0)},
        {"max_lock": timedelta(seconds=-1)},
        {"failure_decay": timedelta(0)},
        {"source_max_failures": 0},
        {"source_failure_decay": timedelta(0)},
        {"unlock_valid_for": timedelta(0)},
        {"disable_password_after": -1},
    ],
)
def test_a_policy_needs_positive_numbers(kwargs: dict[str, object]) -> None:
    with pytest.raises(SelfcareError) as info:
        LoginPolicy(**kwargs)  # type: ignore[arg-type]
    assert info.value.violations == (
        Violation("config.invalid_setting", {"setting": next(iter(kwargs))}),
    )


def test_a_source_is_counted_by_a_digest_never_in_clear() -> None:
    assert len(DIGEST) == 32
    assert "203.0.113.9" not in pair_key(account().id, DIGEST)
    assert source_key(DIGEST) == f"source:{DIGEST}"


@pytest.mark.parametrize("bad", ["", "   ", "x" * (MAX_SOURCE_LENGTH + 1)])
def test_an_empty_or_huge_source_is_the_callers_bug(bad: str) -> None:
    with pytest.raises(SelfcareError) as info:
        source_digest(LoginSource(bad))
    assert info.value.violations[0].code == "login.source_invalid"
    with pytest.raises(TypeError):
        source_digest(b"1.2.3.4")  # type: ignore[arg-type]


def test_odd_unicode_sources_are_counted_apart() -> None:
    digests = {source_digest(LoginSource(s)) for s in ("a", "A", "\ud800", "é", "e\u0301")}
    assert len(digests) == 5


def test_success_resets_the_failures_records_the_time_and_forgets_the_pair() -> None:
    result = login_succeeded(account(failed_logins=3), digest=DIGEST, new_hash=None, now=T0)
    assert result.decision
    assert result.decision.reason == "account:account-1"
    assert result.account is not None
    assert (result.account.failed_logins, result.account.last_login_at) == (0, T0)
    assert result.account.version == 2
    assert result.forget == (pair_key(account().id, DIGEST),)


def test_an_unknown_address_counts_only_for_the_source() -> None:
    unknown = fail(None)
    wrong = fail(account())
    assert unknown.decision == wrong.decision
    assert unknown.decision.codes == ("login.invalid_credentials",)
    assert unknown.account is None
    assert [t.key for t in unknown.throttles] == [source_key(DIGEST)]
    assert wrong.account is not None
    assert wrong.account.failed_logins == 1
    assert [t.key for t in wrong.throttles] == [pair_key(account().id, DIGEST), source_key(DIGEST)]
    assert all(t.version == 1 for t in wrong.throttles)  # new records, to add


def test_the_fifth_failure_of_a_pair_starts_the_lock_of_that_pair_only() -> None:
    pair = attrs.evolve(
        new_throttle(pair_key(account().id, DIGEST), T0, account().id), failures=4, version=1
    )
    result = fail(account(failed_logins=4), pair)
    assert [type(e) for e in result.events] == [LoginFailed, AccountLocked]
    assert result.outcome.codes == ("login.invalid_credentials",)
    assert result.account is not None
    assert result.account.locked_until is None  # the account itself is not locked
    assert result.throttles[0].locked_until == T0 + timedelta(minutes=1)
    assert result.throttles[0].version == 2


def test_during_a_pair_lock_nothing_is_verified_and_the_answer_hides_the_lock() -> None:
    pair = LoginThrottle(
        key=pair_key(account().id, DIGEST),
        account_id=account().id,
        failures=5,
        decayed_at=T0,
        locked_until=T0 + timedelta(minutes=1),
    )
    hidden = account_refusal(account(), pair, LoginPolicy(), T0)
    assert hidden is not None
    assert hidden.codes == ("login.invalid_credentials",)
    revealed = account_refusal(
        account(), pair, LoginPolicy(reveal_lock=True), T0 + timedelta(seconds=0.5)
    )
    assert revealed is not None
    assert revealed.codes == ("login.temporarily_locked",)
    assert revealed.violations[0].params == {"retry_after_seconds": 60}
    assert account_refusal(account(), pair, LoginPolicy(), T0 + timedelta(minutes=1)) is None


def test_a_source_with_too_many_failures_is_rate_limited_until_they_leak() -> None:
    policy = LoginPolicy(source_max_failures=3, source_failure_decay=timedelta(seconds=10))
    source = None
    for _ in range(3):
        source = fail(None, source=source, policy=policy).throttles[0]
    refused = source_refusal(source, policy, T0)
    assert refused is not None
    assert refused.codes == ("login.rate_limited",)
    assert refused.violations[0].params == {"retry_after_seconds": 10}
    assert refused.kind == "rate_limited"
    assert source_refusal(source, policy, T0 + timedelta(seconds=10)) is None


def test_the_hundredth_consecutive_failure_disables_password_login() -> None:
    policy = LoginPolicy(disable_password_after=100)
    result = fail(account(failed_logins=99), policy=policy)
    assert PasswordLoginDisabled in [type(e) for e in result.events]
    assert result.account is not None
    refused = account_refusal(result.account, None, policy, T0)
    assert refused is not None
    assert refused.codes == ("login.invalid_credentials",)
    revealing = account_refusal(result.account, None, attrs.evolve(policy, reveal_lock=True), T0)
    assert revealing is not None
    assert revealing.codes == ("login.password_login_disabled",)
    assert account_refusal(result.account, None, LoginPolicy(), T0) is None  # off by default


def test_naive_now_is_refused() -> None:
    with pytest.raises(SelfcareError):
        fail(account(), now=datetime(2026, 3, 2))  # noqa: DTZ001
    with pytest.raises(SelfcareError):
        source_refusal(None, LoginPolicy(), datetime(2026, 3, 2))  # noqa: DTZ001


@pytest.mark.parametrize("state", [AccountState.LOCKED, AccountState.CLOSED])
def test_state_is_only_told_to_the_right_password(state: AccountState) -> None:
    assert fail(account(state=state)).decision.codes == ("login.invalid_credentials",)
    right = login_succeeded(account(state=state), digest=DIGEST, new_hash=None, now=T0)
    assert right.decision.codes == (f"login.account_{state.value}",)
    assert right.account is None


@given(
    failures=st.integers(0, 200),
    max_failures=st.integers(1, 10),
    first=st.integers(1, 600),
    cap=st.integers(1, 100_000),
)
def test_locks_never_shrink_and_never_exceed_the_cap(
    failures: int, max_failures: int, first: int, cap: int
) -> None:
    policy = LoginPolicy(
        max_failures=max_failures,
        first_lock=timedelta(seconds=first),
        max_lock=timedelta(seconds=cap),
    )
    now, later = lock_duration(failures, policy), lock_duration(failures + 1, policy)
    if now is not None:
        assert later is not None
        assert now <= later <= policy.max_lock
    assert (now is None) == (failures < max_failures)


KEY = LoginThrottleKey("source:x")


@given(
    failures=st.integers(0, 500),
    elapsed=st.lists(st.integers(0, 10_000), max_size=8),
    every=st.integers(1, 3600),
)
def test_a_bucket_only_leaks_and_never_below_zero(
    failures: int, elapsed: list[int], every: int
) -> None:
    interval = timedelta(seconds=every)
    bucket = attrs.evolve(new_throttle(KEY, T0), failures=failures)
    moment = T0
    for seconds in elapsed:
        moment += timedelta(seconds=seconds)
        before = bucket.failures
        bucket = decayed(bucket, moment, interval)
        assert 0 <= bucket.failures <= before
        assert bucket.decayed_at <= moment
    # Leaking in steps equals leaking at once: the remainder of an interval is kept.
    at_once = decayed(attrs.evolve(new_throttle(KEY, T0), failures=failures), moment, interval)
    assert at_once.failures == bucket.failures


@given(gaps=st.lists(st.integers(0, 3600), min_size=1, max_size=30))
def test_a_failure_always_counts_one_more_than_what_remains(gaps: list[int]) -> None:
    every = timedelta(minutes=10)
    bucket = new_throttle(KEY, T0)
    moment = T0
    for gap in gaps:
        moment += timedelta(seconds=gap)
        remaining = decayed(bucket, moment, every).failures
        bucket = count_failure(bucket, moment, every)
        assert bucket.failures == remaining + 1
