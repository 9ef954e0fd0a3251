"""Fixtures of the adapter tests: fresh SQLite files and PostgreSQL schemas, closed (and
dropped) after the test, and ``engine``, which runs a test once per SQL engine."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# The helpers beside this file (postgres_server, engines) import as top-level modules.
sys.path.insert(0, str(Path(__file__).parent))

from engines import Engine, PostgresEngine, SqliteEngine
from postgres_server import (
    DSN_VARIABLE,
    HOW_TO_RUN,
    PostgresSchemas,
    needs_postgres,
    postgres_dsn,
    postgres_required,
)

from selfcare.adapters.postgres import PostgresDatabase
from selfcare.adapters.sqlite import SqliteDatabase, open_database
from selfcare.identity.national_id_at_rest import NationalIdKey

NewDatabase = Callable[[], SqliteDatabase]
NewPostgresDatabase = Callable[[], PostgresDatabase]

_NOT_RUN = pytest.StashKey[int]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without a server, leave the PostgreSQL tests out and say so once (at the end of
    the run), rather than one skip line per test."""
    if os.environ.get(DSN_VARIABLE, "").strip() or postgres_required():
        return
    left_out = [item for item in items if needs_postgres(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not needs_postgres(item)]
    config.stash[_NOT_RUN] = len(left_out)


_SKIPPED = pytest.StashKey[list[str]]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Iterator[None]:
    """With ``SELFCARE_REQUIRE_POSTGRES`` (CI), note every PostgreSQL test skipped, for
    whatever reason: the run fails at the end (see pytest_sessionfinish)."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.skipped and postgres_required() and needs_postgres(item):
        item.config.stash.setdefault(_SKIPPED, []).append(item.nodeid)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if session.config.stash.get(_SKIPPED, []) and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    left_out = terminalreporter.config.stash.get(_NOT_RUN, 0)
    if left_out:
        terminalreporter.write_line(f"{left_out} PostgreSQL tests not run. {HOW_TO_RUN}")
    skipped = terminalreporter.config.stash.get(_SKIPPED, [])
    if skipped:
        terminalreporter.write_line(
            f"FAILED: {len(skipped)} PostgreSQL tests skipped while required, e.g. {skipped[0]}"
        )


@pytest.fixture
def new_database(tmp_path: Path) -> Iterator[NewDatabase]:
    """A factory of new, empty database files with the full schema."""
    opened: list[SqliteDatabase] = []

    def make() -> SqliteDatabase:
        database = open_database(tmp_path / f"db-{len(opened)}.sqlite3")
        opened.append(database)
        return database

    yield make
    for database in opened:
        database.close()


@pytest.fixture
def postgres_schemas() -> Iterator[PostgresSchemas]:
    """New PostgreSQL databases, each in a schema of its own on the test server (the
    test is skipped without one, see postgres_server.py)."""
    schemas = PostgresSchemas(postgres_dsn())
    yield schemas
    schemas.drop_all()


@pytest.fixture
def new_postgres_database(postgres_schemas: PostgresSchemas) -> NewPostgresDatabase:
    """A factory of new, empty PostgreSQL databases with the full schema."""
    return postgres_schemas.new


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """Each SQL engine in turn (the PostgreSQL run is skipped without a server)."""
    chosen: Engine
    if request.param == "sqlite":
        chosen = SqliteEngine(tmp_path_factory.mktemp("sqlite"))
    else:
        chosen = PostgresEngine(postgres_dsn())
    yield chosen
    chosen.close()


@pytest.fixture
def national_id_key() -> NationalIdKey:
    """A fixed operator key for sealing and hashing national identity codes."""
    return NationalIdKey(b"selfcare-test-key-0123456789abcdef")
