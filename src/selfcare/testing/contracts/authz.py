"""Contract suites for the ports of :mod:`selfcare.authz`.

Subclass a suite, implement its factory and name the class ``Test...``::

    class TestMyGrants(GrantRepositoryContract):
        def make_repository(self) -> GrantRepository:
            return MyGrantRepository(...)

Each test gets a fresh, empty repository from the factory. No test measures time.
"""

# ruff: noqa: S101 - the suites are pytest tests, and pytest asserts with assert

from __future__ import annotations

import abc
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from selfcare.authz.invitation import Invitation, InvitationId, InvitationStatus, hash_token
from selfcare.authz.model import (
    HOLDER,
    ORDERER,
    USER,
    CustomerRelationship,
    Grant,
    GrantId,
    RelationshipKind,
)
from selfcare.authz.ports import (
    AccountDirectory,
    AuthzUnitOfWork,
    GrantRepository,
    InvitationRepository,
    RelationshipRepository,
)
from selfcare.core.errors import AlreadyExists, ConcurrencyConflict, NotFound
from selfcare.core.ids import AccountId, CustomerNumber, RelationshipId
from selfcare.core.ports import next_version
from selfcare.identity.contact import EmailAddress
from selfcare.identity.national_id import Country, NationalId
from selfcare.identity.profile import Language
from selfcare.testing.contracts._base import KEYS_NO_ROW_CAN_HOLD, Contract
from selfcare.testing.contracts.unit_of_work import UnitOfWorkContract

__all__ = [
    "AccountDirectoryContract",
    "AuthzUnitOfWorkContract",
    "GrantRepositoryContract",
    "InvitationRepositoryContract",
    "RelationshipRepositoryContract",
]

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
REL_A = RelationshipId("rel-a")
REL_B = RelationshipId("rel-b")
ANNA = AccountId("anna")
PEKKA = AccountId("pekka")


def _grant(grant_id: str, user: AccountId, relationship: RelationshipId, **extra: object) -> Grant:
    fields: dict[str, object] = {
        "id": GrantId(grant_id),
        "user": user,
        "relationship_id": relationship,
        "role": USER,
        "granted_by": ANNA,
        "granted_at": T0,
    }
    fields.update(extra)
    return Grant(**fields)  # type: ignore[arg-type]


def _invitation(
    invitation_id: str,
    email: str,
    relationship: RelationshipId = REL_A,
    seed: str = "t",
    created: datetime = T0,
) -> Invitation:
    return Invitation(
        id=InvitationId(invitation_id),
        relationship_id=relationship,
        email=EmailAddress.parse(email),
        first_name="Pekka",
        last_name="Virtanen",
        message="Hei!",
        roles=frozenset({USER, ORDERER}),
        invited_by=ANNA,
        created_at=created,
        expires_at=created + timedelta(days=7),
        token_hash=hash_token(seed + "-" + invitation_id),
    )


