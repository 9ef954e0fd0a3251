"""Logins racing on a SQL engine: no counted failure is lost, and nothing half-saved.

Each thread has its own service over its own database handle (its own connections),
as service processes behind a load balancer would. The password is verified outside
any transaction, so the writes interleave; every failure that was answered with its
``LoginFailed`` event is in the stored count, and a login that lost its
compare-and-set twice is refused with ``account.changed_meanwhile``, not half-saved.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import attrs
from engines import Engine

from selfcare.adapters.memory.identity import (
    MemoryCustomerDirectory,
    MemoryFeedbackInbox,
    RecordingNotifier,
)
from selfcare.core.outcome import Outcome
from selfcare.identity.account import Account
from selfcare.identity.events import LoginFailed
from selfcare.identity.hashing import ScryptHasher
from selfcare.identity.ids import LoginSource
from selfcare.identity.national_id_at_rest import NationalIdKey
from selfcare.identity.ports import IdentityUnitOfWork
from selfcare.identity.service import IdentityService
from selfcare.identity.throttle import source_digest, source_key
from selfcare.testing.contracts.identity import example_account
from selfcare.testing.fakes import CountingSecrets, SequentialIds, SteppableClock

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
HASHER = ScryptHasher(n=2**4)
THREADS, TRIES = 6, 4


def service(uow: IdentityUnitOfWork) -> IdentityService:
    return IdentityService(
        uow=uow,
        directory=MemoryCustomerDirectory(),
        hasher=HASHER,
        notifier=RecordingNotifier(),
        feedback_inbox=MemoryFeedbackInbox(),
        clock=SteppableClock(T0),
        ids=SequentialIds("id"),
        secrets=CountingSecrets(),
    )


def test_concurrent_failed_logins_are_all_counted(
    engine: Engine, national_id_key: NationalIdKey
) -> None:
    database = engine.new()
    account = attrs.evolve(example_account(1), password_hash=HASHER.hash("Kuusi7Sorsaa"))
    first = engine.identity(database, national_id_key)
    with first:
        first.accounts.add(account)
        first.commit()
    answers: list[Outcome[Account]] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def attacker(number: int) -> None:
        handle = engine.again(database)
        identity = service(engine.identity(handle, national_id_key))
        start.wait()
        for _ in range(TRIES):
            answer = identity.login(
                "user1@example.fi", "Wrong7Sorsaa", source=LoginSource(f"10.0.0.{number}")
            )
            with lock:
                answers.append(answer)
        handle.close()

    threads = [threading.Thread(target=attacker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counted = sum(any(isinstance(e, LoginFailed) for e in a.events) for a in answers)
    assert len(answers) == THREADS * TRIES
    assert {code for a in answers for code in a.codes} <= {
        "login.invalid_credentials",
        "account.changed_meanwhile",
    }
    with first:
        stored = first.accounts.find(account.id)
        sources = [
            first.login_throttles.find(source_key(source_digest(LoginSource(f"10.0.0.{n}"))))
            for n in range(THREADS)
        ]
    assert stored is not None
    assert stored.failed_logins == counted > 0
    assert sum(s.failures for s in sources if s is not None) == counted
    database.close()
