"""A small benchmark harness: every figure is printed beside a baseline from the same run.

Speed targets live here, never in timed unit tests. Each ``bench/bench_*.py`` module
defines ``run(report: Report) -> None``; ``python bench/run.py`` runs them all.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def best_of(func: Callable[[], Any], *, repeat: int = 5, number: int = 1) -> float:
    """The best per-call time in seconds over ``repeat`` rounds of ``number`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            func()
        times.append((time.perf_counter() - start) / number)
    return min(times)


def median_of(func: Callable[[], Any], *, repeat: int = 5, number: int = 1) -> float:
    """The median per-call time in seconds over ``repeat`` rounds of ``number`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            func()
        times.append((time.perf_counter() - start) / number)
    return statistics.median(times)


def fmt_seconds(seconds: float) -> str:
    """A time with a readable unit."""
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.2f} µs"


class Report:
    """Collects and prints figures; ``rows`` keeps them for RESULTS.md."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []
        self.section = ""

    def heading(self, title: str) -> None:
        """Start a section."""
        self.section = title
        print(f"\n## {title}")

    def ratio(self, name: str, ours: float, baseline: float, baseline_name: str) -> None:
        """A figure beside its baseline: ours / baseline (lower is better)."""
        ratio = ours / baseline if baseline else float("inf")
        line = (
            f"{name}: {fmt_seconds(ours)} vs {baseline_name} {fmt_seconds(baseline)}"
            f" -> {ratio:.2f}x"
        )
        print(line)
        self.rows.append((self.section, name, fmt_seconds(ours), f"{ratio:.2f}x {baseline_name}"))

    def figure(self, name: str, value: str, note: str = "") -> None:
        """A figure without a baseline (a time, a size, a growth factor)."""
        print(f"{name}: {value}" + (f" ({note})" if note else ""))
        self.rows.append((self.section, name, value, note))
