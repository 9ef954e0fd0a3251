"""The bundle rules at their edges: the spec's bounds and tiers, the pick count on both
sides of the minimum and maximum, and which picks belong to the bundle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
import pytest

from selfcare.catalog.bundles import (
    BundleSpec,
    PriceTier,
    foreign_pick_violations,
    pick_count_violations,
    pick_violations,
    unchanged_pick_violations,
)
from selfcare.catalog.offerings import Catalog, LifecycleStatus
from selfcare.catalog.sample import sample_catalog
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.money import Money

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
CATALOG = sample_catalog()
CHANNELS = sorted(o.id for o in CATALOG.in_group("mix_channels"))


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def spec(low: int = 3, high: int = 6, *tiers: PriceTier) -> BundleSpec:
    return BundleSpec(
        option_group="mix_channels",
        min_items=low,
        max_items=high,
        price_tiers=tiers or (PriceTier(low, eur("19.90")),),
    )


def picks(count: int) -> frozenset[str]:
    return frozenset(CHANNELS[:count])


def test_a_bundle_spec_may_run_from_0_to_100_items_and_hold_exactly_one_count() -> None:
    assert spec(0, 100).max_items == 100
    assert spec(4, 4).min_items == 4
    # A tier below the minimum prices the smallest bundle too.
    assert spec(3, 6, PriceTier(1, eur("9.90"))).price_for(3) == eur("9.90")
    for low, high in ((-1, 3), (0, 101), (5, 4)):
        with pytest.raises(SelfcareError) as error:
            spec(low, high)
        assert error.value.violations == (
            Violation("catalog.invalid_bundle", {"group": "mix_channels"}),
        )


def test_a_bundle_is_priced_at_the_highest_tier_its_count_reaches() -> None:
    tiered = spec(3, 6, PriceTier(5, eur("24.90")), PriceTier(3, eur("19.90")))
    assert [tiered.price_for(n) for n in (2, 3, 4, 5, 6)] == [
        eur("19.90"),
        eur("19.90"),
        eur("19.90"),
        eur("24.90"),
        eur("24.90"),
    ]


def test_a_bundle_holds_its_minimum_and_its_maximum_but_not_one_less_or_one_more() -> None:
    mix = spec(3, 6)
    assert pick_count_violations(mix, picks(3)) == ()
    assert pick_count_violations(mix, picks(6)) == ()
    assert pick_count_violations(mix, picks(2)) == (
        Violation("bundle.too_few_items", {"min_items": 3}),
    )
    assert pick_count_violations(mix, picks(7)) == (
        Violation("bundle.too_many_items", {"max_items": 6}),
    )


def test_a_pick_must_be_orderable_now() -> None:
    retired = attrs.evolve(CATALOG.find("mix_food"), lifecycle=LifecycleStatus.RETIRED)
    not_yet = attrs.evolve(
        CATALOG.find("mix_crime"), valid_from=NOW + timedelta(days=1), valid_until=None
    )
    ended = attrs.evolve(CATALOG.find("mix_comedy"), valid_until=NOW)
    others = [o for o in CATALOG.offerings if o.id not in {"mix_food", "mix_crime", "mix_comedy"}]
    catalog = Catalog((*others, retired, not_yet, ended))
    chosen = frozenset({"mix_food", "mix_crime", "mix_comedy", "mix_music"})
    assert foreign_pick_violations(spec(), chosen, catalog=catalog, now=NOW) == (
        Violation("bundle.item_not_in_group", {"item": "mix_comedy"}),
        Violation("bundle.item_not_in_group", {"item": "mix_crime"}),
        Violation("bundle.item_not_in_group", {"item": "mix_food"}),
    )
    assert foreign_pick_violations(spec(), chosen, catalog=CATALOG, now=NOW) == ()


def test_every_reason_of_a_pick_is_given_the_count_first() -> None:
    foreign = frozenset({"x" * 80, "tv_sport"})
    assert pick_violations(spec(), foreign, catalog=CATALOG, now=NOW) == (
        Violation("bundle.too_few_items", {"min_items": 3}),
        Violation("bundle.item_not_in_group", {"item": "tv_sport"}),
        Violation("bundle.item_not_in_group", {"item": "x" * 64}),
    )
    assert pick_violations(spec(), picks(3), catalog=CATALOG, now=NOW) == ()


def test_an_edit_that_picks_other_items_is_a_change_even_at_the_same_count() -> None:
    assert unchanged_pick_violations(picks(3), frozenset(CHANNELS[1:4])) == ()
    assert unchanged_pick_violations(picks(3), picks(3)) == (Violation("bundle.unchanged", {}),)
