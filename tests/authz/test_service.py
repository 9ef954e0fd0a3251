"""The authz use cases on the in-memory adapters, including racing threads."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import pytest

from selfcare import ConcurrencyConflict, Done, Refused
from selfcare.adapters.memory.authz import MemoryAccountDirectory
from selfcare.authz import (
    HOLDER,
    ORDER_SERVICES,
    ORDERER,
    USER,
    VIEW_INVOICES,
    AuthzService,
    AuthzUnitOfWork,
    CustomerRelationship,
    GrantCreated,
    GrantRevoked,
    InvitationAccepted,
    InvitationCreated,
    InvitationDeclined,
    InvitationId,
    InvitationPolicy,
    InvitationResent,
    InvitationRevoked,
    InvitationStatus,
    RelationshipKind,
    RelationshipLinked,
    accept_invitation,
)
from selfcare.bootstrap import Policies, bootstrap, memory_storage
from selfcare.core.ids import AccountId, CustomerNumber, RelationshipId, SystemSecrets
from selfcare.identity.assertion import IdentityAssertion
from selfcare.identity.contact import EmailAddress
from selfcare.identity.customer_records import CustomerRecord
from selfcare.identity.national_id import Country, NationalId, parse_national_id
from selfcare.testing.fakes import SequentialIds, SteppableClock, bank_identification

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ANNA = AccountId("anna")
PEKKA = AccountId("pekka")
LIISA = AccountId("liisa")


TODAY = date(2026, 3, 2)
ANNA_ID = parse_national_id("131052-308T", Country.FI, today=TODAY)
PEKKA_ID = parse_national_id("010101-123N", Country.FI, today=TODAY)


def record(number: str, kind: str, *on_file: NationalId) -> CustomerRecord:
    return CustomerRecord(customer_number=number, kind=kind, national_ids_on_file=on_file)


class Customers:
    """A customer system that also returns records by the name on the invoice."""

    def __init__(self, records: list[CustomerRecord]) -> None:
        self.records = records

    def find_by_national_id(self, national_id: NationalId) -> Sequence[CustomerRecord]:
        assert national_id.country is Country.FI
        return list(self.records)


def contracts() -> Customers:
    return Customers(
        [
            record("100234", "electricity", ANNA_ID),
            record("100235", "District Heating", ANNA_ID),
            # Pekka's name is on this invoice too, but only Anna's code is on file (seed 000).
            record("100236", "broadband_tv", ANNA_ID),
        ]
    )


def identified(national_id: NationalId, clock: SteppableClock) -> IdentityAssertion:
    """A bank identification of ``national_id`` just now."""
    return bank_identification(national_id, at=clock.now())


def make_service(
    policy: InvitationPolicy | None = None, customers: Customers | None = None
) -> tuple[AuthzService, AuthzUnitOfWork, SteppableClock, Customers]:
    accounts = MemoryAccountDirectory()
    accounts.register(
        ANNA, "anna@example.fi", first_name="Anna", last_name="Virtanen", national_id=ANNA_ID
    )
    accounts.register(
        PEKKA,
        "Pekka.Virtanen@example.fi",
        first_name="Pekka",
        last_name="Virtanen",
        national_id=PEKKA_ID,
    )
    accounts.register(LIISA, "liisa@example.fi", verified=False)
    clock = SteppableClock(NOW)
    directory = customers if customers is not None else contracts()
    app = bootstrap(
        memory_storage(),
        clock=clock,
        ids=SequentialIds("id"),
        secrets=SystemSecrets(),
        policies=Policies(invitation=policy or InvitationPolicy()),
        customers=directory,
        accounts=accounts,
    )
    return app.authz, app.storage.authz, clock, directory


def anna_with_contracts(
    policy: InvitationPolicy | None = None, customers: Customers | None = None
) -> tuple[AuthzService, AuthzUnitOfWork, SteppableClock, RelationshipId]:
    service, uow, clock, _ = make_service(policy, customers)
    service.link_customer_relationships(ANNA, bank_identification(ANNA_ID, at=NOW)).unwrap()
    with uow:
        rel = uow.relationships.find_by_customer_number(CustomerNumber("100234"))
    assert rel is not None
    return service, uow, clock, rel.id


def test_fetching_other_contracts_links_holder_grants_idempotently() -> None:
    service, uow, clock, customers = make_service()
    linked = service.link_customer_relationships(ANNA, bank_identification(ANNA_ID, at=NOW))
    assert [type(e) for e in linked.events] == [RelationshipLinked] * 3
    assert all(
        isinstance(e, RelationshipLinked)
        and e.actor == ANNA
        and e.roles == {HOLDER}
        and e.occurred_at == NOW
        for e in linked.events
    )
    assert [g.role for g in linked.unwrap()] == [HOLDER] * 3
    with uow:
        heating = uow.relationships.find_by_customer_number(CustomerNumber("100235"))
    assert heating is not None
    assert heating.kind == RelationshipKind.DISTRICT_HEATING
    assert len(service.relationships_of(ANNA).unwrap()) == 3
    # Running it again links nothing new.
    clock.advance(timedelta(days=1))
    assert service.link_customer_relationships(ANNA, identified(ANNA_ID, clock)) == Done(())
    with uow:
        assert len(uow.grants.for_user(ANNA)) == 3
    # A new contract (a newly bought property) is linked on the next run.
    customers.records.append(record("200001", "electricity", ANNA_ID))
    again = service.link_customer_relationships(ANNA, identified(ANNA_ID, clock))
    assert len(again.events) == 1
    # Pekka's code is on none of the records: nothing is linked for him.
    assert service.link_customer_relationships(PEKKA, identified(PEKKA_ID, clock)) == Done(())


def test_an_existing_relationship_is_reused_for_a_second_holder() -> None:
    shared = Customers([record("100234", "electricity", ANNA_ID, PEKKA_ID)])
    service, _, clock, rel = anna_with_contracts(customers=shared)
    linked = service.link_customer_relationships(PEKKA, identified(PEKKA_ID, clock))
    assert [e.relationship_id for e in linked.events] == [rel]
    assert service.check(PEKKA, ORDER_SERVICES, rel).ok


def test_the_spouse_flow_from_invitation_to_removal() -> None:
    service, _, clock, rel = anna_with_contracts()
    invited = service.invite(
        rel,
        "pekka.virtanen@EXAMPLE.fi",
        first_name="Pekka",
        last_name="Virtanen",
        message="Hei, tässä sähkösopimus.",
        roles=[USER, ORDERER],
        inviter=ANNA,
    )
    assert [type(e) for e in invited.events] == [InvitationCreated]
    issued = invited.unwrap()
    assert issued.token not in repr(invited)
    assert [i.id for i in service.pending_invitations_of(PEKKA).unwrap()] == [issued.invitation.id]
    assert service.pending_invitations_of(LIISA) == Done(())
    assert service.check(PEKKA, VIEW_INVOICES, rel).codes == ("authz.no_grant",)  # type: ignore[union-attr]
    clock.advance(timedelta(days=2))
    accepted = service.accept(issued.token, PEKKA)
    assert [type(e) for e in accepted.events] == [
        InvitationAccepted,
        GrantCreated,
        GrantCreated,
    ]
    assert service.check(PEKKA, ORDER_SERVICES, rel).ok
    # Accepting again (a double click) changes nothing.
    again = service.accept(issued.token, PEKKA)
    assert (again.unwrap().grants, again.events) == ((), ())
    # Removing: phase 1 chooses roles, phase 2 confirms.
    request = service.request_removal(PEKKA, rel, [ORDERER], by=ANNA).unwrap()
    assert service.check(PEKKA, ORDER_SERVICES, rel).ok
    removed = service.confirm_removal(request, by=ANNA)
    assert [(type(e), e.user, e.roles) for e in removed.events] == [  # type: ignore[attr-defined]
        (GrantRevoked, PEKKA, {ORDERER})
    ]
    assert service.check(PEKKA, ORDER_SERVICES, rel).codes == (  # type: ignore[union-attr]
        "authz.grant_revoked",
        "authz.role_lacks_permission",
    )
    assert service.check(PEKKA, VIEW_INVOICES, rel).ok
    # Confirming the same request twice is refused: its grants have changed.
    assert codes(service.confirm_removal(request, by=ANNA)) == ("authz.removal_outdated",)
    assert codes(service.request_removal(ANNA, rel, [HOLDER], by=ANNA)) == ("authz.last_holder",)


def codes(outcome: object) -> tuple[str, ...]:
    """The violation codes of a refusal (a test failure for a success)."""
    assert isinstance(outcome, Refused), outcome
    return outcome.codes


def test_invite_needs_a_known_relationship_and_refuses_a_second_pending_one() -> None:
    service, _, _, rel = anna_with_contracts()
    unknown = service.invite(
        RelationshipId("nope"),
        "a@example.fi",
        first_name="A",
        last_name="B",
        message="m",
        roles=[USER],
        inviter=ANNA,
    )
    assert codes(unknown) == ("authz.unknown_relationship",)
    assert unknown.kind == "not_found"  # type: ignore[union-attr]
    args = {"first_name": "P", "last_name": "V", "message": "m", "roles": [USER], "inviter": ANNA}
    service.invite(rel, "p@example.fi", **args).unwrap()  # type: ignore[arg-type]
    second = service.invite(rel, "P@example.fi", **args)  # type: ignore[arg-type]
    assert codes(second) == ("invitation.already_pending",)


def test_decline_revoke_and_resend_through_the_service() -> None:
    service, _, _, rel = anna_with_contracts()
    args = {"first_name": "P", "last_name": "V", "message": "m", "roles": [USER], "inviter": ANNA}
    first = service.invite(rel, "pekka.virtanen@example.fi", **args).unwrap()  # type: ignore[arg-type]
    declined = service.decline(first.token, PEKKA)
    assert [type(e) for e in declined.events] == [InvitationDeclined]
    second = service.invite(rel, "pekka.virtanen@example.fi", **args).unwrap()  # type: ignore[arg-type]
    resent = service.resend_invitation(second.invitation.id, by=ANNA)
    assert [type(e) for e in resent.events] == [InvitationResent]
    assert codes(service.accept(second.token, PEKKA)) == ("invitation.invalid_token",)
    revoked = service.revoke_invitation(second.invitation.id, by=ANNA)
    assert [type(e) for e in revoked.events] == [InvitationRevoked]
    assert codes(service.accept(resent.unwrap().token, PEKKA)) == ("invitation.not_pending",)
    again = service.revoke_invitation(second.invitation.id, by=ANNA)
    assert codes(again) == ("invitation.not_pending",)
    missing = service.resend_invitation(InvitationId("missing"), by=ANNA)
    assert codes(missing) == ("invitation.not_found",)
    for token in ("", "x" * 600):
        assert codes(service.decline(token, PEKKA)) == ("invitation.invalid_token",)


def test_an_unverified_account_must_verify_before_accepting() -> None:
    service, _, _, rel = anna_with_contracts()
    issued = service.invite(
        rel,
        "liisa@example.fi",
        first_name="Liisa",
        last_name="L",
        message="m",
        roles=[USER],
        inviter=ANNA,
    ).unwrap()
    assert codes(service.accept(issued.token, LIISA)) == ("invitation.email_not_verified",)


def test_the_invitee_name_is_proposed_only_behind_the_opt_in() -> None:
    service, _, _, rel = anna_with_contracts()
    assert service.propose_invitee_name(rel, "pekka.virtanen@example.fi", caller=ANNA) == Done(None)
    service, _, _, rel = anna_with_contracts(InvitationPolicy(propose_registered_names=True))
    proposed = service.propose_invitee_name(rel, "PEKKA.VIRTANEN@example.fi", caller=ANNA)
    found = proposed.unwrap()
    assert found is not None
    assert (found.first_name, found.last_name) == ("Pekka", "Virtanen")
    assert service.propose_invitee_name(rel, "nobody@example.fi", caller=ANNA) == Done(None)
    assert service.propose_invitee_name(rel, "not an address", caller=ANNA) == Done(None)
    refused = service.propose_invitee_name(rel, "pekka.virtanen@example.fi", caller=PEKKA)
    assert codes(refused) == ("authz.cannot_manage_users",)


def _race_once() -> str:
    """Run an accept and a revoke of one invitation at the same moment; the winner."""
    service, uow, _, rel = anna_with_contracts()
    issued = service.invite(
        rel,
        "pekka.virtanen@example.fi",
        first_name="P",
        last_name="V",
        message="m",
        roles=[USER, ORDERER],
        inviter=ANNA,
    ).unwrap()
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def accept() -> None:
        barrier.wait()
        try:
            results["accept"] = service.accept(issued.token, PEKKA)
        except ConcurrencyConflict as error:
            results["accept"] = error

    def revoke() -> None:
        barrier.wait()
        try:
            results["revoke"] = service.revoke_invitation(issued.invitation.id, by=ANNA)
        except ConcurrencyConflict as error:
            results["revoke"] = error

    threads = [threading.Thread(target=accept), threading.Thread(target=revoke)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [name for name, value in results.items() if isinstance(value, Done)]
    assert len(winners) == 1, results
    with uow:
        stored = uow.invitations.find(issued.invitation.id)
        grants = uow.grants.for_relationship(rel)
    assert stored is not None
    assert stored.version == 2
    pekka_grants = [g for g in grants if g.user == PEKKA]
    if winners == ["accept"]:
        assert stored.status is InvitationStatus.ACCEPTED
        assert len(pekka_grants) == 2
    else:
        assert stored.status is InvitationStatus.REVOKED
        assert pekka_grants == []
    return winners[0]


def test_an_accept_racing_a_revoke_lets_exactly_one_win() -> None:
    winners = [_race_once() for _ in range(200)]
    assert len(winners) == 200
    assert set(winners) <= {"accept", "revoke"}


def test_a_save_from_a_stale_read_raises_a_conflict() -> None:
    service, uow, _, rel = anna_with_contracts()
    issued = service.invite(
        rel,
        "pekka.virtanen@example.fi",
        first_name="P",
        last_name="V",
        message="m",
        roles=[USER],
        inviter=ANNA,
    ).unwrap()
    stale = issued.invitation
    service.revoke_invitation(stale.id, by=ANNA).unwrap()
    with uow:
        grants = uow.grants.for_relationship(rel)
    acceptance = accept_invitation(
        stale,
        issued.token,
        PEKKA,
        EmailAddress.parse("pekka.virtanen@example.fi"),
        grants,
        ids=SequentialIds("x"),
        now=NOW,
    ).unwrap()
    with uow, pytest.raises(ConcurrencyConflict):
        uow.invitations.update(acceptance.invitation)


def test_relationships_can_be_added_directly() -> None:
    _, uow, _, _ = make_service()
    with uow:
        uow.relationships.add(
            CustomerRelationship(
                id=RelationshipId("r"), customer_number=CustomerNumber("9"), kind="mobile"
            )
        )
        uow.commit()
    with uow:
        assert uow.relationships.find(RelationshipId("r")) is not None


def test_a_registered_invitee_approves_under_process_without_the_link() -> None:
    service, _, _, rel = anna_with_contracts()
    issued = service.invite(
        rel,
        "pekka.virtanen@example.fi",
        first_name="P",
        last_name="V",
        message="m",
        roles=[USER],
        inviter=ANNA,
    ).unwrap()
    (listed,) = service.pending_invitations_of(PEKKA).unwrap()
    accepted = service.accept_listed(listed.id, PEKKA)
    assert [type(e) for e in accepted.events] == [InvitationAccepted, GrantCreated]
    assert service.accept_listed(listed.id, PEKKA) == Done(
        service.accept(issued.token, PEKKA).unwrap()
    )
    assert service.pending_invitations_of(PEKKA) == Done(())
    assert codes(service.accept_listed(InvitationId("nope"), PEKKA)) == ("invitation.not_found",)


def test_a_registered_invitee_declines_under_process_without_the_link() -> None:
    service, _, _, rel = anna_with_contracts()
    args = {"first_name": "P", "last_name": "V", "message": "m", "roles": [USER], "inviter": ANNA}
    service.invite(rel, "liisa@example.fi", **args).unwrap()  # type: ignore[arg-type]
    issued = service.invite(rel, "pekka.virtanen@example.fi", **args).unwrap()  # type: ignore[arg-type]
    (listed,) = service.pending_invitations_of(PEKKA).unwrap()
    assert codes(service.decline_listed(listed.id, ANNA)) == ("invitation.email_mismatch",)
    assert codes(service.decline_listed(listed.id, LIISA)) == ("invitation.email_not_verified",)
    (event,) = service.decline_listed(listed.id, PEKKA).events
    assert isinstance(event, InvitationDeclined)
    assert event.actor == PEKKA
    assert codes(service.decline_listed(listed.id, PEKKA)) == ("invitation.not_pending",)
    assert codes(service.accept(issued.token, PEKKA)) == ("invitation.not_pending",)
