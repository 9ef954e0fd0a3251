"""The order confirmation: what the e-mail after an order lists (the telecom portal
guide's "thank you for your order", with a security-software subscription's activation
and download links).

:func:`confirmation_lines` is a pure rule: the placed order, the catalog and the
operator's time zone in, one :class:`OrderLine` per new service out, named in the
recipient's language. :class:`~selfcare.catalog.service.CatalogService` sends them as the
``items`` of the ``catalog.order_confirmation`` message, and
:mod:`selfcare.notifications` renders them.

>>> from datetime import UTC, datetime
>>> from selfcare.catalog.orders import OrderItem, ProductOrder
>>> from selfcare.catalog.sample import sample_catalog
>>> from selfcare.catalog.pricing import build_quote
>>> from selfcare.catalog.eligibility import EligibilityContext
>>> from selfcare.core.decision import Decision
>>> now = datetime(2026, 3, 10, 12, tzinfo=UTC)
>>> context = EligibilityContext(relationship_id="rel-1", relationship_active=True,
...     has_billing_agreement=True, permission=Decision.allow("grant:owner"))
>>> quote = build_quote(OrderItem.add("security_total"), context,
...     catalog=sample_catalog(), now=now).unwrap()
>>> order = ProductOrder(id="ord-1", relationship_id="rel-1", idempotency_key="k",
...     items=quote.items, lines=quote.lines, placed_at=now)
>>> (line,) = confirmation_lines(order, sample_catalog(), "fi", zone="Europe/Helsinki")
>>> line.name, str(line.price.amount), line.starts_on.isoformat(), line.activation_url
('Tietoturva Total (5 laitetta)', '9.90', '2026-03-10', 'https://security.example.fi/activate/security-total')
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import final

import attrs

from selfcare.catalog.offerings import Catalog
from selfcare.catalog.orders import OrderAction, ProductOrder, QuoteLine
from selfcare.core.clock import local_date, operator_zone
from selfcare.core.money import Money

__all__ = ["OrderLine", "confirmation_lines"]


@final
@attrs.frozen(kw_only=True)
class OrderLine:
    """One ordered service in an order confirmation.

    Attributes:
        name: the service as the customer sees it, in the message's language.
        price: what it costs: per month when ``monthly``, else once.
        starts_on: the day the service starts.
        ends_on: the last day of a fixed-term service; ``None`` until further notice.
        monthly: whether ``price`` is charged every month on the invoice.
        activation_url: where a security-software subscription is taken into use.
        download_url: where its software is downloaded.
    """

    name: str
    price: Money
    starts_on: date
    ends_on: date | None = None
    monthly: bool = True
    activation_url: str | None = None
    download_url: str | None = None


def _price(line: QuoteLine) -> tuple[Money, bool] | None:
    if line.monthly_change is not None:
        return line.monthly_change, True
    if line.one_time is not None:
        return line.one_time, False
    return None


def confirmation_lines(
    order: ProductOrder, catalog: Catalog, language: str, *, zone: str
) -> tuple[OrderLine, ...]:
    """The new services of ``order``, as its confirmation lists them.

    Only ``add`` items are listed (a plan change or a removal has its own notice in the
    portal); an item whose offering has no price at all is left out, since there is
    nothing to confirm about its cost.

    Args:
        order: the placed order.
        catalog: the catalog it was placed from (for the links).
        language: the recipient's language (the names).
        zone: the operator's IANA time zone (the days).
    """
    tz = operator_zone(zone)
    lines: list[OrderLine] = []
    for line in order.lines:
        priced = _price(line)
        offering = catalog.find(line.offering_id)
        if line.action is not OrderAction.ADD or priced is None or offering is None:
            continue
        starts_on = local_date(line.effective_at, tz)
        end = offering.term.end_date(starts_on)
        lines.append(
            OrderLine(
                name=line.product_name.get(language),
                price=priced[0],
                monthly=priced[1],
                starts_on=starts_on,
                ends_on=None if end is None else end - timedelta(days=1),
                activation_url=offering.activation_url,
                download_url=offering.download_url,
            )
        )
    return tuple(lines)
