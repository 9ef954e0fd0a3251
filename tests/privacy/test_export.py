"""Export (GDPR Art. 15 and 20): everything about one person, one JSON document."""

from __future__ import annotations

import json
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from privacy_world import T0, Link, Person, example_person, populate, privacy_at, worlds

from selfcare.adapters.memory import MemoryDatabase
from selfcare.core.ids import AccountId
from selfcare.privacy import REDACTED, SCHEMA_VERSION, PersonalDataExport, PersonalDataExported
from selfcare.serialization import structure

NOW = T0 + timedelta(hours=1)


def collect(db: MemoryDatabase, person: Person) -> PersonalDataExport:
    return privacy_at(db, NOW).collect_personal_data(AccountId(person.account_id)).unwrap()


def test_the_export_holds_every_kind_of_record_of_the_person() -> None:
    anna = example_person(1, "Qannavirt", 308)
    pekka = example_person(2, "Qpekkavir", 309)
    db = populate(
        [anna, pekka],
        [
            Link(giver=0, receiver=1, how="grant"),
            Link(giver=1, receiver=0, how="accepted"),
            Link(giver=1, receiver=0, how="declined"),
        ],
        {0},
    )
    export = collect(db, anna)
    assert export.schema_version == SCHEMA_VERSION
    assert export.exported_at == NOW
    assert export.account.id == anna.account_id
    assert export.account.national_id == anna.national_id
    assert {r.id for r in export.registrations} == {"reg-1-1", "reg-1-2"}
    assert [g.id for g in export.grants_received] == ["g-100", "g-301"]
    assert [g.id for g in export.grants_given] == ["g-0"]
    assert [i.id for i in export.invitations_sent] == ["inv-500"]
    assert [i.id for i in export.invitations_received] == ["inv-1", "inv-2"]
    assert [o.id for o in export.orders] == ["order-0"]
    assert [c.id for c in export.one_time_codes] == ["otp-0"]
    assert [f.id for f in export.feedback] == ["fb-0", "fb-100"]


def test_secrets_are_redacted_and_only_their_existence_shows() -> None:
    anna = example_person()
    export = collect(populate([anna], [], {0}), anna)
    assert export.account.password_hash == REDACTED
    assert export.account.pending_email is not None
    assert export.account.pending_email.token_digest == REDACTED
    assert all(i.token_hash == REDACTED for i in export.invitations_sent)
    assert all(c.salt == REDACTED and c.code_hash == REDACTED for c in export.one_time_codes)
    assert all(r.password_hash in (None, REDACTED) for r in export.registrations)
    text = json.dumps(export.document())
    assert f"hash-{anna.marker}" not in text
    assert f"digest-{anna.marker}" not in text
    assert "salt-0" not in text


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), st.data())
def test_the_document_is_json_and_reads_back_into_the_export(
    world: tuple[list[Person], list[Link], set[int]], data: st.DataObject
) -> None:
    persons, links, pending = world
    db = populate(persons, links, pending)
    person = data.draw(st.sampled_from(persons))
    outcome = privacy_at(db, NOW).export_personal_data(AccountId(person.account_id))
    document = outcome.unwrap()
    assert outcome.events == (
        PersonalDataExported(occurred_at=NOW, account_id=AccountId(person.account_id)),
    )
    assert document["schema_version"] == SCHEMA_VERSION
    text = json.dumps(document)
    assert structure(json.loads(text), PersonalDataExport) == collect(db, person)
    # Another person's own values appear only where they are linked to this one.
    unlinked = [
        other
        for i, other in enumerate(persons)
        if other is not person
        and not any({link.giver, link.receiver} == {i, persons.index(person)} for link in links)
    ]
    for other in unlinked:
        assert other.marker.lower() not in text.lower()
        assert other.national_id.compact not in text


def test_an_unknown_account_has_nothing_to_export() -> None:
    result = privacy_at(MemoryDatabase(), NOW).export_personal_data(AccountId("acc-nobody"))
    assert result.codes == ("privacy.account_not_found",)
    assert result.decision.violations[0].message("fi") == "Tunnuksella ei löydy käyttäjätiliä."
