from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import Money, SelfcareError
from selfcare.billing import NORDIC_VAT, PriceBasis, VatCategory, VatRate, VatTable, split_vat
from selfcare.billing.vat import vat_of
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


# --------------------------------------------------------------------------- edges


def rate(percent: object = 24, **changes: object) -> VatRate:
    fields: dict[str, object] = {
        "country": "FI",
        "category": "standard",
        "percent": percent,
        "valid_from": date(2026, 1, 1),
    }
    fields.update(changes)
    return VatRate(**fields)  # type: ignore[arg-type]


def test_a_rate_is_from_0_up_to_but_not_including_100_percent() -> None:
    assert rate(0).percent == 0
    assert rate("99.99").percent == Decimal("99.99")
    for bad in (-1, "-0.01", 100, "NaN", "Infinity", "x" * 40):
        with pytest.raises(SelfcareError) as error:
            rate(bad)
        assert error.value.codes == ("vat.invalid_rate",)
        assert error.value.violations[0].params == {"percent": str(bad)[:16]}
    with pytest.raises(TypeError):
        rate(True)


def test_a_country_is_two_ascii_letters_in_either_case_around_blanks() -> None:
    assert rate(country=" se ").country == "SE"
    for bad in ("F", "FIN", "F1", "ÅÄ", "", "X" * 40):
        with pytest.raises(SelfcareError) as error:
            rate(country=bad)
        assert error.value.codes == ("vat.invalid_country",)
        assert error.value.violations[0].params == {"country": bad[:16]}
    with pytest.raises(TypeError):
        rate(country=None)


def test_a_rate_may_be_valid_for_one_day() -> None:
    one_day = rate(valid_to=date(2026, 1, 1))
    assert one_day.applies_on(date(2026, 1, 1))
    assert not one_day.applies_on(date(2025, 12, 31))
    assert not one_day.applies_on(date(2026, 1, 2))


def test_consecutive_rates_do_not_overlap_but_sharing_a_day_does() -> None:
    first = rate(24, valid_from=date(2020, 1, 1), valid_to=date(2025, 12, 31))
    table = VatTable((rate(25, valid_from=date(2026, 1, 1)), first))
    assert table.rate_on("FI", date(2025, 12, 31)).percent == 24
    assert table.rate_on("FI", date(2026, 1, 1)).percent == 25
    shared_day = attrs.evolve(first, valid_to=date(2026, 1, 1))
    with pytest.raises(SelfcareError) as error:
        VatTable((shared_day, rate(25)))
    assert error.value.codes == ("vat.overlapping_rates",)
    assert error.value.violations[0].params == {"country": "FI", "category": "standard"}


def test_rates_of_other_categories_or_countries_never_overlap() -> None:
    table = VatTable((rate(24), rate(14, category="food"), rate(25, country="SE")))
    assert table.rate_on("FI", date(2026, 6, 1), VatCategory.FOOD).percent == 14
    assert table.rate_on("FI", date(2026, 6, 1), "standard").percent == 24  # type: ignore[arg-type]
    assert table.rate_on("SE", date(2026, 6, 1)).percent == 25
    with pytest.raises(SelfcareError) as error:
        table.rate_on("NO", date(2026, 6, 1))
    assert error.value.codes == ("vat.no_rate",)


