"""Sealed national identity codes on every SQL engine: bound to their row, rotated by key
id (issue 15)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from engines import Database, Engine

from selfcare.adapters._sql.identity import IdentityRepositories
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import AccountId
from selfcare.identity.national_id_at_rest import NationalIdKey, NationalIdKeyRing
from selfcare.privacy.service import PrivacyService
from selfcare.testing.contracts.identity import example_account
from selfcare.testing.fakes import SteppableClock

OLD = NationalIdKey(b"old-key-0123456789abcdefghijklmnop", key_id="2025")
NEW = NationalIdKey(b"new-key-0123456789abcdefghijklmnop", key_id="2026")


def _document(database: Database, table: str, key: str) -> dict[str, object]:
    data = database.fetch(f"SELECT data FROM {table} WHERE key = ?", [key])[0][0]  # noqa: S608
    document: dict[str, object] = json.loads(data)
    return document


def _write_document(
    engine: Engine, database: Database, table: str, key: str, document: dict[str, object]
) -> None:
    with engine.identity(database, OLD) as uow:
        sql = f"UPDATE {table} SET data = ? WHERE key = ?"  # noqa: S608
        assert database.write(sql, [json.dumps(document), key]) == 1
        uow.commit()


def test_a_sealed_code_copied_into_another_row_does_not_read_back_there(
    engine: Engine,
) -> None:
    database = engine.new()
    anna, ville = example_account(1), example_account(2)
    with engine.identity(database, OLD) as uow:
        uow.accounts.add(anna)
        uow.accounts.add(ville)
        uow.commit()
    forged = _document(database, "identity_accounts", ville.id)
    forged["national_id"] = _document(database, "identity_accounts", anna.id)["national_id"]
    _write_document(engine, database, "identity_accounts", ville.id, forged)
    with engine.identity(database, OLD) as uow:
        assert uow.accounts.find(anna.id) == anna
        with pytest.raises(SelfcareError) as refused:
            uow.accounts.find(ville.id)
    assert refused.value.codes == ("national_id.sealed_invalid",)
    # ...so Ville's GDPR export cannot show Anna's code: it fails instead.
    privacy = PrivacyService(
        uow=engine.privacy(database, OLD), clock=SteppableClock(datetime(2026, 3, 2, tzinfo=UTC))
    )
    with pytest.raises(SelfcareError) as refused:
        privacy.export_personal_data(AccountId(ville.id))
    assert refused.value.codes == ("national_id.sealed_invalid",)


def test_rotation_reseals_only_what_the_retired_key_sealed(engine: Engine) -> None:
    database = engine.new()
    first, second = example_account(1), example_account(2)
    with engine.identity(database, OLD) as uow:
        uow.accounts.add(first)
        uow.commit()
    ring = NationalIdKeyRing(NEW, retired=[OLD], lookup=OLD)
    with engine.identity(database, ring) as uow:
        uow.accounts.add(second)  # sealed with the new key at once
        uow.commit()
    assert str(_document(database, "identity_accounts", first.id)["national_id"]).startswith(
        "nid2:2025:"
    )
    with engine.identity(database, ring) as uow:
        assert isinstance(uow, IdentityRepositories)
        assert uow.reseal_national_ids() == 1
        uow.commit()
    with engine.identity(database, ring) as uow:
        assert isinstance(uow, IdentityRepositories)
        assert uow.reseal_national_ids() == 0
    for account in (first, second):
        sealed = str(_document(database, "identity_accounts", account.id)["national_id"])
        assert sealed.startswith("nid2:2026:")
    # the old key can go: everything reads and is found under the new one alone
    without_old = NationalIdKeyRing(NEW, lookup=OLD)
    with engine.identity(database, without_old) as uow:
        assert uow.accounts.find(first.id) == first
        assert uow.accounts.find_by_national_id(first.national_id) == first
        assert uow.accounts.find_by_national_id(second.national_id) == second


def test_a_new_lookup_key_is_a_rehash_of_every_row(engine: Engine) -> None:
    database = engine.new()
    account = example_account(1)
    with engine.identity(database, OLD) as uow:
        uow.accounts.add(account)
        uow.commit()
    rehashed = NationalIdKeyRing(NEW, retired=[OLD])  # the lookup key is NEW too
    with engine.identity(database, rehashed) as uow:
        assert uow.accounts.find_by_national_id(account.national_id) is None  # not yet
        assert isinstance(uow, IdentityRepositories)
        assert uow.reseal_national_ids(rehash=True) == 1
        uow.commit()
    with engine.identity(database, NEW) as uow:
        assert uow.accounts.find_by_national_id(account.national_id) == account
