"""National identity codes: published vectors, one code per failure, invariants."""

from __future__ import annotations

import contextlib
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.no import fodselsnummer

from selfcare import SelfcareError, Violation
from selfcare.identity.national_id import Country, NationalId, parse_national_id
from selfcare.serialization import structure, unstructure
from selfcare.testing.strategies._identity import national_ids

TODAY = date(2026, 1, 1)
VECTORS: dict[str, list[dict[str, Any]]] = tomllib.loads(
    (Path(__file__).parent / "data" / "national_ids.toml").read_text(encoding="utf-8")
)
CASES = [
    (country.removesuffix("_D"), entry) for country, entries in VECTORS.items() for entry in entries
]


@pytest.mark.parametrize(("country", "entry"), CASES, ids=[e["code"] for _, e in CASES])
def test_published_codes_are_accepted_with_their_birth_date(
    country: str, entry: dict[str, Any]
) -> None:
    today = date(2100, 1, 1) if entry.get("future") else TODAY
    parsed = parse_national_id(entry["code"], country, today=today, allow_temporary=True)
    assert parsed.birth_date.isoformat() == entry["born"]
    assert parse_national_id(parsed.compact, country, today=today, allow_temporary=True) == parsed
    if entry.get("temporary"):
        with pytest.raises(SelfcareError) as caught:
            parse_national_id(entry["code"], country, today=today)
        assert caught.value.codes == ("national_id.temporary_not_allowed",)
    else:
        assert parse_national_id(entry["code"], country, today=today) == parsed
    if entry.get("future"):
        with pytest.raises(SelfcareError) as caught:
            parse_national_id(entry["code"], country, today=TODAY, allow_temporary=True)
        assert caught.value.codes == ("national_id.future_birth_date",)


def test_there_are_at_least_twelve_vectors_per_country() -> None:
    for country in ("FI", "SE", "NO", "DK"):
        assert len(VECTORS[country]) >= 8, country
    assert len(CASES) >= 60


def test_all_finnish_century_signs_of_a_century_are_one_person() -> None:
    codes = ["010594Y9021", "010594-9021", "010594X9021", "010594W9021", "010594V9021"]
    parsed = {parse_national_id(c, "FI", today=TODAY, allow_temporary=True) for c in codes}
    assert len(parsed) == 1
    (only,) = parsed
    assert only.compact == "010594-9021"
    twenty_first = {
        parse_national_id(f"010516{sign}902W", "FI", today=TODAY, allow_temporary=True)
        for sign in "ABCDEF"
    }
    assert {n.compact for n in twenty_first} == {"010516A902W"}


def test_swedish_short_and_long_forms_are_one_person() -> None:
    short = parse_national_id("811218-9876", "SE", today=TODAY)
    assert parse_national_id("19811218-9876", "SE", today=TODAY) == short
    assert parse_national_id("8112189876", "SE", today=TODAY) == short
    assert short.compact == "198112189876"


@pytest.mark.parametrize(
    "written", ["8803-20-0016", "880320-0016", "1988-03-20-0016", "19880320-0016", "8803200016"]
)
def test_swedish_hyphens_inside_the_date_parse_as_stdnum_does(written: str) -> None:
    from stdnum.se import personnummer  # noqa: PLC0415 - the reference we follow

    assert personnummer.is_valid(written)
    assert parse_national_id(written, "SE", today=TODAY).compact == "198803200016"


def test_swedish_plus_sign_means_a_hundred_years_more() -> None:
    assert parse_national_id("121212+1212", "SE", today=TODAY).birth_date == date(1912, 12, 12)
    # In 2012 a plain 12 means 2012; on 2011-12-31 it must mean 1912.
    assert parse_national_id("121212-1212", "SE", today=date(2011, 12, 31)).birth_date == date(
        1912, 12, 12
    )


def test_swedish_coordination_numbers_add_sixty_to_the_day() -> None:
    coordination = parse_national_id("701063-2391", "SE", today=TODAY)
    assert coordination.birth_date == date(1970, 10, 3)
    assert coordination.masked == "19701063-****"


def test_norwegian_d_numbers_and_help_numbers() -> None:
    assert parse_national_id("41018036140", "NO", today=TODAY).birth_date == date(1980, 1, 1)
    with pytest.raises(SelfcareError) as caught:
        parse_national_id("82314251342", "NO", today=TODAY)
    assert caught.value.codes == ("national_id.no_birth_date",)


