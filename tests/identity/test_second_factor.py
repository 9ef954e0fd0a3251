"""The TOTP second factor: RFC 6238 vectors, enrolment, the two-step login, the replay
guard, drift, recovery codes, step-up and the NIST minimum with a second factor."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import SelfcareError
from selfcare.bootstrap import App, Policies, bootstrap, memory_storage, sqlite_storage
from selfcare.core.ids import AccountId
from selfcare.core.kinds import Kind
from selfcare.core.outcome import Done, Refused
from selfcare.identity.account import Account
from selfcare.identity.events import (
    EmailChangeRequested,
    LoginSucceeded,
    RecoveryCodeUsed,
    SecondFactorEnrolled,
    SecondFactorEnrolmentStarted,
    SecondFactorFailed,
    SecondFactorLocked,
    SecondFactorRemoved,
    SecondStepRequired,
    SteppedUp,
)
from selfcare.identity.hashing import ScryptHasher
from selfcare.identity.ids import LoginSource
from selfcare.identity.national_id_at_rest import NationalIdKey, NationalIdKeyRing, SealedAt
from selfcare.identity.password_presets import nist_800_63b_4
from selfcare.identity.registration import RegistrationPolicy
from selfcare.identity.second_factor import (
    SecondFactor,
    TotpPolicy,
    code_at,
    new_secret,
    start_enrolment,
    verify_totp,
)
from selfcare.serialization import unstructure
from selfcare.testing.contracts.identity import example_account
from selfcare.testing.fakes import CountingSecrets, SequentialIds, SteppableClock

T0 = datetime(2026, 3, 2, 8, 0, 5, tzinfo=UTC)
PASSWORD = "Kuusi7Sorsaa"
EMAIL = "user1@example.fi"
SOURCE = LoginSource("198.51.100.7")
HASHER = ScryptHasher(n=2**4)
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # b"12345678901234567890"


# -- RFC 6238 through pyotp -----------------------------------------------------------


@pytest.mark.parametrize(
    ("unix_time", "expected"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_rfc_6238_sha1_vectors(unix_time: int, expected: str) -> None:
    moment = datetime.fromtimestamp(unix_time, UTC)
    assert code_at(RFC_SECRET, moment, TotpPolicy(digits=8)) == expected
    # The six-digit code is the same value truncated (RFC 4226 section 5.3).
    assert code_at(RFC_SECRET, moment, TotpPolicy()) == expected[2:]


def test_the_rfc_vector_verifies_with_our_parameters_and_only_once() -> None:
    factor = SecondFactor(
        account_id=AccountId("a"), secret=RFC_SECRET, started_at=datetime(1970, 1, 1, tzinfo=UTC)
    )
    policy, at = TotpPolicy(digits=8), datetime.fromtimestamp(59, UTC)
    changed, outcome = verify_totp(factor, "94287082", now=at, policy=policy)
    assert outcome.ok
    assert changed is not None
    assert changed.last_used_step == 1
    _, again = verify_totp(changed, "9428 7082", now=at, policy=policy)
    assert again.codes == ("second_factor.code_already_used",)


@given(drift=st.integers(-3, 3), seconds=st.integers(0, 29))
def test_drift_of_one_step_either_way_and_no_more(drift: int, seconds: int) -> None:
    policy = TotpPolicy()
    factor = SecondFactor(account_id=AccountId("a"), secret=new_secret("x"), started_at=T0)
    now = datetime(2026, 3, 2, 8, 0, 0, tzinfo=UTC) + timedelta(seconds=seconds)
    code = code_at(factor.secret, now + timedelta(seconds=30 * drift), policy)
    _, outcome = verify_totp(factor, code, now=now, policy=policy)
    assert outcome.ok is (abs(drift) <= 1)


@pytest.mark.parametrize(
    "junk", ["", "12345", "1234567", "abcdef", "１２３４５６", "1" * 10_000, "12345\x00"]
)
def test_malformed_codes_are_wrong_codes(junk: str) -> None:
    factor = SecondFactor(account_id=AccountId("a"), secret=new_secret("x"), started_at=T0)
    changed, outcome = verify_totp(factor, junk, now=T0, policy=TotpPolicy())
    assert outcome.codes == ("second_factor.code_invalid",)
    assert changed is not None
    assert changed.failures == 1


def test_policy_settings_are_checked() -> None:
    for bad in ({"digits": 5}, {"drift_steps": 3}, {"issuer": "a:b"}, {"lockout": timedelta(0)}):
        with pytest.raises(SelfcareError) as raised:
            TotpPolicy(**bad)  # type: ignore[arg-type]
        assert raised.value.codes == ("second_factor.invalid_policy",)


def test_an_enrolment_in_force_is_not_replaced() -> None:
    started = start_enrolment(AccountId("a"), new_secret("x"), None, now=T0).unwrap()
    confirmed = attrs.evolve(started, confirmed_at=T0)
    assert start_enrolment(AccountId("a"), "S", confirmed, now=T0).codes == (
        "second_factor.already_enrolled",
    )


def test_the_secret_is_never_in_repr_events_or_the_default_json() -> None:
    factor = SecondFactor(account_id=AccountId("a"), secret=new_secret("x"), started_at=T0)
    assert factor.secret not in repr(factor)
    assert "secret" not in unstructure(factor)
    assert "recovery_code_digests" not in unstructure(factor)


# -- the service ------------------------------------------------------------------------


@attrs.define
class World:
    app: App
    clock: SteppableClock
    account: Account

    def code(self, offset: int = 0) -> str:
        factor = self.factor()
        moment = self.clock.now() + timedelta(seconds=30 * offset)
        return code_at(factor.secret, moment, self.app.policies.second_factor)

    def factor(self) -> SecondFactor:
        with self.app.storage.identity as uow:
            found = uow.second_factors.find(AccountId(self.account.id))
        assert found is not None
        return found

    def enrol(self) -> tuple[str, ...]:
        identity, account_id = self.app.identity, AccountId(self.account.id)
        identity.enrol_second_factor(account_id).unwrap()
        codes = identity.confirm_second_factor(account_id, self.code()).unwrap().codes
        self.clock.advance(timedelta(seconds=30))
        return codes

    def pending_login(self) -> str:
        refused = self.app.identity.login(EMAIL, PASSWORD, source=SOURCE)
        assert isinstance(refused, Refused)
        assert refused.codes == ("login.second_factor_required",)
        return str(refused.decision.violations[0].params["pending_login"])


def make_world(policies: Policies | None = None, **kwargs: object) -> World:
    clock = SteppableClock(T0)
    app = bootstrap(
        kwargs.pop("storage", None) or memory_storage(),  # type: ignore[arg-type]
        clock=clock,
        ids=SequentialIds("id"),
        secrets=CountingSecrets(),
        policies=policies or Policies(),
        hasher=HASHER,
    )
    account = attrs.evolve(example_account(1), password_hash=HASHER.hash(PASSWORD))
    with app.storage.identity as uow:
        uow.accounts.add(account)
        uow.commit()
    return World(app, clock, account)


def test_enrolment_gives_an_otpauth_uri_with_issuer_and_label() -> None:
    policies = Policies(second_factor=TotpPolicy(issuer="Kotisähkö"))
    world = make_world(policies)
    outcome = world.app.identity.enrol_second_factor(AccountId(world.account.id))
    assert isinstance(outcome, Done)
    assert [type(e) for e in outcome.events] == [SecondFactorEnrolmentStarted]
    uri = urlsplit(outcome.value.provisioning_uri)
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert unquote(uri.path) == f"/Kotisähkö:{EMAIL}"
    query = parse_qs(uri.query)
    assert query["issuer"] == ["Kotisähkö"]
    assert query["secret"] == [outcome.value.secret]
    assert outcome.value.secret not in repr(outcome.value)
    labelled = world.app.identity.enrol_second_factor(AccountId(world.account.id), label="Koti")
    assert "Koti" in labelled.unwrap().provisioning_uri
    assert world.app.identity.enrol_second_factor(
        AccountId(world.account.id), label="a:b"
    ).codes == ("second_factor.label_invalid",)


def test_the_factor_counts_only_after_a_first_code() -> None:
    world = make_world()
    identity, account_id = world.app.identity, AccountId(world.account.id)
    identity.enrol_second_factor(account_id).unwrap()
    assert identity.login(EMAIL, PASSWORD, source=SOURCE).ok  # not in force yet
    assert identity.second_factor_of(account_id).unwrap().enrolled is False
    wrong = identity.confirm_second_factor(account_id, "000000")
    assert wrong.codes == ("second_factor.code_invalid",)
    assert [type(e) for e in wrong.events] == [SecondFactorFailed]
    confirmed = identity.confirm_second_factor(account_id, world.code())
    assert isinstance(confirmed, Done)
    assert len(confirmed.value.codes) == 10
    assert len(set(confirmed.value.codes)) == 10
    assert [type(e) for e in confirmed.events] == [SecondFactorEnrolled]
    status = identity.second_factor_of(account_id).unwrap()
    assert (status.enrolled, status.recovery_codes_left) == (True, 10)
    assert identity.enrol_second_factor(account_id).codes == ("second_factor.already_enrolled",)
    # Only digests are kept.
    stored = world.factor()
    assert not set(confirmed.value.codes) & set(stored.recovery_code_digests)


def test_an_unconfirmed_enrolment_expires() -> None:
    world = make_world()
    identity, account_id = world.app.identity, AccountId(world.account.id)
    identity.enrol_second_factor(account_id).unwrap()
    world.clock.advance(timedelta(minutes=16))
    expired = identity.confirm_second_factor(account_id, world.code())
    assert expired.codes == ("second_factor.enrolment_expired",)
    assert expired.decision.kind is Kind.GONE


def test_login_needs_the_second_step_and_the_pending_login_works_once() -> None:
    world = make_world()
    world.enrol()
    identity = world.app.identity
    refused = identity.login(EMAIL, PASSWORD, source=SOURCE)
    assert refused.codes == ("login.second_factor_required",)
    assert refused.decision.kind is Kind.UNAUTHENTICATED
    assert [type(e) for e in refused.events] == [SecondStepRequired]
    pending = world.pending_login()
    assert identity.complete_login("not-the-id", world.code()).codes == (
        "login.pending_login_invalid",
    )
    done = identity.complete_login(pending, world.code())
    assert isinstance(done, Done)
    assert done.value.id == world.account.id
    assert [type(e) for e in done.events] == [LoginSucceeded]
    world.clock.advance(timedelta(seconds=30))
    assert identity.complete_login(pending, world.code()).codes == ("login.pending_login_invalid",)


def test_a_wrong_password_never_reaches_the_second_step() -> None:
    world = make_world()
    world.enrol()
    refused = world.app.identity.login(EMAIL, "Wrong7Sorsaa", source=SOURCE)
    assert refused.codes == ("login.invalid_credentials",)


def test_the_pending_login_expires() -> None:
    world = make_world()
    world.enrol()
    pending = world.pending_login()
    world.clock.advance(timedelta(minutes=5))
    assert world.app.identity.complete_login(pending, world.code()).codes == (
        "login.pending_login_invalid",
    )


def test_a_code_works_once_even_within_its_window() -> None:
    world = make_world()
    world.enrol()
    identity = world.app.identity
    code = world.code()
    assert identity.complete_login(world.pending_login(), code).ok
    replay = identity.complete_login(world.pending_login(), code)
    assert replay.codes == ("second_factor.code_already_used",)
    # An earlier step's code is refused too, once a later one was used.
    identity.complete_login(world.pending_login(), world.code(1)).unwrap()
    assert identity.complete_login(world.pending_login(), world.code()).codes == (
        "second_factor.code_already_used",
    )


def test_five_wrong_codes_lock_the_factor_and_void_the_pending_login() -> None:
    world = make_world()
    world.enrol()
    identity = world.app.identity
    pending = world.pending_login()
    for _ in range(4):
        assert identity.complete_login(pending, "000000").codes == ("second_factor.code_invalid",)
    fifth = identity.complete_login(pending, "000000")
    assert [type(e) for e in fifth.events] == [SecondFactorFailed, SecondFactorLocked]
    assert identity.complete_login(pending, world.code()).codes == ("login.pending_login_invalid",)
    locked = identity.complete_login(world.pending_login(), world.code())
    assert locked.codes == ("second_factor.locked",)
    assert locked.decision.kind is Kind.RATE_LIMITED
    world.clock.advance(timedelta(minutes=15))
    assert identity.complete_login(world.pending_login(), world.code()).ok


def test_a_recovery_code_stands_in_once() -> None:
    world = make_world()
    codes = world.enrol()
    identity = world.app.identity
    done = identity.complete_login(world.pending_login(), codes[0].lower().replace("-", " "))
    assert isinstance(done, Done)
    assert [type(e) for e in done.events] == [RecoveryCodeUsed, LoginSucceeded]
    assert identity.complete_login(world.pending_login(), codes[0]).codes == (
        "second_factor.code_invalid",
    )
    left = identity.second_factor_of(AccountId(world.account.id)).unwrap()
    assert left.recovery_codes_left == 9


def test_a_closed_account_cannot_finish_a_pending_login() -> None:
    world = make_world()
    world.enrol()
    pending = world.pending_login()
    with world.app.storage.identity as uow:
        account = uow.accounts.find(world.account.id)
        assert account is not None
        from selfcare.core.ports import next_version  # noqa: PLC0415
        from selfcare.identity.account import AccountState  # noqa: PLC0415

        uow.accounts.update(next_version(account, state=AccountState.CLOSED))
        uow.commit()
    assert world.app.identity.complete_login(pending, world.code()).codes == (
        "login.pending_login_invalid",
    )


# -- step-up ----------------------------------------------------------------------------


def test_email_and_password_changes_need_a_recent_step_up() -> None:
    world = make_world()
    world.enrol()
    identity, account_id = world.app.identity, AccountId(world.account.id)
    world.clock.advance(timedelta(minutes=10))
    assert identity.change_email(account_id, "new@example.fi").codes == (
        "second_factor.step_up_required",
    )
    assert identity.change_password(
        account_id, current=PASSWORD, new="Seitsemän8Kuikkaa", source=SOURCE
    ).codes == ("second_factor.step_up_required",)
    assert identity.require_step_up(account_id).codes == ("second_factor.step_up_required",)
    stepped = identity.step_up(account_id, world.code())
    assert isinstance(stepped, Done)
    assert stepped.value == world.clock.now() + timedelta(minutes=5)
    assert [type(e) for e in stepped.events] == [SteppedUp]
    assert identity.require_step_up(account_id).ok
    changed = identity.change_email(account_id, "new@example.fi")
    assert [type(e) for e in changed.events] == [EmailChangeRequested]
    assert identity.change_password(
        account_id, current=PASSWORD, new="Seitsemän8Kuikkaa", source=SOURCE
    ).ok
    world.clock.advance(timedelta(minutes=5))
    assert identity.require_step_up(account_id).codes == ("second_factor.step_up_required",)


def test_without_a_second_factor_nothing_changes() -> None:
    world = make_world()
    identity, account_id = world.app.identity, AccountId(world.account.id)
    assert identity.require_step_up(account_id).ok
    assert identity.step_up(account_id, "123456").codes == ("second_factor.not_enrolled",)
    assert identity.change_email(account_id, "new@example.fi").ok
    assert identity.login(EMAIL, PASSWORD, source=SOURCE).ok


def test_removing_the_factor_needs_a_code() -> None:
    world = make_world()
    world.enrol()
    identity, account_id = world.app.identity, AccountId(world.account.id)
    assert identity.remove_second_factor(account_id, "000000").codes == (
        "second_factor.code_invalid",
    )
    removed = identity.remove_second_factor(account_id, world.code())
    assert [type(e) for e in removed.events] == [SecondFactorRemoved]
    assert identity.login(EMAIL, PASSWORD, source=SOURCE).ok
    assert identity.remove_second_factor(account_id, "123456").codes == (
        "second_factor.not_enrolled",
    )


# -- the NIST minimum ---------------------------------------------------------------------


def test_nist_minimum_is_8_only_for_accounts_with_a_second_factor() -> None:
    policies = Policies.nist_800_63b_4()
    assert policies.registration.password.min_length == 15
    world = make_world(policies)
    identity, account_id = world.app.identity, AccountId(world.account.id)
    short = "kahdeksan-ok"  # 12 characters
    refused = identity.change_password(account_id, current=PASSWORD, new=short, source=SOURCE)
    assert "password.too_short" in refused.codes
    world.enrol()
    identity.step_up(account_id, world.code()).unwrap()
    assert identity.change_password(account_id, current=PASSWORD, new=short, source=SOURCE).ok
    assert (
        "password.too_short"
        in identity.change_password(account_id, current=short, new="lyhyt-7", source=SOURCE).codes
    )


def test_the_preset_and_the_policy_field() -> None:
    assert nist_800_63b_4().min_length_with_second_factor == 8
    with pytest.raises(SelfcareError):
        RegistrationPolicy(password=attrs.evolve(nist_800_63b_4(), max_length=12))
    with pytest.raises(SelfcareError):
        attrs.evolve(nist_800_63b_4(), min_length_with_second_factor=-1)


# -- at rest -------------------------------------------------------------------------------


def test_the_secret_is_sealed_in_sqlite_and_erasure_removes_the_factor(tmp_path: object) -> None:
    key = NationalIdKey(bytes(range(32)))
    path = f"{tmp_path}/db.sqlite3"
    world = make_world(storage=sqlite_storage(path, national_id_key=key))
    world.enrol()
    secret = world.factor().secret
    with sqlite3.connect(path) as connection:
        dump = "\n".join(connection.iterdump())
    assert secret not in dump
    assert "sec1:1:" in dump
    assert world.app.identity.complete_login(world.pending_login(), world.code()).ok
    world.app.privacy.erase_account(AccountId(world.account.id)).unwrap()
    with world.app.storage.identity as uow:
        assert uow.second_factors.find(AccountId(world.account.id)) is None
    world.app.close()


def test_a_sealed_secret_is_bound_to_its_row() -> None:
    ring = NationalIdKeyRing.of(NationalIdKey(bytes(range(32))))
    here = SealedAt("identity_second_factors", "acc-1", "secret")
    sealed = ring.seal_secret("ABC", here)
    assert ring.unseal_secret(sealed, here) == "ABC"
    for tampered in (
        sealed[:-1] + ("A" if sealed[-1] != "A" else "B"),
        sealed + "=",
        "sec1:9:" + sealed.split(":")[2],
        "nope",
    ):
        with pytest.raises(SelfcareError):
            ring.unseal_secret(tampered, here)
    with pytest.raises(SelfcareError):
        ring.unseal_secret(sealed, attrs.evolve(here, row="acc-2"))
    with pytest.raises(TypeError):
        ring.seal_secret("", here)
