"""Strategies for selfcare.catalog: offerings, catalogs, assets, products, orders."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from selfcare.catalog import (
    Asset,
    AssetKind,
    BundleSpec,
    CancellationMethod,
    CancellationRequest,
    Catalog,
    LifecycleStatus,
    LocalizedText,
    Offering,
    OfferingKind,
    OrderAction,
    OrderItem,
    OrderQuote,
    OrderState,
    Prerequisite,
    PrerequisiteKind,
    Price,
    PriceTier,
    PriceType,
    ProductInstance,
    ProductOrder,
    ProductStatus,
    QuoteLine,
    ScheduledChange,
    ScheduledChangeKind,
    Term,
)
from selfcare.catalog.cancellation import CancellationReceipt, ContactDetails
from selfcare.catalog.dependencies import BaseChange
from selfcare.catalog.eligibility import EligibilityContext, Holdings
from selfcare.catalog.events import (
    BundleEdited,
    BundleEditScheduled,
    CancellationRequested,
    CatalogEvent,
    OrderPlaced,
    OrderStateChanged,
    PlanChanged,
    PlanChangeScheduled,
    ProductActivated,
    ProductModified,
    ProductOrdered,
    ProductTerminated,
    ScheduledChangeApplied,
    SimActivated,
    TerminationScheduled,
)
from selfcare.catalog.history import ProductPrice
from selfcare.catalog.offerings import DependentAddOns
from selfcare.catalog.placement import Placement
from selfcare.catalog.service_lists import AvailableService, ServiceState
from selfcare.catalog.timing import OrderPolicy, Timing
from selfcare.catalog.wording import CatalogLabel
from selfcare.core.ids import AccountId, RelationshipId
from selfcare.core.money import Currency, Money
from selfcare.testing.strategies._core import aware_datetimes, decisions

__all__ = [
    "ENTITIES",
    "assets",
    "catalog_events",
    "catalogs",
    "eligibility_contexts",
    "iccids",
    "localized_texts",
    "metering_points",
    "msisdns",
    "offering_ids",
    "offerings",
    "order_items",
    "order_policies",
    "product_instances",
    "product_orders",
    "quotes",
]

_ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_"


def offering_ids() -> st.SearchStrategy[str]:
    """Valid catalog identifiers."""
    return st.builds(
        lambda head, tail: head + tail,
        st.sampled_from("abcdefghijklmnopqrstuvwxyz"),
        st.text(_ID_CHARS, max_size=20),
    )


def localized_texts() -> st.SearchStrategy[LocalizedText]:
    """Texts in en, fi, sv and nb."""
    text = st.text(min_size=1, max_size=40).filter(str.strip)
    return st.builds(LocalizedText, en=text, fi=text, sv=text, nb=text)


def _prices(currency: Currency) -> st.SearchStrategy[Money]:
    return st.integers(min_value=0, max_value=10**7).map(
        lambda cents: Money(Decimal(cents).scaleb(-2), currency)
    )


def _luhn_digit(digits: str) -> str:
    from stdnum import luhn  # noqa: PLC0415

    return str(luhn.calc_check_digit(digits))


def _is_valid_mobile(e164: str) -> bool:
    import phonenumbers  # noqa: PLC0415 - heavy, loaded on first use

    number = phonenumbers.parse(e164, None)
    return bool(
        phonenumbers.is_valid_number(number)
        and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    )


def msisdns() -> st.SearchStrategy[Asset]:
    """Finnish (+358 40/50) and Norwegian (+47 4x/9x) mobile numbers, each one that the
    numbering plans of :mod:`phonenumbers` call a valid mobile number (some blocks in
    those ranges are unallocated, e.g. +47 4536)."""
    finnish = st.builds(
        lambda prefix, rest: f"+358{prefix}{rest:07d}",
        st.sampled_from(["40", "50"]),
        st.integers(min_value=1_000_000, max_value=9_999_999),
    )
    norwegian = st.builds(
        lambda prefix, rest: f"+47{prefix}{rest:06d}",
        st.sampled_from(["40", "41", "45", "46", "47", "48", "90", "91", "92", "93", "95", "98"]),
        st.integers(min_value=0, max_value=999_999),
    )
    return (
        (finnish | norwegian)
        .filter(_is_valid_mobile)
        .map(lambda e164: Asset(AssetKind.MSISDN, e164))
    )


def iccids() -> st.SearchStrategy[Asset]:
    """ICCIDs of 19 or 20 digits starting with 89, Luhn check digit last."""
    body = st.builds(
        lambda country, rest: f"89{country}{rest}",
        st.sampled_from(["358", "47", "46"]),
        st.text("0123456789", min_size=13, max_size=14),
    ).filter(lambda b: 18 <= len(b) + 1 <= 20)
    return body.map(lambda b: Asset(AssetKind.ICCID, b + _luhn_digit(b)))


def metering_points() -> st.SearchStrategy[Asset]:
    """Finnish and Swedish metering point ids (GSRN with a GS1 check digit)."""
    from stdnum import ean  # noqa: PLC0415

    body = st.builds(
        lambda prefix, rest: prefix + rest,
        st.sampled_from(["643", "735999"]),
        st.text("0123456789", min_size=11, max_size=11),
    ).map(lambda b: b[:17].ljust(17, "0"))
    return body.map(lambda b: Asset(AssetKind.METERING_POINT, b + ean.calc_check_digit(b)))


def assets() -> st.SearchStrategy[Asset]:
    """Any valid asset."""
    return msisdns() | iccids() | metering_points()


def _terms() -> st.SearchStrategy[Term]:
    return st.builds(Term, st.none() | st.integers(min_value=1, max_value=120))


def _prerequisites() -> st.SearchStrategy[Prerequisite]:
    return st.builds(Prerequisite, st.sampled_from(PrerequisiteKind), offering_ids())


@st.composite
def _bundle_specs(draw: st.DrawFn, currency: Currency) -> BundleSpec:
    low = draw(st.integers(min_value=0, max_value=5))
    high = draw(st.integers(min_value=low, max_value=10))
    counts = draw(st.sets(st.integers(min_value=low, max_value=high), max_size=3)) | {low}
    tiers = tuple(PriceTier(c, draw(_prices(currency))) for c in sorted(counts))
    return BundleSpec(
        option_group=draw(offering_ids()), min_items=low, max_items=high, price_tiers=tiers
    )


@st.composite
def offerings(draw: st.DrawFn, offering_id: st.SearchStrategy[str] | None = None) -> Offering:
    """Valid offerings of every kind."""
    ident = draw(offering_id if offering_id is not None else offering_ids())
    kind = draw(st.sampled_from(OfferingKind))
    currency = draw(st.sampled_from(Currency))
    types = draw(st.sets(st.sampled_from(PriceType)))
    prices = tuple(Price(t, draw(_prices(currency))) for t in sorted(types))
    start = draw(st.none() | aware_datetimes())
    end = None
    if draw(st.booleans()):
        end = (start or draw(aware_datetimes())) + draw(
            st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(days=3650))
        )
    family = draw(st.none() | offering_ids()) if kind is OfferingKind.PLAN else None
    return Offering(
        id=ident,
        names=draw(localized_texts()),
        group=draw(offering_ids()),
        kind=kind,
        prices=prices,
        term=draw(_terms()),
        requires=draw(st.frozensets(_prerequisites(), max_size=3)),
        excludes=draw(st.frozensets(offering_ids(), max_size=3).map(lambda s: s - {ident})),
        max_quantity=draw(st.integers(min_value=1, max_value=1000)),
        usage_note=draw(st.none() | localized_texts()),
        valid_from=start,
        valid_until=end,
        lifecycle=draw(st.sampled_from(LifecycleStatus)),
        cancellation=draw(st.sampled_from(CancellationMethod)),
        asset_kind=draw(st.none() | st.sampled_from(AssetKind)),
        bundle=draw(_bundle_specs(currency)) if kind is OfferingKind.BUNDLE else None,
        family=family,
        family_rank=draw(st.integers(min_value=0, max_value=100)),
        dependent_add_ons=draw(st.sampled_from(DependentAddOns)),
    )


def catalogs() -> st.SearchStrategy[Catalog]:
    """Catalogs of up to five offerings with distinct ids."""
    return st.lists(offerings(), max_size=5, unique_by=lambda o: o.id).map(Catalog)


_ITEM_IDS = st.text(_ID_CHARS, min_size=1, max_size=12)


def _scheduled_changes() -> st.SearchStrategy[ScheduledChange]:
    return st.builds(
        ScheduledChange,
        kind=st.sampled_from(ScheduledChangeKind),
        effective_at=aware_datetimes(),
        offering_id=st.none() | offering_ids(),
        bundle_items=st.frozensets(offering_ids(), max_size=3),
        term=st.none() | _terms(),
        commitment_end=st.none() | aware_datetimes(),
    )


@st.composite
def product_prices(draw: st.DrawFn) -> ProductPrice:
    """One interval of a product's history, open or closed."""
    start = draw(aware_datetimes())
    end = None
    if draw(st.booleans()):
        end = start + draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3650)))
    currency = draw(st.sampled_from(Currency))
    return ProductPrice(
        offering_id=draw(offering_ids()),
        valid_from=start,
        valid_to=end,
        recurring=draw(st.none() | _prices(currency)),
        one_time=draw(st.none() | _prices(currency)),
        quantity=draw(st.integers(min_value=1, max_value=10)),
        bundle_items=draw(st.frozensets(offering_ids(), max_size=3)),
        order_id=draw(st.none() | _ITEM_IDS),
    )


