from __future__ import annotations

import contextlib
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import iso11649, luhn

from selfcare import SelfcareError
from selfcare.billing.references import KidMethod, fi_reference, kid, ocr_reference, rf_reference

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
    assert fi_reference.create(base) == reference
    assert fi_reference.validate(reference) == reference


def test_finnish_reference_is_printed_in_groups_of_five_from_the_right() -> None:
    assert fi_reference.format("1234561") == "12 34561"
    assert fi_reference.format("000 12344") == "12344"
    long = fi_reference.create("1234567890123")
    assert fi_reference.format(long) == f"1234 56789 0123{long[-1]}"


def test_finnish_reference_validation_names_each_failure() -> None:
    with pytest.raises(SelfcareError) as error:
        fi_reference.validate("1233")
    assert codes(error) == {"reference.invalid_check_digit"}
    with pytest.raises(SelfcareError) as error:
        fi_reference.validate("12a2")
    assert codes(error) == {"reference.invalid_characters"}
    with pytest.raises(SelfcareError) as error:
        fi_reference.validate("123")
    assert codes(error) == {"reference.invalid_length"}
    assert error.value.violations[0].params == {
        "scheme": "fi_reference",
        "min_length": 4,
        "max_length": 20,
    }
    with pytest.raises(SelfcareError) as error:
        fi_reference.validate("   ")
    assert codes(error) == {"reference.empty"}
    with pytest.raises(SelfcareError) as error:
        fi_reference.validate("1" * 21 + "x")
    assert codes(error) == {"reference.invalid_characters", "reference.invalid_length"}


def test_finnish_reference_base_must_be_3_to_19_digits() -> None:
    with pytest.raises(SelfcareError) as error:
        fi_reference.create("12")
    assert codes(error) == {"reference.invalid_length"}
    assert len(fi_reference.create("1" * 19)) == 20


@given(BASES)
def test_created_finnish_references_validate_and_any_single_digit_change_is_caught(
    base: str,
) -> None:
    reference = fi_reference.create(base)
    assert fi_reference.validate(reference) == reference
    last = reference[-1]
    wrong = reference[:-1] + str((int(last) + 1) % 10)
    with pytest.raises(SelfcareError):
        fi_reference.validate(wrong)


def test_rf_reference_matches_the_iso_11649_example() -> None:
    assert rf_reference.create("539007547034") == "RF18539007547034"
    assert rf_reference.validate("RF18 5390 0754 7034") == "RF18539007547034"
    assert rf_reference.format("rf18539007547034") == "RF18 5390 0754 7034"
    assert rf_reference.validate("RF18 5390 0754 70Y") == "RF185390075470Y"


@given(BASES)
def test_rf_reference_from_a_finnish_reference_is_valid_iso_11649(base: str) -> None:
    rf = rf_reference.create(fi_reference.create(base))
    assert iso11649.is_valid(rf)
    assert rf_reference.validate(rf) == rf
    assert rf.endswith(fi_reference.create(base))


def test_rf_reference_validation_names_each_failure() -> None:
    with pytest.raises(SelfcareError) as error:
        rf_reference.validate("RF17539007547034")
    assert codes(error) == {"reference.invalid_check_digit"}
    with pytest.raises(SelfcareError) as error:
        rf_reference.validate("XX18539007547034")
    assert codes(error) == {"reference.invalid_prefix"}
    with pytest.raises(SelfcareError) as error:
        rf_reference.validate("RF1")
    assert codes(error) == {"reference.invalid_length"}
    with pytest.raises(SelfcareError) as error:
        rf_reference.validate("RF18-5390")
    assert codes(error) == {"reference.invalid_characters"}
    with pytest.raises(SelfcareError) as error:
        rf_reference.validate("RFAB5390")
    assert codes(error) == {"reference.invalid_characters"}
    with pytest.raises(SelfcareError) as error:
        rf_reference.create("1" * 22)
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
    assert kid.create(base, KidMethod.MOD10) == mod10
    assert kid.create(base, KidMethod.MOD11) == mod11
    assert kid.validate(mod10, KidMethod.MOD10) == mod10
    assert kid.validate(mod11, KidMethod.MOD11) == mod11
    assert kid.validate(mod10) == mod10
    assert kid.validate(mod11) == mod11


