"""Model values: validation on construction, assets, the sample catalog and its loader."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare.catalog import (
    Asset,
    AssetKind,
    BundleSpec,
    Catalog,
    LifecycleStatus,
    LocalizedText,
    Offering,
    OfferingKind,
    OrderQuote,
    OrderState,
    Price,
    PriceTier,
    PriceType,
    ProductInstance,
    ProductStatus,
    Term,
)
from selfcare.catalog.inventory import check_product_transition
from selfcare.catalog.orders import check_order_transition
from selfcare.catalog.sample import load_catalog, sample_catalog
from selfcare.core.errors import SelfcareError
from selfcare.core.money import Money
from selfcare.serialization import unstructure

NAMES = LocalizedText(en="Thing", fi="Asia", sv="Sak", nb="Ting")
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def make(**changes: Any) -> Offering:
    fields: dict[str, Any] = {
        "id": "thing",
        "names": NAMES,
        "group": "things",
        "kind": OfferingKind.STANDALONE,
        "prices": (Price(PriceType.RECURRING, Money("1.00", "EUR")),),
    }
    fields.update(changes)
    return Offering(**fields)


def codes_of(func: Any, *args: Any, **kwargs: Any) -> tuple[str, ...]:
    with pytest.raises(SelfcareError) as caught:
        func(*args, **kwargs)
    return caught.value.codes


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"id": "Bad Id"}, "catalog.invalid_identifier"),
        ({"id": ""}, "catalog.invalid_identifier"),
        ({"group": "x" * 80}, "catalog.invalid_identifier"),
        ({"excludes": frozenset({"OK?"})}, "catalog.invalid_identifier"),
        ({"family": "Bad", "kind": OfferingKind.PLAN}, "catalog.invalid_identifier"),
        ({"max_quantity": 0}, "catalog.invalid_offering"),
        ({"kind": OfferingKind.BUNDLE}, "catalog.invalid_offering"),
        ({"family": "f"}, "catalog.invalid_offering"),
        ({"excludes": frozenset({"thing"})}, "catalog.invalid_offering"),
        (
            {"prices": (Price(PriceType.RECURRING, Money("1", "EUR")),) * 2},
            "catalog.invalid_offering",
        ),
        (
            {
                "prices": (
                    Price(PriceType.RECURRING, Money("1", "EUR")),
                    Price(PriceType.ONE_TIME, Money("1", "NOK")),
                )
            },
            "catalog.invalid_offering",
        ),
        (
            {"valid_from": NOW, "valid_until": NOW - timedelta(days=1)},
            "catalog.invalid_window",
        ),
        ({"valid_from": datetime(2026, 1, 1)}, "time.naive_datetime"),  # noqa: DTZ001
    ],
)
def test_an_inconsistent_offering_is_refused(changes: dict[str, Any], code: str) -> None:
    assert code in codes_of(make, **changes)


def test_texts_must_be_non_empty_and_bounded() -> None:
    assert codes_of(LocalizedText, en=" ", fi="a", sv="a", nb="a") == ("catalog.invalid_text",)
    assert codes_of(LocalizedText, en="a" * 201, fi="a", sv="a", nb="a") == (
        "catalog.invalid_text",
    )
    assert NAMES.get("xx") == "Thing"
    assert NAMES.get("sv") == "Sak"


def test_prices_cannot_be_negative() -> None:
    assert codes_of(Price, PriceType.ONE_TIME, Money("-1", "EUR")) == ("catalog.negative_price",)
    assert codes_of(PriceTier, 1, Money("-1", "EUR")) == ("catalog.negative_price",)


@pytest.mark.parametrize(
    ("low", "high", "tiers"),
    [
        (3, 2, ((2, "EUR"),)),
        (2, 3, ()),
        (2, 3, ((3, "EUR"),)),
        (2, 3, ((2, "EUR"), (2, "EUR"))),
        (2, 3, ((2, "EUR"), (3, "SEK"))),
        (2, 101, ((2, "EUR"),)),
    ],
)
def test_an_inconsistent_bundle_is_refused(
    low: int, high: int, tiers: tuple[tuple[int, str], ...]
) -> None:
    built = tuple(PriceTier(n, Money("1.00", cur)) for n, cur in tiers)
    assert codes_of(
        BundleSpec, option_group="g", min_items=low, max_items=high, price_tiers=built
    ) == ("catalog.invalid_bundle",)


def test_terms_end_in_calendar_months() -> None:
    assert Term.fixed(1).end_date(date(2026, 1, 31)) == date(2026, 2, 28)
    assert Term.fixed(24).is_fixed
    assert not Term.until_further_notice().is_fixed
    assert codes_of(Term.fixed, 121) == ("catalog.invalid_term",)


def test_offering_prices_and_orderability() -> None:
    free = make(prices=())
    assert free.monthly_price is None
    assert free.one_time_price is None
    assert free.currency is None
    one_time = make(prices=(Price(PriceType.ONE_TIME, Money("99", "NOK")),))
    assert str(one_time.currency) == "NOK"
    window = make(valid_from=NOW, valid_until=NOW + timedelta(days=1))
    assert not window.is_orderable(NOW - timedelta(seconds=1))
    assert window.is_orderable(NOW)
    assert not window.is_orderable(NOW + timedelta(days=1))
    assert not make(lifecycle=LifecycleStatus.IN_DESIGN).is_orderable(NOW)


def test_a_catalog_refuses_duplicate_ids_and_answers_lookups() -> None:
    assert codes_of(Catalog, (make(), make())) == ("catalog.duplicate_offering",)
    catalog = Catalog((make(), make(id="other", group="else")))
    assert "other" in catalog
    assert "missing" not in catalog
    assert [o.id for o in catalog.in_group("else")] == ["other"]
    assert len(catalog.orderable(now=NOW)) == 2


# --------------------------------------------------------------------------- assets


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("040 123 4567", "FI", "+358401234567"),
        ("+358 50 765 4321", "FI", "+358507654321"),
        ("412 34 567", "NO", "+4741234567"),
        ("070-123 45 67", "SE", "+46701234567"),
    ],
)
def test_phone_numbers_are_stored_in_e164(text: str, region: str, expected: str) -> None:
    assert Asset.msisdn(text, region=region).value == expected


@pytest.mark.parametrize("text", ["", "abc", "09 123 4567", "+358", "1" * 50, "0800 12345"])
def test_non_mobile_or_invalid_numbers_are_refused(text: str) -> None:
    assert codes_of(Asset.msisdn, text) == ("asset.invalid_msisdn",)


def test_a_stored_msisdn_must_be_canonical() -> None:
    assert codes_of(Asset, AssetKind.MSISDN, "0401234567") == ("asset.invalid_msisdn",)
    assert codes_of(Asset, AssetKind.MSISDN, "+999123456") == ("asset.invalid_msisdn",)


@pytest.mark.parametrize(
    "iccid", ["8947080000000000007", "89358012345678901238", "89 46 0000 0000 0000 0006"]
)
def test_iccids_with_a_valid_luhn_digit_are_accepted(iccid: str) -> None:
    from stdnum import luhn  # noqa: PLC0415

    compact = iccid.replace(" ", "")
    if not luhn.is_valid(compact):  # build a valid one from the body
        compact = compact[:-1] + luhn.calc_check_digit(compact[:-1])
    assert Asset.iccid(compact).value == compact


@pytest.mark.parametrize(
    "iccid", ["8947080000000000008", "8847080000000000007", "89470800", "89" + "0" * 30, "x"]
)
def test_invalid_iccids_are_refused(iccid: str) -> None:
    assert codes_of(Asset.iccid, iccid) == ("asset.invalid_iccid",)


def test_metering_points_are_gsrn_with_a_gs1_check_digit() -> None:
    assert Asset.metering_point("735999000000000006").kind is AssetKind.METERING_POINT
    assert codes_of(Asset.metering_point, "735999000000000007") == ("asset.invalid_metering_point",)
    assert codes_of(Asset.metering_point, "12345") == ("asset.invalid_metering_point",)
    assert codes_of(Asset.metering_point, "9" * 100) == ("asset.invalid_metering_point",)


def test_wrong_types_are_type_errors() -> None:
    with pytest.raises(TypeError):
        Asset(AssetKind.ICCID, 8947080000000000007)  # type: ignore[arg-type]


def test_a_products_sim_must_be_an_iccid() -> None:
    assert codes_of(
        ProductInstance,
        id="p",
        offering_id="o",
        relationship_id="r",
        status=ProductStatus.ACTIVE,
        sim=Asset.msisdn("+4741234567"),
    ) == ("asset.invalid_iccid",)


@given(st.text(max_size=40))
def test_junk_into_asset_parsers_gives_only_our_error(text: str) -> None:
    for parse in (Asset.msisdn, Asset.iccid, Asset.metering_point):
        codes: tuple[str, ...] = ()
        try:
            parse(text)
        except SelfcareError as error:
            codes = error.codes
        assert all(code.startswith("asset.") for code in codes)


# --------------------------------------------------------------------------- lifecycles


def test_order_states_follow_tmf622() -> None:
    assert check_order_transition(OrderState.ACKNOWLEDGED, OrderState.IN_PROGRESS).allowed
    assert check_order_transition(OrderState.IN_PROGRESS, OrderState.COMPLETED).allowed
    assert not check_order_transition(OrderState.ACKNOWLEDGED, OrderState.COMPLETED).allowed
    assert not check_order_transition(OrderState.CANCELLED, OrderState.IN_PROGRESS).allowed
    assert OrderState.FAILED.is_final
    assert not OrderState.ACKNOWLEDGED.is_final


def test_product_statuses_follow_tmf637() -> None:
    assert check_product_transition(ProductStatus.CREATED, ProductStatus.PENDING_ACTIVE).allowed
    assert check_product_transition(ProductStatus.SUSPENDED, ProductStatus.ACTIVE).allowed
    denied = check_product_transition(ProductStatus.TERMINATED, ProductStatus.ACTIVE)
    assert denied.codes == ("inventory.invalid_transition",)
    assert not ProductStatus.TERMINATED.is_live


# --------------------------------------------------------------------------- sample catalog


def test_the_sample_catalog_holds_what_the_seeds_sell() -> None:
    catalog = sample_catalog()
    groups = {o.group for o in catalog.offerings}
    assert {
        "tv_channels",
        "mix_channels",
        "security",
        "mobile_plans",
        "mobile_addons",
        "sim_cards",
        "electricity",
        "district_heating",
    } <= groups
    addons = {o.names.get("en") for o in catalog.in_group("mobile_addons")}
    assert {
        "Extra Data 50 GB",
        "Extra Data 15 GB",
        "Extra Data 5 GB",
        "Extra Data 1 GB",
        "Cloud storage 50 GB",
        "Cloud storage 25 GB",
        "Cloud storage 10 GB",
        "Net protection",
        "Twin SIM",
        "Data card",
    } == addons
    plans = catalog.family("bedrift_total")
    assert plans[2].names.get("nb") == "Bedrift Total C (10 GB)"
    assert plans[-1].names.get("nb") == "Bedrift Total E (50 GB)"
    assert all(str(p.currency) == "NOK" for p in plans)
    assert str(catalog.find("district_heating").currency) == "SEK"  # type: ignore[union-attr]
    assert str(catalog.find("electricity_spot").currency) == "EUR"  # type: ignore[union-attr]


def test_the_sample_catalog_round_trips_and_loads_from_json() -> None:
    catalog = sample_catalog()
    assert load_catalog(json.dumps(unstructure(catalog))) == catalog


def test_a_broken_catalog_document_gives_our_errors() -> None:
    assert codes_of(load_catalog, "{not json") == ("serialization.invalid_value",)
    assert codes_of(load_catalog, '{"offerings": [{"id": "x"}]}')[0].startswith("serialization.")
    duplicate = json.dumps(unstructure(Catalog((make(),))))
    doubled = duplicate.replace("[{", "[{").replace("}]}", "}]}")
    data = json.loads(doubled)
    data["offerings"] *= 2
    assert codes_of(load_catalog, json.dumps(data)) == ("catalog.duplicate_offering",)


def test_quote_totals_are_per_currency() -> None:
    quote = OrderQuote(relationship_id="r", items=(), lines=(), quoted_at=NOW)  # type: ignore[arg-type]
    assert quote.monthly_totals() == {}
    assert quote.summary() == ()
    assert attrs.evolve(quote, quoted_at=NOW + timedelta(1)).quoted_at > NOW


@given(asset=__import__("selfcare.testing.strategies._catalog", fromlist=["assets"]).assets())
def test_canonical_asset_forms_are_idempotent(asset: Asset) -> None:
    parse = {
        AssetKind.MSISDN: Asset.msisdn,
        AssetKind.ICCID: Asset.iccid,
        AssetKind.METERING_POINT: Asset.metering_point,
    }[asset.kind]
    assert parse(asset.value) == asset
    assert parse(str(parse(asset.value))) == asset


@given(
    st.recursive(
        st.none() | st.booleans() | st.text(max_size=5) | st.integers(),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=10,
    )
)
def test_junk_catalog_documents_give_only_our_error(document: object) -> None:
    with pytest.raises(SelfcareError):
        load_catalog(json.dumps({"offerings": [document]}))
    outcome: object = None
    try:
        outcome = load_catalog(json.dumps(document))
    except SelfcareError as error:
        outcome = error.codes
    assert isinstance(outcome, Catalog | tuple)


@given(st.text(max_size=30))
def test_junk_text_into_load_catalog_gives_only_our_error(text: str) -> None:
    outcome: object = None
    try:
        outcome = load_catalog(text)
    except SelfcareError as error:
        outcome = error.codes
    assert isinstance(outcome, Catalog | tuple)
