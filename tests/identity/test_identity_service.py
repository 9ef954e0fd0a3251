"""Every use case of IdentityService on the in-memory fakes, seeds' failure paths included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TypeVar

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfcare import FixedClock
from selfcare.adapters.memory.identity import (
    MemoryCustomerDirectory,
    MemoryFeedbackInbox,
    MemoryIdentityUnitOfWork,
    RecordingNotifier,
)
from selfcare.bootstrap import Policies, bootstrap
from selfcare.core.ids import SequentialIds
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.core.ports import next_version
from selfcare.identity.account import Account, AccountState
from selfcare.identity.assertion import AuthMethod, IdentityAssertion, LevelOfAssurance
from selfcare.identity.customer_records import CustomerRecord
from selfcare.identity.events import (
    AccountLocked,
    CustomerRelationshipLinked,
    LoginFailed,
    RegistrationCompleted,
)
from selfcare.identity.hashing import ScryptHasher
from selfcare.identity.ids import LoginSource
from selfcare.identity.login import LoginPolicy
from selfcare.identity.national_id import NationalId
from selfcare.identity.profile import Language, ProfileDraft, ProfileField
from selfcare.identity.registration import Registration, RegistrationPolicy, RegistrationState
from selfcare.identity.registration_account import CompletedRegistration
from selfcare.identity.service import IdentityService
from selfcare.testing.contracts.identity import example_hetu
from selfcare.testing.fakes import CountingSecrets, SteppableClock

SOURCE = LoginSource("192.0.2.1")

T = TypeVar("T")
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ANNA = example_hetu(308)
PEKKA = example_hetu(309)
PASSWORD = "Kuusi7Sorsaa"


def ok(outcome: Outcome[T]) -> T:
    assert outcome.ok, outcome
    return outcome.unwrap()


ELECTRICITY = CustomerRecord(
    customer_number="100234",
    kind="electricity",
    national_ids_on_file=(ANNA,),
    names_on_invoice=("Anna Virtanen",),
    contact=ProfileDraft(
        given_names="Anna",
        surname="Virtanen",
        email="anna.virtanen@example.fi",
        phone="040 123 4567",
        street="Mannerheimintie 1",
        postal_code="00100",
        city="Helsinki",
    ),
)
BROADBAND = CustomerRecord(
    customer_number="200555",
    kind="broadband_tv",
    national_ids_on_file=(PEKKA,),
    names_on_invoice=("Pekka Virtanen", "Anna Virtanen"),
)
HEATING_WITHOUT_CODE = CustomerRecord(customer_number="300777", kind="district_heating")


@attrs.define
class World:
    service: IdentityService
    uow: MemoryIdentityUnitOfWork
    notifier: RecordingNotifier
    inbox: MemoryFeedbackInbox
    clock: FixedClock
    directory: MemoryCustomerDirectory


def make_world(
    records: tuple[CustomerRecord, ...] = (ELECTRICITY, BROADBAND, HEATING_WITHOUT_CODE),
    policy: RegistrationPolicy | None = None,
    login_policy: LoginPolicy | None = None,
) -> World:
    notifier, inbox = RecordingNotifier(), MemoryFeedbackInbox()
    clock = SteppableClock(T0)
    directory = MemoryCustomerDirectory(records)
    app = bootstrap(
        clock=clock,
        ids=SequentialIds("id"),
        secrets=CountingSecrets(),
        policies=Policies(
            registration=policy or RegistrationPolicy(), login=login_policy or LoginPolicy()
        ),
        customers=directory,
        notifier=notifier,
        feedback_inbox=inbox,
        hasher=ScryptHasher(n=2**4),
    )
    uow = app.storage.identity
    assert isinstance(uow, MemoryIdentityUnitOfWork)
    return World(app.identity, uow, notifier, inbox, clock, directory)


def bank(
    national_id: NationalId = ANNA, provider: str = "nordea", at: datetime = T0
) -> IdentityAssertion:
    return IdentityAssertion(
        method=AuthMethod.BANK,
        level=LevelOfAssurance.SUBSTANTIAL,
        national_id=national_id,
        given_names="Anna",
        surname="Virtanen",
        provider=provider,
        issued_at=at,
    )


def register(
    world: World,
    national_id: NationalId = ANNA,
    *,
    email: str | None = None,
) -> Registration:
    """Walk the journey up to (and including) confirmation; return the registration."""
    service = world.service
    reg = ok(service.start_registration(language="fi"))
    ok(service.accept_terms(reg.id, terms_version="1"))
    ok(service.identify(reg.id, bank(national_id, at=world.clock.now())))
    reg = ok(service.match_customers(reg.id))
    assert reg.prefill is not None
    draft = reg.prefill
    if email is not None or not draft.email:
        draft = attrs.evolve(draft, email=email or "someone@example.fi")
    if not draft.given_names:
        draft = attrs.evolve(draft, given_names="Anna")
    ok(service.confirm_profile(reg.id, draft))
    ok(service.set_credentials(reg.id, PASSWORD, repeated=PASSWORD))
    return ok(service.confirm_registration(reg.id))


def register_completely(
    world: World, national_id: NationalId = ANNA, **kwargs: str
) -> Done[CompletedRegistration]:
    reg = register(world, national_id, **kwargs)
    token = world.notifier.last("registration.verify_email").secret
    assert token is not None
    done = world.service.complete_registration(reg.id, token)
    assert isinstance(done, Done), done
    return done


# -- registration -----------------------------------------------------------------


def test_seed_001_registration_links_the_customer_and_sends_a_confirmation() -> None:
    world = make_world()
    done = register_completely(world)
    account = done.value.account
    assert account.email.value == "anna.virtanen@example.fi"
    assert account.national_id == ANNA
    assert isinstance(done.events[0], RegistrationCompleted)
    links = [e for e in done.events if isinstance(e, CustomerRelationshipLinked)]
    assert [(e.customer_number, e.kind) for e in links] == [("100234", "electricity")]
    with world.uow as uow:
        assert uow.accounts.find(account.id) == account
        stored = uow.registrations.find(done.value.registration.id)
    assert stored is not None
    assert stored.state is RegistrationState.COMPLETED
    sent = world.notifier.last()
    assert (sent.template, sent.recipient, sent.language) == (
        "registration.completed",
        "anna.virtanen@example.fi",
        Language.FI,
    )
    assert sent.params == {"given_names": "Anna", "advisories": ""}


def test_afterwards_the_user_logs_in_with_email_and_password() -> None:
    world = make_world()
    account = register_completely(world).value.account
    logged_in = ok(world.service.login("Anna.Virtanen@EXAMPLE.fi", PASSWORD, source=SOURCE))
    assert logged_in.id == account.id
    assert logged_in.last_login_at == T0


def test_seed_000_no_identity_code_on_file_completes_with_advice() -> None:
    world = make_world(records=(HEATING_WITHOUT_CODE,))
    done = register_completely(world, email="anna@example.fi")
    completed = done.events[0]
    assert isinstance(completed, RegistrationCompleted)
    assert completed.customer_numbers == ()
    assert [v.code for v in completed.advisories] == ["registration.no_customer_found"]
    assert len(done.events) == 1
    assert world.notifier.last().params["advisories"] == "registration.no_customer_found"


def test_seed_000_two_names_on_the_invoice_only_the_person_on_file_gets_it() -> None:
    world = make_world()
    anna = register_completely(world).events
    pekka = register_completely(world, PEKKA, email="pekka@example.fi").events
    anna_numbers = [e.customer_number for e in anna if isinstance(e, CustomerRelationshipLinked)]
    pekka_numbers = [e.customer_number for e in pekka if isinstance(e, CustomerRelationshipLinked)]
    assert "200555" not in anna_numbers
    assert pekka_numbers == ["200555"]


def test_seed_001_bank_not_listed_is_refused_with_customer_service_advice() -> None:
    world = make_world(policy=RegistrationPolicy(accepted_providers={"nordea", "op"}))
    reg = ok(world.service.start_registration(language="sv"))
    ok(world.service.accept_terms(reg.id, terms_version="1"))
    refused = world.service.identify(reg.id, bank(provider="sparbanken"))
    assert isinstance(refused, Refused)
    assert refused.codes == ("registration.provider_not_accepted",)
    assert "kundtjänst" in refused.decision.messages("sv")[0]


def test_policy_requiring_a_customer_match_refuses_without_one() -> None:
    world = make_world(
        records=(HEATING_WITHOUT_CODE,), policy=RegistrationPolicy(require_customer_match=True)
    )
    reg = ok(world.service.start_registration())
    ok(world.service.accept_terms(reg.id, terms_version="1"))
    ok(world.service.identify(reg.id, bank()))
    refused = world.service.match_customers(reg.id)
    assert isinstance(refused, Refused)
    assert refused.codes == ("registration.customer_match_required",)


def test_profile_edits_never_reach_the_customer_system() -> None:
    world = make_world()
    before = world.directory.records
    reg = ok(world.service.start_registration())
    ok(world.service.accept_terms(reg.id, terms_version="1"))
    ok(world.service.identify(reg.id, bank()))
    reg = ok(world.service.match_customers(reg.id))
    assert reg.prefill is not None
    edited = attrs.evolve(reg.prefill, email="anna.private@example.fi", city="Espoo")
    reg = ok(world.service.confirm_profile(reg.id, edited))
    assert reg.profile is not None
    assert reg.profile.city == "Espoo"
    assert world.directory.records == before
    assert world.directory.find_by_national_id(ANNA)[0].contact == ELECTRICITY.contact


def test_an_identity_code_with_an_account_cannot_register_again() -> None:
    world = make_world()
    register_completely(world)
    reg = ok(world.service.start_registration())
    ok(world.service.accept_terms(reg.id, terms_version="1"))
    refused = world.service.identify(reg.id, bank())
    assert isinstance(refused, Refused)
    assert refused.codes == ("registration.national_id_has_account",)


def test_a_taken_email_is_not_revealed_but_its_holder_is_told() -> None:
    world = make_world()
    register_completely(world)
    sent_before = len(world.notifier.sent)
    reg = register(world, PEKKA, email="ANNA.virtanen@example.fi")
    assert reg.state is RegistrationState.CONFIRMED  # same answer as for a free address
    new = world.notifier.sent[sent_before:]
    assert [m.template for m in new] == ["registration.email_in_use_notice"]
    assert new[0].recipient == "anna.virtanen@example.fi"
    assert new[0].secret is None
    # Without the token the registration cannot complete; a guess is refused.
    refused = world.service.complete_registration(reg.id, "guess")
    assert isinstance(refused, Refused)
    assert refused.codes == ("registration.email_token_invalid",)


def test_with_the_opt_in_a_taken_email_is_refused_at_the_profile_step() -> None:
    world = make_world(policy=RegistrationPolicy(reveal_email_in_use=True))
    register_completely(world)
    reg = ok(world.service.start_registration())
    ok(world.service.accept_terms(reg.id, terms_version="1"))
    ok(world.service.identify(reg.id, bank(PEKKA)))
    reg = ok(world.service.match_customers(reg.id))
    draft = ProfileDraft(given_names="Pekka", surname="Virtanen", email="anna.virtanen@example.fi")
    refused = world.service.confirm_profile(reg.id, draft)
    assert isinstance(refused, Refused)
    assert refused.codes == ("registration.email_in_use",)
    bad = world.service.confirm_profile(reg.id, attrs.evolve(draft, email="not an address"))
    assert isinstance(bad, Refused)
    assert bad.codes == ("email.invalid_format",)


def test_a_race_for_the_same_email_is_decided_at_completion() -> None:
    world = make_world()
    first = register(world, ANNA, email="shared@example.fi")
    first_token = world.notifier.last("registration.verify_email").secret
    second = register(world, PEKKA, email="shared@example.fi")
    second_token = world.notifier.last("registration.verify_email").secret
    assert first_token
    assert second_token
    ok(world.service.complete_registration(first.id, first_token))
    refused = world.service.complete_registration(second.id, second_token)
    assert isinstance(refused, Refused)
    assert refused.codes == ("registration.email_in_use",)


def test_unknown_registration_ids_are_refused() -> None:
    service = make_world().service
    for outcome in (
        service.accept_terms("nope", terms_version="1"),
        service.identify("nope", bank()),
        service.match_customers("nope"),
        service.confirm_profile("nope", ProfileDraft()),
        service.set_credentials("nope", PASSWORD),
        service.confirm_registration("nope"),
        service.complete_registration("nope", "t"),
        service.resume_registration("nope"),
        service.abandon_registration("nope"),
    ):
        assert isinstance(outcome, Refused)
        assert outcome.codes == ("registration.not_found",)


def test_refused_steps_save_nothing() -> None:
    world = make_world()
    reg = ok(world.service.start_registration())
    refused = world.service.identify(reg.id, bank())
    assert isinstance(refused, Refused)
    assert refused.codes == ("registration.step_out_of_order",)
    assert world.service.confirm_registration(reg.id).codes == ("registration.step_out_of_order",)  # type: ignore[union-attr]
    with world.uow as uow:
        assert uow.registrations.find(reg.id) == reg


def test_resume_and_abandon() -> None:
    world = make_world()
    reg = ok(world.service.start_registration())
    ok(world.service.accept_terms(reg.id, terms_version="1"))
    resumed = ok(world.service.resume_registration(reg.id))
    assert resumed.state is RegistrationState.TERMS_ACCEPTED
    world.clock.advance(timedelta(minutes=31))
    expired = world.service.resume_registration(reg.id)
    assert isinstance(expired, Refused)
    assert expired.codes == ("registration.expired",)
    abandoned = ok(world.service.abandon_registration(reg.id))
    assert abandoned.state is RegistrationState.ABANDONED
    gone = world.service.resume_registration(reg.id)
    assert isinstance(gone, Refused)
    assert gone.codes == ("registration.not_in_progress",)


def test_no_message_ever_carries_the_password() -> None:
    world = make_world()
    account = register_completely(world).value.account
    ok(
        world.service.change_password(
            account.id, current=PASSWORD, new="Uusi9Sorsaa!", source=SOURCE
        )
    )
    assert any(message.secret for message in world.notifier.sent)
    for message in world.notifier.sent:
        assert PASSWORD not in repr(message)
        assert message.secret is None or message.secret not in repr(message)
        assert PASSWORD not in str(message.params)
        assert "Uusi9Sorsaa!" not in str(message.params)


# -- login -------------------------------------------------------------------------


def test_unknown_email_and_wrong_password_get_the_same_answer() -> None:
    world = make_world()
    register_completely(world)
    unknown = world.service.login("nobody@example.fi", PASSWORD, source=SOURCE)
    wrong = world.service.login("anna.virtanen@example.fi", "Wrong7Password", source=SOURCE)
    malformed = world.service.login("not an address", PASSWORD, source=SOURCE)
    assert isinstance(unknown, Refused)
    assert isinstance(wrong, Refused)
    assert unknown.decision == wrong.decision == malformed.decision
    assert unknown.codes == ("login.invalid_credentials",)
    # The integrator's audit trail sees the counted failure; the user's answer does not.
    # Only the source's count changed for an unknown or malformed address.
    assert [e.name for e in unknown.events] == ["LoginFailedForUnknownAddress"]
    assert [e.source_failures for e in malformed.events] == [3]  # type: ignore[attr-defined]
    assert [type(e) for e in wrong.events] == [LoginFailed]


class CountingHasher(ScryptHasher):
    def __init__(self) -> None:
        super().__init__(n=2**4)
        self.verifications = 0

    def verify(self, password: str, encoded: str) -> bool:
        self.verifications += 1
        return super().verify(password, encoded)


def test_an_unknown_email_costs_a_password_verification_too() -> None:
    world = make_world()
    register_completely(world)
    hasher = CountingHasher()
    world.service._hasher = hasher
    world.service.login("nobody@example.fi", PASSWORD, source=SOURCE)
    world.service.login("anna.virtanen@example.fi", "Wrong7Password", source=SOURCE)
    assert hasher.verifications == 2


def test_five_failures_lock_the_account_for_a_growing_time() -> None:
    world = make_world()
    register_completely(world)
    service = world.service
    answers = [
        service.login("anna.virtanen@example.fi", "Wrong7Password", source=SOURCE) for _ in range(5)
    ]
    assert [e.failed_logins for e in answers[3].events if isinstance(e, LoginFailed)] == [4]
    fifth = answers[4]
    assert isinstance(fifth, Refused)
    assert [type(e) for e in fifth.events] == [LoginFailed, AccountLocked]
    notice = world.notifier.last()
    assert notice.template == "login.locked_notice"
    assert notice.params == {"minutes": "1"}
    # Locked: even the right password is refused, with the same answer as ever.
    locked = service.login("anna.virtanen@example.fi", PASSWORD, source=SOURCE)
    assert isinstance(locked, Refused)
    assert locked.codes == ("login.invalid_credentials",)
    world.clock.advance(timedelta(minutes=1))
    service.login(
        "anna.virtanen@example.fi", "Wrong7Password", source=SOURCE
    )  # sixth failure: 2 min
    world.clock.advance(timedelta(minutes=1, seconds=59))
    assert isinstance(service.login("anna.virtanen@example.fi", PASSWORD, source=SOURCE), Refused)
    world.clock.advance(timedelta(seconds=1))
    account = ok(service.login("anna.virtanen@example.fi", PASSWORD, source=SOURCE))
    assert account.failed_logins == 0
    assert account.locked_until is None


def test_the_lock_can_be_revealed_with_the_opt_in() -> None:
    world = make_world(login_policy=LoginPolicy(reveal_lock=True, max_failures=2))
    register_completely(world)
    world.service.login("anna.virtanen@example.fi", "x", source=SOURCE)
    world.service.login("anna.virtanen@example.fi", "x", source=SOURCE)
    world.clock.advance(timedelta(seconds=20))
    told = world.service.login("anna.virtanen@example.fi", PASSWORD, source=SOURCE)
    assert isinstance(told, Refused)
    assert told.codes == ("login.temporarily_locked",)
    assert told.decision.violations[0].params == {"retry_after_seconds": 40}


@pytest.mark.parametrize(
    ("state", "code"),
    [(AccountState.LOCKED, "login.account_locked"), (AccountState.CLOSED, "login.account_closed")],
)
def test_locked_or_closed_accounts_are_told_only_with_the_right_password(
    state: AccountState, code: str
) -> None:
    world = make_world()
    account = register_completely(world).value.account
    with world.uow as uow:
        uow.accounts.update(next_version(account, state=state))
        uow.commit()
    wrong = world.service.login("anna.virtanen@example.fi", "Wrong7Password", source=SOURCE)
    assert isinstance(wrong, Refused)
    assert wrong.codes == ("login.invalid_credentials",)
    right = world.service.login("anna.virtanen@example.fi", PASSWORD, source=SOURCE)
    assert isinstance(right, Refused)
    assert right.codes == (code,)


def test_an_old_hash_is_upgraded_at_login() -> None:
    world = make_world()
    account = register_completely(world).value.account
    world.service._hasher = ScryptHasher(n=2**5)
    upgraded = ok(world.service.login("anna.virtanen@example.fi", PASSWORD, source=SOURCE))
    assert upgraded.password_hash != account.password_hash
    assert upgraded.password_hash.startswith("scrypt$n=32,")
    assert (
        ok(world.service.login("anna.virtanen@example.fi", PASSWORD, source=SOURCE)).password_hash
        == upgraded.password_hash
    )


# -- account self-service -------------------------------------------------------------


def logged_in_world() -> tuple[World, Account]:
    world = make_world()
    return world, register_completely(world).value.account


def test_change_password_needs_the_current_one_and_a_new_valid_one() -> None:
    world, account = logged_in_world()
    service = world.service
    wrong = service.change_password(account.id, current="nope", new="Uusi9Sorsaa!", source=SOURCE)
    assert isinstance(wrong, Refused)
    assert wrong.codes == ("account.current_password_wrong",)
    same = service.change_password(account.id, current=PASSWORD, new=PASSWORD, source=SOURCE)
    assert isinstance(same, Refused)
    assert same.codes == ("account.password_unchanged",)
    weak = service.change_password(account.id, current=PASSWORD, new="short", source=SOURCE)
    assert isinstance(weak, Refused)
    assert "password.too_short" in weak.codes
    personal = service.change_password(
        account.id, current=PASSWORD, new="Virtanen99Kala", source=SOURCE
    )
    assert isinstance(personal, Refused)
    assert "password.contains_personal" in personal.codes
    changed = ok(
        service.change_password(account.id, current=PASSWORD, new="Uusi9Sorsaa!", source=SOURCE)
    )
    assert changed.password_changed_at == T0
    assert world.notifier.last().template == "account.password_changed"
    assert isinstance(service.login("anna.virtanen@example.fi", PASSWORD, source=SOURCE), Refused)
    assert (
        ok(service.login("anna.virtanen@example.fi", "Uusi9Sorsaa!", source=SOURCE)).id
        == account.id
    )
    missing = service.change_password("nope", current=PASSWORD, new="Uusi9Sorsaa!", source=SOURCE)
    assert missing.codes == ("account.not_found",)  # type: ignore[union-attr]


def test_seed_002_the_new_email_becomes_the_username_only_after_verification() -> None:
    world, account = logged_in_world()
    service = world.service
    pending = ok(service.change_email(account.id, "anna.new@example.fi"))
    assert pending.email == account.email
    assert pending.pending_email is not None
    verify = world.notifier.last("account.verify_new_email")
    assert verify.recipient == "anna.new@example.fi"
    assert world.notifier.last("account.email_change_requested").recipient == account.email.value
    assert verify.secret is not None
    assert verify.secret not in repr(pending)
    # Until then the old address is still the username.
    assert ok(service.login("anna.virtanen@example.fi", PASSWORD, source=SOURCE)).id == account.id
    wrong = service.confirm_email(account.id, "not-the-token")
    assert wrong.codes == ("account.email_token_invalid",)  # type: ignore[union-attr]
    changed = ok(service.confirm_email(account.id, verify.secret))
    assert changed.email.value == "anna.new@example.fi"
    assert changed.pending_email is None
    assert world.notifier.last().template == "account.email_changed"
    assert ok(service.login("anna.new@example.fi", PASSWORD, source=SOURCE)).id == account.id
    again = service.confirm_email(account.id, verify.secret)
    assert again.codes == ("account.no_pending_email_change",)  # type: ignore[union-attr]


def test_the_email_token_expires_after_a_day() -> None:
    world, account = logged_in_world()
    ok(world.service.change_email(account.id, "anna.new@example.fi"))
    token = world.notifier.last("account.verify_new_email").secret
    assert token is not None
    world.clock.advance(timedelta(hours=24))
    expired = world.service.confirm_email(account.id, token)
    assert expired.codes == ("account.email_token_expired",)  # type: ignore[union-attr]


def test_changing_to_a_taken_email_tells_the_holder_not_the_requester() -> None:
    world, anna = logged_in_world()
    pekka = register_completely(world, PEKKA, email="pekka@example.fi").value.account
    sent_before = len(world.notifier.sent)
    answer = world.service.change_email(pekka.id, "anna.virtanen@example.fi")
    assert isinstance(answer, Done)
    templates = [(m.template, m.recipient) for m in world.notifier.sent[sent_before:]]
    assert templates == [
        ("account.email_change_requested", "pekka@example.fi"),
        ("account.email_in_use_notice", "anna.virtanen@example.fi"),
    ]
    assert all(m.secret is None for m in world.notifier.sent[sent_before:])
    assert anna.email.value == "anna.virtanen@example.fi"


def test_changing_to_a_taken_email_is_refused_with_the_opt_in() -> None:
    world = make_world(policy=RegistrationPolicy(reveal_email_in_use=True))
    register_completely(world)
    pekka = register_completely(world, PEKKA, email="pekka@example.fi").value.account
    refused = world.service.change_email(pekka.id, "anna.virtanen@example.fi")
    assert refused.codes == ("account.email_in_use",)  # type: ignore[union-attr]


def test_an_address_taken_while_waiting_is_refused_at_confirmation() -> None:
    world, anna = logged_in_world()
    ok(world.service.change_email(anna.id, "shared@example.fi"))
    token = world.notifier.last("account.verify_new_email").secret
    assert token is not None
    register_completely(world, PEKKA, email="shared@example.fi")
    refused = world.service.confirm_email(anna.id, token)
    assert refused.codes == ("account.email_in_use",)  # type: ignore[union-attr]


def test_change_email_refuses_bad_or_same_addresses() -> None:
    world, account = logged_in_world()
    bad = world.service.change_email(account.id, "no-at-sign")
    assert bad.codes == ("email.invalid_format",)  # type: ignore[union-attr]
    same = world.service.change_email(account.id, "ANNA.VIRTANEN@example.fi")
    assert same.codes == ("account.email_unchanged",)  # type: ignore[union-attr]
    assert world.service.change_email("nope", "x@example.fi").codes == ("account.not_found",)  # type: ignore[union-attr]
    assert world.service.confirm_email("nope", "t").codes == ("account.not_found",)  # type: ignore[union-attr]


def test_seed_002_other_details_only_through_customer_service() -> None:
    world, account = logged_in_world()
    refused = world.service.update_profile(
        account.id, {ProfileField.SURNAME: "Li", ProfileField.EMAIL: "x@example.fi"}
    )
    assert isinstance(refused, Refused)
    assert refused.codes == (
        "profile.field_requires_customer_service",
        "profile.field_requires_customer_service",
    )
    assert "asiakaspalveluun" in refused.decision.messages("fi")[0]
    changed = ok(world.service.update_profile(account.id, {ProfileField.LANGUAGE: "sv"}))
    assert changed.language is Language.SV
    assert changed.version == account.version + 1
    bad = world.service.update_profile(account.id, {ProfileField.LANGUAGE: "de"})
    assert bad.codes == ("profile.field_invalid",)  # type: ignore[union-attr]
    assert world.service.update_profile("nope", {}).codes == ("account.not_found",)  # type: ignore[union-attr]


def test_seed_002_feedback_with_optional_contact_details() -> None:
    world, account = logged_in_world()
    sent = ok(
        world.service.send_feedback(
            text="  Irtisanon TV-paketin 31.5. alkaen.  ",
            email="anna@example.fi",
            phone="040 765 4321",
            wants_contact=True,
            account_id=account.id,
        )
    )
    assert world.inbox.received == [sent]
    assert sent.text == "Irtisanon TV-paketin 31.5. alkaen."
    assert sent.reply_phone is not None
    assert sent.reply_phone.e164 == "+358407654321"
    anonymous = ok(world.service.send_feedback(text="Hyvä palvelu"))
    assert anonymous.reply_email is None
    assert anonymous.account_id is None


def test_feedback_refusals() -> None:
    world = make_world()
    empty = world.service.send_feedback(text="   ", wants_contact=True)
    assert isinstance(empty, Refused)
    assert empty.codes == ("feedback.text_required", "feedback.contact_missing")
    long = world.service.send_feedback(text="x" * 5001, email="bad", phone="abc")
    assert isinstance(long, Refused)
    assert long.codes[0] == "feedback.text_too_long"
    assert "email.invalid_format" in long.codes
    assert any(code.startswith("phone.") for code in long.codes)
    assert world.inbox.received == []


def test_losing_the_race_to_store_the_account_is_refused_not_raised() -> None:
    world = make_world()
    first = register(world, ANNA, email="shared@example.fi")
    first_token = world.notifier.last("registration.verify_email").secret
    second = register(world, PEKKA, email="shared@example.fi")
    second_token = world.notifier.last("registration.verify_email").secret
    assert first_token is not None
    assert second_token is not None
    ok(world.service.complete_registration(first.id, first_token))
    # A lagging read replica misses the first account; the repository's uniqueness
    # still refuses the second, and the service answers instead of raising.
    world.uow.accounts.find_by_email = lambda _email: None  # type: ignore[method-assign]
    refused = world.service.complete_registration(second.id, second_token)
    assert isinstance(refused, Refused)
    assert refused.codes == ("registration.email_in_use",)
    with world.uow as uow:
        stored = uow.registrations.find(second.id)
    assert stored is not None
    assert stored.state is RegistrationState.CONFIRMED


LOGIN_WORLD = make_world()


def test_recording_notifier_says_when_nothing_was_sent() -> None:
    with pytest.raises(LookupError):
        RecordingNotifier().last("registration.completed")


@given(email=st.text(max_size=60), password=st.text(max_size=30))
@settings(max_examples=30)
def test_any_login_input_gives_a_decision_or_the_account(email: str, password: str) -> None:
    result = LOGIN_WORLD.service.login(email, password, source=SOURCE)
    assert isinstance(result, Refused)
    assert result.codes == ("login.invalid_credentials",)


def test_every_registration_step_returns_the_event_of_what_it_changed() -> None:
    world = make_world()
    service = world.service
    started = service.start_registration(language="fi")
    reg = ok(started)
    steps = [
        started,
        service.accept_terms(reg.id, terms_version="1"),
        service.identify(reg.id, bank()),
        service.match_customers(reg.id),
    ]
    prefill = ok(steps[-1]).prefill
    assert prefill is not None
    steps += [
        service.confirm_profile(reg.id, prefill),
        service.set_credentials(reg.id, PASSWORD),
        service.confirm_registration(reg.id),
    ]
    token = world.notifier.last("registration.verify_email").secret
    assert token is not None
    steps.append(service.complete_registration(reg.id, token))
    names = [event.name for step in steps for event in step.events]
    assert names == [
        "RegistrationStarted",
        "TermsAccepted",
        "PersonIdentified",
        "CustomersMatched",
        "ProfileConfirmed",
        "CredentialsSet",
        "RegistrationConfirmed",
        "RegistrationCompleted",
        "CustomerRelationshipLinked",
    ]
    assert all(event.occurred_at == T0 for step in steps for event in step.events)
    assert service.resume_registration(reg.id).events == ()


def test_an_unsupported_language_is_refused_not_raised() -> None:
    refused = make_world().service.start_registration(language="de")
    assert isinstance(refused, Refused)
    assert refused.codes == ("profile.field_invalid",)


def test_account_changes_return_their_events() -> None:
    world, anna = logged_in_world()
    service = world.service
    changed = service.change_password(
        anna.id, current=PASSWORD, new="Uusi8Salasana!x", source=SOURCE
    )
    requested = service.change_email(anna.id, "anna.new@example.fi")
    token = world.notifier.last("account.verify_new_email").secret
    assert token is not None
    confirmed = service.confirm_email(anna.id, token)
    updated = service.update_profile(anna.id, {ProfileField.LANGUAGE: "sv"})
    feedback = service.send_feedback(text="Hello", account_id=anna.id)
    names = [
        [e.name for e in outcome.events]
        for outcome in (changed, requested, confirmed, updated, feedback)
    ]
    assert names == [
        ["PasswordChanged"],
        ["EmailChangeRequested"],
        ["EmailChanged"],
        ["ProfileUpdated"],
        ["FeedbackSent"],
    ]
    assert all(e.account_id == anna.id for o in (changed, confirmed) for e in o.events)
