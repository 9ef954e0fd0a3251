"""Run every benchmark: ``python bench/run.py [NAME ...]``.

Each figure is printed beside a baseline measured in the same run, as a ratio. Needs
the ``dev`` extra; some benchmarks compare against libraries installed for the bench
only (see ``bench/requirements.txt``) and say so when one is missing.
"""

from __future__ import annotations

import importlib
import platform
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from harness import Report  # noqa: E402


def main(names: list[str]) -> int:
    """Run the benchmarks named (all when none) and print the figures."""
    report = Report()
    print(f"# selfcare benchmarks on {platform.machine()} / Python {platform.python_version()}")
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if names and name not in names:
            continue
        importlib.import_module(path.stem).run(report)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