class GrantRepositoryContract(Contract, abc.ABC):
    """What every :class:`~selfcare.authz.ports.GrantRepository` must do."""

    @abc.abstractmethod
    def make_repository(self) -> GrantRepository:
        """A new, empty repository."""

    def test_a_grant_added_is_returned_by_get(self) -> None:
        repo = self.make_repository()
        grant = _grant(
            "g-1", PEKKA, REL_A, valid_until=T0 + timedelta(days=30), role=HOLDER, granted_by=None
        )
        repo.add(grant)
        assert repo.find(GrantId("g-1")) == grant

    def test_get_of_an_unknown_id_is_none(self) -> None:
        assert self.make_repository().find(GrantId("missing")) is None

    def test_adding_a_taken_id_raises_already_exists(self) -> None:
        repo = self.make_repository()
        repo.add(_grant("g-1", PEKKA, REL_A))
        with pytest.raises(AlreadyExists):
            repo.add(_grant("g-1", ANNA, REL_B))
        assert repo.find(GrantId("g-1")) == _grant("g-1", PEKKA, REL_A)

    def test_update_is_compare_and_set_on_the_version(self) -> None:
        repo = self.make_repository()
        first = _grant("g-1", PEKKA, REL_A)
        repo.add(first)
        revoked = next_version(first, revoked_at=T0 + timedelta(days=1), revoked_by=ANNA)
        repo.update(revoked)
        assert repo.find(GrantId("g-1")) == revoked
        with pytest.raises(ConcurrencyConflict):
            repo.update(next_version(first, valid_until=T0 + timedelta(days=2)))
        with pytest.raises(ConcurrencyConflict):
            repo.update(revoked)
        assert repo.find(GrantId("g-1")) == revoked

    def test_update_of_an_unknown_grant_raises_not_found(self) -> None:
        repo = self.make_repository()
        with pytest.raises(NotFound):
            repo.update(next_version(_grant("g-9", PEKKA, REL_A)))

    # The grants are added with unsorted ids, timestamps that tie, and a last one with
    # the earliest timestamp: only the order they were added passes.
    def _mixed_grants(self, repo: GrantRepository) -> list[Grant]:
        grants = [
            _grant("g-7", PEKKA, REL_A, granted_at=T0 + timedelta(hours=1)),
            _grant("g-2", ANNA, REL_A, role=HOLDER),
            _grant("g-5", PEKKA, REL_B, revoked_at=T0 + timedelta(hours=2)),
            _grant("g-9", PEKKA, REL_A),
            _grant("g-3", ANNA, REL_A, role=HOLDER, granted_at=T0 - timedelta(hours=1)),
            _grant("g-1", PEKKA, REL_A, granted_at=T0 - timedelta(hours=1)),
        ]
        for grant in grants:
            repo.add(grant)
        return grants

    def test_for_user_returns_every_grant_of_the_user_in_the_order_added(self) -> None:
        repo = self.make_repository()
        g7, _, g5, g9, _, g1 = self._mixed_grants(repo)
        assert list(repo.for_user(PEKKA)) == [g7, g5, g9, g1]
        assert list(repo.for_user(AccountId("nobody"))) == []

    def test_for_relationship_returns_every_grant_on_it_in_the_order_added(self) -> None:
        repo = self.make_repository()
        g7, g2, _, g9, g3, g1 = self._mixed_grants(repo)
        assert list(repo.for_relationship(REL_A)) == [g7, g2, g9, g3, g1]
        assert list(repo.for_relationship(RelationshipId("rel-none"))) == []

    def test_for_user_and_relationship_returns_only_that_pair_oldest_first(self) -> None:
        repo = self.make_repository()
        grants = [
            _grant("g-1", PEKKA, REL_A),
            _grant("g-2", ANNA, REL_A, role=HOLDER),
            _grant("g-3", PEKKA, REL_B),
            _grant("g-4", PEKKA, REL_A, role=ORDERER, revoked_at=T0 + timedelta(hours=1)),
        ]
        for grant in grants:
            repo.add(grant)
        assert list(repo.for_user_and_relationship(PEKKA, REL_A)) == [grants[0], grants[3]]
        assert list(repo.for_user_and_relationship(ANNA, REL_B)) == []
        revoked = next_version(grants[0], revoked_at=T0 + timedelta(days=1), revoked_by=ANNA)
        repo.update(revoked)  # an update keeps the grant's place and is seen at once
        assert list(repo.for_user_and_relationship(PEKKA, REL_A)) == [revoked, grants[3]]

    def test_keys_no_row_can_hold_find_nothing(self) -> None:
        repo = self.make_repository()
        self._mixed_grants(repo)
        for key in KEYS_NO_ROW_CAN_HOLD:
            assert repo.find(GrantId(key)) is None
            assert list(repo.for_user(AccountId(key))) == []
            assert list(repo.for_relationship(RelationshipId(key))) == []


