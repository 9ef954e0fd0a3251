"""The SQLite adapter under the authz use cases: 10 000 invitations created and
accepted, and 100 000 permission checks (the best of three rounds), each beside
baselines from the same run.

Baselines:

- the same use cases on the in-memory adapter (what the library adds on top of storage
  is the same; the difference is the price of SQLite, JSON documents and transactions);
- raw :mod:`sqlite3`: the same rows (the invitation document, its update, two grant
  documents) written with hand-written SQL, one transaction per acceptance, in a file
  with the same pragmas - the floor for any adapter on this database.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from harness import Report

from selfcare import FixedClock
from selfcare.adapters.memory import MemoryDatabase
from selfcare.adapters.memory.authz import MemoryAccountDirectory, MemoryAuthzUnitOfWork
from selfcare.adapters.memory.identity import MemoryCustomerDirectory
from selfcare.adapters.sqlite import SqliteAuthzUnitOfWork, open_database
from selfcare.authz import ORDERER, USER, VIEW_INVOICES, AuthzService, AuthzUnitOfWork
from selfcare.core.ids import AccountId, RelationshipId, SequentialIds, SystemSecrets
from selfcare.identity.customer_records import CustomerRecord
from selfcare.identity.national_id import Country, parse_national_id
from selfcare.serialization import unstructure
from selfcare.testing.fakes import bank_identification

INVITATIONS = 10_000
CHECKS = 100_000
RELATIONSHIPS = 100  # 100 invitations per relationship, as a busy housing company has
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ANNA = AccountId("anna")
ANNA_ID = parse_national_id("131052-308T", Country.FI, today=date(2026, 3, 2))


def _accounts() -> MemoryAccountDirectory:
    accounts = MemoryAccountDirectory()
    accounts.register(ANNA, "anna@example.fi", national_id=ANNA_ID)
    for n in range(INVITATIONS):
        accounts.register(AccountId(f"user-{n}"), f"user{n}@example.fi")
    return accounts


def _service(uow: AuthzUnitOfWork, accounts: MemoryAccountDirectory) -> AuthzService:
    records = [
        CustomerRecord(
            customer_number=f"{300000 + r}", kind="electricity", national_ids_on_file=(ANNA_ID,)
        )
        for r in range(RELATIONSHIPS)
    ]
    return AuthzService(
        uow=uow,
        accounts=accounts,
        customers=MemoryCustomerDirectory(records),
        clock=FixedClock(NOW),
        ids=SequentialIds("b"),
        secrets=SystemSecrets(),
    )


def _link(service: AuthzService) -> list[RelationshipId]:
    service.link_customer_relationships(ANNA, bank_identification(ANNA_ID, at=NOW)).unwrap()
    return sorted(service.relationships_of(ANNA).unwrap())


def _invite_and_accept(service: AuthzService, relationships: list[RelationshipId]) -> float:
    """Seconds per invitation created and accepted (two use cases)."""
    start = time.perf_counter()
    for n in range(INVITATIONS):
        issued = service.invite(
            relationships[n % RELATIONSHIPS],
            f"user{n}@example.fi",
            first_name="Pekka",
            last_name="Virtanen",
            message="Hei!",
            roles=[USER, ORDERER],
            inviter=ANNA,
        ).unwrap()
        service.accept(issued.token, AccountId(f"user-{n}")).unwrap()
    return (time.perf_counter() - start) / INVITATIONS


#: Rounds of the repeatable loops (the checks and the raw look-ups): the best is kept,
#: so a burst of other work on the machine moves neither side.
ROUNDS = 3


def _checks(service: AuthzService, relationships: list[RelationshipId]) -> float:
    """Seconds per permission check (one use case: load the user's grants, decide),
    the best of :data:`ROUNDS` rounds."""
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        allowed = 0
        for n in range(CHECKS):
            user = AccountId(f"user-{n % INVITATIONS}")
            allowed += bool(service.check(user, VIEW_INVOICES, relationships[n % RELATIONSHIPS]))
        best = min(best, time.perf_counter() - start)
        assert allowed == CHECKS, allowed  # every user checks the relationship it joined
    return best / CHECKS


def _raw_sqlite(
    path: Path, service: AuthzService, relationship: RelationshipId
) -> tuple[float, float]:
    """The same rows with hand-written SQL: per acceptance, and per grant look-up."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(
        """
        CREATE TABLE invitations (key TEXT PRIMARY KEY, version INTEGER, data TEXT,
            token_hash TEXT, relationship_id TEXT, email TEXT);
        CREATE INDEX invitations_token ON invitations (token_hash);
        CREATE TABLE grants (key TEXT PRIMARY KEY, version INTEGER, data TEXT,
            user TEXT, relationship_id TEXT);
        CREATE INDEX grants_user ON grants (user);
        """
    )
    # Documents of the right size and shape: the last invitation and grants the
    # service stored.
    with service.uow as uow:
        sample_invitation = uow.invitations.for_relationship(relationship)[0]
        sample_grants = list(uow.grants.for_user(AccountId("user-0")))
    invitation_doc = json.dumps(
        unstructure(sample_invitation, include_secrets=True), ensure_ascii=False
    )
    grant_doc = json.dumps(unstructure(sample_grants[0]), ensure_ascii=False)
    start = time.perf_counter()
    for n in range(INVITATIONS):
        key, token = f"i-{n}", f"t-{n}"
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO invitations VALUES (?, 1, ?, ?, ?, ?)",
            (key, invitation_doc, token, f"rel-{n % RELATIONSHIPS}", f"user{n}@example.fi"),
        )
        conn.execute("COMMIT")
        conn.execute("BEGIN IMMEDIATE")
        (data,) = conn.execute(
            "SELECT data FROM invitations WHERE token_hash = ?", (token,)
        ).fetchone()
        conn.execute(
            "UPDATE invitations SET version = 2, data = ? WHERE key = ? AND version = 1",
            (data, key),
        )
        for role in ("user", "orderer"):
            conn.execute(
                "INSERT INTO grants VALUES (?, 1, ?, ?, ?)",
                (f"g-{n}-{role}", grant_doc, f"user-{n}", f"rel-{n % RELATIONSHIPS}"),
            )
        conn.execute("COMMIT")
    per_acceptance = (time.perf_counter() - start) / INVITATIONS
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for n in range(CHECKS):
            rows = conn.execute(
                "SELECT data FROM grants WHERE user = ?", (f"user-{n % INVITATIONS}",)
            ).fetchall()
            [json.loads(row[0]) for row in rows]
        best = min(best, time.perf_counter() - start)
    per_lookup = best / CHECKS
    conn.close()
    return per_acceptance, per_lookup


