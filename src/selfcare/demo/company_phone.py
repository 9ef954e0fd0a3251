"""Journey 5: an employee's company phone.

Kari signs in with his work account and may order on his employer's company phones,
but self-service needs his phone number confirmed: a one-time code by SMS (a wrong
code refused first). He orders extra data, seeing before he presses OK what the
employer pays and what is deducted from his salary - the same pro-rated charge April's
invoice will carry; changes plan (an upgrade, at once). On 1 May the invoice run charges
April from the inventory's history alone: the old plan to the 9th, the new one from the
10th, the extra data from the 10th, with VAT; and the month's deduction statement comes
from that invoice. (The corporate mobile guide.)
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Final

from selfcare.billing import (
    BillingMethod,
    BillingPeriod,
    MobilePolicy,
    Party,
    deduction_statement,
    payer_split,
    quoted_charges,
)
from selfcare.catalog import (
    Asset,
    EligibilityContext,
    OrderItem,
    OrderState,
    ProductInstance,
    ProductStatus,
)
from selfcare.catalog.sample import sample_catalog
from selfcare.core.clock import operator_zone
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import AccountId, CustomerNumber
from selfcare.core.money import Money
from selfcare.demo.invoices import show_invoice
from selfcare.demo.world import World
from selfcare.identity import PhoneNumber, issue_code, require_mobile, verify_code
from selfcare.identity.ports import Channel, OutgoingMessage
from selfcare.identity.profile import Language

if TYPE_CHECKING:  # pragma: no cover - typing only
    from selfcare.core.decision import Decision

__all__ = ["run"]

#: The employer's customer number: the company phones' customer relationship.
NUMBER: Final = "NO-991234567-17"

#: The phones' operator counts days in Norway.
OSLO: Final = "Europe/Oslo"

#: Kari's subscription, in the inventory before self-service is activated.
SUBSCRIPTION: Final = "sub-kari"
PLAN: Final = "bedrift_total_c_10gb"
TARGET: Final = "bedrift_total_e_50gb"

#: The employer's mobile policy: who pays for what, and the monthly allowance.
POLICY: Final = MobilePolicy(
    policy_id="mp-trondelag",
    employer="Trøndelag fylkeskommune",
    monthly_allowance=Money("100", "NOK"),
    employer_paid={PLAN, TARGET},
    employee_paid={"cloud_storage_50gb", "cloud_storage_25gb", "cloud_storage_10gb"},
)


class _CompanyPhone:
    """The journey's steps, sharing the relationship, the phone and the permission."""

    def __init__(self, world: World, permission: Decision) -> None:
        self.world = world
        self.out = world.out
        self.catalog = sample_catalog()
        self.relationship = world.relationships[NUMBER]
        self.payer = CustomerNumber(NUMBER)
        self.permission = permission
        self.phone = Asset.msisdn("412 34 567", region="NO")
        self.phone_confirmed = False

    def context(self) -> EligibilityContext:
        """What the portal knows when Kari orders."""
        return EligibilityContext(
            relationship_id=self.relationship,
            relationship_active=True,
            has_billing_agreement=True,
            permission=self.permission,
            phone_number_confirmed=self.phone_confirmed,
        )

    def name_of(self, offering_id: str) -> str:
        """An offering's name in the printer's language."""
        offering = self.catalog.find(offering_id)
        return offering.names.get(self.out.lang) if offering is not None else offering_id

    def subscription_exists(self) -> None:
        """The employer's agreement and Kari's subscription predate self-service."""
        self.world.app.billing.add_billing_agreement(
            agreement_id="ba-991234567",
            payer=self.payer,
            method=BillingMethod.E_INVOICE,
            valid_from=date(2025, 1, 1),
        ).unwrap()
        # The subscription comes from the operator's provisioning, before the portal:
        # no catalog use case records it, so it goes into the inventory directly.
        with self.world.app.storage.catalog as uow:
            uow.inventory.add(
                ProductInstance(
                    id=SUBSCRIPTION,
                    offering_id=PLAN,
                    relationship_id=self.relationship,
                    status=ProductStatus.ACTIVE,
                    asset=self.phone,
                    start=datetime(2025, 1, 1, tzinfo=UTC),
                )
            )
            uow.commit()
        self.out.say("subscription", name=self.name_of(PLAN), phone=self.phone.value)

    def confirm_phone(self) -> None:
        """A one-time code by SMS; a wrong code first, then the right one."""
        out, now = self.out, self.world.clock.now()
        mobile = PhoneNumber.parse(self.phone.value)
        require_mobile(mobile).raise_for_denial()
        secrets = self.world.secrets
        key = self.world.app.one_time_code_key
        challenge, code = issue_code(
            mobile, challenge_id="otp-1", now=now, secrets=secrets, key=key
        )
        sms = OutgoingMessage(
            template="otp.confirm_phone",
            channel=Channel.SMS,
            recipient=mobile.e164,
            language=Language(out.lang),
            secret=code,
        )
        self.world.notifier.send(sms)
        out.message(sms)
        wrong = "000000" if code != "000000" else "111111"
        out.say("enter_code", code=wrong)
        challenge, decision = verify_code(
            challenge, wrong, now=now + timedelta(seconds=30), key=key
        )
        out.refusal(decision.violations)
        out.say("enter_sms_code")
        challenge, decision = verify_code(challenge, code, now=now + timedelta(seconds=50), key=key)
        if not decision:  # pragma: no cover - the right code
            raise SelfcareError(*decision.violations)
        out.say("phone_confirmed")
        self.phone_confirmed = True

    def order_extra_data(self, extra: OrderItem) -> None:
        """The order dialog shows the salary deduction before OK."""
        out, service = self.out, self.world.app.catalog
        spent = Money("0", "NOK")  # nothing charged against April's allowance yet
        quote = service.quote_order(extra, self.context()).unwrap()
        out.say("quote")
        out.bullets(quote.summary(out.lang))
        # What the product adds to April's invoice: 10 to 30 April, pro-rated.
        charges = quoted_charges(quote, lang=out.lang, zone=operator_zone(OSLO))
        split = payer_split(charges, POLICY, spent, lang=out.lang)
        out.say("split", allowance=out.money(POLICY.monthly_allowance), spent=out.money(spent))
        out.bullets(split.summary(out.lang))
        placed = service.place_order(quote, self.context(), idempotency_key="dlg-1").unwrap()
        service.advance_order(placed.id, OrderState.IN_PROGRESS).unwrap()
        done = service.advance_order(placed.id, OrderState.COMPLETED).unwrap()
        out.say("ordered", order=placed.id, status=out.state(done.state.value))

    def change_plan(self) -> None:
        """Total C 10 GB -> Total E 50 GB: an upgrade applies at once."""
        out, service = self.out, self.world.app.catalog
        item = OrderItem.change_plan(SUBSCRIPTION, TARGET)
        change = service.quote_order(item, self.context()).unwrap().lines[0]
        out.say(
            "plan_change",
            old=self.name_of(PLAN),
            new=self.name_of(TARGET),
            change=out.money(change.monthly_change or Money.zero("NOK")),
            day=out.day(change.effective_at or self.world.clock.now()),
        )
        service.change_plan(SUBSCRIPTION, TARGET, self.context(), idempotency_key="plan-1").unwrap()

    def invoice(self) -> None:
        """April's invoice from the invoice run on 1 May: the plan as it was to the
        9th, the new plan and the extra data from the 10th; its VAT breakdown; and the
        month's salary deduction statement derived from it."""
        out = self.out
        self.world.move_clock(datetime(2026, 4, 30, 22, 0, tzinfo=UTC))  # 1 May in Oslo
        invoice = self.world.app.billing.run_invoice(
            relationship_id=self.relationship,
            payer=self.payer,
            period=BillingPeriod(2026, 4),
            invoice_number="2026040001",
            country="NO",
            buyer=Party(name=POLICY.employer, country="NO", identifier=NUMBER),
            lang=out.lang,
        ).unwrap()
        show_invoice(out, invoice)
        statement = deduction_statement(invoice, POLICY, employee="kari.nordmann")
        out.say("deduction", month=out.month(2026, 4), amount=out.money(statement.total))


def run(world: World) -> None:
    """Journey 5: Kari confirms his phone, orders extra data, changes plan; the invoice."""
    world.out.heading("heading.company_phone")
    world.clock.set(datetime(2026, 4, 10, 7, 0, tzinfo=UTC))
    kari = AccountId("kari.nordmann")  # signs in with the work account (SSO)
    world.provision(kari, "kari")
    permission = world.check("Kari", kari, "order_services", NUMBER)
    journey = _CompanyPhone(world, permission)
    journey.subscription_exists()
    extra = OrderItem.add("extra_data_15gb", asset=journey.phone)
    refused = world.app.catalog.quote_order(extra, journey.context())
    world.out.refusal(refused.decision.violations)
    journey.confirm_phone()
    journey.order_extra_data(extra)
    journey.change_plan()
    journey.invoice()
