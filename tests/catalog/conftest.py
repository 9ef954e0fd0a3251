"""Shared builders for the catalog tests, given to the tests as fixtures."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import attrs
import pytest

from selfcare.catalog import Asset, EligibilityContext, ProductInstance, ProductStatus
from selfcare.core.decision import Decision
from selfcare.core.ids import RelationshipId

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
REL = RelationshipId("rel-1")
PHONE = Asset.msisdn("+4741234567")
OTHER_PHONE = Asset.msisdn("+4791234567")
METER = Asset.metering_point("643007574000000008")
SIM = Asset.iccid("8947080000000000007")


def product(
    offering_id: str,
    product_id: str | None = None,
    *,
    asset: Asset | None = None,
    status: ProductStatus = ProductStatus.ACTIVE,
    **changes: object,
) -> ProductInstance:
    built = ProductInstance(
        id=product_id or f"p-{offering_id}",
        offering_id=offering_id,
        relationship_id=REL,
        status=status,
        asset=asset,
        start=datetime(2025, 1, 1, tzinfo=UTC),
    )
    return attrs.evolve(built, **changes) if changes else built


def context(
    products: Iterable[ProductInstance] = (),
    *,
    capabilities: Iterable[str] = ("pay_tv_card",),
    **changes: object,
) -> EligibilityContext:
    built = EligibilityContext(
        relationship_id=REL,
        relationship_active=True,
        has_billing_agreement=True,
        permission=Decision.allow("grant:owner"),
        capabilities=frozenset(capabilities),
        products=tuple(products),
    )
    return attrs.evolve(built, **changes) if changes else built


@pytest.fixture
def make_product() -> Callable[..., ProductInstance]:
    return product


@pytest.fixture
def make_context() -> Callable[..., EligibilityContext]:
    return context
