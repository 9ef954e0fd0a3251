"""selfcare.catalog: offerings, bundles, eligibility, orders, plan changes, inventory.

What a customer can order and what they have, in the vocabulary of TM Forum's product
catalog, ordering and inventory models (TMF620/622/637). One module per topic, each
holding its frozen values and pure rules:

- :mod:`~selfcare.catalog.offerings`: offerings, the catalog, prices, terms;
- :mod:`~selfcare.catalog.bundles`: bundles the customer fills, and their picks;
- :mod:`~selfcare.catalog.inventory`: products, assets, scheduled changes;
- :mod:`~selfcare.catalog.history`: each product's plans, prices and bundle picks
  with the interval each applied (TMF637 ``productPrice``);
- :mod:`~selfcare.catalog.dependencies`: the add-ons that need a product, and what
  removing or changing it does to them;
- :mod:`~selfcare.catalog.timing`: when changes take effect (:class:`OrderPolicy`);
- :mod:`~selfcare.catalog.plan_changes`: upgrades and downgrades;
- :mod:`~selfcare.catalog.cancellation`: when a service ends, written requests;
- :mod:`~selfcare.catalog.orders`: order items, quotes, orders and their states;
- :mod:`~selfcare.catalog.eligibility`: whether an order may be placed;
- :mod:`~selfcare.catalog.pricing`: what a product costs, the quote of an order;
- :mod:`~selfcare.catalog.placement`: what placing an order does to the inventory;
- :mod:`~selfcare.catalog.service_lists`: the portal's lists of available and
  ordered services;
- :mod:`~selfcare.catalog.wording`: refusals as customers read them (display names);

plus the :mod:`~selfcare.catalog.events`, the :mod:`~selfcare.catalog.ports`, the use
cases of :class:`CatalogService` and the :mod:`~selfcare.catalog.sample` catalog.
"""

from selfcare.catalog.bundles import BundleSpec, PriceTier
from selfcare.catalog.cancellation import CancellationReceipt, CancellationRequest
from selfcare.catalog.dependencies import BaseChange, dependants_of
from selfcare.catalog.eligibility import EligibilityContext, check_order
from selfcare.catalog.history import ProductPrice
from selfcare.catalog.inventory import (
    Asset,
    ProductInstance,
    ProductStatus,
    ScheduledChange,
    ScheduledChangeKind,
)
from selfcare.catalog.offerings import (
    AssetKind,
    CancellationMethod,
    Catalog,
    DependentAddOns,
    LifecycleStatus,
    LocalizedText,
    Offering,
    OfferingKind,
    Prerequisite,
    PrerequisiteKind,
    Price,
    PriceType,
    Term,
)
from selfcare.catalog.orders import (
    OrderAction,
    OrderItem,
    OrderQuote,
    OrderState,
    ProductOrder,
    QuoteLine,
)
from selfcare.catalog.plan_changes import ChangeDirection, change_direction
from selfcare.catalog.pricing import build_quote, product_monthly_price
from selfcare.catalog.service import CatalogService
from selfcare.catalog.service_lists import (
    AvailableService,
    OrderedService,
    ServiceState,
    available_services,
    ordered_services,
)
from selfcare.catalog.timing import OrderPolicy, Timing
from selfcare.catalog.wording import CatalogLabel, customer_message, customer_messages

__all__ = [
    "Asset",
    "AssetKind",
    "AvailableService",
    "BaseChange",
    "BundleSpec",
    "CancellationMethod",
    "CancellationReceipt",
    "CancellationRequest",
    "Catalog",
    "CatalogLabel",
    "CatalogService",
    "ChangeDirection",
    "DependentAddOns",
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
    "OrderedService",
    "Prerequisite",
    "PrerequisiteKind",
    "Price",
    "PriceTier",
    "PriceType",
    "ProductInstance",
    "ProductOrder",
    "ProductPrice",
    "ProductStatus",
    "QuoteLine",
    "ScheduledChange",
    "ScheduledChangeKind",
    "ServiceState",
    "Term",
    "Timing",
    "available_services",
    "build_quote",
    "change_direction",
    "check_order",
    "customer_message",
    "customer_messages",
    "dependants_of",
    "ordered_services",
    "product_monthly_price",
]