def test_the_day_of_supply_is_a_date_not_a_datetime() -> None:
    from datetime import UTC, datetime  # noqa: PLC0415

    with pytest.raises(TypeError, match="a day of supply must be a date, not datetime"):
        NORDIC_VAT.rate_on("FI", datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(TypeError, match="a day of supply must be a date, not str"):
        NORDIC_VAT.rate_on("FI", "2026-01-01")  # type: ignore[arg-type]


def test_a_rate_change_on_the_last_day_asked_about_is_listed() -> None:
    table = VatTable((rate(24, valid_to=date(2026, 5, 31)), rate(25, valid_from=date(2026, 6, 1))))
    assert table.changes_between("FI", date(2026, 5, 1), date(2026, 6, 1)) == (date(2026, 6, 1),)
    assert table.changes_between("FI", date(2026, 5, 1), date(2026, 5, 31)) == ()
    # Only the category asked about.
    assert table.changes_between("FI", date(2026, 5, 1), date(2026, 6, 30), VatCategory.FOOD) == ()
    assert table.changes_between(" fi", date(2026, 5, 1), date(2026, 6, 30)) == (date(2026, 6, 1),)
    assert NORDIC_VAT.changes_between(
        "SE", date(2026, 1, 1), date(2028, 1, 1), VatCategory.FOOD
    ) == (
        date(2026, 4, 1),
        date(2028, 1, 1),
    )


def test_with_rate_closes_only_the_open_rate_of_the_same_country_and_category() -> None:
    food = rate(14, category="food")
    swedish = rate(25, country="SE")
    table = VatTable((rate(24), food, swedish)).with_rate(rate(25, valid_from=date(2027, 1, 1)))
    assert table.rate_on("FI", date(2026, 12, 31)).percent == 24
    assert table.rate_on("FI", date(2026, 12, 31)).valid_to == date(2026, 12, 31)
    assert table.rate_on("FI", date(2027, 1, 1)).percent == 25
    assert table.rate_on("FI", date(2027, 1, 1), VatCategory.FOOD) == food
    assert table.rate_on("SE", date(2027, 1, 1)) == swedish


def test_with_rate_refuses_a_rate_starting_on_the_same_day_as_the_open_one() -> None:
    with pytest.raises(SelfcareError) as error:
        VatTable((rate(24),)).with_rate(rate(25))
    assert error.value.codes == ("vat.overlapping_rates",)
    closed = rate(24, valid_to=date(2026, 12, 31))
    with pytest.raises(SelfcareError) as error:
        VatTable((closed,)).with_rate(rate(25, valid_from=date(2026, 6, 1)))
    assert error.value.codes == ("vat.overlapping_rates",)


def test_an_amount_is_rounded_to_the_cent_before_its_vat_is_taken() -> None:
    # 10.005 is quoted as 10.01; 25 % of it is 2.5025, so 2.50 VAT on 10.01.
    amounts = split_vat(eur("10.005"), Decimal(25), "net")  # type: ignore[arg-type]
    assert (amounts.net, amounts.vat, amounts.gross) == (eur("10.01"), eur("2.50"), eur("12.51"))
    assert amounts.percent == Decimal(25)
    with pytest.raises(TypeError):
        split_vat(Decimal(10), Decimal(25), PriceBasis.NET)  # type: ignore[arg-type]
    with pytest.raises(SelfcareError) as error:
        split_vat(eur("1"), Decimal(25), "both")  # type: ignore[arg-type]
    assert error.value.codes == ("billing.invalid_choice",)


def test_vat_of_takes_the_vat_out_of_a_gross_amount_and_adds_it_to_a_net_one() -> None:
    assert vat_of(eur("12.55"), Decimal("25.5"), PriceBasis.GROSS) == eur("2.55")
    assert vat_of(eur("10.00"), Decimal("25.5"), PriceBasis.NET) == eur("2.55")
    assert vat_of(eur("10.00"), Decimal(0), PriceBasis.GROSS) == eur("0.00")
    with pytest.raises(TypeError):
        vat_of("10.00", Decimal(25), PriceBasis.NET)  # type: ignore[arg-type]
    with pytest.raises(SelfcareError) as error:
        vat_of(eur("1"), Decimal(100), PriceBasis.NET)
    assert error.value.codes == ("vat.invalid_rate",)


# The default table as the tax authorities publish it (Vero, Skatteverket, Skatteetaten,
# Skattestyrelsen): each rate with its first and last day of supply.
PUBLISHED_RATES = [
    ("FI", "standard", "22", date(1994, 6, 1), date(2010, 6, 30)),
    ("FI", "standard", "23", date(2010, 7, 1), date(2012, 12, 31)),
    ("FI", "standard", "24", date(2013, 1, 1), date(2024, 8, 31)),
    ("FI", "standard", "25.5", date(2024, 9, 1), None),
    ("FI", "food", "13", date(2010, 7, 1), date(2012, 12, 31)),
    ("FI", "food", "14", date(2013, 1, 1), date(2025, 12, 31)),
    ("FI", "food", "13.5", date(2026, 1, 1), None),
    ("SE", "standard", "25", date(1990, 7, 1), None),
    ("SE", "food", "12", date(1996, 1, 1), date(2026, 3, 31)),
    ("SE", "food", "6", date(2026, 4, 1), date(2027, 12, 31)),
    ("SE", "food", "12", date(2028, 1, 1), None),
    ("NO", "standard", "25", date(2005, 1, 1), None),
    ("NO", "food", "15", date(2012, 1, 1), None),
    ("DK", "standard", "25", date(1992, 1, 1), None),
    ("DK", "food", "25", date(1992, 1, 1), None),
]


@pytest.mark.parametrize(
    ("country", "category", "percent", "first", "last"),
    PUBLISHED_RATES,
    ids=[f"{c}-{k}-{p}-{f}" for c, k, p, f, _ in PUBLISHED_RATES],
)
def test_the_default_table_holds_each_published_rate_from_its_first_to_its_last_day(
    country: str, category: str, percent: str, first: date, last: date | None
) -> None:
    kind = VatCategory(category)
    for day in (first, last) if last is not None else (first,):
        found = NORDIC_VAT.rate_on(country, day, kind)
        assert (found.percent, found.valid_from, found.valid_to) == (Decimal(percent), first, last)


def test_the_default_table_has_no_other_rates() -> None:
    assert len(NORDIC_VAT.rates) == len(PUBLISHED_RATES)
    with pytest.raises(SelfcareError) as error:
        NORDIC_VAT.rate_on("FI", date(2010, 6, 30), VatCategory.FOOD)
    assert error.value.codes == ("vat.no_rate",)
