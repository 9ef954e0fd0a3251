"""Permission checks: :class:`~selfcare.authz.GrantIndex` at 1, 1 000 and 1 000 000 grants,
beside pycasbin's ``enforce`` on the same RBAC-with-domains model in the same run.

The casbin model: a request is (user, relationship, permission); a policy line gives a
role a permission (``p``); a grouping line gives a user a role in a domain, the
relationship (``g``). That is exactly what the selfcare default role model and its grants
say. pycasbin is a bench-only baseline (``pip install pycasbin``).
"""

from __future__ import annotations

import gc
import time
from datetime import UTC, datetime
from typing import Any

from harness import Report, best_of, fmt_seconds

from selfcare.authz import (
    DEFAULT_ROLE_MODEL,
    ORDERER,
    USER,
    USER_ADMIN,
    VIEW_INVOICES,
    Grant,
    GrantId,
    GrantIndex,
    check_permission,
)
from selfcare.core.ids import AccountId, RelationshipId

SIZES = (1, 1_000, 10_000, 1_000_000)
# pycasbin's role manager loads grouping lines with domains in time that grows with the
# square of the number of domains (10 000 grants: ~2.5 s, 30 000: ~18 s on the bench
# machine), so at a million grants it would not finish; it is measured up to this size.
CASBIN_MAX = 10_000
NOW = datetime(2026, 3, 1, tzinfo=UTC)
GRANTED = datetime(2026, 1, 1, tzinfo=UTC)
ROLES = (USER, ORDERER, USER_ADMIN)
CHECKS = 2_000

CASBIN_MODEL = """
[request_definition]
r = sub, dom, act

[policy_definition]
p = sub, act

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = g(r.sub, p.sub, r.dom) && r.act == p.act
"""


def _grants(count: int) -> list[Grant]:
    # About three grants per user and per relationship, the shape of a real portal.
    return [
        Grant(
            id=GrantId(f"g{i}"),
            user=AccountId(f"u{i // 3}"),
            relationship_id=RelationshipId(f"r{i % max(1, count // 3)}"),
            role=ROLES[i % 3],
            granted_at=GRANTED,
        )
        for i in range(count)
    ]


def _probes(grants: list[Grant]) -> list[tuple[AccountId, RelationshipId]]:
    step = max(1, len(grants) // 64)
    return [(g.user, g.relationship_id) for g in grants[::step]]


def _casbin(grants: list[Grant]) -> Any:
    try:
        import casbin  # noqa: PLC0415 - bench-only baseline
        from casbin import model as casbin_model  # noqa: PLC0415
    except ImportError:
        return None
    model = casbin_model.Model()
    model.load_model_from_text(CASBIN_MODEL)
    enforcer = casbin.Enforcer(model)
    enforcer.add_policies(
        [
            [role, permission]
            for role, permissions in DEFAULT_ROLE_MODEL.permissions.items()
            for permission in sorted(permissions)
        ]
    )
    enforcer.add_grouping_policies([[g.user, g.role, g.relationship_id] for g in grants])
    return enforcer


def _check_all(index: GrantIndex, probes: list[tuple[AccountId, RelationshipId]]) -> None:
    for i in range(CHECKS):
        user, rel = probes[i % len(probes)]
        index.check(user, VIEW_INVOICES, rel, now=NOW)


def _enforce_all(enforcer: Any, probes: list[tuple[AccountId, RelationshipId]]) -> None:
    for i in range(CHECKS // 10):
        user, rel = probes[i % len(probes)]
        enforcer.enforce(user, rel, VIEW_INVOICES)


def _scan_all(grants: list[Grant], probes: list[tuple[AccountId, RelationshipId]]) -> None:
    for user, rel in probes:
        check_permission(user, VIEW_INVOICES, rel, grants, now=NOW)


def run(report: Report) -> None:
    report.heading("authz: permission checks (GrantIndex vs pycasbin enforce)")
    ours_by_size: dict[int, float] = {}
    _casbin([])  # import pycasbin before anything is timed
    for size in SIZES:
        label = f"{size:>9,} grants"
        gc.disable()  # a million small objects: the cyclic collector only adds noise
        start = time.perf_counter()
        grants = _grants(size)
        built = time.perf_counter()
        index = GrantIndex(grants)
        indexed = time.perf_counter()
        gc.enable()
        probes = _probes(grants)
        for user, rel in probes:
            assert index.check(user, VIEW_INVOICES, rel, now=NOW).allowed
        per_check = best_of(lambda i=index, p=probes: _check_all(i, p), repeat=5) / CHECKS
        ours_by_size[size] = per_check
        report.figure(f"{label}: build the grants", fmt_seconds(built - start))
        loading = time.perf_counter()
        enforcer = _casbin(grants) if size <= CASBIN_MAX else None
        loaded = time.perf_counter()
        if enforcer is None:
            report.figure(f"{label}: build the GrantIndex", fmt_seconds(indexed - built))
            note = "pycasbin not run at this size" if size > CASBIN_MAX else "pycasbin missing"
            report.figure(f"{label}: GrantIndex.check", fmt_seconds(per_check), note)
        else:
            report.ratio(
                f"{label}: build the GrantIndex", indexed - built, loaded - loading, "casbin load"
            )
            for user, rel in probes:  # the same answers as ours
                assert enforcer.enforce(user, rel, VIEW_INVOICES)
            baseline = best_of(lambda e=enforcer, p=probes: _enforce_all(e, p), repeat=3) / (
                CHECKS // 10
            )
            report.ratio(f"{label}: GrantIndex.check", per_check, baseline, "casbin enforce")
            sample = probes[:: max(1, len(probes) // 20)]  # spread over the list
            plain = best_of(lambda g=grants, p=sample: _scan_all(g, p), repeat=3) / len(sample)
            report.ratio(f"{label}: GrantIndex.check", per_check, plain, "check_permission (scan)")
        del grants, index, enforcer, probes
        gc.collect()
    growth = ours_by_size[SIZES[-1]] / ours_by_size[SIZES[0]]
    report.figure(
        "check at 1 000 000 grants / at 1 grant", f"{growth:.2f}x", "independent of the count: ~1x"
    )