def test_kid_validation_names_each_failure() -> None:
    with pytest.raises(SelfcareError) as error:
        kid.validate("1234567", KidMethod.MOD10)
    assert codes(error) == {"reference.invalid_check_digit"}
    with pytest.raises(SelfcareError) as error:
        kid.validate("104-", KidMethod.MOD10)
    assert codes(error) == {"reference.invalid_characters"}
    with pytest.raises(SelfcareError) as error:
        kid.validate("1")
    assert codes(error) == {"reference.invalid_length"}
    with pytest.raises(SelfcareError) as error:
        kid.validate("1" * 26)
    assert codes(error) == {"reference.invalid_length"}
    with pytest.raises(SelfcareError) as error:
        kid.validate("1-34")
    assert codes(error) == {"reference.invalid_characters"}


@given(st.text(alphabet="0123456789", min_size=1, max_size=24))
def test_kid_mod10_agrees_with_luhn(base: str) -> None:
    created = kid.create(base, KidMethod.MOD10)
    assert luhn.is_valid(created)
    assert kid.validate(created, "mod10") == created  # type: ignore[arg-type]


@given(st.text(alphabet="0123456789", min_size=1, max_size=24))
def test_kid_mod11_weighted_sum_is_divisible_by_11(base: str) -> None:
    created = kid.create(base, KidMethod.MOD11)
    check = 10 if created[-1] == "-" else int(created[-1])
    total = check + sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(base)))
    assert total % 11 == 0


def test_swedish_ocr_reference_with_and_without_length_digit() -> None:
    assert ocr_reference.create("1234") == "12344"
    assert ocr_reference.create("1234", length_digit=True) == "123463"
    assert ocr_reference.validate("123463", length_digit=True) == "123463"
    assert ocr_reference.validate("12 344") == "12344"
    # Ten digits or more: the length digit is the last digit of the length.
    ten = ocr_reference.create("12345678", length_digit=True)
    assert ten[-2] == "0"
    assert ocr_reference.validate(ten, length_digit=True) == ten


def test_swedish_ocr_validation_names_each_failure() -> None:
    with pytest.raises(SelfcareError) as error:
        ocr_reference.validate("12345")
    assert codes(error) == {"reference.invalid_check_digit"}
    with pytest.raises(SelfcareError) as error:
        ocr_reference.validate("12344", length_digit=True)
    assert codes(error) == {"reference.invalid_length_digit"}
    with pytest.raises(SelfcareError) as error:
        ocr_reference.validate("1235", length_digit=True)
    assert codes(error) == {"reference.invalid_length_digit", "reference.invalid_check_digit"}
    with pytest.raises(SelfcareError) as error:
        ocr_reference.validate("1")
    assert codes(error) == {"reference.invalid_length"}
    with pytest.raises(SelfcareError) as error:
        ocr_reference.create("1" * 24, length_digit=True)
    assert codes(error) == {"reference.invalid_length"}


@given(st.text(alphabet="0123456789", min_size=1, max_size=23), st.booleans())
def test_created_ocr_references_are_luhn_valid(base: str, length_digit: bool) -> None:
    ocr = ocr_reference.create(base, length_digit=length_digit)
    assert luhn.is_valid(ocr)
    assert ocr_reference.validate(ocr, length_digit=length_digit) == ocr


VALIDATORS = [fi_reference.validate, rf_reference.validate, kid.validate, ocr_reference.validate]
CREATORS = [fi_reference.create, rf_reference.create, kid.create, ocr_reference.create]


@pytest.mark.parametrize("parse", VALIDATORS + CREATORS)
@given(text=st.text(max_size=80) | st.just("\x00") | st.just("\ud800") | st.just("1" * 10_000))
def test_junk_gives_only_our_error(parse: object, text: str) -> None:
    with contextlib.suppress(SelfcareError):
        parse(text)  # type: ignore[operator]


