"""A process killed (SIGKILL) in the middle of accepting invitations, on SQLite and on
PostgreSQL, leaves nothing half-written: each invitation is either accepted with its
grants, or still pending with none."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from engines import OPEN_LOCATED, Database, Engine

from selfcare.adapters.memory.authz import MemoryAccountDirectory
from selfcare.adapters.memory.identity import MemoryCustomerDirectory
from selfcare.authz import ORDERER, USER, AuthzService, InvitationId, InvitationStatus
from selfcare.authz.ports import AuthzUnitOfWork
from selfcare.core.ids import AccountId, SystemSecrets
from selfcare.identity.customer_records import CustomerRecord
from selfcare.identity.national_id import Country, parse_national_id
from selfcare.testing.fakes import SequentialIds, SteppableClock, bank_identification

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL"),
]

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ANNA = AccountId("anna")
ANNA_ID = parse_national_id("131052-308T", Country.FI, today=date(2026, 3, 2))
INVITATIONS = 300

# The child process: accepts every invitation of the job file, one use case each.
# With PAUSE set, the first acceptance stops inside its unit of work, after every save
# and before the commit, and says so.
CHILD = OPEN_LOCATED + textwrap.dedent(
    """
    import json, sys, time
    from datetime import UTC, datetime
    from selfcare import FixedClock
    from selfcare.adapters.memory.authz import MemoryAccountDirectory
    from selfcare.adapters.memory.identity import MemoryCustomerDirectory
    from selfcare.authz import AuthzService
    from selfcare.core.ids import AccountId, SequentialIds, SystemSecrets

    job = json.loads(open(sys.argv[1]).read())
    database, UnitOfWork = open_located(job["db"])

    class PausingUnitOfWork(UnitOfWork):
        def commit(self):
            if job["pause"]:
                print("saved, not committed", flush=True)
                time.sleep(60)
            super().commit()

    accounts = MemoryAccountDirectory()
    for user, email, _ in job["invitees"]:
        accounts.register(AccountId(user), email)
    service = AuthzService(
        uow=PausingUnitOfWork(database),
        accounts=accounts,
        customers=MemoryCustomerDirectory(),
        clock=FixedClock(datetime.fromisoformat(job["now"])),
        ids=SequentialIds("child"),
        secrets=SystemSecrets(),
    )
    print("started", flush=True)
    for user, _, token in job["invitees"]:
        service.accept(token, AccountId(user)).unwrap()
        print("accepted", user, flush=True)
    print("finished", flush=True)
    """
)


def _service(
    uow: AuthzUnitOfWork,
    accounts: MemoryAccountDirectory,
    prefix: str,
    customers: MemoryCustomerDirectory | None = None,
) -> AuthzService:
    # Built by hand, not with bootstrap: the test owns the connection it kills around.
    return AuthzService(
        uow=uow,
        accounts=accounts,
        customers=customers or MemoryCustomerDirectory(),
        clock=SteppableClock(NOW),
        ids=SequentialIds(prefix),
        secrets=SystemSecrets(),
    )


def _prepare(
    tmp_path: Path, engine: Engine, *, pause: bool
) -> tuple[Path, Database, list[InvitationId]]:
    db = engine.new()
    accounts = MemoryAccountDirectory()
    accounts.register(ANNA, "anna@example.fi", national_id=ANNA_ID)
    records = [
        CustomerRecord(
            customer_number=f"{200000 + n}", kind="broadband", national_ids_on_file=(ANNA_ID,)
        )
        for n in range(10)
    ]
    service = _service(engine.authz(db), accounts, "parent", MemoryCustomerDirectory(records))
    service.link_customer_relationships(ANNA, bank_identification(ANNA_ID, at=NOW)).unwrap()
    relationships = sorted(service.relationships_of(ANNA).unwrap())
    invitees, ids = [], []
    for n in range(INVITATIONS if not pause else 1):
        email = f"invitee{n}@example.fi"
        issued = service.invite(
            relationships[n % len(relationships)],
            email,
            first_name="Liisa",
            last_name="Laine",
            message="Tervetuloa!",
            roles=[USER, ORDERER],
            inviter=ANNA,
        ).unwrap()
        invitees.append((f"invitee-{n}", email, issued.token))
        ids.append(issued.invitation.id)
    job = tmp_path / "job.json"
    job.write_text(
        json.dumps(
            {"db": engine.locator(db), "now": NOW.isoformat(), "pause": pause, "invitees": invitees}
        )
    )
    return job, db, ids


def _run_and_kill(job: Path, *, after_lines: int) -> list[str]:
    with subprocess.Popen(  # noqa: S603 - our interpreter, our script
        [sys.executable, "-c", CHILD, str(job)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout is not None
        assert child.stderr is not None
        lines = [child.stdout.readline().strip() for _ in range(after_lines)]
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert child.returncode == -signal.SIGKILL, child.stderr.read()
    return lines


def _check_all_or_nothing(engine: Engine, db: Database, ids: list[InvitationId]) -> int:
    """Every invitation is accepted with exactly its grants, or pending with none;
    return how many were accepted."""
    accepted = 0
    with engine.authz(db) as uow:
        for n, invitation_id in enumerate(ids):
            invitation = uow.invitations.find(invitation_id)
            assert invitation is not None
            grants = uow.grants.for_user(AccountId(f"invitee-{n}"))
            if invitation.status is InvitationStatus.ACCEPTED:
                accepted += 1
                assert invitation.accepted_by == AccountId(f"invitee-{n}")
                assert {g.role for g in grants} == {USER, ORDERER}
                assert {g.relationship_id for g in grants} == {invitation.relationship_id}
            else:
                assert invitation.status is InvitationStatus.PENDING
                assert grants == []
    return accepted


def test_killed_between_the_saves_and_the_commit_nothing_is_kept(
    tmp_path: Path, engine: Engine
) -> None:
    job, db, ids = _prepare(tmp_path, engine, pause=True)
    lines = _run_and_kill(job, after_lines=2)
    assert lines == ["started", "saved, not committed"]
    assert _check_all_or_nothing(engine, db, ids) == 0
    # The database is usable, and the invitation can still be accepted.
    invitee = json.loads(job.read_text())["invitees"][0]
    accounts = MemoryAccountDirectory()
    accounts.register(AccountId(invitee[0]), invitee[1])
    service = _service(engine.authz(db), accounts, "again")
    service.accept(invitee[2], AccountId(invitee[0])).unwrap()
    assert _check_all_or_nothing(engine, db, ids) == 1


def test_killed_at_any_moment_of_many_acceptances_each_is_all_or_nothing(
    tmp_path: Path, engine: Engine
) -> None:
    job, db, ids = _prepare(tmp_path, engine, pause=False)
    # Kill once the child is well into the loop (it keeps accepting while we read).
    lines = _run_and_kill(job, after_lines=1 + INVITATIONS // 3)
    assert lines[0] == "started"
    accepted = _check_all_or_nothing(engine, db, ids)
    assert INVITATIONS // 3 <= accepted < INVITATIONS
