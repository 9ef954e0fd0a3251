"""Closing one's own account: re-authentication, the summary, the last holder, the
erasure in one unit of work, the notice, and every call made after closing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from closing_world import (
    ANNA,
    PASSWORD,
    PEKKA,
    REL,
    SOURCE,
    World,
    failing_erasure_log,
    grant,
    identification,
    invite,
    invoice,
    make_world,
    ok,
    register,
)

from selfcare.authz.model import USER
from selfcare.bootstrap import Policies
from selfcare.core.errors import StorageUnavailable
from selfcare.core.ids import AccountId
from selfcare.core.kinds import Kind
from selfcare.core.outcome import Done
from selfcare.identity.events import LoginFailed, SessionsRevoked
from selfcare.identity.ids import LoginSource
from selfcare.identity.recovery import RecoveryPolicy
from selfcare.identity.second_factor import TotpPolicy, code_at
from selfcare.privacy import AccountClosed, AccountErased
from selfcare.privacy.accounting_retention import ClosingPolicy
from selfcare.privacy.closing import (
    IdentificationReauthentication,
    PasswordReauthentication,
)
from selfcare.privacy.closing_data import ErasedData, KeptRecord
from selfcare.privacy.events import ReauthenticationMethod

ANNA_EMAIL = "anna.virtanen@example.fi"


def by_password(password: str = PASSWORD) -> PasswordReauthentication:
    return PasswordReauthentication(password=password, source=LoginSource(SOURCE))


def by_bank(world: World, national_id: object = ANNA) -> IdentificationReauthentication:
    return IdentificationReauthentication(
        assertion=identification(national_id, world.clock.now())  # type: ignore[arg-type]
    )


def code(secret: str, world: World) -> str:
    return code_at(secret, world.clock.now(), TotpPolicy())


def enrol_second_factor(world: World, account: AccountId) -> str:
    """A second factor in force for ``account``, its last code half an hour old; the
    secret."""
    enrolment = ok(world.app.identity.enrol_second_factor(account))
    ok(world.app.identity.confirm_second_factor(account, code(enrolment.secret, world)))
    world.clock.advance(timedelta(minutes=30))
    return enrolment.secret


@pytest.fixture
def world() -> World:
    return make_world()


@pytest.fixture
def anna(world: World) -> AccountId:
    """Anna, a user of the relationship whose holder is Pekka."""
    anna = register(world, ANNA, ANNA_EMAIL)
    pekka = register(world, PEKKA, "pekka@example.fi")
    grant(world, pekka)
    grant(world, anna, USER)
    return anna


# -- re-authentication --------------------------------------------------------------


def test_the_owner_closes_the_account_with_the_password(world: World, anna: AccountId) -> None:
    outcome = world.app.privacy.close_own_account(anna, by_password(), confirm=True)

    report = ok(outcome)
    assert report.tombstone.account_id == anna
    assert [type(e) for e in outcome.events] == [AccountClosed, AccountErased, SessionsRevoked]
    closed = outcome.events[0]
    assert isinstance(closed, AccountClosed)
    assert closed.reauthenticated_by is ReauthenticationMethod.PASSWORD
    with world.app.storage.identity as uow:
        assert uow.accounts.find(anna) is None


def test_a_wrong_password_is_refused_and_counted_like_a_failed_login(
    world: World, anna: AccountId
) -> None:
    refused = world.app.privacy.close_own_account(anna, by_password("Wrong7Guess"), confirm=True)

    assert refused.codes == ("account.current_password_wrong",)
    assert refused.kind is Kind.UNAUTHENTICATED
    assert any(isinstance(e, LoginFailed) for e in refused.events)
    with world.app.storage.identity as uow:
        assert uow.accounts.find(anna) is not None
        assert [t.failures for t in uow.login_throttles.for_account(anna)] == [1]


def test_guessing_the_password_at_closing_meets_the_login_throttle(
    world: World, anna: AccountId
) -> None:
    limit = world.app.policies.login.max_failures
    close = world.app.privacy.close_own_account
    codes = [
        close(anna, by_password(f"Wrong7Guess{i}"), confirm=True).codes for i in range(limit + 1)
    ]

    assert codes[0] == ("account.current_password_wrong",)
    assert codes[-1] != ("account.current_password_wrong",)
    assert codes[-1][0].startswith("login.")
    # Even the right password waits now: the throttle is the login's.
    assert not world.app.privacy.close_own_account(anna, by_password(), confirm=True).ok


def test_a_fresh_strong_identification_of_the_owner_closes_the_account(
    world: World, anna: AccountId
) -> None:
    outcome = world.app.privacy.close_own_account(anna, by_bank(world), confirm=True)

    assert outcome.ok
    closed = outcome.events[0]
    assert isinstance(closed, AccountClosed)
    assert closed.reauthenticated_by is ReauthenticationMethod.STRONG_IDENTIFICATION


def test_someone_elses_identification_is_refused(world: World, anna: AccountId) -> None:
    refused = world.app.privacy.close_own_account(anna, by_bank(world, PEKKA), confirm=True)

    assert refused.codes == ("closing.identification_mismatch",)
    assert refused.kind is Kind.FORBIDDEN


def test_a_stale_identification_is_refused_as_registration_refuses_it(
    world: World, anna: AccountId
) -> None:
    stale = IdentificationReauthentication(
        assertion=identification(ANNA, world.clock.now() - timedelta(hours=1))
    )

    refused = world.app.privacy.close_own_account(anna, stale, confirm=True)

    assert not refused.ok
    assert all(code.startswith("assertion.") for code in refused.codes), refused.codes


def test_with_a_second_factor_the_password_needs_a_step_up_first(
    world: World, anna: AccountId
) -> None:
    secret = enrol_second_factor(world, anna)

    refused = world.app.privacy.close_own_account(anna, by_password(), confirm=True)
    assert refused.codes == ("second_factor.step_up_required",)

    world.clock.advance(timedelta(seconds=30))
    ok(world.app.identity.step_up(anna, code(secret, world)))
    assert world.app.privacy.close_own_account(anna, by_password(), confirm=True).ok
    with world.app.storage.identity as uow:
        assert uow.second_factors.find(anna) is None


def test_with_a_second_factor_a_strong_identification_needs_no_step_up(
    world: World, anna: AccountId
) -> None:
    enrol_second_factor(world, anna)

    assert world.app.privacy.close_own_account(anna, by_bank(world), confirm=True).ok


def test_without_the_confirmation_nothing_happens(world: World, anna: AccountId) -> None:
    refused = world.app.privacy.close_own_account(anna, by_password(), confirm=False)

    assert refused.codes == ("closing.not_confirmed",)
    with world.app.storage.identity as uow:
        assert uow.accounts.find(anna) is not None


@pytest.mark.parametrize("confirm", ["yes", 1, None])
def test_a_confirmation_that_is_not_a_bool_is_a_type_error(
    world: World, anna: AccountId, confirm: object
) -> None:
    with pytest.raises(TypeError):
        world.app.privacy.close_own_account(anna, by_password(), confirm=confirm)  # type: ignore[arg-type]


@pytest.mark.parametrize("reauthentication", [PASSWORD, None, {"password": PASSWORD}])
def test_a_reauthentication_of_another_type_is_a_type_error(
    world: World, anna: AccountId, reauthentication: object
) -> None:
    with pytest.raises(TypeError):
        world.app.privacy.close_own_account(anna, reauthentication, confirm=True)  # type: ignore[arg-type]


def test_the_password_never_shows_in_a_repr() -> None:
    assert PASSWORD not in repr(by_password())


def test_an_account_locked_by_customer_service_is_not_closed_by_its_user(
    world: World, anna: AccountId
) -> None:
    from selfcare.core.ports import next_version  # noqa: PLC0415
    from selfcare.identity.account import AccountState  # noqa: PLC0415

    with world.app.storage.identity as uow:
        account = uow.accounts.find(anna)
        assert account is not None
        uow.accounts.update(next_version(account, state=AccountState.LOCKED))
        uow.commit()

    refused = world.app.privacy.close_own_account(anna, by_bank(world), confirm=True)

    assert refused.codes == ("login.account_locked",)


def test_without_an_authenticator_only_a_strong_identification_closes() -> None:
    from selfcare.privacy.service import PrivacyService  # noqa: PLC0415

    world = make_world()
    anna = register(world, ANNA, ANNA_EMAIL)
    bare = PrivacyService(uow=world.app.storage.privacy, clock=world.clock)

    refused = bare.close_own_account(anna, by_password(), confirm=True)

    assert refused.codes == ("closing.reauthentication_unavailable",)
    assert refused.kind is Kind.UNAVAILABLE
    assert bare.close_own_account(anna, by_bank(world), confirm=True).ok


# -- the last holder ----------------------------------------------------------------


def test_the_last_holder_is_refused_and_the_relationship_is_named(world: World) -> None:
    anna = register(world, ANNA, ANNA_EMAIL)
    grant(world, anna)

    refused = world.app.privacy.close_own_account(anna, by_password(), confirm=True)

    assert refused.codes == ("closing.last_holder",)
    assert refused.kind is Kind.CONFLICT
    params = refused.decision.violations[0].params
    assert params == {"relationship": REL, "relationship_name": "Summer cottage"}
    with world.app.storage.identity as uow:
        assert uow.accounts.find(anna) is not None


def test_a_holder_with_a_co_holder_may_close(world: World) -> None:
    anna = register(world, ANNA, ANNA_EMAIL)
    pekka = register(world, PEKKA, "pekka@example.fi")
    grant(world, anna)
    grant(world, pekka)

    assert world.app.privacy.close_own_account(anna, by_password(), confirm=True).ok
    # Pekka is now the last holder, and the refusal says so.
    assert world.app.privacy.close_own_account(
        pekka, by_bank(world, PEKKA), confirm=True
    ).codes == ("closing.last_holder",)


# -- the summary --------------------------------------------------------------------


def test_the_summary_lists_what_is_erased_and_what_the_law_keeps(
    world: World, anna: AccountId
) -> None:
    invoice(world, 1001, date(2025, 11, 1))
    invoice(world, 1002, date(2026, 2, 1))
    invoice(world, 1003, date(2026, 2, 1), seller_country="SE")
    world.app.identity.login(ANNA_EMAIL, "Wrong7Guess", source=LoginSource(SOURCE))

    summary = ok(world.app.privacy.closing_summary_of(anna))

    assert summary.can_close
    erased = {item.data: item for item in summary.erased}
    assert set(erased) == set(ErasedData)
    assert erased[ErasedData.LOGIN_THROTTLES].count == 1
    assert erased[ErasedData.ACCESS_RIGHTS].count == 1
    assert erased[ErasedData.SECOND_FACTOR].count == 0
    assert erased[ErasedData.NATIONAL_ID].description.get("fi") == "Henkilötunnuksesi."
    kept = {(item.record, item.country): item for item in summary.kept}
    finnish = kept[KeptRecord.INVOICES, "FI"]
    assert (finnish.count, finnish.latest) == (2, date(2026, 2, 1))
    assert finnish.legal_ground.startswith("Kirjanpitolaki")
    assert finnish.kept_until == date(2032, 12, 31)
    assert finnish.relationship_name == "Summer cottage"
    swedish = kept[KeptRecord.INVOICES, "SE"]
    assert swedish.legal_ground.startswith("Bokföringslagen")
    assert swedish.kept_until == date(2033, 12, 31)
    for item in summary.kept:
        for lang in ("en", "fi", "sv", "nb"):
            assert item.description.get(lang)


def test_the_summary_uses_the_operators_country_and_financial_year() -> None:
    world = make_world(
        policies=Policies(
            closing=ClosingPolicy(accounting_country="NO", financial_year_end_month=6)
        )
    )
    anna = register(world, ANNA, ANNA_EMAIL)
    pekka = register(world, PEKKA, "pekka@example.fi")
    grant(world, pekka)
    grant(world, anna, USER)
    invoice(world, 1001, date(2026, 7, 1))

    (kept,) = ok(world.app.privacy.closing_summary_of(anna)).kept

    assert kept.country == "NO"
    assert kept.legal_ground.startswith("Bokføringsloven")
    assert kept.kept_until == date(2032, 6, 30)


def test_the_summary_names_the_relationships_that_block_closing(world: World) -> None:
    anna = register(world, ANNA, ANNA_EMAIL)
    grant(world, anna)

    summary = ok(world.app.privacy.closing_summary_of(anna))

    assert not summary.can_close
    (holding,) = summary.last_holdings
    assert (holding.relationship_id, holding.relationship_name) == (REL, "Summer cottage")


def test_the_summary_of_an_unknown_or_closed_account_is_refused(
    world: World, anna: AccountId
) -> None:
    assert world.app.privacy.closing_summary_of(AccountId("nobody")).codes == (
        "privacy.account_not_found",
    )
    ok(world.app.privacy.close_own_account(anna, by_password(), confirm=True))
    assert world.app.privacy.closing_summary_of(anna).codes == ("privacy.account_erased",)


# -- what closing does --------------------------------------------------------------


def test_closing_revokes_the_pending_invitations_the_user_sent(world: World) -> None:
    anna = register(world, ANNA, ANNA_EMAIL)
    pekka = register(world, PEKKA, "pekka@example.fi")
    grant(world, anna)
    grant(world, pekka)
    issued = invite(world, anna, "maija@example.fi")

    report = ok(world.app.privacy.close_own_account(anna, by_password(), confirm=True))

    assert report.invitations_revoked == 1
    accepted = world.app.authz.accept(issued.token, pekka)
    assert not accepted.ok


def test_the_owner_is_told_in_the_accounts_language(world: World, anna: AccountId) -> None:
    ok(world.app.privacy.close_own_account(anna, by_password(), confirm=True))

    message = world.notifier.last()
    assert message.template == "account.closed"
    assert message.recipient == ANNA_EMAIL
    assert message.language.value == "fi"
    assert message.params == {"given_names": "Anna"}
    assert message.secret is None


def test_a_storage_failure_midway_leaves_everything_as_it_was(
    world: World, anna: AccountId
) -> None:
    world.app.identity.login(ANNA_EMAIL, "Wrong7Guess", source=LoginSource(SOURCE))
    with failing_erasure_log(world.app.storage.privacy), pytest.raises(StorageUnavailable):
        world.app.privacy.close_own_account(anna, by_password(), confirm=True)

    with world.app.storage.identity as identity_uow:
        assert identity_uow.accounts.find(anna) is not None
        assert identity_uow.login_throttles.for_account(anna)
    with world.app.storage.authz as authz_uow:
        assert [g.revoked_at for g in authz_uow.grants.for_user(anna)] == [None]
    assert world.notifier.sent[-1].template != "account.closed"


# -- every call after closing -------------------------------------------------------


@pytest.fixture
def closed(world: World, anna: AccountId) -> AccountId:
    ok(world.app.privacy.close_own_account(anna, by_password(), confirm=True))
    return anna


def test_closing_twice_is_refused_as_erased(world: World, closed: AccountId) -> None:
    again = world.app.privacy.close_own_account(closed, by_bank(world), confirm=True)

    assert again.codes == ("privacy.account_erased",)
    assert again.kind is Kind.GONE


def test_logging_in_after_closing_answers_as_for_an_unknown_address(
    world: World, closed: AccountId
) -> None:
    refused = world.app.identity.login(ANNA_EMAIL, PASSWORD, source=LoginSource(SOURCE))

    assert refused.codes == ("login.invalid_credentials",)


def test_recovering_after_closing_answers_as_for_an_unknown_identity(
    world: World, closed: AccountId
) -> None:
    outcome = world.app.identity.recover_password_with_identification(
        identification(ANNA, world.clock.now()), "Kolme4Kissaa-Ikkunalla"
    )

    assert outcome == Done(None)


def test_a_recovery_link_mailed_before_closing_no_longer_works() -> None:
    world = make_world(policies=Policies(recovery=RecoveryPolicy(email_link=True)))
    anna = register(world, ANNA, ANNA_EMAIL)
    ok(world.app.identity.request_password_recovery(ANNA_EMAIL))
    token = world.notifier.last("account.recovery_link").secret
    assert token is not None
    ok(world.app.privacy.close_own_account(anna, by_password(), confirm=True))

    refused = world.app.identity.recover_password_with_link(token, "Kolme4Kissaa-Ikkunalla")

    assert refused.codes == ("recovery.link_invalid",)


def test_an_invitation_to_the_closed_account_cannot_be_accepted(world: World) -> None:
    anna = register(world, ANNA, ANNA_EMAIL)
    pekka = register(world, PEKKA, "pekka@example.fi")
    grant(world, pekka)
    issued = invite(world, pekka, ANNA_EMAIL)
    ok(world.app.privacy.close_own_account(anna, by_password(), confirm=True))

    refused = world.app.authz.accept(issued.token, anna)

    assert not refused.ok
    assert refused.codes[0].startswith("invitation.")


def test_a_closed_account_cannot_invite(world: World, closed: AccountId) -> None:
    refused = world.app.authz.invite(
        REL,
        "maija@example.fi",
        first_name="Maija",
        last_name="Meikäläinen",
        message="Tervetuloa",
        roles=[USER],
        inviter=closed,
    )

    assert refused.codes == ("authz.cannot_manage_users",)


def test_the_owners_other_identity_calls_say_the_account_is_gone(
    world: World, closed: AccountId
) -> None:
    assert world.app.identity.change_email(closed, "new@example.fi").codes == ("account.not_found",)
    assert world.app.identity.verify_password(
        closed, PASSWORD, source=LoginSource(SOURCE)
    ).codes == ("account.not_found",)


def test_the_closed_address_and_identity_code_may_register_again(
    world: World, closed: AccountId
) -> None:
    world.clock.advance(timedelta(minutes=1))
    again = register(world, ANNA, ANNA_EMAIL)

    assert again != closed
