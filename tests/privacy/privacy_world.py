"""A world of people with every kind of record privacy has to find, built directly in
the in-memory repositories (fast enough for property tests)."""

from __future__ import annotations

import json
import string
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
from hypothesis import strategies as st

from selfcare.adapters.memory import MemoryDatabase
from selfcare.adapters.memory.privacy import MemoryPrivacyUnitOfWork
from selfcare.authz.invitation import Invitation, InvitationId, InvitationStatus, hash_token
from selfcare.authz.model import HOLDER, USER, Grant, GrantId
from selfcare.catalog.orders import OrderAction, OrderItem, ProductOrder
from selfcare.core.ids import AccountId, RelationshipId
from selfcare.identity.account import Account, Feedback, PendingEmailChange
from selfcare.identity.contact import EmailAddress, PhoneNumber
from selfcare.identity.national_id import NationalId
from selfcare.identity.otp import OneTimeCodeChallenge
from selfcare.identity.profile import Profile
from selfcare.identity.registration import Registration, RegistrationState
from selfcare.privacy.model import DEFAULT_RETENTION, RetentionPolicy
from selfcare.privacy.ports import PrivacyUnitOfWork
from selfcare.privacy.service import PrivacyService
from selfcare.serialization import unstructure
from selfcare.testing.contracts.identity import example_hetu
from selfcare.testing.fakes import SteppableClock
from selfcare.testing.strategies import _identity as sid

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def privacy_at(
    target: MemoryDatabase | PrivacyUnitOfWork,
    now: datetime,
    retention: RetentionPolicy = DEFAULT_RETENTION,
) -> PrivacyService:
    """The privacy service over ``target`` (a memory database or a unit of work), its
    clock standing at ``now``."""
    uow = MemoryPrivacyUnitOfWork(target) if isinstance(target, MemoryDatabase) else target
    return PrivacyService(uow=uow, clock=SteppableClock(now), retention=retention)


#: The tables a MemoryPrivacyUnitOfWork reads and writes.
TABLES = (
    "accounts",
    "registrations",
    "authz_grants",
    "authz_invitations",
    "catalog_orders",
    "otp_challenges",
    "feedback",
    "privacy_erasures",
)


@attrs.frozen
class Person:
    """One registered person; every text value they own carries ``marker``."""

    number: int
    marker: str
    national_id: NationalId
    phone: PhoneNumber

    @property
    def account_id(self) -> str:
        return f"acc-{self.number}"

    @property
    def email(self) -> EmailAddress:
        return EmailAddress.parse(f"{self.marker.lower()}@example.fi")

    @property
    def relationship(self) -> RelationshipId:
        return RelationshipId(f"rel-{self.number}")

    def personal_values(self) -> tuple[str, ...]:
        """What must not be found anywhere after erasure (compared lower-cased)."""
        return (self.marker.lower(), self.national_id.compact.lower(), self.phone.e164)


def account_of(person: Person, *, pending: bool = False) -> Account:
    marker = person.marker
    return Account(
        id=person.account_id,
        national_id=person.national_id,
        profile=Profile(
            given_names=f"{marker}Given",
            surname=f"{marker}Sur",
            email=person.email,
            phone=person.phone,
            street=f"{marker}katu 1",
            postal_code="00100",
            city="Helsinki",
        ),
        password_hash=f"scrypt$hash-{marker}",
        created_at=T0,
        pending_email=(
            PendingEmailChange(
                email=EmailAddress.parse(f"new.{marker.lower()}@example.fi"),
                token_digest=f"digest-{marker}",
                requested_at=T0,
                expires_at=T0 + timedelta(hours=24),
            )
            if pending
            else None
        ),
    )


