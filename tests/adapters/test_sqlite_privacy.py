"""The SQLite privacy stores pass the privacy contract suite, and erasure on SQLite
leaves no national identity code in the file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from selfcare.adapters.sqlite import SqliteDatabase, SqlitePrivacyUnitOfWork
from selfcare.core.errors import SelfcareError
from selfcare.identity.contact import PhoneNumber
from selfcare.identity.national_id_at_rest import NationalIdKey
from selfcare.privacy.ports import PrivacyUnitOfWork
from selfcare.testing.contracts.privacy import PrivacyUnitOfWorkContract

NewDatabase = Callable[[], SqliteDatabase]


class TestSqlitePrivacyUnitOfWork(PrivacyUnitOfWorkContract):
    @pytest.fixture(autouse=True)
    def _databases(self, new_database: NewDatabase, national_id_key: NationalIdKey) -> None:
        self.new_database = new_database
        self.key = national_id_key

    def make_unit_of_work(self) -> PrivacyUnitOfWork:
        return SqlitePrivacyUnitOfWork(self.new_database(), self.key)


def test_cutoffs_must_be_aware_and_junk_keys_find_nothing(
    new_database: NewDatabase, national_id_key: NationalIdKey
) -> None:
    uow = SqlitePrivacyUnitOfWork(new_database(), national_id_key)
    naive = datetime(2026, 3, 1)  # noqa: DTZ001 - the point of the test
    with uow:
        for finder in (
            uow.index.registrations_changed_before,
            uow.index.invitations_created_before,
            uow.one_time_codes.issued_before,
        ):
            with pytest.raises(SelfcareError) as refused:
                finder(naive)
            assert refused.value.codes == ("time.naive_datetime",)
        lone = "\ud800"
        assert uow.index.registrations_of_account(lone) == []
        assert uow.index.grants_given_by(lone) == []  # type: ignore[arg-type]
        assert uow.index.invitations_sent_by(lone) == []  # type: ignore[arg-type]
        assert uow.index.invitations_accepted_by(lone) == []  # type: ignore[arg-type]
        assert uow.index.orders_placed_by(lone) == []  # type: ignore[arg-type]
        assert not uow.index.delete_account(lone)
        assert not uow.index.delete_registration(lone)
        assert not uow.index.delete_invitation(lone)  # type: ignore[arg-type]
        assert uow.one_time_codes.find(lone) is None
        assert not uow.one_time_codes.delete(lone)
        assert uow.one_time_codes.for_phone(PhoneNumber.parse("040 123 4567")) == []
        assert uow.feedback.find(lone) is None
        assert uow.feedback.for_account(lone) == []
        assert uow.feedback.for_contact(None, None) == []
        assert not uow.feedback.delete(lone)
        assert uow.erasures.find(lone) is None
