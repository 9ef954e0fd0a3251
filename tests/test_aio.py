"""selfcare.aio runs the use cases off the event loop, each worker thread with units of
work of its own."""

from __future__ import annotations

import asyncio
import contextvars
import os
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from selfcare.aio import AsyncApp
from selfcare.bootstrap import App, bootstrap, memory_storage, sqlite_storage
from selfcare.core.clock import SystemClock
from selfcare.core.errors import NotFound
from selfcare.core.ids import AccountId, SequentialIds
from selfcare.identity.account import Account
from selfcare.identity.contact import EmailAddress
from selfcare.identity.hashing import ScryptHasher
from selfcare.identity.ids import LoginSource
from selfcare.identity.national_id import parse_national_id
from selfcare.identity.ports import PasswordHasher
from selfcare.identity.profile import Profile
from selfcare.testing.fakes import CountingSecrets


class SlowHasher:
    """A real scrypt (a cheap setting) that takes as long as a production one: it
    sleeps 100 ms per hash, as OWASP's setting takes on a server, without burning the
    CPU of a shared test machine. Sleeping, like scrypt, lets other threads run."""

    def __init__(self) -> None:
        self._scrypt = ScryptHasher(n=2**10)

    def hash(self, password: str) -> str:
        time.sleep(0.1)
        return self._scrypt.hash(password)

    def verify(self, password: str, encoded: str) -> bool:
        time.sleep(0.1)
        return self._scrypt.verify(password, encoded)

    def needs_rehash(self, encoded: str) -> bool:
        return self._scrypt.needs_rehash(encoded)

    def exceeds_current(self, encoded: str) -> bool:
        return self._scrypt.exceeds_current(encoded)


HASHER = SlowHasher()
#: A real scrypt at a quarter of a production setting's cost (16 MiB, tens of ms).
REAL_SCRYPT = ScryptHasher(n=2**14)
SOURCE = LoginSource("198.51.100.7")
PASSWORD = "Kuusi7Sorsaa!"
USERS = 50
#: How late a 5 ms timer may fire while the logins run.
MAX_LAG = 0.050


def _hetu(index: int) -> str:
    """A valid Finnish identity code of someone born on 1 March 1980 (individual
    number 100 + index)."""
    number = int(f"010380{100 + index:03d}")
    return f"010380-{100 + index:03d}" + "0123456789ABCDEFHJKLMNPRSTUVWXY"[number % 31]


def _add_users(app: App, count: int, encoded: str) -> None:
    """``count`` accounts with the password hash ``encoded`` (one hash for all: the
    tests are about logging in)."""
    with app.storage.identity as uow:
        for index in range(count):
            uow.accounts.add(
                Account(
                    id=AccountId(f"user-{index}"),
                    national_id=parse_national_id(_hetu(index), "FI", today=date(2026, 3, 2)),
                    profile=Profile(
                        given_names="Test",
                        surname=f"User{index}",
                        email=EmailAddress.parse(f"user{index}@example.fi"),
                    ),
                    password_hash=encoded,
                    created_at=datetime(2026, 1, 1, tzinfo=UTC),
                )
            )
        uow.commit()


def _app(storage_kind: str, folder: Path, hasher: PasswordHasher) -> App:
    storage = (
        sqlite_storage(folder / "portal.sqlite3", national_id_key=os.urandom(32))
        if storage_kind == "sqlite"
        else memory_storage()
    )
    built = bootstrap(
        storage,
        clock=SystemClock(),
        ids=SequentialIds("t"),
        secrets=CountingSecrets(),
        hasher=hasher,
    )
    encoded = hasher.hash(PASSWORD)
    _add_users(built, USERS, encoded)
    return built


@pytest.fixture(params=["sqlite", "memory"])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[App]:
    built = _app(request.param, tmp_path, HASHER)
    yield built
    built.close()


async def _lags_while(work: Callable[[], Awaitable[object]]) -> tuple[object, list[float]]:
    """Run ``work`` while a task sleeps 5 ms at a time; return its result and how late
    each of the task's wake-ups came."""
    loop = asyncio.get_running_loop()
    lags: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        while not done.is_set():
            start = loop.time()
            await asyncio.sleep(0.005)
            lags.append(loop.time() - start - 0.005)

    tick = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    try:
        result = await work()
    finally:
        done.set()
        await tick
    return result, lags


