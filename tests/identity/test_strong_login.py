"""Login without a password: a fresh strong identification (checked as registration
checks it) or a work account (a trusted tenant, linked beforehand) - neither telling a
known identity from an unknown one, both throttled per source, neither logging in to
an account by an e-mail address alone."""

from __future__ import annotations

import os
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import SelfcareError
from selfcare.bootstrap import App, Policies, bootstrap, memory_storage, sqlite_storage
from selfcare.core.ids import AccountId
from selfcare.core.kinds import Kind
from selfcare.core.outcome import Done, Refused
from selfcare.identity.account import Account, AccountState
from selfcare.identity.assertion import LevelOfAssurance
from selfcare.identity.events import (
    LoginFailedForUnknownAddress,
    LoginMethod,
    LoginSucceeded,
    TermsOfUseAccepted,
    WorkAccountLinked,
    WorkAccountUnlinked,
)
from selfcare.identity.hashing import ScryptHasher
from selfcare.identity.ids import LoginSource
from selfcare.identity.login import LoginPolicy
from selfcare.identity.registration import RegistrationPolicy
from selfcare.identity.registration_identification import check_identification
from selfcare.identity.second_factor import code_at
from selfcare.identity.terms import TermsOfUse
from selfcare.identity.work_account import (
    SsoAssertion,
    WorkAccountLink,
    WorkAccountPolicy,
    link_matches,
)
from selfcare.testing.contracts.identity import example_account, example_hetu
from selfcare.testing.fakes import (
    CountingSecrets,
    SequentialIds,
    SteppableClock,
    bank_identification,
    work_account_sign_in,
)
from selfcare.testing.strategies import ENTITIES

T0 = datetime(2026, 3, 2, 8, 0, 5, tzinfo=UTC)
PASSWORD = "Kuusi7Sorsaa"
EMAIL = "user1@example.fi"
WORK = "anna.virtanen@company.example"
SOURCE = LoginSource("198.51.100.7")
HASHER = ScryptHasher(n=2**4)
TRUSTED = WorkAccountPolicy(trusted_tenants={"tenant-a", "tenant-b"}, audiences={"portal"})
ACCOUNT = attrs.evolve(example_account(1), password_hash=HASHER.hash(PASSWORD))
ACCOUNT_ID = AccountId(ACCOUNT.id)


def make_app(policies: Policies | None = None, **kwargs: Any) -> App:
    app = bootstrap(
        kwargs.pop("storage", None) or memory_storage(),
        clock=SteppableClock(T0),
        ids=SequentialIds("id"),
        secrets=CountingSecrets(),
        policies=policies or Policies(work_account=TRUSTED),
        hasher=HASHER,
    )
    with app.storage.identity as uow:
        uow.accounts.add(ACCOUNT)
        uow.commit()
    return app


def clock_of(app: App) -> SteppableClock:
    assert isinstance(app.clock, SteppableClock)
    return app.clock


def stored(app: App, account_id: str = ACCOUNT.id) -> Account:
    with app.storage.identity as uow:
        found = uow.accounts.find(account_id)
    assert found is not None
    return found


def set_state(app: App, state: AccountState) -> None:
    account = stored(app)
    with app.storage.identity as uow:
        uow.accounts.update(attrs.evolve(account, state=state, version=account.version + 1))
        uow.commit()


def sign_in(app: App, **changes: Any) -> SsoAssertion:
    fresh = work_account_sign_in(WORK, at=app.clock.now())
    return attrs.evolve(fresh, **changes)


def linked_app(**kwargs: Any) -> App:
    app = make_app(**kwargs)
    app.identity.link_work_account(ACCOUNT_ID, sign_in(app)).unwrap()
    clock_of(app).advance(timedelta(seconds=5))
    return app


# -- strong identification --------------------------------------------------------------


def test_a_fresh_bank_identification_logs_in_without_a_password() -> None:
    app = make_app()
    done = app.identity.login_with_identification(
        bank_identification(ACCOUNT.national_id, at=T0), source=SOURCE
    )
    assert isinstance(done, Done)
    assert done.value.id == ACCOUNT.id
    assert done.events == (
        LoginSucceeded(
            account_id=ACCOUNT.id, method=LoginMethod.STRONG_IDENTIFICATION, occurred_at=T0
        ),
    )
    assert stored(app).last_login_at == T0


