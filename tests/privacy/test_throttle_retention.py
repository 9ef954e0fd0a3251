"""Retention of failed-login counters: a counter that counts nothing any more (every
failure leaked away, no lock running) is removed a day after it last changed; one that
still counts is kept whatever its age, so a purge never changes a login's answer."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import attrs
import pytest
from privacy_world import T0, privacy_at

from selfcare.adapters.memory import MemoryDatabase
from selfcare.adapters.memory.privacy import MemoryPrivacyUnitOfWork
from selfcare.adapters.sqlite import SqlitePrivacyUnitOfWork, open_database
from selfcare.bootstrap import Policies, bootstrap
from selfcare.core.ids import AccountId
from selfcare.identity.ids import LoginSource, LoginThrottleKey
from selfcare.identity.login import LoginPolicy, throttle_at_rest
from selfcare.identity.national_id_at_rest import NationalIdKey
from selfcare.identity.throttle import LoginThrottle, pair_key, source_digest, source_key
from selfcare.privacy import DEFAULT_RETENTION, ExpiredRecordsPurged, PurgeCounts
from selfcare.privacy.ports import PrivacyUnitOfWork
from selfcare.privacy.rules import throttle_is_purgeable
from selfcare.privacy.service import PrivacyService
from selfcare.testing.fakes import SteppableClock

DAY = timedelta(days=1)
DIGEST = source_digest(LoginSource("192.0.2.1"))
ANNA = AccountId("anna")


def _pair(failures: int, *, at: timedelta = timedelta(0), **changes: object) -> LoginThrottle:
    record = LoginThrottle(
        key=pair_key(ANNA, DIGEST), account_id=ANNA, failures=failures, decayed_at=T0 + at
    )
    return attrs.evolve(record, **changes)


def _source(failures: int, *, at: timedelta = timedelta(0)) -> LoginThrottle:
    return LoginThrottle(key=source_key(DIGEST), failures=failures, decayed_at=T0 + at)


def _store(uow: PrivacyUnitOfWork, *records: LoginThrottle) -> None:
    with uow:
        for record in records:
            uow.login_throttles.add(record)
        uow.commit()


def _keys(uow: PrivacyUnitOfWork) -> set[str]:
    with uow:
        return {t.key for t in uow.login_throttles.changed_before(T0 + 365 * DAY)}


def test_a_counter_at_rest_is_removed_a_day_after_it_last_changed() -> None:
    uow = MemoryPrivacyUnitOfWork(MemoryDatabase())
    _store(uow, _source(0))
    assert privacy_at(uow, T0 + DAY).purge_expired().unwrap() == PurgeCounts()
    later = T0 + DAY + timedelta(seconds=1)
    outcome = privacy_at(uow, later).purge_expired()
    assert outcome.unwrap() == PurgeCounts(login_throttles=1)
    assert outcome.events == (ExpiredRecordsPurged(occurred_at=later, login_throttles=1),)
    assert _keys(uow) == set()


def test_a_counter_that_still_counts_is_kept_whatever_its_age() -> None:
    uow = MemoryPrivacyUnitOfWork(MemoryDatabase())
    policy = LoginPolicy()
    # 200 failures of a pair leak away at one per 10 minutes: 33 hours and 20 minutes.
    heavy = _pair(200)
    locked = attrs.evolve(
        LoginThrottle(
            key=LoginThrottleKey("pair:cd:pekka"),
            account_id=AccountId("pekka"),
            failures=0,
            decayed_at=T0,
        ),
        locked_until=T0 + 3 * DAY,
    )
    _store(uow, heavy, locked)
    at = T0 + DAY + timedelta(hours=1)
    assert not throttle_at_rest(heavy, at, policy)
    assert privacy_at(uow, at).purge_expired().unwrap() == PurgeCounts()
    at = T0 + timedelta(hours=33, minutes=20)
    assert throttle_at_rest(heavy, at, policy)
    assert privacy_at(uow, at).purge_expired().unwrap() == PurgeCounts(login_throttles=1)
    assert _keys(uow) == {"pair:cd:pekka"}  # its lock runs three days
    at = T0 + 3 * DAY
    assert privacy_at(uow, at).purge_expired().unwrap() == PurgeCounts(login_throttles=1)


def test_a_source_forgets_at_its_own_faster_rate() -> None:
    policy = LoginPolicy()
    # 100 failures of a source leak away at one per 36 seconds: one hour; 200 of a
    # pair at one per 10 minutes take 33 hours.
    source, pair = _source(100), _pair(200)
    at = T0 + timedelta(hours=1)
    assert throttle_at_rest(source, at, policy)
    assert not throttle_at_rest(pair, at, policy)
    retention = DEFAULT_RETENTION
    later = T0 + DAY + timedelta(seconds=1)
    assert throttle_is_purgeable(source, policy=retention, login_policy=policy, now=later)
    assert not throttle_is_purgeable(pair, policy=retention, login_policy=policy, now=later)


def test_the_login_policy_of_the_operator_decides_what_counts() -> None:
    slow = LoginPolicy(source_failure_decay=timedelta(hours=1))
    uow = MemoryPrivacyUnitOfWork(MemoryDatabase())
    _store(uow, _source(48))  # two days to forget at one an hour
    at = T0 + DAY + timedelta(hours=1)
    service = PrivacyService(uow=uow, clock=SteppableClock(at), login_policy=slow)
    assert service.purge_expired().unwrap() == PurgeCounts()
    assert privacy_at(uow, at).purge_expired().unwrap() == PurgeCounts(login_throttles=1)


def test_bootstrap_gives_the_privacy_service_the_login_policy() -> None:
    slow = LoginPolicy(failure_decay=timedelta(hours=2))
    assert bootstrap(policies=Policies(login=slow)).privacy.login_policy == slow
    assert bootstrap().privacy.login_policy == Policies().login


def test_the_purge_logs_the_counters_it_removed(caplog: pytest.LogCaptureFixture) -> None:
    uow = MemoryPrivacyUnitOfWork(MemoryDatabase())
    _store(uow, _source(0), _pair(0))
    with caplog.at_level(logging.INFO, logger="selfcare.privacy"):
        privacy_at(uow, T0 + 2 * DAY).purge_expired()
    assert [r.getMessage() for r in caplog.records] == [
        "retention purge: 0 registrations, 0 invitations, 0 one-time codes, 2 login throttles"
    ]


def test_on_sqlite_rows_written_before_the_column_existed_are_checked_too(
    tmp_path: Path,
) -> None:
    database = open_database(tmp_path / "selfcare.sqlite3")
    uow = SqlitePrivacyUnitOfWork(database, NationalIdKey(bytes(32)))
    _store(uow, _source(0), _pair(5, at=10 * DAY))
    # As rows written before migration identity_0007 are: no time in the column.
    with uow:
        database.write("UPDATE identity_login_throttles SET decayed_at_us = NULL")
        uow.commit()
    counts = privacy_at(uow, T0 + 2 * DAY).purge_expired().unwrap()
    assert counts == PurgeCounts(login_throttles=1)  # the pair changed after the cutoff
    assert _keys(uow) == {pair_key(ANNA, DIGEST)}
    database.close()
