"""After an erasure on SQLite, the person's values are nowhere in the files - not in the
database file's free pages, not in the write-ahead log - nor in the process's cache of
read entities; and the files are private to their owner (issue 15)."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from privacy_world import T0, Link, Person, example_person, feedback, populate_into, privacy_at

from selfcare.adapters._sql import _table
from selfcare.adapters.sqlite._db import SqliteDatabase
from selfcare.adapters.sqlite.privacy import SqlitePrivacyUnitOfWork
from selfcare.adapters.sqlite.schema import open_database
from selfcare.bootstrap import sqlite_storage
from selfcare.core.ids import AccountId
from selfcare.core.ports import next_version
from selfcare.identity.national_id_at_rest import NationalIdKey, SealedAt

NOW = T0 + timedelta(hours=1)
KEY = NationalIdKey(b"k" * 32)


def _files(path: Path) -> Iterator[tuple[str, bytes]]:
    for suffix in ("", "-wal", "-shm"):
        candidate = Path(f"{path}{suffix}")
        if candidate.exists():
            yield suffix or "database", candidate.read_bytes()


def _traces(person: Person) -> list[bytes]:
    """What of the person could be in a file: the values in clear (as stored: the
    surname and e-mail marker, the phone) and the stored forms of the identity code."""
    sealed = KEY.seal(
        person.national_id, SealedAt("identity_accounts", person.account_id, "national_id")
    )
    return [
        person.marker.encode(),
        person.marker.lower().encode(),
        person.phone.e164.encode(),
        KEY.lookup_hash(person.national_id).encode(),
        sealed.encode(),
    ]


def _erase_anna(path: Path) -> tuple[Person, Person]:
    """Anna and Ville with every kind of record, several versions of Anna's account and
    a long message of hers; then Anna is erased."""
    database = open_database(path)
    uow = SqlitePrivacyUnitOfWork(database, KEY)
    anna = example_person(1, "Qannavirt", 308)
    ville = example_person(2, "Qvillekor", 309)
    populate_into(uow, [anna, ville], [Link(0, 1, "grant"), Link(1, 0, "accepted")], set())
    with uow:  # a long message: its row spills into overflow pages, freed on erasure
        text = f"{anna.marker} wrote: " + "the router blinks. " * 400
        uow.feedback.submit(feedback(7, text=text, account_id=anna.account_id))
        uow.commit()
    for _ in range(5):  # several versions of Anna's account, as a portal writes them
        with uow:
            account = uow.accounts.find(anna.account_id)
            assert account is not None
            uow.accounts.update(next_version(account, failed_logins=account.failed_logins + 1))
            uow.commit()
    assert any(anna.marker.encode() in content for _, content in _files(path))
    privacy_at(uow, NOW).erase_account(AccountId(anna.account_id)).unwrap()
    with uow:
        assert uow.accounts.find(ville.account_id) is not None
    database.close()
    return anna, ville


def test_after_erasure_no_file_of_the_database_holds_the_persons_values(
    tmp_path: Path,
) -> None:
    path = tmp_path / "selfcare.sqlite3"
    anna, ville = _erase_anna(path)
    for name, content in _files(path):
        for trace in _traces(anna):
            assert trace not in content, (name, trace)
    assert any(ville.marker.encode() in content for _, content in _files(path))


def test_without_secure_delete_the_free_pages_would_keep_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The control of the test above: SQLite's stock setting (secure_delete=OFF; some
    # builds, like this one maybe, default to ON) leaves the erased rows in free pages.
    connect = SqliteDatabase._connect

    def stock(self: SqliteDatabase) -> sqlite3.Connection:
        conn = connect(self)
        conn.execute("PRAGMA secure_delete=OFF")
        return conn

    monkeypatch.setattr(SqliteDatabase, "_connect", stock)
    path = tmp_path / "selfcare.sqlite3"
    anna, _ = _erase_anna(path)
    assert anna.marker.encode() in dict(_files(path))["database"]


def test_every_connection_overwrites_deleted_content(tmp_path: Path) -> None:
    database = open_database(tmp_path / "selfcare.sqlite3")
    seen: list[object] = []
    worker = threading.Thread(target=lambda: seen.append(database.fetch("PRAGMA secure_delete")))
    worker.start()
    worker.join()
    assert database.fetch("PRAGMA secure_delete") == [(1,)]
    assert seen == [[(1,)]]
    database.close()


def test_after_erasure_the_cache_of_read_entities_is_empty(tmp_path: Path) -> None:
    database = open_database(tmp_path / "selfcare.sqlite3")
    uow = SqlitePrivacyUnitOfWork(database, KEY)
    anna = example_person(1)
    populate_into(uow, [anna], [], set())
    with uow:
        assert uow.accounts.find(anna.account_id) is not None  # now cached, code in clear
    assert _table._structured.cache_info().currsize > 0
    privacy_at(uow, NOW).erase_account(AccountId(anna.account_id)).unwrap()
    assert _table._structured.cache_info().currsize == 0
    database.close()


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_database_files_are_private_to_their_owner(tmp_path: Path, umask_022: None) -> None:
    path = tmp_path / "selfcare.sqlite3"
    storage = sqlite_storage(path, national_id_key=b"k" * 32)
    with storage.privacy as uow:
        populate_into(uow, [example_person(1)], [], set())
    files = [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm")]
    assert all(file.exists() for file in files)
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file.name
    storage.close()


def test_an_existing_database_file_keeps_its_mode(tmp_path: Path, umask_022: None) -> None:
    path = tmp_path / "selfcare.sqlite3"
    path.touch(mode=0o640)
    open_database(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
