"""No enumeration: registration, login, invitation acceptance and e-mail change answer the
same whether or not an e-mail address or identity code is known (opt-ins aside).

Each test runs the same calls in two worlds that differ only in whether someone holds
the address (or the code), and compares the answers the caller sees.
"""

from __future__ import annotations

import attrs
import pytest
from privacy_services import (
    ANNA,
    PASSWORD,
    PEKKA,
    REL,
    Services,
    make_holder,
    make_services,
    ok,
    register,
    register_until_confirmed,
)

from selfcare.authz.invitation_policy import InvitationPolicy
from selfcare.authz.model import USER
from selfcare.core.ids import AccountId
from selfcare.core.outcome import Done, Refused
from selfcare.identity.ids import LoginSource
from selfcare.identity.registration import RegistrationPolicy
from selfcare.testing.contracts.identity import example_hetu

SOURCE = LoginSource("192.0.2.1")

TAKEN = "taken@example.fi"
STRANGER = example_hetu(400)


def test_registration_answers_the_same_whether_or_not_the_address_is_a_username() -> None:
    known, unknown = make_services(), make_services()
    register(known, PEKKA, TAKEN)
    # Keep the id sequences of both worlds in step.
    register(unknown, PEKKA, "someone.else@example.fi")
    a = ok(register_until_confirmed(known, ANNA, TAKEN))
    b = ok(register_until_confirmed(unknown, ANNA, TAKEN))
    # Equal in everything but the salt of the password hash (random in both).
    assert attrs.evolve(a, password_hash=None) == attrs.evolve(b, password_hash=None)
    # The registrant gets no token in either world unless the mailbox is theirs.
    assert known.notifier.last().template == "registration.email_in_use_notice"
    assert known.notifier.last().recipient == TAKEN
    assert unknown.notifier.last().template == "registration.verify_email"


def test_registration_reveals_the_address_only_with_the_opt_in() -> None:
    services = make_services(policy=RegistrationPolicy(reveal_email_in_use=True))
    register(services, PEKKA, TAKEN)
    with pytest.raises(AssertionError, match=r"registration\.email_in_use"):
        register_until_confirmed(services, ANNA, TAKEN)


def test_the_typed_identity_code_is_not_looked_up_before_strong_identification() -> None:
    known, unknown = make_services(), make_services()
    register(known, PEKKA, TAKEN)
    register(unknown, ANNA, TAKEN)
    answers = []
    for services in (known, unknown):
        reg = ok(services.identity.start_registration(language="fi"))
        answers.append(services.identity.accept_terms(reg.id, terms_version="1", national_id=PEKKA))
    # Both worlds answer with equal registrations (ids and times in step).
    assert isinstance(answers[0], Done)
    assert answers[0] == answers[1]


@pytest.mark.parametrize(
    "username",
    ["nobody@example.fi", "Nobody@Example.FI", "131052-308T", "131052308T", "not an address"],
)
def test_login_answers_the_same_for_a_wrong_password_an_unknown_address_and_a_code(
    username: str,
) -> None:
    services = make_services()
    register(services, ANNA, TAKEN)
    wrong = services.identity.login(TAKEN, PASSWORD + "x", source=SOURCE)
    other = services.identity.login(username, PASSWORD, source=SOURCE)
    assert isinstance(wrong, Refused)
    # The same answer; only the integrator's events tell a counted failure apart.
    assert wrong.decision == other.decision
    assert other.codes == ("login.invalid_credentials",)


def test_the_identity_code_is_never_a_username() -> None:
    services = make_services()
    account = register(services, ANNA, TAKEN).account
    for text in (ANNA.compact, ANNA.compact.lower(), ANNA.compact.replace("-", "")):
        answer = services.identity.login(text, PASSWORD, source=SOURCE)
        assert isinstance(answer, Refused)
        assert answer.codes == ("login.invalid_credentials",)
    assert ok(services.identity.login(TAKEN, PASSWORD, source=SOURCE)).id == account.id


def test_email_change_answers_the_same_whether_or_not_the_address_is_taken() -> None:
    known, unknown = make_services(), make_services()
    register(known, PEKKA, TAKEN)
    register(unknown, PEKKA, "someone.else@example.fi")
    mover_known = register(known, ANNA, "anna@example.fi").account
    mover_unknown = register(unknown, ANNA, "anna@example.fi").account
    assert attrs.evolve(mover_known, password_hash="") == attrs.evolve(
        mover_unknown, password_hash=""
    )
    a = ok(known.identity.change_email(mover_known.id, TAKEN))
    b = ok(unknown.identity.change_email(mover_unknown.id, TAKEN))
    # Equal but for the digest of the (different) token sent.
    assert a.pending_email is not None
    assert b.pending_email is not None
    assert a.pending_email.email == b.pending_email.email
    assert (a.version, a.profile) == (b.version, b.profile)


