from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import Currency, Money, SelfcareError
from selfcare.testing import strategies as sst


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def test_arithmetic_within_one_currency() -> None:
    assert eur("12.90") + eur("0.10") == eur("13.00")
    assert eur("1") - eur("2.5") == eur("-1.5")
    assert -eur("1") == eur("-1")
    assert abs(eur("-1")) == eur("1")
    assert eur("12.90") * 3 == eur("38.70")
    assert 2 * eur("1.25") == eur("2.50")
    assert eur("10") * Decimal("0.255") == eur("2.550")
    assert eur("1") < eur("2") <= eur("2") < eur("3") > eur("0") >= eur("0")


def test_currencies_do_not_mix() -> None:
    with pytest.raises(SelfcareError) as info:
        eur("1") + Money("1", "SEK")
    assert info.value.codes == ("money.currency_mismatch",)
    with pytest.raises(SelfcareError):
        eur("1") < Money("1", "NOK")  # noqa: B015 - the comparison is the test


@pytest.mark.parametrize("amount", [1.5, True, None, [1]])
def test_floats_and_other_types_are_type_errors(amount: object) -> None:
    with pytest.raises(TypeError):
        Money(amount, "EUR")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        eur("1") * 1.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        eur("1") + 1  # type: ignore[operator]


@pytest.mark.parametrize("amount", ["abc", "NaN", "Infinity", "", "1e30", "9" * 100, "1,5"])
def test_bad_amounts_are_refused(amount: str) -> None:
    with pytest.raises(SelfcareError) as info:
        Money(amount, "EUR")
    assert info.value.codes == ("money.invalid_amount",)


@pytest.mark.parametrize("currency", ["USD", "", "eu", 978, None])
def test_unsupported_currencies_are_refused(currency: object) -> None:
    with pytest.raises(SelfcareError) as info:
        Money("1", currency)  # type: ignore[arg-type]
    assert info.value.codes == ("money.unsupported_currency",)


def test_currency_codes_are_case_insensitive() -> None:
    assert Money("1", " sek ").currency is Currency.SEK
    assert Money.zero("nok") == Money("0", Currency.NOK)
    assert Money.zero("EUR").is_zero


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("0.005", "0.01"), ("0.004", "0.00"), ("-0.005", "-0.01"), ("2.675", "2.68"), ("1", "1.00")],
)
def test_rounding_is_half_up_to_the_minor_unit(amount: str, expected: str) -> None:
    assert eur(amount).rounded().amount == Decimal(expected)
    assert str(eur(amount).rounded().amount) == expected


def test_allocation_gives_leftover_cents_to_the_largest_remainders() -> None:
    assert eur("10.00").allocate([1, 1, 1]) == (eur("3.34"), eur("3.33"), eur("3.33"))
    assert eur("0.05").allocate([3, 7]) == (eur("0.02"), eur("0.03"))
    assert eur("-10.00").allocate([1, 2]) == (eur("-3.33"), eur("-6.67"))


@pytest.mark.parametrize("weights", [[], [0, 0], [1, -1], [True]])
def test_allocation_refuses_meaningless_weights(weights: list[int]) -> None:
    with pytest.raises(SelfcareError) as info:
        eur("1").allocate(weights)
    assert info.value.codes == ("money.invalid_allocation",)


@given(
    sst.money(),
    st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12).filter(any),
)
def test_allocation_never_loses_a_cent(amount: Money, weights: list[int]) -> None:
    parts = amount.allocate(weights)
    assert sum((p.amount for p in parts), Decimal(0)) == amount.rounded().amount
    assert all(p.currency is amount.currency for p in parts)
    assert all(p == p.rounded() for p in parts)


@pytest.mark.parametrize(
    ("money", "lang", "expected"),
    [
        (eur("12.9"), "fi", "12,90\xa0€"),
        (eur("1234.5"), "en", "€1,234.50"),
        (Money("1234.5", "SEK"), "sv", "1\xa0234,50\xa0kr"),
        (Money("99", "NOK"), "nb", "99,00\xa0kr"),
        (eur("-0.005"), "fi", "-0,01\xa0€"),
    ],
)
def test_formatting_follows_cldr_for_each_language(money: Money, lang: str, expected: str) -> None:
    assert money.format(lang) == expected


def test_str_shows_amount_and_code() -> None:
    assert str(eur("12.90")) == "12.90 EUR"
