"""E-mail addresses and phone numbers: normalisation, limits and refusals."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import SelfcareError
from selfcare.identity.contact import EmailAddress, PhoneNumber, require_mobile
from selfcare.serialization import structure, unstructure
from selfcare.testing.strategies._identity import email_addresses


def test_email_is_stripped_and_its_domain_lower_cased() -> None:
    address = EmailAddress.parse("  Anna.Li@Example.FI\t")
    assert address.value == "Anna.Li@example.fi"
    assert str(address) == "Anna.Li@example.fi"
    assert address.canonical == "anna.li@example.fi"


def test_emails_compare_case_insensitively() -> None:
    assert EmailAddress.parse("ANNA.LI@EXAMPLE.FI") == EmailAddress.parse("anna.li@example.fi")
    assert len({EmailAddress.parse("A@b.fi"), EmailAddress.parse("a@B.FI")}) == 1


def test_email_round_trips_through_the_converter() -> None:
    address = EmailAddress.parse("Anna@Äänekoski.fi")
    assert structure(unstructure(address), EmailAddress) == address


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "email.empty"),
        ("   ", "email.empty"),
        ("anna.example.fi", "email.invalid_format"),
        ("anna..li@example.fi", "email.invalid_format"),
        (".anna@example.fi", "email.invalid_format"),
        ("anna li@example.fi", "email.invalid_format"),
        ("anna@localhost", "email.invalid_domain"),
        ("anna@[192.0.2.1]", "email.invalid_domain"),
        ("anna@-example.fi", "email.invalid_domain"),
        ("anna@example.fi.", "email.invalid_domain"),
        ("anna@192.0.2.1", "email.invalid_domain"),
        ("a" * 65 + "@example.fi", "email.too_long"),
        ("a" * 10 + "@" + ".".join(["b" * 60] * 4) + ".fi", "email.too_long"),
        ("a@" + ".".join(["b" * 60] * 5) + ".fi", "email.too_long"),
        ("a" * 2000, "email.too_long"),
    ],
)
def test_bad_emails_are_refused_with_their_code(text: str, code: str) -> None:
    with pytest.raises(SelfcareError) as caught:
        EmailAddress.parse(text)
    assert code in caught.value.codes


def test_phone_numbers_become_e164() -> None:
    assert PhoneNumber.parse("040 123 4567", "FI").e164 == "+358401234567"
    assert PhoneNumber.parse("070-123 45 67", "SE").e164 == "+46701234567"
    assert PhoneNumber.parse("412 34 567", "NO").e164 == "+4741234567"
    assert PhoneNumber.parse("20 12 34 56", "DK").e164 == "+4520123456"
    assert PhoneNumber.parse("00358 40 123 4567", "FI").e164 == "+358401234567"


def test_only_mobile_numbers_may_receive_a_code() -> None:
    assert require_mobile(PhoneNumber.parse("040 123 4567"))
    assert require_mobile(PhoneNumber.parse("09 1234 567")).codes == ("phone.not_mobile",)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "phone.empty"),
        ("040 ABC 4567", "phone.invalid_format"),
        ("040\x00123", "phone.invalid_format"),
        ("1" * 100, "phone.invalid_format"),
        ("040+1234567", "phone.invalid_format"),
        ("+", "phone.invalid_format"),
        ("040 12", "phone.invalid_number"),
    ],
)
def test_bad_phone_numbers_are_refused(text: str, code: str) -> None:
    with pytest.raises(SelfcareError) as caught:
        PhoneNumber.parse(text, "FI")
    assert caught.value.codes == (code,)


def test_phone_round_trips_and_refuses_tampered_data() -> None:
    number = PhoneNumber.parse("040 123 4567")
    assert structure(unstructure(number), PhoneNumber) == number
    with pytest.raises(SelfcareError):
        structure({"region": "SE", "e164": "+358401234567"}, PhoneNumber)
    with pytest.raises(SelfcareError):
        PhoneNumber(region="FI", e164="0401234567")


def test_unknown_region_is_refused() -> None:
    with pytest.raises(SelfcareError) as caught:
        PhoneNumber.parse("040 123 4567", "XX")
    assert caught.value.codes == ("phone.unsupported_region",)


def test_email_parts_and_strict_construction() -> None:
    address = EmailAddress.parse("Anna.Li@Äänekoski.fi")
    assert address.local_part == "Anna.Li"
    assert address.domain == "xn--nekoski-4waa.fi"
    assert EmailAddress(value="Anna.Li@example.fi").canonical == "anna.li@example.fi"
    with pytest.raises(SelfcareError):
        EmailAddress(value="Anna.Li@Example.FI")
    with pytest.raises(TypeError):
        EmailAddress(value=42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        EmailAddress.parse(None)  # type: ignore[arg-type]
    assert (address == "Anna.Li@xn--nekoski-4waa.fi") is False


@pytest.mark.parametrize("domain", ["\u0080x.fi", "a" * 70 + "ä.fi", "xn--zz.fi"])
def test_undecodable_international_domains_are_refused(domain: str) -> None:
    with pytest.raises(SelfcareError) as caught:
        EmailAddress.parse(f"anna@{domain}")
    assert caught.value.codes == ("email.invalid_domain",)


def test_phone_text_forms_and_types() -> None:
    number = PhoneNumber.parse("+358 40 123 4567", "fi")
    assert str(number) == "+358401234567"
    with pytest.raises(TypeError):
        PhoneNumber.parse(401234567)  # type: ignore[arg-type]
    with pytest.raises(SelfcareError) as caught:
        PhoneNumber.parse("040 123 4567", None)  # type: ignore[arg-type]
    assert caught.value.codes == ("phone.unsupported_region",)
    with pytest.raises(TypeError):
        PhoneNumber(region="FI", e164=358401234567)  # type: ignore[arg-type]


def test_numbers_libphonenumber_cannot_parse_are_badly_formed() -> None:
    with pytest.raises(SelfcareError) as caught:
        PhoneNumber.parse("+0", "FI")
    assert caught.value.codes in (("phone.invalid_format",), ("phone.invalid_number",))
    with pytest.raises(SelfcareError) as caught:
        PhoneNumber.parse("1", "FI")
    assert caught.value.codes in (("phone.invalid_format",), ("phone.invalid_number",))


@given(st.text(max_size=300))
def test_any_text_gives_an_address_or_our_error(text: str) -> None:
    try:
        address = EmailAddress.parse(text)
    except SelfcareError as error:
        shown = " ".join(str(dict(v.params)) for v in error.violations)
        echoed = len(text.strip()) >= 3 and text.strip() in shown
    else:
        echoed = False
        assert EmailAddress.parse(address.value) == address
        assert len(address.value.encode("utf-8")) <= 254
    assert not echoed


@given(st.text(max_size=80), st.sampled_from(["FI", "SE", "NO", "DK", "fi", "ZZ", ""]))
def test_any_text_gives_a_number_or_our_error(text: str, region: str) -> None:
    try:
        number = PhoneNumber.parse(text, region)
    except SelfcareError:
        return
    assert number.e164.startswith("+")
    assert PhoneNumber.parse(number.e164) == number


@given(email_addresses())
def test_normalised_addresses_are_fixed_points(address: EmailAddress) -> None:
    again = EmailAddress.parse(address.value)
    assert again.value == address.value
    assert EmailAddress.parse(address.value.upper()) == address


def test_huge_inputs_are_refused_quickly() -> None:
    with pytest.raises(SelfcareError):
        EmailAddress.parse("a@" + "b" * 1_000_000 + ".fi")
    with pytest.raises(SelfcareError):
        PhoneNumber.parse("4" * 1_000_000)


def test_decomposed_letters_are_composed() -> None:
    assert EmailAddress.parse("jose\u0301@example.fi").value == "jos\u00e9@example.fi"


# -- issue 15: no address matches another mailbox's -------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "o\ufb00ice@example.fi",  # LATIN SMALL LIGATURE FF
        "\uff41nna@example.fi",  # FULLWIDTH LATIN SMALL LETTER A
        "anna\u00b2@example.fi",  # SUPERSCRIPT TWO
        "anna@ex\ufb00.fi",  # a ligature in the domain, which IDNA 2003 would map to ff
        "\u2460anna@example.fi",  # CIRCLED DIGIT ONE
    ],
)
def test_compatibility_characters_are_refused(text: str) -> None:
    with pytest.raises(SelfcareError) as caught:
        EmailAddress.parse(text)
    assert caught.value.codes == ("email.compatibility_character",)
    with pytest.raises(SelfcareError):
        EmailAddress(text)  # nor read back from storage


def test_case_folding_never_joins_two_mailboxes() -> None:
    # Full case folding would make these equal; they are different mailboxes.
    assert EmailAddress.parse("stra\u00dfe@example.fi") != EmailAddress.parse("strasse@example.fi")
    assert EmailAddress.parse("\u03c3\u03b1\u03c2@example.gr") != EmailAddress.parse(
        "\u03c3\u03b1\u03c3@example.gr"
    )
    # A Cyrillic a is not a Latin a.
    assert EmailAddress.parse("\u0430nna@example.fi") != EmailAddress.parse("anna@example.fi")
    # Case still does not matter.
    assert EmailAddress.parse("\u00c4NNI@example.fi") == EmailAddress.parse("\u00e4nni@example.fi")


@given(st.text(max_size=40), st.text(max_size=40))
def test_equal_addresses_differ_only_by_case(left: str, right: str) -> None:
    try:
        a, b = EmailAddress.parse(f"{left}@example.fi"), EmailAddress.parse(f"{right}@example.fi")
    except SelfcareError:
        return
    assert unicodedata.normalize("NFKC", a.value) == a.value
    if a == b:
        assert a.value.lower() == b.value.lower()
        assert a.value.casefold() == b.value.casefold()


# ---- the length limits of RFC 5321, each on both sides (issue 21)


def _too_long(text: str) -> dict[str, object]:
    with pytest.raises(SelfcareError) as caught:
        EmailAddress.parse(text)
    assert caught.value.codes == ("email.too_long",)
    return dict(caught.value.violations[0].params)


def test_a_local_part_of_64_octets_is_accepted_and_65_refused() -> None:
    assert EmailAddress.parse("a" * 64 + "@example.fi")
    assert EmailAddress.parse("ä" * 32 + "@example.fi")  # 64 octets in UTF-8
    assert _too_long("a" * 65 + "@example.fi") == {"part": "local_part", "max_length": 64}
    assert _too_long("ä" * 32 + "b@example.fi") == {"part": "local_part", "max_length": 64}


def test_an_address_of_254_octets_is_accepted_and_255_refused() -> None:
    domain = ".".join(["b" * 60, "c" * 60, "d" * 60, "e" * 44]) + ".fi"  # 230 characters
    assert EmailAddress.parse("a" * 23 + "@" + domain).value.encode() == (
        ("a" * 23 + "@" + domain).encode()
    )
    assert len("a" * 23 + "@" + domain) == 254
    assert _too_long("a" * 24 + "@" + domain) == {"part": "address", "max_length": 254}


def test_a_domain_over_255_characters_is_named_as_the_part_too_long() -> None:
    labels = ["b" * 63, "c" * 63, "d" * 63]
    over = ".".join([*labels, "e" * 61, "fi"])
    assert len(over) == 256
    assert _too_long("a@" + over) == {"part": "domain", "max_length": 255}
    # Exactly 255: the domain is fine, the address (257 octets) is not.
    assert _too_long("a@" + ".".join([*labels, "e" * 60, "fi"])) == {
        "part": "address",
        "max_length": 254,
    }


def test_input_past_four_times_the_address_limit_is_refused_unread() -> None:
    with pytest.raises(SelfcareError) as caught:
        EmailAddress.parse("a" * 1016)  # read: there is no @
    assert caught.value.codes == ("email.invalid_format",)
    assert _too_long("a" * 1017) == {"part": "address", "max_length": 254}


def test_a_phone_number_written_in_up_to_64_characters_is_read() -> None:
    spaced = "040" + " " * 54 + "1234567"
    assert len(spaced) == 64
    assert PhoneNumber.parse(spaced).e164 == "+358401234567"
    with pytest.raises(SelfcareError) as caught:
        PhoneNumber.parse("040" + " " * 55 + "1234567")
    assert caught.value.codes == ("phone.invalid_format",)


def test_a_plus_is_allowed_only_as_the_first_character() -> None:
    assert PhoneNumber.parse("+358 40 123 4567").e164 == "+358401234567"
    assert PhoneNumber.parse("  +358 40 123 4567  ").e164 == "+358401234567"
    for text in ("0+40 123 4567", "++358 40 123 4567"):
        with pytest.raises(SelfcareError) as caught:
            PhoneNumber.parse(text)
        assert caught.value.codes == ("phone.invalid_format",)


def test_a_local_part_may_hold_non_ascii_letters_but_no_other_non_ascii_character() -> None:
    assert EmailAddress.parse("ännä.ødegård@example.fi").local_part == "ännä.ødegård"
    for text in ("anna€@example.fi", "anna§@example.fi", "anna\u2028@example.fi"):
        with pytest.raises(SelfcareError) as caught:
            EmailAddress.parse(text)
        assert caught.value.codes == ("email.invalid_format",), text


def test_a_phone_number_takes_decimal_digits_of_any_script_but_no_other_digit() -> None:
    assert PhoneNumber.parse("٠٤٠ ١٢٣ ٤٥٦٧").e164 == "+358401234567"  # Arabic-Indic
    # Superscripts are digits but not decimal; libphonenumber would skip a leading one.
    for text in ("²040 123 4567", "040 123 456⁷"):
        with pytest.raises(SelfcareError) as caught:
            PhoneNumber.parse(text)
        assert caught.value.codes == ("phone.invalid_format",), text
