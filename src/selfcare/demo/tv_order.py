"""Journey 3: ordering a TV channel and editing the MIX package.

Anna may order on her TV contract, but ordering needs a billing agreement (added) and
the sport channel a pay-TV card (found valid). She orders the channel and a security
service, has a MIX package of one channel refused (3 to 6), orders one of three and
edits it to five from the next billing period, sees her ordered services with their
dates, and learns that cancelling the channel is done in writing. March's invoice
comes from the invoice run: each service from the day it was ordered. Refusals name
the channel and the pay-TV card as Anna sees them. (The telecom ordering guide.)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Final

from selfcare.billing.agreements import BillingMethod
from selfcare.billing.periods import BillingPeriod
from selfcare.catalog.eligibility import EligibilityContext
from selfcare.catalog.events import ProductOrdered
from selfcare.catalog.orders import OrderItem, OrderState
from selfcare.catalog.sample import sample_catalog
from selfcare.catalog.service_lists import ordered_services
from selfcare.core.ids import CustomerNumber
from selfcare.core.money import Money
from selfcare.demo.invoices import show_invoice
from selfcare.demo.world import World

if TYPE_CHECKING:  # pragma: no cover - typing only
    from selfcare.core.decision import Decision, Violation

__all__ = ["run"]

#: The customer number of Anna's broadband and TV contract.
NUMBER: Final = "8100777"

#: What the pay-TV card check adds to the eligibility context.
PAY_TV_CARD: Final[frozenset[str]] = frozenset({"pay_tv_card"})

#: The three MIX channels first ordered.
CHANNELS: Final[frozenset[str]] = frozenset({"mix_history", "mix_music", "mix_travel"})


class _TvOrder:
    """The journey's steps, sharing the relationship and Anna's permission."""

    def __init__(self, world: World, permission: Decision) -> None:
        self.world = world
        self.out = world.out
        self.catalog = world.app.catalog
        self.billing = world.app.billing
        self.relationship = world.relationships[NUMBER]
        self.payer = CustomerNumber(NUMBER)
        self.permission = permission

    def context(self, capabilities: frozenset[str] = frozenset()) -> EligibilityContext:
        """What the portal knows when Anna orders: her permission, the agreement."""
        return EligibilityContext(
            relationship_id=self.relationship,
            relationship_active=True,
            has_billing_agreement=bool(self.billing.check_billing_agreement(self.payer)),
            permission=self.permission,
            capabilities=capabilities,
        )

    def refusal(self, violations: Iterable[Violation]) -> None:
        """A refusal as Anna reads it: the channel's name, "a valid pay-TV card"."""
        self.out.say("refused")
        for text in self.catalog.customer_messages(violations, self.out.lang).unwrap():
            self.out.line(f"- {text}", 2)

    def invoice_march(self) -> None:
        """March's invoice from the invoice run on 1 April, charged from the inventory."""
        invoice = self.billing.run_invoice(
            relationship_id=self.relationship,
            payer=self.payer,
            period=BillingPeriod(2026, 3),
            invoice_number="2026030001",
            country="FI",
            lang=self.out.lang,
        ).unwrap()
        show_invoice(self.out, invoice)

    def add_billing_agreement(self) -> None:
        """No agreement, no order: the agreement is added."""
        out = self.out
        out.refusal(self.billing.check_billing_agreement(self.payer).decision.violations)
        agreement = self.billing.add_billing_agreement(
            agreement_id="ba-8100777",
            payer=self.payer,
            method=BillingMethod.E_INVOICE,
            valid_from=date(2026, 3, 1),
        ).unwrap()
        out.say(
            "agreement_added",
            agreement=agreement.agreement_id,
            method=agreement.method.value,
            day=out.day(agreement.valid_from),
        )

    def order(self, item: OrderItem, key: str) -> str:
        """Quote, place and fulfil ``item``; returns the id of the product ordered."""
        out, service, context = self.out, self.catalog, self.context(PAY_TV_CARD)
        quote = service.quote_order(item, context).unwrap()
        out.say("quote")
        out.bullets(quote.summary(out.lang))
        placed = service.place_order(quote, context, idempotency_key=key)
        order = placed.unwrap()
        service.advance_order(order.id, OrderState.IN_PROGRESS).unwrap()
        done = service.advance_order(order.id, OrderState.COMPLETED).unwrap()
        out.say("ordered", order=order.id, status=out.state(done.state.value))
        (product,) = (e.product_id for e in placed.events if isinstance(e, ProductOrdered))
        return product

    def edit_mix(self, package: str) -> None:
        """Five channels instead of three, from the next billing period."""
        out, service, context = self.out, self.catalog, self.context(PAY_TV_CARD)
        five = CHANNELS | {"mix_food", "mix_crime"}
        quote = service.quote_order(OrderItem.edit_bundle(package, five), context).unwrap()
        line = quote.lines[0]
        out.say(
            "mix_edit",
            count=len(five),
            change=out.money(line.monthly_change or Money.zero("EUR")),
            day=out.day(line.effective_at or self.world.clock.now()),
        )
        service.edit_bundle(package, five, context, idempotency_key="form-4").unwrap()
        april = datetime(2026, 3, 31, 22, 0, tzinfo=UTC)
        self.world.move_clock(april)
        applied = service.apply_due_changes(self.relationship).unwrap()
        out.say("mix_applied", day=out.day(april), count=len(applied[0].bundle_items))

    def show_ordered_services(self) -> None:
        """The "ordered services" page: each service with its start and end."""
        out = self.out
        out.say("ordered_services")
        # No catalog query lists a relationship's products: read them through the storage.
        with self.world.app.storage.catalog as uow:
            products = uow.inventory.for_relationship(self.relationship)
        now = self.world.clock.now()
        for row in ordered_services(products, sample_catalog(), now=now, lang=out.lang):
            end = (
                out.text("until_further_notice")
                if row.end is None
                else out.text("ends_on", day=out.day(row.end))
            )
            start = out.day(row.start) if row.start is not None else "-"
            out.line("- " + out.text("service_row", name=row.name, start=start, end=end), 2)

    def cancel_in_writing(self, sport: str) -> None:
        """Cancelling the sport channel makes a written request; nothing ends."""
        out = self.out
        receipt = self.catalog.cancel_service(
            sport,
            self.context(PAY_TV_CARD),
            contact_phone="+358 40 123 4567",
            contact_email="anna.private@example.fi",
        ).unwrap()
        request = receipt.request
        if request is None:  # pragma: no cover - the sport channel is written-only
            raise AssertionError("expected a written request")
        offering = sample_catalog().find("tv_sport_12m")
        shown = offering.names.get(out.lang) if offering is not None else "tv_sport_12m"
        out.say(
            "cancellation",
            name=shown,
            request=request.id,
            phone=request.contact_phone,
            email=request.contact_email,
        )
        # No catalog query returns one product: read it through the storage.
        with self.world.app.storage.catalog as uow:
            still = uow.inventory.find(sport)
        status = out.state(still.status.value) if still else "-"
        out.say("still_active", name=shown, status=status)


def run(world: World) -> None:
    """Journey 3: Anna orders a TV channel, a security service and a MIX package."""
    world.out.heading("heading.tv_order")
    world.clock.set(datetime(2026, 3, 10, 10, 0, tzinfo=UTC))
    permission = world.check("Anna", world.accounts["anna"], "order_services", NUMBER)
    journey = _TvOrder(world, permission)
    journey.add_billing_agreement()
    sport = OrderItem.add("tv_sport_12m")
    journey.refusal(world.app.catalog.quote_order(sport, journey.context()).decision.violations)
    world.out.say("card_added")
    sport_id = journey.order(sport, "form-1")
    journey.order(OrderItem.add("security_total"), "form-2")
    too_few = OrderItem.add("mix_package", bundle_items={"mix_music"})
    refused = world.app.catalog.quote_order(too_few, journey.context(PAY_TV_CARD))
    journey.refusal(refused.decision.violations)
    package = journey.order(OrderItem.add("mix_package", bundle_items=CHANNELS), "form-3")
    journey.edit_mix(package)
    journey.invoice_march()
    journey.show_ordered_services()
    journey.cancel_in_writing(sport_id)