def registration_of(person: Person, *, number: int, completed: bool) -> Registration:
    account = account_of(person)
    return Registration(
        id=f"reg-{person.number}-{number}",
        state=RegistrationState.COMPLETED if completed else RegistrationState.ABANDONED,
        started_at=T0 - timedelta(days=1),
        updated_at=T0 - timedelta(days=1),
        expires_at=T0 - timedelta(days=1) + timedelta(minutes=30),
        claimed_national_id=person.national_id if not completed else None,
        national_id=person.national_id if completed else None,
        asserted_given_names=f"{person.marker}Given",
        asserted_surname=f"{person.marker}Sur",
        profile=account.profile if completed else None,
        account_id=person.account_id if completed else None,
    )


def grant(
    number: int, user: str, relationship: RelationshipId, *, by: str | None, holder: bool = False
) -> Grant:
    return Grant(
        id=GrantId(f"g-{number}"),
        user=AccountId(user),
        relationship_id=relationship,
        role=HOLDER if holder else USER,
        granted_by=None if by is None else AccountId(by),
        granted_at=T0 - timedelta(days=2),
    )


def invitation(
    number: int,
    *,
    inviter: Person,
    email: EmailAddress,
    name: str,
    status: InvitationStatus = InvitationStatus.PENDING,
    accepted_by: str | None = None,
) -> Invitation:
    return Invitation(
        id=InvitationId(f"inv-{number}"),
        relationship_id=inviter.relationship,
        email=email,
        first_name=name,
        last_name=f"{name}Last",
        message=f"Hello {name}, from {inviter.marker}",
        roles=frozenset({USER}),
        invited_by=AccountId(inviter.account_id),
        created_at=T0 - timedelta(days=1),
        expires_at=T0 + timedelta(days=6),
        token_hash=hash_token(f"token-{number}-xxxxxxxxxxxxxxxxxxxx"),
        status=status,
        accepted_by=None if accepted_by is None else AccountId(accepted_by),
        closed_at=None if status is InvitationStatus.PENDING else T0,
    )


def challenge(number: int, phone: PhoneNumber, *, at: datetime = T0) -> OneTimeCodeChallenge:
    return OneTimeCodeChallenge(
        id=f"otp-{number}",
        phone=phone,
        salt=f"salt-{number}",
        code_hash=f"hash-{number}",
        issued_at=at,
        expires_at=at + timedelta(minutes=10),
        sends=(at,),
    )


def order(number: int, relationship: RelationshipId, placed_by: str | None) -> ProductOrder:
    return ProductOrder(
        id=f"order-{number}",
        relationship_id=relationship,
        idempotency_key=f"key-{number}",
        items=(OrderItem(action=OrderAction.ADD, offering_id="tv-basic"),),
        lines=(),
        placed_at=T0,
        placed_by=None if placed_by is None else AccountId(placed_by),
    )


def feedback(
    number: int, *, text: str, account_id: str | None, email: EmailAddress | None = None
) -> Feedback:
    return Feedback(
        id=f"fb-{number}", account_id=account_id, text=text, reply_email=email, sent_at=T0
    )


def example_person(number: int = 1, marker: str = "Qannavirt", individual: int = 308) -> Person:
    """A fixed person for example-based tests."""
    return Person(
        number=number,
        marker=marker,
        national_id=example_hetu(individual),
        phone=PhoneNumber.parse(f"045123456{number}", "FI"),
    )


@st.composite
def people(draw: st.DrawFn, min_size: int = 2, max_size: int = 4) -> list[Person]:
    """Distinct people: markers, national ids and phone numbers all different."""
    size = draw(st.integers(min_size, max_size))
    markers = draw(
        st.lists(
            st.text(string.ascii_lowercase, min_size=8, max_size=8),
            min_size=size,
            max_size=size,
            unique=True,
        )
    )
    codes = draw(
        st.lists(
            sid.national_ids(),
            min_size=size,
            max_size=size,
            unique_by=lambda n: (n.country, n.compact),
        )
    )
    phones = draw(
        st.lists(st.integers(1_000_000, 9_999_999), min_size=size, max_size=size, unique=True)
    )
    return [
        Person(
            number=i + 1,
            marker="Q" + marker,
            national_id=code,
            phone=PhoneNumber.parse(f"045{phone:07d}", "FI"),
        )
        for i, (marker, code, phone) in enumerate(zip(markers, codes, phones, strict=True))
    ]


