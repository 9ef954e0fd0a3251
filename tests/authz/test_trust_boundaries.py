"""What a client or a caller hands in is re-derived or verified before it changes anything.

Each test reproduces one finding of issue 15 (an adversarial review) and fails on the
code from before the fix.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest

from selfcare import Refused, SelfcareError
from selfcare.adapters.memory.authz import MemoryAccountDirectory
from selfcare.authz import (
    HOLDER,
    ORDERER,
    USER,
    USER_ADMIN,
    AuthzService,
    AuthzUnitOfWork,
    RemovalRequest,
)
from selfcare.authz.accounts import IdentityAccountDirectory
from selfcare.bootstrap import bootstrap, memory_storage, sqlite_storage
from selfcare.core.ids import AccountId, CustomerNumber, RelationshipId, SystemSecrets
from selfcare.identity import IdentityService
from selfcare.identity.contact import EmailAddress
from selfcare.identity.customer_records import CustomerRecord
from selfcare.identity.national_id import Country, NationalId, parse_national_id
from selfcare.serialization import structure, unstructure
from selfcare.testing.contracts.identity import example_account
from selfcare.testing.fakes import SequentialIds, SteppableClock, bank_identification

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ANNA, PEKKA, LIISA = AccountId("anna"), AccountId("pekka"), AccountId("liisa")
ANNA_ID = parse_national_id("131052-308T", Country.FI, today=date(2026, 3, 2))
PEKKA_ID = parse_national_id("010101-123N", Country.FI, today=date(2026, 3, 2))


class Customers:
    def __init__(self, records: list[CustomerRecord]) -> None:
        self.records = records

    def find_by_national_id(self, national_id: NationalId) -> Sequence[CustomerRecord]:
        return [r for r in self.records if r.is_on_file(national_id)]


@attrs.define
class World:
    authz: AuthzService
    uow: AuthzUnitOfWork
    accounts: MemoryAccountDirectory
    clock: SteppableClock
    rel: RelationshipId


def a_house() -> World:
    """Anna holds the contract; Liisa is its user admin; Pekka a plain user."""
    accounts = MemoryAccountDirectory()
    accounts.register(ANNA, "anna@example.fi", national_id=ANNA_ID)
    accounts.register(PEKKA, "pekka@example.fi", national_id=PEKKA_ID)
    accounts.register(LIISA, "liisa@example.fi")
    clock = SteppableClock(NOW)
    app = bootstrap(
        memory_storage(),
        clock=clock,
        ids=SequentialIds("id"),
        secrets=SystemSecrets(),
        customers=Customers(
            [
                CustomerRecord(
                    customer_number="100234", kind="electricity", national_ids_on_file=(ANNA_ID,)
                )
            ]
        ),
        accounts=accounts,
    )
    service, uow = app.authz, app.storage.authz
    service.link_customer_relationships(ANNA, bank_identification(ANNA_ID, at=NOW)).unwrap()
    with uow:
        found = uow.relationships.find_by_customer_number(CustomerNumber("100234"))
    assert found is not None
    for who, roles in ((LIISA, [USER_ADMIN]), (PEKKA, [USER, ORDERER])):
        issued = service.invite(
            found.id,
            f"{who}@example.fi",
            first_name=who.title(),
            last_name="V",
            message="Hei",
            roles=roles,
            inviter=ANNA,
        ).unwrap()
        service.accept(issued.token, who).unwrap()
    return World(service, uow, accounts, clock, found.id)


def _round_trip(request: RemovalRequest, **changes: Any) -> RemovalRequest:
    """What comes back from the client: serialized, perhaps edited, read back."""
    data = unstructure(request)
    data.update(changes)
    return structure(data, RemovalRequest)


def _active_grants(world: World) -> list[tuple[str, str]]:
    with world.uow:
        grants = world.uow.grants.for_relationship(world.rel)
    return sorted((g.user, g.role) for g in grants if g.is_active(world.clock.now()))


def test_a_removal_request_listing_every_grant_revokes_nothing() -> None:
    world = a_house()
    before = _active_grants(world)
    request = world.authz.request_removal(PEKKA, world.rel, [USER], by=PEKKA).unwrap()
    with world.uow:
        everything = world.uow.grants.for_relationship(world.rel)
    tampered = _round_trip(request, grants=[unstructure(g) for g in everything])
    outcome = world.authz.confirm_removal(tampered, by=PEKKA)
    assert isinstance(outcome, Refused)
    assert outcome.codes == ("authz.removal_mismatch",)
    assert _active_grants(world) == before
    # The untampered request still works: Pekka gives up his own role.
    assert world.authz.confirm_removal(_round_trip(request), by=PEKKA).ok
    assert (PEKKA, USER) not in _active_grants(world)
    assert (ANNA, HOLDER) in _active_grants(world)


def test_a_removal_request_with_an_edited_grant_revokes_nothing() -> None:
    world = a_house()
    before = _active_grants(world)
    request = world.authz.request_removal(PEKKA, world.rel, [USER], by=PEKKA).unwrap()
    with world.uow:
        holder = next(g for g in world.uow.grants.for_user(ANNA) if g.role == HOLDER)
    # Anna's holder grant, relabelled as Pekka's user grant.
    disguised = attrs.evolve(holder, user=PEKKA, role=USER)
    tampered = _round_trip(request, grants=[unstructure(disguised)])
    assert world.authz.confirm_removal(tampered, by=PEKKA).codes == (  # type: ignore[union-attr]
        "authz.removal_mismatch",
    )
    assert _active_grants(world) == before


def test_a_removal_request_for_another_user_is_checked_for_the_confirmer() -> None:
    world = a_house()
    before = _active_grants(world)
    request = world.authz.request_removal(PEKKA, world.rel, [USER], by=PEKKA).unwrap()
    with world.uow:
        anna = [g for g in world.uow.grants.for_user(ANNA) if g.relationship_id == world.rel]
    tampered = _round_trip(
        request, user=ANNA, roles=[HOLDER], grants=[unstructure(g) for g in anna]
    )
    assert world.authz.confirm_removal(tampered, by=PEKKA).codes == (  # type: ignore[union-attr]
        "authz.cannot_manage_users",
    )
    assert _active_grants(world) == before


# -- fetching other contracts takes the account's own identity code --------------------


def _holders(world: World) -> list[str]:
    return [user for user, role in _active_grants(world) if role == HOLDER]


def test_another_persons_identity_code_links_nothing() -> None:
    world = a_house()
    # Pekka identifies with Anna's code (a stolen or borrowed identification).
    outcome = world.authz.link_customer_relationships(
        PEKKA, bank_identification(ANNA_ID, at=world.clock.now())
    )
    assert isinstance(outcome, Refused)
    assert outcome.codes == ("assertion.national_id_mismatch",)
    assert _holders(world) == [ANNA]


def test_linking_needs_a_fresh_identification_at_the_registration_level() -> None:
    world = a_house()
    stale = bank_identification(ANNA_ID, at=world.clock.now() - timedelta(hours=1))
    assert world.authz.link_customer_relationships(ANNA, stale).codes == (  # type: ignore[union-attr]
        "assertion.expired",
    )
    weak = attrs.evolve(bank_identification(ANNA_ID, at=world.clock.now()), level="low")
    assert world.authz.link_customer_relationships(ANNA, weak).codes == (  # type: ignore[union-attr]
        "assertion.level_too_low",
    )


def test_an_account_without_an_identity_code_links_nothing() -> None:
    world = a_house()
    outcome = world.authz.link_customer_relationships(
        LIISA, bank_identification(ANNA_ID, at=world.clock.now())
    )
    assert outcome.codes == ("authz.identity_not_on_file",)  # type: ignore[union-attr]
    assert _holders(world) == [ANNA]


@pytest.mark.parametrize("storage_kind", ["memory", "sqlite"])
def test_identitys_directory_gives_the_registered_code_and_only_that(
    storage_kind: str, tmp_path: Path
) -> None:
    storage = (
        memory_storage()
        if storage_kind == "memory"
        else sqlite_storage(tmp_path / "db.sqlite", national_id_key=b"k" * 32)
    )
    anna_account, other = example_account(1, national_id=ANNA_ID), example_account(2)
    with storage.identity as uow:
        uow.accounts.add(anna_account)
        uow.accounts.add(other)
        uow.commit()
    app = bootstrap(
        storage,
        clock=SteppableClock(NOW),
        ids=SequentialIds("id"),
        secrets=SystemSecrets(),
        customers=Customers(
            [
                CustomerRecord(
                    customer_number="100234", kind="electricity", national_ids_on_file=(ANNA_ID,)
                )
            ]
        ),
    )
    try:
        directory = IdentityAccountDirectory(storage.identity)
        assert directory.verified_national_id(anna_account.id) == ANNA_ID
        assert directory.verified_national_id(AccountId("nobody")) is None
        anna_identified = bank_identification(ANNA_ID, at=NOW)
        refused = app.authz.link_customer_relationships(other.id, anna_identified)
        assert refused.codes == ("assertion.national_id_mismatch",)  # type: ignore[union-attr]
        linked = app.authz.link_customer_relationships(anna_account.id, anna_identified)
        assert [g.user for g in linked.unwrap()] == [anna_account.id]
    finally:
        app.close()


# -- invitations: the reply needs the invitee's account; a resend the inviter's right -----


def _invite(world: World, email: str, roles: list[str], inviter: AccountId = ANNA) -> Any:
    return world.authz.invite(
        world.rel,
        email,
        first_name="Matti",
        last_name="M",
        message="Hei",
        roles=roles,
        inviter=inviter,
    ).unwrap()


def test_declining_with_the_link_needs_the_invited_account() -> None:
    world = a_house()
    world.accounts.register(AccountId("matti"), "matti@example.fi")
    issued = _invite(world, "matti@example.fi", [USER])
    # Liisa is logged in when the link (forwarded, or opened on a shared computer) is used.
    wrong = world.authz.decline(issued.token, LIISA)
    assert isinstance(wrong, Refused)
    assert wrong.codes == ("invitation.email_mismatch",)
    with world.uow:
        still = world.uow.invitations.find(issued.invitation.id)
    assert still is not None
    assert still.is_pending(world.clock.now())
    declined = world.authz.decline(issued.token, AccountId("matti")).unwrap()
    assert declined.closed_by == AccountId("matti")


def test_a_demoted_inviter_cannot_resend() -> None:
    world = a_house()
    issued = _invite(world, "matti@example.fi", [USER], inviter=LIISA)
    # Anna takes the user admin role away from Liisa.
    request = world.authz.request_removal(LIISA, world.rel, [USER_ADMIN], by=ANNA).unwrap()
    world.authz.confirm_removal(request, by=ANNA).unwrap()
    resent = world.authz.resend_invitation(issued.invitation.id, by=LIISA)
    assert isinstance(resent, Refused)
    assert resent.codes == ("invitation.not_allowed",)
    # Nor may Anna give the invitation a new life: it grants in Liisa's name, which
    # accepting would refuse. She revokes it and invites again.
    by_holder = world.authz.resend_invitation(issued.invitation.id, by=ANNA)
    assert by_holder.codes == ("invitation.inviter_not_allowed",)  # type: ignore[union-attr]
    with world.uow:
        stored = world.uow.invitations.find(issued.invitation.id)
    assert stored == issued.invitation  # the old token still the one, nothing changed
    assert world.authz.revoke_invitation(issued.invitation.id, by=LIISA).ok


def test_a_ligature_address_can_neither_be_invited_nor_answer_for_another() -> None:
    world = a_house()
    refused = world.authz.invite(
        world.rel,
        "o\ufb00ice@example.fi",
        first_name="O",
        last_name="F",
        message="Hei",
        roles=[USER],
        inviter=ANNA,
    )
    assert refused.codes == ("email.compatibility_character",)  # type: ignore[union-attr]
    with pytest.raises(SelfcareError) as caught:
        world.accounts.register(AccountId("office"), "o\ufb00ice@example.fi")
    assert caught.value.codes == ("email.compatibility_character",)
    with pytest.raises(SelfcareError):
        structure("o\ufb00ice@example.fi", EmailAddress)  # nor read back from a session


# -- token links act only for the logged-in account ----------------------------------------


@pytest.mark.parametrize(
    ("method", "parameter"),
    [
        (AuthzService.accept, "account"),
        (AuthzService.decline, "account"),
        (IdentityService.confirm_email, "account_id"),
    ],
)
def test_a_token_link_needs_the_logged_in_account(method: Any, parameter: str) -> None:
    # A mail gateway's link scanner has the token but not the invitee's session.
    found = inspect.signature(method).parameters[parameter]
    assert found.default is inspect.Parameter.empty
    assert found.annotation in ("AccountId", AccountId)


def test_a_link_scanner_without_the_session_cannot_decline() -> None:
    world = a_house()
    world.accounts.register(AccountId("matti"), "matti@example.fi")
    issued = _invite(world, "matti@example.fi", [USER])
    with pytest.raises(TypeError):
        world.authz.decline(issued.token)  # type: ignore[call-arg]
    assert world.authz.accept(issued.token, AccountId("matti")).ok
