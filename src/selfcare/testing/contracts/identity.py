# ruff: noqa: S101 - a contract suite is pytest tests, and pytest tests assert
"""Contract suites for the identity repositories: run them against your own.

::

    from selfcare.testing.contracts.identity import AccountRepositoryContract

    class TestMyAccountRepository(AccountRepositoryContract):
        def make_repository(self):
            return MyAccountRepository(connection=...)

Every test gets a fresh repository from the factory. No timing, no threads.
"""

from __future__ import annotations

from abc import abstractmethod
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from selfcare.core.errors import AlreadyExists, ConcurrencyConflict, NotFound, SelfcareError
from selfcare.core.ids import AccountId, CustomerNumber
from selfcare.core.ports import next_version
from selfcare.identity.account import (
    Account,
    PendingEmailChange,
    PendingRecovery,
    PendingUnlock,
    token_digest,
)
from selfcare.identity.contact import EmailAddress, PhoneNumber
from selfcare.identity.events import LoginMethod
from selfcare.identity.ids import LoginThrottleKey, RegistrationId
from selfcare.identity.national_id import Country, NationalId
from selfcare.identity.ports import (
    AccountRepository,
    IdentityUnitOfWork,
    LoginThrottleRepository,
    RegistrationRepository,
)
from selfcare.identity.profile import Language, Profile
from selfcare.identity.registration import (
    MatchedCustomer,
    Registration,
    RegistrationState,
)
from selfcare.identity.second_factor import PendingSecondStep
from selfcare.identity.throttle import LoginThrottle, new_throttle
from selfcare.identity.work_account import WorkAccountLink
from selfcare.testing.contracts._base import KEYS_NO_ROW_CAN_HOLD, Contract
from selfcare.testing.contracts.unit_of_work import UnitOfWorkContract

__all__ = [
    "AccountRepositoryContract",
    "IdentityUnitOfWorkContract",
    "LoginThrottleRepositoryContract",
    "RegistrationRepositoryContract",
    "example_account",
    "example_hetu",
    "example_registration",
]

_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_NOW = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)


def example_hetu(individual: int, *, day: int = 13, month: int = 10, year: int = 52) -> NationalId:
    """A valid Finnish identity code of someone born in the 1900s (``individual`` in
    2-899 picks the person)."""
    digits = f"{day:02d}{month:02d}{year:02d}{individual:03d}"
    compact = f"{digits[:6]}-{digits[6:]}{_CHECK[int(digits) % 31]}"
    return NationalId(Country.FI, compact)


def example_account(
    number: int = 1, *, email: str | None = None, national_id: NationalId | None = None
) -> Account:
    """A valid account; ``number`` makes its id, e-mail address and national id unique."""
    return Account(
        id=AccountId(f"account-{number}"),
        national_id=national_id or example_hetu(100 + number),
        profile=Profile(
            given_names="Anna",
            surname="Virtanen",
            email=EmailAddress.parse(email or f"user{number}@example.fi"),
            phone=PhoneNumber.parse("040 123 4567"),
            language=Language.FI,
        ),
        password_hash="scrypt$n=16,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + "A" * 43,
        created_at=_NOW,
    )


def example_registration(number: int = 1) -> Registration:
    """A registration part-way through, with customers matched."""
    return Registration(
        id=RegistrationId(f"registration-{number}"),
        state=RegistrationState.CUSTOMERS_MATCHED,
        started_at=_NOW,
        updated_at=_NOW,
        expires_at=_NOW + timedelta(minutes=30),
        terms_version="1",
        terms_accepted_at=_NOW,
        national_id=example_hetu(200 + number),
        identified_by="nordea",
        identified_at=_NOW,
        asserted_given_names="Anna",
        asserted_surname="Virtanen",
        customers=(MatchedCustomer(customer_number=CustomerNumber("100234"), kind="electricity"),),
    )


