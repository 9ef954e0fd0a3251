"""The default password hasher: scrypt, per-password salt, self-describing, upgradable."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfcare import SelfcareError, Violation
from selfcare.identity.hashing import ScryptHasher
from selfcare.identity.ports import PasswordHasher

CHEAP = ScryptHasher(n=2**4)


def test_default_parameters_are_owasps() -> None:
    hasher = ScryptHasher()
    assert (hasher.n, hasher.r, hasher.p) == (2**17, 8, 1)
    assert repr(hasher) == "ScryptHasher(n=131072, r=8, p=1)"


def test_the_owasp_parameters_actually_run() -> None:
    # 128 MiB of memory: hashlib's default maxmem (32 MiB) would refuse it.
    hasher = ScryptHasher()
    encoded = hasher.hash("Kuusi7Sorsaa")
    assert encoded.startswith("scrypt$n=131072,r=8,p=1$")
    assert hasher.verify("Kuusi7Sorsaa", encoded)


def test_is_a_password_hasher() -> None:
    assert isinstance(CHEAP, PasswordHasher)


def test_each_hash_has_its_own_salt() -> None:
    first, second = CHEAP.hash("same password"), CHEAP.hash("same password")
    assert first != second
    assert first.split("$")[2] != second.split("$")[2]
    assert len(base64.b64decode(first.split("$")[2] + "==")) == 16


def test_hash_string_names_its_parameters() -> None:
    prefix, params, salt, key = ScryptHasher(n=2**5, r=4, p=2).hash("x").split("$")
    assert (prefix, params) == ("scrypt", "n=32,r=4,p=2")
    assert salt
    assert key


def test_a_hash_made_with_other_parameters_still_verifies() -> None:
    old = ScryptHasher(n=2**4).hash("Kuusi7Sorsaa")
    new = ScryptHasher(n=2**6)
    assert new.verify("Kuusi7Sorsaa", old)
    assert new.needs_rehash(old)
    assert not new.needs_rehash(new.hash("Kuusi7Sorsaa"))


@pytest.mark.parametrize(
    "other",
    [
        ScryptHasher(n=2**5),
        ScryptHasher(n=2**4, r=16),
        ScryptHasher(n=2**4, p=2),
        ScryptHasher(n=2**4, salt_bytes=32),
        ScryptHasher(n=2**4, key_bytes=64),
    ],
)
def test_any_stronger_parameter_needs_a_rehash(other: ScryptHasher) -> None:
    assert other.needs_rehash(CHEAP.hash("x"))
    assert not other.exceeds_current(CHEAP.hash("x"))


@pytest.mark.parametrize(
    "weaker",
    [
        ScryptHasher(n=2**3),
        ScryptHasher(n=2**4, r=4),
        ScryptHasher(n=2**4, salt_bytes=16, key_bytes=16),
    ],
)
def test_a_stronger_stored_hash_is_never_downgraded(weaker: ScryptHasher) -> None:
    stored = ScryptHasher(n=2**4, key_bytes=32).hash("x")
    assert not weaker.needs_rehash(stored)
    assert weaker.exceeds_current(stored)
    assert not CHEAP.exceeds_current(CHEAP.hash("x"))
    assert not CHEAP.exceeds_current("garbage")


@pytest.mark.parametrize(
    "params",
    ["n=1048576,r=32,p=1", "n=1048576,r=8,p=1", "n=524288,r=8,p=1", "n=16,r=8,p=17"],
)
def test_hash_strings_naming_more_than_the_memory_cap_never_verify(params: str) -> None:
    crafted = f"scrypt${params}$c2FsdHNhbHRzYWx0c2FsdA${'A' * 43}"
    assert CHEAP.verify("x", crafted) is False
    assert CHEAP.needs_rehash(crafted)


def test_the_cap_admits_twice_owasps_memory_and_no_more() -> None:
    assert ScryptHasher(n=2**18, r=8).n == 2**18
    with pytest.raises(SelfcareError) as info:
        ScryptHasher(n=2**20, r=8)
    assert info.value.violations == (Violation("config.invalid_setting", {"setting": "memory"}),)


@pytest.mark.parametrize(
    "encoded",
    [
        "",
        "plain",
        "bcrypt$n=16,r=8,p=1$c2FsdA$a2V5",
        "scrypt$n=16,r=8$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5",
        "scrypt$n=15,r=8,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5",
        "scrypt$n=16,r=8,p=1$!!!$a2V5a2V5a2V5a2V5a2V5",
        "scrypt$n=16,r=8,p=1$c2FsdHNhbHQ$a2V5",
        "scrypt$n=16,r=8,p=1$c2E$a2V5a2V5a2V5a2V5a2V5",
        "scrypt$n=2097152,r=8,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5",
        "scrypt$n=16,r=99,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5",
        "scrypt$n=١٦,r=8,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5",
        "scrypt$n=x,r=8,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5",
        "scrypt$n16,r=8,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5",
        "scrypt$" + "A" * 600,
    ],
)
def test_malformed_hash_strings_never_match_and_need_a_rehash(encoded: str) -> None:
    assert CHEAP.verify("anything", encoded) is False
    assert CHEAP.needs_rehash(encoded)


def test_a_non_string_hash_is_no_match() -> None:
    assert CHEAP.verify("x", None) is False  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [{"n": 1}, {"n": 24}, {"n": 2**21}, {"r": 0}, {"p": 0}, {"salt_bytes": 8}, {"key_bytes": 8}],
)
def test_unusable_parameters_are_refused_as_settings(kwargs: dict[str, int]) -> None:
    with pytest.raises(SelfcareError) as info:
        ScryptHasher(**kwargs)
    assert info.value.violations == (
        Violation("config.invalid_setting", {"setting": next(iter(kwargs))}),
    )


@settings(max_examples=25)
@given(password=st.text(max_size=40), other=st.text(max_size=40))
def test_verify_accepts_exactly_the_hashed_password(password: str, other: str) -> None:
    encoded = CHEAP.hash(password)
    assert CHEAP.verify(password, encoded)
    assert CHEAP.verify(other, encoded) == (other == password)


def test_lone_surrogates_and_nul_hash_without_error() -> None:
    for password in ("\ud800abc", "a\x00b", "🦊" * 100):
        assert CHEAP.verify(password, CHEAP.hash(password))
