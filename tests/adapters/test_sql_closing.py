"""Closing one's own account on SQLite and PostgreSQL (the ``engine`` fixture): the
erasure, the throttle rows and the invitations in one transaction, rolled back whole
when the storage fails midway, and the invoices kept."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from engines import Engine

sys.path.insert(0, str(Path(__file__).parent.parent / "privacy"))

from closing_world import (
    ANNA,
    PASSWORD,
    PEKKA,
    SOURCE,
    World,
    failing_erasure_log,
    grant,
    invite,
    invoice,
    make_world,
    ok,
    register,
)

from selfcare.bootstrap import Storage
from selfcare.core.errors import StorageUnavailable
from selfcare.core.ids import AccountId
from selfcare.identity.ids import LoginSource
from selfcare.identity.national_id_at_rest import NationalIdKey
from selfcare.privacy.closing import PasswordReauthentication
from selfcare.privacy.closing_data import KeptRecord

ANNA_EMAIL = "anna.virtanen@example.fi"


def by_password() -> PasswordReauthentication:
    return PasswordReauthentication(password=PASSWORD, source=LoginSource(SOURCE))


@pytest.fixture
def world(engine: Engine, national_id_key: NationalIdKey) -> tuple[World, object]:
    database = engine.new()
    storage = Storage(
        identity=engine.identity(database, national_id_key),
        authz=engine.authz(database),
        catalog=engine.catalog(database),
        billing=engine.billing(database),
        privacy=engine.privacy(database, national_id_key),
    )
    return make_world(storage), database


def _anna_with_a_sent_invitation(world: World) -> None:
    anna = register(world, ANNA, ANNA_EMAIL)
    pekka = register(world, PEKKA, "pekka@example.fi")
    grant(world, anna)
    grant(world, pekka)
    invite(world, anna, "maija@example.fi")
    world.app.identity.login(ANNA_EMAIL, "Wrong7Guess", source=LoginSource(SOURCE))
    invoice(world, 1001, date(2026, 2, 1))


def test_closing_erases_the_person_and_keeps_the_invoices(
    world: tuple[World, object], engine: Engine
) -> None:
    app_world, database = world
    _anna_with_a_sent_invitation(app_world)
    anna = AccountId("id-2")
    summary = ok(app_world.app.privacy.closing_summary_of(anna))
    assert [item.record for item in summary.kept] == [KeptRecord.INVOICES]
    with app_world.app.storage.billing as uow:
        before = [i.gross_total for i in uow.invoices.for_payer("100234")]

    report = ok(app_world.app.privacy.close_own_account(anna, by_password(), confirm=True))

    assert (report.login_throttles_deleted, report.invitations_revoked) == (1, 1)
    text = "\n".join(engine.dump(database)).lower()  # type: ignore[arg-type]
    for value in (ANNA_EMAIL, "virtanen", ANNA.compact.lower()):
        assert value not in text
    with app_world.app.storage.billing as uow:
        assert [i.gross_total for i in uow.invoices.for_payer("100234")] == before


def test_a_storage_failure_midway_rolls_the_whole_closing_back(
    world: tuple[World, object], engine: Engine
) -> None:
    app_world, database = world
    _anna_with_a_sent_invitation(app_world)
    anna = AccountId("id-2")
    before = engine.dump(database)  # type: ignore[arg-type]
    with failing_erasure_log(app_world.app.storage.privacy), pytest.raises(StorageUnavailable):
        app_world.app.privacy.close_own_account(anna, by_password(), confirm=True)

    assert engine.dump(database) == before  # type: ignore[arg-type]
    assert app_world.notifier.sent[-1].template != "account.closed"