def _with_check_digits(nine: str) -> str:
    first = fodselsnummer.calc_check_digit1(nine)
    return nine + first + fodselsnummer.calc_check_digit2(nine + first)


def test_norwegian_h_numbers_need_opt_in_and_synthetic_ones_can_be_refused() -> None:
    h_number = _with_check_digits("015080360")  # 1 October 1980, month + 40
    assert len(h_number) == 11
    with pytest.raises(SelfcareError) as caught:
        parse_national_id(h_number, "NO", today=TODAY)
    assert caught.value.codes == ("national_id.temporary_not_allowed",)
    assert parse_national_id(h_number, "NO", today=TODAY, allow_temporary=True).birth_date == (
        date(1980, 10, 1)
    )
    assert parse_national_id(h_number, "NO", today=TODAY, allow_temporary=True).is_temporary
    synthetic = _with_check_digits("018980360")  # month + 80 (Tenor)
    assert len(synthetic) == 11
    with pytest.raises(SelfcareError) as caught:
        parse_national_id(synthetic, "NO", today=TODAY, allow_synthetic=False)
    assert caught.value.codes == ("national_id.synthetic_not_allowed",)
    parsed = parse_national_id(synthetic, "NO", today=TODAY)
    assert parsed.birth_date == date(1980, 9, 1)
    assert parsed.is_synthetic
    assert not parsed.is_temporary


def test_temporary_codes_are_flagged() -> None:
    assert parse_national_id("131052-9993", "FI", today=TODAY, allow_temporary=True).is_temporary
    assert not parse_national_id("131052-308T", "FI", today=TODAY).is_temporary
    assert not parse_national_id("811218-9876", "SE", today=TODAY).is_temporary
    assert not parse_national_id("811218-9876", "SE", today=TODAY).is_synthetic
    assert parse_national_id("610170-1234", "DK", today=TODAY, allow_temporary=True).is_temporary


def test_norwegian_first_check_digit_of_2032_is_accepted() -> None:
    # Weighted remainder 1, 2 or 3 instead of 0: valid from 2032, to be accepted now.
    base = "100487457"
    weights = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
    accepted = []
    for k1 in "0123456789":
        remainder = sum(w * int(d) for w, d in zip(weights, base + k1, strict=True)) % 11
        k2 = fodselsnummer.calc_check_digit2(base + k1)
        if len(k2) == 1:
            try:
                parse_national_id(base + k1 + k2, "NO", today=TODAY)
            except SelfcareError:
                assert remainder > 3
            else:
                assert remainder <= 3
                accepted.append(k1)
    assert len(accepted) >= 2


def test_danish_replacement_numbers_are_temporary() -> None:
    with pytest.raises(SelfcareError) as caught:
        parse_national_id("610170-1234", "DK", today=TODAY)
    assert caught.value.codes == ("national_id.temporary_not_allowed",)
    replacement = parse_national_id("610170-1234", "DK", today=TODAY, allow_temporary=True)
    assert replacement.birth_date == date(1970, 1, 1)


@pytest.mark.parametrize(
    ("text", "country", "codes"),
    [
        ("131052-308U", "FI", ("national_id.invalid_checksum",)),
        ("310252-308Y", "FI", ("national_id.invalid_date",)),
        ("131052/308T", "FI", ("national_id.invalid_format",)),
        ("131052T308T", "FI", ("national_id.invalid_format",)),
        ("10101-0101", "FI", ("national_id.invalid_format",)),
        ("131052-000V", "FI", ("national_id.invalid_individual_number",)),
        ("131052-9993", "FI", ("national_id.temporary_not_allowed",)),
        ("", "FI", ("national_id.invalid_format",)),
        ("8899200425", "SE", ("national_id.invalid_date",)),
        ("811218-9875", "SE", ("national_id.invalid_checksum",)),
        ("aaaaaaaaaa", "SE", ("national_id.invalid_format",)),
        ("26111593817", "NO", ("national_id.invalid_checksum",)),
        ("42485176432123", "NO", ("national_id.invalid_format",)),
        ("a0gzaB30529", "NO", ("national_id.invalid_format",)),
        ("45014054018", "NO", ("national_id.invalid_date",)),
        ("511062-5629", "DK", ("national_id.invalid_date",)),
        ("21106256", "DK", ("national_id.invalid_format",)),
        ("131052-308T", "DE", ("national_id.unsupported_country",)),
        ("1" * 100, "FI", ("national_id.invalid_format",)),
    ],
)
def test_each_failure_has_its_own_code(text: str, country: str, codes: tuple[str, ...]) -> None:
    with pytest.raises(SelfcareError) as caught:
        parse_national_id(text, country, today=TODAY)
    assert caught.value.codes == codes
    assert all(set(v.params) <= {"country"} for v in caught.value.violations)


