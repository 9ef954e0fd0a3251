"""Concurrency: 1, 2, 4 and 8 workers - threads in one process, then separate processes -
doing invite + accept, then permission checks, on SQLite (one file) and on PostgreSQL
(the server of ``SELFCARE_TEST_POSTGRES_DSN``; left out without one - run
``.ci/with-postgres .venv/bin/python bench/run.py concurrency``).

Each figure is the throughput, with the p50 and p99 latency of one operation, beside
the single worker's throughput of the same run (the ratio is the speed-up). After each
invite + accept run the database is counted: every acceptance a worker saw succeed is
stored, accepted, with exactly its two grants - no update was lost.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from harness import Report, fmt_seconds

from selfcare import FixedClock, Outcome
from selfcare.adapters.memory.authz import MemoryAccountDirectory
from selfcare.adapters.memory.identity import MemoryCustomerDirectory
from selfcare.authz import ORDERER, USER, VIEW_INVOICES, AuthzService, InvitationStatus
from selfcare.authz.model import CustomerRelationship
from selfcare.core.errors import StorageError
from selfcare.core.ids import (
    AccountId,
    CustomerNumber,
    RelationshipId,
    SequentialIds,
    SystemSecrets,
)

T = TypeVar("T")

WORKERS = (1, 2, 4, 8)
ACCEPTS_PER_WORKER = 150
CHECKS_PER_WORKER = 1_500
RELATIONSHIPS = 20
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ANNA = AccountId("anna")


def _open(locator: dict[str, str]) -> tuple[Any, Any]:
    """The database and its authz unit of work class (opened in the calling process)."""
    if locator["engine"] == "sqlite":
        from selfcare.adapters.sqlite import SqliteAuthzUnitOfWork, open_database  # noqa: PLC0415

        return open_database(locator["path"]), SqliteAuthzUnitOfWork
    from selfcare.adapters.postgres import PostgresAuthzUnitOfWork, open_database  # noqa: PLC0415

    return open_database(locator["dsn"], schema=locator["schema"], pool_size=8), (
        PostgresAuthzUnitOfWork
    )


def _service(uow: Any, worker: int, users: range) -> AuthzService:
    accounts = MemoryAccountDirectory()
    accounts.register(ANNA, "anna@example.fi")
    for n in users:
        accounts.register(AccountId(f"w{worker}-u{n}"), f"w{worker}-u{n}@example.fi")
    return AuthzService(
        uow=uow,
        accounts=accounts,
        customers=MemoryCustomerDirectory([]),
        clock=FixedClock(NOW),
        ids=SequentialIds(f"w{worker}-{uuid.uuid4().hex[:6]}"),
        secrets=SystemSecrets(),
    )


def _retrying(step: Callable[[], Outcome[T]]) -> T:
    """The value of ``step``, run again (up to 20 times, backing off) while the storage
    is locked past the busy timeout or the saved entity changed meanwhile."""
    for attempt in range(20):
        try:
            return step().unwrap()
        except StorageError:
            time.sleep(0.001 * (attempt + 1))
    return step().unwrap()


def _invite_accept(database: Any, uow_class: Any, worker: int) -> tuple[list[float], int]:
    users = range(ACCEPTS_PER_WORKER)
    service = _service(uow_class(database), worker, users)
    latencies, accepted = [], 0
    for n in users:
        user = AccountId(f"w{worker}-u{n}")
        start = time.perf_counter()
        issued = _retrying(
            lambda n=n: service.invite(
                RelationshipId(f"rel-{(worker * 7 + n) % RELATIONSHIPS}"),
                f"w{worker}-u{n}@example.fi",
                first_name="Pekka",
                last_name="Virtanen",
                message="Hei!",
                roles=[USER, ORDERER],
                inviter=ANNA,
            )
        )
        acceptance = _retrying(lambda: service.accept(issued.token, user))  # noqa: B023
        accepted += acceptance.newly_accepted
        latencies.append(time.perf_counter() - start)
    return latencies, accepted


def _checks(database: Any, uow_class: Any, worker: int) -> tuple[list[float], int]:
    service = _service(uow_class(database), worker, range(0))
    latencies, allowed = [], 0
    for n in range(CHECKS_PER_WORKER):
        user = AccountId(f"w{n % 8}-u{n % 150}")
        relationship = RelationshipId(
            f"rel-{((n % 8) * 7 + n % ACCEPTS_PER_WORKER) % RELATIONSHIPS}"
        )
        start = time.perf_counter()
        allowed += bool(service.check(user, VIEW_INVOICES, relationship))
        latencies.append(time.perf_counter() - start)
    return latencies, allowed


JOBS: dict[str, Callable[[Any, Any, int], tuple[list[float], int]]] = {
    "invite + accept": _invite_accept,
    "permission check": _checks,
}


def _in_process(job: str, locator: dict[str, str], worker: int, queue: Any) -> None:
    database, uow_class = _open(locator)
    queue.put(JOBS[job](database, uow_class, worker))
    database.close()


def _run(
    job: str, locator: dict[str, str], workers: int, mode: str, first: int
) -> tuple[float, list[float], int]:
    """Wall time, every latency and the sum of successes of ``workers`` workers (numbered
    from ``first``: each run invites users of its own)."""
    results: list[tuple[list[float], int]] = []
    start = time.perf_counter()
    if mode == "threads":
        database, uow_class = _open(locator)
        lock = threading.Lock()

        def work(worker: int) -> None:
            outcome = JOBS[job](database, uow_class, worker)
            with lock:
                results.append(outcome)

        threads = [threading.Thread(target=work, args=(first + w,)) for w in range(workers)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
        database.close()
    else:
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        processes = [
            context.Process(target=_in_process, args=(job, locator, first + w, queue))
            for w in range(workers)
        ]
        for process in processes:
            process.start()
        results = [queue.get() for _ in processes]
        elapsed = time.perf_counter() - start  # includes each process opening its pool
        for process in processes:
            process.join()
    latencies = [x for lat, _ in results for x in lat]
    return elapsed, latencies, sum(ok for _, ok in results)


def _prepare(locator: dict[str, str]) -> None:
    database, uow_class = _open(locator)
    with uow_class(database) as uow:
        for r in range(RELATIONSHIPS):
            relationship = CustomerRelationship(
                id=RelationshipId(f"rel-{r}"),
                customer_number=CustomerNumber(f"{500000 + r}"),
                kind="electricity",
            )
            uow.relationships.add(relationship)
        uow.commit()
    # Anna holds every relationship, so she may invite.
    from selfcare.authz.model import HOLDER, Grant, GrantId  # noqa: PLC0415

    with uow_class(database) as uow:
        for r in range(RELATIONSHIPS):
            uow.grants.add(
                Grant(
                    id=GrantId(f"anna-{r}"),
                    user=ANNA,
                    relationship_id=RelationshipId(f"rel-{r}"),
                    role=HOLDER,
                    granted_at=NOW,
                )
            )
        uow.commit()
    database.close()


def _count_accepted(locator: dict[str, str]) -> tuple[int, int]:
    database, uow_class = _open(locator)
    accepted = grants = 0
    with uow_class(database) as uow:
        for r in range(RELATIONSHIPS):
            invitations = uow.invitations.for_relationship(RelationshipId(f"rel-{r}"))
            accepted += sum(i.status is InvitationStatus.ACCEPTED for i in invitations)
            grants += sum(
                g.user != ANNA for g in uow.grants.for_relationship(RelationshipId(f"rel-{r}"))
            )
    database.close()
    return accepted, grants


def _engines(folder: Path) -> list[tuple[str, Callable[[str], dict[str, str]]]]:
    engines: list[tuple[str, Callable[[str], dict[str, str]]]] = [
        ("SQLite", lambda tag: {"engine": "sqlite", "path": str(folder / f"{tag}.sqlite3")})
    ]
    dsn = os.environ.get("SELFCARE_TEST_POSTGRES_DSN", "").strip()
    if dsn:
        engines.append(
            ("PostgreSQL", lambda tag: {"engine": "postgres", "dsn": dsn, "schema": f"bench_{tag}"})
        )
    return engines


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(report: Report) -> None:
    """Run the concurrency figures."""
    with tempfile.TemporaryDirectory() as tmp:
        engines = _engines(Path(tmp))
        if len(engines) == 1:
            print("PostgreSQL left out: set SELFCARE_TEST_POSTGRES_DSN (or use .ci/with-postgres)")
        for engine, locate in engines:
            for mode in ("threads", "processes"):
                report.heading(f"concurrency: {engine}, workers as {mode} ({os.cpu_count()} cores)")
                tag = uuid.uuid4().hex[:8]
                locator = locate(tag)
                _prepare(locator)
                first = 0
                for job in JOBS:
                    base = 0.0
                    for workers in WORKERS:
                        elapsed, latencies, ok = _run(job, locator, workers, mode, first)
                        first += workers
                        throughput = len(latencies) / elapsed
                        base = base or throughput
                        name = (
                            f"{job}, {workers} worker(s): {throughput:,.0f}/s,"
                            f" p50 {fmt_seconds(statistics.median(latencies))},"
                            f" p99 {fmt_seconds(_pct(latencies, 0.99))}"
                        )
                        report.figure(name, f"{throughput / base:.2f}x", "speed-up over 1 worker")
                        if job == "invite + accept":
                            accepted, grants = _count_accepted(locator)
                            expected = ACCEPTS_PER_WORKER * sum(
                                WORKERS[: WORKERS.index(workers) + 1]
                            )
                            lost = (expected - accepted, 2 * expected - grants)
                            assert ok == workers * ACCEPTS_PER_WORKER, (ok, workers)
                            assert lost == (0, 0), lost
                    if job == "invite + accept":
                        report.figure(
                            f"{engine} {mode}: updates lost",
                            "0",
                            f"{accepted:,} acceptances, {grants:,} grants counted",
                        )