def _fifty_logins(app: App, workers: int) -> tuple[object, list[float]]:
    async def main() -> tuple[object, list[float]]:
        async with AsyncApp(app, max_workers=workers) as portal:
            # A first login imports what the login path loads lazily (once per process,
            # holding the GIL); the timer measures the steady state after it.
            await portal.call(
                lambda a: a.identity.login, "user0@example.fi", PASSWORD, source=SOURCE
            )

            async def logins() -> list[bool]:
                outcomes = await asyncio.gather(
                    *(
                        portal.call(
                            lambda a: a.identity.login,
                            f"user{i}@example.fi",
                            PASSWORD,
                            source=SOURCE,
                        )
                        for i in range(USERS)
                    )
                )
                return [outcome.ok for outcome in outcomes]

            return await _lags_while(logins)

    return asyncio.run(main())


def test_fifty_concurrent_logins_leave_the_event_loop_responsive(app: App) -> None:
    results, lags = _fifty_logins(app, workers=4)
    assert results == [True] * USERS
    assert len(lags) >= 10, "the timer should have fired many times during the logins"
    assert max(lags) < MAX_LAG, f"the event loop stalled for {max(lags) * 1000:.0f} ms"


@pytest.mark.slow
def test_fifty_logins_with_a_real_scrypt_leave_the_loop_responsive(tmp_path: Path) -> None:
    """scrypt releases the GIL while it hashes; with as many workers as the machine has
    cores the event loop keeps its pace."""
    app = _app("sqlite", tmp_path, REAL_SCRYPT)
    try:
        results, lags = _fifty_logins(app, workers=min(4, os.cpu_count() or 1))
    finally:
        app.close()
    assert results == [True] * USERS
    assert max(lags) < MAX_LAG, f"the event loop stalled for {max(lags) * 1000:.0f} ms"


def test_the_same_logins_called_on_the_loop_stall_it(app: App) -> None:
    """The contrast that shows the timer test can fail: blocking calls stop the loop."""

    async def main() -> tuple[object, list[float]]:
        async def blocking_logins() -> list[bool]:
            return [
                app.identity.login(f"user{i}@example.fi", PASSWORD, source=SOURCE).ok
                for i in range(5)
            ]

        return await _lags_while(blocking_logins)

    results, lags = asyncio.run(main())
    assert results == [True] * 5
    assert max(lags) >= MAX_LAG


def test_each_worker_thread_has_units_of_work_of_its_own(app: App) -> None:
    barrier = threading.Barrier(4, timeout=10)

    def seen(a: App) -> tuple[int, int]:
        barrier.wait()  # four workers at once, so that four threads are used
        return threading.get_ident(), id(a.storage.identity)

    async def main() -> list[tuple[int, int]]:
        async with AsyncApp(app, max_workers=4) as portal:
            first = await asyncio.gather(*(portal.run(seen) for _ in range(4)))
            again = await asyncio.gather(*(portal.run(seen) for _ in range(4)))
        return [*first, *again]

    seen_pairs = asyncio.run(main())
    threads = {thread for thread, _ in seen_pairs}
    units = {unit for _, unit in seen_pairs}
    assert len(threads) == 4
    assert len(units) == 4  # one unit of work per thread, kept between calls
    assert id(app.storage.identity) not in units  # the caller's app is left alone


def test_a_worker_app_shares_everything_but_the_units_of_work(app: App) -> None:
    other = app.for_another_thread()
    assert other.storage.identity is not app.storage.identity
    assert other.identity is not app.identity
    assert (other.clock, other.notifier, other.policies) == (app.clock, app.notifier, app.policies)
    assert other.customers is app.customers
    # the same database: what one writes, the other reads
    account = other.identity.login("user3@example.fi", PASSWORD, source=SOURCE).unwrap()
    with app.storage.identity as uow:
        stored = uow.accounts.find(account.id)
    assert stored is not None
    assert stored.last_login_at is not None


def test_exceptions_and_context_variables_cross_the_thread(app: App) -> None:
    request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id")

    def fails(_: App) -> None:
        raise NotFound("no such thing")

    async def main() -> str:
        request_id.set("req-42")
        async with AsyncApp(app, max_workers=2) as portal:
            with pytest.raises(NotFound):
                await portal.run(fails)
            return await portal.run(lambda _: request_id.get())

    assert asyncio.run(main()) == "req-42"


def test_a_refusal_comes_back_as_an_outcome(app: App) -> None:
    async def main() -> tuple[str, ...]:
        async with AsyncApp(app) as portal:
            outcome = await portal.call(
                lambda a: a.identity.login, "user1@example.fi", "wrong", source=SOURCE
            )
        return outcome.codes

    assert asyncio.run(main()) == ("login.invalid_credentials",)


def test_at_least_one_worker() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        AsyncApp(bootstrap(), max_workers=0)