def _relationship_ids() -> st.SearchStrategy[RelationshipId]:
    return _ITEM_IDS.map(RelationshipId)


def product_instances() -> st.SearchStrategy[ProductInstance]:
    """Product instances in any status."""
    return st.builds(
        ProductInstance,
        id=_ITEM_IDS,
        offering_id=offering_ids(),
        relationship_id=_relationship_ids(),
        status=st.sampled_from(ProductStatus),
        asset=st.none() | assets(),
        sim=st.none() | iccids(),
        quantity=st.integers(min_value=1, max_value=10),
        start=st.none() | aware_datetimes(),
        end=st.none() | aware_datetimes(),
        commitment_end=st.none() | aware_datetimes(),
        term=_terms(),
        bundle_items=st.frozensets(offering_ids(), max_size=3),
        scheduled=st.none() | _scheduled_changes(),
        order_id=st.none() | _ITEM_IDS,
        prices=st.lists(product_prices(), max_size=3).map(tuple),
        version=st.integers(min_value=1, max_value=100),
    )


def order_items() -> st.SearchStrategy[OrderItem]:
    """Order items of every action."""
    return st.builds(
        OrderItem,
        action=st.sampled_from(OrderAction),
        offering_id=st.none() | offering_ids(),
        product_id=st.none() | _ITEM_IDS,
        quantity=st.integers(min_value=1, max_value=10),
        asset=st.none() | assets(),
        bundle_items=st.frozensets(offering_ids(), max_size=3),
    )