@attrs.frozen
class Link:
    """Someone (``giver``) let someone else (``receiver``) in, and how."""

    giver: int
    receiver: int
    how: str


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[Person], list[Link], set[int]]:
    """People, who let whom in (grant / pending / accepted / declined invitation), and
    who has a pending e-mail change."""
    persons = draw(people())
    count = len(persons)
    links = draw(
        st.lists(
            st.builds(
                Link,
                giver=st.integers(0, count - 1),
                receiver=st.integers(0, count - 1),
                how=st.sampled_from(["grant", "pending", "accepted", "declined"]),
            ).filter(lambda link: link.giver != link.receiver),
            max_size=6,
        )
    )
    pending = draw(st.sets(st.integers(0, count - 1)))
    return persons, links, pending


def populate(persons: list[Person], links: list[Link], pending: set[int]) -> MemoryDatabase:
    """Store the world in a new in-memory database; returns it."""
    db = MemoryDatabase()
    populate_into(MemoryPrivacyUnitOfWork(db), persons, links, pending)
    return db


def populate_into(
    uow: PrivacyUnitOfWork, persons: list[Person], links: list[Link], pending: set[int]
) -> None:
    """Store the world through ``uow``."""
    with uow:
        for i, person in enumerate(persons):
            uow.accounts.add(account_of(person, pending=i in pending))
            uow.registrations.add(registration_of(person, number=1, completed=True))
            uow.registrations.add(registration_of(person, number=2, completed=False))
            uow.grants.add(
                grant(100 + i, person.account_id, person.relationship, by=None, holder=True)
            )
            uow.orders.add(order(i, person.relationship, person.account_id))
            uow.one_time_codes.add(challenge(i, person.phone))
            uow.feedback.submit(
                feedback(i, text=f"My TV is broken, {person.marker}", account_id=person.account_id)
            )
            uow.feedback.submit(
                feedback(
                    100 + i, text=f"Call me, {person.marker}", account_id=None, email=person.email
                )
            )
            # Someone who never registered: invited by this person, with their own data.
            outsider = EmailAddress.parse(f"outsider{i}@example.org")
            uow.invitations.add(invitation(500 + i, inviter=person, email=outsider, name="Outi"))
        # Records of nobody in particular.
        uow.one_time_codes.add(challenge(999, PhoneNumber.parse("0401111111", "FI")))
        uow.feedback.submit(feedback(999, text="Anonymous praise", account_id=None))
        uow.orders.add(order(999, RelationshipId("rel-x"), None))
        for n, link in enumerate(links):
            giver, receiver = persons[link.giver], persons[link.receiver]
            if link.how == "grant":
                uow.grants.add(
                    grant(n, receiver.account_id, giver.relationship, by=giver.account_id)
                )
                continue
            status = {
                "pending": InvitationStatus.PENDING,
                "accepted": InvitationStatus.ACCEPTED,
                "declined": InvitationStatus.DECLINED,
            }[link.how]
            accepted_by = receiver.account_id if link.how == "accepted" else None
            uow.invitations.add(
                invitation(
                    n,
                    inviter=giver,
                    email=receiver.email,
                    name=f"{receiver.marker}Given",
                    status=status,
                    accepted_by=accepted_by,
                )
            )
            if accepted_by is not None:
                uow.grants.add(
                    grant(300 + n, receiver.account_id, giver.relationship, by=giver.account_id)
                )
        uow.commit()


def dump(db: MemoryDatabase) -> dict[tuple[str, str], str]:
    """Every record of every table as JSON, keyed by (table, key)."""
    found: dict[tuple[str, str], str] = {}
    for name in TABLES:
        table = db.table(name)
        with db.lock:
            rows = dict(table._rows)
        for key, value in rows.items():
            found[name, str(key)] = json.dumps(unstructure(value), sort_keys=True)
    return found


def rows(db: MemoryDatabase, name: str) -> Iterator[Any]:
    """The entities of one table."""
    return iter(db.table(name).scan())