def test_no_second_factor_is_asked_after_a_strong_identification() -> None:
    app = make_app()
    identity = app.identity
    identity.enrol_second_factor(ACCOUNT_ID).unwrap()
    with app.storage.identity as uow:
        factor = uow.second_factors.find(ACCOUNT_ID)
    assert factor is not None
    identity.confirm_second_factor(
        ACCOUNT_ID, code_at(factor.secret, T0, app.policies.second_factor)
    ).unwrap()
    assert identity.login(EMAIL, PASSWORD, source=SOURCE).codes == ("login.second_factor_required",)
    assertion = bank_identification(ACCOUNT.national_id, at=T0)
    assert identity.login_with_identification(assertion, source=SOURCE).ok


@pytest.mark.parametrize(
    "changes",
    [
        {"issued_at": T0 - timedelta(minutes=6)},
        {"issued_at": T0 + timedelta(minutes=2)},
        {"level": LevelOfAssurance.LOW},
        {"provider": "Unlisted Bank"},
    ],
)
def test_the_identification_is_checked_exactly_as_registration_checks_it(
    changes: dict[str, Any],
) -> None:
    policy = RegistrationPolicy(accepted_providers=frozenset({"Example Bank"}))
    app = make_app(Policies(registration=policy, work_account=TRUSTED))
    assertion = attrs.evolve(bank_identification(ACCOUNT.national_id, at=T0), **changes)
    expected = check_identification(assertion, policy=policy, now=T0).codes
    refused = app.identity.login_with_identification(assertion, source=SOURCE)
    assert expected
    assert refused.codes == expected
    assert stored(app) == ACCOUNT


def test_a_replayed_identification_is_refused_once_it_is_stale() -> None:
    app = make_app()
    assertion = bank_identification(ACCOUNT.national_id, at=T0)
    assert app.identity.login_with_identification(assertion, source=SOURCE).ok
    clock_of(app).advance(timedelta(minutes=5, seconds=1))
    refused = app.identity.login_with_identification(assertion, source=SOURCE)
    assert refused.codes == ("assertion.expired",)


@pytest.mark.parametrize("state", ["unknown", AccountState.CLOSED, AccountState.LOCKED])
def test_unknown_closed_and_locked_identities_get_the_same_answer(state: Any) -> None:
    app = make_app()
    person = ACCOUNT.national_id
    if state == "unknown":
        person = example_hetu(777)
    else:
        set_state(app, state)
    refused = app.identity.login_with_identification(
        bank_identification(person, at=T0), source=SOURCE
    )
    assert isinstance(refused, Refused)
    assert refused.codes == ("login.identification_not_recognised",)
    assert refused.kind is Kind.UNAUTHENTICATED
    assert refused.events == (LoginFailedForUnknownAddress(source_failures=1, occurred_at=T0),)


def test_a_source_probing_identities_is_throttled_like_password_login() -> None:
    policy = LoginPolicy(source_max_failures=3)
    app = make_app(Policies(login=policy, work_account=TRUSTED))
    for n in range(3):
        assertion = bank_identification(example_hetu(700 + n), at=clock_of(app).now())
        assert app.identity.login_with_identification(assertion, source=SOURCE).codes == (
            "login.identification_not_recognised",
        )
    known = bank_identification(ACCOUNT.national_id, at=clock_of(app).now())
    limited = app.identity.login_with_identification(known, source=SOURCE)
    assert limited.codes == ("login.rate_limited",)
    other = LoginSource("203.0.113.9")
    assert app.identity.login_with_identification(known, source=other).ok


def test_known_but_unusable_and_unknown_identities_take_the_same_time() -> None:
    app = make_app()
    set_state(app, AccountState.CLOSED)
    identity = app.identity
    closed = bank_identification(ACCOUNT.national_id, at=T0)
    unknown = bank_identification(example_hetu(888), at=T0)
    known_times: list[float] = []
    unknown_times: list[float] = []
    for n in range(41):
        source = LoginSource(f"10.1.{n // 250}.{n % 250}")
        for assertion, times in ((closed, known_times), (unknown, unknown_times)):
            started = time.perf_counter()
            refused = identity.login_with_identification(assertion, source=source)
            times.append(time.perf_counter() - started)
            assert refused.codes == ("login.identification_not_recognised",)
    ratio = statistics.median(known_times) / statistics.median(unknown_times)
    assert 0.67 <= ratio <= 1.5, ratio


