"""Every length boundary of the four reference schemes, on both sides.

Each scheme has two ranges: the base a check digit is computed for, and the whole
reference that is validated. A range is pinned by its shortest and longest accepted
value and by the one character too few and too many, refused for the length alone with
the range as the violation's parameters.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from stdnum import luhn
from stdnum.iso7064 import mod_97_10

from selfcare import SelfcareError
from selfcare.billing.references import KidMethod, fi_reference, kid, ocr_reference, rf_reference


def refused(call: Callable[[], object]) -> SelfcareError:
    with pytest.raises(SelfcareError) as caught:
        call()
    return caught.value


def assert_length_refused(
    call: Callable[[], object], scheme: str, min_length: int, max_length: int
) -> None:
    error = refused(call)
    assert error.codes == ("reference.invalid_length",)
    assert error.violations[0].params == {
        "scheme": scheme,
        "min_length": min_length,
        "max_length": max_length,
    }


# --------------------------------------------------------------------------- Finnish


def test_a_finnish_base_is_3_to_19_digits() -> None:
    assert fi_reference.calc_check_digit("123") == "2"
    assert fi_reference.create("1" * 19) == "1" * 19 + "7"
    for base in ("12", "1" * 20):
        assert_length_refused(lambda b=base: fi_reference.create(b), "fi_reference", 3, 19)
        assert_length_refused(
            lambda b=base: fi_reference.calc_check_digit(b), "fi_reference", 3, 19
        )


def test_a_finnish_reference_is_4_to_20_digits() -> None:
    assert fi_reference.validate("1232") == "1232"
    assert fi_reference.validate("1" * 19 + "7") == "1" * 19 + "7"
    # Digits only, so the length is the one reason (the check digit is not looked at).
    for number in ("123", "1" * 21):
        assert_length_refused(lambda n=number: fi_reference.validate(n), "fi_reference", 4, 20)


# --------------------------------------------------------------------------- RF


def rf_with_valid_check_digits(base: str) -> str:
    return "RF" + mod_97_10.calc_check_digits(base + "RF") + base


def test_an_rf_base_is_1_to_21_letters_or_digits() -> None:
    assert rf_reference.create("1") == "RF741"
    assert rf_reference.create("A" * 21) == "RF47" + "A" * 21
    for base in ("1" * 22, "A" * 22):
        assert_length_refused(lambda b=base: rf_reference.create(b), "rf_creditor_reference", 1, 21)
        assert_length_refused(
            lambda b=base: rf_reference.calc_check_digits(b), "rf_creditor_reference", 1, 21
        )


def test_an_rf_reference_is_5_to_25_characters() -> None:
    assert rf_reference.validate("RF741") == "RF741"
    assert rf_reference.validate("RF47" + "A" * 21) == "RF47" + "A" * 21
    too_long = rf_with_valid_check_digits("1" * 22)
    assert len(too_long) == 26
    for number in ("RF74", too_long):
        assert_length_refused(
            lambda n=number: rf_reference.validate(n), "rf_creditor_reference", 5, 25
        )


def test_rf_check_digits_that_are_not_digits_are_named_only_once_the_form_is_right() -> None:
    # A text that is not an RF reference at all is refused for its prefix, not also for
    # what would be its check digits.
    assert refused(lambda: rf_reference.validate("XXAB1")).codes == ("reference.invalid_prefix",)
    assert refused(lambda: rf_reference.validate("RFAB1")).codes == (
        "reference.invalid_characters",
    )


# --------------------------------------------------------------------------- KID


def test_a_kid_base_is_1_to_24_digits() -> None:
    assert kid.create("1", KidMethod.MOD10) == "18"
    assert kid.create("1", KidMethod.MOD11) == "19"
    assert kid.create("1" * 24) == "1" * 24 + "4"
    for method in KidMethod:
        assert_length_refused(lambda m=method: kid.create("1" * 25, m), "kid", 1, 24)
        assert_length_refused(lambda m=method: kid.calc_check_digit("1" * 25, m), "kid", 1, 24)
    assert refused(lambda: kid.create("")).codes == ("reference.empty",)


def test_a_kid_is_2_to_25_digits() -> None:
    assert kid.validate("18") == "18"
    assert kid.validate("19", KidMethod.MOD11) == "19"
    assert kid.validate("1" * 24 + "4") == "1" * 24 + "4"
    for number in ("1", "1" * 26):
        assert_length_refused(lambda n=number: kid.validate(n), "kid", 2, 25)


def test_a_kid_dash_is_a_mod11_check_digit_accepted_when_no_method_is_agreed() -> None:
    assert kid.validate("104-", None) == "104-"
    assert kid.validate("104-", KidMethod.MOD11) == "104-"
    assert refused(lambda: kid.validate("104-", KidMethod.MOD10)).codes == (
        "reference.invalid_characters",
    )


# --------------------------------------------------------------------------- Swedish OCR


def test_an_ocr_base_is_1_to_24_digits_or_23_with_a_length_digit() -> None:
    assert ocr_reference.calc_check_digit("1") == "8"
    assert ocr_reference.create("1") == "18"
    assert ocr_reference.create("1", length_digit=True) == "133"
    assert ocr_reference.create("1" * 24) == "1" * 24 + luhn.calc_check_digit("1" * 24)
    assert ocr_reference.create("1" * 23, length_digit=True) == "1" * 23 + "55"
    assert_length_refused(lambda: ocr_reference.create("1" * 25), "ocr_reference", 1, 24)
    assert_length_refused(lambda: ocr_reference.calc_check_digit("1" * 25), "ocr_reference", 1, 24)
    assert_length_refused(
        lambda: ocr_reference.create("1" * 24, length_digit=True), "ocr_reference", 1, 23
    )
    assert refused(lambda: ocr_reference.create("")).codes == ("reference.empty",)


def test_an_ocr_reference_is_2_to_25_digits_or_3_with_a_length_digit() -> None:
    assert ocr_reference.validate("18") == "18"
    assert ocr_reference.validate("133", length_digit=True) == "133"
    longest = ocr_reference.create("1" * 24)
    assert ocr_reference.validate(longest) == longest
    longest_with_length = ocr_reference.create("1" * 23, length_digit=True)
    assert ocr_reference.validate(longest_with_length, length_digit=True) == longest_with_length
    too_long = "1" * 25 + luhn.calc_check_digit("1" * 25)
    assert_length_refused(lambda: ocr_reference.validate("1"), "ocr_reference", 2, 25)
    assert_length_refused(lambda: ocr_reference.validate(too_long), "ocr_reference", 2, 25)
    # "26" has a right Luhn digit and a right length digit (2), but is one digit short
    # of a base, a length digit and a check digit.
    assert luhn.is_valid("26")
    assert_length_refused(
        lambda: ocr_reference.validate("26", length_digit=True), "ocr_reference", 3, 25
    )


# --------------------------------------------------------------------------- input size


def test_input_up_to_64_characters_is_compacted_and_longer_input_refused_for_its_length() -> None:
    # 64 characters of which 58 are blanks: still read as the reference in them.
    padded = " " * 29 + "rf741" + " " * 30
    assert len(padded) == 64
    assert rf_reference.validate(padded) == "RF741"
    # One more blank and the input is longer than any reference could be written.
    assert "reference.invalid_length" in refused(lambda: rf_reference.validate(padded + " ")).codes


def test_a_huge_negative_integer_is_refused_for_its_sign_as_a_small_one_is() -> None:
    assert refused(lambda: fi_reference.validate(-1232)).codes == ("reference.invalid_characters",)
    assert set(refused(lambda: fi_reference.validate(-(10**70))).codes) == {
        "reference.invalid_characters",
        "reference.invalid_length",
    }


def test_compact_reads_at_most_65_characters_so_hostile_input_costs_nothing() -> None:
    # Up to 64 characters (or an integer of up to 64 digits) are compacted as they are;
    # anything longer is cut to 65 characters (a sign kept), still one too many for
    # every scheme, without converting a huge integer to text.
    assert fi_reference.compact(10**63) == "1" + "0" * 63
    assert fi_reference.compact("1" * 100) == "1" * 65
    assert fi_reference.compact(10**64) == "0" * 65
    assert fi_reference.compact(10**5000 + 7) == "0" * 64 + "7"
    assert fi_reference.compact(-(10**5000)) == "-" + "0" * 65


def test_each_of_the_two_rf_check_digits_must_be_a_digit() -> None:
    for number in ("RF1A5390", "RFA15390"):
        assert refused(lambda n=number: rf_reference.validate(n)).codes == (
            "reference.invalid_characters",
        )


def test_a_kid_dash_anywhere_but_last_is_refused() -> None:
    for number in ("12-4", "-234", "1-34"):
        assert refused(lambda n=number: kid.validate(n)).codes == ("reference.invalid_characters",)


def test_an_ocr_reference_has_no_length_digit_unless_asked() -> None:
    assert ocr_reference.is_valid("12344")
    assert not ocr_reference.is_valid("12344", length_digit=True)
    assert ocr_reference.format("12 344") == "12344"