class AccountRepositoryContract(Contract):
    """What every ``AccountRepository`` must do (see
    :class:`~selfcare.identity.ports.AccountRepository`)."""

    @abstractmethod
    def make_repository(self) -> AccountRepository:
        """A new, empty repository."""
        raise NotImplementedError

    def test_added_account_can_be_read_back_by_id(self) -> None:
        repo = self.make_repository()
        account = example_account(1)
        repo.add(account)
        assert repo.find(account.id) == account

    def test_unknown_id_gives_none(self) -> None:
        assert self.make_repository().find("missing") is None

    def test_adding_the_same_id_twice_is_refused(self) -> None:
        repo = self.make_repository()
        repo.add(example_account(1))
        with pytest.raises(AlreadyExists):
            repo.add(example_account(1))

    def test_a_second_account_with_the_same_email_is_refused_case_insensitively(self) -> None:
        repo = self.make_repository()
        repo.add(example_account(1, email="anna@example.fi"))
        with pytest.raises(AlreadyExists):
            repo.add(example_account(2, email="ANNA@example.fi"))

    def test_a_second_account_for_the_same_person_is_refused(self) -> None:
        repo = self.make_repository()
        person = example_hetu(321)
        repo.add(example_account(1, national_id=person))
        with pytest.raises(AlreadyExists):
            repo.add(example_account(2, national_id=person))

    def test_keys_no_row_can_hold_find_nothing(self) -> None:
        repo = self.make_repository()
        repo.add(example_account(1))
        for key in KEYS_NO_ROW_CAN_HOLD:
            assert repo.find(key) is None

    def test_find_by_email_ignores_case(self) -> None:
        repo = self.make_repository()
        account = example_account(1, email="Anna.Li@example.fi")
        repo.add(account)
        assert repo.find_by_email(EmailAddress.parse("anna.li@EXAMPLE.fi")) == account
        assert repo.find_by_email(EmailAddress.parse("other@example.fi")) is None

    def test_find_by_national_id(self) -> None:
        repo = self.make_repository()
        account = example_account(1)
        repo.add(account)
        repo.add(example_account(2))
        assert repo.find_by_national_id(account.national_id) == account
        assert repo.find_by_national_id(example_hetu(800)) is None

    def test_update_saves_the_next_version(self) -> None:
        repo = self.make_repository()
        account = example_account(1)
        repo.add(account)
        changed = next_version(account, failed_logins=3)
        repo.update(changed)
        stored = repo.find(account.id)
        assert stored == changed
        assert stored is not None
        assert stored.version == 2

    def test_update_from_a_stale_version_is_a_conflict(self) -> None:
        repo = self.make_repository()
        account = example_account(1)
        repo.add(account)
        repo.update(next_version(account, failed_logins=1))
        with pytest.raises(ConcurrencyConflict):
            repo.update(next_version(account, failed_logins=2))
        stored = repo.find(account.id)
        assert stored is not None
        assert stored.failed_logins == 1

    def test_update_of_an_unknown_account_is_not_found(self) -> None:
        repo = self.make_repository()
        with pytest.raises(NotFound):
            repo.update(next_version(example_account(1)))

    def test_update_to_another_accounts_email_is_refused(self) -> None:
        repo = self.make_repository()
        first, second = example_account(1), example_account(2)
        repo.add(first)
        repo.add(second)
        moved = next_version(second, profile=attrs.evolve(second.profile, email=first.email))
        with pytest.raises(AlreadyExists):
            repo.update(moved)
        assert repo.find(second.id) == second

    def test_changed_email_is_found_under_the_new_address_only(self) -> None:
        repo = self.make_repository()
        account = example_account(1)
        repo.add(account)
        new = EmailAddress.parse("new@example.fi")
        repo.update(next_version(account, profile=attrs.evolve(account.profile, email=new)))
        found = repo.find_by_email(new)
        assert found is not None
        assert found.id == account.id
        assert repo.find_by_email(account.email) is None

    def test_every_field_survives_storage(self) -> None:
        repo = self.make_repository()
        account = attrs.evolve(
            example_account(1),
            failed_logins=2,
            locked_until=_NOW + timedelta(minutes=1),
            last_login_at=_NOW,
            password_changed_at=_NOW,
            pending_email=PendingEmailChange(
                email=EmailAddress.parse("next@example.fi"),
                token_digest=token_digest("t"),
                requested_at=_NOW,
                expires_at=_NOW + timedelta(hours=24),
            ),
            pending_unlock=_unlock("u"),
            pending_recovery=PendingRecovery(
                token_digest=token_digest("r"),
                requested_at=_NOW,
                expires_at=_NOW + timedelta(hours=1),
            ),
        )
        repo.add(account)
        assert repo.find(account.id) == account

    def test_find_by_unlock_token_finds_only_the_pending_link(self) -> None:
        repo = self.make_repository()
        first, second = example_account(1), example_account(2)
        repo.add(first)
        repo.add(attrs.evolve(second, pending_unlock=_unlock("second")))
        assert repo.find_by_unlock_token(token_digest("second")) == attrs.evolve(
            second, pending_unlock=_unlock("second")
        )
        assert repo.find_by_unlock_token(token_digest("first")) is None
        repo.update(next_version(first, pending_unlock=_unlock("first")))
        found = repo.find_by_unlock_token(token_digest("first"))
        assert found is not None
        assert found.id == first.id
        repo.update(next_version(found, pending_unlock=None))
        assert repo.find_by_unlock_token(token_digest("first")) is None

    def test_find_by_recovery_token_finds_only_the_pending_link(self) -> None:
        repo = self.make_repository()
        first, second = example_account(1), example_account(2)
        link = PendingRecovery(
            token_digest=token_digest("second"),
            requested_at=_NOW,
            expires_at=_NOW + timedelta(hours=1),
        )
        repo.add(first)
        repo.add(attrs.evolve(second, pending_recovery=link))
        assert repo.find_by_recovery_token(token_digest("second")) == attrs.evolve(
            second, pending_recovery=link
        )
        assert repo.find_by_recovery_token(token_digest("first")) is None
        assert repo.find_by_unlock_token(token_digest("second")) is None
        found = repo.find_by_recovery_token(token_digest("second"))
        assert found is not None
        repo.update(next_version(found, pending_recovery=None))
        assert repo.find_by_recovery_token(token_digest("second")) is None

    def test_find_by_pending_login_finds_only_the_waiting_login(self) -> None:
        repo = self.make_repository()
        first, second = example_account(1), example_account(2)
        waiting = attrs.evolve(second, pending_login=_pending_login("second"))
        repo.add(first)
        repo.add(waiting)
        assert repo.find_by_pending_login(token_digest("second")) == waiting
        assert repo.find_by_pending_login(token_digest("first")) is None
        assert repo.find_by_unlock_token(token_digest("second")) is None
        repo.update(next_version(waiting, pending_login=None))
        assert repo.find_by_pending_login(token_digest("second")) is None

    def test_terms_and_work_account_survive_storage(self) -> None:
        repo = self.make_repository()
        account = attrs.evolve(
            example_account(1),
            terms_version="2026-03",
            terms_accepted_at=_NOW,
            pending_login=_pending_login("p"),
            work_account=_work_link("tenant-a", "emp-1", "Anna@Company.example"),
        )
        repo.add(account)
        assert repo.find(account.id) == account

    def test_find_by_work_account_needs_the_tenant_and_the_address(self) -> None:
        repo = self.make_repository()
        linked = attrs.evolve(
            example_account(1), work_account=_work_link("tenant-a", "emp-1", "anna@company.example")
        )
        repo.add(linked)
        repo.add(example_account(2, email="anna@company.example"))
        work = EmailAddress.parse("ANNA@company.example")
        assert repo.find_by_work_account("tenant-a", work) == linked
        # The same address in another tenant, or an account whose username it merely is,
        # is no link.
        assert repo.find_by_work_account("tenant-b", work) is None
        assert (
            repo.find_by_work_account("tenant-a", EmailAddress.parse("x@company.example")) is None
        )
        for key in KEYS_NO_ROW_CAN_HOLD:
            assert repo.find_by_work_account(key, work) is None

    def test_a_work_account_links_one_account_at_most(self) -> None:
        repo = self.make_repository()
        link = _work_link("tenant-a", "emp-1", "anna@company.example")
        repo.add(attrs.evolve(example_account(1), work_account=link))
        second = example_account(2)
        repo.add(second)
        with pytest.raises(AlreadyExists):
            repo.update(next_version(second, work_account=link))
        with pytest.raises(AlreadyExists):
            repo.add(attrs.evolve(example_account(3), work_account=link))
        assert repo.find(second.id) == second

    def test_an_unlinked_work_account_is_found_no_more(self) -> None:
        repo = self.make_repository()
        linked = attrs.evolve(
            example_account(1), work_account=_work_link("tenant-a", "emp-1", "anna@company.example")
        )
        repo.add(linked)
        repo.update(next_version(linked, work_account=None))
        work = EmailAddress.parse("anna@company.example")
        assert repo.find_by_work_account("tenant-a", work) is None
        other = attrs.evolve(
            example_account(2), work_account=_work_link("tenant-a", "emp-2", "anna@company.example")
        )
        repo.add(other)
        assert repo.find_by_work_account("tenant-a", work) == other


