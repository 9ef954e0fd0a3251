"""Erasure (GDPR Art. 17): nothing of the person remains, nobody else's data changes."""

from __future__ import annotations

import logging
import tempfile
from datetime import timedelta
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from privacy_world import (
    T0,
    Link,
    Person,
    dump,
    example_person,
    grant,
    invitation,
    populate,
    populate_into,
    privacy_at,
    rows,
    worlds,
)

from selfcare.adapters.memory import MemoryDatabase
from selfcare.adapters.memory.privacy import MemoryPrivacyUnitOfWork
from selfcare.adapters.sqlite.privacy import SqlitePrivacyUnitOfWork
from selfcare.adapters.sqlite.schema import open_database
from selfcare.authz.invitation import Invitation, InvitationStatus
from selfcare.authz.model import Grant
from selfcare.core.ids import AccountId
from selfcare.identity.national_id_at_rest import NationalIdKey
from selfcare.privacy import ERASED_EMAIL, AccountErased, ErasureReport

NOW = T0 + timedelta(hours=1)


def erase(db: MemoryDatabase, person: Person) -> ErasureReport:
    return privacy_at(db, NOW).erase_account(AccountId(person.account_id)).unwrap()


def _mentions(text: str, person: Person) -> bool:
    lowered = text.lower()
    return f'"{person.account_id}"' in text or any(v in lowered for v in person.personal_values())


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), st.data())
def test_no_personal_value_of_the_erased_person_remains_and_nobody_elses_data_changed(
    world: tuple[list[Person], list[Link], set[int]], data: st.DataObject
) -> None:
    persons, links, pending = world
    db = populate(persons, links, pending)
    erased = data.draw(st.sampled_from(persons))
    before = dump(db)
    # The world really holds the person's values before (the search can find them).
    assert any(_mentions(text, erased) for text in before.values())

    erase(db, erased)

    after = dump(db)
    for key, text in after.items():
        lowered = text.lower()
        for value in erased.personal_values():
            assert value not in lowered, (key, value)
    for key, text in before.items():
        if not _mentions(text, erased):
            assert after.get(key) == text, key
    new = set(after) - set(before)
    assert new == {("privacy_erasures", erased.account_id)}


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), st.data())
def test_grants_the_person_gave_stay_valid_and_their_invitations_stay_countable(
    world: tuple[list[Person], list[Link], set[int]], data: st.DataObject
) -> None:
    persons, links, pending = world
    db = populate(persons, links, pending)
    erased = data.draw(st.sampled_from(persons))
    given_before = [g for g in rows(db, "authz_grants") if g.granted_by == erased.account_id]
    sent_before = [i for i in rows(db, "authz_invitations") if i.invited_by == erased.account_id]

    report = erase(db, erased)

    grants: dict[str, Grant] = {g.id: g for g in rows(db, "authz_grants")}
    for given_grant in given_before:
        assert grants[given_grant.id] == given_grant
        assert grants[given_grant.id].is_active(NOW)
    invitations: dict[str, Invitation] = {i.id: i for i in rows(db, "authz_invitations")}
    for sent in sent_before:
        kept = invitations[sent.id]
        assert (kept.relationship_id, kept.roles, kept.invited_by) == (
            sent.relationship_id,
            sent.roles,
            sent.invited_by,
        )
        assert kept.email.value == ERASED_EMAIL
        assert (kept.first_name, kept.last_name, kept.message) == ("", "", "")
        assert kept.status is not InvitationStatus.PENDING
    own = [g for g in grants.values() if g.user == erased.account_id]
    assert own
    assert not any(g.is_active(NOW) for g in own)
    assert report.invitations_anonymised >= len(sent_before)


def test_erased_account_is_gone_its_address_and_code_are_free_and_a_second_erase_says_so() -> None:
    db, person = _single()
    report = erase(db, person)
    assert report.tombstone.account_id == person.account_id
    assert report.registrations_deleted == 2
    assert report.grants_revoked == 1
    assert report.one_time_codes_deleted == 1
    assert report.feedback_deleted == 2
    uow = MemoryPrivacyUnitOfWork(db)
    with uow:
        assert uow.accounts.find(person.account_id) is None
        assert uow.accounts.find_by_email(person.email) is None
        assert uow.accounts.find_by_national_id(person.national_id) is None
    privacy = privacy_at(uow, NOW)
    again = privacy.erase_account(AccountId(person.account_id))
    assert again.codes == ("privacy.account_erased",)
    assert again.events == ()
    exported = privacy.export_personal_data(AccountId(person.account_id))
    assert exported.codes == ("privacy.account_erased",)


