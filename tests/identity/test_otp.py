"""The one-time code lifecycle of seed 004: issue, verify, resend, lock, expire."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import SelfcareError
from selfcare.core.ids import SystemSecrets
from selfcare.identity.contact import PhoneNumber
from selfcare.identity.otp import (
    ChallengeState,
    OneTimeCodeChallenge,
    OneTimeCodeKey,
    OneTimeCodePolicy,
    can_resend,
    issue_code,
    resend_code,
    verify_code,
)
from selfcare.serialization import structure, unstructure
from selfcare.testing.fakes import CountingSecrets

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PHONE = PhoneNumber.parse("040 123 4567")
KEY = OneTimeCodeKey(b"one-time-code-key-0123456789abcdef")


def _issue(**kwargs: object) -> tuple[OneTimeCodeChallenge, str, CountingSecrets]:
    secrets = CountingSecrets()
    challenge, code = issue_code(
        PHONE,
        challenge_id="c-1",
        now=NOW,
        secrets=secrets,
        key=KEY,
        **kwargs,  # type: ignore[arg-type]
    )
    return challenge, code, secrets


def test_issue_returns_the_code_once_and_stores_only_a_salted_hash() -> None:
    challenge, code, _ = _issue()
    assert code == "000001"
    assert challenge.state is ChallengeState.PENDING
    assert code not in repr(challenge)
    assert challenge.code_hash not in repr(challenge)
    assert code not in challenge.code_hash
    assert challenge.expires_at == NOW + timedelta(minutes=10)
    assert challenge.version == 1
    assert challenge.last_sent_at == NOW


def test_a_stored_challenge_does_not_give_its_code_away_without_the_key() -> None:
    # A database dump holds salt and verifier. With a salted hash alone, trying every
    # code finds it at once (the 0.1 verifier: HMAC keyed by the salt); with the
    # operator key outside the database, neither that nor any other key finds it.
    policy = OneTimeCodePolicy(code_length=4)
    challenge, code, _ = _issue(policy=policy)
    candidates = [f"{n:04d}" for n in range(10_000)]

    def unkeyed(candidate: str) -> str:
        return hmac.new(challenge.salt.encode(), candidate.encode(), hashlib.sha256).hexdigest()

    assert not [c for c in candidates if unkeyed(c) == challenge.code_hash]
    guess = OneTimeCodeKey(b"\x00" * 32)
    assert not [c for c in candidates if guess.verifier(challenge.salt, c) == challenge.code_hash]
    assert [c for c in candidates if KEY.verifier(challenge.salt, c) == challenge.code_hash] == [
        code
    ]


def test_the_right_code_under_another_key_is_a_wrong_attempt() -> None:
    challenge, code, _ = _issue()
    other = OneTimeCodeKey(b"another-one-time-code-key-0123456789")
    after, decision = verify_code(challenge, code, now=NOW, key=other)
    assert decision.codes == ("otp.wrong_code",)
    assert after.attempts == 1


def test_the_key_is_at_least_32_bytes_and_never_shown() -> None:
    with pytest.raises(TypeError):
        OneTimeCodeKey(b"short")
    with pytest.raises(TypeError):
        OneTimeCodeKey("k" * 32)  # type: ignore[arg-type]
    assert "one-time-code-key" not in repr(KEY)


def test_same_code_with_another_salt_hashes_differently() -> None:
    first, _, _ = _issue()
    other = CountingSecrets()
    other.token = lambda _nbytes: "another-salt"  # type: ignore[method-assign]
    second, code = issue_code(PHONE, challenge_id="c-2", key=KEY, now=NOW, secrets=other)
    assert code == "000001"
    assert first.code_hash != second.code_hash


def test_the_right_code_verifies_once() -> None:
    challenge, code, _ = _issue()
    verified, decision = verify_code(challenge, code, key=KEY, now=NOW + timedelta(minutes=9))
    assert decision
    assert verified.state is ChallengeState.VERIFIED
    assert verified.verified_at == NOW + timedelta(minutes=9)
    assert verified.version == 2
    again, decision = verify_code(verified, code, key=KEY, now=NOW + timedelta(minutes=9))
    assert decision.codes == ("otp.already_verified",)
    assert again is verified


def test_spaces_and_hyphens_in_the_entered_code_are_ignored() -> None:
    challenge, _, _ = _issue()
    assert verify_code(challenge, " 000-001 ", key=KEY, now=NOW)[1]


def test_five_wrong_attempts_lock_the_challenge() -> None:
    challenge, code, _ = _issue()
    for left in (4, 3, 2, 1):
        challenge, decision = verify_code(challenge, "999999", key=KEY, now=NOW)
        assert decision.codes == ("otp.wrong_code",)
        assert decision.violations[0].params == {"attempts_left": left}
    challenge, decision = verify_code(challenge, "999999", key=KEY, now=NOW)
    assert decision.codes == ("otp.too_many_attempts",)
    assert challenge.state is ChallengeState.LOCKED
    challenge, decision = verify_code(challenge, code, key=KEY, now=NOW)
    assert decision.codes == ("otp.locked",)
    assert can_resend(challenge, now=NOW + timedelta(hours=1)).codes == ("otp.not_pending",)


@pytest.mark.parametrize("entered", ["", "abcdef", "1" * 100, "٠٠٠٠٠١", "00000", "\x00"])
def test_malformed_entries_count_as_wrong_attempts(entered: str) -> None:
    challenge, _, _ = _issue()
    after, decision = verify_code(challenge, entered, key=KEY, now=NOW)
    assert decision.codes == ("otp.wrong_code",)
    assert after.attempts == 1


def test_a_code_expires_after_ten_minutes() -> None:
    challenge, code, _ = _issue()
    expired, decision = verify_code(challenge, code, key=KEY, now=NOW + timedelta(minutes=10))
    assert decision.codes == ("otp.expired",)
    assert expired.state is ChallengeState.EXPIRED
    assert verify_code(expired, code, key=KEY, now=NOW)[1].codes == ("otp.expired",)


def test_resend_waits_sixty_seconds_and_replaces_the_code() -> None:
    challenge, old_code, secrets = _issue()
    early = can_resend(challenge, now=NOW + timedelta(seconds=59, milliseconds=500))
    assert early.codes == ("otp.resend_too_soon",)
    assert early.violations[0].params == {"wait_seconds": 1}
    with pytest.raises(SelfcareError) as caught:
        resend_code(challenge, key=KEY, now=NOW + timedelta(seconds=30), secrets=secrets)
    assert caught.value.codes == ("otp.resend_too_soon",)
    challenge, _ = verify_code(challenge, "999999", key=KEY, now=NOW)
    later = NOW + timedelta(seconds=60)
    renewed, new_code = resend_code(challenge, key=KEY, now=later, secrets=secrets)
    assert new_code != old_code
    assert renewed.attempts == 0
    assert renewed.expires_at == later + timedelta(minutes=10)
    assert renewed.version == challenge.version + 1
    assert verify_code(renewed, old_code, key=KEY, now=later)[1].codes == ("otp.wrong_code",)
    assert verify_code(renewed, new_code, key=KEY, now=later)[1]


def test_at_most_five_sends_an_hour_per_number() -> None:
    challenge, _, secrets = _issue()
    moment = NOW
    for _ in range(4):
        moment += timedelta(minutes=2)
        challenge, _ = resend_code(challenge, key=KEY, now=moment, secrets=secrets)
    assert len(challenge.sends) == 5
    blocked = can_resend(challenge, now=moment + timedelta(minutes=5))
    assert blocked.codes == ("otp.send_limit_reached",)
    assert blocked.violations[0].params == {"max_sends": 5}
    # Starting over for the same number does not reset the limit...
    with pytest.raises(SelfcareError) as caught:
        issue_code(
            PHONE,
            challenge_id="c-2",
            now=moment + timedelta(minutes=5),
            secrets=secrets,
            key=KEY,
            previous=challenge,
        )
    assert caught.value.codes == ("otp.send_limit_reached",)
    # ...but the first send falls out of the window an hour later.
    assert can_resend(challenge, now=NOW + timedelta(hours=1))
    fresh, _ = issue_code(
        PHONE,
        challenge_id="c-2",
        now=NOW + timedelta(hours=1),
        secrets=secrets,
        key=KEY,
        previous=challenge,
    )
    assert len(fresh.sends) == 5


def test_a_previous_challenge_of_another_number_is_ignored() -> None:
    challenge, _, secrets = _issue()
    other = PhoneNumber.parse("050 123 4567")
    fresh, _ = issue_code(
        other, challenge_id="c-2", key=KEY, now=NOW, secrets=secrets, previous=challenge
    )
    assert fresh.sends == (NOW,)


def test_system_secrets_give_six_digits() -> None:
    challenge, code = issue_code(PHONE, challenge_id="c", key=KEY, now=NOW, secrets=SystemSecrets())
    assert len(code) == 6
    assert code.isdigit()
    assert verify_code(challenge, code, key=KEY, now=NOW)[1]


def test_a_broken_secret_source_is_a_programming_error() -> None:
    secrets = CountingSecrets()
    secrets.digits = lambda _count: "12ab56"  # type: ignore[method-assign]
    with pytest.raises(ValueError, match="SecretSource"):
        issue_code(PHONE, challenge_id="c", key=KEY, now=NOW, secrets=secrets)


def test_policy_is_configurable_and_validated() -> None:
    policy = OneTimeCodePolicy(code_length=8, max_attempts=1, validity=timedelta(minutes=1))
    challenge, code, _ = _issue(policy=policy)
    assert len(code) == 8
    _, decision = verify_code(challenge, "1", key=KEY, now=NOW, policy=policy)
    assert decision.codes == ("otp.too_many_attempts",)
    for bad in ({"code_length": 3}, {"max_attempts": 0}, {"validity": timedelta(0)}):
        with pytest.raises(SelfcareError) as caught:
            OneTimeCodePolicy(**bad)  # type: ignore[arg-type]
        assert caught.value.codes == ("otp.invalid_policy",)


def test_naive_times_are_refused() -> None:
    challenge, code, secrets = _issue()
    naive = datetime(2026, 3, 1)  # noqa: DTZ001
    with pytest.raises(SelfcareError):
        verify_code(challenge, code, key=KEY, now=naive)
    with pytest.raises(SelfcareError):
        issue_code(PHONE, challenge_id="c", key=KEY, now=naive, secrets=secrets)


def test_the_challenge_round_trips_and_needs_a_send() -> None:
    challenge, _, _ = _issue()
    stored = unstructure(challenge, include_secrets=True)
    assert structure(stored, OneTimeCodeChallenge) == challenge
    assert {"salt", "code_hash"}.isdisjoint(unstructure(challenge))
    data = dict(stored)
    data["sends"] = []
    with pytest.raises(SelfcareError):
        structure(data, OneTimeCodeChallenge)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["right", "wrong", "resend"]),
            st.integers(min_value=0, max_value=400),
        ),
        max_size=25,
    )
)
def test_any_sequence_of_steps_keeps_the_lifecycle_laws(steps: list[tuple[str, int]]) -> None:
    secrets = CountingSecrets()
    challenge, code = issue_code(PHONE, challenge_id="c", key=KEY, now=NOW, secrets=secrets)
    moment = NOW
    for action, seconds in steps:
        moment += timedelta(seconds=seconds)
        before = challenge
        if action == "resend":
            if can_resend(challenge, now=moment):
                challenge, code = resend_code(challenge, key=KEY, now=moment, secrets=secrets)
                assert challenge.attempts == 0
            else:
                with pytest.raises(SelfcareError):
                    resend_code(challenge, key=KEY, now=moment, secrets=secrets)
        else:
            entered = code if action == "right" else "x"
            challenge, decision = verify_code(challenge, entered, key=KEY, now=moment)
            if decision:
                assert action == "right"
                assert challenge.state is ChallengeState.VERIFIED
        if before.state is not ChallengeState.PENDING:
            assert challenge is before  # final states never change
        elif challenge is not before:
            assert challenge.version == before.version + 1
        assert challenge.attempts <= 5
        assert len([s for s in challenge.sends if moment - s < timedelta(hours=1)]) <= 5
        assert code not in repr(challenge)


def test_codes_go_only_to_mobile_numbers() -> None:
    with pytest.raises(SelfcareError) as caught:
        issue_code(
            PhoneNumber.parse("09 123 4567"),
            challenge_id="c",
            now=NOW,
            secrets=CountingSecrets(),
            key=KEY,
        )
    assert caught.value.codes == ("phone.not_mobile",)


# ---- the boundaries of the rules (issue 21)


def test_a_key_of_exactly_32_bytes_is_enough_and_31_is_not() -> None:
    assert OneTimeCodeKey(b"k" * 32).verifier("salt", "123456")
    assert OneTimeCodeKey(bytearray(b"k" * 32)).verifier("salt", "123456")
    with pytest.raises(TypeError):
        OneTimeCodeKey(b"k" * 31)


def test_code_lengths_from_4_to_12_digits_are_possible() -> None:
    for length in (4, 12):
        _, code, _ = _issue(policy=OneTimeCodePolicy(code_length=length))
        assert len(code) == length
    for length in (3, 13, True):
        with pytest.raises(SelfcareError) as caught:
            OneTimeCodePolicy(code_length=length)
        assert caught.value.codes == ("otp.invalid_policy",)


def test_each_code_is_hashed_with_a_fresh_128_bit_salt() -> None:
    challenge, _, secrets = _issue()
    assert secrets.tokens == [challenge.salt]
    assert len(challenge.salt) == 22  # 16 random bytes, unpadded URL-safe base64


def test_an_entered_code_of_up_to_64_characters_is_read_and_a_longer_one_is_wrong() -> None:
    challenge, code, _ = _issue()
    padded = code.center(64)
    assert verify_code(challenge, padded, key=KEY, now=NOW)[1]
    too_long = code.center(65)
    assert verify_code(challenge, too_long, key=KEY, now=NOW)[1].codes == ("otp.wrong_code",)


def test_an_entered_code_that_is_not_text_is_a_wrong_attempt() -> None:
    challenge, _, _ = _issue()
    for entered in (None, 123456, b"000001"):
        after, decision = verify_code(challenge, entered, key=KEY, now=NOW)  # type: ignore[arg-type]
        assert decision.codes == ("otp.wrong_code",)
        assert after.attempts == 1


def test_the_resend_interval_counts_from_the_latest_send() -> None:
    challenge, _, secrets = _issue()
    first_resend = NOW + timedelta(seconds=61)
    challenge, _ = resend_code(challenge, key=KEY, now=first_resend, secrets=secrets)
    assert challenge.last_sent_at == first_resend
    assert challenge.sends == (NOW, first_resend)
    early = can_resend(challenge, now=first_resend + timedelta(seconds=29))
    assert early.codes == ("otp.resend_too_soon",)
    assert early.violations[0].params == {"wait_seconds": 31}
    assert can_resend(challenge, now=first_resend + timedelta(seconds=60))
