"""Each eligibility rule on its own: one reason to refuse, one pure function."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import attrs

from selfcare.catalog import Asset, EligibilityContext, OrderItem, ProductInstance, ProductStatus
from selfcare.catalog.bundles import (
    foreign_pick_violations,
    not_a_bundle_violations,
    pick_count_violations,
    unchanged_pick_violations,
)
from selfcare.catalog.cancellation import (
    already_ending_violations,
    contact_for_written_request,
    in_writing_violations,
)
from selfcare.catalog.eligibility import (
    Holdings,
    already_active_violations,
    asset_violations,
    availability_violations,
    conflicting_item_violations,
    empty_order_violations,
    exclusion_violations,
    holdings_for,
    inactive_relationship_violations,
    max_quantity_violations,
    missing_billing_agreement_violations,
    missing_prerequisite_violations,
    missing_target_violations,
    modified_quantity_violations,
    permission_violations,
    positive_quantity_violations,
    second_plan_violations,
    self_service_violations,
    unknown_product_violations,
)
from selfcare.catalog.inventory import picks_in_effect
from selfcare.catalog.offerings import Offering, Price, PriceType
from selfcare.catalog.orders import (
    OrderAction,
    ProductOrder,
    idempotency_conflict_violations,
    outdated_quote_violations,
)
from selfcare.catalog.plan_changes import (
    ChangeDirection,
    downgrade_in_commitment_violations,
    not_a_plan_violations,
    other_currency_violations,
    plan_change_violations,
    same_plan_violations,
)
from selfcare.catalog.pricing import build_quote
from selfcare.catalog.sample import sample_catalog
from selfcare.core.decision import Decision, Violation
from selfcare.core.ids import RelationshipId
from selfcare.core.money import Money

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
CATALOG = sample_catalog()
PHONE = Asset.msisdn("+4741234567")
OTHER_PHONE = Asset.msisdn("+4791234567")
REL = RelationshipId("rel-1")

MakeProduct = Callable[..., ProductInstance]
MakeContext = Callable[..., EligibilityContext]


def offering(offering_id: str) -> Offering:
    found = CATALOG.find(offering_id)
    assert found is not None
    return found


def codes(violations: tuple[Violation, ...]) -> tuple[str, ...]:
    return tuple(v.code for v in violations)


# --------------------------------------------------------------------------- the customer


def test_an_order_needs_items() -> None:
    assert codes(empty_order_violations(())) == ("order.empty",)
    assert empty_order_violations((OrderItem.add("security_vpn"),)) == ()


def test_the_relationship_must_be_active(make_context: MakeContext) -> None:
    assert inactive_relationship_violations(make_context()) == ()
    inactive = make_context(relationship_active=False)
    assert codes(inactive_relationship_violations(inactive)) == ("order.no_active_relationship",)


def test_someone_must_have_agreed_to_pay(make_context: MakeContext) -> None:
    assert missing_billing_agreement_violations(make_context()) == ()
    unpaid = make_context(has_billing_agreement=False)
    assert codes(missing_billing_agreement_violations(unpaid)) == ("order.no_billing_agreement",)


def test_a_denied_permission_carries_its_reasons(make_context: MakeContext) -> None:
    assert permission_violations(make_context()) == ()
    denied = Decision.deny(Violation("store.not_found", {"entity": "grant"}))
    assert permission_violations(make_context(permission=denied)) == (
        Violation("order.permission_denied", {"reasons": ("store.not_found",)}),
    )


def test_self_service_needs_a_confirmed_phone_number(make_context: MakeContext) -> None:
    assert self_service_violations(make_context()) == ()
    unconfirmed = make_context(phone_number_confirmed=False)
    assert codes(self_service_violations(unconfirmed)) == ("order.self_service_not_activated",)


# --------------------------------------------------------------------------- one item


def test_an_item_names_what_its_action_needs() -> None:
    assert missing_target_violations(OrderItem.add("security_vpn")) == ()
    assert missing_target_violations(OrderItem.remove("p-1")) == ()
    lacking = [
        OrderItem(action=OrderAction.ADD),
        OrderItem(action=OrderAction.MODIFY),
        OrderItem(action=OrderAction.CHANGE_PLAN, product_id="plan-1"),
    ]
    assert [codes(missing_target_violations(i)) for i in lacking] == [("order.invalid_item",)] * 3


def test_an_offering_must_exist_and_be_orderable_now() -> None:
    assert availability_violations("security_vpn", catalog=CATALOG, now=NOW) == ()
    assert availability_violations("x" * 80, catalog=CATALOG, now=NOW) == (
        Violation("order.unknown_offering", {"offering": "x" * 64}),
    )
    retired = availability_violations("security_legacy", catalog=CATALOG, now=NOW)
    assert codes(retired) == ("order.offering_not_available",)


def test_a_changed_product_must_be_the_customers_and_still_sold(
    make_product: MakeProduct,
) -> None:
    mine = make_product("security_vpn", "p-1")
    theirs = attrs.evolve(make_product("security_vpn", "p-2"), relationship_id="rel-2")
    orphan = make_product("discontinued", "p-3")
    live = {p.id: p for p in (mine, theirs, orphan)}

    def check(product_id: str) -> tuple[str, ...]:
        return codes(
            unknown_product_violations(product_id, live=live, relationship_id=REL, catalog=CATALOG)
        )

    assert check("p-1") == ()
    assert check("p-2") == ("order.unknown_product",)
    assert check("nope") == ("order.unknown_product",)
    assert check("p-3") == ("order.unknown_offering",)


def test_quantities_are_at_least_one_and_at_most_the_maximum() -> None:
    twin = offering("twin_sim")
    assert positive_quantity_violations(twin, 1) == ()
    assert codes(positive_quantity_violations(twin, 0)) == ("order.invalid_quantity",)
    assert modified_quantity_violations(twin, twin.max_quantity) == ()
    assert codes(modified_quantity_violations(twin, 0)) == ("order.invalid_quantity",)
    too_many = modified_quantity_violations(twin, twin.max_quantity + 1)
    assert codes(too_many) == ("order.max_quantity_exceeded",)


def test_an_item_names_the_asset_of_the_kind_its_offering_applies_to() -> None:
    add_on = offering("net_protection")
    assert asset_violations(add_on, PHONE) == ()
    assert codes(asset_violations(add_on, None)) == ("order.asset_required",)
    meter = Asset.metering_point("643007574000000008")
    assert codes(asset_violations(add_on, meter)) == ("order.asset_required",)
    assert asset_violations(offering("security_vpn"), None) == ()


# --------------------------------------------------------------------------- bundles


def test_a_bundle_holds_between_its_minimum_and_maximum_picks() -> None:
    spec = offering("mix_package").bundle
    assert spec is not None
    three = frozenset({"mix_history", "mix_music", "mix_travel"})
    assert pick_count_violations(spec, three) == ()
    assert codes(pick_count_violations(spec, frozenset({"mix_music"}))) == ("bundle.too_few_items",)
    channels = frozenset(o.id for o in CATALOG.in_group("mix_channels"))
    if len(channels) > spec.max_items:
        assert codes(pick_count_violations(spec, channels)) == ("bundle.too_many_items",)


def test_a_bundle_picks_only_orderable_offerings_of_its_group() -> None:
    spec = offering("mix_package").bundle
    assert spec is not None
    picks = frozenset({"mix_music", "tv_sport", "nothing"})
    found = foreign_pick_violations(spec, picks, catalog=CATALOG, now=NOW)
    assert found == (
        Violation("bundle.item_not_in_group", {"item": "nothing"}),
        Violation("bundle.item_not_in_group", {"item": "tv_sport"}),
    )


def test_only_a_bundle_has_picks_to_edit() -> None:
    assert not_a_bundle_violations(offering("mix_package")) == ()
    assert codes(not_a_bundle_violations(offering("security_vpn"))) == ("bundle.not_a_bundle",)


def test_an_edit_must_change_the_picks_in_effect(make_product: MakeProduct) -> None:
    from selfcare.catalog import ScheduledChange, ScheduledChangeKind  # noqa: PLC0415

    three = frozenset({"mix_history", "mix_music", "mix_travel"})
    four = three | {"mix_food"}
    mix = make_product("mix_package", "mix-1", bundle_items=three)
    assert picks_in_effect(mix) == three
    edit = ScheduledChange(
        kind=ScheduledChangeKind.EDIT_BUNDLE, effective_at=NOW, bundle_items=four
    )
    assert picks_in_effect(attrs.evolve(mix, scheduled=edit)) == four
    assert codes(unchanged_pick_violations(three, three)) == ("bundle.unchanged",)
    assert unchanged_pick_violations(three, four) == ()


# --------------------------------------------------------------------------- plan changes


def test_a_plan_changes_only_to_another_plan() -> None:
    assert not_a_plan_violations(offering("bedrift_total_e_50gb")) == ()
    assert codes(not_a_plan_violations(offering("extra_data_5gb"))) == ("plan_change.not_a_plan",)


def test_only_a_plan_changes_plan_and_only_within_its_currency(make_product: MakeProduct) -> None:
    # Found by the refusal property test: a MIX package (EUR) "changed" to a Norwegian
    # plan (NOK) crashed the quote while subtracting NOK from EUR.
    mix = make_product("mix_package")
    nok_plan = offering("bedrift_total_a_1gb")
    refused = plan_change_violations(mix, offering("mix_package"), nok_plan, now=NOW)
    assert codes(refused) == ("plan_change.not_a_plan",)
    assert refused[0].params == {"offering": "mix_package"}
    eur = Price(PriceType.RECURRING, Money("9.90", "EUR"))
    eur_plan = attrs.evolve(nok_plan, id="eur_plan", family=None, prices=(eur,))
    current = make_product("bedrift_total_c_10gb")
    across = plan_change_violations(current, offering("bedrift_total_c_10gb"), eur_plan, now=NOW)
    assert codes(across) == ("plan_change.other_currency",)
    assert other_currency_violations(offering("bedrift_total_c_10gb"), nok_plan) == ()
    assert codes(other_currency_violations(nok_plan, eur_plan)) == ("plan_change.other_currency",)


def test_a_plan_change_must_change_the_size() -> None:
    target = offering("bedrift_total_c_10gb")
    assert codes(same_plan_violations(ChangeDirection.SAME, target)) == ("plan_change.same_plan",)
    assert same_plan_violations(ChangeDirection.UPGRADE, target) == ()


def test_no_downgrade_while_a_commitment_runs(make_product: MakeProduct) -> None:
    committed = make_product("bedrift_total_e_50gb", commitment_end=NOW + timedelta(days=30))
    down = downgrade_in_commitment_violations(committed, ChangeDirection.DOWNGRADE, now=NOW)
    assert codes(down) == ("plan_change.downgrade_in_commitment",)
    up = downgrade_in_commitment_violations(committed, ChangeDirection.UPGRADE, now=NOW)
    assert up == ()
    later = NOW + timedelta(days=31)
    assert downgrade_in_commitment_violations(committed, ChangeDirection.DOWNGRADE, now=later) == ()


# --------------------------------------------------------------------------- cancellation


def test_a_written_only_service_is_not_removed_in_an_order() -> None:
    assert codes(in_writing_violations(offering("tv_sport"))) == ("order.cancellation_in_writing",)
    assert in_writing_violations(offering("net_protection")) == ()


def test_a_product_is_cancelled_once(make_product: MakeProduct) -> None:
    ending = make_product("security_vpn", status=ProductStatus.PENDING_TERMINATE)
    assert already_ending_violations(ending) == (
        Violation("cancellation.already_ending", {"product": "security_vpn"}),
    )
    assert already_ending_violations(make_product("security_vpn")) == ()


def test_a_written_request_needs_a_phone_number_and_an_email_address() -> None:
    assert contact_for_written_request("", "a@example.fi").decision.codes == (
        "cancellation.contact_required",
    )
    contact = contact_for_written_request("040 123 4567", "a@example.fi").unwrap()
    assert (contact.phone, contact.email) == ("+358401234567", "a@example.fi")


# --------------------------------------------------------------------------- the whole order


def _holdings(*products: ProductInstance) -> Holdings:
    return holdings_for(products=products, ordered=(), changed_to=(), catalog=CATALOG)


def test_holdings_are_what_is_held_ordered_or_changed_to(make_product: MakeProduct) -> None:
    plan = make_product("bedrift_total_c_10gb", "plan-1", asset=PHONE)
    vpn = make_product("security_vpn", "vpn-1")
    held = _holdings(plan, vpn)
    assert held.offering_ids == {"bedrift_total_c_10gb", "security_vpn"}
    assert held.groups == {"mobile_plans", "security"}
    ordered = holdings_for(
        products=(),
        ordered=("bedrift_total_c_10gb",),
        changed_to=("bedrift_total_e_50gb",),
        catalog=CATALOG,
    )
    assert ordered.offering_ids == {"bedrift_total_c_10gb", "bedrift_total_e_50gb"}


def test_prerequisites_are_met_by_holdings_or_capabilities(make_product: MakeProduct) -> None:
    extra = offering("extra_data_5gb")
    nothing = _holdings()
    assert missing_prerequisite_violations(extra, nothing, frozenset()) == (
        Violation(
            "order.missing_prerequisite",
            {"offering": "extra_data_5gb", "prerequisite": "group:mobile_plans"},
        ),
    )
    with_plan = _holdings(make_product("bedrift_total_c_10gb", asset=PHONE))
    assert missing_prerequisite_violations(extra, with_plan, frozenset()) == ()
    sport = offering("tv_sport")
    assert missing_prerequisite_violations(sport, nothing, frozenset({"pay_tv_card"})) == ()


def test_exclusions_hold_in_both_directions(make_product: MakeProduct) -> None:
    total = _holdings(make_product("security_total"))
    assert codes(exclusion_violations(offering("security_basic"), total, CATALOG)) == (
        "order.excluded_by_active_product",
    )
    basic = _holdings(make_product("security_basic"))
    assert codes(exclusion_violations(offering("security_total"), basic, CATALOG)) == (
        "order.excluded_by_active_product",
    )
    assert exclusion_violations(offering("security_vpn"), total, CATALOG) == ()


def test_one_plan_per_phone_number(make_product: MakeProduct) -> None:
    plan = make_product("bedrift_total_c_10gb", asset=PHONE)
    second = OrderItem.add("bedrift_total_e_50gb", asset=PHONE)
    found = second_plan_violations(second, offering("bedrift_total_e_50gb"), (plan,), CATALOG)
    assert codes(found) == ("order.plan_already_active",)
    same = OrderItem.add("bedrift_total_c_10gb", asset=PHONE)
    assert second_plan_violations(same, offering("bedrift_total_c_10gb"), (plan,), CATALOG) == ()
    nothing_on_it = second_plan_violations(second, offering("bedrift_total_e_50gb"), (), CATALOG)
    assert nothing_on_it == ()


def test_a_single_product_is_not_ordered_twice_and_counts_stay_within_the_maximum() -> None:
    vpn, twin = offering("security_vpn"), offering("twin_sim")
    assert codes(already_active_violations(vpn, 1)) == ("order.already_active",)
    assert already_active_violations(vpn, 0) == ()
    assert already_active_violations(twin, 1) == ()
    assert max_quantity_violations(twin, 1, 1) == ()
    assert codes(max_quantity_violations(twin, 1, 2)) == ("order.max_quantity_exceeded",)


def test_exclusive_items_conflict_only_on_one_asset() -> None:
    fifty, one = offering("extra_data_50gb"), offering("extra_data_1gb")
    same = (
        (OrderItem.add(fifty.id, asset=PHONE), fifty),
        (OrderItem.add(one.id, asset=PHONE), one),
    )
    assert conflicting_item_violations(same) == (
        Violation("order.conflicting_items", {"offering": one.id, "conflicting": fifty.id}),
    )
    apart = (
        (OrderItem.add(fifty.id, asset=PHONE), fifty),
        (OrderItem.add(one.id, asset=OTHER_PHONE), one),
    )
    assert conflicting_item_violations(apart) == ()


# --------------------------------------------------------------------------- placing


def test_a_quote_is_outdated_when_the_offer_changed(make_context: MakeContext) -> None:
    item = OrderItem.add("security_vpn")
    shown = build_quote(item, make_context(), catalog=CATALOG, now=NOW).unwrap().lines
    later = build_quote(item, make_context(), catalog=CATALOG, now=NOW + timedelta(hours=1))
    assert outdated_quote_violations(shown, later.unwrap().lines) == ()  # only the time moved
    assert codes(outdated_quote_violations(shown, ())) == ("order.quote_outdated",)


def test_an_idempotency_key_places_one_set_of_items() -> None:
    items = (OrderItem.add("security_vpn"),)
    placed = ProductOrder(
        id="o-1", relationship_id=REL, idempotency_key="k", items=items, lines=(), placed_at=NOW
    )
    assert idempotency_conflict_violations(placed, items) == ()
    other = (OrderItem.add("security_total"),)
    assert codes(idempotency_conflict_violations(placed, other)) == ("order.idempotency_conflict",)
