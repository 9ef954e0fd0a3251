"""The boundaries of the national identity code rules (issue 21): the century tables,
the individual-number ranges, the coordination and help-number offsets, and the
masked forms of every country, each pinned on both sides."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum import luhn
from stdnum.no import fodselsnummer

from selfcare import SelfcareError
from selfcare.identity.national_id import parse_national_id

TODAY = date(2026, 1, 1)
_FI_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def fi(ddmmyy: str, sign: str, individual: str) -> str:
    """A Finnish code with its check character."""
    return f"{ddmmyy}{sign}{individual}{_FI_CHECK[int(ddmmyy + individual) % 31]}"


def se(yymmdd: str, serial: str, sign: str = "-") -> str:
    """A Swedish short form with its Luhn check digit."""
    return f"{yymmdd}{sign}{serial}{luhn.calc_check_digit(yymmdd + serial)}"


def _check_digits(nine: str) -> str | None:
    first = fodselsnummer.calc_check_digit1(nine)
    code = nine + first + fodselsnummer.calc_check_digit2(nine + first)
    return code if len(code) == 11 and code.isdigit() else None


def no(ddmmyy: str, individual: str) -> str:
    """A Norwegian number with both check digits (the current rule)."""
    code = _check_digits(ddmmyy + individual)
    assert code is not None, "these digits have no check digit: pick others"
    return code


def no_individual(ddmmyy: str, individuals: range) -> str:
    """A Norwegian number of that date with the first individual number in
    ``individuals`` for which both check digits exist."""
    for individual in individuals:
        code = _check_digits(f"{ddmmyy}{individual:03d}")
        if code is not None:
            return code
    raise AssertionError(ddmmyy)  # pragma: no cover


def no_any_day(mmyy: str, individual: str) -> tuple[str, int]:
    """A Norwegian number of that month, year and individual number: the first day
    (1-28) for which both check digits exist, and that day."""
    for day in range(1, 29):
        code = _check_digits(f"{day:02d}{mmyy}{individual}")
        if code is not None:
            return code, day
    raise AssertionError(mmyy + individual)  # pragma: no cover


def _codes(text: str, country: str, **options: bool) -> tuple[str, ...]:
    with pytest.raises(SelfcareError) as caught:
        parse_national_id(text, country, today=TODAY, **options)
    return caught.value.codes


# ---- the masked forms (nothing of the individual part, every country)


@pytest.mark.parametrize(
    ("text", "country", "masked"),
    [
        (fi("131052", "-", "308"), "FI", "131052-****"),
        (fi("010105", "A", "123"), "FI", "010105A****"),
        ("811218-9876", "SE", "19811218-****"),
        (no("151086", "950"), "NO", "151086 *****"),
        ("2110625629", "DK", "211062-****"),
    ],
)
def test_the_masked_form_shows_the_birth_date_part_and_hides_every_digit_after_it(
    text: str, country: str, masked: str
) -> None:
    parsed = parse_national_id(text, country, today=TODAY, allow_temporary=True)
    assert parsed.masked == masked
    assert str(parsed) == masked
    assert repr(parsed) == f"NationalId({country}, {masked!r})"


# ---- Finland: individual numbers 002-899, 900-999 temporary


def test_finnish_individual_numbers_000_and_001_were_never_given_out() -> None:
    assert _codes(fi("131052", "-", "001"), "FI") == ("national_id.invalid_individual_number",)
    valid = fi("131052", "-", "002")
    assert parse_national_id(valid, "FI", today=TODAY).compact == valid


def test_finnish_temporary_codes_start_at_individual_number_900() -> None:
    assert not parse_national_id(fi("131052", "-", "899"), "FI", today=TODAY).is_temporary
    assert _codes(fi("131052", "-", "900"), "FI") == ("national_id.temporary_not_allowed",)
    temporary = parse_national_id(fi("131052", "-", "900"), "FI", today=TODAY, allow_temporary=True)
    assert temporary.is_temporary


def test_finnish_century_signs_give_their_century() -> None:
    assert parse_national_id(fi("010199", "+", "123"), "FI", today=TODAY).birth_date == date(
        1899, 1, 1
    )
    assert parse_national_id(fi("010199", "U", "123"), "FI", today=TODAY).birth_date == date(
        1999, 1, 1
    )
    assert parse_national_id(fi("010125", "F", "123"), "FI", today=TODAY).birth_date == date(
        2025, 1, 1
    )


# ---- Sweden: the century of a short form, coordination numbers


def test_a_swedish_short_form_of_the_current_two_digit_year_is_this_century() -> None:
    # Born on 1 January 2026 (yy 26 on 1 January 2026): this century, not 1926.
    assert parse_national_id(se("260101", "123"), "SE", today=TODAY).birth_date == date(2026, 1, 1)
    assert parse_national_id(se("270101", "123"), "SE", today=TODAY).birth_date == date(1927, 1, 1)
    assert parse_national_id(se("250101", "123"), "SE", today=TODAY).birth_date == date(2025, 1, 1)


def test_a_swedish_plus_sign_adds_a_hundred_years_in_every_century() -> None:
    assert parse_national_id(se("260101", "123", "+"), "SE", today=TODAY).birth_date == date(
        1926, 1, 1
    )
    assert parse_national_id(se("270101", "123", "+"), "SE", today=TODAY).birth_date == date(
        1827, 1, 1
    )


def test_a_swedish_coordination_number_is_the_day_plus_sixty() -> None:
    assert parse_national_id(se("701061", "239"), "SE", today=TODAY).birth_date == date(1970, 10, 1)
    assert parse_national_id(se("701031", "239"), "SE", today=TODAY).birth_date == date(
        1970, 10, 31
    )
    # Day 60: a coordination number without a known birth date carries none to check.
    assert _codes(se("701060", "239"), "SE") == ("national_id.invalid_date",)


def test_a_swedish_code_read_back_gives_the_coordination_birth_date() -> None:
    stored = parse_national_id(se("701091", "239"), "SE", today=TODAY)
    assert stored.compact == "19701091" + se("701091", "239")[-4:]
    assert stored.birth_date == date(1970, 10, 31)


# ---- Norway: the century table of Folkeregisteret, D- and H-numbers


@pytest.mark.parametrize(
    ("mmyy", "individual", "year"),
    [
        ("0199", "499", 1999),  # 000-499: 1900-1999
        ("0100", "000", 1900),
        ("0154", "500", 1854),  # 500-749 and yy >= 54: 1854-1899
        ("0154", "749", 1854),
        ("0139", "500", 2039),  # 500-999 and yy < 40: 2000-2039
        ("0139", "999", 2039),
        ("0140", "900", 1940),  # 900-999 and yy >= 40: 1940-1999
        ("0153", "749", None),  # 500-749 and 40 <= yy < 54: no century
        ("0154", "750", None),  # 750-899 and yy >= 40: no century
        ("0140", "899", None),
    ],
)
def test_the_norwegian_century_follows_the_individual_number_table(
    mmyy: str, individual: str, year: int | None
) -> None:
    code, day = no_any_day(mmyy, individual)
    if year is None:
        assert _codes(code, "NO") == ("national_id.invalid_date",)
    else:
        born = parse_national_id(code, "NO", today=date(2100, 1, 1)).birth_date
        assert born == date(year, 1, day)


def test_norwegian_d_numbers_add_forty_to_the_day_from_41() -> None:
    assert parse_national_id(no("410180", "361"), "NO", today=TODAY).birth_date == date(1980, 1, 1)
    # Day 40 is not a D-number (no month has 40 days): an invalid date; with a help
    # number's month it is an H-number, which needs the temporary opt-in.
    assert _codes(no("400180", "361"), "NO") == ("national_id.invalid_date",)
    assert _codes(no_individual("404180", range(100, 500)), "NO") == (
        "national_id.invalid_date",
        "national_id.temporary_not_allowed",
    )


def test_norwegian_h_numbers_add_forty_to_the_month_from_41() -> None:
    h_number = parse_national_id(no("014180", "362"), "NO", today=TODAY, allow_temporary=True)
    assert h_number.birth_date == date(1980, 1, 1)
    assert h_number.is_temporary
    assert _codes(no("014080", "362"), "NO") == ("national_id.invalid_date",)


def test_norwegian_synthetic_numbers_add_eighty_to_the_month_from_81() -> None:
    synthetic = parse_national_id(no("018180", "361"), "NO", today=TODAY)
    assert synthetic.birth_date == date(1980, 1, 1)
    assert synthetic.is_synthetic
    assert not synthetic.is_temporary
    # Month 80 is an H-number of month 40 (no such month), not a synthetic number.
    month_80 = no_individual("018080", range(100, 500))
    assert _codes(month_80, "NO", allow_temporary=True) == ("national_id.invalid_date",)
    assert _codes(month_80, "NO", allow_synthetic=False) == (
        "national_id.invalid_date",
        "national_id.temporary_not_allowed",
    )


def test_a_norwegian_d_number_of_a_help_number_month_stays_a_d_number() -> None:
    d_and_h = parse_national_id(no("414180", "361"), "NO", today=TODAY)
    assert d_and_h.birth_date == date(1980, 1, 1)
    assert not d_and_h.is_temporary


def test_norwegian_fh_numbers_start_with_8_or_9_and_carry_no_birth_date() -> None:
    assert _codes(no("810180", "361"), "NO") == ("national_id.no_birth_date",)
    assert _codes(no("910180", "361"), "NO") == ("national_id.no_birth_date",)


# ---- Denmark: the century table of CPR-kontoret, replacement numbers


@pytest.mark.parametrize(
    ("ddmmyy_seventh", "born"),
    [
        ("0101990", date(1999, 1, 1)),  # 0-3: 1900-1999
        ("0101003", date(1900, 1, 1)),
        ("0101374", date(1937, 1, 1)),  # 4 and 9: 1937-1999 ...
        ("0101364", date(2036, 1, 1)),  # ... 2000-2036
        ("0101379", date(1937, 1, 1)),
        ("0101369", date(2036, 1, 1)),
        ("0101585", date(1858, 1, 1)),  # 5-8: 1858-1899 ...
        ("0101575", date(2057, 1, 1)),  # ... 2000-2057
        ("0101588", date(1858, 1, 1)),
        ("0101578", date(2057, 1, 1)),
    ],
)
def test_the_danish_century_follows_the_seventh_digit_table(
    ddmmyy_seventh: str, born: date
) -> None:
    code = ddmmyy_seventh + "123"
    assert parse_national_id(code, "DK", today=date(2100, 1, 1)).birth_date == born


def test_danish_replacement_numbers_start_at_day_61() -> None:
    assert parse_national_id("6101701234", "DK", today=TODAY, allow_temporary=True).birth_date == (
        date(1970, 1, 1)
    )
    # Day 60 is neither a day nor a replacement number (that would be day 0).
    assert _codes("6001701234", "DK") == ("national_id.invalid_date",)
    assert not parse_national_id("3101701234", "DK", today=TODAY).is_temporary


# ---- input length: generous spacing is read up to 64 characters


def test_a_code_with_spacing_is_read_up_to_64_characters() -> None:
    spaced = "131052-308T".center(64)
    assert parse_national_id(spaced, "FI", today=TODAY).compact == "131052-308T"
    assert _codes("131052-308T".center(65), "FI") == ("national_id.invalid_format",)


# ---- the century rule in other years, future births, read-back forms


def test_a_swedish_short_form_takes_the_century_of_today_in_any_year() -> None:
    eve = date(1999, 12, 31)
    assert parse_national_id(se("991231", "123"), "SE", today=eve).birth_date == eve
    assert parse_national_id(se("000101", "123"), "SE", today=eve).birth_date == date(1900, 1, 1)


def test_a_swedish_29_february_needs_a_leap_year_of_the_century_it_is_read_in() -> None:
    assert parse_national_id(se("280229", "123"), "SE", today=TODAY).birth_date == date(1928, 2, 29)
    assert _codes(se("270229", "123"), "SE") == ("national_id.invalid_date",)  # 1927
    assert _codes(se("270229", "123", "+"), "SE") == ("national_id.invalid_date",)  # 1827


def test_a_birth_after_today_is_refused_in_every_country() -> None:
    serial = "123"
    swedish = "20300101" + serial + str(luhn.calc_check_digit("300101" + serial))
    norwegian = no_individual("010130", range(500, 1000))  # 500-999, yy < 40: 2030
    for code, country in (
        (fi("010130", "A", "123"), "FI"),
        (swedish, "SE"),
        (norwegian, "NO"),
        ("0101304123", "DK"),  # seventh digit 4, yy < 37: 2030
    ):
        assert _codes(code, country) == ("national_id.future_birth_date",), country
        assert parse_national_id(code, country, today=date(2030, 1, 1)).birth_date == date(
            2030, 1, 1
        )


def test_today_may_be_a_datetime_and_counts_as_its_calendar_day() -> None:
    from datetime import UTC, datetime  # noqa: PLC0415

    code = fi("010130", "A", "123")
    assert parse_national_id(code, "FI", today=datetime(2030, 1, 1, 0, 1, tzinfo=UTC))
    with pytest.raises(SelfcareError) as caught:
        parse_national_id(code, "FI", today=datetime(2029, 12, 31, 23, 59, tzinfo=UTC))
    assert caught.value.codes == ("national_id.future_birth_date",)


@pytest.mark.parametrize(
    ("country", "shown"),
    [
        ("DE", "DE"),
        ("GERMANY-1234", "GERMANY-"),
        ("ÅLAND", "?"),
        ("D\x00", "?"),
        (42, "?"),
    ],
)
def test_an_unsupported_country_is_echoed_only_as_short_printable_ascii(
    country: object, shown: str
) -> None:
    with pytest.raises(SelfcareError) as caught:
        parse_national_id("131052-308T", country, today=TODAY)  # type: ignore[arg-type]
    assert caught.value.codes == ("national_id.unsupported_country",)
    assert caught.value.violations[0].params == {"country": shown}


def test_stored_temporary_and_synthetic_codes_are_read_back() -> None:
    from selfcare.identity.national_id import NationalId  # noqa: PLC0415

    temporary = fi("131052", "-", "900")
    assert NationalId("FI", temporary).is_temporary
    synthetic = no("018180", "361")
    assert NationalId("NO", synthetic).is_synthetic


def test_is_temporary_and_is_synthetic_are_booleans_in_every_country() -> None:
    for code, country in (
        (fi("131052", "-", "308"), "FI"),
        ("811218-9876", "SE"),
        (no("151086", "950"), "NO"),
        ("2110625629", "DK"),
    ):
        parsed = parse_national_id(code, country, today=TODAY)
        assert parsed.is_temporary is False
        assert parsed.is_synthetic is False


def test_the_norwegian_first_check_digit_leaves_a_remainder_of_at_most_3_mod_11() -> None:
    weights = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
    decided = 0
    for nine in ("010180361", "151086950", "311299123", "290200512", "010140901"):
        for k1 in "0123456789":
            k2 = fodselsnummer.calc_check_digit2(nine + k1)
            if len(k2) != 1:
                continue
            remainder = sum(w * int(d) for w, d in zip(weights, nine + k1, strict=True)) % 11
            if remainder <= 3:
                assert parse_national_id(nine + k1 + k2, "NO", today=TODAY)
            else:
                assert _codes(nine + k1 + k2, "NO") == ("national_id.invalid_checksum",)
            decided += 1
    assert decided >= 30
