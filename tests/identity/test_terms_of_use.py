"""New terms of use: the account records the version it accepted; once the operator
publishes a new one, login is held back (``login.terms_not_accepted``, kind
``action_required``) until the user accepts it with the pending login, and every use
case acting for the account answers ``terms.not_accepted`` until then."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import HTTP_STATUS, SelfcareError
from selfcare.adapters.memory.identity import RecordingNotifier
from selfcare.bootstrap import App, Policies, bootstrap, memory_storage, sqlite_storage
from selfcare.core.decision import Decision, Violation
from selfcare.core.ids import AccountId
from selfcare.core.kinds import Kind
from selfcare.core.outcome import Done, Refused
from selfcare.identity.account import Account, AccountState
from selfcare.identity.events import LoginMethod, LoginSucceeded, TermsOfUseAccepted
from selfcare.identity.hashing import ScryptHasher
from selfcare.identity.ids import LoginSource
from selfcare.identity.profile import ProfileField
from selfcare.identity.second_factor import TotpPolicy, code_at
from selfcare.identity.terms import TermsOfUse, accept_terms_of_use, terms_refusal
from selfcare.testing.contracts.identity import example_account, example_hetu
from selfcare.testing.fakes import (
    CountingSecrets,
    SequentialIds,
    SteppableClock,
    bank_identification,
)
from selfcare.testing.strategies import ENTITIES

T0 = datetime(2026, 3, 2, 8, 0, 5, tzinfo=UTC)
PASSWORD = "Kuusi7Sorsaa"
EMAIL = "user1@example.fi"
SOURCE = LoginSource("198.51.100.7")
HASHER = ScryptHasher(n=2**4)
TERMS = TermsOfUse(version="2026-03", published_at=T0 - timedelta(days=1))
ACCOUNT = attrs.evolve(
    example_account(1),
    password_hash=HASHER.hash(PASSWORD),
    terms_version="2025-01",
    terms_accepted_at=T0 - timedelta(days=400),
)
ACCOUNT_ID = AccountId(ACCOUNT.id)


def make_app(terms: TermsOfUse | None = TERMS, **kwargs: Any) -> App:
    policies = Policies() if terms is None else Policies().with_terms_of_use(terms)
    app = bootstrap(
        kwargs.pop("storage", None) or memory_storage(),
        clock=SteppableClock(T0),
        ids=SequentialIds("id"),
        secrets=CountingSecrets(),
        policies=policies,
        hasher=HASHER,
    )
    with app.storage.identity as uow:
        uow.accounts.add(ACCOUNT)
        uow.commit()
    return app


def clock_of(app: App) -> SteppableClock:
    assert isinstance(app.clock, SteppableClock)
    return app.clock


def stored(app: App) -> Account:
    with app.storage.identity as uow:
        found = uow.accounts.find(ACCOUNT.id)
    assert found is not None
    return found


def pending_of(refused: Any) -> str:
    assert isinstance(refused, Refused), refused
    assert refused.codes == ("login.terms_not_accepted",)
    return str(refused.decision.violations[0].params["pending_login"])


# -- the rules --------------------------------------------------------------------------


def test_terms_reject_naive_times_and_odd_versions() -> None:
    with pytest.raises(SelfcareError) as naive:
        TermsOfUse(version="1", published_at=datetime(2026, 3, 1))  # noqa: DTZ001
    assert naive.value.codes == ("time.naive_datetime",)
    for version in ("", " 2", "2\n", "x" * 65, "v\u202e1", "a\x00b"):
        with pytest.raises(SelfcareError) as bad:
            TermsOfUse(version=version, published_at=T0)
        assert bad.value.codes == ("config.invalid_setting",)
    with pytest.raises(SelfcareError):
        TermsOfUse(version=2, published_at=T0)  # type: ignore[arg-type]


def test_the_refusal_of_its_own_kind_is_403_and_comes_after_forbidden() -> None:
    waiting = Violation("terms.not_accepted", {"version": "2", "published_at": "2026-03-01"})
    assert Decision.deny(waiting).kind is Kind.ACTION_REQUIRED
    assert HTTP_STATUS[Kind.ACTION_REQUIRED] == 403
    assert Decision.deny(Violation("order.empty"), waiting).kind is Kind.ACTION_REQUIRED
    no_grant = Violation("authz.no_grant", {"permission": "order", "relationship": "r"})
    assert Decision.deny(waiting, no_grant).kind is Kind.FORBIDDEN
    assert Decision.deny(waiting, Violation("login.invalid_credentials")).kind is (
        Kind.UNAUTHENTICATED
    )


def test_terms_not_yet_in_force_ask_for_nothing() -> None:
    ahead = TermsOfUse(version="2026-03", published_at=T0 + timedelta(days=7))
    assert terms_refusal(ACCOUNT, ahead, T0) is None
    assert terms_refusal(ACCOUNT, ahead, T0 + timedelta(days=7)) is not None
    assert terms_refusal(ACCOUNT, None, T0) is None
    with pytest.raises(SelfcareError):
        terms_refusal(ACCOUNT, TERMS, datetime(2026, 3, 2))  # noqa: DTZ001


@given(account=ENTITIES[Account], terms=ENTITIES[TermsOfUse], other=st.text(max_size=70))
def test_only_the_published_version_can_be_accepted_and_then_nothing_is_asked(
    account: Account, terms: TermsOfUse, other: str
) -> None:
    now = terms.published_at + timedelta(seconds=1)
    accepted = accept_terms_of_use(account, terms.version, terms=terms, now=now)
    assert isinstance(accepted, Done)
    assert accepted.value.version == account.version + 1
    assert terms_refusal(accepted.value, terms, now) is None
    assert accepted.events == (
        TermsOfUseAccepted(account_id=account.id, version=terms.version, occurred_at=now),
    )
    if other != terms.version:
        refused = accept_terms_of_use(account, other, terms=terms, now=now)
        assert refused.codes == ("terms.version_not_current",)


# -- login ------------------------------------------------------------------------------


def test_login_waits_for_the_new_terms_and_completes_once_they_are_accepted() -> None:
    app = make_app()
    identity = app.identity
    refused = identity.login(EMAIL, PASSWORD, source=SOURCE)
    assert isinstance(refused, Refused)
    assert refused.kind is Kind.ACTION_REQUIRED
    params = refused.decision.violations[0].params
    assert (params["version"], params["published_at"]) == ("2026-03", "2026-03-01")
    assert not any(isinstance(e, LoginSucceeded) for e in refused.events)
    assert "2026-03" in refused.decision.violations[0].message("fi")
    pending = pending_of(refused)
    assert stored(app).terms_version == "2025-01"

    clock_of(app).advance(timedelta(minutes=1))
    done = identity.complete_login_with_terms(pending, "2026-03")
    assert isinstance(done, Done)
    now = clock_of(app).now()
    assert done.events == (
        TermsOfUseAccepted(account_id=ACCOUNT.id, version="2026-03", occurred_at=now),
        LoginSucceeded(account_id=ACCOUNT.id, method=LoginMethod.PASSWORD, occurred_at=now),
    )
    account = stored(app)
    assert (account.terms_version, account.terms_accepted_at) == ("2026-03", now)
    assert account.pending_login is None
    assert account.last_login_at == now
    # The pending login works once; the next login needs nothing more.
    assert identity.complete_login_with_terms(pending, "2026-03").codes == (
        "login.pending_login_invalid",
    )
    assert identity.login(EMAIL, PASSWORD, source=SOURCE).ok


def test_an_older_version_is_refused_and_the_pending_login_still_works() -> None:
    app = make_app()
    pending = pending_of(app.identity.login(EMAIL, PASSWORD, source=SOURCE))
    refused = app.identity.complete_login_with_terms(pending, "2025-01")
    assert refused.codes == ("terms.version_not_current",)
    assert isinstance(refused, Refused)
    assert refused.decision.violations[0].params == {"current": "2026-03"}
    assert app.identity.complete_login_with_terms(pending, "2026-03").ok


def test_the_pending_login_expires_and_a_wrong_password_is_not_held_back_but_refused() -> None:
    app = make_app()
    assert app.identity.login(EMAIL, "Wrong7Sorsaa", source=SOURCE).codes == (
        "login.invalid_credentials",
    )
    pending = pending_of(app.identity.login(EMAIL, PASSWORD, source=SOURCE))
    clock_of(app).advance(TotpPolicy().pending_login_valid_for)
    assert app.identity.complete_login_with_terms(pending, "2026-03").codes == (
        "login.pending_login_invalid",
    )
    assert stored(app).terms_version == "2025-01"


@pytest.mark.parametrize(
    "token", ["", "x" * 257, "never-issued", "\udcff", "\x00", 12, None, b"bytes"]
)
def test_junk_pending_logins_are_refused_alike(token: Any) -> None:
    app = make_app()
    pending_of(app.identity.login(EMAIL, PASSWORD, source=SOURCE))
    assert app.identity.complete_login_with_terms(token, "2026-03").codes == (
        "login.pending_login_invalid",
    )


def test_a_version_of_the_wrong_type_is_a_type_error() -> None:
    app = make_app()
    pending = pending_of(app.identity.login(EMAIL, PASSWORD, source=SOURCE))
    with pytest.raises(TypeError):
        app.identity.complete_login_with_terms(pending, 2026)  # type: ignore[arg-type]


def test_a_closed_account_cannot_finish_the_login() -> None:
    app = make_app()
    pending = pending_of(app.identity.login(EMAIL, PASSWORD, source=SOURCE))
    with app.storage.identity as uow:
        account = stored(app)
        uow.accounts.update(
            attrs.evolve(account, state=AccountState.CLOSED, version=account.version + 1)
        )
        uow.commit()
    assert app.identity.complete_login_with_terms(pending, "2026-03").codes == (
        "login.pending_login_invalid",
    )


def test_terms_published_ahead_are_asked_for_from_their_date() -> None:
    app = make_app(TermsOfUse(version="2026-03", published_at=T0 + timedelta(days=2)))
    assert app.identity.login(EMAIL, PASSWORD, source=SOURCE).ok
    clock_of(app).advance(timedelta(days=2))
    pending_of(app.identity.login(EMAIL, PASSWORD, source=SOURCE))


def test_without_published_terms_nothing_is_asked_and_nothing_can_be_accepted() -> None:
    app = make_app(None)
    never = attrs.evolve(ACCOUNT, terms_version=None, terms_accepted_at=None)
    with app.storage.identity as uow:
        uow.accounts.update(attrs.evolve(never, version=2))
        uow.commit()
    assert app.identity.login(EMAIL, PASSWORD, source=SOURCE).ok
    refused = app.identity.accept_terms_of_use(ACCOUNT_ID, "1")
    assert refused.codes == ("terms.version_not_current",)


def test_an_account_without_a_known_acceptance_must_accept() -> None:
    app = make_app()
    with app.storage.identity as uow:
        uow.accounts.update(
            attrs.evolve(ACCOUNT, terms_version=None, terms_accepted_at=None, version=2)
        )
        uow.commit()
    pending_of(app.identity.login(EMAIL, PASSWORD, source=SOURCE))


def test_the_published_version_must_be_the_one_registration_asks_for() -> None:
    with pytest.raises(SelfcareError) as raised:
        bootstrap(policies=Policies(terms_of_use=TERMS))
    assert raised.value.codes == ("config.invalid_setting",)
    assert Policies().with_terms_of_use(TERMS).registration.terms_version == "2026-03"


def test_with_a_second_factor_the_terms_come_after_the_code() -> None:
    app = make_app(None)
    identity = app.identity
    identity.enrol_second_factor(ACCOUNT_ID).unwrap()
    with app.storage.identity as uow:
        factor = uow.second_factors.find(ACCOUNT_ID)
    assert factor is not None
    policy = app.policies.second_factor
    identity.confirm_second_factor(ACCOUNT_ID, code_at(factor.secret, T0, policy)).unwrap()
    clock_of(app).advance(timedelta(seconds=30))
    # The operator publishes new terms (a new deployment with the new policies).
    app = bootstrap(
        app.storage,
        clock=app.clock,
        ids=SequentialIds("id2"),
        secrets=CountingSecrets(),
        policies=Policies().with_terms_of_use(TERMS),
        hasher=HASHER,
    )
    second = app.identity.login(EMAIL, PASSWORD, source=SOURCE)
    assert second.codes == ("login.second_factor_required",)
    assert isinstance(second, Refused)
    first_step = str(second.decision.violations[0].params["pending_login"])
    code = code_at(factor.secret, clock_of(app).now(), policy)
    pending = pending_of(app.identity.complete_login(first_step, code))
    assert pending != first_step
    done = app.identity.complete_login_with_terms(pending, "2026-03")
    assert [type(e) for e in done.events] == [TermsOfUseAccepted, LoginSucceeded]


# -- in a session -----------------------------------------------------------------------


def _acting_for_the_account(app: App) -> dict[str, Any]:
    identity = app.identity
    return {
        "change_email": lambda: identity.change_email(ACCOUNT_ID, "new@example.fi"),
        "confirm_email": lambda: identity.confirm_email(ACCOUNT_ID, "token"),
        "update_profile": lambda: identity.update_profile(
            ACCOUNT_ID, {ProfileField.LANGUAGE: "sv"}
        ),
        "change_password": lambda: identity.change_password(
            ACCOUNT_ID, current=PASSWORD, new="Seitsemän8Joutsenta", source=SOURCE
        ),
        "enrol_second_factor": lambda: identity.enrol_second_factor(ACCOUNT_ID),
        "confirm_second_factor": lambda: identity.confirm_second_factor(ACCOUNT_ID, "123456"),
        "remove_second_factor": lambda: identity.remove_second_factor(ACCOUNT_ID, "123456"),
        "step_up": lambda: identity.step_up(ACCOUNT_ID, "123456"),
        "unlink_work_account": lambda: identity.unlink_work_account(ACCOUNT_ID),
    }


@pytest.mark.parametrize("use_case", sorted(_acting_for_the_account(make_app(None))))
def test_every_use_case_for_the_account_waits_for_the_terms(use_case: str) -> None:
    app = make_app()
    before = stored(app)
    refused = _acting_for_the_account(app)[use_case]()
    assert refused.codes == ("terms.not_accepted",)
    assert refused.kind is Kind.ACTION_REQUIRED
    assert refused.decision.violations[0].params == {
        "version": "2026-03",
        "published_at": "2026-03-01",
    }
    assert stored(app) == before


def test_accepting_in_a_session_lets_the_account_go_on() -> None:
    app = make_app()
    assert app.identity.update_profile(ACCOUNT_ID, {ProfileField.LANGUAGE: "sv"}).codes == (
        "terms.not_accepted",
    )
    assert app.identity.accept_terms_of_use(ACCOUNT_ID, "2025-01").codes == (
        "terms.version_not_current",
    )
    accepted = app.identity.accept_terms_of_use(ACCOUNT_ID, "2026-03")
    assert [type(e) for e in accepted.events] == [TermsOfUseAccepted]
    assert app.identity.update_profile(ACCOUNT_ID, {ProfileField.LANGUAGE: "sv"}).ok
    assert app.identity.accept_terms_of_use(AccountId("nobody"), "2026-03").codes == (
        "account.not_found",
    )


def test_feedback_and_queries_are_not_held_back() -> None:
    app = make_app()
    assert app.identity.send_feedback(text="Miksi ehdot muuttuivat?", account_id=ACCOUNT_ID).ok
    assert app.identity.second_factor_of(ACCOUNT_ID).ok


def test_a_completed_registration_records_the_accepted_version(tmp_path: Path) -> None:
    storage = sqlite_storage(tmp_path / "t.db", national_id_key=os.urandom(32))
    app = make_app(storage=storage)
    identity = app.identity
    reg = identity.start_registration(language="fi").unwrap()
    assert identity.accept_terms(reg.id, terms_version="2025-01").codes == (
        "registration.terms_outdated",
    )
    identity.accept_terms(reg.id, terms_version="2026-03").unwrap()
    identity.identify(reg.id, bank_identification(example_hetu(500), at=T0)).unwrap()
    draft = attrs.evolve(
        identity.match_customers(reg.id).unwrap().prefill, email="new.user@example.fi"
    )
    identity.confirm_profile(reg.id, draft).unwrap()
    identity.set_credentials(reg.id, "Seitsemän8Joutsenta", repeated="Seitsemän8Joutsenta").unwrap()
    identity.confirm_registration(reg.id).unwrap()
    assert isinstance(app.notifier, RecordingNotifier)
    token = app.notifier.last("registration.verify_email").secret
    assert token is not None
    completed = identity.complete_registration(reg.id, token).unwrap()
    with app.storage.identity as uow:
        account = uow.accounts.find(completed.account.id)
    assert account is not None
    assert (account.terms_version, account.terms_accepted_at) == ("2026-03", T0)
    assert identity.login("new.user@example.fi", "Seitsemän8Joutsenta", source=SOURCE).ok
    storage.close()


def test_an_account_document_from_before_the_terms_still_loads() -> None:
    from selfcare.serialization import storage_converter  # noqa: PLC0415

    document = storage_converter.unstructure(example_account(1))
    for field in ("terms_version", "terms_accepted_at", "pending_login", "work_account"):
        del document[field]
    assert storage_converter.structure(document, Account) == example_account(1)


def test_a_user_who_does_not_accept_the_new_terms_can_still_close_the_account() -> None:
    """Refusing new terms must leave a way out: closing the account does not wait for
    them (its re-authentication and step-up check are not held back)."""
    from selfcare.privacy.closing import PasswordReauthentication  # noqa: PLC0415

    app = make_app()
    assert app.identity.require_step_up(ACCOUNT_ID).ok
    closed = app.privacy.close_own_account(
        ACCOUNT_ID, PasswordReauthentication(password=PASSWORD, source=SOURCE), confirm=True
    )
    assert closed.ok, closed