def run(report: Report) -> None:
    """Run the SQLite adapter figures."""
    report.heading("SQLite adapter: authz use cases")
    accounts = _accounts()
    with tempfile.TemporaryDirectory() as tmp:
        database = open_database(Path(tmp) / "bench.sqlite3")
        sqlite_service = _service(SqliteAuthzUnitOfWork(database), accounts)
        memory_service = _service(MemoryAuthzUnitOfWork(MemoryDatabase()), accounts)
        sqlite_rels = _link(sqlite_service)
        memory_rels = _link(memory_service)

        sqlite_accept = _invite_and_accept(sqlite_service, sqlite_rels)
        memory_accept = _invite_and_accept(memory_service, memory_rels)
        raw_accept, raw_lookup = _raw_sqlite(
            Path(tmp) / "raw.sqlite3", sqlite_service, sqlite_rels[0]
        )
        report.ratio(
            f"invite + accept ({INVITATIONS:,} invitations), per invitation",
            sqlite_accept,
            memory_accept,
            "memory adapter",
        )
        report.ratio(
            "invite + accept, per invitation", sqlite_accept, raw_accept, "raw sqlite3 rows"
        )
        report.figure(
            f"{INVITATIONS:,} invitations created and accepted on SQLite",
            f"{sqlite_accept * INVITATIONS:.2f} s",
        )

        sqlite_check = _checks(sqlite_service, sqlite_rels)
        memory_check = _checks(memory_service, memory_rels)
        report.ratio(
            f"permission check ({CHECKS:,} checks), per check",
            sqlite_check,
            memory_check,
            "memory adapter",
        )
        report.ratio(
            "permission check, per check", sqlite_check, raw_lookup, "raw sqlite3 grant look-up"
        )
        report.figure(f"{CHECKS:,} permission checks on SQLite", f"{sqlite_check * CHECKS:.2f} s")
        size = Path(database.path).stat().st_size
        report.figure("database file after the run", f"{size / 1e6:.1f} MB")
        database.close()


if __name__ == "__main__":
    run(Report())
