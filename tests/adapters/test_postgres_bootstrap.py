"""``bootstrap(postgres_storage(...))`` wires every service over one PostgreSQL database."""

from __future__ import annotations

from datetime import UTC, datetime

from postgres_server import PostgresSchemas

from selfcare.bootstrap import bootstrap, postgres_storage
from selfcare.testing.fakes import CountingSecrets, SequentialIds, SteppableClock


def test_postgres_storage_serves_the_use_cases(postgres_schemas: PostgresSchemas) -> None:
    schema = postgres_schemas.new().schema
    storage = postgres_storage(
        postgres_schemas.dsn, national_id_key=b"k" * 32, pool_size=2, schema=schema
    )
    app = bootstrap(
        storage,
        clock=SteppableClock(datetime(2026, 3, 2, 8, tzinfo=UTC)),
        ids=SequentialIds("id"),
        secrets=CountingSecrets(),
    )
    try:
        started = app.identity.start_registration(language="fi").unwrap()
        with storage.identity as uow:
            assert uow.registrations.find(started.id) == started
    finally:
        app.close()