def _pending_login(token: str) -> PendingSecondStep:
    return PendingSecondStep(
        token_digest=token_digest(token),
        expires_at=_NOW + timedelta(minutes=5),
        method=LoginMethod.STRONG_IDENTIFICATION,
    )


def _work_link(tenant: str, subject: str, email: str) -> WorkAccountLink:
    return WorkAccountLink(
        tenant_id=tenant,
        subject=subject,
        email=EmailAddress.parse(email),
        linked_at=_NOW,
        last_issued_at=_NOW - timedelta(minutes=1),
    )


def _unlock(token: str) -> PendingUnlock:
    return PendingUnlock(
        token_digest=token_digest(token), requested_at=_NOW, expires_at=_NOW + timedelta(hours=1)
    )


def _throttle(key: str, account_id: str | None = None, failures: int = 1) -> LoginThrottle:
    fresh = new_throttle(LoginThrottleKey(key), _NOW, AccountId(account_id) if account_id else None)
    return attrs.evolve(fresh, failures=failures, version=1)


class LoginThrottleRepositoryContract(Contract):
    """What every ``LoginThrottleRepository`` must do (see
    :class:`~selfcare.identity.ports.LoginThrottleRepository`)."""

    @abstractmethod
    def make_repository(self) -> LoginThrottleRepository:
        """A new, empty repository."""
        raise NotImplementedError

    def test_added_record_can_be_read_back_with_every_field(self) -> None:
        repo = self.make_repository()
        record = attrs.evolve(
            _throttle("pair:ab:account-1", "account-1", 5),
            locked_until=_NOW + timedelta(minutes=2),
        )
        repo.add(record)
        assert repo.find(record.key) == record
        assert repo.find(LoginThrottleKey("pair:ab:account-2")) is None

    def test_adding_the_same_key_twice_is_refused(self) -> None:
        repo = self.make_repository()
        repo.add(_throttle("source:ab"))
        with pytest.raises(AlreadyExists):
            repo.add(_throttle("source:ab"))

    def test_update_is_compare_and_set(self) -> None:
        repo = self.make_repository()
        record = _throttle("source:ab")
        repo.add(record)
        repo.update(next_version(record, failures=2))
        with pytest.raises(ConcurrencyConflict):
            repo.update(next_version(record, failures=9))
        stored = repo.find(record.key)
        assert stored is not None
        assert stored.failures == 2
        with pytest.raises(NotFound):
            repo.update(next_version(_throttle("source:missing")))

    def test_for_account_lists_the_pairs_of_one_account_oldest_first(self) -> None:
        repo = self.make_repository()
        first = _throttle("pair:aa:account-1", "account-1")
        other = _throttle("pair:aa:account-2", "account-2")
        second = _throttle("pair:bb:account-1", "account-1")
        for record in (first, other, second, _throttle("source:aa")):
            repo.add(record)
        assert list(repo.for_account(AccountId("account-1"))) == [first, second]
        assert list(repo.for_account(AccountId("account-9"))) == []

    def test_changed_before_finds_the_records_last_changed_before_a_moment(self) -> None:
        repo = self.make_repository()
        old = attrs.evolve(_throttle("source:old"), decayed_at=_NOW - timedelta(days=2))
        recent = _throttle("source:recent")
        repo.add(old)
        repo.add(recent)
        assert list(repo.changed_before(_NOW - timedelta(days=1))) == [old]
        # a change moves a record's time: it is found by its new one
        repo.update(next_version(old, decayed_at=_NOW))
        assert list(repo.changed_before(_NOW - timedelta(days=1))) == []
        assert {t.key for t in repo.changed_before(_NOW + timedelta(seconds=1))} == {
            old.key,
            recent.key,
        }

    def test_changed_before_refuses_a_naive_moment(self) -> None:
        repo = self.make_repository()
        with pytest.raises(SelfcareError) as raised:
            repo.changed_before(datetime(2026, 1, 1))  # noqa: DTZ001 - the point of the test
        assert raised.value.codes == ("time.naive_datetime",)

    def test_delete_removes_one_record(self) -> None:
        repo = self.make_repository()
        repo.add(_throttle("source:aa"))
        repo.add(_throttle("source:bb"))
        assert repo.delete(LoginThrottleKey("source:aa")) is True
        assert repo.delete(LoginThrottleKey("source:aa")) is False
        assert repo.find(LoginThrottleKey("source:aa")) is None
        assert repo.find(LoginThrottleKey("source:bb")) is not None


