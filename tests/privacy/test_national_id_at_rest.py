"""The national identity code: masked in every repr, in no log record, never in clear in
a SQLite dump."""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path
from typing import Any, cast

import attrs
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from privacy_services import (
    ANNA,
    PASSWORD,
    PEKKA,
    REL,
    bank,
    make_holder,
    make_services,
    ok,
    register,
)

from selfcare.adapters.memory.privacy import MemoryPrivacyUnitOfWork
from selfcare.adapters.sqlite.identity import SqliteIdentityUnitOfWork
from selfcare.adapters.sqlite.schema import open_database
from selfcare.authz.model import USER
from selfcare.core.ids import AccountId
from selfcare.identity.ids import LoginSource
from selfcare.identity.national_id import NationalId
from selfcare.identity.national_id_at_rest import NationalIdKey
from selfcare.privacy import PrivacyService
from selfcare.testing.strategies import ENTITIES

SOURCE = LoginSource("192.0.2.1")


def _national_ids(value: object, depth: int = 0) -> list[NationalId]:
    """Every national id reachable from ``value`` through attrs fields and containers."""
    if depth > 6:
        return []
    if isinstance(value, NationalId):
        return [value]
    found: list[NationalId] = []
    if attrs.has(type(value)):
        for field in attrs.fields(cast("Any", type(value))):
            found += _national_ids(getattr(value, field.name), depth + 1)
    elif isinstance(value, tuple | list | frozenset | set):
        for item in value:
            found += _national_ids(item, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            found += _national_ids(item, depth + 1)
    return found


def _forms(national_id: NationalId) -> tuple[str, ...]:
    compact = national_id.compact
    return (compact, compact.replace("-", "").replace("+", ""), compact[-4:] + compact[:6])


_ENTITIES = sorted(ENTITIES, key=lambda cls: cls.__qualname__)


@pytest.mark.parametrize("cls", _ENTITIES, ids=lambda cls: cls.__qualname__)
@settings(max_examples=8)
@given(data=st.data())
def test_every_entity_masks_the_national_ids_it_holds(cls: type, data: st.DataObject) -> None:
    value: Any = data.draw(ENTITIES[cls])
    shown = repr(value) + str(value)
    for national_id in _national_ids(value):
        for form in _forms(national_id):
            assert form not in shown, cls


@pytest.mark.parametrize(
    "name",
    ["Account", "Registration", "CustomerRecord", "IdentityAssertion", "PersonalDataExport"],
)
def test_the_entities_that_hold_a_national_id_are_among_those_checked(name: str) -> None:
    cls = next(cls for cls in ENTITIES if cls.__name__ == name)
    holding = find(
        ENTITIES[cls],
        lambda value: bool(_national_ids(value)),
        settings=settings(phases=[Phase.generate], database=None),
    )
    assert _national_ids(holding)


def _journey(caplog: pytest.LogCaptureFixture) -> tuple[NationalId, ...]:
    """Every use case that sees a national id, with every logger recording."""
    services = make_services()
    with caplog.at_level(logging.DEBUG):
        anna = register(services, ANNA, "anna@example.fi").account
        pekka = register(services, PEKKA, "pekka@example.fi").account
        services.identity.login("anna@example.fi", PASSWORD + "x", source=SOURCE)
        services.identity.login(ANNA.compact, PASSWORD, source=SOURCE)
        ok(services.identity.login("anna@example.fi", PASSWORD, source=SOURCE))
        ok(services.identity.change_email(anna.id, "anna.v@example.fi"))
        make_holder(services, anna.id)
        issued = services.authz.invite(
            REL,
            "pekka@example.fi",
            first_name="Pekka",
            last_name="Virtanen",
            message="For the cottage.",
            roles={USER},
            inviter=AccountId(anna.id),
        ).unwrap()
        services.authz.accept(issued.token, AccountId(pekka.id)).unwrap()
        services.authz.link_customer_relationships(
            AccountId(anna.id), bank(ANNA, services.clock.now())
        ).unwrap()
        privacy = PrivacyService(uow=MemoryPrivacyUnitOfWork(services.db), clock=services.clock)
        privacy.export_personal_data(AccountId(anna.id)).unwrap()
        privacy.erase_account(AccountId(anna.id)).unwrap()
        privacy.purge_expired().unwrap()
    return ANNA, PEKKA


def test_no_log_record_carries_a_national_id(caplog: pytest.LogCaptureFixture) -> None:
    codes = _journey(caplog)
    assert caplog.records  # the privacy use cases do log
    for record in caplog.records:
        text = record.getMessage() + repr(record.args) + str(record.exc_text)
        for national_id in codes:
            for form in _forms(national_id):
                assert form not in text, record


def test_a_sqlite_dump_after_registration_shows_no_identity_code(tmp_path: Path) -> None:
    database = open_database(tmp_path / "selfcare.db")
    key = NationalIdKey(os.urandom(32))
    services = make_services(identity_uow=SqliteIdentityUnitOfWork(database, key))
    register(services, ANNA, "anna@example.fi")
    half = ok(services.identity.start_registration(language="fi"))
    ok(services.identity.accept_terms(half.id, terms_version="1", national_id=PEKKA))
    with services.identity_uow as uow:
        assert uow.accounts.find_by_national_id(ANNA) is not None
        assert uow.registrations.find(half.id) is not None
    database.close()
    with sqlite3.connect(tmp_path / "selfcare.db") as connection:
        dump = "\n".join(connection.iterdump())
    connection.close()
    assert "INSERT INTO" in dump
    for national_id in (ANNA, PEKKA):
        for form in _forms(national_id):
            assert form not in dump
    raw = (tmp_path / "selfcare.db").read_bytes()
    for national_id in (ANNA, PEKKA):
        assert national_id.compact.encode() not in raw
