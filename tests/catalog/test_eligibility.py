"""check_order: every refusal its own code, all items of an order checked together."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare.catalog import (
    Asset,
    EligibilityContext,
    LifecycleStatus,
    OrderAction,
    OrderItem,
    ProductInstance,
    ProductStatus,
    check_order,
)
from selfcare.catalog.offerings import Catalog, Prerequisite, PrerequisiteKind
from selfcare.catalog.sample import sample_catalog
from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import SelfcareError

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
PHONE = Asset.msisdn("+4741234567")
OTHER_PHONE = Asset.msisdn("+4791234567")
METER = Asset.metering_point("643007574000000008")
CATALOG = sample_catalog()

MakeProduct = Callable[..., ProductInstance]
MakeContext = Callable[..., EligibilityContext]


def check(items: list[OrderItem] | OrderItem, ctx: EligibilityContext) -> Decision:
    return check_order(items, ctx, catalog=CATALOG, now=NOW)


@pytest.fixture
def plan(make_product: MakeProduct) -> ProductInstance:
    return make_product("bedrift_total_c_10gb", "plan-1", asset=PHONE)


def test_a_plain_order_with_everything_in_place_is_allowed(make_context: MakeContext) -> None:
    decision = check(OrderItem.add("security_total"), make_context())
    assert decision.allowed


def test_an_empty_order_is_refused(make_context: MakeContext) -> None:
    assert check([], make_context()).codes == ("order.empty",)


def test_ordering_needs_an_active_relationship_and_a_billing_agreement(
    make_context: MakeContext,
) -> None:
    ctx = make_context(relationship_active=False, has_billing_agreement=False)
    assert check(OrderItem.add("security_total"), ctx).codes == (
        "order.no_active_relationship",
        "order.no_billing_agreement",
    )


def test_the_authz_decision_is_carried_inside_a_refusal(make_context: MakeContext) -> None:
    denied = Decision.deny(Violation("store.not_found", {"entity": "grant"}))
    decision = check(OrderItem.add("security_total"), make_context(permission=denied))
    assert decision.violations == (
        Violation("order.permission_denied", {"reasons": ("store.not_found",)}),
    )


def test_self_service_is_not_activated_until_the_phone_number_is_confirmed(
    make_context: MakeContext, plan: ProductInstance
) -> None:
    ctx = make_context([plan], phone_number_confirmed=False)
    decision = check(OrderItem.add("extra_data_5gb", asset=PHONE), ctx)
    assert decision.codes == ("order.self_service_not_activated",)
    assert "SMS" in decision.violations[0].message("en")
    assert "SMS" in decision.violations[0].message("nb")


def test_unknown_and_unavailable_offerings_are_refused(make_context: MakeContext) -> None:
    decision = check(
        [OrderItem.add("no_such_thing"), OrderItem.add("security_legacy")], make_context()
    )
    assert decision.violations == (
        Violation("order.unknown_offering", {"offering": "no_such_thing"}),
        Violation("order.offering_not_available", {"offering": "security_legacy"}),
    )


def test_an_offering_outside_its_validity_window_cannot_be_ordered(
    make_context: MakeContext,
) -> None:
    christmas = OrderItem.add("tv_christmas")
    assert check(christmas, make_context()).codes == ("order.offering_not_available",)
    december = datetime(2026, 12, 15, tzinfo=UTC)
    assert check_order(christmas, make_context(), catalog=CATALOG, now=december).allowed
    after = datetime(2027, 1, 6, 22, 0, tzinfo=UTC)  # valid_until is exclusive
    assert not check_order(christmas, make_context(), catalog=CATALOG, now=after).allowed


def test_a_pay_tv_channel_needs_a_valid_pay_tv_card(make_context: MakeContext) -> None:
    decision = check(OrderItem.add("tv_sport"), make_context(capabilities=()))
    assert decision.violations == (
        Violation(
            "order.missing_prerequisite",
            {"offering": "tv_sport", "prerequisite": "capability:pay_tv_card"},
        ),
    )


def test_a_mobile_add_on_needs_a_plan_on_the_same_phone_number(
    make_context: MakeContext, plan: ProductInstance
) -> None:
    ctx = make_context([plan])
    assert check(OrderItem.add("extra_data_5gb", asset=PHONE), ctx).allowed
    decision = check(OrderItem.add("extra_data_5gb", asset=OTHER_PHONE), ctx)
    assert decision.violations == (
        Violation(
            "order.missing_prerequisite",
            {"offering": "extra_data_5gb", "prerequisite": "group:mobile_plans"},
        ),
    )


def test_a_prerequisite_ordered_in_the_same_order_counts(make_context: MakeContext) -> None:
    items = [
        OrderItem.add("bedrift_total_c_10gb", asset=PHONE),
        OrderItem.add("net_protection", asset=PHONE),
    ]
    assert check(items, make_context()).allowed


def test_an_add_on_must_name_the_phone_number(
    make_context: MakeContext, plan: ProductInstance
) -> None:
    decision = check(OrderItem.add("net_protection"), make_context([plan]))
    assert decision.violations == (
        Violation("order.asset_required", {"offering": "net_protection", "asset_kind": "msisdn"}),
    )
    wrong_kind = check(OrderItem.add("net_protection", asset=METER), make_context([plan]))
    assert "order.asset_required" in wrong_kind.codes


def test_an_add_on_excluded_by_an_active_product_is_refused(
    make_context: MakeContext, make_product: MakeProduct, plan: ProductInstance
) -> None:
    extra = make_product("extra_data_5gb", asset=PHONE)
    decision = check(OrderItem.add("extra_data_15gb", asset=PHONE), make_context([plan, extra]))
    assert decision.violations == (
        Violation(
            "order.excluded_by_active_product",
            {"offering": "extra_data_15gb", "conflicting": "extra_data_5gb"},
        ),
    )


def test_exclusion_works_in_both_directions(
    make_context: MakeContext, make_product: MakeProduct
) -> None:
    # security_total excludes security_basic; ordering basic next to total is refused too
    ctx = make_context([make_product("security_total")])
    assert check(OrderItem.add("security_basic"), ctx).codes == (
        "order.excluded_by_active_product",
    )


def test_two_mutually_exclusive_add_ons_in_one_order_are_refused(
    make_context: MakeContext, plan: ProductInstance
) -> None:
    items = [
        OrderItem.add("extra_data_50gb", asset=PHONE),
        OrderItem.add("extra_data_1gb", asset=PHONE),
    ]
    decision = check(items, make_context([plan]))
    assert decision.violations == (
        Violation(
            "order.conflicting_items",
            {"offering": "extra_data_1gb", "conflicting": "extra_data_50gb"},
        ),
    )


def test_exclusive_add_ons_on_different_phone_numbers_do_not_conflict(
    make_context: MakeContext, make_product: MakeProduct, plan: ProductInstance
) -> None:
    other_plan = make_product("bedrift_total_e_50gb", "plan-2", asset=OTHER_PHONE)
    items = [
        OrderItem.add("extra_data_50gb", asset=PHONE),
        OrderItem.add("extra_data_1gb", asset=OTHER_PHONE),
    ]
    assert check(items, make_context([plan, other_plan])).allowed


def test_removing_the_conflicting_product_in_the_same_order_allows_the_swap(
    make_context: MakeContext, make_product: MakeProduct, plan: ProductInstance
) -> None:
    extra = make_product("extra_data_5gb", "extra-1", asset=PHONE)
    items = [OrderItem.remove("extra-1"), OrderItem.add("extra_data_15gb", asset=PHONE)]
    assert check(items, make_context([plan, extra])).allowed


def test_an_already_active_product_cannot_be_ordered_again(
    make_context: MakeContext, make_product: MakeProduct
) -> None:
    ctx = make_context([make_product("security_vpn")])
    assert check(OrderItem.add("security_vpn"), ctx).violations == (
        Violation("order.already_active", {"offering": "security_vpn"}),
    )


def test_a_terminated_product_does_not_count(
    make_context: MakeContext, make_product: MakeProduct
) -> None:
    gone = make_product("security_vpn", status=ProductStatus.TERMINATED)
    ended = make_product("security_total", end=NOW - timedelta(days=1))
    assert check(
        [OrderItem.add("security_vpn"), OrderItem.add("security_basic")],
        make_context([gone, ended]),
    ).allowed


def test_the_maximum_quantity_counts_what_is_held_and_what_is_ordered(
    make_context: MakeContext, make_product: MakeProduct, plan: ProductInstance
) -> None:
    twin = make_product("twin_sim", "twin-1", asset=PHONE)
    ctx = make_context([plan, twin])
    assert check(OrderItem.add("twin_sim", asset=PHONE), ctx).allowed
    decision = check(OrderItem.add("twin_sim", asset=PHONE, quantity=2), ctx)
    assert decision.violations == (
        Violation("order.max_quantity_exceeded", {"offering": "twin_sim", "max_quantity": 2}),
    )
    two_items = [OrderItem.add("twin_sim", asset=PHONE), OrderItem.add("twin_sim", asset=PHONE)]
    assert "order.max_quantity_exceeded" in check(two_items, ctx).codes


def test_a_quantity_below_one_is_refused(make_context: MakeContext) -> None:
    decision = check(OrderItem.add("security_vpn", quantity=0), make_context())
    assert decision.codes == ("order.invalid_quantity",)


def test_items_without_their_target_are_refused(make_context: MakeContext) -> None:
    items = [
        OrderItem(action=OrderAction.ADD),
        OrderItem(action=OrderAction.REMOVE),
        OrderItem(action=OrderAction.CHANGE_PLAN, product_id="plan-1"),
    ]
    ctx = make_context()
    assert check(items, ctx).violations == (
        Violation("order.invalid_item", {"action": "add"}),
        Violation("order.invalid_item", {"action": "remove"}),
        Violation("order.invalid_item", {"action": "change_plan"}),
    )


def test_changes_to_products_the_customer_does_not_have_are_refused(
    make_context: MakeContext, make_product: MakeProduct
) -> None:
    foreign = attrs.evolve(make_product("security_vpn", "foreign"), relationship_id="rel-2")
    decision = check(
        [OrderItem.remove("nope"), OrderItem.remove("foreign")], make_context([foreign])
    )
    assert decision.codes == ("order.unknown_product", "order.unknown_product")


def test_a_product_whose_offering_left_the_catalog_cannot_be_changed(
    make_context: MakeContext, make_product: MakeProduct
) -> None:
    orphan = make_product("discontinued", "orphan")
    decision = check(OrderItem.remove("orphan"), make_context([orphan]))
    assert decision.codes == ("order.unknown_offering",)


def test_a_service_cancellable_only_in_writing_cannot_be_removed_in_an_order(
    make_context: MakeContext, make_product: MakeProduct, plan: ProductInstance
) -> None:
    tv = make_product("tv_sport", "tv-1")
    net = make_product("net_protection", "net-1", asset=PHONE)
    decision = check(
        [OrderItem.remove("tv-1"), OrderItem.remove("net-1")], make_context([tv, net, plan])
    )
    assert decision.violations == (
        Violation("order.cancellation_in_writing", {"offering": "tv_sport"}),
    )


def test_modify_checks_quantity_and_asset_kind(
    make_context: MakeContext, make_product: MakeProduct, plan: ProductInstance
) -> None:
    twin = make_product("twin_sim", "twin-1", asset=PHONE)
    ctx = make_context([plan, twin])
    assert check(OrderItem.modify("twin-1", quantity=2), ctx).allowed
    assert check(OrderItem.modify("twin-1", quantity=3), ctx).codes == (
        "order.max_quantity_exceeded",
    )
    assert check(OrderItem.modify("twin-1", quantity=0), ctx).codes == ("order.invalid_quantity",)
    assert check(OrderItem.modify("plan-1", asset=METER), ctx).codes == ("order.asset_required",)


def test_every_violation_is_collected_not_only_the_first(
    make_context: MakeContext, plan: ProductInstance
) -> None:
    ctx = make_context(
        [plan],
        relationship_active=False,
        has_billing_agreement=False,
        phone_number_confirmed=False,
        capabilities=(),
    )
    decision = check([OrderItem.add("tv_sport"), OrderItem.add("net_protection")], ctx)
    assert decision.codes == (
        "order.no_active_relationship",
        "order.no_billing_agreement",
        "order.self_service_not_activated",
        "order.asset_required",
        "order.missing_prerequisite",
    )
    for lang in ("en", "fi", "sv", "nb"):
        assert all(decision.messages(lang))


def test_a_naive_now_is_refused(make_context: MakeContext) -> None:
    with pytest.raises(SelfcareError) as caught:
        check_order([], make_context(), catalog=CATALOG, now=datetime(2026, 1, 1))  # noqa: DTZ001
    assert caught.value.codes == ("time.naive_datetime",)


def test_a_retired_offering_already_held_does_not_block_other_orders(
    make_context: MakeContext, make_product: MakeProduct
) -> None:
    legacy = CATALOG.find("security_legacy")
    assert legacy is not None
    assert legacy.lifecycle is LifecycleStatus.RETIRED
    ctx = make_context([make_product("security_legacy")])
    assert check(OrderItem.add("security_vpn"), ctx).allowed


@given(
    ids=st.lists(st.sampled_from([o.id for o in CATALOG.offerings]), max_size=6),
    active=st.booleans(),
    agreement=st.booleans(),
)
def test_eligibility_is_order_independent_and_always_a_decision(
    ids: list[str], active: bool, agreement: bool
) -> None:
    ctx = EligibilityContext(
        relationship_id="rel-1",  # type: ignore[arg-type]
        relationship_active=active,
        has_billing_agreement=agreement,
        permission=Decision.allow(),
        capabilities=frozenset({"pay_tv_card"}),
    )
    items = [OrderItem.add(i, asset=PHONE if "data" in i else None) for i in ids]
    forward = check(items, ctx)
    backward = check(list(reversed(items)), ctx)
    assert forward.allowed == backward.allowed
    assert set(forward.codes) == set(backward.codes)
    if not active:
        assert "order.no_active_relationship" in forward.codes


def test_a_second_plan_on_a_phone_number_is_refused(
    make_context: MakeContext, plan: ProductInstance
) -> None:
    decision = check(OrderItem.add("bedrift_total_e_50gb", asset=PHONE), make_context([plan]))
    assert decision.violations == (
        Violation(
            "order.plan_already_active",
            {"offering": "bedrift_total_e_50gb", "current": "bedrift_total_c_10gb"},
        ),
    )
    assert check(OrderItem.add("bedrift_total_e_50gb", asset=OTHER_PHONE), make_context([plan]))
    same = check(OrderItem.add("bedrift_total_c_10gb", asset=PHONE), make_context([plan]))
    assert same.codes == ("order.already_active",)


def test_plan_changes_to_unknown_products_or_offerings_are_refused(
    make_context: MakeContext, plan: ProductInstance
) -> None:
    decision = check(
        [
            OrderItem.change_plan("nope", "bedrift_total_e_50gb"),
            OrderItem.change_plan("plan-1", "no_such_plan"),
            OrderItem.edit_bundle("plan-1", set()),
        ],
        make_context([plan]),
    )
    assert decision.codes == (
        "order.unknown_product",
        "order.unknown_offering",
        "bundle.not_a_bundle",
    )


def test_an_order_for_a_mix_package_without_picks_is_checked_like_an_edit(
    make_context: MakeContext,
) -> None:
    decision = check(OrderItem.add("mix_package", bundle_items=()), make_context())
    assert decision.codes == ("bundle.too_few_items",)


def test_a_modify_without_changes_is_allowed(
    make_context: MakeContext, plan: ProductInstance
) -> None:
    assert check(OrderItem.modify("plan-1"), make_context([plan])).allowed


def test_a_sim_card_is_ordered_for_a_subscription_with_a_one_time_price(
    make_context: MakeContext, plan: ProductInstance
) -> None:
    from selfcare.catalog import build_quote  # noqa: PLC0415

    ctx = make_context([plan])
    quote = build_quote(
        OrderItem.add("sim_card", asset=PHONE), ctx, catalog=CATALOG, now=NOW
    ).unwrap()
    (line,) = quote.lines
    assert line.monthly_change is None
    assert str(line.one_time) == "99.00 NOK"
    assert check(OrderItem.add("sim_card", asset=OTHER_PHONE), ctx).codes == (
        "order.missing_prerequisite",
    )


def test_available_services_show_order_ordered_or_why_not(
    make_context: MakeContext, make_product: MakeProduct, plan: ProductInstance
) -> None:
    from selfcare.catalog import ServiceState, available_services  # noqa: PLC0415

    extra = make_product("extra_data_5gb", "extra-1", asset=PHONE)
    rows = available_services(
        make_context([plan, extra]), catalog=CATALOG, now=NOW, group="mobile_addons", asset=PHONE
    )
    states = {row.offering.id: row.state for row in rows}
    assert states["extra_data_5gb"] is ServiceState.ORDERED
    assert states["extra_data_15gb"] is ServiceState.NOT_ORDERABLE
    assert states["net_protection"] is ServiceState.ORDERABLE
    blocked = next(r for r in rows if r.offering.id == "extra_data_15gb")
    assert blocked.decision.codes == ("order.excluded_by_active_product",)
    tv = available_services(make_context(), catalog=CATALOG, now=NOW, group="tv_channels")
    assert "tv_christmas" not in {row.offering.id for row in tv}


# --------------------------------------------------------------------------- edges


def test_a_new_sim_card_may_be_named_when_modifying_a_phone_subscription(
    make_context: MakeContext, plan: ProductInstance
) -> None:
    sim = Asset.iccid("8947080000000000007")
    assert check(OrderItem.modify("plan-1", asset=sim), make_context([plan])).allowed
    # A SIM is not what a metering point's contract is attached to.
    meter = attrs.evolve(plan, id="power-1", offering_id="electricity_spot", asset=METER)
    assert check(OrderItem.modify("power-1", asset=sim), make_context([meter])).codes == (
        "order.asset_required",
    )


MIX_PICKS = frozenset({"mix_music", "mix_travel", "mix_food"})


def test_a_mix_channel_needs_the_mix_package_held_or_ordered(
    make_context: MakeContext, make_product: MakeProduct
) -> None:
    assert check(OrderItem.add("mix_history"), make_context()).violations == (
        Violation(
            "order.missing_prerequisite",
            {"offering": "mix_history", "prerequisite": "offering:mix_package"},
        ),
    )
    package = make_product("mix_package", "mix-1", bundle_items=MIX_PICKS)
    assert check(OrderItem.add("mix_history"), make_context([package])).allowed


def test_a_plan_changed_to_in_the_order_meets_a_prerequisite_one_added_elsewhere_does_not(
    make_context: MakeContext, make_product: MakeProduct, plan: ProductInstance
) -> None:
    big_data = attrs.evolve(
        CATALOG.find("data_card"),
        requires=frozenset({Prerequisite(PrerequisiteKind.OFFERING, "bedrift_total_e_50gb")}),
    )
    catalog = Catalog((*(o for o in CATALOG.offerings if o.id != "data_card"), big_data))
    ctx = make_context([plan])
    add = OrderItem.add("data_card", asset=PHONE)
    change = OrderItem.change_plan("plan-1", "bedrift_total_e_50gb")
    assert check_order([change, add], ctx, catalog=catalog, now=NOW).allowed
    elsewhere = OrderItem.add("bedrift_total_e_50gb", asset=OTHER_PHONE)
    assert check_order([elsewhere, add], ctx, catalog=catalog, now=NOW).codes == (
        "order.missing_prerequisite",
    )


def test_an_add_on_on_a_phone_number_is_not_a_plan(
    make_context: MakeContext, make_product: MakeProduct
) -> None:
    protection = make_product("net_protection", asset=PHONE)
    ordered = OrderItem.add("bedrift_total_c_10gb", asset=PHONE)
    assert check(ordered, make_context([protection])).allowed


def test_an_exclusion_declared_by_one_offering_conflicts_in_either_order(
    make_context: MakeContext,
) -> None:
    # security_total excludes security_basic; security_basic names nothing.
    for first, second in (
        ("security_total", "security_basic"),
        ("security_basic", "security_total"),
    ):
        items = [OrderItem.add(first), OrderItem.add(second)]
        assert check(items, make_context()).violations == (
            Violation(
                "order.conflicting_items",
                {"offering": "security_basic", "conflicting": "security_total"},
            ),
        )


def test_an_unknown_product_is_named_up_to_64_characters(make_context: MakeContext) -> None:
    decision = check(OrderItem.remove("p" * 100), make_context())
    assert decision.violations == (Violation("order.unknown_product", {"product": "p" * 64}),)