class RegistrationRepositoryContract(Contract):
    """What every ``RegistrationRepository`` must do (see
    :class:`~selfcare.identity.ports.RegistrationRepository`)."""

    @abstractmethod
    def make_repository(self) -> RegistrationRepository:
        """A new, empty repository."""
        raise NotImplementedError

    def test_added_registration_can_be_read_back(self) -> None:
        repo = self.make_repository()
        registration = example_registration(1)
        repo.add(registration)
        assert repo.find(registration.id) == registration

    def test_unknown_id_gives_none(self) -> None:
        assert self.make_repository().find("missing") is None

    def test_adding_the_same_id_twice_is_refused(self) -> None:
        repo = self.make_repository()
        repo.add(example_registration(1))
        with pytest.raises(AlreadyExists):
            repo.add(example_registration(1))

    def test_update_saves_the_next_version(self) -> None:
        repo = self.make_repository()
        registration = example_registration(1)
        repo.add(registration)
        changed = next_version(registration, state=RegistrationState.ABANDONED)
        repo.update(changed)
        assert repo.find(registration.id) == changed

    def test_update_from_a_stale_version_is_a_conflict(self) -> None:
        repo = self.make_repository()
        registration = example_registration(1)
        repo.add(registration)
        repo.update(next_version(registration, state=RegistrationState.ABANDONED))
        with pytest.raises(ConcurrencyConflict):
            repo.update(next_version(registration, asserted_surname="Li"))
        stored = repo.find(registration.id)
        assert stored is not None
        assert stored.state is RegistrationState.ABANDONED

    def test_update_of_an_unknown_registration_is_not_found(self) -> None:
        with pytest.raises(NotFound):
            self.make_repository().update(next_version(example_registration(1)))

    def test_keys_no_row_can_hold_find_nothing(self) -> None:
        repo = self.make_repository()
        repo.add(example_registration(1))
        for key in KEYS_NO_ROW_CAN_HOLD:
            assert repo.find(key) is None

    def test_registrations_are_independent(self) -> None:
        repo = self.make_repository()
        first, second = example_registration(1), example_registration(2)
        repo.add(first)
        repo.add(second)
        repo.update(next_version(first, state=RegistrationState.ABANDONED))
        assert repo.find(second.id) == second


class IdentityUnitOfWorkContract(UnitOfWorkContract[IdentityUnitOfWork]):
    """The transaction rules (:class:`~selfcare.testing.contracts.unit_of_work.
    UnitOfWorkContract`) for an :class:`~selfcare.identity.ports.IdentityUnitOfWork`."""

    def add_entity(self, uow: IdentityUnitOfWork, key: str) -> None:
        """Add a registration with id ``key``."""
        uow.registrations.add(attrs.evolve(example_registration(), id=RegistrationId(key)))

    def has_entity(self, uow: IdentityUnitOfWork, key: str) -> bool:
        """Whether the registration ``key`` is stored."""
        return uow.registrations.find(key) is not None
