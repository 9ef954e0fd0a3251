"""The demo's world: the people, the operator's customer system, the clock, ids and
secrets, and the one :class:`~selfcare.bootstrap.App` every journey uses.

Everything is reproducible: the clock stands still unless a journey moves it, ids are
sequential (one sequence for every domain) and secrets come from a seeded generator.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Final

import attrs

from selfcare.adapters.memory.identity import MemoryCustomerDirectory, RecordingNotifier
from selfcare.authz.grants import new_grants
from selfcare.authz.invitation_policy import InvitationPolicy
from selfcare.authz.model import HOLDER, CustomerRelationship, Grant
from selfcare.bootstrap import App, Policies, Storage, bootstrap
from selfcare.catalog.sample import sample_catalog
from selfcare.core.decision import Decision
from selfcare.core.ids import CustomerNumber, RelationshipId
from selfcare.core.outcome import Done, Refused
from selfcare.identity.assertion import IdentityAssertion
from selfcare.identity.customer_records import CustomerRecord
from selfcare.identity.hashing import ScryptHasher
from selfcare.identity.national_id import NationalId, parse_national_id
from selfcare.identity.password import PasswordPolicy
from selfcare.identity.profile import ProfileDraft
from selfcare.identity.registration import RegistrationPolicy
from selfcare.testing.fakes import (
    SeededSecrets,
    SequentialIds,
    SteppableClock,
    bank_identification,
)

if TYPE_CHECKING:  # pragma: no cover - typing only
    from selfcare.core.ids import AccountId
    from selfcare.demo.printer import Printer

__all__ = ["DEMO_KEY", "START", "TERMS_VERSION", "World", "open_world"]

#: When the demo starts: Monday 2 March 2026, 10:00 in Helsinki.
START: Final = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

#: The operator key that seals national identity codes in the demo database. A real
#: deployment keeps a random key of its own like a database encryption key.
DEMO_KEY: Final = b"selfcare demo key - never use in production".ljust(64, b".")

#: The version of the terms of use every registration accepts.
TERMS_VERSION: Final = "2026-01"


def _people(today: date) -> dict[str, NationalId]:
    """The national identity codes of the demo's people, by first name."""
    return {
        "anna": parse_national_id("131052-308T", "FI", today=today),
        "pekka": parse_national_id("150380-211J", "FI", today=today),
        "matti": parse_national_id("240587-1327", "FI", today=today),
        "kari": parse_national_id("15078010085", "NO", today=today),
    }


def _customer_directory(people: dict[str, NationalId]) -> MemoryCustomerDirectory:
    """The operator's customer system: Anna's electricity and TV contracts (Pekka's name
    on the electricity invoice, not his identity code), Matti's contract without his
    identity code, and Kari's employer's company phones."""
    anna = people["anna"]
    return MemoryCustomerDirectory(
        [
            CustomerRecord(
                customer_number="6001234",
                kind="electricity",
                national_ids_on_file=(anna,),
                names_on_invoice=("Anna Virtanen", "Pekka Virtanen"),
                contact=ProfileDraft(
                    given_names="Anna",
                    surname="Virtanen",
                    email="anna.virtanen@example.fi",
                    phone="+358 40 123 4567",
                    street="Mannerheimintie 1 A 2",
                    postal_code="00100",
                    city="Helsinki",
                ),
            ),
            CustomerRecord(
                customer_number="8100777",
                kind="broadband_tv",
                national_ids_on_file=(anna,),
                names_on_invoice=("Anna Virtanen",),
            ),
            # The telecom registration guide: Matti's contract data lacks his identity code.
            CustomerRecord(
                customer_number="8100999",
                kind="broadband_tv",
                names_on_invoice=("Matti Meikäläinen",),
            ),
            CustomerRecord(
                customer_number="NO-991234567-17",
                kind="corporate_mobile",
                national_ids_on_file=(people["kari"],),
                names_on_invoice=("Trøndelag fylkeskommune",),
            ),
        ]
    )


def _policies() -> Policies:
    """The operator's rules: four banks, the terms of 2026, and invitations that propose
    a registered invitee's name (the energy authorization guide's opt-in); the rest are the
    defaults."""
    return Policies(
        registration=RegistrationPolicy(
            terms_version=TERMS_VERSION,
            accepted_providers={"nordea", "op", "danske", "handelsbanken"},
            password=PasswordPolicy(),  # the energy registration guide's rules are the defaults
        ),
        invitation=InvitationPolicy(propose_registered_names=True),
    )