def _quote_lines() -> st.SearchStrategy[QuoteLine]:
    money = st.none() | _prices(Currency.EUR)
    return st.builds(
        QuoteLine,
        item_index=st.integers(min_value=0, max_value=20),
        action=st.sampled_from(OrderAction),
        offering_id=offering_ids(),
        product_name=localized_texts(),
        product_id=st.none() | _ITEM_IDS,
        asset=st.none() | assets(),
        quantity=st.integers(min_value=1, max_value=10),
        monthly_change=money,
        one_time=money,
        effective_at=aware_datetimes(),
        group=offering_ids(),
        usage_note=st.none() | localized_texts(),
    )


def quotes() -> st.SearchStrategy[OrderQuote]:
    """Order quotes."""
    return st.builds(
        OrderQuote,
        relationship_id=_relationship_ids(),
        items=st.lists(order_items(), max_size=3).map(tuple),
        lines=st.lists(_quote_lines(), max_size=3).map(tuple),
        quoted_at=aware_datetimes(),
    )


def product_orders() -> st.SearchStrategy[ProductOrder]:
    """Placed orders in any state."""
    return st.builds(
        ProductOrder,
        id=_ITEM_IDS,
        relationship_id=_relationship_ids(),
        idempotency_key=st.text(min_size=1, max_size=40),
        items=st.lists(order_items(), max_size=3).map(tuple),
        lines=st.lists(_quote_lines(), max_size=2).map(tuple),
        state=st.sampled_from(OrderState),
        placed_at=aware_datetimes(),
        placed_by=st.none() | _ITEM_IDS.map(AccountId),
        completed_at=st.none() | aware_datetimes(),
        version=st.integers(min_value=1, max_value=100),
    )


