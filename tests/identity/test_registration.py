"""The registration state machine: pure transitions, refusals with their own codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TypeVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import SelfcareError
from selfcare.core.ids import AccountId
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.identity.account import token_digest
from selfcare.identity.assertion import AuthMethod, IdentityAssertion, LevelOfAssurance
from selfcare.identity.customer_records import CustomerRecord
from selfcare.identity.events import CustomerRelationshipLinked, RegistrationCompleted
from selfcare.identity.hashing import ScryptHasher
from selfcare.identity.ids import RegistrationId
from selfcare.identity.national_id import NationalId
from selfcare.identity.profile import Language, ProfileDraft
from selfcare.identity.registration import (
    Registration,
    RegistrationPolicy,
    RegistrationState,
    check_in_progress,
)
from selfcare.identity.registration_account import (
    CompletedRegistration,
    abandon_registration,
    complete_registration,
    confirm_profile,
    confirm_registration,
    set_credentials,
)
from selfcare.identity.registration_identification import (
    accept_terms,
    identify,
    match_customers,
    start_registration,
)
from selfcare.testing.contracts.identity import example_hetu

T = TypeVar("T")
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
POLICY = RegistrationPolicy()
HASHER = ScryptHasher(n=2**4)
ANNA = example_hetu(308)
PEKKA = example_hetu(309)
PASSWORD = "Kuusi7Sorsaa"
TOKEN = "t" * 43


def assertion(
    national_id: NationalId | None = ANNA,
    *,
    at: datetime = T0,
    provider: str = "nordea",
    method: AuthMethod = AuthMethod.BANK,
) -> IdentityAssertion:
    return IdentityAssertion(
        method=method,
        level=LevelOfAssurance.SUBSTANTIAL,
        national_id=national_id,
        given_names="Anna Maria",
        surname="Virtanen",
        provider=provider,
        issued_at=at,
    )


def ok(outcome: Outcome[T]) -> T:
    assert outcome.ok, outcome
    return outcome.unwrap()


def started(policy: RegistrationPolicy = POLICY) -> Registration:
    return ok(
        start_registration(
            registration_id=RegistrationId("reg-1"), language="sv", policy=policy, now=T0
        )
    )


def identified(policy: RegistrationPolicy = POLICY) -> Registration:
    reg = ok(accept_terms(started(policy), terms_version="1", policy=policy, now=T0))
    return ok(identify(reg, assertion(), has_account=False, policy=policy, now=T0))


RECORD = CustomerRecord(
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


def matched(policy: RegistrationPolicy = POLICY) -> Registration:
    return ok(match_customers(identified(policy), [RECORD], policy=policy, now=T0))


def profiled(policy: RegistrationPolicy = POLICY) -> Registration:
    reg = matched(policy)
    assert reg.prefill is not None
    return ok(confirm_profile(reg, reg.prefill, email_in_use=False, policy=policy, now=T0))


def credentialed() -> Registration:
    return ok(set_credentials(profiled(), PASSWORD, hasher=HASHER, policy=POLICY, now=T0))


def confirmed() -> Registration:
    return ok(
        confirm_registration(
            credentialed(), token_digest=token_digest(TOKEN), policy=POLICY, now=T0
        )
    )


def complete(reg: Registration, **kwargs: object) -> Outcome[CompletedRegistration]:
    options: dict[str, object] = {
        "token": TOKEN,
        "account_id": AccountId("acc-1"),
        "email_in_use": False,
        "has_account": False,
        "now": T0,
    }
    options.update(kwargs)
    return complete_registration(reg, **options)  # type: ignore[arg-type]


def test_the_happy_path_walks_every_state_in_order() -> None:
    states = [
        started().state,
        identified().state,
        matched().state,
        profiled().state,
        credentialed().state,
        confirmed().state,
    ]
    assert states == [
        RegistrationState.STARTED,
        RegistrationState.IDENTIFIED,
        RegistrationState.CUSTOMERS_MATCHED,
        RegistrationState.PROFILE_CONFIRMED,
        RegistrationState.CREDENTIALS_SET,
        RegistrationState.CONFIRMED,
    ]
    done = ok(complete(confirmed()))
    assert done.registration.state is RegistrationState.COMPLETED
    assert done.registration.version == 8
    assert done.account.email.value == "anna.virtanen@example.fi"
    assert done.account.national_id == ANNA
    assert HASHER.verify(PASSWORD, done.account.password_hash)


def test_every_step_bumps_the_version_and_records_the_time() -> None:
    reg = started()
    later = T0 + timedelta(minutes=3)
    accepted = ok(accept_terms(reg, terms_version="1", policy=POLICY, now=later))
    assert accepted.version == reg.version + 1
    assert accepted.terms_version == "1"
    assert accepted.terms_accepted_at == later
    assert accepted.updated_at == later


def test_terms_of_another_version_are_refused() -> None:
    refused = accept_terms(started(), terms_version="0.9", policy=POLICY, now=T0)
    assert isinstance(refused, Refused)
    assert refused.codes == ("registration.terms_outdated",)
    assert refused.decision.violations[0].params == {"current": "1"}


def test_unknown_language_is_refused_at_start() -> None:
    refused = start_registration(
        registration_id=RegistrationId("r"), language="de", policy=POLICY, now=T0
    )
    assert isinstance(refused, Refused)
    assert refused.codes == ("profile.field_invalid",)


def test_naive_time_is_refused() -> None:
    with pytest.raises(SelfcareError) as error:
        accept_terms(started(), terms_version="1", policy=POLICY, now=datetime(2026, 3, 2))  # noqa: DTZ001
    assert error.value.codes == ("time.naive_datetime",)


@pytest.mark.parametrize(
    ("step", "state"),
    [
        ("identify", RegistrationState.STARTED),
        ("match", RegistrationState.STARTED),
        ("profile", RegistrationState.TERMS_ACCEPTED),
        ("credentials", RegistrationState.IDENTIFIED),
        ("confirm", RegistrationState.PROFILE_CONFIRMED),
        ("complete", RegistrationState.CREDENTIALS_SET),
        ("terms", RegistrationState.IDENTIFIED),
    ],
)
def test_steps_out_of_order_are_refused_with_their_own_code(
    step: str, state: RegistrationState
) -> None:
    reg = attrs.evolve(profiled(), state=state)
    results: Outcome[object] = {
        "terms": lambda: accept_terms(reg, terms_version="1", policy=POLICY, now=T0),
        "identify": lambda: identify(reg, assertion(), has_account=False, policy=POLICY, now=T0),
        "match": lambda: match_customers(reg, [RECORD], policy=POLICY, now=T0),
        "profile": lambda: confirm_profile(
            reg, ProfileDraft(), email_in_use=False, policy=POLICY, now=T0
        ),
        "credentials": lambda: set_credentials(reg, PASSWORD, hasher=HASHER, policy=POLICY, now=T0),
        "confirm": lambda: confirm_registration(reg, token_digest="x", policy=POLICY, now=T0),
        "complete": lambda: complete(reg),
    }[step]()  # type: ignore[operator]
    assert isinstance(results, Refused)
    assert results.codes == ("registration.step_out_of_order",)
    assert results.decision.violations[0].params["actual"] == state.value


def test_a_finished_registration_cannot_take_another_step() -> None:
    done = ok(complete(confirmed())).registration
    again = complete(done)
    assert isinstance(again, Refused)
    assert again.codes == ("registration.not_in_progress",)
    assert again.decision.violations[0].params == {"state": "completed"}
    assert abandon_registration(done, now=T0).codes == ("registration.not_in_progress",)  # type: ignore[union-attr]


def test_expires_thirty_minutes_after_the_last_step() -> None:
    reg = identified()
    just_before = T0 + timedelta(minutes=29, seconds=59)
    assert isinstance(match_customers(reg, [], policy=POLICY, now=just_before), Done)
    expired = match_customers(reg, [], policy=POLICY, now=T0 + timedelta(minutes=30))
    assert isinstance(expired, Refused)
    assert expired.codes == ("registration.expired",)
    assert reg.is_expired(T0 + timedelta(minutes=30))


def test_each_step_moves_the_deadline() -> None:
    reg = started()
    later = T0 + timedelta(minutes=25)
    accepted = ok(accept_terms(reg, terms_version="1", policy=POLICY, now=later))
    assert accepted.expires_at == later + timedelta(minutes=30)


def test_expiry_is_configurable() -> None:
    policy = RegistrationPolicy(expiry=timedelta(minutes=5))
    reg = started(policy)
    late = accept_terms(reg, terms_version="1", policy=policy, now=T0 + timedelta(minutes=5))
    assert isinstance(late, Refused)
    assert late.codes == ("registration.expired",)


def test_resume_tells_whether_the_registration_is_still_open() -> None:
    reg = matched()
    assert check_in_progress(reg, now=T0).reason == "state:customers_matched"
    assert check_in_progress(reg, now=T0 + timedelta(hours=1)).codes == ("registration.expired",)


def test_an_expired_registration_can_be_abandoned_and_secrets_are_dropped() -> None:
    reg = confirmed()
    gone = ok(abandon_registration(reg, now=T0 + timedelta(days=1)))
    assert gone.state is RegistrationState.ABANDONED
    assert gone.password_hash is None
    assert gone.email_token_digest is None
    assert not gone.is_expired(T0 + timedelta(days=2))


# -- identification ------------------------------------------------------------


def test_identification_records_the_asserted_person() -> None:
    reg = identified()
    assert reg.national_id == ANNA
    assert reg.identified_by == "nordea"
    assert (reg.asserted_given_names, reg.asserted_surname) == ("Anna Maria", "Virtanen")


def test_the_typed_identity_code_must_be_the_identified_one() -> None:
    reg = ok(accept_terms(started(), terms_version="1", national_id=PEKKA, policy=POLICY, now=T0))
    refused = identify(reg, assertion(ANNA), has_account=False, policy=POLICY, now=T0)
    assert isinstance(refused, Refused)
    assert refused.codes == ("assertion.national_id_mismatch",)
    same = ok(accept_terms(started(), terms_version="1", national_id=ANNA, policy=POLICY, now=T0))
    assert isinstance(
        identify(same, assertion(ANNA), has_account=False, policy=POLICY, now=T0), Done
    )


def test_a_bank_missing_from_the_list_is_refused_with_advice() -> None:
    policy = RegistrationPolicy(accepted_providers={"nordea", "op", "danske"})
    reg = ok(accept_terms(started(policy), terms_version="1", policy=policy, now=T0))
    refused = identify(
        reg, assertion(provider="Ålandsbanken"), has_account=False, policy=policy, now=T0
    )
    assert isinstance(refused, Refused)
    assert refused.codes == ("registration.provider_not_accepted",)
    assert "customer service" in refused.decision.messages("en")[0]
    assert "kundtjänst" in refused.decision.messages("sv")[0]


def test_an_unlisted_method_is_refused() -> None:
    policy = RegistrationPolicy(accepted_methods={"bank"})
    reg = ok(accept_terms(started(policy), terms_version="1", policy=policy, now=T0))
    refused = identify(
        reg,
        assertion(method=AuthMethod.MOBILE_CERTIFICATE),
        has_account=False,
        policy=policy,
        now=T0,
    )
    assert isinstance(refused, Refused)
    assert refused.codes == ("registration.method_not_accepted",)


def test_a_stale_or_weak_assertion_is_refused_with_the_assertion_codes() -> None:
    reg = ok(accept_terms(started(), terms_version="1", policy=POLICY, now=T0))
    stale = identify(
        reg, assertion(at=T0 - timedelta(minutes=6)), has_account=False, policy=POLICY, now=T0
    )
    assert isinstance(stale, Refused)
    assert stale.codes == ("assertion.expired",)
    weak = attrs.evolve(assertion(), level=LevelOfAssurance.LOW)
    low = identify(reg, weak, has_account=False, policy=POLICY, now=T0)
    assert isinstance(low, Refused)
    assert low.codes == ("assertion.level_too_low",)


def test_a_work_account_cannot_register() -> None:
    reg = ok(accept_terms(started(), terms_version="1", policy=POLICY, now=T0))
    work = assertion(None, method=AuthMethod.WORK_ACCOUNT)
    refused = identify(reg, work, has_account=False, policy=POLICY, now=T0)
    assert isinstance(refused, Refused)
    assert "registration.national_id_missing" in refused.codes


def test_a_person_with_an_account_is_refused() -> None:
    reg = ok(accept_terms(started(), terms_version="1", policy=POLICY, now=T0))
    refused = identify(reg, assertion(), has_account=True, policy=POLICY, now=T0)
    assert isinstance(refused, Refused)
    assert refused.codes == ("registration.national_id_has_account",)


# -- customers -----------------------------------------------------------------


def test_customers_are_matched_and_the_profile_prefilled() -> None:
    reg = matched()
    assert [(c.customer_number, c.kind) for c in reg.customers] == [("100234", "electricity")]
    assert reg.advisories == ()
    assert reg.prefill == ProfileDraft(
        given_names="Anna",
        surname="Virtanen",
        email="anna.virtanen@example.fi",
        phone="040 123 4567",
        street="Mannerheimintie 1",
        postal_code="00100",
        city="Helsinki",
        language="sv",
    )


def test_with_two_names_on_the_invoice_only_the_person_on_file_is_matched() -> None:
    shared = CustomerRecord(
        customer_number="555",
        kind="broadband_tv",
        national_ids_on_file=(PEKKA,),
        names_on_invoice=("Pekka Virtanen", "Anna Virtanen"),
    )
    # A directory that (wrongly) returns records by invoice name still cannot link Anna.
    reg = ok(match_customers(identified(), [shared, RECORD], policy=POLICY, now=T0))
    assert [c.customer_number for c in reg.customers] == ["100234"]


def test_contract_data_without_an_identity_code_matches_nobody() -> None:
    no_code = CustomerRecord(customer_number="777", kind="district_heating")
    reg = ok(match_customers(identified(), [no_code], policy=POLICY, now=T0))
    assert reg.customers == ()
    assert [v.code for v in reg.advisories] == ["registration.no_customer_found"]


def test_no_customer_found_still_registers_with_advice() -> None:
    reg = ok(match_customers(identified(), [], policy=POLICY, now=T0))
    assert reg.advisories[0].message("fi").endswith("Ota yhteyttä asiakaspalveluun.")
    # The names come from the identification when there is no record.
    assert reg.prefill is not None
    assert (reg.prefill.given_names, reg.prefill.email) == ("Anna Maria", "")


def test_policy_can_require_a_customer_match() -> None:
    policy = RegistrationPolicy(require_customer_match=True)
    refused = match_customers(identified(policy), [], policy=policy, now=T0)
    assert isinstance(refused, Refused)
    assert refused.codes == ("registration.customer_match_required",)


def test_duplicate_records_are_linked_once() -> None:
    reg = ok(match_customers(identified(), [RECORD, RECORD], policy=POLICY, now=T0))
    assert len(reg.customers) == 1


# -- profile and credentials -----------------------------------------------------


def test_profile_requires_the_marked_fields() -> None:
    refused = confirm_profile(
        matched(), ProfileDraft(email="x@example.fi"), email_in_use=False, policy=POLICY, now=T0
    )
    assert isinstance(refused, Refused)
    assert refused.codes == ("profile.field_required", "profile.field_required")
    assert {v.params["field"] for v in refused.decision.violations} == {"given_names", "surname"}


def test_email_in_use_is_only_said_with_the_opt_in() -> None:
    reg = matched()
    assert reg.prefill is not None
    quiet = confirm_profile(reg, reg.prefill, email_in_use=True, policy=POLICY, now=T0)
    assert isinstance(quiet, Done)
    reveal = RegistrationPolicy(reveal_email_in_use=True)
    told = confirm_profile(reg, reg.prefill, email_in_use=True, policy=reveal, now=T0)
    assert isinstance(told, Refused)
    assert told.codes == ("registration.email_in_use",)


def test_password_is_checked_against_the_names_and_email() -> None:
    refused = set_credentials(profiled(), "Virtanen2026x", hasher=HASHER, policy=POLICY, now=T0)
    assert isinstance(refused, Refused)
    assert "password.contains_personal" in refused.codes


def test_password_must_be_typed_twice_the_same() -> None:
    refused = set_credentials(
        profiled(), PASSWORD, repeated=PASSWORD + "x", hasher=HASHER, policy=POLICY, now=T0
    )
    assert isinstance(refused, Refused)
    assert refused.codes == ("registration.passwords_differ",)


def test_only_the_hash_of_the_password_is_kept() -> None:
    reg = credentialed()
    assert reg.password_hash is not None
    assert PASSWORD not in reg.password_hash
    assert PASSWORD not in repr(reg)
    assert "password_hash" not in repr(reg)


def test_editing_the_profile_again_requires_a_new_password() -> None:
    reg = credentialed()
    assert reg.profile is not None
    again = ok(
        confirm_profile(reg, reg.profile.to_draft(), email_in_use=False, policy=POLICY, now=T0)
    )
    assert again.state is RegistrationState.PROFILE_CONFIRMED
    assert again.password_hash is None


# -- completion -------------------------------------------------------------------


def test_completion_needs_the_token_sent_to_the_address() -> None:
    refused = complete(confirmed(), token="wrong")
    assert isinstance(refused, Refused)
    assert refused.codes == ("registration.email_token_invalid",)


def test_completion_refuses_a_taken_email_or_an_existing_account() -> None:
    refused = complete(confirmed(), email_in_use=True, has_account=True)
    assert isinstance(refused, Refused)
    assert refused.codes == ("registration.email_in_use", "registration.national_id_has_account")


def test_completion_produces_the_account_and_events() -> None:
    outcome = complete(confirmed())
    assert isinstance(outcome, Done)
    done = outcome.value
    completed, linked = outcome.events
    assert isinstance(completed, RegistrationCompleted)
    assert completed.account_id == "acc-1"
    assert completed.email == "anna.virtanen@example.fi"
    assert completed.customer_numbers == ("100234",)
    assert isinstance(linked, CustomerRelationshipLinked)
    assert (linked.customer_number, linked.kind, linked.account_id) == (
        "100234",
        "electricity",
        "acc-1",
    )
    assert done.account.language is Language.SV
    assert done.registration.password_hash is None
    assert done.registration.account_id == "acc-1"


def test_national_id_is_masked_in_every_repr() -> None:
    done = ok(complete(confirmed()))
    for value in (done.registration, done.account, done):
        assert ANNA.compact not in repr(value)


@given(st.sampled_from(list(RegistrationState)), st.integers(0, 120))
def test_no_transition_raises_whatever_the_state_and_time(
    state: RegistrationState, minutes: int
) -> None:
    reg = attrs.evolve(confirmed(), state=state)
    now = T0 + timedelta(minutes=minutes)
    outcomes = [
        accept_terms(reg, terms_version="1", policy=POLICY, now=now),
        identify(reg, assertion(at=now), has_account=False, policy=POLICY, now=now),
        match_customers(reg, [RECORD], policy=POLICY, now=now),
        confirm_registration(reg, token_digest="d", policy=POLICY, now=now),
        complete(reg, now=now),
        abandon_registration(reg, now=now),
    ]
    for outcome in outcomes:
        assert isinstance(outcome, Done | Refused)
        if isinstance(outcome, Done) and isinstance(outcome.value, Registration):
            assert outcome.value.version == reg.version + 1
