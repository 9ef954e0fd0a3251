"""Bundles the customer fills (the telecom ordering guide's MIX package): their shape, price and
rules.

A :class:`BundleSpec` says how many offerings of its option group a bundle holds and
what it costs a month by count (:class:`PriceTier`). The rules below check the picks of
a new bundle or of an edit; each returns the violations of one reason.

>>> from selfcare.core.money import Money
>>> spec = BundleSpec(option_group="mix_channels", min_items=3, max_items=5,
...     price_tiers=(PriceTier(3, Money("19.90", "EUR")), PriceTier(5, Money("24.90", "EUR"))))
>>> str(spec.price_for(4))
'19.90 EUR'
>>> [v.code for v in pick_count_violations(spec, frozenset({"mix_music"}))]
['bundle.too_few_items']
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, final

import attrs

from selfcare.catalog._fields import check_identifier, non_negative
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.money import Money

if TYPE_CHECKING:  # offerings imports this module: a BundleSpec is part of an Offering
    from selfcare.catalog import offerings

__all__ = [
    "BundleSpec",
    "PriceTier",
    "foreign_pick_violations",
    "not_a_bundle_violations",
    "pick_count_violations",
    "pick_violations",
    "unchanged_pick_violations",
]


@final
@attrs.frozen
class PriceTier:
    """The monthly price of a bundle when ``min_items`` or more items are picked."""

    min_items: int
    monthly: Money = attrs.field(validator=non_negative)


def _option_group(value: object) -> str:
    return check_identifier(value, "option_group")


def _tiers(value: Iterable[PriceTier]) -> tuple[PriceTier, ...]:
    return tuple(value)


@final
@attrs.frozen(kw_only=True)
class BundleSpec:
    """A bundle the customer fills: between ``min_items`` and ``max_items`` offerings of
    ``option_group``, the monthly price by count.

    Raises:
        SelfcareError: ``catalog.invalid_bundle`` for bounds outside 0..100, no tiers,
            no tier at the minimum, two tiers at one count or tiers in two currencies.
    """

    option_group: str = attrs.field(converter=_option_group)
    min_items: int
    max_items: int
    price_tiers: tuple[PriceTier, ...] = attrs.field(converter=_tiers)

    def __attrs_post_init__(self) -> None:
        tiers = self.price_tiers
        if (
            not 0 <= self.min_items <= self.max_items <= 100
            or not tiers
            or min(t.min_items for t in tiers) > self.min_items
            or len({t.min_items for t in tiers}) != len(tiers)
            or len({t.monthly.currency for t in tiers}) != 1
        ):
            raise SelfcareError(Violation("catalog.invalid_bundle", {"group": self.option_group}))

    def price_for(self, count: int) -> Money:
        """The monthly price for ``count`` picked items: the tier with the largest
        ``min_items`` not above ``count`` (the lowest tier below the minimum)."""
        ordered = sorted(self.price_tiers, key=lambda t: t.min_items)
        chosen = ordered[0]
        for tier in ordered:
            if tier.min_items <= count:
                chosen = tier
        return chosen.monthly


# --------------------------------------------------------------------------- rules


def pick_count_violations(spec: BundleSpec, picks: frozenset[str]) -> tuple[Violation, ...]:
    """``bundle.too_few_items`` or ``bundle.too_many_items`` for a count outside the
    spec's bounds."""
    if len(picks) < spec.min_items:
        return (Violation("bundle.too_few_items", {"min_items": spec.min_items}),)
    if len(picks) > spec.max_items:
        return (Violation("bundle.too_many_items", {"max_items": spec.max_items}),)
    return ()


def foreign_pick_violations(
    spec: BundleSpec, picks: frozenset[str], *, catalog: offerings.Catalog, now: datetime
) -> tuple[Violation, ...]:
    """``bundle.item_not_in_group`` for each pick that is not an orderable offering of
    the spec's option group."""
    found = []
    for pick in sorted(picks):
        option = catalog.find(pick)
        if option is None or option.group != spec.option_group or not option.is_orderable(now):
            found.append(Violation("bundle.item_not_in_group", {"item": pick[:64]}))
    return tuple(found)


def pick_violations(
    spec: BundleSpec, picks: frozenset[str], *, catalog: offerings.Catalog, now: datetime
) -> tuple[Violation, ...]:
    """Every violation of ``picks`` for a bundle of ``spec``: the count, then each
    foreign pick."""
    return pick_count_violations(spec, picks) + foreign_pick_violations(
        spec, picks, catalog=catalog, now=now
    )


def not_a_bundle_violations(offering: offerings.Offering) -> tuple[Violation, ...]:
    """``bundle.not_a_bundle`` when ``offering`` has no picks to edit."""
    if offering.bundle is None:
        return (Violation("bundle.not_a_bundle", {"offering": offering.id}),)
    return ()


def unchanged_pick_violations(
    picks_in_effect: frozenset[str], picks: frozenset[str]
) -> tuple[Violation, ...]:
    """``bundle.unchanged`` when an edit picks what the bundle already has (or will
    have, once an edit already scheduled takes effect)."""
    if picks == picks_in_effect:
        return (Violation("bundle.unchanged", {}),)
    return ()