def _cancellation_requests() -> st.SearchStrategy[CancellationRequest]:
    return st.builds(
        CancellationRequest,
        id=_ITEM_IDS,
        relationship_id=_relationship_ids(),
        product_id=_ITEM_IDS,
        offering_id=offering_ids(),
        requested_at=aware_datetimes(),
        contact_phone=st.text(min_size=1, max_size=20),
        contact_email=st.emails(),
        message=st.text(max_size=100),
    )


def eligibility_contexts() -> st.SearchStrategy[EligibilityContext]:
    """The facts an order is checked against."""
    return st.builds(
        EligibilityContext,
        relationship_id=_relationship_ids(),
        relationship_active=st.booleans(),
        has_billing_agreement=st.booleans(),
        permission=decisions(),
        phone_number_confirmed=st.booleans(),
        capabilities=st.frozensets(offering_ids(), max_size=3),
        products=st.lists(product_instances(), max_size=2).map(tuple),
    )


def order_policies() -> st.SearchStrategy[OrderPolicy]:
    """Operator timing policies."""
    timing = st.sampled_from(Timing)
    return st.builds(
        OrderPolicy,
        timezone=st.sampled_from(["Europe/Helsinki", "Europe/Stockholm", "Europe/Oslo", "UTC"]),
        upgrade=timing,
        downgrade=timing,
        bundle_edit=timing,
        cancellation=timing,
    )


def _order_ids() -> st.SearchStrategy[str | None]:
    return st.none() | _ITEM_IDS


def _event_fields() -> dict[str, st.SearchStrategy[Any]]:
    return {
        "occurred_at": aware_datetimes(),
        "relationship_id": _relationship_ids(),
        "product_id": _ITEM_IDS,
    }


