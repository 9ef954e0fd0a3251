"""selfcare.catalog: offerings, bundles, eligibility, orders, plan changes, inventory.

What a customer can order and what they have, in the vocabulary of TM Forum's product
catalog, ordering and inventory models (TMF620/622/637). Values live in
:mod:`selfcare.catalog.model`, pure rules in :mod:`selfcare.catalog.rules`, ports in
:mod:`selfcare.catalog.ports`, use cases in :mod:`selfcare.catalog.service`, and the
sample catalog in :mod:`selfcare.catalog.sample`.
"""

from selfcare.catalog.model import (
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
from selfcare.catalog.rules import (
    ChangeDirection,
    EligibilityContext,
    OrderPolicy,
    Timing,
    build_quote,
    change_direction,
    check_order,
    ordered_services,
)

__all__ = [
    "Asset",
    "AssetKind",
    "BundleSpec",
    "CancellationMethod",
    "CancellationRequest",
    "Catalog",
    "ChangeDirection",
    "EligibilityContext",
    "LifecycleStatus",
    "LocalizedText",
    "Offering",
    "OfferingKind",
    "OrderAction",
    "OrderItem",
    "OrderPolicy",
    "OrderQuote",
    "OrderState",
    "Prerequisite",
    "PrerequisiteKind",
    "Price",
    "PriceTier",
    "PriceType",
    "ProductInstance",
    "ProductOrder",
    "ProductStatus",
    "QuoteLine",
    "ScheduledChange",
    "ScheduledChangeKind",
    "Term",
    "Timing",
    "build_quote",
    "change_direction",
    "check_order",
    "ordered_services",
]
