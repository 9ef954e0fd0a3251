"""GSM 03.38 segment counting on known vectors, and the origin-bound code line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare.notifications import SmsEncoding, is_gsm7, origin_bound_line, sms_size
from selfcare.notifications.sms import GSM7_BASIC, GSM7_EXTENSION


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", SmsEncoding.GSM7, 0, 1),
        ("a" * 160, SmsEncoding.GSM7, 160, 1),
        ("a" * 161, SmsEncoding.GSM7, 161, 2),
        ("a" * 306, SmsEncoding.GSM7, 306, 2),
        ("a" * 307, SmsEncoding.GSM7, 307, 3),
        ("€", SmsEncoding.GSM7, 2, 1),
        ("[", SmsEncoding.GSM7, 2, 1),
        ("a" * 158 + "€", SmsEncoding.GSM7, 160, 1),
        ("a" * 159 + "€", SmsEncoding.GSM7, 161, 2),
        ("[" * 80, SmsEncoding.GSM7, 160, 1),
        # An escape and its character never straddle two segments: 152 + 2 > 153.
        ("a" * 152 + "€" + "a" * 152, SmsEncoding.GSM7, 306, 3),
        ("ä" * 160, SmsEncoding.GSM7, 160, 1),
        ("\r\n" * 80, SmsEncoding.GSM7, 160, 1),
        ("😀", SmsEncoding.UCS2, 2, 1),
        ("a" * 159 + "😀", SmsEncoding.UCS2, 161, 3),
        ("ж" * 70, SmsEncoding.UCS2, 70, 1),
        ("ж" * 71, SmsEncoding.UCS2, 71, 2),
        ("ж" * 134, SmsEncoding.UCS2, 134, 2),
        ("ж" * 135, SmsEncoding.UCS2, 135, 3),
        # A surrogate pair is not split either: 66 + 2 > 67.
        ("ж" * 66 + "😀" + "ж" * 66, SmsEncoding.UCS2, 134, 3),
        ("“quoted”", SmsEncoding.UCS2, 8, 1),
    ],
)
def test_known_vectors(text: str, encoding: SmsEncoding, units: int, segments: int) -> None:
    size = sms_size(text)
    assert (size.encoding, size.units, size.segments) == (encoding, units, segments)


def test_one_emoji_makes_the_whole_message_ucs2() -> None:
    assert sms_size("a" * 100).segments == 1
    assert sms_size("a" * 100 + "👍").encoding is SmsEncoding.UCS2
    assert sms_size("a" * 100 + "👍").segments == 2


def test_the_nordic_letters_are_in_the_basic_set() -> None:
    assert set("äöåæøÄÖÅÆØ") <= GSM7_BASIC
    assert is_gsm7("Hyvää päivää, Åsa Ærø Østby!")
    assert not is_gsm7("Õnne")  # Estonian õ is not in GSM 03.38
    assert not is_gsm7("Šárka")


def test_the_tables_have_their_standard_sizes() -> None:
    # 128 positions of the basic table less the escape; ten in the extension table.
    assert len(GSM7_BASIC) == 127
    assert "\x1b" not in GSM7_BASIC
    assert frozenset("\f^{}\\[~]|€") == GSM7_EXTENSION


@given(st.text(alphabet=sorted(GSM7_BASIC), max_size=500))
def test_basic_characters_cost_one_septet_each(text: str) -> None:
    size = sms_size(text)
    assert size.units == len(text)
    expected = 1 if len(text) <= 160 else -(-len(text) // 153)
    assert size.segments == expected


@given(st.text(max_size=400))
def test_segments_waste_at_most_one_unit_each(text: str) -> None:
    size = sms_size(text)
    single, room = {SmsEncoding.GSM7: (160, 153), SmsEncoding.UCS2: (70, 67)}[size.encoding]
    if size.units <= single:
        assert size.segments == 1
    else:
        assert -(-size.units // room) <= size.segments
        assert (size.segments - 1) * (room - 1) < size.units


def test_sms_size_takes_only_text() -> None:
    with pytest.raises(TypeError):
        sms_size(b"abc")  # type: ignore[arg-type]


def test_origin_bound_line_is_at_domain_hash_code() -> None:
    assert origin_bound_line("oma.energia.example", "004711") == "@oma.energia.example #004711"
    for domain, code in (("", "1"), ("a b", "1"), ("x.fi", "1 2"), ("x.fi", "#1"), ("@x", "1")):
        with pytest.raises(ValueError, match="one word"):
            origin_bound_line(domain, code)