def test_new_terms_hold_back_a_strong_login_too() -> None:
    terms = TermsOfUse(version="2026-03", published_at=T0 - timedelta(days=1))
    app = make_app(Policies(work_account=TRUSTED).with_terms_of_use(terms))
    refused = app.identity.login_with_identification(
        bank_identification(ACCOUNT.national_id, at=T0), source=SOURCE
    )
    assert isinstance(refused, Refused)
    assert refused.codes == ("login.terms_not_accepted",)
    pending = str(refused.decision.violations[0].params["pending_login"])
    done = app.identity.complete_login_with_terms(pending, "2026-03")
    assert [type(e) for e in done.events] == [TermsOfUseAccepted, LoginSucceeded]
    assert isinstance(done.events[1], LoginSucceeded)
    assert done.events[1].method is LoginMethod.STRONG_IDENTIFICATION


# -- work accounts ----------------------------------------------------------------------


def test_no_tenant_is_trusted_by_default() -> None:
    app = make_app(Policies())
    refused = app.identity.login_with_work_account(sign_in(app), source=SOURCE)
    assert refused.codes == ("sso.tenant_not_trusted", "sso.audience_mismatch")
    assert app.identity.link_work_account(ACCOUNT_ID, sign_in(app)).codes == (
        "sso.tenant_not_trusted",
        "sso.audience_mismatch",
    )


def test_a_linked_work_account_logs_in() -> None:
    app = make_app()
    linked = app.identity.link_work_account(ACCOUNT_ID, sign_in(app))
    assert isinstance(linked, Done)
    assert linked.events == (
        WorkAccountLinked(account_id=ACCOUNT.id, tenant_id="tenant-a", occurred_at=T0),
    )
    link = stored(app).work_account
    assert link is not None
    assert (link.tenant_id, link.subject, link.email.value) == ("tenant-a", "employee-1", WORK)
    clock_of(app).advance(timedelta(seconds=5))
    done = app.identity.login_with_work_account(sign_in(app), source=SOURCE)
    assert isinstance(done, Done)
    now = clock_of(app).now()
    assert done.events == (
        LoginSucceeded(account_id=ACCOUNT.id, method=LoginMethod.WORK_ACCOUNT, occurred_at=now),
    )
    saved = stored(app).work_account
    assert saved is not None
    assert saved.last_issued_at == now


def test_an_unlinked_address_never_logs_in_even_when_it_is_the_username() -> None:
    """Account takeover: a trusted tenant asserts the username of an account that never
    linked a work account - or the linked address for another subject, or from another
    trusted tenant."""
    app = make_app()
    takeover = work_account_sign_in(EMAIL, at=T0)
    refused = app.identity.login_with_work_account(takeover, source=SOURCE)
    assert refused.codes == ("login.work_account_not_recognised",)
    app.identity.link_work_account(ACCOUNT_ID, sign_in(app)).unwrap()
    clock_of(app).advance(timedelta(seconds=5))
    for changes in ({"subject": "someone-else"}, {"tenant_id": "tenant-b"}):
        other = app.identity.login_with_work_account(sign_in(app, **changes), source=SOURCE)
        assert other.codes == ("login.work_account_not_recognised",)
    assert stored(app).last_login_at is None


def test_a_replayed_work_account_assertion_logs_in_to_nothing() -> None:
    app = linked_app()
    assertion = sign_in(app)
    assert app.identity.login_with_work_account(assertion, source=SOURCE).ok
    replayed = app.identity.login_with_work_account(assertion, source=SOURCE)
    assert replayed.codes == ("login.work_account_not_recognised",)
    # The assertion used to link is no login either.
    app2 = make_app()
    first = sign_in(app2)
    app2.identity.link_work_account(ACCOUNT_ID, first).unwrap()
    assert app2.identity.login_with_work_account(first, source=SOURCE).codes == (
        "login.work_account_not_recognised",
    )


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"audience": "another-app"}, "sso.audience_mismatch"),
        ({"issued_at": T0 - timedelta(minutes=6)}, "assertion.expired"),
        ({"issued_at": T0 + timedelta(minutes=2)}, "assertion.issued_in_future"),
        ({"tenant_id": "tenant-z"}, "sso.tenant_not_trusted"),
    ],
)
def test_untrusted_stale_or_misaddressed_assertions_are_refused(
    changes: dict[str, Any], code: str
) -> None:
    app = linked_app()
    clock_of(app).advance(timedelta(seconds=-5))
    refused = app.identity.login_with_work_account(sign_in(app, **changes), source=SOURCE)
    assert refused.codes == (code,)


