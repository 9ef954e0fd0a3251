"""The operator-keyed hash and sealed form of national identity codes."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare.core.errors import SelfcareError
from selfcare.identity.national_id import NationalId
from selfcare.identity.national_id_at_rest import SEALED_PREFIX, NationalIdKey
from selfcare.testing.strategies import _identity as sid

KEY = NationalIdKey(b"k" * 32)
OTHER = NationalIdKey(b"o" * 32)


@given(sid.national_ids())
def test_sealed_code_comes_back_and_shows_no_digit_run(national_id: NationalId) -> None:
    sealed = KEY.seal(national_id)
    assert KEY.unseal(sealed) == national_id
    assert national_id.compact not in sealed
    assert national_id.compact[:6] not in sealed
    assert KEY.seal(national_id) == sealed  # deterministic


@given(sid.national_ids(), sid.national_ids())
def test_lookup_hash_is_equal_exactly_for_the_same_person(a: NationalId, b: NationalId) -> None:
    assert (KEY.lookup_hash(a) == KEY.lookup_hash(b)) == (a == b)
    assert a.compact not in KEY.lookup_hash(a)


@given(sid.national_ids())
def test_another_key_gives_another_hash_and_cannot_unseal(national_id: NationalId) -> None:
    assert KEY.lookup_hash(national_id) != OTHER.lookup_hash(national_id)
    with pytest.raises(SelfcareError) as caught:
        OTHER.unseal(KEY.seal(national_id))
    assert caught.value.codes == ("national_id.sealed_invalid",)


@given(sid.national_ids(), st.integers(min_value=0, max_value=200))
def test_an_altered_seal_is_refused(national_id: NationalId, position: int) -> None:
    sealed = KEY.seal(national_id)
    raw = bytearray(base64.urlsafe_b64decode(sealed[len(SEALED_PREFIX) :]))
    raw[position % len(raw)] ^= 1
    altered = SEALED_PREFIX + base64.urlsafe_b64encode(bytes(raw)).decode()
    with pytest.raises(SelfcareError):
        KEY.unseal(altered)


@given(st.text(max_size=300))
def test_junk_gives_only_the_typed_refusal(junk: str) -> None:
    with pytest.raises(SelfcareError) as caught:
        KEY.unseal(junk)
    assert caught.value.codes == ("national_id.sealed_invalid",)


@pytest.mark.parametrize(
    "junk", [SEALED_PREFIX, SEALED_PREFIX + "!!!", SEALED_PREFIX + "AAAA", SEALED_PREFIX + "ä"]
)
def test_malformed_seals_are_refused(junk: str) -> None:
    with pytest.raises(SelfcareError):
        KEY.unseal(junk)


def test_a_short_key_is_a_deployment_error() -> None:
    with pytest.raises(TypeError):
        NationalIdKey(b"short")
    with pytest.raises(TypeError):
        NationalIdKey("k" * 32)  # type: ignore[arg-type]


def test_the_key_never_shows() -> None:
    key = NationalIdKey(b"secret-key-material-0123456789ab")
    assert "key-material" not in repr(key)
