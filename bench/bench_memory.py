"""The in-memory adapter at scale: a permission check through ``AuthzService.check``
(the unit of work, the indexed ``grants.for_user``, the rule) at 1 000 and 1 000 000
grants, each beside :meth:`~selfcare.authz.GrantIndex.check` on the same grants in the
same run (the pure rule on a ready index: the floor); the best of three rounds each."""

from __future__ import annotations

import functools
import time
from datetime import UTC, datetime

from harness import Report

from selfcare import FixedClock
from selfcare.adapters.memory import MemoryDatabase
from selfcare.adapters.memory.authz import MemoryAccountDirectory, MemoryAuthzUnitOfWork
from selfcare.adapters.memory.identity import MemoryCustomerDirectory
from selfcare.authz import USER, VIEW_INVOICES, AuthzService, GrantIndex
from selfcare.authz.model import Grant, GrantId
from selfcare.core.ids import AccountId, RelationshipId, SequentialIds, SystemSecrets

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
CHECKS = 50_000
#: The numbers of grants the check is measured at.
SIZES = (1_000, 1_000_000)


def _grants(count: int) -> list[Grant]:
    # Three grants per user, on three relationships.
    return [
        Grant(
            id=GrantId(f"g{i}"),
            user=AccountId(f"u{i // 3}"),
            relationship_id=RelationshipId(f"r{i % max(1, count // 3)}"),
            role=USER,
            granted_at=NOW,
        )
        for i in range(count)
    ]


#: Rounds of each loop, the service's and the index's in turn: the best of each is kept,
#: so that a burst of other work on the machine moves neither side.
ROUNDS = 3


def _per_check(check: object, probes: list[tuple[AccountId, RelationshipId]]) -> float:
    start = time.perf_counter()
    for i in range(CHECKS):
        user, rel = probes[i % len(probes)]
        check(user, VIEW_INVOICES, rel)  # type: ignore[operator]
    return (time.perf_counter() - start) / CHECKS


def _best(
    ours: object, floor: object, probes: list[tuple[AccountId, RelationshipId]]
) -> tuple[float, float]:
    """The best of :data:`ROUNDS` rounds of each, run in turn."""
    best_ours = best_floor = float("inf")
    for _ in range(ROUNDS):
        best_ours = min(best_ours, _per_check(ours, probes))
        best_floor = min(best_floor, _per_check(floor, probes))
    return best_ours, best_floor


def run(report: Report) -> None:
    """Run the memory adapter figures."""
    report.heading("memory adapter: permission check through the service vs GrantIndex")
    per_size: dict[int, float] = {}
    for count in SIZES:
        grants = _grants(count)
        database = MemoryDatabase()
        uow = MemoryAuthzUnitOfWork(database)
        with uow:
            for grant in grants:
                uow.grants.add(grant)
            uow.commit()
        service = AuthzService(
            uow=uow,
            accounts=MemoryAccountDirectory(),
            customers=MemoryCustomerDirectory([]),
            clock=FixedClock(NOW),
            ids=SequentialIds("m"),
            secrets=SystemSecrets(),
        )
        index = GrantIndex(grants)
        step = max(1, count // 997)
        probes = [(g.user, g.relationship_id) for g in grants[::step]]
        ours, floor = _best(service.check, functools.partial(index.check, now=NOW), probes)
        per_size[count] = ours
        report.ratio(f"AuthzService.check at {count:,} grants", ours, floor, "GrantIndex.check")
    report.figure(
        f"service check at {SIZES[-1]:,} / at {SIZES[0]:,} grants",
        f"{per_size[SIZES[-1]] / per_size[SIZES[0]]:.2f}x",
        "flat: the finders look up dict indexes",
    )