def test_future_birth_dates_are_refused_against_the_injected_today() -> None:
    with pytest.raises(SelfcareError) as caught:
        parse_national_id("131052A308T", "FI", today=date(2052, 10, 12))
    assert caught.value.codes == ("national_id.future_birth_date",)
    assert parse_national_id("131052A308T", "FI", today=date(2052, 10, 13))


def test_country_is_case_insensitive_and_may_be_the_enum() -> None:
    assert parse_national_id("131052-308T", " fi ", today=TODAY).country is Country.FI
    assert parse_national_id("131052-308T", Country.FI, today=TODAY).country is Country.FI


def test_age_on_a_day() -> None:
    hetu = parse_national_id("131052-308T", "FI", today=TODAY)
    assert hetu.age_on(date(2022, 10, 12)) == 69
    assert hetu.age_on(date(2022, 10, 13)) == 70
    leapling = parse_national_id("290200A902D", "FI", today=TODAY, allow_temporary=True)
    assert leapling.age_on(date(2018, 2, 28)) == 17
    assert leapling.age_on(date(2018, 3, 1)) == 18


def test_the_individual_part_is_never_shown() -> None:
    hetu = parse_national_id("131052-308T", "FI", today=TODAY)
    assert repr(hetu) == "NationalId(FI, '131052-****')"
    assert str(hetu) == "131052-****"
    for country, code in (("SE", "811218-9876"), ("NO", "15108695088"), ("DK", "2110625629")):
        shown = repr(parse_national_id(code, country, today=TODAY))
        assert code[-4:] not in shown


def test_wrong_types_are_type_errors() -> None:
    with pytest.raises(TypeError):
        parse_national_id(131052, "FI", today=TODAY)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        parse_national_id("131052-308T", "FI", today="2026-01-01")  # type: ignore[arg-type]


def test_stored_forms_are_checked_when_read_back() -> None:
    hetu = parse_national_id("131052-308T", "FI", today=TODAY)
    assert structure(unstructure(hetu), NationalId) == hetu
    assert unstructure(hetu) == {"country": "FI", "compact": "131052-308T"}
    for bad in ("131052Y308T", "131052-308U", "811218-9876"):
        with pytest.raises(SelfcareError):
            structure({"country": "FI", "compact": bad}, NationalId)
    with pytest.raises(SelfcareError):
        NationalId(country="SE", compact="811218-9876")


@given(national_ids())
def test_canonical_form_is_idempotent(national_id: NationalId) -> None:
    again = parse_national_id(
        national_id.compact,
        national_id.country,
        today=date(2100, 1, 1),
        allow_temporary=True,
        allow_synthetic=True,
    )
    assert again == national_id
    assert again.compact == national_id.compact


@given(national_ids(), st.sampled_from(["", " ", "\t", "\n ", "\u00a0"]), st.booleans())
def test_valid_codes_survive_whitespace_and_case(
    national_id: NationalId, pad: str, lower: bool
) -> None:
    text = pad + (national_id.compact.lower() if lower else national_id.compact) + pad
    again = parse_national_id(
        text,
        national_id.country,
        today=date(2100, 1, 1),
        allow_temporary=True,
        allow_synthetic=True,
    )
    assert again == national_id


@given(st.text(max_size=80), st.sampled_from(["FI", "SE", "NO", "DK", "XX"]))
def test_no_input_raises_anything_but_our_error(text: str, country: str) -> None:
    violations: tuple[Violation, ...] = ()
    try:
        parse_national_id(text, country, today=TODAY)
    except SelfcareError as error:
        violations = error.violations
    assert all(set(v.params) == {"country"} for v in violations)


@given(st.from_regex(r"[0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-Y]", fullmatch=True))
def test_finnish_shaped_junk_gives_only_our_error(text: str) -> None:
    with contextlib.suppress(SelfcareError):
        parse_national_id(text, "FI", today=TODAY)


def test_huge_and_odd_inputs() -> None:
    for text in ("\x00" * 11, "\ud800" * 11, "1" * 1_000_000, "١٣١٠٥٢-٣٠٨T"):
        with pytest.raises(SelfcareError):
            parse_national_id(text, "FI", today=TODAY)
