"""Reproductions of the login and password defects of issues 15, 17 and 18.

Each test here failed on the code before the fix (checked): the lock-out of an owner by
anyone who knows the address, failure counts that never decay, an unthrottled password
change, hash strings naming gigabytes of scrypt memory, downgrading rehashes, and the
password hash computed inside the write transaction.
"""

from __future__ import annotations

import hashlib
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import pytest

from selfcare.bootstrap import App, Policies, bootstrap, memory_storage, sqlite_storage
from selfcare.identity.account import Account
from selfcare.identity.hashing import ScryptHasher
from selfcare.identity.ids import LoginSource
from selfcare.identity.login import LoginPolicy
from selfcare.testing.contracts.identity import example_account
from selfcare.testing.fakes import CountingSecrets, SequentialIds, SteppableClock

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
PASSWORD = "Kuusi7Sorsaa"
EMAIL = "user1@example.fi"
OWNER = LoginSource("198.51.100.7")
ATTACKER = LoginSource("203.0.113.9")
HASHER = ScryptHasher(n=2**4)


def make_app(
    *, login: LoginPolicy | None = None, hasher: ScryptHasher | None = None, storage=None
) -> tuple[App, SteppableClock, Account]:  # type: ignore[no-untyped-def]
    clock = SteppableClock(T0)
    used = hasher or HASHER
    app = bootstrap(
        storage or memory_storage(),
        clock=clock,
        ids=SequentialIds("id"),
        secrets=CountingSecrets(),
        policies=Policies(login=login or LoginPolicy()),
        hasher=used,
    )
    account = attrs.evolve(example_account(1), password_hash=used.hash(PASSWORD))
    with app.storage.identity as uow:
        uow.accounts.add(account)
        uow.commit()
    return app, clock, account


def test_an_attacker_failing_once_a_minute_for_a_day_never_keeps_the_owner_out() -> None:
    app, clock, _ = make_app()
    refused_owner = 0
    for minute in range(24 * 60):
        app.identity.login(EMAIL, "Wrong7Sorsaa", source=ATTACKER)
        if minute % 17 == 0:
            refused_owner += not app.identity.login(EMAIL, PASSWORD, source=OWNER).ok
        clock.advance(timedelta(minutes=1))
    assert refused_owner == 0


def test_failures_decay_so_a_few_typos_a_day_never_lock_the_owner() -> None:
    app, clock, _ = make_app()
    for _day in range(5):
        for _ in range(4):
            assert not app.identity.login(EMAIL, "typo", source=OWNER).ok
        clock.advance(timedelta(days=1))
    for _ in range(4):
        assert not app.identity.login(EMAIL, "typo", source=OWNER).ok
    # 24 failures in six days, never five within the decay window: no lock.
    assert app.identity.login(EMAIL, PASSWORD, source=OWNER).ok


def test_password_change_is_throttled_like_login() -> None:
    app, _, account = make_app()
    for _ in range(20):
        wrong = app.identity.change_password(
            account.id, current="Wrong7Sorsaa", new="Uusi9Sorsaa!x", source=ATTACKER
        )
        assert not wrong.ok
    guessed = app.identity.change_password(
        account.id, current=PASSWORD, new="Uusi9Sorsaa!x", source=ATTACKER
    )
    assert guessed.codes == ("login.temporarily_locked",)
    # The owner, from elsewhere, is not affected.
    assert app.identity.change_password(
        account.id, current=PASSWORD, new="Uusi9Sorsaa!x", source=OWNER
    ).ok


def test_a_hash_naming_four_gib_of_scrypt_memory_never_verifies_nor_allocates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    real = hashlib.scrypt

    def counting(*args: object, **kwargs: object) -> bytes:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(hashlib, "scrypt", counting)
    salt, key = "c2FsdHNhbHRzYWx0c2FsdA", "A" * 43
    crafted = f"scrypt$n=1048576,r=32,p=1${salt}${key}"  # 128 * 32 * 2**20 = 4 GiB
    assert ScryptHasher(n=2**4).verify("anything", crafted) is False
    assert calls == []


def test_rehash_at_login_never_downgrades_a_stronger_hash() -> None:
    strong = ScryptHasher(n=2**6)
    app, _, account = make_app()
    stored = strong.hash(PASSWORD)
    with app.storage.identity as uow:
        current = uow.accounts.find(account.id)
        assert current is not None
        uow.accounts.update(attrs.evolve(current, password_hash=stored, version=2))
        uow.commit()
    logged_in = app.identity.login(EMAIL, PASSWORD, source=OWNER).unwrap()
    assert logged_in.password_hash == stored


class SlowHasher:
    """A hasher whose verification takes half a second and says when it is inside."""

    def __init__(self) -> None:
        self._inner = ScryptHasher(n=2**4)
        self.entered = threading.Event()
        self.inside = False

    def hash(self, password: str) -> str:
        return self._inner.hash(password)

    def verify(self, password: str, encoded: str) -> bool:
        self.inside = True
        self.entered.set()
        time.sleep(0.5)
        self.inside = False
        return self._inner.verify(password, encoded)

    def needs_rehash(self, encoded: str) -> bool:
        return self._inner.needs_rehash(encoded)

    def exceeds_current(self, encoded: str) -> bool:
        return self._inner.exceeds_current(encoded)


@pytest.mark.parametrize("engine", ["memory", "sqlite"])
def test_a_write_during_a_login_does_not_wait_for_the_password_hash(
    engine: str, tmp_path: Path
) -> None:
    storage = (
        memory_storage()
        if engine == "memory"
        else sqlite_storage(tmp_path / "db.sqlite3", national_id_key=b"k" * 32, busy_timeout=5)
    )
    slow = SlowHasher()
    app, _, _ = make_app(storage=storage, hasher=slow)  # type: ignore[arg-type]
    other = bootstrap(storage, clock=SteppableClock(T0), secrets=CountingSecrets())
    results: list[bool] = []

    def log_in() -> None:
        # The writer's change commits while this login hashes: it must still succeed.
        results.append(app.identity.login(EMAIL, PASSWORD, source=OWNER).ok)

    login = threading.Thread(target=log_in)
    login.start()
    try:
        assert slow.entered.wait(5)
        started = time.perf_counter()
        other.identity.start_registration(language="fi").unwrap()
        waited = time.perf_counter() - started
        # The writer finished while the hasher still sleeps: it never waited for it.
        assert slow.inside, f"the write waited for the password hash ({waited:.3f} s)"
    finally:
        login.join()
        storage.close()
    assert results == [True]
