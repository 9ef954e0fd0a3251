"""Contract suite for the stores of :mod:`selfcare.privacy`.

The privacy finders read across the domains' stores, so the suite is written against a
whole :class:`~selfcare.privacy.ports.PrivacyUnitOfWork`::

    class TestMyPrivacyStores(PrivacyUnitOfWorkContract):
        def make_unit_of_work(self) -> PrivacyUnitOfWork:
            return MyPrivacyUnitOfWork(fresh_empty_database())

Each test gets a fresh, empty unit of work from the factory. No test measures time.
"""

# ruff: noqa: S101 - the suites are pytest tests, and pytest asserts with assert

from __future__ import annotations

import abc
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from selfcare.authz.invitation import Invitation, InvitationId, hash_token
from selfcare.authz.model import USER, CustomerRelationship, Grant, GrantId
from selfcare.catalog.orders import OrderAction, OrderItem, ProductOrder
from selfcare.core.errors import AlreadyExists, ConcurrencyConflict, NotFound
from selfcare.core.ids import AccountId, CustomerNumber, RelationshipId
from selfcare.core.ports import next_version
from selfcare.identity.account import Feedback
from selfcare.identity.contact import EmailAddress, PhoneNumber
from selfcare.identity.ids import FeedbackId, LoginThrottleKey
from selfcare.identity.otp import ChallengeState, OneTimeCodeChallenge
from selfcare.identity.registration import RegistrationState
from selfcare.identity.throttle import LoginThrottle
from selfcare.privacy.model import ErasedAccount
from selfcare.privacy.ports import PrivacyUnitOfWork
from selfcare.testing.contracts.billing import example_invoice
from selfcare.testing.contracts.identity import (
    example_account,
    example_hetu,
    example_registration,
)
from selfcare.testing.contracts.second_factor import example_second_factor
from selfcare.testing.contracts.unit_of_work import UnitOfWorkContract

__all__ = ["PrivacyUnitOfWorkContract"]

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ANNA = AccountId("account-1")
PEKKA = AccountId("account-2")
REL = RelationshipId("rel-a")


def _grant(number: int, user: AccountId, **extra: object) -> Grant:
    fields: dict[str, object] = {
        "id": GrantId(f"g-{number}"),
        "user": user,
        "relationship_id": REL,
        "role": USER,
        "granted_at": T0,
    }
    fields.update(extra)
    return Grant(**fields)  # type: ignore[arg-type]


def _invitation(number: int, *, by: AccountId = ANNA, created: datetime = T0) -> Invitation:
    return Invitation(
        id=InvitationId(f"inv-{number}"),
        relationship_id=REL,
        email=EmailAddress.parse(f"invitee{number}@example.fi"),
        first_name="Pekka",
        last_name="Virtanen",
        message="Hei!",
        roles=frozenset({USER}),
        invited_by=by,
        created_at=created,
        expires_at=created + timedelta(days=7),
        token_hash=hash_token(f"token-{number}-0123456789abcdefghij"),
    )


def _order(number: int, placed_by: AccountId | None) -> ProductOrder:
    return ProductOrder(
        id=f"order-{number}",
        relationship_id=REL,
        idempotency_key=f"key-{number}",
        items=(OrderItem(action=OrderAction.ADD, offering_id="tv-basic"),),
        lines=(),
        placed_at=T0,
        placed_by=placed_by,
    )


def _challenge(number: int, phone: str = "040 123 4567", at: datetime = T0) -> OneTimeCodeChallenge:
    return OneTimeCodeChallenge(
        id=f"otp-{number}",
        phone=PhoneNumber.parse(phone),
        salt=f"salt-{number}",
        code_hash="0" * 64,
        issued_at=at,
        expires_at=at + timedelta(minutes=10),
        sends=(at,),
    )


def _feedback(
    number: int,
    account_id: str | None = None,
    email: str | None = None,
    phone: str | None = None,
) -> Feedback:
    return Feedback(
        id=FeedbackId(f"fb-{number}"),
        account_id=None if account_id is None else AccountId(account_id),
        text="Where is my invoice?",
        reply_email=None if email is None else EmailAddress.parse(email),
        reply_phone=None if phone is None else PhoneNumber.parse(phone),
        sent_at=T0,
    )


