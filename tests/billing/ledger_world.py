"""A customer with products and an operator that runs invoices, wired by bootstrap, for
the ledger tests (catalog and billing together)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from selfcare.billing import BillingMethod, BillingPeriod, Invoice
from selfcare.bootstrap import App, Policies, bootstrap, memory_storage
from selfcare.catalog import (
    Asset,
    Catalog,
    EligibilityContext,
    OrderItem,
    OrderState,
    ProductInstance,
    ProductStatus,
)
from selfcare.catalog.orders import ProductOrder
from selfcare.catalog.sample import sample_catalog
from selfcare.catalog.timing import OrderPolicy
from selfcare.core.decision import Decision
from selfcare.core.ids import CustomerNumber, RelationshipId
from selfcare.core.outcome import Outcome
from selfcare.testing.fakes import SequentialIds, SteppableClock

REL = RelationshipId("rel-1")
PAYER = CustomerNumber("NO-1")
PHONE = Asset.msisdn("+4741234567")
OSLO = "Europe/Oslo"


class World:
    """One relationship's products and invoices over the in-memory storage."""

    def __init__(self, now: datetime, catalog: Catalog | None = None) -> None:
        self.clock = SteppableClock(now)
        self.app: App = bootstrap(
            memory_storage(),
            clock=self.clock,
            ids=SequentialIds("x"),
            policies=Policies(order=OrderPolicy(timezone=OSLO)),
        )
        self.catalog = catalog or sample_catalog()
        self.keys = 0
        with self.app.storage.catalog as uow:
            for offering in self.catalog.offerings:
                uow.catalog.add(offering)
            uow.commit()
        self.app.billing.add_billing_agreement(
            payer=PAYER, method=BillingMethod.E_INVOICE, valid_from=date(2020, 1, 1)
        ).unwrap()

    def context(self) -> EligibilityContext:
        return EligibilityContext(
            relationship_id=REL,
            relationship_active=True,
            has_billing_agreement=True,
            permission=Decision.allow("grant:owner"),
            capabilities=frozenset({"pay_tv_card"}),
        )

    def provision(self, product_id: str, offering_id: str, start: datetime) -> None:
        """A product from the operator's provisioning, without a history."""
        with self.app.storage.catalog as uow:
            uow.inventory.add(
                ProductInstance(
                    id=product_id,
                    offering_id=offering_id,
                    relationship_id=REL,
                    status=ProductStatus.ACTIVE,
                    asset=PHONE,
                    start=start,
                )
            )
            uow.commit()

    def key(self) -> str:
        self.keys += 1
        return f"k-{self.keys}"

    def order(self, *items: OrderItem) -> Outcome[ProductOrder]:
        service = self.app.catalog
        quoted = service.quote_order(list(items), self.context())
        if not quoted.ok:
            return quoted
        placed = service.place_order(quoted.value, self.context(), idempotency_key=self.key())
        if placed.ok:
            service.advance_order(placed.value.id, OrderState.IN_PROGRESS).unwrap()
            service.advance_order(placed.value.id, OrderState.COMPLETED).unwrap()
        return placed

    def at(self, moment: datetime) -> None:
        """Move the clock and let the scheduler apply what is due."""
        self.clock.set(moment)
        self.app.catalog.apply_due_changes(REL).unwrap()

    def products(self) -> tuple[ProductInstance, ...]:
        return self.app.catalog.products_of(REL).unwrap()

    def product(self, product_id: str) -> ProductInstance:
        (found,) = (p for p in self.products() if p.id == product_id)
        return found

    def invoice(self, period: BillingPeriod, number: str = "1001") -> Outcome[Invoice]:
        return self.app.billing.run_invoice(
            relationship_id=REL,
            payer=PAYER,
            period=period,
            invoice_number=number,
            country="NO",
        )


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def gross(invoice: Invoice, offering_ids: Iterable[str] | None = None) -> str:
    wanted = None if offering_ids is None else set(offering_ids)
    total = sum(
        (
            line.gross.amount
            for line in invoice.lines
            if wanted is None or line.offering_id in wanted
        ),
        start=0,
    )
    return f"{total:.2f}"