class InvitationRepositoryContract(Contract, abc.ABC):
    """What every :class:`~selfcare.authz.ports.InvitationRepository` must do."""

    @abc.abstractmethod
    def make_repository(self) -> InvitationRepository:
        """A new, empty repository."""

    def test_an_invitation_added_is_returned_by_get(self) -> None:
        repo = self.make_repository()
        invitation = _invitation("i-1", "pekka@example.fi")
        repo.add(invitation)
        stored = repo.find(InvitationId("i-1"))
        assert stored == invitation
        assert stored is not None
        assert stored.token_hash == invitation.token_hash
        assert stored.email.value == "pekka@example.fi"

    def test_get_of_an_unknown_id_is_none(self) -> None:
        assert self.make_repository().find(InvitationId("missing")) is None

    def test_adding_a_taken_id_raises_already_exists(self) -> None:
        repo = self.make_repository()
        repo.add(_invitation("i-1", "pekka@example.fi"))
        with pytest.raises(AlreadyExists):
            repo.add(_invitation("i-1", "other@example.fi"))

    def test_update_is_compare_and_set_on_the_version(self) -> None:
        repo = self.make_repository()
        first = _invitation("i-1", "pekka@example.fi")
        repo.add(first)
        accepted = next_version(
            first, status=InvitationStatus.ACCEPTED, accepted_by=PEKKA, closed_at=T0
        )
        repo.update(accepted)
        with pytest.raises(ConcurrencyConflict):
            repo.update(next_version(first, status=InvitationStatus.REVOKED, closed_at=T0))
        assert repo.find(InvitationId("i-1")) == accepted
        with pytest.raises(NotFound):
            repo.update(next_version(_invitation("i-9", "x@example.fi")))

    def test_get_by_token_hash_finds_only_the_current_token(self) -> None:
        repo = self.make_repository()
        first = _invitation("i-1", "pekka@example.fi")
        repo.add(first)
        repo.add(_invitation("i-2", "liisa@example.fi"))
        assert repo.find_by_token_hash(first.token_hash) == first
        resent = next_version(first, token_hash=hash_token("new"), sent_count=2)
        repo.update(resent)
        assert repo.find_by_token_hash(first.token_hash) is None
        assert repo.find_by_token_hash(hash_token("new")) == resent
        assert repo.find_by_token_hash(hash_token("unknown")) is None

    def test_for_relationship_returns_its_invitations_in_the_order_added(self) -> None:
        repo = self.make_repository()
        a1 = _invitation("i-8", "pekka@example.fi", REL_A, created=T0 + timedelta(hours=1))
        b1 = _invitation("i-2", "pekka@example.fi", REL_B)
        a2 = _invitation("i-5", "liisa@example.fi", REL_A)
        a3 = _invitation("i-3", "matti@example.fi", REL_A)
        a4 = _invitation("i-1", "maija@example.fi", REL_A, created=T0 - timedelta(hours=1))
        for item in (a1, b1, a2, a3, a4):
            repo.add(item)
        assert list(repo.for_relationship(REL_A)) == [a1, a2, a3, a4]
        assert list(repo.for_relationship(RelationshipId("none"))) == []

    def test_for_email_compares_addresses_case_insensitively(self) -> None:
        repo = self.make_repository()
        a1 = _invitation("i-7", "Pekka.Virtanen@Example.fi", REL_A)
        b1 = _invitation("i-2", "liisa@example.fi", REL_B)
        a2 = _invitation("i-3", "pekka.virtanen@example.fi", REL_B)
        a3 = _invitation("i-1", "PEKKA.virtanen@example.fi", REL_B, created=T0 - timedelta(1))
        for item in (a1, b1, a2, a3):
            repo.add(item)
        found = list(repo.for_email(EmailAddress.parse("PEKKA.VIRTANEN@example.FI")))
        assert found == [a1, a2, a3]
        assert list(repo.for_email(EmailAddress.parse("nobody@example.fi"))) == []

    def test_for_relationship_and_email_returns_only_that_pair_oldest_first(self) -> None:
        repo = self.make_repository()
        a1 = _invitation("i-1", "Pekka.Virtanen@Example.fi", REL_A)
        b1 = _invitation("i-2", "pekka.virtanen@example.fi", REL_B)
        a2 = _invitation("i-3", "liisa@example.fi", REL_A)
        a3 = _invitation("i-4", "pekka.virtanen@example.fi", REL_A)
        for item in (a1, b1, a2, a3):
            repo.add(item)
        pekka = EmailAddress.parse("PEKKA.VIRTANEN@example.FI")
        assert list(repo.for_relationship_and_email(REL_A, pekka)) == [a1, a3]
        assert list(repo.for_relationship_and_email(REL_B, pekka)) == [b1]
        nobody = EmailAddress.parse("nobody@example.fi")
        assert list(repo.for_relationship_and_email(REL_A, nobody)) == []
        revoked = next_version(a1, status=InvitationStatus.REVOKED, closed_at=T0)
        repo.update(revoked)
        assert list(repo.for_relationship_and_email(REL_A, pekka)) == [revoked, a3]

    def test_keys_no_row_can_hold_find_nothing(self) -> None:
        repo = self.make_repository()
        repo.add(_invitation("i-1", "pekka@example.fi"))
        for key in KEYS_NO_ROW_CAN_HOLD:
            assert repo.find(InvitationId(key)) is None
            assert repo.find_by_token_hash(key) is None
            assert list(repo.for_relationship(RelationshipId(key))) == []


