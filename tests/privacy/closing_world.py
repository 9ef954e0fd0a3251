"""An application wired by selfcare.bootstrap over any storage, with registered people,
for the tests of closing one's own account (and of erasure's throttle rows)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

import attrs

from selfcare.adapters.memory.identity import MemoryCustomerDirectory, RecordingNotifier
from selfcare.authz.invitation import IssuedInvitation
from selfcare.authz.model import HOLDER, USER, CustomerRelationship, Grant, GrantId
from selfcare.billing.invoices import (
    ChargeKind,
    Invoice,
    InvoiceLine,
    Party,
    PriceBasis,
    payment_reference,
)
from selfcare.billing.periods import BillingPeriod
from selfcare.bootstrap import App, Policies, Storage, bootstrap, memory_storage
from selfcare.core.errors import StorageUnavailable
from selfcare.core.ids import AccountId, CustomerNumber, RelationshipId
from selfcare.core.money import Money
from selfcare.core.outcome import Outcome
from selfcare.identity.assertion import IdentityAssertion
from selfcare.identity.customer_records import CustomerRecord
from selfcare.identity.hashing import ScryptHasher
from selfcare.identity.national_id import NationalId
from selfcare.identity.profile import ProfileDraft
from selfcare.privacy.model import ErasedAccount
from selfcare.privacy.ports import PrivacyUnitOfWork
from selfcare.testing.contracts.identity import example_hetu
from selfcare.testing.fakes import (
    CountingSecrets,
    SequentialIds,
    SteppableClock,
    bank_identification,
)

T = TypeVar("T")
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
PASSWORD = "Kuusi7Sorsaa"
ANNA = example_hetu(308)
PEKKA = example_hetu(309)
REL = RelationshipId("rel-1")
SOURCE = "203.0.113.7"


def ok(outcome: Outcome[T]) -> T:
    assert outcome.ok, outcome
    return outcome.unwrap()


@attrs.define
class World:
    app: App
    clock: SteppableClock
    notifier: RecordingNotifier


def _record(
    national_id: NationalId, number: str, email: str, names: tuple[str, str]
) -> CustomerRecord:
    given, surname = names
    return CustomerRecord(
        customer_number=number,
        kind="electricity",
        national_ids_on_file=(national_id,),
        contact=ProfileDraft(given_names=given, surname=surname, email=email, phone=""),
    )


def make_world(storage: Storage | None = None, policies: Policies | None = None) -> World:
    clock, notifier = SteppableClock(T0), RecordingNotifier()
    directory = MemoryCustomerDirectory(
        (
            _record(ANNA, "100234", "anna.virtanen@example.fi", ("Anna", "Virtanen")),
            _record(PEKKA, "200555", "pekka@example.fi", ("Pekka", "Lindqvist")),
        )
    )
    app = bootstrap(
        storage if storage is not None else memory_storage(),
        clock=clock,
        ids=SequentialIds("id"),
        secrets=CountingSecrets(),
        policies=policies,
        customers=directory,
        notifier=notifier,
        hasher=ScryptHasher(n=2**4),
    )
    with app.storage.authz as uow:
        uow.relationships.add(
            CustomerRelationship(
                id=REL,
                customer_number=CustomerNumber("100234"),
                kind="electricity",
                label="Summer cottage",
            )
        )
        uow.commit()
    return World(app, clock, notifier)


def register(world: World, national_id: NationalId, email: str) -> AccountId:
    """Every step of registration; the new account's id."""
    identity = world.app.identity
    reg = ok(identity.start_registration(language="fi"))
    ok(identity.accept_terms(reg.id, terms_version="1", national_id=national_id))
    ok(identity.identify(reg.id, identification(national_id, world.clock.now())))
    matched = ok(identity.match_customers(reg.id))
    assert matched.prefill is not None
    ok(identity.confirm_profile(reg.id, attrs.evolve(matched.prefill, email=email)))
    ok(identity.set_credentials(reg.id, PASSWORD, repeated=PASSWORD))
    ok(identity.confirm_registration(reg.id))
    token = world.notifier.last("registration.verify_email").secret
    assert token is not None
    return AccountId(ok(identity.complete_registration(reg.id, token)).account.id)


def identification(national_id: NationalId, at: datetime) -> IdentityAssertion:
    given, surname = ("Pekka", "Lindqvist") if national_id == PEKKA else ("Anna", "Virtanen")
    return bank_identification(national_id, at=at, given_names=given, surname=surname)


def invoice(
    world: World,
    number: int,
    issued_on: date,
    *,
    payer: str = "100234",
    seller_country: str | None = None,
    amount: str = "19.90",
) -> Invoice:
    """An invoice of ``payer`` kept in the billing store."""
    line = InvoiceLine.build(
        service_id="svc-1",
        kind=ChargeKind.RECURRING,
        description="Sähkö",
        supply_from=issued_on.replace(day=1),
        supply_to=issued_on.replace(day=28),
        amount=Money(amount, "EUR"),
        price_basis=PriceBasis.GROSS,
        vat_percent=Decimal("25.5"),
    )
    seller = None
    if seller_country is not None:
        seller = Party(name="Energia Oy", country=seller_country)
    made = Invoice(
        invoice_id=f"inv-{number}",
        payer=CustomerNumber(payer),
        period=BillingPeriod(issued_on.year, issued_on.month),
        currency="EUR",
        issued_on=issued_on,
        due_on=issued_on + timedelta(days=14),
        reference=payment_reference("FI", number),
        lines=(line,),
        seller=seller,
    )
    with world.app.storage.billing as uow:
        uow.invoices.add(made)
        uow.commit()
    return made


def invite(world: World, inviter: AccountId, email: str) -> IssuedInvitation:
    """An invitation from ``inviter`` to use the summer cottage's contract."""
    return ok(
        world.app.authz.invite(
            REL,
            email,
            first_name="Maija",
            last_name="Meikäläinen",
            message="Tervetuloa",
            roles=[USER],
            inviter=inviter,
        )
    )


def grant(world: World, account: AccountId, role: str = HOLDER, rel: RelationshipId = REL) -> None:
    with world.app.storage.authz as uow:
        uow.grants.add(
            Grant(
                id=GrantId(f"{role}-{account}-{rel}"),
                user=account,
                relationship_id=rel,
                role=role,
                granted_at=T0,
            )
        )
        uow.commit()


@contextlib.contextmanager
def failing_erasure_log(uow: PrivacyUnitOfWork) -> Iterator[None]:
    """The erasure log of ``uow`` fails to write a tombstone: the last step of an
    erasure, after every other change was made in the unit of work."""
    tombstones = uow.erasures

    class FailingLog:
        def add(self, tombstone: ErasedAccount) -> None:
            raise StorageUnavailable(f"disk full: {type(tombstone).__name__} not written")

        def find(self, account_id: str) -> ErasedAccount | None:
            return tombstones.find(account_id)

    uow.erasures = FailingLog()
    try:
        yield
    finally:
        uow.erasures = tombstones
