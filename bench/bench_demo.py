"""The demo (five journeys end to end) on a SQLite file, against the same demo on an
in-memory SQLite database and against a bare ``python -m selfcare`` command."""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

from harness import Report, median_of

from selfcare.demo import run_demo


def _demo_on_file() -> None:
    with tempfile.TemporaryDirectory() as folder:
        assert run_demo(io.StringIO(), db=Path(folder) / "demo.sqlite3") == 0


def _demo_in_memory() -> None:
    assert run_demo(io.StringIO(), db=":memory:") == 0


def _spawn(*args: str) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "selfcare", *args], check=True, capture_output=True
    )


def run(report: Report) -> None:
    report.heading("demo: five journeys end to end")
    _demo_in_memory()  # warm: catalog, babel, zxcvbn loaded once
    on_file = median_of(_demo_on_file, repeat=5)
    in_memory = median_of(_demo_in_memory, repeat=5)
    report.ratio("run_demo on a SQLite file (WAL)", on_file, in_memory, "SQLite :memory:")
    command = median_of(lambda: _spawn("demo"), repeat=3)
    bare = median_of(lambda: _spawn("codes", "--prefix", "none"), repeat=3)
    report.ratio("python -m selfcare demo (process)", command, bare, "python -m selfcare codes")
