from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import iso11649, luhn

from selfcare import SelfcareError
from selfcare.billing import (
    KidMethod,
    create_fi_reference,
    create_kid,
    create_ocr_reference,
    create_rf_reference,
    format_fi_reference,
    format_rf_reference,
    validate_fi_reference,
    validate_kid,
    validate_ocr_reference,
    validate_rf_reference,
)

BASES = st.text(alphabet="0123456789", min_size=3, max_size=19)


def codes(error: pytest.ExceptionInfo[SelfcareError]) -> set[str]:
    return set(error.value.codes)


# Finnish references whose check digit is worked out by hand with the weights 7, 3, 1.
@pytest.mark.parametrize(
    ("base", "reference"),
    [
        ("123", "1232"),
        ("124", "1245"),
        ("12345", "123453"),
        ("123456", "1234561"),
        ("1000", "10003"),
        ("999", "9991"),
    ],
)
def test_finnish_reference_check_digit_uses_weights_7_3_1(base: str, reference: str) -> None:
    assert create_fi_reference(base) == reference
    assert validate_fi_reference(reference) == reference


def test_finnish_reference_is_printed_in_groups_of_five_from_the_right() -> None:
    assert format_fi_reference("1234561") == "12 34561"
    assert format_fi_reference("000 12344") == "12344"
    long = create_fi_reference("1234567890123")
    assert format_fi_reference(long) == f"1234 56789 0123{long[-1]}"


def test_finnish_reference_validation_names_each_failure() -> None:
    with pytest.raises(SelfcareError) as error:
        validate_fi_reference("1233")
    assert codes(error) == {"reference.invalid_check_digit"}
    with pytest.raises(SelfcareError) as error:
        validate_fi_reference("12a2")
    assert codes(error) == {"reference.invalid_characters"}
    with pytest.raises(SelfcareError) as error:
        validate_fi_reference("123")
    assert codes(error) == {"reference.invalid_length"}
    assert error.value.violations[0].params == {
        "scheme": "fi_reference",
        "min_length": 4,
        "max_length": 20,
    }
    with pytest.raises(SelfcareError) as error:
        validate_fi_reference("   ")
    assert codes(error) == {"reference.empty"}
    with pytest.raises(SelfcareError) as error:
        validate_fi_reference("1" * 21 + "x")
    assert codes(error) == {"reference.invalid_characters", "reference.invalid_length"}


def test_finnish_reference_base_must_be_3_to_19_digits() -> None:
    with pytest.raises(SelfcareError) as error:
        create_fi_reference("12")
    assert codes(error) == {"reference.invalid_length"}
    assert len(create_fi_reference("1" * 19)) == 20


@given(BASES)
def test_created_finnish_references_validate_and_any_single_digit_change_is_caught(
    base: str,
) -> None:
    reference = create_fi_reference(base)
    assert validate_fi_reference(reference) == reference
    last = reference[-1]
    wrong = reference[:-1] + str((int(last) + 1) % 10)
    with pytest.raises(SelfcareError):
        validate_fi_reference(wrong)


def test_rf_reference_matches_the_iso_11649_example() -> None:
    assert create_rf_reference("539007547034") == "RF18539007547034"
    assert validate_rf_reference("RF18 5390 0754 7034") == "RF18539007547034"
    assert format_rf_reference("rf18539007547034") == "RF18 5390 0754 7034"
    assert validate_rf_reference("RF18 5390 0754 70Y") == "RF185390075470Y"


@given(BASES)
def test_rf_reference_from_a_finnish_reference_is_valid_iso_11649(base: str) -> None:
    rf = create_rf_reference(create_fi_reference(base))
    assert iso11649.is_valid(rf)
    assert validate_rf_reference(rf) == rf
    assert rf.endswith(create_fi_reference(base))


def test_rf_reference_validation_names_each_failure() -> None:
    with pytest.raises(SelfcareError) as error:
        validate_rf_reference("RF17539007547034")
    assert codes(error) == {"reference.invalid_check_digit"}
    with pytest.raises(SelfcareError) as error:
        validate_rf_reference("XX18539007547034")
    assert codes(error) == {"reference.invalid_prefix"}
    with pytest.raises(SelfcareError) as error:
        validate_rf_reference("RF1")
    assert codes(error) == {"reference.invalid_length"}
    with pytest.raises(SelfcareError) as error:
        validate_rf_reference("RF18-5390")
    assert codes(error) == {"reference.invalid_characters"}
    with pytest.raises(SelfcareError) as error:
        validate_rf_reference("RFAB5390")
    assert codes(error) == {"reference.invalid_characters"}
    with pytest.raises(SelfcareError) as error:
        create_rf_reference("1" * 22)
    assert codes(error) == {"reference.invalid_length"}


# KID check digits worked out by hand: mod 11 weights 2..7 from the right; 10 is "-".
@pytest.mark.parametrize(
    ("base", "mod10", "mod11"),
    [
        ("123456", "1234566", "1234560"),
        ("1234", "12344", "12343"),
        ("123", "1230", "1236"),
        ("104", "1040", "104-"),
    ],
)
def test_kid_check_digits(base: str, mod10: str, mod11: str) -> None:
    assert create_kid(base, KidMethod.MOD10) == mod10
    assert create_kid(base, KidMethod.MOD11) == mod11
    assert validate_kid(mod10, KidMethod.MOD10) == mod10
    assert validate_kid(mod11, KidMethod.MOD11) == mod11
    assert validate_kid(mod10) == mod10
    assert validate_kid(mod11) == mod11


