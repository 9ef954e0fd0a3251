"""cattrs round trip of a product order against ``attrs.asdict`` on the same order."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import attrs
from harness import Report, best_of

from selfcare import Money
from selfcare.catalog import (
    Asset,
    LocalizedText,
    OrderAction,
    OrderItem,
    ProductOrder,
    QuoteLine,
)
from selfcare.core.ids import AccountId, RelationshipId
from selfcare.serialization import structure, unstructure

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def _order(items: int) -> ProductOrder:
    name = LocalizedText(
        en="Extra Data 5 GB", fi="Lisädata 5 Gt", sv="Extra data 5 GB", nb="Ekstra data 5 GB"
    )
    order_items = [
        OrderItem.add(f"extra_data_{n}", asset=Asset.msisdn("+4741234567")) for n in range(items)
    ]
    lines = [
        QuoteLine(
            item_index=n,
            action=OrderAction.ADD,
            offering_id=f"extra_data_{n}",
            product_name=name,
            asset=Asset.msisdn("+4741234567"),
            monthly_change=Money("99.00", "NOK"),
            one_time=Money("0.00", "NOK"),
            effective_at=NOW,
            group="mobile_addons",
        )
        for n in range(items)
    ]
    return ProductOrder(
        id="order-1",
        relationship_id=RelationshipId("rel-1"),
        idempotency_key="key-1",
        items=order_items,
        lines=lines,
        placed_at=NOW,
        placed_by=AccountId("acc-1"),
    )


def run(report: Report) -> None:
    report.heading("serialization (an order with 5 items)")
    order = _order(5)
    assert structure(json.loads(json.dumps(unstructure(order))), ProductOrder) == order
    asdict = best_of(lambda: attrs.asdict(order), repeat=5, number=200)
    ours_out = best_of(lambda: unstructure(order), repeat=5, number=200)
    report.ratio("unstructure (JSON-ready)", ours_out, asdict, "attrs.asdict")
    wire = unstructure(order)
    ours_in = best_of(lambda: structure(wire, ProductOrder), repeat=5, number=200)
    report.ratio("structure (validated rebuild)", ours_in, asdict, "attrs.asdict")
    trip = best_of(
        lambda: structure(json.loads(json.dumps(unstructure(order))), ProductOrder),
        repeat=5,
        number=100,
    )
    report.ratio("round trip incl. json", trip, asdict, "attrs.asdict")