class RelationshipRepositoryContract(Contract, abc.ABC):
    """What every :class:`~selfcare.authz.ports.RelationshipRepository` must do."""

    @abc.abstractmethod
    def make_repository(self) -> RelationshipRepository:
        """A new, empty repository."""

    @staticmethod
    def _relationship(rel_id: str, number: str, kind: str = "electricity") -> CustomerRelationship:
        return CustomerRelationship(
            id=RelationshipId(rel_id), customer_number=CustomerNumber(number), kind=kind
        )

    def test_a_relationship_added_is_found_by_id_and_customer_number(self) -> None:
        repo = self.make_repository()
        rel = self._relationship("rel-1", "100234", RelationshipKind.DISTRICT_HEATING)
        repo.add(rel)
        repo.add(self._relationship("rel-2", "100235"))
        assert repo.find(RelationshipId("rel-1")) == rel
        assert repo.find_by_customer_number(CustomerNumber("100234")) == rel

    def test_unknown_keys_give_none(self) -> None:
        repo = self.make_repository()
        repo.add(self._relationship("rel-1", "100234"))
        assert repo.find(RelationshipId("rel-9")) is None
        assert repo.find_by_customer_number(CustomerNumber("999")) is None

    def test_keys_no_row_can_hold_find_nothing(self) -> None:
        repo = self.make_repository()
        repo.add(self._relationship("rel-1", "100234"))
        for key in KEYS_NO_ROW_CAN_HOLD:
            assert repo.find(RelationshipId(key)) is None
            assert repo.find_by_customer_number(CustomerNumber(key)) is None

    def test_a_taken_id_or_customer_number_raises_already_exists(self) -> None:
        repo = self.make_repository()
        repo.add(self._relationship("rel-1", "100234"))
        with pytest.raises(AlreadyExists):
            repo.add(self._relationship("rel-1", "555"))
        with pytest.raises(AlreadyExists):
            repo.add(self._relationship("rel-2", "100234"))
        assert repo.find(RelationshipId("rel-2")) is None


#: (account, e-mail, verified, first name, last name, national id proved at
#: registration or ``None``) rows for the directory factory.
AccountRow = tuple[AccountId, str, bool, str, str, NationalId | None]

_PEKKA_HETU = NationalId(Country.FI, "010101-123N")


class AccountDirectoryContract(Contract, abc.ABC):
    """What every :class:`~selfcare.authz.ports.AccountDirectory` must do."""

    @abc.abstractmethod
    def make_directory(self, accounts: Sequence[AccountRow]) -> AccountDirectory:
        """A directory holding exactly ``accounts``."""

    ROWS: Sequence[AccountRow] = (
        (PEKKA, "Pekka.Virtanen@example.fi", True, "Pekka", "Virtanen", _PEKKA_HETU),
        (AccountId("liisa"), "liisa@example.fi", False, "Liisa", "Laine", None),
    )

    def test_verified_national_id_is_the_one_registered(self) -> None:
        directory = self.make_directory(self.ROWS)
        assert directory.verified_national_id(PEKKA) == _PEKKA_HETU
        assert directory.verified_national_id(AccountId("liisa")) is None
        assert directory.verified_national_id(AccountId("nobody")) is None

    def test_verified_email_only_when_verified(self) -> None:
        directory = self.make_directory(self.ROWS)
        assert directory.verified_email(PEKKA) == EmailAddress.parse("pekka.virtanen@example.fi")
        assert directory.verified_email(AccountId("liisa")) is None
        assert directory.verified_email(AccountId("nobody")) is None

    def test_find_gives_names_language_and_only_a_verified_address(self) -> None:
        directory = self.make_directory(self.ROWS)
        pekka = directory.find(PEKKA)
        assert pekka is not None
        assert (pekka.account, pekka.first_name, pekka.last_name) == (PEKKA, "Pekka", "Virtanen")
        assert pekka.email == EmailAddress.parse("pekka.virtanen@example.fi")
        assert pekka.language in set(Language)
        liisa = directory.find(AccountId("liisa"))
        assert liisa is not None
        assert (liisa.first_name, liisa.email) == ("Liisa", None)
        assert directory.find(AccountId("nobody")) is None

    def test_find_by_email_is_case_insensitive(self) -> None:
        directory = self.make_directory(self.ROWS)
        found = directory.find_by_email(EmailAddress.parse("PEKKA.virtanen@EXAMPLE.fi"))
        assert found is not None
        assert (found.account, found.first_name, found.last_name) == (PEKKA, "Pekka", "Virtanen")
        assert directory.find_by_email(EmailAddress.parse("nobody@example.fi")) is None


class AuthzUnitOfWorkContract(UnitOfWorkContract[AuthzUnitOfWork]):
    """The transaction rules (:class:`~selfcare.testing.contracts.unit_of_work.
    UnitOfWorkContract`) for an :class:`~selfcare.authz.ports.AuthzUnitOfWork`."""

    def add_entity(self, uow: AuthzUnitOfWork, key: str) -> None:
        """Add a grant with id ``key``."""
        uow.grants.add(_grant(key, PEKKA, REL_A))

    def has_entity(self, uow: AuthzUnitOfWork, key: str) -> bool:
        """Whether the grant ``key`` is stored."""
        return uow.grants.find(GrantId(key)) is not None
