"""Two connections race an invitation's accept against its revoke, through the authz
use cases on SQLite and on PostgreSQL: exactly one wins each time, and no grant exists
without an accepted invitation."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from engines import Engine

from selfcare import ConcurrencyConflict, Done, Outcome
from selfcare.adapters.memory.authz import MemoryAccountDirectory
from selfcare.adapters.memory.identity import MemoryCustomerDirectory
from selfcare.authz import USER, AuthzService, InvitationId, InvitationStatus
from selfcare.authz.ports import AuthzUnitOfWork
from selfcare.core.ids import AccountId, RelationshipId, SystemSecrets
from selfcare.identity.customer_records import CustomerRecord
from selfcare.identity.national_id import Country, parse_national_id
from selfcare.testing.fakes import SequentialIds, SteppableClock, bank_identification

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ANNA = AccountId("anna")
ANNA_ID = parse_national_id("131052-308T", Country.FI, today=date(2026, 3, 2))
ROUNDS = 1000
RELATIONSHIPS = 40  # spread the invitations so that no list grows long


def service(
    uow: AuthzUnitOfWork,
    accounts: MemoryAccountDirectory,
    prefix: str,
    customers: MemoryCustomerDirectory | None = None,
) -> AuthzService:
    # Built by hand, not with bootstrap: each racer needs its own connection.
    return AuthzService(
        uow=uow,
        accounts=accounts,
        customers=customers or MemoryCustomerDirectory(),
        clock=SteppableClock(NOW),
        ids=SequentialIds(prefix),
        secrets=SystemSecrets(),
    )


def invitee(n: int) -> AccountId:
    return AccountId(f"user-{n}")


@pytest.mark.slow
def test_accept_and_revoke_race_and_exactly_one_wins(engine: Engine) -> None:
    accounts = MemoryAccountDirectory()
    accounts.register(ANNA, "anna@example.fi", national_id=ANNA_ID)
    for n in range(ROUNDS):
        accounts.register(invitee(n), f"user{n}@example.fi")
    setup_db = engine.new()
    records = [
        CustomerRecord(
            customer_number=f"{100000 + r}", kind="electricity", national_ids_on_file=(ANNA_ID,)
        )
        for r in range(RELATIONSHIPS)
    ]
    setup = service(engine.authz(setup_db), accounts, "setup", MemoryCustomerDirectory(records))
    setup.link_customer_relationships(ANNA, bank_identification(ANNA_ID, at=NOW)).unwrap()
    relationships = sorted(setup.relationships_of(ANNA).unwrap())
    assert len(relationships) == RELATIONSHIPS

    current: dict[str, tuple[str, InvitationId]] = {}
    outcome: dict[str, list[str]] = {"accept": [], "revoke": []}
    start, done = threading.Barrier(3), threading.Barrier(3)
    failures: list[BaseException] = []

    def racer(name: str, act: Callable[[AuthzService, int], Outcome[Any]]) -> None:
        db = engine.again(setup_db)  # its own connections to the same database
        mine = service(engine.authz(db), accounts, name)
        try:
            for n in range(ROUNDS):
                start.wait()
                try:
                    result = act(mine, n)
                except ConcurrencyConflict as error:
                    outcome[name].append("lost:" + ",".join(error.codes))
                else:
                    won = isinstance(result, Done)
                    outcome[name].append("won" if won else "lost:" + ",".join(result.codes))
                done.wait()
        except threading.BrokenBarrierError:
            pass  # the main thread stopped the race
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)
            start.abort()
            done.abort()
        finally:
            db.close()

    def accept(mine: AuthzService, n: int) -> Outcome[Any]:
        return mine.accept(current["round"][0], invitee(n))

    def revoke(mine: AuthzService, n: int) -> Outcome[Any]:
        return mine.revoke_invitation(current["round"][1], by=ANNA)

    threads = [
        threading.Thread(target=racer, args=("accept", accept)),
        threading.Thread(target=racer, args=("revoke", revoke)),
    ]
    for thread in threads:
        thread.start()
    invitations: list[InvitationId] = []
    try:
        for n in range(ROUNDS):
            issued = setup.invite(
                relationships[n % RELATIONSHIPS],
                f"user{n}@example.fi",
                first_name="Pekka",
                last_name="Virtanen",
                message="Hei!",
                roles=[USER],
                inviter=ANNA,
            ).unwrap()
            invitations.append(issued.invitation.id)
            current["round"] = (issued.token, issued.invitation.id)
            start.wait()
            done.wait()
    except threading.BrokenBarrierError:
        pass  # a racer failed; its error is in `failures`
    finally:
        start.abort()  # never leave a racer waiting, whatever happened here
        done.abort()
        for thread in threads:
            thread.join()
    assert failures == []

    # Exactly one of the two won every round.
    for n in range(ROUNDS):
        results = (outcome["accept"][n], outcome["revoke"][n])
        assert sorted(r == "won" for r in results) == [False, True], (n, results)
    accepted = sum(r == "won" for r in outcome["accept"])
    assert 0 < accepted < ROUNDS  # both sides won some rounds: it was a real race

    # What is stored agrees with who won, and no grant lacks an accepted invitation.
    with engine.authz(setup_db) as uow:
        for n, invitation_id in enumerate(invitations):
            invitation = uow.invitations.find(invitation_id)
            assert invitation is not None
            grants = uow.grants.for_user(invitee(n))
            if outcome["accept"][n] == "won":
                assert invitation.status is InvitationStatus.ACCEPTED
                assert invitation.accepted_by == invitee(n)
                assert [(g.relationship_id, g.role) for g in grants] == [
                    (invitation.relationship_id, USER)
                ]
            else:
                assert invitation.status is InvitationStatus.REVOKED
                assert grants == []
        for relationship in relationships:
            accepted_by = {
                (i.accepted_by, i.relationship_id)
                for i in uow.invitations.for_relationship(RelationshipId(relationship))
                if i.status is InvitationStatus.ACCEPTED
            }
            for grant in uow.grants.for_relationship(RelationshipId(relationship)):
                if grant.user != ANNA:
                    assert (grant.user, grant.relationship_id) in accepted_by