_EVENTS: dict[type[CatalogEvent], st.SearchStrategy[Any]] = {
    OrderPlaced: st.builds(
        OrderPlaced,
        occurred_at=aware_datetimes(),
        relationship_id=_relationship_ids(),
        order_id=_ITEM_IDS,
        placed_by=st.none() | _ITEM_IDS.map(AccountId),
    ),
    OrderStateChanged: st.builds(
        OrderStateChanged,
        occurred_at=aware_datetimes(),
        relationship_id=_relationship_ids(),
        order_id=_ITEM_IDS,
        from_state=st.sampled_from(OrderState),
        to_state=st.sampled_from(OrderState),
    ),
    ProductOrdered: st.builds(
        ProductOrdered, **_event_fields(), order_id=_ITEM_IDS, offering_id=offering_ids()
    ),
    SimActivated: st.builds(SimActivated, **_event_fields(), order_id=_ITEM_IDS),
    ProductModified: st.builds(
        ProductModified,
        **_event_fields(),
        order_id=_ITEM_IDS,
        quantity=st.integers(min_value=1, max_value=10),
    ),
    PlanChanged: st.builds(
        PlanChanged,
        **_event_fields(),
        order_id=_order_ids(),
        from_offering_id=offering_ids(),
        to_offering_id=offering_ids(),
    ),
    PlanChangeScheduled: st.builds(
        PlanChangeScheduled,
        **_event_fields(),
        order_id=_ITEM_IDS,
        to_offering_id=offering_ids(),
        effective_at=aware_datetimes(),
    ),
    BundleEdited: st.builds(
        BundleEdited,
        **_event_fields(),
        order_id=_order_ids(),
        bundle_items=st.frozensets(offering_ids(), max_size=3),
    ),
    BundleEditScheduled: st.builds(
        BundleEditScheduled,
        **_event_fields(),
        order_id=_ITEM_IDS,
        bundle_items=st.frozensets(offering_ids(), max_size=3),
        effective_at=aware_datetimes(),
    ),
    TerminationScheduled: st.builds(
        TerminationScheduled,
        **_event_fields(),
        order_id=_order_ids(),
        effective_at=aware_datetimes(),
    ),
    CancellationRequested: st.builds(
        CancellationRequested,
        **_event_fields(),
        request_id=_ITEM_IDS,
        offering_id=offering_ids(),
    ),
    ProductActivated: st.builds(ProductActivated, **_event_fields(), order_id=_ITEM_IDS),
    ProductTerminated: st.builds(ProductTerminated, **_event_fields(), order_id=_order_ids()),
    ScheduledChangeApplied: st.builds(
        ScheduledChangeApplied, **_event_fields(), kind=st.sampled_from(ScheduledChangeKind)
    ),
}


def catalog_events() -> st.SearchStrategy[CatalogEvent]:
    """Every event of the catalog."""
    return st.one_of(*_EVENTS.values())


ENTITIES: dict[type, st.SearchStrategy[Any]] = {
    **_EVENTS,
    CatalogEvent: catalog_events(),
    Placement: st.builds(
        Placement, order=product_orders(), now=aware_datetimes(), policy=order_policies()
    ),
    ContactDetails: st.builds(ContactDetails, st.just("+358401234567"), st.emails()),
    Holdings: st.builds(
        Holdings,
        products=st.lists(product_instances(), max_size=2).map(tuple),
        offering_ids=st.frozensets(offering_ids(), max_size=3),
        groups=st.frozensets(offering_ids(), max_size=3),
    ),
    EligibilityContext: eligibility_contexts(),
    AvailableService: st.builds(
        AvailableService,
        offering=offerings(),
        state=st.sampled_from(ServiceState),
        decision=decisions(),
    ),
    OrderPolicy: order_policies(),
    CancellationReceipt: st.builds(
        CancellationReceipt,
        product=st.none() | product_instances(),
        request=st.none() | _cancellation_requests(),
        dependants=st.lists(product_instances(), max_size=2).map(tuple),
    ),
    LocalizedText: localized_texts(),
    Term: _terms(),
    Prerequisite: _prerequisites(),
    Price: st.builds(Price, st.sampled_from(PriceType), _prices(Currency.NOK)),
    PriceTier: st.builds(PriceTier, st.integers(0, 100), _prices(Currency.SEK)),
    BundleSpec: _bundle_specs(Currency.EUR),
    Offering: offerings(),
    Catalog: catalogs(),
    Asset: assets(),
    ScheduledChange: _scheduled_changes(),
    ProductInstance: product_instances(),
    ProductPrice: product_prices(),
    CatalogLabel: st.builds(CatalogLabel, offering_ids(), localized_texts()),
    BaseChange: st.builds(BaseChange, product=product_instances(), target=st.none() | offerings()),
    CancellationRequest: _cancellation_requests(),
    OrderItem: order_items(),
    QuoteLine: _quote_lines(),
    OrderQuote: quotes(),
    ProductOrder: product_orders(),
}
