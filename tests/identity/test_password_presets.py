"""Presets: seed 001 and NIST SP 800-63B-4; normalisation before hashing; the login
ceiling of 100 consecutive failures."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import attrs
import pytest

from selfcare import SelfcareError
from selfcare.bootstrap import Policies
from selfcare.identity.account import Account
from selfcare.identity.hashing import ScryptHasher
from selfcare.identity.ids import LoginSource
from selfcare.identity.login import LoginPolicy, account_refusal, login_failed
from selfcare.identity.password import PasswordPolicy, check_password
from selfcare.identity.password_normalize import normalize_for_hashing, verification_candidates
from selfcare.identity.password_presets import (
    NIST_MAX_CONSECUTIVE_FAILURES,
    nist_800_63b_4,
    nist_login_policy,
    seed_001,
)
from selfcare.identity.throttle import source_digest
from selfcare.testing.strategies._accounts import accounts

NIST = nist_800_63b_4()
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
HASHER = ScryptHasher(n=2**4)


def test_seed_001_is_the_default_with_the_operators_words() -> None:
    assert seed_001() == PasswordPolicy()
    assert seed_001(operator_words=["Elisa"]).operator_words == ("Elisa",)
    assert PasswordPolicy().personal_mode == "windows"


def test_nist_lengths_fifteen_or_eight_with_a_second_factor_and_at_least_64() -> None:
    assert check_password("tuulimylly kala", NIST)  # 15 characters, no composition
    assert check_password("tuulimylly kal", NIST).codes == ("password.too_short",)
    assert check_password("kuu!tuli", nist_800_63b_4(second_factor=True))
    assert NIST.max_length >= 64
    assert check_password("x" * 30 + " ei ole liian pitkä " + "y" * 30, NIST)


def test_nist_imposes_no_composition_rules_but_keeps_the_blocklist() -> None:
    assert check_password("all lower case words here", NIST)
    assert check_password("salasana2025!!!!", NIST).codes == ("password.word_for_password",)
    assert check_password("Helsinki-2025-2026", NIST).codes == ("password.city",)
    brand = nist_800_63b_4(operator_words=("Elisa Viihde",))
    assert check_password("ElisaViihde2025!!", brand).codes == ("password.operator_word",)


def test_nist_refuses_context_specific_words_as_whole_tokens() -> None:
    decision = check_password("virtanen loves tea", NIST, personal=("Anna Virtanen",))
    assert decision.codes == ("password.contains_personal_word",)
    assert check_password("virta loves tea 77", NIST, personal=("Anna Virtanen",))


def test_nist_settings_for_hashing_and_the_breach_corpus() -> None:
    assert NIST.hash_normalization == "NFKC"
    assert NIST.breached_check == "best_effort"
    assert nist_800_63b_4(breached_check="required").breached_check == "required"
    with pytest.raises(SelfcareError):
        nist_800_63b_4(breached_check="sometimes")  # type: ignore[arg-type]


@pytest.mark.parametrize("form", ["NFC", "NFKC"])
def test_a_password_chosen_composed_verifies_when_typed_decomposed(form: str) -> None:
    chosen = "Kesäyö på Åland"
    typed = unicodedata.normalize("NFD", chosen)
    assert typed != chosen
    stored = HASHER.hash(normalize_for_hashing(chosen, form))  # type: ignore[arg-type]
    assert not HASHER.verify(typed, stored)  # what happens without normalisation
    assert any(HASHER.verify(c, stored) for c in verification_candidates(typed, form))  # type: ignore[arg-type]


def test_hashes_made_before_normalisation_still_verify() -> None:
    typed_then = unicodedata.normalize("NFD", "Kesäyö på Åland")
    old_hash = HASHER.hash(typed_then)  # stored raw, before the change
    candidates = verification_candidates(typed_then, "NFC")
    assert candidates[0] == unicodedata.normalize("NFC", typed_then)
    assert not HASHER.verify(candidates[0], old_hash)
    assert HASHER.verify(candidates[1], old_hash)  # the fallback keeps it working


def test_nfkc_folds_compatibility_characters_and_nfc_keeps_them() -> None:
    assert normalize_for_hashing("ｐａｓｓ²", "NFKC") == "pass2"
    assert normalize_for_hashing("ｐａｓｓ²", "NFC") == "ｐａｓｓ²"
    with pytest.raises(TypeError):
        normalize_for_hashing(b"x")  # type: ignore[arg-type]


def _account(failures: int) -> Account:
    from hypothesis import find  # noqa: PLC0415

    account = find(accounts(), lambda a: a.state.value == "active")
    return attrs.evolve(
        account, password_hash=HASHER.hash("right password"), failed_logins=failures,
        locked_until=None,
    )  # fmt: skip


DIGEST = source_digest(LoginSource("192.0.2.1"))


def test_password_login_is_disabled_after_100_consecutive_failures() -> None:
    policy = nist_login_policy()
    assert policy.disable_password_after == NIST_MAX_CONSECUTIVE_FAILURES == 100
    at_99 = login_failed(
        _account(99), pair=None, source=None, digest=DIGEST, policy=policy, now=NOW
    )
    assert at_99.account is not None
    assert at_99.account.failed_logins == 100
    blocked = account_refusal(at_99.account, None, policy, NOW)
    assert blocked is not None
    assert blocked.codes == ("login.invalid_credentials",)
    revealing = account_refusal(at_99.account, None, attrs.evolve(policy, reveal_lock=True), NOW)
    assert revealing is not None
    assert revealing.codes == ("login.password_login_disabled",)
    assert revealing.kind == "forbidden"


def test_without_the_ceiling_the_throttling_of_seed_001_applies() -> None:
    assert LoginPolicy().disable_password_after == 0
    assert account_refusal(_account(500), None, LoginPolicy(), NOW) is None


def test_the_nist_policies_combine_the_password_rules_and_the_login_ceiling() -> None:
    policies = Policies.nist_800_63b_4(operator_words=["Elisa"])
    assert policies.registration.password == nist_800_63b_4(operator_words=["Elisa"])
    assert policies.login.disable_password_after == 100
    assert Policies.nist_800_63b_4(second_factor=True).registration.password.min_length == 8


# ---- the presets setting by setting (issue 21)


def test_the_nist_preset_setting_by_setting() -> None:
    # SP 800-63B-4 3.1.1.2: 15 characters (8 with a second factor), at least 64 allowed,
    # no composition rules or strength meter, a blocklist with context-specific words,
    # NFKC before hashing, breached passwords checked.
    assert (NIST.min_length, NIST.min_length_with_second_factor, NIST.max_length) == (15, 8, 256)
    assert (NIST.require_digit, NIST.require_upper, NIST.require_lower) == (False, False, False)
    assert (NIST.min_strength, NIST.blocklist, NIST.breached_check) == (0, True, "best_effort")
    assert (NIST.personal_mode, NIST.personal_run, NIST.hash_normalization) == ("tokens", 3, "NFKC")
    with_factor = nist_800_63b_4(second_factor=True)
    assert (with_factor.min_length, with_factor.min_length_with_second_factor) == (8, 8)


def test_the_nist_login_ceiling_keeps_the_rest_of_the_given_policy() -> None:
    base = LoginPolicy(max_failures=3, source_max_failures=50)
    nist = nist_login_policy(base)
    assert (nist.max_failures, nist.source_max_failures) == (3, 50)
    assert nist.disable_password_after == 100
    assert nist_login_policy().max_failures == LoginPolicy().max_failures