@attrs.define
class World:
    """What the journeys share: the app, the printer, the clock, and who is who.

    Attributes:
        app: every service, from :func:`~selfcare.bootstrap.bootstrap`.
        out: prints in the chosen language.
        clock: the app's clock, moved by the journeys.
        notifier: the app's notifier; keeps what it was given to send.
        secrets: the app's secrets (the one-time code of the phone journey draws
            from it too).
        people: national identity codes by first name.
        accounts: the registered accounts by first name.
        relationships: the linked customer relationships by customer number.
    """

    app: App
    out: Printer
    clock: SteppableClock
    notifier: RecordingNotifier
    secrets: SeededSecrets
    people: dict[str, NationalId]
    accounts: dict[str, AccountId] = attrs.field(factory=dict)
    relationships: dict[str, RelationshipId] = attrs.field(factory=dict)

    def move_clock(self, moment: datetime) -> None:
        """Set the clock to ``moment`` and say so."""
        self.clock.set(moment)
        self.out.say("clock", day=self.out.day(moment))

    def assertion(self, person: str, given: str, surname: str, provider: str) -> IdentityAssertion:
        """What the bank ``provider`` asserts about ``person`` now."""
        return bank_identification(
            self.people[person],
            at=self.clock.now(),
            given_names=given,
            surname=surname,
            provider=provider,
        )

    def link(self, account: AccountId, person: str, name: tuple[str, str]) -> None:
        """Link ``person``'s customer relationships to ``account`` as holder, printed.

        The person identifies again with the bank (seed 003 re-checks the identity
        code); authz compares that code with the account's own.
        """
        assertion = self.assertion(person, *name, "nordea")
        linked = self.app.authz.link_customer_relationships(account, assertion)
        self._say_linked(account, linked.unwrap())

    def provision(self, account: AccountId, person: str) -> None:
        """Give the work account ``account`` holder access to the employer's
        relationships that name ``person`` - what the operator's corporate
        provisioning does, since a work account has no identity code to link with."""
        now, ids = self.clock.now(), self.app.authz.ids
        records = self.app.authz.customers.find_by_national_id(self.people[person])
        with self.app.storage.authz as uow:
            created: list[Grant] = []
            for record in records:
                relationship = CustomerRelationship(
                    id=RelationshipId(ids.new_id()),
                    customer_number=CustomerNumber(record.customer_number),
                    kind=str(record.kind),
                )
                uow.relationships.add(relationship)
                created.extend(
                    new_grants(
                        account, relationship.id, {HOLDER}, granted_by=None, ids=ids, now=now
                    )
                )
            for grant in created:
                uow.grants.add(grant)
            uow.commit()
        self._say_linked(account, created)

    def _say_linked(self, account: AccountId, grants: Iterable[Grant]) -> None:
        # No authz query returns a relationship's customer number and kind: read them
        # through the storage.
        with self.app.storage.authz as uow:
            for grant in grants:
                relationship = uow.relationships.find(grant.relationship_id)
                if relationship is None:  # pragma: no cover - just linked
                    continue
                self.relationships[relationship.customer_number] = relationship.id
                self.out.say(
                    "linked",
                    number=relationship.customer_number,
                    kind=relationship.kind,
                    account=account,
                )

    def check(self, name: str, account: AccountId, permission: str, number: str) -> Decision:
        """The permission check, printed; as a decision for catalog's eligibility rules.

        Args:
            name: who is asking, as printed.
            account: their account.
            permission: ``view_invoices`` or ``order_services``.
            number: the customer number of the relationship.
        """
        label = self.out.text(_PERMISSION_KEYS[permission])
        match self.app.authz.check(account, permission, self.relationships[number]):
            case Done(value=grant):
                reason = f"grant:{grant.id}"
                self.out.say("allowed", name=name, permission=label, reason=reason)
                return Decision.allow(reason=reason)
            case Refused(decision=decision):
                self.out.say("denied", name=name, permission=label)
                self.out.refusal(decision.violations)
                return decision


# The narration keys of the permissions the demo checks.
_PERMISSION_KEYS: Final = {
    "view_invoices": "permission.view_invoices",
    "order_services": "permission.order_services",
}


def open_world(storage: Storage, out: Printer) -> World:
    """Build the app over ``storage`` with the demo's clock, ids, secrets, policies and
    customer system, and put the sample catalog in it."""
    clock = SteppableClock(START)
    secrets = SeededSecrets(2026)
    notifier = RecordingNotifier()
    people = _people(START.date())
    app = bootstrap(
        storage,
        clock=clock,
        ids=SequentialIds("demo"),
        secrets=secrets,
        policies=_policies(),
        customers=_customer_directory(people),
        notifier=notifier,
        hasher=ScryptHasher(n=2**10),  # production: ScryptHasher() (OWASP parameters)
    )
    # The operator's product catalog is data the portal is given, not a use case.
    with app.storage.catalog as uow:
        for offering in sample_catalog().offerings:
            uow.catalog.add(offering)
        uow.commit()
    return World(app=app, out=out, clock=clock, notifier=notifier, secrets=secrets, people=people)