def test_wrong_types_are_type_errors() -> None:
    with pytest.raises(TypeError):
        fi_reference.validate(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        kid.create(True)  # type: ignore[arg-type]
    assert fi_reference.create(12345) == "123453"


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
    assert fi_reference.create(base) == national
    assert rf_reference.create(national) == rf
    assert rf_reference.format(rf).replace(" ", "") == rf


def test_rf_examples_from_iso_11649_implementations() -> None:
    assert rf_reference.create("101") == "RF90101"
    assert rf_reference.create("123912") == "RF07123912"
    assert rf_reference.create("201401291104131234") == "RF75201401291104131234"
    assert rf_reference.create("KD89LOHDM7837744KI") == "RF19KD89LOHDM7837744KI"
    # Leading zeros of a numeric base do not change the check digits.
    assert rf_reference.validate("RF33 0000 2348 236") == "RF3300002348236"


SCHEMES = [fi_reference, rf_reference, kid, ocr_reference]


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_scheme_has_python_stdnums_verbs(scheme: object) -> None:
    verbs = {"compact", "validate", "is_valid", "format", "create"}
    assert verbs <= set(scheme.__all__)  # type: ignore[attr-defined]
    assert {"calc_check_digit", "calc_check_digits"} & set(scheme.__all__)  # type: ignore[attr-defined]


def test_is_valid_answers_without_raising() -> None:
    assert fi_reference.is_valid("1 23453")
    assert not fi_reference.is_valid("123454")
    assert rf_reference.is_valid("RF18 5390 0754 7034")
    assert not rf_reference.is_valid("XX18539007547034")
    assert kid.is_valid("104-")
    assert not kid.is_valid("104-", KidMethod.MOD10)
    assert ocr_reference.is_valid("123463", length_digit=True)
    assert not ocr_reference.is_valid("12344", length_digit=True)


def test_calc_check_digit_is_the_digit_create_appends() -> None:
    assert fi_reference.calc_check_digit("12345") == "3"
    assert rf_reference.calc_check_digits("539007547034") == "18"
    assert kid.calc_check_digit("104", KidMethod.MOD11) == "-"
    assert kid.calc_check_digit("123456") == "6"
    assert ocr_reference.calc_check_digit("1234") == "4"
    with pytest.raises(SelfcareError) as error:
        fi_reference.calc_check_digit("12")
    assert codes(error) == {"reference.invalid_length"}


def test_kid_and_ocr_are_printed_as_one_group() -> None:
    assert kid.format("12 34566") == "1234566"
    assert ocr_reference.format("12 344") == "12344"
    with pytest.raises(SelfcareError) as error:
        kid.format("1234567", KidMethod.MOD10)
    assert codes(error) == {"reference.invalid_check_digit"}


def test_compact_removes_white_space_only() -> None:
    assert fi_reference.compact(" 12 3453 ") == "123453"
    assert rf_reference.compact("rf18 5390") == "RF185390"
    assert kid.compact(1234566) == "1234566"
    assert ocr_reference.compact("12-344") == "12-344"


@pytest.mark.parametrize("module", [fi_reference, rf_reference, ocr_reference, kid])
@pytest.mark.parametrize(
    "number", [10**5000, -(10**5000), 10**65], ids=["5001 digits", "negative", "66 digits"]
)
def test_a_huge_integer_is_refused_for_its_length(module: ModuleType, number: int) -> None:
    # Python refuses to turn an int of over 4300 digits into a str (ValueError); the
    # length is checked before converting.
    with pytest.raises(SelfcareError) as caught:
        module.validate(number)
    assert "reference.invalid_length" in caught.value.codes
    assert module.is_valid(number) is False
    with pytest.raises(SelfcareError) as caught:
        module.create(number)
    assert "reference.invalid_length" in caught.value.codes
