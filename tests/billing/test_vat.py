from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import Money, SelfcareError
from selfcare.billing import NORDIC_VAT, PriceBasis, VatCategory, VatRate, VatTable, split_vat
from selfcare.testing import strategies as sst
from selfcare.testing.strategies._billing import vat_percents


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


@pytest.mark.parametrize(
    ("country", "day", "category", "percent"),
    [
        ("FI", date(2013, 1, 1), VatCategory.STANDARD, "24"),
        ("FI", date(2024, 8, 31), VatCategory.STANDARD, "24"),
        ("FI", date(2024, 9, 1), VatCategory.STANDARD, "25.5"),
        ("fi", date(2026, 11, 25), VatCategory.STANDARD, "25.5"),
        ("FI", date(2025, 12, 31), VatCategory.FOOD, "14"),
        ("FI", date(2026, 1, 1), VatCategory.FOOD, "13.5"),
        ("SE", date(2024, 9, 1), VatCategory.STANDARD, "25"),
        ("SE", date(2026, 3, 31), VatCategory.FOOD, "12"),
        ("SE", date(2026, 4, 1), VatCategory.FOOD, "6"),
        ("SE", date(2027, 12, 31), VatCategory.FOOD, "6"),
        ("SE", date(2028, 1, 1), VatCategory.FOOD, "12"),
        ("NO", date(2026, 1, 1), VatCategory.STANDARD, "25"),
        ("NO", date(2026, 1, 1), VatCategory.FOOD, "15"),
        ("DK", date(2026, 1, 1), VatCategory.STANDARD, "25"),
        ("DK", date(2026, 1, 1), VatCategory.FOOD, "25"),
    ],
)
def test_the_rate_is_the_one_in_force_on_the_day_of_supply(
    country: str, day: date, category: VatCategory, percent: str
) -> None:
    assert NORDIC_VAT.rate_on(country, day, category).percent == Decimal(percent)


def test_no_rate_outside_the_table_and_bad_countries_are_refused() -> None:
    with pytest.raises(SelfcareError) as error:
        NORDIC_VAT.rate_on("FI", date(1994, 5, 31))
    assert error.value.codes == ("vat.no_rate",)
    assert error.value.violations[0].params == {
        "country": "FI",
        "category": "standard",
        "day": "1994-05-31",
    }
    with pytest.raises(SelfcareError) as error:
        NORDIC_VAT.rate_on("DE", date(2026, 1, 1))
    assert error.value.codes == ("vat.no_rate",)
    with pytest.raises(SelfcareError) as error:
        NORDIC_VAT.rate_on("FIN", date(2026, 1, 1))
    assert error.value.codes == ("vat.invalid_country",)
    with pytest.raises(TypeError):
        NORDIC_VAT.rate_on(None, date(2026, 1, 1))  # type: ignore[arg-type]


def test_rate_values_are_validated() -> None:
    with pytest.raises(SelfcareError) as error:
        VatRate(country="FI", category="standard", percent=100, valid_from=date(2026, 1, 1))
    assert error.value.codes == ("vat.invalid_rate",)
    with pytest.raises(SelfcareError) as error:
        VatRate(country="FI", category="standard", percent="x", valid_from=date(2026, 1, 1))
    assert error.value.codes == ("vat.invalid_rate",)
    with pytest.raises(TypeError):
        VatRate(country="FI", category="standard", percent=24.0, valid_from=date(2026, 1, 1))
    with pytest.raises(SelfcareError) as error:
        VatRate(
            country="FI",
            category="standard",
            percent=24,
            valid_from=date(2026, 1, 1),
            valid_to=date(2025, 12, 31),
        )
    assert error.value.codes == ("vat.invalid_validity",)


def test_overlapping_rates_are_refused() -> None:
    first = VatRate(country="SE", category="standard", percent=25, valid_from=date(2000, 1, 1))
    second = VatRate(country="SE", category="standard", percent=20, valid_from=date(2030, 1, 1))
    with pytest.raises(SelfcareError) as error:
        VatTable((first, second))
    assert error.value.codes == ("vat.overlapping_rates",)
    # with_rate closes the open-ended rate instead.
    table = VatTable((first,)).with_rate(second)
    assert table.rate_on("SE", date(2029, 12, 31)).percent == 25
    assert table.rate_on("SE", date(2030, 1, 1)).percent == 20
    assert table.changes_between("SE", date(2029, 12, 1), date(2030, 1, 31)) == (date(2030, 1, 1),)
    assert table.changes_between("SE", date(2030, 1, 1), date(2030, 1, 31)) == ()


def test_vat_of_a_gross_price_at_the_finnish_rates() -> None:
    before = split_vat(eur("12.40"), Decimal(24), PriceBasis.GROSS)
    assert (before.net, before.vat, before.gross) == (eur("10.00"), eur("2.40"), eur("12.40"))
    after = split_vat(eur("12.90"), Decimal("25.5"), PriceBasis.GROSS)
    assert (after.net, after.vat, after.gross) == (eur("10.28"), eur("2.62"), eur("12.90"))


def test_vat_of_a_net_price_rounds_half_up() -> None:
    amounts = split_vat(eur("10.00"), Decimal("25.5"), PriceBasis.NET)
    assert (amounts.net, amounts.vat, amounts.gross) == (eur("10.00"), eur("2.55"), eur("12.55"))
    # 0.02 * 25 % = 0.005 exactly: half-up gives one cent.
    assert split_vat(eur("0.02"), Decimal(25), PriceBasis.NET).vat == eur("0.01")
    assert split_vat(eur("-0.02"), Decimal(25), PriceBasis.NET).vat == eur("-0.01")


@given(sst.money(), vat_percents(), st.sampled_from(PriceBasis))
def test_net_plus_vat_is_gross_and_vat_matches_the_rate(
    amount: Money, percent: Decimal, basis: PriceBasis
) -> None:
    split = split_vat(amount, percent, basis)
    assert split.net + split.vat == split.gross
    quoted = split.gross if basis is PriceBasis.GROSS else split.net
    assert quoted == amount.rounded()
    # The VAT is the rounded exact VAT of the quoted figure ...
    divisor = 100 + percent if basis is PriceBasis.GROSS else Decimal(100)
    exact = quoted.amount * percent / divisor
    assert split.vat.amount == exact.quantize(Decimal("0.01"), ROUND_HALF_UP)
    # ... and within one cent of the net amount times the rate.
    assert abs(split.vat.amount - split.net.amount * percent / 100) <= Decimal("0.01")
