"""``import selfcare`` time against a bare interpreter start, in fresh subprocesses."""

from __future__ import annotations

import subprocess
import sys

from harness import Report, median_of


def _spawn(code: str) -> None:
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603


def _heavy_modules_loaded() -> list[str]:
    probe = (
        "import sys, selfcare; print(','.join(m for m in ('zxcvbn', 'babel', 'phonenumbers',"
        " 'cattrs', 'stdnum') if m in sys.modules))"
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout.strip()
    return [m for m in out.split(",") if m]


def run(report: Report) -> None:
    report.heading("import selfcare")
    bare = median_of(lambda: _spawn("pass"), repeat=7)
    ours = median_of(lambda: _spawn("import selfcare"), repeat=7)
    report.ratio("python -c 'import selfcare' (process)", ours, bare, "python -c pass")
    report.figure("import selfcare itself", f"{(ours - bare) * 1e3:.1f} ms", "target < 100 ms")
    heavy = ", ".join(_heavy_modules_loaded()) or "none"
    report.figure("heavy modules loaded by the import", heavy)