@pytest.mark.parametrize("state", [AccountState.CLOSED, AccountState.LOCKED])
def test_a_closed_or_locked_account_is_not_logged_in_by_its_link(state: AccountState) -> None:
    app = linked_app()
    set_state(app, state)
    refused = app.identity.login_with_work_account(sign_in(app), source=SOURCE)
    assert refused.codes == ("login.work_account_not_recognised",)
    assert isinstance(refused, Refused)
    assert [type(e) for e in refused.events] == [LoginFailedForUnknownAddress]


def test_a_work_account_links_one_account_and_can_be_unlinked() -> None:
    app = make_app()
    second = example_account(2)
    with app.storage.identity as uow:
        uow.accounts.add(second)
        uow.commit()
    app.identity.link_work_account(ACCOUNT_ID, sign_in(app)).unwrap()
    taken = app.identity.link_work_account(AccountId(second.id), sign_in(app))
    assert taken.codes == ("work_account.linked_to_another_account",)
    unlinked = app.identity.unlink_work_account(ACCOUNT_ID)
    assert [type(e) for e in unlinked.events] == [WorkAccountUnlinked]
    assert app.identity.unlink_work_account(ACCOUNT_ID).events == ()
    clock_of(app).advance(timedelta(seconds=5))
    assert app.identity.login_with_work_account(sign_in(app), source=SOURCE).codes == (
        "login.work_account_not_recognised",
    )
    assert app.identity.link_work_account(AccountId(second.id), sign_in(app)).ok
    assert app.identity.link_work_account(AccountId("nobody"), sign_in(app)).codes == (
        "account.not_found",
    )


def test_linking_needs_a_step_up_when_a_second_factor_is_in_force() -> None:
    app = make_app()
    identity = app.identity
    identity.enrol_second_factor(ACCOUNT_ID).unwrap()
    with app.storage.identity as uow:
        factor = uow.second_factors.find(ACCOUNT_ID)
    assert factor is not None
    policy = app.policies.second_factor
    identity.confirm_second_factor(ACCOUNT_ID, code_at(factor.secret, T0, policy)).unwrap()
    clock_of(app).advance(timedelta(minutes=10))
    assert identity.link_work_account(ACCOUNT_ID, sign_in(app)).codes == (
        "second_factor.step_up_required",
    )
    identity.step_up(ACCOUNT_ID, code_at(factor.secret, clock_of(app).now(), policy)).unwrap()
    assert identity.link_work_account(ACCOUNT_ID, sign_in(app)).ok


def test_known_and_unknown_work_addresses_take_the_same_time() -> None:
    app = linked_app()
    set_state(app, AccountState.CLOSED)
    known_times: list[float] = []
    unknown_times: list[float] = []
    for n in range(41):
        source = LoginSource(f"10.2.{n // 250}.{n % 250}")
        now = clock_of(app).now()
        cases = (
            (work_account_sign_in(WORK, at=now), known_times),
            (work_account_sign_in("nobody@company.example", at=now), unknown_times),
        )
        for assertion, times in cases:
            started = time.perf_counter()
            refused = app.identity.login_with_work_account(assertion, source=source)
            times.append(time.perf_counter() - started)
            assert refused.codes == ("login.work_account_not_recognised",)
        clock_of(app).advance(timedelta(seconds=1))
    ratio = statistics.median(known_times) / statistics.median(unknown_times)
    assert 0.67 <= ratio <= 1.5, ratio


def test_work_accounts_work_over_sqlite(tmp_path: Path) -> None:
    storage = sqlite_storage(tmp_path / "w.db", national_id_key=os.urandom(32))
    app = linked_app(storage=storage)
    assert app.identity.login_with_work_account(sign_in(app), source=SOURCE).ok
    assert app.identity.login_with_work_account(sign_in(app), source=SOURCE).codes == (
        "login.work_account_not_recognised",
    )
    storage.close()


