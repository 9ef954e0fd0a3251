"""The operator-keyed hash and sealed form of national identity codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare.core.errors import SelfcareError
from selfcare.identity.national_id import NationalId, parse_national_id
from selfcare.identity.national_id_at_rest import (
    SEALED_PREFIX,
    NationalIdKey,
    NationalIdKeyRing,
    SealedAt,
)
from selfcare.testing.strategies import _identity as sid

KEY = NationalIdKey(b"k" * 32)
OTHER = NationalIdKey(b"o" * 32)
HERE = SealedAt("identity_accounts", "account-1", "national_id")
TODAY = date(2026, 1, 1)


@given(sid.national_ids())
def test_sealed_code_comes_back_and_shows_no_digit_run(national_id: NationalId) -> None:
    sealed = KEY.seal(national_id, HERE)
    assert KEY.unseal(sealed, HERE) == national_id
    assert national_id.compact not in sealed
    assert national_id.compact[:6] not in sealed
    assert KEY.seal(national_id, HERE) == sealed  # deterministic


@given(sid.national_ids(), st.sampled_from(["table", "row", "field"]))
def test_a_seal_copied_to_another_row_table_or_field_does_not_unseal(
    national_id: NationalId, moved: str
) -> None:
    elsewhere = {
        "table": SealedAt("identity_registrations", "account-1", "national_id"),
        "row": SealedAt("identity_accounts", "account-2", "national_id"),
        "field": SealedAt("identity_accounts", "account-1", "claimed_national_id"),
    }[moved]
    with pytest.raises(SelfcareError) as caught:
        KEY.unseal(KEY.seal(national_id, HERE), elsewhere)
    assert caught.value.codes == ("national_id.sealed_invalid",)


def test_sealed_lengths_do_not_tell_the_country() -> None:
    codes = [
        parse_national_id("131052-308T", "FI", today=TODAY),
        parse_national_id("811228-9874", "SE", today=TODAY),
        parse_national_id("15108695088", "NO", today=TODAY),
        parse_national_id("211062-5629", "DK", today=TODAY),
    ]
    assert len({len(c.compact) for c in codes}) > 1
    assert len({len(KEY.seal(c, HERE)) for c in codes}) == 1


def test_a_seal_names_its_key_and_the_ring_unseals_with_that_key() -> None:
    old = NationalIdKey(b"k" * 32, key_id="2025")
    new = NationalIdKey(b"n" * 32, key_id="2026")
    national_id = parse_national_id("131052-308T", "FI", today=TODAY)
    sealed_before = old.seal(national_id, HERE)
    ring = NationalIdKeyRing(new, retired=[old], lookup=old)
    assert sealed_before.startswith(SEALED_PREFIX + "2025:")
    assert ring.unseal(sealed_before, HERE) == national_id
    assert not ring.is_current(sealed_before)
    sealed_now = ring.seal(national_id, HERE)
    assert sealed_now.startswith(SEALED_PREFIX + "2026:")
    assert ring.is_current(sealed_now)
    # the lookup hash stays with its own key, so stored hashes keep matching
    assert ring.lookup_hash(national_id) == old.lookup_hash(national_id)
    with pytest.raises(SelfcareError):
        NationalIdKeyRing(new).unseal(sealed_before, HERE)
    with pytest.raises(TypeError):
        NationalIdKeyRing(new, retired=[NationalIdKey(b"x" * 32, key_id="2026")])


def test_the_lookup_hash_is_the_one_of_0_1() -> None:
    # Hashes stored by 0.1 (the unique index of accounts) still match.
    national_id = parse_national_id("131052-308T", "FI", today=TODAY)
    lookup = hmac.new(b"k" * 32, b"selfcare/national-id/lookup", hashlib.sha256).digest()
    expected = hmac.new(lookup, b"FI:131052-308T", hashlib.sha256).hexdigest()
    assert KEY.lookup_hash(national_id) == expected


@given(sid.national_ids(), sid.national_ids())
def test_lookup_hash_is_equal_exactly_for_the_same_person(a: NationalId, b: NationalId) -> None:
    assert (KEY.lookup_hash(a) == KEY.lookup_hash(b)) == (a == b)
    assert a.compact not in KEY.lookup_hash(a)


@given(sid.national_ids())
def test_another_key_gives_another_hash_and_cannot_unseal(national_id: NationalId) -> None:
    assert KEY.lookup_hash(national_id) != OTHER.lookup_hash(national_id)
    with pytest.raises(SelfcareError) as caught:
        OTHER.unseal(KEY.seal(national_id, HERE), HERE)
    assert caught.value.codes == ("national_id.sealed_invalid",)


def _body(sealed: str) -> str:
    return sealed.rpartition(":")[2]


@given(sid.national_ids(), st.integers(min_value=0, max_value=200))
def test_an_altered_seal_is_refused(national_id: NationalId, position: int) -> None:
    sealed = KEY.seal(national_id, HERE)
    raw = bytearray(base64.urlsafe_b64decode(_body(sealed) + "=="))
    raw[position % len(raw)] ^= 1
    altered = sealed[: -len(_body(sealed))] + base64.urlsafe_b64encode(raw).decode().rstrip("=")
    with pytest.raises(SelfcareError):
        KEY.unseal(altered, HERE)


def test_a_seal_has_one_spelling_only() -> None:
    national_id = parse_national_id("131052-308T", "FI", today=TODAY)
    sealed = KEY.seal(national_id, HERE)
    body = _body(sealed)
    head = sealed[: -len(body)]
    raw = base64.urlsafe_b64decode(body + "==")
    spellings = [
        head + body + "==",  # padded
        head + base64.b64encode(raw).decode().rstrip("="),  # the standard alphabet
        head + " " + body,
        head + body + "\n",
        sealed.upper(),
    ]
    for spelling in spellings:
        if spelling == sealed:
            continue
        with pytest.raises(SelfcareError):
            KEY.unseal(spelling, HERE)


@given(st.text(max_size=300))
def test_junk_gives_only_the_typed_refusal(junk: str) -> None:
    with pytest.raises(SelfcareError) as caught:
        KEY.unseal(junk, HERE)
    assert caught.value.codes == ("national_id.sealed_invalid",)


@pytest.mark.parametrize(
    "junk",
    [
        SEALED_PREFIX,
        SEALED_PREFIX + "1:!!!",
        SEALED_PREFIX + "1:AAAA",
        SEALED_PREFIX + "1:ä",
        SEALED_PREFIX + "unknown:" + "A" * 64,
        "nid1:" + "A" * 64,  # the hand-made form of 0.1 development builds
    ],
)
def test_malformed_seals_are_refused(junk: str) -> None:
    with pytest.raises(SelfcareError):
        KEY.unseal(junk, HERE)


def test_a_short_key_or_a_bad_key_id_is_a_deployment_error() -> None:
    with pytest.raises(TypeError):
        NationalIdKey(b"short")
    with pytest.raises(TypeError):
        NationalIdKey("k" * 32)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        NationalIdKey(b"k" * 32, key_id="a:b")


def test_the_key_never_shows() -> None:
    key = NationalIdKey(b"secret-key-material-0123456789ab")
    assert "key-material" not in repr(key)
    assert "key-material" not in repr(NationalIdKeyRing(key))


# ---- the limits, each on both sides (issue 21)


def test_a_key_of_exactly_32_bytes_is_enough_and_31_is_not() -> None:
    hetu = parse_national_id("131052-308T", "FI", today=TODAY)
    assert NationalIdKey(bytearray(b"k" * 32)).lookup_hash(hetu) == KEY.lookup_hash(hetu)
    with pytest.raises(TypeError):
        NationalIdKey(b"k" * 31)


def test_key_ids_are_1_to_32_letters_digits_dashes_or_underscores() -> None:
    for key_id in ("1", "a" * 32, "key-2026_b"):
        assert NationalIdKey(b"k" * 32, key_id=key_id).key_id == key_id
    for key_id in ("", "a" * 33, "ä", 1):
        with pytest.raises(TypeError):
            NationalIdKey(b"k" * 32, key_id=key_id)  # type: ignore[arg-type]


def test_a_secret_of_1_to_2048_bytes_is_sealed_and_no_other() -> None:
    ring = NationalIdKeyRing(KEY)
    for secret in ("x", "x" * 2048, "ä" * 1024):
        assert ring.unseal_secret(KEY.seal_secret(secret, HERE), HERE) == secret
    for bad in ("", "x" * 2049, "ä" * 1024 + "x", None):
        with pytest.raises(TypeError):
            KEY.seal_secret(bad, HERE)  # type: ignore[arg-type]


def test_a_secret_of_any_length_comes_back() -> None:
    ring = NationalIdKeyRing(KEY)
    for length in range(1, 41):  # every remainder of the base64 text modulo 4 and 5
        secret = "s" * length
        assert ring.unseal_secret(KEY.seal_secret(secret, HERE), HERE) == secret


def _sealed_padding(padded: bytes) -> str:
    """A seal made with the right key of a padded value seal() would never write."""
    raw = KEY._siv.encrypt(padded, HERE.associated_data(KEY.key_id))
    return f"{SEALED_PREFIX}{KEY.key_id}:" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_a_seal_of_a_malformed_padded_value_is_refused_even_under_the_right_key() -> None:
    plain = b"FI:131052-308T"
    good = bytes([len(plain)]) + plain + bytes(32 - 1 - len(plain))
    assert KEY.unseal(_sealed_padding(good), HERE) == parse_national_id(
        "131052-308T", "FI", today=TODAY
    )
    for padded in (
        bytes(32),  # length 0
        bytes([32]) + plain + bytes(17),  # a length past the padded size
        good[: 1 + len(plain)] + b"\x01" + bytes(16),  # a byte right after the value
        good[:-1] + b"\x01",  # a byte at the very end
    ):
        with pytest.raises(SelfcareError) as caught:
            KEY.unseal(_sealed_padding(padded), HERE)
        assert caught.value.codes == ("national_id.sealed_invalid",)


@pytest.mark.parametrize(
    "plain",
    [b"F", b"XX:131052-308T", b"FI:131052-308U", b"FI:\xff\xfe"],
    ids=["no country", "unknown country", "bad code", "not ascii"],
)
def test_a_seal_of_anything_but_a_country_and_a_code_is_refused_as_sealed_invalid(
    plain: bytes,
) -> None:
    # Found by mutation testing: these raised ValueError or another code before.
    padded = bytes([len(plain)]) + plain + bytes(32 - 1 - len(plain))
    with pytest.raises(SelfcareError) as caught:
        KEY.unseal(_sealed_padding(padded), HERE)
    assert caught.value.codes == ("national_id.sealed_invalid",)
