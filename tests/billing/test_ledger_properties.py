"""Property tests of the ledger: random sequences of orders, upgrades, downgrades,
bundle edits and cancellations over several months, each month invoiced by the invoice
run on the first of the next.

For every month: the invoice equals the sum over its days of the price in force that
day (each run of days at one price rounded once, the documented rounding of
:func:`~selfcare.billing.charges.prorate`), no day of a product is charged twice or
missed, and at no moment is an add-on live without the plan it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledger_world import OSLO, PHONE, World

from selfcare.billing import BillingPeriod, ChargeKind, Invoice
from selfcare.catalog import OrderItem, ProductInstance
from selfcare.catalog.history import ProductPrice

ZONE = ZoneInfo(OSLO)
PLANS = ("bedrift_total_a_1gb", "bedrift_total_c_10gb", "bedrift_total_e_50gb")
ADD_ONS = ("extra_data_5gb", "extra_data_15gb", "cloud_storage_10gb", "twin_sim")
CHANNELS = ("mix_history", "mix_music", "mix_travel", "mix_food", "mix_crime", "mix_comedy")
MONTHS = (BillingPeriod(2026, 2), BillingPeriod(2026, 3), BillingPeriod(2026, 4))

Action = tuple[datetime, str, int]


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZONE).astimezone(UTC)


def _live(world: World, offering_ids: tuple[str, ...], at: datetime) -> list[ProductInstance]:
    return [p for p in world.products() if p.offering_id in offering_ids and p.is_live_at(at)]


def _mobile(world: World, kind: str, pick: int, at: datetime) -> None:
    plans = _live(world, PLANS, at)
    if kind == "plan" and not plans:
        world.order(OrderItem.add(PLANS[pick % 3], asset=PHONE))
    elif kind == "plan":
        world.order(OrderItem.change_plan(plans[0].id, PLANS[pick % 3]))
    elif kind == "add_on":
        world.order(OrderItem.add(ADD_ONS[pick % 4], asset=PHONE))
    elif kind == "remove":
        add_ons = _live(world, ADD_ONS, at)
        if add_ons:
            world.order(OrderItem.remove(add_ons[pick % len(add_ons)].id))
    elif kind == "cancel" and plans:
        world.app.catalog.cancel_service(plans[0].id, world.context())


def _tv(world: World, kind: str, pick: int, at: datetime) -> None:
    packages = _live(world, ("mix_package",), at)
    picks = {CHANNELS[(pick + i) % 6] for i in range(3 + pick % 4)}
    if kind in {"plan", "add_on"} and not packages:
        world.order(OrderItem.add("mix_package", bundle_items=picks))
    elif kind in {"plan", "add_on"}:
        world.order(OrderItem.edit_bundle(packages[0].id, picks))
    elif kind == "remove":
        world.order(OrderItem.add(("tv_kids", "tv_nature", "security_vpn")[pick % 3]))
    elif kind == "cancel" and packages:
        world.app.catalog.cancel_service(packages[0].id, world.context())


actions = st.lists(
    st.tuples(
        st.datetimes(
            min_value=datetime(2026, 1, 20),  # noqa: DTZ001 - hypothesis bounds are naive
            max_value=datetime(2026, 4, 28),  # noqa: DTZ001
            timezones=st.just(UTC),
        ),
        st.sampled_from(("plan", "plan", "add_on", "remove", "cancel")),
        st.integers(min_value=0, max_value=11),
    ),
    min_size=1,
    max_size=12,
).map(sorted)


# --------------------------------------------------------------------------- oracles


def _cumulative(price: Decimal, days: int, upto: int) -> Decimal:
    return (price * upto / days).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _price_on(product: ProductInstance, day: date) -> ProductPrice | None:
    """The interval in force on ``day``: of those live for some time of the day, the
    one that started last (computed day by day, independently of the ledger's runs)."""
    start, end = _day_start(day), _day_start(day + timedelta(days=1))
    if product.end is not None:
        end = min(end, product.end)
    live = [
        p
        for p in product.prices
        if p.valid_from < end
        and (p.valid_to is None or p.valid_to > start)
        and start < end
        and (p.valid_to is None or p.valid_to > p.valid_from)
    ]
    return max(live, key=lambda p: p.valid_from, default=None)


def _expected_total(products: tuple[ProductInstance, ...], period: BillingPeriod) -> Decimal:
    """The sum over the period's days of each product's price in force, one rounding
    per run of days at one price."""
    total = Decimal(0)
    for product in products:
        runs: list[tuple[Decimal, int, int]] = []
        for offset in range(period.days):
            interval = _price_on(product, period.first_day + timedelta(days=offset))
            price = None if interval is None or interval.recurring is None else interval.recurring
            if price is None or price.is_zero:
                continue
            if runs and runs[-1][0] == price.amount and runs[-1][2] == offset:
                runs[-1] = (price.amount, runs[-1][1], offset + 1)
            else:
                runs.append((price.amount, offset + 1, offset + 1))
        for amount, first, last in runs:
            total += _cumulative(amount, period.days, last) - _cumulative(
                amount, period.days, first - 1
            )
        for interval in product.prices:
            starts = interval.valid_from.astimezone(ZONE).date()
            kept = interval.valid_to is None or interval.valid_to > interval.valid_from
            due = interval.one_time and kept and period.first_day <= starts <= period.last_day
            if due and interval.one_time and _price_on(product, starts) is interval:
                total += interval.one_time.amount
    return total


def _check_invoice(invoice: Invoice, products: tuple[ProductInstance, ...]) -> None:
    period = invoice.period
    assert sum((line.gross.amount for line in invoice.lines), Decimal(0)) == _expected_total(
        products, period
    )
    by_product: dict[str, set[date]] = {}
    for line in invoice.lines:
        if line.kind is not ChargeKind.RECURRING:
            continue
        days = by_product.setdefault(line.service_id, set())
        span = {
            line.supply_from + timedelta(days=i)
            for i in range((line.supply_to - line.supply_from).days + 1)
        }
        assert not days & span, "a day charged twice"
        days |= span
    for product in products:
        charged = {
            period.first_day + timedelta(days=i)
            for i in range(period.days)
            if (p := _price_on(product, period.first_day + timedelta(days=i))) is not None
            and p.recurring is not None
            and not p.recurring.is_zero
        }
        assert by_product.get(product.id, set()) == charged, (
            "a day missed or charged without a price"
        )


def _check_add_ons_have_their_plan(world: World, at: datetime) -> None:
    products = world.products()
    plans = [p for p in products if p.offering_id in PLANS and p.is_live_at(at)]
    add_ons = [p for p in products if p.offering_id in ADD_ONS and p.is_live_at(at)]
    assert not add_ons or plans, f"an add-on without its plan at {at}"


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(shape=st.sampled_from(["mobile", "tv"]), steps=actions)
def test_each_month_is_the_sum_of_its_days_and_no_add_on_outlives_its_plan(
    shape: str, steps: list[Action]
) -> None:
    world = World(datetime(2026, 1, 20, tzinfo=UTC))
    act: Callable[[World, str, int, datetime], None] = _mobile if shape == "mobile" else _tv
    invoiced: list[Invoice] = []
    pending = list(MONTHS)
    for at, kind, pick in [*steps, (datetime(2026, 5, 2, 6, tzinfo=UTC), "end", 0)]:
        while pending and _day_start(pending[0].next().first_day) + timedelta(hours=6) <= at:
            run_at = _day_start(pending[0].next().first_day) + timedelta(hours=6)
            world.at(run_at)
            _check_add_ons_have_their_plan(world, run_at)
            invoice = world.invoice(pending[0], f"{len(invoiced) + 1:04d}")
            if invoice.ok:
                _check_invoice(invoice.value, world.products())
                assert world.invoice(pending[0], "9999").value_or(None) == invoice.value
                invoiced.append(invoice.value)
            else:
                assert invoice.codes == ("billing.nothing_to_invoice",)
            pending.pop(0)
        world.at(at)
        _check_add_ons_have_their_plan(world, at)
        if kind != "end":
            act(world, kind, pick, at)
            _check_add_ons_have_their_plan(world, at)
