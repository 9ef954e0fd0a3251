"""Running the demo: open the database, run the five journeys, say where it is kept.

The database is a temporary SQLite file unless ``--db PATH`` keeps one; a file that
already holds a demo run, or is no SQLite database, is refused and left untouched.
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Final, TextIO

from selfcare.bootstrap import Storage, sqlite_storage
from selfcare.core.errors import StorageUnavailable
from selfcare.core.messages import normalize_language
from selfcare.demo import (
    company_phone,
    identity_not_on_file,
    registration,
    spouse_access,
    tv_order,
)
from selfcare.demo.printer import Printer
from selfcare.demo.world import DEMO_KEY, World, open_world

__all__ = ["run_demo"]

#: The journeys, in the order they run (each builds on the ones before).
JOURNEYS: Final[tuple[Callable[[World], None], ...]] = (
    registration.run,
    identity_not_on_file.run,
    tv_order.run,
    spouse_access.run,
    company_phone.run,
)


def _has_demo_data(path: Path) -> bool:
    """Whether ``path`` is a SQLite file the library has already migrated."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    with contextlib.closing(sqlite3.connect(path)) as conn:
        row = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
    return row is not None


def run_demo(out: TextIO, *, lang: str = "en", db: str | Path | None = None) -> int:
    """Run the five journeys, printing in ``lang``; returns the exit code.

    Args:
        out: where to print.
        lang: ``en``, ``fi``, ``sv`` or ``nb``.
        db: a SQLite file to keep; a temporary one (removed afterwards) when ``None``.

    Returns:
        0 when every journey ran; 2 when ``db`` already holds a demo run or cannot be
        opened as a SQLite database (nothing is written to it then).
    """
    printer = Printer(out, normalize_language(lang))
    printer.line(printer.text("title"), 0)
    if db is not None:
        path = Path(db)
        try:
            if _has_demo_data(path):
                printer.say("db_in_use", indent=0, path=path)
                return 2
            storage = sqlite_storage(path, national_id_key=DEMO_KEY)
        except (sqlite3.Error, StorageUnavailable, OSError) as error:
            printer.say("db_unusable", indent=0, path=path, error=error)
            return 2
        return _run(printer, storage, path, keep=True)
    with tempfile.TemporaryDirectory(prefix="selfcare-demo-") as folder:
        path = Path(folder) / "demo.sqlite3"
        return _run(printer, sqlite_storage(path, national_id_key=DEMO_KEY), path, keep=False)


def _run(printer: Printer, storage: Storage, path: Path, *, keep: bool) -> int:
    printer.say("storage", indent=0, path=path if keep else path.name)
    try:
        world = open_world(storage, printer)
        for journey in JOURNEYS:
            journey(world)
    finally:
        storage.close()
    printer.line("", 0)
    if keep:
        printer.say("done", indent=0, path=path)
    else:
        printer.say("done_temporary", indent=0)
    return 0
