"""The identity and authz services over one in-memory database, wired by
selfcare.bootstrap as an integrator would, for the enumeration, logging and SQLite-dump
tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TypeVar, cast

import attrs

from selfcare import FixedClock
from selfcare.adapters.memory import MemoryDatabase
from selfcare.adapters.memory.authz import MemoryAuthzUnitOfWork
from selfcare.adapters.memory.billing import MemoryBillingUnitOfWork
from selfcare.adapters.memory.catalog import MemoryCatalogUnitOfWork
from selfcare.adapters.memory.identity import (
    MemoryCustomerDirectory,
    MemoryIdentityUnitOfWork,
    RecordingNotifier,
)
from selfcare.adapters.memory.privacy import MemoryFeedbackArchive, MemoryPrivacyUnitOfWork
from selfcare.authz.invitation_policy import InvitationPolicy
from selfcare.authz.model import HOLDER, CustomerRelationship, Grant, GrantId
from selfcare.authz.service import AuthzService
from selfcare.bootstrap import Policies, Storage, bootstrap
from selfcare.core.ids import AccountId, CustomerNumber, RelationshipId
from selfcare.core.outcome import Outcome
from selfcare.identity.assertion import AuthMethod, IdentityAssertion, LevelOfAssurance
from selfcare.identity.customer_records import CustomerRecord
from selfcare.identity.hashing import ScryptHasher
from selfcare.identity.national_id import NationalId
from selfcare.identity.ports import IdentityUnitOfWork
from selfcare.identity.profile import ProfileDraft
from selfcare.identity.registration import Registration, RegistrationPolicy
from selfcare.identity.registration_account import CompletedRegistration
from selfcare.identity.service import IdentityService
from selfcare.testing.contracts.identity import example_hetu
from selfcare.testing.fakes import CountingSecrets, SequentialIds

T = TypeVar("T")
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
PASSWORD = "Kuusi7Sorsaa"
ANNA = example_hetu(308)
PEKKA = example_hetu(309)
REL = RelationshipId("rel-1")


def ok(outcome: Outcome[T]) -> T:
    assert outcome.ok, outcome
    return outcome.unwrap()


@attrs.define
class Services:
    db: MemoryDatabase
    identity: IdentityService
    authz: AuthzService
    identity_uow: IdentityUnitOfWork
    notifier: RecordingNotifier
    clock: FixedClock
    directory: MemoryCustomerDirectory


def record(national_id: NationalId, number: str, email: str) -> CustomerRecord:
    return CustomerRecord(
        customer_number=number,
        kind="electricity",
        national_ids_on_file=(national_id,),
        contact=ProfileDraft(
            given_names="Anna", surname="Virtanen", email=email, phone="040 123 4567"
        ),
    )


def make_services(
    *,
    identity_uow: IdentityUnitOfWork | None = None,
    policy: RegistrationPolicy | None = None,
    invitations: InvitationPolicy | None = None,
) -> Services:
    db = MemoryDatabase()
    # The memory unit of work declares its repositories by their classes; mypy wants
    # the protocol types (attributes are invariant), hence the cast.
    uow = identity_uow or cast("IdentityUnitOfWork", MemoryIdentityUnitOfWork(db))
    notifier, clock = RecordingNotifier(), FixedClock(T0)
    directory = MemoryCustomerDirectory(
        (
            record(ANNA, "100234", "anna.virtanen@example.fi"),
            record(PEKKA, "200555", "pekka@example.fi"),
        )
    )
    authz_uow = MemoryAuthzUnitOfWork(db)
    storage = Storage(
        identity=uow,
        authz=authz_uow,
        catalog=MemoryCatalogUnitOfWork(db),
        billing=MemoryBillingUnitOfWork(db),
        privacy=MemoryPrivacyUnitOfWork(db),
    )
    app = bootstrap(
        storage,
        clock=clock,
        ids=SequentialIds("id"),
        secrets=CountingSecrets(),
        policies=Policies(
            registration=policy or RegistrationPolicy(),
            invitation=invitations or InvitationPolicy(),
        ),
        customers=directory,
        notifier=notifier,
        feedback_inbox=MemoryFeedbackArchive(db),
        hasher=ScryptHasher(n=2**4),
    )
    with authz_uow:
        authz_uow.relationships.add(
            CustomerRelationship(
                id=REL, customer_number=CustomerNumber("100234"), kind="electricity"
            )
        )
        authz_uow.commit()
    return Services(db, app.identity, app.authz, uow, notifier, clock, directory)


def bank(national_id: NationalId, at: datetime) -> IdentityAssertion:
    return IdentityAssertion(
        method=AuthMethod.BANK,
        level=LevelOfAssurance.SUBSTANTIAL,
        national_id=national_id,
        given_names="Anna",
        surname="Virtanen",
        provider="nordea",
        issued_at=at,
    )


def register_until_confirmed(
    services: Services, national_id: NationalId, email: str
) -> Outcome[Registration]:
    """Every step up to the confirmation; the confirmation's answer."""
    identity = services.identity
    reg = ok(identity.start_registration(language="fi"))
    ok(identity.accept_terms(reg.id, terms_version="1", national_id=national_id))
    ok(identity.identify(reg.id, bank(national_id, services.clock.now())))
    matched = ok(identity.match_customers(reg.id))
    assert matched.prefill is not None
    ok(identity.confirm_profile(reg.id, attrs.evolve(matched.prefill, email=email)))
    ok(identity.set_credentials(reg.id, PASSWORD, repeated=PASSWORD))
    return identity.confirm_registration(reg.id)


def register(services: Services, national_id: NationalId, email: str) -> CompletedRegistration:
    reg = ok(register_until_confirmed(services, national_id, email))
    token = services.notifier.last("registration.verify_email").secret
    assert token is not None
    return ok(services.identity.complete_registration(reg.id, token))


def make_holder(services: Services, account: str) -> None:
    uow = MemoryAuthzUnitOfWork(services.db)
    with uow:
        uow.grants.add(
            Grant(
                id=GrantId(f"holder-{account}"),
                user=AccountId(account),
                relationship_id=REL,
                role=HOLDER,
                granted_at=T0,
            )
        )
        uow.commit()