# -- hostile input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tenant_id", ""),
        ("tenant_id", "x" * 256),
        ("tenant_id", "tenant a"),
        ("subject", "employee\u20121"),
        ("subject", "emp\u202eloyee"),
        ("subject", "\u0435mployee-1"),  # a Cyrillic look-alike
        ("subject", "emp\x00"),
        ("audience", "por\ttal"),
    ],
)
def test_odd_identifiers_are_refused_on_construction(field: str, value: str) -> None:
    with pytest.raises(SelfcareError) as raised:
        attrs.evolve(work_account_sign_in(WORK, at=T0), **{field: value})
    assert raised.value.codes == ("sso.field_invalid",)


def test_naive_times_wrong_types_and_bad_addresses_are_refused() -> None:
    with pytest.raises(SelfcareError) as naive:
        work_account_sign_in(WORK, at=datetime(2026, 3, 2, 8))  # noqa: DTZ001
    assert naive.value.codes == ("time.naive_datetime",)
    with pytest.raises(TypeError):
        work_account_sign_in(WORK, at=T0, subject=123)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        SsoAssertion(
            tenant_id="t",
            subject="s",
            email=b"a@b.fi",  # type: ignore[arg-type]
            issued_at=T0,
            audience="p",
        )
    with pytest.raises(SelfcareError):
        work_account_sign_in("not an address", at=T0)
    with pytest.raises(TypeError):
        WorkAccountPolicy(trusted_tenants="tenant-a")  # type: ignore[arg-type]
    with pytest.raises(SelfcareError):
        WorkAccountPolicy(max_assertion_age=timedelta(days=1))


def test_the_subject_is_not_in_the_repr() -> None:
    assertion = work_account_sign_in(WORK, at=T0, subject="secret-subject-42")
    assert "secret-subject-42" not in repr(assertion)


@given(link=ENTITIES[WorkAccountLink], assertion=ENTITIES[SsoAssertion])
def test_an_assertion_matches_a_link_only_on_tenant_subject_and_address(
    link: WorkAccountLink, assertion: SsoAssertion
) -> None:
    matches = link_matches(link, assertion)
    same = (
        link.tenant_id == assertion.tenant_id
        and link.subject == assertion.subject
        and link.email == assertion.email
        and assertion.issued_at > link.last_issued_at
    )
    assert matches is same
    aligned = attrs.evolve(
        assertion,
        tenant_id=link.tenant_id,
        subject=link.subject,
        email=link.email,
        issued_at=link.last_issued_at + timedelta(seconds=1),
    )
    assert link_matches(link, aligned)
    assert not link_matches(link, attrs.evolve(aligned, issued_at=link.last_issued_at))
    assert not link_matches(None, aligned)


@given(st.text(max_size=300))
def test_junk_identifiers_give_only_our_error(text: str) -> None:
    printable_ascii = 0 < len(text) <= 255 and all("!" <= c <= "~" for c in text)
    if printable_ascii:
        assert work_account_sign_in(WORK, at=T0, subject=text).subject == text
        return
    with pytest.raises(SelfcareError) as raised:
        work_account_sign_in(WORK, at=T0, subject=text)
    assert raised.value.codes == ("sso.field_invalid",)


def test_a_strong_login_lifts_the_nist_disabled_password_login_like_the_unlock_link() -> None:
    policies = Policies.nist_800_63b_4()
    app = make_app(attrs.evolve(policies, work_account=TRUSTED))
    disabled = policies.login.disable_password_after
    assert disabled is not None
    with app.storage.identity as uow:
        uow.accounts.update(attrs.evolve(ACCOUNT, failed_logins=disabled, version=2))
        uow.commit()
    # Disabled (and, without the operator's opt-in, not said so): the right password fails.
    assert not app.identity.login(EMAIL, PASSWORD, source=SOURCE).ok
    assertion = bank_identification(ACCOUNT.national_id, at=T0)
    assert app.identity.login_with_identification(assertion, source=SOURCE).ok
    assert stored(app).failed_logins == 0
    assert app.identity.login(EMAIL, PASSWORD, source=SOURCE).ok
