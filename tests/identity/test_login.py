"""Login throttling rules: same answer for unknown and wrong, growing locks, properties."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import SelfcareError, Violation
from selfcare.identity.account import Account, AccountState
from selfcare.identity.events import AccountLocked, LoginFailed
from selfcare.identity.hashing import ScryptHasher
from selfcare.identity.login import LoginPolicy, authenticate, lock_duration
from selfcare.testing.contracts.identity import example_account

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
HASHER = ScryptHasher(n=2**4)
DUMMY = HASHER.hash("dummy")
PASSWORD = "Kuusi7Sorsaa"


def account(**changes: object) -> Account:
    return attrs.evolve(example_account(1), password_hash=HASHER.hash(PASSWORD), **changes)


def attempt(
    target: Account | None, password: str, policy: LoginPolicy | None = None, now: datetime = T0
):  # type: ignore[no-untyped-def]
    return authenticate(
        target, password, hasher=HASHER, dummy_hash=DUMMY, policy=policy or LoginPolicy(), now=now
    )


def test_defaults_lock_after_five_failures_for_one_minute_doubling_to_an_hour() -> None:
    policy = LoginPolicy()
    assert (policy.max_failures, policy.first_lock, policy.max_lock) == (
        5,
        timedelta(minutes=1),
        timedelta(hours=1),
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
    [{"max_failures": 0}, {"first_lock": timedelta(0)}, {"max_lock": timedelta(seconds=-1)}],
)
def test_a_policy_needs_positive_numbers(kwargs: dict[str, object]) -> None:
    with pytest.raises(SelfcareError) as info:
        LoginPolicy(**kwargs)  # type: ignore[arg-type]
    assert info.value.violations == (
        Violation("config.invalid_setting", {"setting": next(iter(kwargs))}),
    )


def test_success_resets_the_failures_and_records_the_time() -> None:
    result = attempt(account(failed_logins=3), PASSWORD)
    assert result.decision
    assert result.decision.reason == "account:account-1"
    assert result.account is not None
    assert (result.account.failed_logins, result.account.last_login_at) == (0, T0)
    assert result.account.version == 2


def test_unknown_and_wrong_give_the_same_decision_and_unknown_saves_nothing() -> None:
    unknown = attempt(None, PASSWORD)
    wrong = attempt(account(), "Wrong7Sorsaa")
    assert unknown.decision == wrong.decision
    assert unknown.decision.codes == ("login.invalid_credentials",)
    assert unknown.account is None
    assert wrong.account is not None
    assert wrong.account.failed_logins == 1


def test_the_fifth_failure_starts_the_lock() -> None:
    result = attempt(account(failed_logins=4), "x")
    assert [type(e) for e in result.events] == [LoginFailed, AccountLocked]
    assert result.outcome.codes == ("login.invalid_credentials",)
    assert result.account is not None
    assert result.account.locked_until == T0 + timedelta(minutes=1)


def test_during_a_lock_nothing_is_verified_or_saved() -> None:
    locked = account(failed_logins=5, locked_until=T0 + timedelta(minutes=1))
    result = attempt(locked, PASSWORD)
    assert result.decision.codes == ("login.invalid_credentials",)
    assert result.account is None
    revealed = attempt(locked, PASSWORD, LoginPolicy(reveal_lock=True), T0 + timedelta(seconds=0.5))
    assert revealed.decision.codes == ("login.temporarily_locked",)
    assert revealed.decision.violations[0].params == {"retry_after_seconds": 60}


def test_naive_now_is_refused() -> None:
    with pytest.raises(SelfcareError):
        attempt(account(), PASSWORD, now=datetime(2026, 3, 2))  # noqa: DTZ001


@pytest.mark.parametrize("state", [AccountState.LOCKED, AccountState.CLOSED])
def test_state_is_only_told_to_the_right_password(state: AccountState) -> None:
    assert attempt(account(state=state), "x").decision.codes == ("login.invalid_credentials",)
    assert attempt(account(state=state), PASSWORD).decision.codes == (
        f"login.account_{state.value}",
    )


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


@given(password=st.text(max_size=30), failures=st.integers(0, 20))
def test_any_password_gives_a_decision_never_an_exception(password: str, failures: int) -> None:
    result = attempt(account(failed_logins=failures), password)
    assert bool(result.decision) == (password == PASSWORD)