class PrivacyUnitOfWorkContract(UnitOfWorkContract[PrivacyUnitOfWork]):
    """What the stores behind a :class:`~selfcare.privacy.ports.PrivacyUnitOfWork` must do,
    and the transaction rules of
    :class:`~selfcare.testing.contracts.unit_of_work.UnitOfWorkContract`."""

    def add_entity(self, uow: PrivacyUnitOfWork, key: str) -> None:
        """Add a grant with id ``key``."""
        uow.grants.add(attrs.evolve(_grant(1, PEKKA), id=GrantId(key)))

    def has_entity(self, uow: PrivacyUnitOfWork, key: str) -> bool:
        """Whether the grant ``key`` is stored."""
        return uow.grants.find(GrantId(key)) is not None

    @abc.abstractmethod
    def make_unit_of_work(self) -> PrivacyUnitOfWork:
        """A unit of work over fresh, empty stores."""

    # -- the index: registrations and accounts ---------------------------------------

    def test_registrations_are_found_by_account_and_by_person(self) -> None:
        uow = self.make_unit_of_work()
        done = attrs.evolve(
            example_registration(1),
            state=RegistrationState.COMPLETED,
            account_id=AccountId("account-1"),
        )
        claimed = attrs.evolve(
            example_registration(2), national_id=None, claimed_national_id=example_hetu(201)
        )
        other = example_registration(3)
        with uow:
            for registration in (done, claimed, other):
                uow.registrations.add(registration)
            uow.commit()
        with uow:
            assert list(uow.index.registrations_of_account("account-1")) == [done]
            assert list(uow.index.registrations_of_account("account-9")) == []
            assert list(uow.index.registrations_of_person(example_hetu(201))) == [done, claimed]
            assert list(uow.index.registrations_of_person(example_hetu(203))) == [other]
            assert list(uow.index.registrations_of_person(example_hetu(299))) == []

    def test_registrations_changed_before_a_cutoff(self) -> None:
        uow = self.make_unit_of_work()
        old = attrs.evolve(example_registration(1), updated_at=T0 - timedelta(days=2))
        new = attrs.evolve(example_registration(2), updated_at=T0)
        with uow:
            uow.registrations.add(old)
            uow.registrations.add(new)
            uow.commit()
        with uow:
            assert list(uow.index.registrations_changed_before(T0)) == [old]
            assert list(uow.index.registrations_changed_before(T0 + timedelta(seconds=1))) == [
                old,
                new,
            ]

    def test_deleting_a_registration_and_an_account(self) -> None:
        uow = self.make_unit_of_work()
        account = example_account(1)
        with uow:
            uow.registrations.add(example_registration(1))
            uow.accounts.add(account)
            uow.commit()
        with uow:
            assert uow.index.delete_registration("registration-1") is True
            assert uow.index.delete_registration("registration-1") is False
            assert uow.index.delete_account(account.id) is True
            assert uow.index.delete_account(account.id) is False
            uow.commit()
        with uow:
            assert uow.registrations.find("registration-1") is None
            assert uow.accounts.find(account.id) is None
            assert uow.accounts.find_by_email(account.email) is None
            assert uow.accounts.find_by_national_id(account.national_id) is None
            # The address and the person are free again.
            uow.accounts.add(attrs.evolve(account, id=AccountId("account-9")))
            uow.commit()

    def test_after_erasure_removes_nothing_that_is_stored(self) -> None:
        uow = self.make_unit_of_work()
        account = example_account(1)
        with uow:
            uow.accounts.add(account)
            uow.registrations.add(example_registration(1))
            uow.commit()
        with uow:
            assert uow.index.delete_registration("registration-1") is True
            uow.commit()
        uow.after_erasure()
        uow.after_erasure()  # twice is harmless
        with uow:
            assert uow.accounts.find(account.id) == account
            assert uow.registrations.find("registration-1") is None

    def test_a_delete_without_commit_is_rolled_back(self) -> None:
        uow = self.make_unit_of_work()
        with uow:
            uow.registrations.add(example_registration(1))
            uow.commit()
        with uow:
            uow.index.delete_registration("registration-1")
        with uow:
            assert uow.registrations.find("registration-1") is not None

    # -- what closing an account reads and deletes beyond the index ------------------

    def test_login_throttles_of_an_account_are_deleted_in_the_transaction(self) -> None:
        uow = self.make_unit_of_work()
        pair = LoginThrottle(
            key=LoginThrottleKey(f"pair:digest:{ANNA}"), account_id=ANNA, decayed_at=T0
        )
        source = LoginThrottle(key=LoginThrottleKey("source:digest"), decayed_at=T0)
        with uow:
            uow.login_throttles.add(pair)
            uow.login_throttles.add(source)
            uow.commit()
        with uow:
            assert list(uow.login_throttles.for_account(ANNA)) == [pair]
            assert uow.login_throttles.delete(pair.key) is True
        with uow:  # not committed: still there
            assert list(uow.login_throttles.for_account(ANNA)) == [pair]
            uow.login_throttles.delete(pair.key)
            uow.commit()
        with uow:
            assert list(uow.login_throttles.for_account(ANNA)) == []
            assert uow.login_throttles.find(source.key) == source

    def test_deleting_an_account_deletes_its_second_factor(self) -> None:
        uow = self.make_unit_of_work()
        account = example_account(1)
        with uow:
            uow.accounts.add(account)
            uow.second_factors.add(example_second_factor(1))
            uow.commit()
        with uow:
            assert uow.second_factors.find(AccountId(account.id)) is not None
            uow.index.delete_account(account.id)
            uow.commit()
        with uow:
            assert uow.second_factors.find(AccountId(account.id)) is None

    def test_relationships_and_invoices_are_read_through_it(self) -> None:
        uow = self.make_unit_of_work()
        relationship = CustomerRelationship(
            id=REL, customer_number=CustomerNumber("100234"), kind="electricity"
        )
        with uow:
            uow.relationships.add(relationship)
            uow.invoices.add(example_invoice("inv-1", payer="100234"))
            uow.commit()
        with uow:
            assert uow.relationships.find(REL) == relationship
            assert [i.invoice_id for i in uow.invoices.for_payer("100234")] == ["inv-1"]
            assert list(uow.invoices.for_payer("999999")) == []

    # -- the index: grants, invitations, orders --------------------------------------

    def test_grants_given_or_revoked_by_an_account(self) -> None:
        uow = self.make_unit_of_work()
        given = _grant(1, PEKKA, granted_by=ANNA)
        revoked = _grant(2, PEKKA, revoked_by=ANNA, revoked_at=T0 + timedelta(hours=1))
        unrelated = _grant(3, ANNA, granted_by=PEKKA)
        with uow:
            for grant in (given, revoked, unrelated):
                uow.grants.add(grant)
            uow.commit()
        with uow:
            assert list(uow.index.grants_given_by(ANNA)) == [given, revoked]
            assert list(uow.index.grants_given_by(PEKKA)) == [unrelated]
            assert list(uow.index.grants_given_by(AccountId("nobody"))) == []

    def test_invitations_sent_accepted_and_created_before(self) -> None:
        uow = self.make_unit_of_work()
        sent = _invitation(1, created=T0 - timedelta(days=3))
        accepted = attrs.evolve(_invitation(2, by=PEKKA), accepted_by=ANNA)
        with uow:
            uow.invitations.add(sent)
            uow.invitations.add(accepted)
            uow.commit()
        with uow:
            assert list(uow.index.invitations_sent_by(ANNA)) == [sent]
            assert list(uow.index.invitations_sent_by(PEKKA)) == [accepted]
            assert list(uow.index.invitations_accepted_by(ANNA)) == [accepted]
            assert list(uow.index.invitations_accepted_by(PEKKA)) == []
            assert list(uow.index.invitations_created_before(T0)) == [sent]
            assert uow.index.delete_invitation(sent.id) is True
            assert uow.index.delete_invitation(sent.id) is False
            uow.commit()
        with uow:
            assert uow.invitations.find(sent.id) is None
            assert uow.invitations.find_by_token_hash(sent.token_hash) is None
            assert list(uow.invitations.for_relationship(REL)) == [accepted]

    def test_orders_placed_by_an_account(self) -> None:
        uow = self.make_unit_of_work()
        mine, theirs, nobodys = _order(1, ANNA), _order(2, PEKKA), _order(3, None)
        with uow:
            for order in (mine, theirs, nobodys):
                uow.orders.add(order)
            uow.commit()
        with uow:
            assert list(uow.index.orders_placed_by(ANNA)) == [mine]
            assert list(uow.index.orders_placed_by(AccountId("nobody"))) == []

    # -- one-time codes --------------------------------------------------------------

    def test_challenge_round_trip_and_duplicate(self) -> None:
        uow = self.make_unit_of_work()
        challenge = _challenge(1)
        with uow:
            uow.one_time_codes.add(challenge)
            uow.commit()
        with uow:
            assert uow.one_time_codes.find("otp-1") == challenge
            assert uow.one_time_codes.find("otp-9") is None
            with pytest.raises(AlreadyExists):
                uow.one_time_codes.add(challenge)

    def test_challenge_update_is_compare_and_set(self) -> None:
        uow = self.make_unit_of_work()
        challenge = _challenge(1)
        with uow:
            uow.one_time_codes.add(challenge)
            uow.commit()
        verified = next_version(challenge, state=ChallengeState.VERIFIED, verified_at=T0)
        with uow:
            uow.one_time_codes.update(verified)
            uow.commit()
        with uow:
            assert uow.one_time_codes.find("otp-1") == verified
            with pytest.raises(ConcurrencyConflict):
                uow.one_time_codes.update(next_version(challenge, attempts=1))
            with pytest.raises(NotFound):
                uow.one_time_codes.update(next_version(_challenge(2)))

    def test_challenges_by_phone_and_by_age_and_delete(self) -> None:
        uow = self.make_unit_of_work()
        old = _challenge(1, at=T0 - timedelta(days=2))
        same_number = _challenge(2, phone="+358401234567")
        other = _challenge(3, phone="050 765 4321")
        with uow:
            for challenge in (old, same_number, other):
                uow.one_time_codes.add(challenge)
            uow.commit()
        with uow:
            assert list(uow.one_time_codes.for_phone(PhoneNumber.parse("0401234567"))) == [
                old,
                same_number,
            ]
            assert list(uow.one_time_codes.issued_before(T0)) == [old]
            assert uow.one_time_codes.delete("otp-1") is True
            assert uow.one_time_codes.delete("otp-1") is False
            uow.commit()
        with uow:
            assert uow.one_time_codes.find("otp-1") is None

    # -- feedback --------------------------------------------------------------------

    def test_feedback_by_account_and_by_contact(self) -> None:
        uow = self.make_unit_of_work()
        logged_in = _feedback(1, account_id="account-1")
        by_mail = _feedback(2, email="Anna@Example.fi")
        by_phone = _feedback(3, phone="040 123 4567")
        other = _feedback(4, email="someone@example.fi", phone="050 765 4321")
        with uow:
            for item in (logged_in, by_mail, by_phone, other):
                uow.feedback.submit(item)
            uow.commit()
        with uow:
            assert uow.feedback.find("fb-1") == logged_in
            assert uow.feedback.find("fb-9") is None
            assert list(uow.feedback.for_account("account-1")) == [logged_in]
            assert list(
                uow.feedback.for_contact(
                    EmailAddress.parse("anna@example.fi"), PhoneNumber.parse("+358401234567")
                )
            ) == [by_mail, by_phone]
            assert list(uow.feedback.for_contact(None, None)) == []
            with pytest.raises(AlreadyExists):
                uow.feedback.submit(logged_in)
            assert uow.feedback.delete("fb-1") is True
            assert uow.feedback.delete("fb-1") is False
            uow.commit()
        with uow:
            assert uow.feedback.find("fb-1") is None

    # -- tombstones ------------------------------------------------------------------

    def test_tombstones_are_unique_by_account(self) -> None:
        uow = self.make_unit_of_work()
        tombstone = ErasedAccount(account_id=AccountId("account-1"), erased_at=T0)
        with uow:
            uow.erasures.add(tombstone)
            uow.commit()
        with uow:
            assert uow.erasures.find("account-1") == tombstone
            assert uow.erasures.find("account-2") is None
            with pytest.raises(AlreadyExists):
                uow.erasures.add(ErasedAccount(account_id=AccountId("account-1"), erased_at=T0))
