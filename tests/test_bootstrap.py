"""selfcare.bootstrap builds every service over memory or SQLite storage."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from selfcare.authz.accounts import IdentityAccountDirectory
from selfcare.bootstrap import App, Policies, bootstrap, memory_storage, sqlite_storage
from selfcare.identity.contact import EmailAddress
from selfcare.testing.fakes import CountingSecrets, SequentialIds, SteppableClock

T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)


def _app(storage_kind: str, tmp_path: Path) -> App:
    storage = (
        memory_storage()
        if storage_kind == "memory"
        else sqlite_storage(tmp_path / "db.sqlite3", national_id_key=os.urandom(32))
    )
    return bootstrap(
        storage, clock=SteppableClock(T0), ids=SequentialIds("t"), secrets=CountingSecrets()
    )


@pytest.mark.parametrize("storage_kind", ["memory", "sqlite"])
def test_bootstrap_wires_the_services_over_one_storage(storage_kind: str, tmp_path: Path) -> None:
    app = _app(storage_kind, tmp_path)
    try:
        started = app.identity.start_registration(language="sv").unwrap()
        assert started.id == "t-1"
        assert started.started_at == T0
        assert app.policies == Policies()
        assert isinstance(app.authz.accounts, IdentityAccountDirectory)
        assert app.authz.accounts.verified_email("nobody") is None  # type: ignore[arg-type]
        assert app.authz.accounts.find_by_email(EmailAddress.parse("a@example.fi")) is None
    finally:
        app.close()


def test_bootstrap_defaults_are_the_production_sources() -> None:
    app = bootstrap()
    first = app.identity.start_registration().unwrap()
    assert len(first.id) == 32  # a random UUID, not a sequence
    assert first.started_at.tzinfo is UTC