def test_kid_validation_names_each_failure() -> None:
    with pytest.raises(SelfcareError) as error:
        validate_kid("1234567", KidMethod.MOD10)
    assert codes(error) == {"reference.invalid_check_digit"}
    with pytest.raises(SelfcareError) as error:
        validate_kid("104-", KidMethod.MOD10)
    assert codes(error) == {"reference.invalid_characters"}
    with pytest.raises(SelfcareError) as error:
        validate_kid("1")
    assert codes(error) == {"reference.invalid_length"}
    with pytest.raises(SelfcareError) as error:
        validate_kid("1" * 26)
    assert codes(error) == {"reference.invalid_length"}
    with pytest.raises(SelfcareError) as error:
        validate_kid("1-34")
    assert codes(error) == {"reference.invalid_characters"}


@given(st.text(alphabet="0123456789", min_size=1, max_size=24))
def test_kid_mod10_agrees_with_luhn(base: str) -> None:
    kid = create_kid(base, KidMethod.MOD10)
    assert luhn.is_valid(kid)
    assert validate_kid(kid, "mod10") == kid  # type: ignore[arg-type]


@given(st.text(alphabet="0123456789", min_size=1, max_size=24))
def test_kid_mod11_weighted_sum_is_divisible_by_11(base: str) -> None:
    kid = create_kid(base, KidMethod.MOD11)
    check = 10 if kid[-1] == "-" else int(kid[-1])
    total = check + sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(base)))
    assert total % 11 == 0


def test_swedish_ocr_reference_with_and_without_length_digit() -> None:
    assert create_ocr_reference("1234") == "12344"
    assert create_ocr_reference("1234", length_digit=True) == "123463"
    assert validate_ocr_reference("123463", length_digit=True) == "123463"
    assert validate_ocr_reference("12 344") == "12344"
    # Ten digits or more: the length digit is the last digit of the length.
    ten = create_ocr_reference("12345678", length_digit=True)
    assert ten[-2] == "0"
    assert validate_ocr_reference(ten, length_digit=True) == ten


def test_swedish_ocr_validation_names_each_failure() -> None:
    with pytest.raises(SelfcareError) as error:
        validate_ocr_reference("12345")
    assert codes(error) == {"reference.invalid_check_digit"}
    with pytest.raises(SelfcareError) as error:
        validate_ocr_reference("12344", length_digit=True)
    assert codes(error) == {"reference.invalid_length_digit"}
    with pytest.raises(SelfcareError) as error:
        validate_ocr_reference("1235", length_digit=True)
    assert codes(error) == {"reference.invalid_length_digit", "reference.invalid_check_digit"}
    with pytest.raises(SelfcareError) as error:
        validate_ocr_reference("1")
    assert codes(error) == {"reference.invalid_length"}
    with pytest.raises(SelfcareError) as error:
        create_ocr_reference("1" * 24, length_digit=True)
    assert codes(error) == {"reference.invalid_length"}


@given(st.text(alphabet="0123456789", min_size=1, max_size=23), st.booleans())
def test_created_ocr_references_are_luhn_valid(base: str, length_digit: bool) -> None:
    ocr = create_ocr_reference(base, length_digit=length_digit)
    assert luhn.is_valid(ocr)
    assert validate_ocr_reference(ocr, length_digit=length_digit) == ocr


VALIDATORS = [validate_fi_reference, validate_rf_reference, validate_kid, validate_ocr_reference]
CREATORS = [create_fi_reference, create_rf_reference, create_kid, create_ocr_reference]


@pytest.mark.parametrize("parse", VALIDATORS + CREATORS)
@given(text=st.text(max_size=80) | st.just("\x00") | st.just("\ud800") | st.just("1" * 10_000))
def test_junk_gives_only_our_error(parse: object, text: str) -> None:
    with contextlib.suppress(SelfcareError):
        parse(text)  # type: ignore[operator]


def test_wrong_types_are_type_errors() -> None:
    with pytest.raises(TypeError):
        validate_fi_reference(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        create_kid(True)  # type: ignore[arg-type]
    assert create_fi_reference(12345) == "123453"


# The example of Finanssiala's structure guide for the international (RF) reference:
# national base 234823 -> 2348236 -> RF33 2348 236; and more published conversions.
@pytest.mark.parametrize(
    ("base", "national", "rf"),
    [
        ("234823", "2348236", "RF332348236"),
        ("201401291104131234", "2014012911041312349", "RF832014012911041312349"),
    ],
)
def test_finanssiala_examples(base: str, national: str, rf: str) -> None:
    assert create_fi_reference(base) == national
    assert create_rf_reference(national) == rf
    assert format_rf_reference(rf).replace(" ", "") == rf


def test_rf_examples_from_iso_11649_implementations() -> None:
    assert create_rf_reference("101") == "RF90101"
    assert create_rf_reference("123912") == "RF07123912"
    assert create_rf_reference("201401291104131234") == "RF75201401291104131234"
    assert create_rf_reference("KD89LOHDM7837744KI") == "RF19KD89LOHDM7837744KI"
    # Leading zeros of a numeric base do not change the check digits.
    assert validate_rf_reference("RF33 0000 2348 236") == "RF3300002348236"
