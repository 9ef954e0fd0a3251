"""Fixtures of the SQLite adapter tests: fresh database files that are closed after the test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from selfcare.adapters.sqlite import SqliteDatabase, open_database
from selfcare.identity.national_id_at_rest import NationalIdKey

NewDatabase = Callable[[], SqliteDatabase]


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
def national_id_key() -> NationalIdKey:
    """A fixed operator key for sealing and hashing national identity codes."""
    return NationalIdKey(b"selfcare-test-key-0123456789abcdef")