def test_unknown_account_cannot_be_erased() -> None:
    db, _ = _single()
    result = privacy_at(db, NOW).erase_account(AccountId("acc-nobody"))
    assert result.codes == ("privacy.account_not_found",)


def test_erasure_is_dated_by_the_service_clock_and_returns_its_event() -> None:
    db, person = _single()
    outcome = privacy_at(db, NOW).erase_account(AccountId(person.account_id))
    report = outcome.unwrap()
    assert report.tombstone.erased_at == NOW
    assert outcome.events == (
        AccountErased(
            occurred_at=NOW,
            account_id=AccountId(person.account_id),
            registrations_deleted=2,
            grants_revoked=1,
            invitations_anonymised=report.invitations_anonymised,
            invitations_revoked=report.invitations_revoked,
            one_time_codes_deleted=1,
            feedback_deleted=2,
        ),
    )


def test_a_pending_invitation_the_person_received_is_revoked_with_its_tombstone() -> None:
    db, person = _single()
    other = Person(number=2, marker="Qotherxyz", national_id=person.national_id, phone=person.phone)
    uow = MemoryPrivacyUnitOfWork(db)
    with uow:
        uow.invitations.add(invitation(77, inviter=other, email=person.email, name=person.marker))
        uow.commit()
    report = erase(db, person)
    assert report.invitations_revoked == 2  # the one they sent to an outsider, and this one
    with uow:
        kept = uow.invitations.find("inv-77")  # type: ignore[arg-type]
    assert kept is not None
    assert kept.status is InvitationStatus.REVOKED
    assert kept.closed_at == NOW
    assert kept.closed_by is None
    assert kept.invited_by == "acc-2"


def test_erasure_logs_the_account_id_and_counts_but_no_personal_value(
    caplog: pytest.LogCaptureFixture,
) -> None:
    db, person = _single()
    with caplog.at_level(logging.DEBUG):
        erase(db, person)
    assert caplog.records
    for record in caplog.records:
        text = record.getMessage().lower()
        assert person.account_id in text
        assert not any(value in text for value in person.personal_values())


def _single() -> tuple[MemoryDatabase, Person]:
    person = example_person()
    return populate([person], [], set()), person


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), st.data())
def test_after_erasure_a_sqlite_dump_holds_no_personal_value_of_the_person(
    world: tuple[list[Person], list[Link], set[int]], data: st.DataObject
) -> None:
    persons, links, pending = world
    erased = data.draw(st.sampled_from(persons))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "selfcare.db"
        database = open_database(path)
        uow = SqlitePrivacyUnitOfWork(database, NationalIdKey(b"k" * 32))
        populate_into(uow, persons, links, pending)
        before = "\n".join(database.connection.iterdump()).lower()
        assert erased.marker.lower() in before
        result = privacy_at(uow, NOW).erase_account(AccountId(erased.account_id))
        assert result.ok
        dump = "\n".join(database.connection.iterdump()).lower()
        database.close()
    for value in erased.personal_values():
        assert value not in dump
    for other in persons:
        if other is not erased:
            assert other.marker.lower() in dump


def test_grants_already_revoked_or_expired_are_left_as_they_are() -> None:
    db, person = _single()
    revoked = grant(7, person.account_id, person.relationship, by=None)
    revoked = attrs.evolve(revoked, revoked_at=T0 - timedelta(hours=1))
    expired = attrs.evolve(
        grant(8, person.account_id, person.relationship, by=None), valid_until=T0
    )
    uow = MemoryPrivacyUnitOfWork(db)
    with uow:
        uow.grants.add(revoked)
        uow.grants.add(expired)
        uow.commit()
    report = erase(db, person)
    assert report.grants_revoked == 1  # only the holder grant was still active
    with uow:
        assert uow.grants.find(revoked.id) == revoked
        assert uow.grants.find(expired.id) == expired


def test_erasure_deletes_the_login_throttle_rows_of_the_account() -> None:
    from closing_world import ANNA, SOURCE, make_world, register  # noqa: PLC0415

    world = make_world()
    anna = register(world, ANNA, "anna.virtanen@example.fi")
    refused = world.app.identity.login("anna.virtanen@example.fi", "wrong-one", source=SOURCE)
    assert refused.codes == ("login.invalid_credentials",)
    with world.app.storage.identity as uow:
        assert uow.login_throttles.for_account(anna)

    world.app.privacy.erase_account(anna).unwrap()

    with world.app.storage.identity as uow:
        assert list(uow.login_throttles.for_account(anna)) == []
