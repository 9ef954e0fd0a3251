"""The storage benchmarks still run: each at a tiny size, so that a change of the API
they call breaks a test rather than the next measurement. (Their figures are not
checked here: speed targets live in the benchmarks, never in timed tests.)"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).parents[2] / "bench"


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """The bench harness, importable as the benchmarks import it."""
    monkeypatch.syspath_prepend(str(BENCH))
    yield importlib.import_module("harness")
    for name in [n for n in sys.modules if n == "harness" or n.startswith("bench_")]:
        del sys.modules[name]


def _rows(report: object) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = report.rows  # type: ignore[attr-defined]
    return rows


def test_the_concurrency_bench_runs_and_loses_no_update(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SELFCARE_TEST_POSTGRES_DSN", raising=False)  # SQLite only here
    module = importlib.import_module("bench_concurrency")
    monkeypatch.setattr(module, "WORKERS", (1, 2))
    monkeypatch.setattr(module, "ACCEPTS_PER_WORKER", 4)
    monkeypatch.setattr(module, "CHECKS_PER_WORKER", 16)
    report = bench.Report()
    module.run(report)
    lost = [row for row in _rows(report) if row[1].endswith("updates lost")]
    assert [row[2] for row in lost] == ["0", "0"]  # threads, processes
    assert all("12 acceptances, 24 grants" in row[3] for row in lost)


def test_the_sqlite_bench_runs(bench: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    module = importlib.import_module("bench_sqlite")
    monkeypatch.setattr(module, "INVITATIONS", 20)
    monkeypatch.setattr(module, "RELATIONSHIPS", 4)
    monkeypatch.setattr(module, "CHECKS", 40)
    monkeypatch.setattr(module, "ROUNDS", 1)
    report = bench.Report()
    module.run(report)
    names = [row[1] for row in _rows(report)]
    assert "invite + accept, per invitation" in names
    assert "permission check, per check" in names


def test_the_memory_bench_runs(bench: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    module = importlib.import_module("bench_memory")
    monkeypatch.setattr(module, "SIZES", (30, 300))
    monkeypatch.setattr(module, "CHECKS", 50)
    monkeypatch.setattr(module, "INVITATIONS", 5)
    report = bench.Report()
    module.run(report)
    assert [row[1] for row in _rows(report)] == [
        "AuthzService.check at 30 grants",
        "AuthzService.check at 300 grants",
        "service check at 300 / at 30 grants",
        "invite + accept among 30 grants and 3 invitations",
        "invite + accept among 300 grants and 30 invitations",
        "invite + accept at 300 / at 30",
    ]