def test_email_change_reveals_the_address_only_with_the_opt_in() -> None:
    services = make_services(policy=RegistrationPolicy(reveal_email_in_use=True))
    register(services, PEKKA, TAKEN)
    mover = register(services, ANNA, "anna@example.fi").account
    answer = services.identity.change_email(mover.id, TAKEN)
    assert isinstance(answer, Refused)
    assert answer.codes == ("account.email_in_use",)


def _invite(services: Services, email: str) -> str:
    issued = services.authz.invite(
        REL,
        email,
        first_name="Pekka",
        last_name="Virtanen",
        message="Welcome to the cottage contract.",
        roles={USER},
        inviter=AccountId("id-2"),
    ).unwrap()
    return issued.token


def test_inviting_a_registered_or_an_unknown_address_looks_the_same() -> None:
    known, unknown = make_services(), make_services()
    register(known, ANNA, "anna@example.fi")
    register(unknown, ANNA, "anna@example.fi")
    register(known, PEKKA, TAKEN)
    register(unknown, PEKKA, "someone.else@example.fi")
    for services in (known, unknown):
        make_holder(services, "id-2")
    a = known.authz.invite(
        REL,
        TAKEN,
        first_name="P",
        last_name="V",
        message="Hi.",
        roles={USER},
        inviter=AccountId("id-2"),
    )
    b = unknown.authz.invite(
        REL,
        TAKEN,
        first_name="P",
        last_name="V",
        message="Hi.",
        roles={USER},
        inviter=AccountId("id-2"),
    )
    assert (a.unwrap().invitation, a.events) == (b.unwrap().invitation, b.events)
    # Without the opt-in no name is proposed, registered or not.
    assert known.authz.propose_invitee_name(REL, TAKEN, caller=AccountId("id-2")) == Done(None)
    assert unknown.authz.propose_invitee_name(REL, TAKEN, caller=AccountId("id-2")) == Done(None)


def test_the_name_is_proposed_only_with_the_opt_in() -> None:
    services = make_services(invitations=InvitationPolicy(propose_registered_names=True))
    register(services, ANNA, "anna@example.fi")
    register(services, PEKKA, TAKEN)
    make_holder(services, "id-2")
    proposed = services.authz.propose_invitee_name(REL, TAKEN, caller=AccountId("id-2")).unwrap()
    assert proposed is not None
    assert proposed.account == "id-4"


@pytest.mark.parametrize("token", ["", "x" * 600, "no-such-token-0123456789abcdef", "résumé"])
def test_acceptance_answers_an_unknown_token_like_a_dead_one(token: str) -> None:
    services = make_services()
    register(services, ANNA, "anna@example.fi")
    invitee = register(services, PEKKA, TAKEN).account
    make_holder(services, "id-2")
    dead = _invite(services, TAKEN)
    services.authz.resend_invitation(
        services.authz.pending_invitations_of(AccountId(invitee.id)).unwrap()[0].id,
        by=AccountId("id-2"),
    ).unwrap()
    answers = []
    for attempt in (dead, token):
        refused = services.authz.accept(attempt, AccountId(invitee.id))
        assert isinstance(refused, Refused)
        answers.append(refused.decision.violations)
    assert answers[0] == answers[1]
    assert [v.code for v in answers[0]] == ["invitation.invalid_token"]


def test_acceptance_by_someone_with_another_address_says_nothing_about_who_is_invited() -> None:
    services = make_services()
    register(services, ANNA, "anna@example.fi")
    invitee = register(services, PEKKA, TAKEN).account
    stranger = register(services, STRANGER, "stranger@example.fi").account
    make_holder(services, "id-2")
    token = _invite(services, TAKEN)
    refused = services.authz.accept(token, AccountId(stranger.id))
    assert isinstance(refused, Refused)
    assert refused.codes == ("invitation.email_mismatch",)
    assert TAKEN not in str(refused)
    assert all(TAKEN not in m for m in (v.message("en") for v in refused.decision.violations))
    assert ok_accept(services, token, invitee.id)


def ok_accept(services: Services, token: str, account: str) -> bool:
    return services.authz.accept(token, AccountId(account)).unwrap().newly_accepted
