"""Random walks through the registration state machine keep its laws."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from selfcare.core.ids import AccountId
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.identity.account import token_digest
from selfcare.identity.assertion import AuthMethod, IdentityAssertion, LevelOfAssurance
from selfcare.identity.customer_records import CustomerRecord
from selfcare.identity.hashing import ScryptHasher
from selfcare.identity.ids import RegistrationId
from selfcare.identity.profile import ProfileDraft
from selfcare.identity.registration import Registration, RegistrationPolicy, RegistrationState
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

S = RegistrationState
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
POLICY = RegistrationPolicy()
HASHER = ScryptHasher(n=2**4)
ANNA = example_hetu(308)
RECORD = CustomerRecord(
    customer_number="1",
    kind="mobile",
    national_ids_on_file=(ANNA,),
    contact=ProfileDraft(given_names="Anna", surname="Virtanen", email="anna@example.fi"),
)
DRAFT = ProfileDraft(given_names="Anna", surname="Virtanen", email="anna@example.fi")

# Which state each step may lead to, from which states.
EDGES: dict[str, tuple[frozenset[RegistrationState], RegistrationState]] = {
    "terms": (frozenset({S.STARTED, S.TERMS_ACCEPTED}), S.TERMS_ACCEPTED),
    "identify": (frozenset({S.TERMS_ACCEPTED}), S.IDENTIFIED),
    "match": (frozenset({S.IDENTIFIED, S.CUSTOMERS_MATCHED}), S.CUSTOMERS_MATCHED),
    "profile": (
        frozenset({S.CUSTOMERS_MATCHED, S.PROFILE_CONFIRMED, S.CREDENTIALS_SET}),
        S.PROFILE_CONFIRMED,
    ),
    "credentials": (frozenset({S.PROFILE_CONFIRMED, S.CREDENTIALS_SET}), S.CREDENTIALS_SET),
    "confirm": (frozenset({S.CREDENTIALS_SET}), S.CONFIRMED),
    "complete": (frozenset({S.CONFIRMED}), S.COMPLETED),
    "abandon": (frozenset(S) - {S.COMPLETED, S.ABANDONED}, S.ABANDONED),
}


def apply(step: str, reg: Registration, now: datetime) -> Outcome[Registration]:
    steps: dict[str, Callable[[], Outcome[Registration] | Outcome[CompletedRegistration]]] = {
        "terms": lambda: accept_terms(reg, terms_version="1", policy=POLICY, now=now),
        "identify": lambda: identify(
            reg,
            IdentityAssertion(
                method=AuthMethod.BANK,
                level=LevelOfAssurance.HIGH,
                national_id=ANNA,
                given_names="Anna",
                surname="Virtanen",
                provider="op",
                issued_at=now,
            ),
            has_account=False,
            policy=POLICY,
            now=now,
        ),
        "match": lambda: match_customers(reg, [RECORD], policy=POLICY, now=now),
        "profile": lambda: confirm_profile(reg, DRAFT, email_in_use=False, policy=POLICY, now=now),
        "credentials": lambda: set_credentials(
            reg, "Kuusi7Sorsaa", hasher=HASHER, policy=POLICY, now=now
        ),
        "confirm": lambda: confirm_registration(
            reg, token_digest=token_digest("tok"), policy=POLICY, now=now
        ),
        "complete": lambda: complete_registration(
            reg,
            token="tok",
            account_id=AccountId("a"),
            email_in_use=False,
            has_account=False,
            now=now,
        ),
        "abandon": lambda: abandon_registration(reg, now=now),
    }
    match steps[step]():
        case Done(value=CompletedRegistration() as completed, events=events):
            return Done(completed.registration, events)
        case Done(value=Registration() as moved, events=events):
            return Done(moved, events)
        case Refused() as refused:
            return refused
    raise AssertionError(step)  # pragma: no cover


FORWARD = ["terms", "identify", "match", "profile", "credentials", "confirm", "complete"]
STEP = st.tuples(st.sampled_from(sorted(EDGES)), st.integers(0, 40))


@st.composite
def mostly_forward(draw: st.DrawFn) -> list[tuple[str, int]]:
    """The journey in order, with random detours and pauses inserted."""
    walk: list[tuple[str, int]] = []
    for step in FORWARD:
        walk.extend(draw(st.lists(STEP, max_size=2)))
        walk.append((step, draw(st.sampled_from([0, 1, 5, 29, 31]))))
    return walk


@given(walk=st.lists(STEP, min_size=1, max_size=25) | mostly_forward())
def test_every_walk_follows_the_edges_and_bumps_the_version(
    walk: list[tuple[str, int]],
) -> None:
    reg = start_registration(registration_id=RegistrationId("r"), policy=POLICY, now=T0).unwrap()
    now = T0
    for step, minutes in walk:
        now += timedelta(minutes=minutes)
        sources, target = EDGES[step]
        result = apply(step, reg, now)
        open_and_fresh = reg.state not in {S.COMPLETED, S.ABANDONED} and now < reg.expires_at
        allowed = reg.state in sources and (open_and_fresh or step == "abandon")
        if isinstance(result, Done):
            assert allowed, (step, reg.state)
            assert result.value.state is target
            assert result.value.version == reg.version + 1
            assert result.value.updated_at == now
            assert result.events
            reg = result.value
        else:
            assert result.codes, result
            if not allowed:
                assert set(result.codes) <= {
                    "registration.step_out_of_order",
                    "registration.not_in_progress",
                    "registration.expired",
                }
    # Secrets never outlive the journey.
    if reg.state in {S.COMPLETED, S.ABANDONED}:
        assert reg.password_hash is None
        assert reg.email_token_digest is None
