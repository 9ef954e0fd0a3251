"""The authz use cases on the in-memory adapters, including racing threads."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import pytest

from selfcare import ConcurrencyConflict, FixedClock, SelfcareError
from selfcare.adapters.memory import MemoryDatabase
from selfcare.adapters.memory.authz import MemoryAccountDirectory, MemoryAuthzUnitOfWork
from selfcare.authz import (
    HOLDER,
    ORDER_SERVICES,
    ORDERER,
    USER,
    VIEW_INVOICES,
    AuthzAction,
    AuthzService,
    CustomerRelationship,
    InvitationId,
    InvitationPolicy,
    InvitationStatus,
    RelationshipKind,
    accept_invitation,
)
from selfcare.core.ids import (
    AccountId,
    CustomerNumber,
    RelationshipId,
    SequentialIds,
    SystemSecrets,
)
from selfcare.identity.contact import EmailAddress
from selfcare.identity.customer_records import CustomerRecord
from selfcare.identity.national_id import Country, NationalId, parse_national_id

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


def make_service(
    policy: InvitationPolicy | None = None,
) -> tuple[AuthzService, MemoryAuthzUnitOfWork, FixedClock, MemoryAccountDirectory]:
    uow = MemoryAuthzUnitOfWork(MemoryDatabase())
    accounts = MemoryAccountDirectory()
    accounts.register(ANNA, "anna@example.fi", first_name="Anna", last_name="Virtanen")
    accounts.register(PEKKA, "Pekka.Virtanen@example.fi", first_name="Pekka", last_name="Virtanen")
    accounts.register(LIISA, "liisa@example.fi", verified=False)
    clock = FixedClock(NOW)
    service = AuthzService(
        uow,
        accounts=accounts,
        clock=clock,
        ids=SequentialIds("id"),
        secrets=SystemSecrets(),
        policy=policy,
    )
    return service, uow, clock, accounts


CUSTOMERS = Customers(
    [
        record("100234", "electricity", ANNA_ID),
        record("100235", "District Heating", ANNA_ID),
        # Pekka's name is on this invoice too, but only Anna's code is on file (seed 000).
        record("100236", "broadband_tv", ANNA_ID),
    ]
)


def anna_with_contracts(
    policy: InvitationPolicy | None = None,
) -> tuple[AuthzService, MemoryAuthzUnitOfWork, FixedClock, RelationshipId]:
    service, uow, clock, _ = make_service(policy)
    service.link_customer_relationships(ANNA, ANNA_ID, CUSTOMERS)
    with uow:
        rel = uow.relationships.get_by_customer_number(CustomerNumber("100234"))
    assert rel is not None
    return service, uow, clock, rel.id


def test_fetching_other_contracts_links_holder_grants_idempotently() -> None:
    service, uow, clock, _ = make_service()
    events = service.link_customer_relationships(ANNA, ANNA_ID, CUSTOMERS)
    assert [e.action for e in events] == [AuthzAction.RELATIONSHIP_LINKED] * 3
    assert all(e.actor == ANNA and e.roles == {HOLDER} and e.at == NOW for e in events)
    with uow:
        heating = uow.relationships.get_by_customer_number(CustomerNumber("100235"))
    assert heating is not None
    assert heating.kind == RelationshipKind.DISTRICT_HEATING
    assert len(service.relationships_of(ANNA)) == 3
    # Running it again links nothing new.
    clock.advance(timedelta(days=1))
    assert service.link_customer_relationships(ANNA, ANNA_ID, CUSTOMERS) == ()
    with uow:
        assert len(uow.grants.for_user(ANNA)) == 3
    # A new contract (a newly bought property) is linked on the next run.
    bought = Customers([*CUSTOMERS.records, record("200001", "electricity", ANNA_ID)])
    again = service.link_customer_relationships(ANNA, ANNA_ID, bought)
    assert len(again) == 1
    # Pekka's code is on none of the records: nothing is linked for him.
    assert service.link_customer_relationships(PEKKA, PEKKA_ID, CUSTOMERS) == ()


def test_an_existing_relationship_is_reused_for_a_second_holder() -> None:
    service, _, _, rel = anna_with_contracts()
    shared = Customers([record("100234", "electricity", ANNA_ID, PEKKA_ID)])
    events = service.link_customer_relationships(PEKKA, PEKKA_ID, shared)
    assert [e.relationship_id for e in events] == [rel]
    assert service.check(PEKKA, ORDER_SERVICES, rel).allowed


def test_the_spouse_flow_from_invitation_to_removal() -> None:
    service, _, clock, rel = anna_with_contracts()
    issued = service.invite(
        rel,
        "pekka.virtanen@EXAMPLE.fi",
        first_name="Pekka",
        last_name="Virtanen",
        message="Hei, tässä sähkösopimus.",
        roles=[USER, ORDERER],
        inviter=ANNA,
    )
    assert [e.action for e in issued.events] == [AuthzAction.INVITATION_CREATED]
    assert issued.token not in repr(issued)
    assert [i.id for i in service.pending_invitations_for(PEKKA)] == [issued.invitation.id]
    assert service.pending_invitations_for(LIISA) == ()
    assert service.check(PEKKA, VIEW_INVOICES, rel).codes == ("authz.no_grant",)
    clock.advance(timedelta(days=2))
    _, events = service.accept(issued.token, PEKKA)
    assert [e.action for e in events] == [
        AuthzAction.INVITATION_ACCEPTED,
        AuthzAction.GRANT_CREATED,
        AuthzAction.GRANT_CREATED,
    ]
    assert service.check(PEKKA, ORDER_SERVICES, rel).allowed
    # Accepting again (a double click) changes nothing.
    again, none = service.accept(issued.token, PEKKA)
    assert (again.grants, none) == ((), ())
    # Removing: phase 1 chooses roles, phase 2 confirms.
    request = service.remove_roles(PEKKA, rel, [ORDERER], by=ANNA)
    assert service.check(PEKKA, ORDER_SERVICES, rel).allowed
    removed = service.confirm_removal(request, by=ANNA)
    assert [(e.action, e.user, e.roles) for e in removed] == [
        (AuthzAction.GRANT_REVOKED, PEKKA, {ORDERER})
    ]
    assert service.check(PEKKA, ORDER_SERVICES, rel).codes == (
        "authz.grant_revoked",
        "authz.role_lacks_permission",
    )
    assert service.check(PEKKA, VIEW_INVOICES, rel).allowed
    # Confirming the same request twice fails: its grants have changed.
    with pytest.raises(SelfcareError) as caught:
        service.confirm_removal(request, by=ANNA)
    assert caught.value.codes == ("authz.removal_outdated",)
    with pytest.raises(SelfcareError) as caught:
        service.remove_roles(ANNA, rel, [HOLDER], by=ANNA)
    assert caught.value.codes == ("authz.last_holder",)


def test_invite_needs_a_known_relationship_and_refuses_a_second_pending_one() -> None:
    service, _, _, rel = anna_with_contracts()
    with pytest.raises(SelfcareError) as caught:
        service.invite(
            RelationshipId("nope"),
            "a@example.fi",
            first_name="A",
            last_name="B",
            message="m",
            roles=[USER],
            inviter=ANNA,
        )
    assert caught.value.codes == ("authz.unknown_relationship",)
    args = {"first_name": "P", "last_name": "V", "message": "m", "roles": [USER], "inviter": ANNA}
    service.invite(rel, "p@example.fi", **args)  # type: ignore[arg-type]
    with pytest.raises(SelfcareError) as caught:
        service.invite(rel, "P@example.fi", **args)  # type: ignore[arg-type]
    assert caught.value.codes == ("invitation.already_pending",)


def test_decline_revoke_and_resend_through_the_service() -> None:
    service, _, _, rel = anna_with_contracts()
    args = {"first_name": "P", "last_name": "V", "message": "m", "roles": [USER], "inviter": ANNA}
    first = service.invite(rel, "pekka.virtanen@example.fi", **args)  # type: ignore[arg-type]
    (declined,) = service.decline(first.token, PEKKA)
    assert declined.action is AuthzAction.INVITATION_DECLINED
    second = service.invite(rel, "pekka.virtanen@example.fi", **args)  # type: ignore[arg-type]
    resent = service.resend_invitation(second.invitation.id, by=ANNA)
    assert resent.events[0].action is AuthzAction.INVITATION_RESENT
    with pytest.raises(SelfcareError) as caught:
        service.accept(second.token, PEKKA)
    assert caught.value.codes == ("invitation.invalid_token",)
    (revoked,) = service.revoke_invitation(second.invitation.id, by=ANNA)
    assert revoked.action is AuthzAction.INVITATION_REVOKED
    with pytest.raises(SelfcareError) as caught:
        service.accept(resent.token, PEKKA)
    assert caught.value.codes == ("invitation.not_pending",)
    with pytest.raises(SelfcareError) as caught:
        service.revoke_invitation(second.invitation.id, by=ANNA)
    assert caught.value.codes == ("invitation.not_pending",)
    with pytest.raises(SelfcareError) as caught:
        service.resend_invitation(InvitationId("missing"), by=ANNA)
    assert caught.value.codes == ("invitation.not_found",)
    for token in ("", "x" * 600):
        with pytest.raises(SelfcareError) as caught:
            service.decline(token)
        assert caught.value.codes == ("invitation.invalid_token",)


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
    )
    with pytest.raises(SelfcareError) as caught:
        service.accept(issued.token, LIISA)
    assert caught.value.codes == ("invitation.email_not_verified",)


def test_the_invitee_name_is_proposed_only_behind_the_opt_in() -> None:
    service, _, _, rel = anna_with_contracts()
    assert service.propose_invitee_name(rel, "pekka.virtanen@example.fi", caller=ANNA) is None
    service, _, _, rel = anna_with_contracts(InvitationPolicy(propose_registered_names=True))
    proposed = service.propose_invitee_name(rel, "PEKKA.VIRTANEN@example.fi", caller=ANNA)
    assert proposed is not None
    assert (proposed.first_name, proposed.last_name) == ("Pekka", "Virtanen")
    assert service.propose_invitee_name(rel, "nobody@example.fi", caller=ANNA) is None
    assert service.propose_invitee_name(rel, "not an address", caller=ANNA) is None
    with pytest.raises(SelfcareError) as caught:
        service.propose_invitee_name(rel, "pekka.virtanen@example.fi", caller=PEKKA)
    assert caught.value.codes == ("authz.cannot_manage_users",)


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
    )
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def accept() -> None:
        barrier.wait()
        try:
            results["accept"] = service.accept(issued.token, PEKKA)
        except SelfcareError as error:
            results["accept"] = error

    def revoke() -> None:
        barrier.wait()
        try:
            results["revoke"] = service.revoke_invitation(issued.invitation.id, by=ANNA)
        except SelfcareError as error:
            results["revoke"] = error

    threads = [threading.Thread(target=accept), threading.Thread(target=revoke)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [name for name, value in results.items() if not isinstance(value, SelfcareError)]
    assert len(winners) == 1, results
    with uow:
        stored = uow.invitations.get(issued.invitation.id)
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
    )
    stale = issued.invitation
    service.revoke_invitation(stale.id, by=ANNA)
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
    )
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
        assert uow.relationships.get(RelationshipId("r")) is not None


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
    )
    (listed,) = service.pending_invitations_for(PEKKA)
    _, events = service.accept_listed(listed.id, PEKKA)
    assert [e.action for e in events] == [
        AuthzAction.INVITATION_ACCEPTED,
        AuthzAction.GRANT_CREATED,
    ]
    assert service.accept_listed(listed.id, PEKKA) == (service.accept(issued.token, PEKKA)[0], ())
    assert service.pending_invitations_for(PEKKA) == ()
    with pytest.raises(SelfcareError) as caught:
        service.accept_listed(InvitationId("nope"), PEKKA)
    assert caught.value.codes == ("invitation.not_found",)


def test_a_registered_invitee_declines_under_process_without_the_link() -> None:
    service, _, _, rel = anna_with_contracts()
    args = {"first_name": "P", "last_name": "V", "message": "m", "roles": [USER], "inviter": ANNA}
    service.invite(rel, "liisa@example.fi", **args)  # type: ignore[arg-type]
    issued = service.invite(rel, "pekka.virtanen@example.fi", **args)  # type: ignore[arg-type]
    (listed,) = service.pending_invitations_for(PEKKA)
    with pytest.raises(SelfcareError) as caught:
        service.decline_listed(listed.id, ANNA)
    assert caught.value.codes == ("invitation.email_mismatch",)
    with pytest.raises(SelfcareError) as caught:
        service.decline_listed(listed.id, LIISA)
    assert caught.value.codes == ("invitation.email_not_verified",)
    (event,) = service.decline_listed(listed.id, PEKKA)
    assert (event.action, event.actor) == (AuthzAction.INVITATION_DECLINED, PEKKA)
    with pytest.raises(SelfcareError) as caught:
        service.decline_listed(listed.id, PEKKA)
    assert caught.value.codes == ("invitation.not_pending",)
    with pytest.raises(SelfcareError) as caught:
        service.accept(issued.token, PEKKA)
    assert caught.value.codes == ("invitation.not_pending",)
