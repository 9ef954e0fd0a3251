"""The invariants of closing one's own account, over random worlds of people: after
closing, no repository returns the person's data and nothing else changed; kept invoices
still total the same; a last holder's closing changes nothing at all."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from privacy_world import T0, Link, Person, dump, grant, populate, worlds

from selfcare.adapters.memory import MemoryDatabase
from selfcare.adapters.memory.privacy import MemoryPrivacyUnitOfWork
from selfcare.billing.invoices import ChargeKind, Invoice, InvoiceLine, PriceBasis
from selfcare.billing.periods import BillingPeriod
from selfcare.core.ids import AccountId, CustomerNumber
from selfcare.core.money import Money
from selfcare.core.outcome import Outcome
from selfcare.privacy.closing import IdentificationReauthentication
from selfcare.privacy.model import ErasureReport
from selfcare.privacy.service import PrivacyService
from selfcare.testing.fakes import SteppableClock, bank_identification

NOW = T0 + timedelta(hours=1)


def _invoice(number: int, payer: str, amount: Decimal) -> Invoice:
    line = InvoiceLine.build(
        service_id="svc-1",
        kind=ChargeKind.RECURRING,
        description="TV",
        supply_from=date(2026, 1, 1),
        supply_to=date(2026, 1, 31),
        amount=Money(amount, "EUR"),
        price_basis=PriceBasis.GROSS,
        vat_percent=Decimal("25.5"),
    )
    return Invoice(
        invoice_id=f"inv-{number}",
        payer=CustomerNumber(payer),
        period=BillingPeriod(2026, 1),
        currency="EUR",
        issued_on=date(2026, 2, 1),
        due_on=date(2026, 2, 15),
        reference=f"ref-{number}",
        lines=(line,),
    )


def _close(db: MemoryDatabase, person: Person) -> Outcome[ErasureReport]:
    service = PrivacyService(uow=MemoryPrivacyUnitOfWork(db), clock=SteppableClock(NOW))
    assertion = bank_identification(person.national_id, at=NOW)
    return service.close_own_account(
        AccountId(person.account_id),
        IdentificationReauthentication(assertion=assertion),
        confirm=True,
    )


def _totals(db: MemoryDatabase) -> dict[str, Money]:
    uow = MemoryPrivacyUnitOfWork(db)
    with uow:
        return {
            i.invoice_id: i.gross_total
            for payer in ("100234", "200555")
            for i in uow.invoices.for_payer(payer)
        }


def _nothing_of(db: MemoryDatabase, person: Person) -> None:
    """No repository returns anything of ``person``."""
    uow = MemoryPrivacyUnitOfWork(db)
    user = AccountId(person.account_id)
    with uow:
        assert uow.accounts.find(user) is None
        assert uow.accounts.find_by_email(person.email) is None
        assert uow.accounts.find_by_national_id(person.national_id) is None
        assert list(uow.index.registrations_of_account(user)) == []
        assert list(uow.index.registrations_of_person(person.national_id)) == []
        assert list(uow.invitations.for_email(person.email)) == []
        assert list(uow.one_time_codes.for_phone(person.phone)) == []
        assert list(uow.feedback.for_account(user)) == []
        assert list(uow.feedback.for_contact(person.email, person.phone)) == []
        assert list(uow.login_throttles.for_account(user)) == []
        assert uow.second_factors.find(user) is None
        assert [g for g in uow.grants.for_user(user) if g.is_active(NOW)] == []


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(
    worlds(),
    st.data(),
    st.lists(st.decimals(min_value=0, max_value=1000, places=2), max_size=4),
)
def test_after_closing_nothing_of_the_person_is_returned_and_invoices_total_the_same(
    world: tuple[list[Person], list[Link], set[int]],
    data: st.DataObject,
    amounts: list[Decimal],
) -> None:
    persons, links, pending = world
    db = populate(persons, links, pending)
    closing = data.draw(st.sampled_from(persons))
    uow = MemoryPrivacyUnitOfWork(db)
    with uow:
        # Someone else holds the person's relationship too: closing may go ahead.
        uow.grants.add(grant(900, "acc-co-holder", closing.relationship, by=None, holder=True))
        for n, amount in enumerate(amounts):
            uow.invoices.add(_invoice(n, ("100234", "200555")[n % 2], amount))
        uow.commit()
    totals = _totals(db)
    before = dump(db)

    outcome = _close(db, closing)

    assert outcome.ok, outcome
    _nothing_of(db, closing)
    after = dump(db)
    for text in after.values():
        for value in closing.personal_values():
            assert value not in text.lower()
    for key, text in before.items():
        mentions = f'"{closing.account_id}"' in text or any(
            value in text.lower() for value in closing.personal_values()
        )
        if not mentions:
            assert after.get(key) == text, key
    assert _totals(db) == totals


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), st.data())
def test_a_last_holder_closing_changes_nothing(
    world: tuple[list[Person], list[Link], set[int]], data: st.DataObject
) -> None:
    persons, links, pending = world
    db = populate(persons, links, pending)
    closing = data.draw(st.sampled_from(persons))
    before = dump(db)

    outcome = _close(db, closing)

    assert outcome.codes == ("closing.last_holder",)
    assert dump(db) == before
