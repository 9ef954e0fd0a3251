"""Plan changes, bundles, timing and quotes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare.catalog import (
    Asset,
    ChangeDirection,
    EligibilityContext,
    OrderAction,
    OrderItem,
    OrderPolicy,
    ProductInstance,
    ScheduledChange,
    ScheduledChangeKind,
    Timing,
    build_quote,
    change_direction,
    check_order,
)
from selfcare.catalog.cancellation import cancellation_end
from selfcare.catalog.offerings import Offering, Term
from selfcare.catalog.plan_changes import changed_plan, scheduled_plan_change
from selfcare.catalog.sample import sample_catalog
from selfcare.catalog.timing import billing_period_end
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.money import Currency, Money

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
# 1 April 2026 00:00 in Helsinki (EEST, UTC+3)
APRIL = datetime(2026, 3, 31, 21, 0, tzinfo=UTC)
PHONE = Asset.msisdn("+4741234567")
CATALOG = sample_catalog()
MIX = frozenset({"mix_history", "mix_music", "mix_travel"})

MakeProduct = Callable[..., ProductInstance]
MakeContext = Callable[..., EligibilityContext]


def offering(offering_id: str):  # type: ignore[no-untyped-def]
    found = CATALOG.find(offering_id)
    assert found is not None
    return found


# --------------------------------------------------------------------------- direction


def test_plan_family_order_decides_upgrade_and_downgrade() -> None:
    c10, e50 = offering("bedrift_total_c_10gb"), offering("bedrift_total_e_50gb")
    assert change_direction(c10, e50) is ChangeDirection.UPGRADE
    assert change_direction(e50, c10) is ChangeDirection.DOWNGRADE
    assert change_direction(c10, c10) is ChangeDirection.SAME


def test_without_a_common_family_the_price_decides() -> None:
    total, basic = offering("security_total"), offering("security_basic")
    assert change_direction(total, basic) is ChangeDirection.DOWNGRADE
    assert change_direction(basic, total) is ChangeDirection.UPGRADE


# --------------------------------------------------------------------------- timing


def test_the_billing_period_ends_at_local_midnight_of_the_next_month() -> None:
    assert billing_period_end(NOW) == APRIL
    oslo = OrderPolicy(timezone="Europe/Oslo")
    assert billing_period_end(NOW, policy=oslo) == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)
    # 23:30 local on 31 March is still March in Helsinki although UTC says 20:30
    late = datetime(2026, 3, 31, 20, 30, tzinfo=UTC)
    assert billing_period_end(late) == APRIL


def test_cancellation_never_ends_a_fixed_term_early(make_product: MakeProduct) -> None:
    open_ended = make_product("net_protection")
    assert cancellation_end(open_ended, now=NOW) == APRIL
    committed = make_product("tv_sport_12m", commitment_end=datetime(2026, 9, 1, tzinfo=UTC))
    assert cancellation_end(committed, now=NOW) == datetime(2026, 9, 1, tzinfo=UTC)
    at_once = OrderPolicy(cancellation=Timing.IMMEDIATELY)
    assert cancellation_end(open_ended, now=NOW, policy=at_once) == NOW


# --------------------------------------------------------------------------- plan change


@pytest.fixture
def plan(make_product: MakeProduct) -> ProductInstance:
    return make_product("bedrift_total_c_10gb", "plan-1", asset=PHONE)


def test_changing_to_the_current_plan_is_refused(
    make_context: MakeContext, plan: ProductInstance
) -> None:
    item = OrderItem.change_plan("plan-1", "bedrift_total_c_10gb")
    decision = check_order(item, make_context([plan]), catalog=CATALOG, now=NOW)
    assert decision.violations == (
        Violation("plan_change.same_plan", {"offering": "bedrift_total_c_10gb"}),
    )


def test_a_plan_change_must_target_a_plan(make_context: MakeContext, plan: ProductInstance) -> None:
    item = OrderItem.change_plan("plan-1", "net_protection")
    decision = check_order(item, make_context([plan]), catalog=CATALOG, now=NOW)
    assert decision.codes == ("plan_change.not_a_plan",)


def test_a_downgrade_inside_a_fixed_term_commitment_is_refused_but_an_upgrade_is_not(
    make_context: MakeContext, make_product: MakeProduct
) -> None:
    end = datetime(2026, 6, 30, 21, 0, tzinfo=UTC)
    plan = make_product("bedrift_total_c_10gb", "plan-1", asset=PHONE, commitment_end=end)
    ctx = make_context([plan])
    down = OrderItem.change_plan("plan-1", "bedrift_total_a_1gb")
    decision = check_order(down, ctx, catalog=CATALOG, now=NOW)
    assert decision.violations == (
        Violation("plan_change.downgrade_in_commitment", {"commitment_end": end.isoformat()}),
    )
    up = OrderItem.change_plan("plan-1", "bedrift_total_e_50gb")
    assert check_order(up, ctx, catalog=CATALOG, now=NOW).allowed
    after = end + timedelta(seconds=1)
    assert check_order(down, ctx, catalog=CATALOG, now=after).allowed


def test_an_upgrade_takes_effect_at_once_and_a_downgrade_at_the_end_of_the_period(
    make_context: MakeContext, plan: ProductInstance
) -> None:
    ctx = make_context([plan])
    up = build_quote(
        OrderItem.change_plan("plan-1", "bedrift_total_e_50gb"), ctx, catalog=CATALOG, now=NOW
    ).unwrap()
    (line,) = up.lines
    assert line.effective_at == NOW
    assert line.monthly_change == Money("200.00", "NOK")
    assert line.asset == PHONE
    assert line.product_id == "plan-1"
    down = build_quote(
        OrderItem.change_plan("plan-1", "bedrift_total_a_1gb"), ctx, catalog=CATALOG, now=NOW
    ).unwrap()
    assert down.lines[0].effective_at == APRIL
    assert down.lines[0].monthly_change == Money("-100.00", "NOK")


def test_operator_policy_can_change_the_timing(
    make_context: MakeContext, plan: ProductInstance
) -> None:
    policy = OrderPolicy(upgrade=Timing.END_OF_BILLING_PERIOD, downgrade=Timing.IMMEDIATELY)
    ctx = make_context([plan])
    up = build_quote(
        OrderItem.change_plan("plan-1", "bedrift_total_e_50gb"),
        ctx,
        catalog=CATALOG,
        now=NOW,
        policy=policy,
    ).unwrap()
    assert up.lines[0].effective_at == APRIL
    down = build_quote(
        OrderItem.change_plan("plan-1", "bedrift_total_a_1gb"),
        ctx,
        catalog=CATALOG,
        now=NOW,
        policy=policy,
    ).unwrap()
    assert down.lines[0].effective_at == NOW


# --------------------------------------------------------------------------- bundles


def test_the_mix_package_needs_between_three_and_six_channels(
    make_context: MakeContext,
) -> None:
    ctx = make_context()
    assert check_order(
        OrderItem.add("mix_package", bundle_items=MIX), ctx, catalog=CATALOG, now=NOW
    ).allowed
    few = OrderItem.add("mix_package", bundle_items={"mix_history"})
    assert check_order(few, ctx, catalog=CATALOG, now=NOW).violations == (
        Violation("bundle.too_few_items", {"min_items": 3}),
    )
    many = OrderItem.add(
        "mix_package", bundle_items=[o.id for o in CATALOG.in_group("mix_channels")]
    )
    assert check_order(many, ctx, catalog=CATALOG, now=NOW).violations == (
        Violation("bundle.too_many_items", {"max_items": 6}),
    )
    foreign = OrderItem.add("mix_package", bundle_items=MIX | {"tv_sport"})
    assert check_order(foreign, ctx, catalog=CATALOG, now=NOW).violations == (
        Violation("bundle.item_not_in_group", {"item": "tv_sport"}),
    )


def test_the_bundle_price_depends_on_the_count() -> None:
    spec = offering("mix_package").bundle
    assert spec is not None
    assert [spec.price_for(n).amount for n in range(2, 8)] == [
        Decimal(x) for x in ("19.90", "19.90", "19.90", "24.90", "27.90", "27.90")
    ]


def test_editing_the_mix_package_takes_effect_from_the_next_period(
    make_context: MakeContext, make_product: MakeProduct
) -> None:
    mix = make_product("mix_package", "mix-1", bundle_items=MIX)
    ctx = make_context([mix])
    five = MIX | {"mix_food", "mix_crime"}
    quote = build_quote(
        OrderItem.edit_bundle("mix-1", five), ctx, catalog=CATALOG, now=NOW
    ).unwrap()
    (line,) = quote.lines
    assert line.effective_at == APRIL
    assert line.monthly_change == Money("5.00", "EUR")
    assert line.action is OrderAction.EDIT_BUNDLE


def test_an_unchanged_or_invalid_bundle_edit_is_refused(
    make_context: MakeContext, make_product: MakeProduct
) -> None:
    mix = make_product("mix_package", "mix-1", bundle_items=MIX)
    vpn = make_product("security_vpn", "vpn-1")
    ctx = make_context([mix, vpn])
    same = check_order(OrderItem.edit_bundle("mix-1", MIX), ctx, catalog=CATALOG, now=NOW)
    assert same.codes == ("bundle.unchanged",)
    not_bundle = check_order(OrderItem.edit_bundle("vpn-1", MIX), ctx, catalog=CATALOG, now=NOW)
    assert not_bundle.violations == (
        Violation("bundle.not_a_bundle", {"offering": "security_vpn"}),
    )
    unknown = check_order(OrderItem.edit_bundle("none", MIX), ctx, catalog=CATALOG, now=NOW)
    assert unknown.codes == ("order.unknown_product",)


def test_a_pending_bundle_edit_is_what_a_new_edit_is_compared_with(
    make_context: MakeContext, make_product: MakeProduct
) -> None:
    five = MIX | {"mix_food", "mix_crime"}
    pending = ScheduledChange(
        kind=ScheduledChangeKind.EDIT_BUNDLE, effective_at=APRIL, bundle_items=five
    )
    mix = make_product("mix_package", "mix-1", bundle_items=MIX, scheduled=pending)
    ctx = make_context([mix])
    assert check_order(
        OrderItem.edit_bundle("mix-1", five), ctx, catalog=CATALOG, now=NOW
    ).codes == ("bundle.unchanged",)
    assert check_order(OrderItem.edit_bundle("mix-1", MIX), ctx, catalog=CATALOG, now=NOW).allowed


# --------------------------------------------------------------------------- quotes


def test_a_quote_names_each_product_the_phone_number_and_the_price_effect(
    make_context: MakeContext, plan: ProductInstance
) -> None:
    items = [
        OrderItem.add("extra_data_5gb", asset=PHONE),
        OrderItem.add("twin_sim", asset=PHONE),
    ]
    quote = build_quote(items, make_context([plan]), catalog=CATALOG, now=NOW).unwrap()
    assert [line.product_name.get("nb") for line in quote.lines] == [
        "Ekstra data 5 GB",
        "Tvilling-SIM",
    ]
    assert all(line.asset == PHONE for line in quote.lines)
    assert quote.monthly_totals() == {Currency.NOK: Money("148.00", "NOK")}
    assert quote.one_time_totals() == {Currency.NOK: Money("99.00", "NOK")}
    assert quote.lines[0].usage_note is not None
    assert quote.lines[0].usage_note.get("nb") == "Gjelder databruk i Norge."
    summary = quote.summary("nb")
    assert "Ekstra data 5 GB" in summary[0]
    assert "+4741234567" in summary[0]
    assert "99,00" in summary[0]


def test_a_quote_of_an_ineligible_order_is_refused_with_every_reason(
    make_context: MakeContext,
) -> None:
    refused = build_quote(
        OrderItem.add("tv_sport"), make_context(capabilities=()), catalog=CATALOG, now=NOW
    )
    assert not refused.ok
    assert refused.events == ()
    assert refused.decision.codes == ("order.missing_prerequisite",)


def test_a_removal_is_quoted_as_a_negative_monthly_change_at_the_end_of_the_period(
    make_context: MakeContext, make_product: MakeProduct, plan: ProductInstance
) -> None:
    net = make_product("net_protection", "net-1", asset=PHONE)
    quote = build_quote(
        OrderItem.remove("net-1"), make_context([plan, net]), catalog=CATALOG, now=NOW
    ).unwrap()
    (line,) = quote.lines
    assert line.monthly_change == Money("-39.00", "NOK")
    assert line.effective_at == APRIL


def test_a_modify_quote_prices_a_quantity_change_only(
    make_context: MakeContext, make_product: MakeProduct, plan: ProductInstance
) -> None:
    twin = make_product("twin_sim", "twin-1", asset=PHONE)
    ctx = make_context([plan, twin])
    more = build_quote(
        OrderItem.modify("twin-1", quantity=2), ctx, catalog=CATALOG, now=NOW
    ).unwrap()
    assert more.lines[0].monthly_change == Money("49.00", "NOK")
    sim = Asset.iccid("8947080000000000007")
    new_sim = build_quote(
        OrderItem.modify("plan-1", asset=sim), ctx, catalog=CATALOG, now=NOW
    ).unwrap()
    assert new_sim.lines[0].monthly_change is None
    assert new_sim.lines[0].asset == PHONE  # the dialog names the phone number
    assert new_sim.items[0].asset == sim


def test_a_mixed_currency_order_has_one_total_per_currency(make_context: MakeContext) -> None:
    meter = Asset.metering_point("643007574000000008")
    items = [OrderItem.add("security_vpn"), OrderItem.add("electricity_spot", asset=meter)]
    quote = build_quote(items, make_context(), catalog=CATALOG, now=NOW).unwrap()
    assert quote.monthly_totals() == {Currency.EUR: Money("9.80", "EUR")}
    swedish = build_quote(
        OrderItem.add("district_heating", asset=Asset.metering_point("735999000000000006")),
        make_context(),
        catalog=CATALOG,
        now=NOW,
    ).unwrap()
    assert swedish.monthly_totals() == {Currency.SEK: Money("395.00", "SEK")}


@given(count=st.integers(min_value=3, max_value=6))
def test_a_new_mix_package_is_quoted_at_its_tier(count: int) -> None:
    channels = [o.id for o in CATALOG.in_group("mix_channels")][:count]
    ctx = EligibilityContext(
        relationship_id="rel-1",  # type: ignore[arg-type]
        relationship_active=True,
        has_billing_agreement=True,
        permission=__import__("selfcare").Decision.allow(),
        capabilities=frozenset({"pay_tv_card"}),
    )
    quote = build_quote(
        OrderItem.add("mix_package", bundle_items=channels), ctx, catalog=CATALOG, now=NOW
    ).unwrap()
    spec = offering("mix_package").bundle
    assert spec is not None
    assert quote.lines[0].monthly_change == spec.price_for(count)
    assert quote.lines[0].monthly_change is not None
    assert quote.lines[0].monthly_change.amount >= Decimal("19.90")


def test_a_same_rank_plan_in_the_family_is_the_same_size() -> None:
    c10 = offering("bedrift_total_c_10gb")
    twin = attrs.evolve(c10, id="bedrift_total_c_10gb_promo")
    assert change_direction(c10, twin) is ChangeDirection.SAME


def test_a_change_between_free_and_priced_plans_is_quoted() -> None:
    from selfcare.catalog.pricing import monthly_difference  # noqa: PLC0415

    assert monthly_difference(None, None) is None
    assert monthly_difference(Money("1", "EUR"), None) == Money("1", "EUR")
    assert monthly_difference(None, Money("1", "EUR")) == Money("-1", "EUR")


def test_an_unknown_time_zone_in_the_policy_is_refused() -> None:
    with pytest.raises(SelfcareError) as caught:
        OrderPolicy(timezone="Mars/Olympus")
    assert caught.value.codes == ("time.unknown_timezone",)


# --------------------------------------------------------------------------- month edges

# 1 April 2026 00:00 and 30 April 23:59:59 in Helsinki (EEST, UTC+3); 1 May 00:00.
FIRST_OF_APRIL = datetime(2026, 3, 31, 21, 0, tzinfo=UTC)
LAST_SECOND_OF_APRIL = datetime(2026, 4, 30, 20, 59, 59, tzinfo=UTC)
MAY = datetime(2026, 4, 30, 21, 0, tzinfo=UTC)


def test_a_downgrade_ordered_on_the_first_day_of_a_month_waits_for_that_months_end(
    make_context: MakeContext, plan: ProductInstance
) -> None:
    down = OrderItem.change_plan("plan-1", "bedrift_total_a_1gb")
    quote = build_quote(down, make_context([plan]), catalog=CATALOG, now=FIRST_OF_APRIL).unwrap()
    assert quote.lines[0].effective_at == MAY


def test_a_downgrade_ordered_on_the_last_day_of_a_month_takes_effect_at_the_next_midnight(
    make_context: MakeContext, plan: ProductInstance
) -> None:
    down = OrderItem.change_plan("plan-1", "bedrift_total_a_1gb")
    ctx = make_context([plan])
    quote = build_quote(down, ctx, catalog=CATALOG, now=LAST_SECOND_OF_APRIL).unwrap()
    assert quote.lines[0].effective_at == MAY
    up = OrderItem.change_plan("plan-1", "bedrift_total_e_50gb")
    at_once = build_quote(up, ctx, catalog=CATALOG, now=LAST_SECOND_OF_APRIL).unwrap()
    assert at_once.lines[0].effective_at == LAST_SECOND_OF_APRIL


def test_a_commitment_ending_at_midnight_allows_a_downgrade_from_that_instant(
    make_context: MakeContext, make_product: MakeProduct
) -> None:
    committed = make_product("bedrift_total_c_10gb", "plan-1", asset=PHONE, commitment_end=MAY)
    down = OrderItem.change_plan("plan-1", "bedrift_total_a_1gb")
    ctx = make_context([committed])
    assert check_order(down, ctx, catalog=CATALOG, now=LAST_SECOND_OF_APRIL).codes == (
        "plan_change.downgrade_in_commitment",
    )
    assert check_order(down, ctx, catalog=CATALOG, now=MAY).allowed


def test_a_plan_at_the_same_price_in_another_family_is_not_a_downgrade() -> None:
    c10 = offering("bedrift_total_c_10gb")
    other_family = attrs.evolve(c10, id="other_449", family="other")
    assert change_direction(c10, other_family) is ChangeDirection.UPGRADE
    assert change_direction(other_family, c10) is ChangeDirection.UPGRADE


def one_month_plan() -> Offering:
    return attrs.evolve(offering("bedrift_total_e_50gb"), term=Term(months=1))


def test_a_fixed_term_plan_taken_on_the_last_day_of_january_runs_to_the_end_of_february(
    make_product: MakeProduct,
) -> None:
    # 31 January 2026 12:00 in Helsinki; one month later is clamped to 28 February,
    # and the term ends at its local midnight (EET, UTC+2).
    last_of_january = datetime(2026, 1, 31, 10, 0, tzinfo=UTC)
    moved = changed_plan(
        make_product("bedrift_total_c_10gb", "plan-1"),
        one_month_plan(),
        now=last_of_january,
        policy=OrderPolicy(),
    )
    assert moved.commitment_end == datetime(2026, 2, 27, 22, 0, tzinfo=UTC)
    assert moved.term == Term(months=1)
    assert moved.offering_id == "bedrift_total_e_50gb"


def test_a_plan_change_never_shortens_a_running_commitment(make_product: MakeProduct) -> None:
    later = datetime(2026, 12, 31, 22, 0, tzinfo=UTC)
    committed = make_product("bedrift_total_c_10gb", "plan-1", commitment_end=later)
    moved = changed_plan(committed, one_month_plan(), now=NOW, policy=OrderPolicy())
    assert moved.commitment_end == later
    sooner = datetime(2026, 3, 20, 22, 0, tzinfo=UTC)
    short = make_product("bedrift_total_c_10gb", "plan-1", commitment_end=sooner)
    extended = changed_plan(short, one_month_plan(), now=NOW, policy=OrderPolicy())
    assert extended.commitment_end == datetime(2026, 4, 9, 21, 0, tzinfo=UTC)
    open_ended = changed_plan(
        make_product("bedrift_total_c_10gb", "plan-1"),
        offering("bedrift_total_e_50gb"),
        now=NOW,
        policy=OrderPolicy(),
    )
    assert open_ended.commitment_end is None


def test_a_scheduled_plan_changes_term_starts_when_it_takes_effect(
    make_product: MakeProduct,
) -> None:
    product = make_product("bedrift_total_e_50gb", "plan-1")
    scheduled = scheduled_plan_change(
        product, one_month_plan(), effective_at=MAY, policy=OrderPolicy()
    )
    change = scheduled.scheduled
    assert change is not None
    assert change.kind is ScheduledChangeKind.CHANGE_PLAN
    assert change.effective_at == MAY
    # 1 May local + one month = 1 June 00:00 in Helsinki.
    assert change.commitment_end == datetime(2026, 5, 31, 21, 0, tzinfo=UTC)
    assert change.term == Term(months=1)
    assert scheduled.offering_id == "bedrift_total_e_50gb"
    assert scheduled.version == product.version + 1
