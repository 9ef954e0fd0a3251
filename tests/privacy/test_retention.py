"""Retention: ended registrations, invitations and one-time codes are purged on schedule."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from privacy_world import T0, challenge, example_person, invitation, privacy_at, registration_of

from selfcare.adapters.memory import MemoryDatabase
from selfcare.adapters.memory.privacy import MemoryPrivacyUnitOfWork
from selfcare.authz.invitation import InvitationId, InvitationStatus
from selfcare.bootstrap import Policies, bootstrap
from selfcare.core.errors import SelfcareError
from selfcare.identity.otp import ChallengeState
from selfcare.identity.registration import RegistrationState
from selfcare.privacy import (
    DEFAULT_RETENTION,
    ExpiredRecordsPurged,
    PurgeCounts,
    RetentionPolicy,
)
from selfcare.privacy.ports import PrivacyUnitOfWork
from selfcare.privacy.rules import (
    challenge_is_purgeable,
    invitation_is_purgeable,
    registration_is_purgeable,
)

DAY = timedelta(days=1)
ANNA = example_person()


def _world() -> MemoryDatabase:
    """One record of every state, each ended at T0."""
    db = MemoryDatabase()
    uow = MemoryPrivacyUnitOfWork(db)
    base = registration_of(ANNA, number=1, completed=False)
    with uow:
        uow.registrations.add(attrs.evolve(base, id="abandoned", updated_at=T0))
        uow.registrations.add(
            attrs.evolve(
                base,
                id="expired",
                state=RegistrationState.IDENTIFIED,
                updated_at=T0 - timedelta(minutes=30),
                expires_at=T0,
            )
        )
        uow.registrations.add(
            attrs.evolve(base, id="completed", state=RegistrationState.COMPLETED, updated_at=T0)
        )
        created = T0 - timedelta(days=7)
        sent = invitation(1, inviter=ANNA, email=ANNA.email, name="Outi")
        pending = attrs.evolve(sent, created_at=created, expires_at=T0)
        uow.invitations.add(attrs.evolve(pending, id=InvitationId("inv-expired")))
        for status in (
            InvitationStatus.DECLINED,
            InvitationStatus.ACCEPTED,
            InvitationStatus.REVOKED,
        ):
            uow.invitations.add(
                attrs.evolve(
                    pending,
                    id=InvitationId(f"inv-{status.value}"),
                    status=status,
                    closed_at=T0,
                    token_hash=f"{status.value:x<64}",
                )
            )
        issued = T0 - timedelta(minutes=10)
        code = challenge(0, ANNA.phone, at=issued)
        uow.one_time_codes.add(attrs.evolve(code, id="otp-expired"))
        uow.one_time_codes.add(
            attrs.evolve(code, id="otp-locked", state=ChallengeState.LOCKED, attempts=5)
        )
        uow.one_time_codes.add(
            attrs.evolve(
                code,
                id="otp-verified",
                state=ChallengeState.VERIFIED,
                verified_at=issued + timedelta(minutes=1),
            )
        )
        uow.commit()
    return db


def _scan(db: MemoryDatabase, table: str) -> list[Any]:
    return db.table(table).scan()


def _ids(db: MemoryDatabase, table: str) -> set[str]:
    return {row.id for row in _scan(db, table)}


def purge(
    target: MemoryDatabase | PrivacyUnitOfWork,
    *,
    now: datetime,
    policy: RetentionPolicy = DEFAULT_RETENTION,
) -> PurgeCounts:
    return privacy_at(target, now, policy).purge_expired().unwrap()


def test_nothing_is_purged_before_the_period_has_passed() -> None:
    db = _world()
    counts = purge(db, now=T0 + timedelta(hours=1))
    assert counts == PurgeCounts()
    assert counts.total == 0


def test_the_defaults_purge_each_kind_after_its_own_period() -> None:
    db = _world()
    uow = MemoryPrivacyUnitOfWork(db)
    # A verified code counts from its verification, nine minutes before T0.
    assert purge(uow, now=T0 + DAY - timedelta(minutes=8)) == PurgeCounts(one_time_codes=1)
    assert _ids(db, "otp_challenges") == {"otp-expired", "otp-locked"}
    # One day and a second after T0: only one-time codes (1 day) have gone - all three
    # were spent by T0 (verified, locked, or dead at their expiry).
    assert purge(uow, now=T0 + DAY + timedelta(seconds=1)) == PurgeCounts(one_time_codes=2)
    assert _ids(db, "otp_challenges") == set()
    # Thirty days on: expired and abandoned registrations, expired and declined invitations.
    counts = purge(uow, now=T0 + 30 * DAY + timedelta(seconds=1))
    assert counts == PurgeCounts(registrations=2, invitations=2)
    assert counts.total == 4
    assert _ids(db, "registrations") == {"completed"}
    assert _ids(db, "authz_invitations") == {"inv-accepted", "inv-revoked"}
    # Running it again removes nothing more.
    assert purge(uow, now=T0 + 30 * DAY + timedelta(seconds=1)) == PurgeCounts()


def test_a_record_ended_exactly_one_period_ago_is_kept() -> None:
    db = _world()
    counts = purge(db, now=T0 + 30 * DAY)
    assert counts.registrations == 0
    assert counts.invitations == 0


def test_the_periods_are_configurable() -> None:
    db = _world()
    policy = RetentionPolicy(registrations=timedelta(0), invitations=DAY, one_time_codes=30 * DAY)
    counts = purge(db, policy=policy, now=T0 + 2 * DAY)
    assert counts == PurgeCounts(registrations=2, invitations=2, one_time_codes=0)


def test_the_defaults_are_the_documented_ones() -> None:
    assert (
        RetentionPolicy(
            registrations=timedelta(days=30),
            invitations=timedelta(days=30),
            one_time_codes=timedelta(days=1),
            login_throttles=timedelta(days=1),
        )
        == DEFAULT_RETENTION
    )


def test_a_negative_period_is_refused() -> None:
    with pytest.raises(SelfcareError) as caught:
        RetentionPolicy(invitations=timedelta(days=-1))
    assert caught.value.codes == ("privacy.invalid_retention",)
    assert caught.value.violations[0].params == {"setting": "invitations"}


def test_a_purge_returns_what_it_removed_as_one_event_and_nothing_when_nothing_was() -> None:
    db = _world()
    later = T0 + 60 * DAY
    outcome = privacy_at(db, later).purge_expired()
    assert outcome.events == (
        ExpiredRecordsPurged(occurred_at=later, registrations=2, invitations=2, one_time_codes=3),
    )
    again = privacy_at(db, later).purge_expired()
    assert again.unwrap() == PurgeCounts()
    assert again.events == ()


def test_purge_logs_counts_only(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="selfcare.privacy"):
        purge(_world(), now=T0 + 60 * DAY)
    assert [r.getMessage() for r in caplog.records] == [
        "retention purge: 2 registrations, 2 invitations, 3 one-time codes, 0 login throttles"
    ]


@settings(max_examples=50)
@given(
    st.integers(0, 90 * 86_400),
    st.integers(0, 90 * 86_400),
    st.integers(0, 90 * 86_400),
    st.integers(-86_400, 120 * 86_400),
)
def test_purge_removes_exactly_what_the_rules_call_purgeable(
    registrations: int, invitations: int, codes: int, later: int
) -> None:
    policy = RetentionPolicy(
        registrations=timedelta(seconds=registrations),
        invitations=timedelta(seconds=invitations),
        one_time_codes=timedelta(seconds=codes),
    )
    now = T0 + timedelta(seconds=later)
    db = _world()
    expected = PurgeCounts(
        registrations=sum(
            registration_is_purgeable(r, policy=policy, now=now) for r in _scan(db, "registrations")
        ),
        invitations=sum(
            invitation_is_purgeable(i, policy=policy, now=now)
            for i in _scan(db, "authz_invitations")
        ),
        one_time_codes=sum(
            challenge_is_purgeable(c, policy=policy, now=now) for c in _scan(db, "otp_challenges")
        ),
    )
    uow = MemoryPrivacyUnitOfWork(db)
    assert purge(uow, policy=policy, now=now) == expected
    assert purge(uow, policy=policy, now=now) == PurgeCounts()


def test_bootstrap_gives_the_privacy_service_the_operators_retention() -> None:
    policy = RetentionPolicy(one_time_codes=timedelta(hours=2))
    app = bootstrap(policies=Policies(retention=policy))
    assert app.privacy.retention == policy
    assert bootstrap().privacy.retention == DEFAULT_RETENTION
