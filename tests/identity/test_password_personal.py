"""The personal rule's modes: seed 001's windows, Microsoft's tokens, reversed names."""

from __future__ import annotations

import random

import pytest

from selfcare import SelfcareError
from selfcare.identity.password import PasswordPolicy, check_password, password_requirements
from selfcare.identity.password_blocklist import _gzip_lines
from selfcare.identity.password_personal import personal_tokens, personal_violation

TOKENS = PasswordPolicy(personal_mode="tokens", min_strength=0)
WINDOWS = PasswordPolicy(min_strength=0)


@pytest.mark.parametrize("policy", [WINDOWS, TOKENS], ids=["windows", "tokens"])
def test_a_reversed_name_is_refused_in_both_modes(policy: PasswordPolicy) -> None:
    decision = check_password("Tneilc-Tset-2026", policy, personal=("Test Client",))
    assert decision.codes == ("password.contains_personal_reversed",)


def test_microsofts_example_display_name() -> None:
    # learn.microsoft.com, "Password must meet complexity requirements": "Erin M. Hagens"
    # is split into "Erin", "M" and "Hagens"; "M" is ignored as shorter than three.
    assert personal_tokens(["Erin M. Hagens"], mode="tokens") == ("erin", "hagens")
    refused = check_password("Hagens-Fx-2026", TOKENS, personal=["Erin M. Hagens"])
    assert refused.codes == ("password.contains_personal_word",)
    assert check_password("Hag3ns-Fx-2026", TOKENS, personal=["Erin M. Hagens"])


def test_microsofts_delimiters_and_the_at_sign_split_tokens() -> None:
    tokens = personal_tokens(
        ["anna-liisa_virtanen#x\tkoski,mäki", "anna.li@example.fi"], mode="tokens"
    )
    assert tokens == ("anna", "liisa", "virtanen", "koski", "maki", "example")


def test_tokens_mode_refuses_only_whole_tokens() -> None:
    name = ("Matti Meikäläinen",)
    assert (
        "password.contains_personal" in check_password("Xmeik4laXX1", WINDOWS, personal=name).codes
    )
    assert check_password("Xmeik4laXX1", TOKENS, personal=name)
    assert check_password("MEIKALAINEN-99x", TOKENS, personal=name).codes == (
        "password.contains_personal_word",
    )


def test_the_requirements_name_the_mode_of_the_rule() -> None:
    tokens = [v.code for v in password_requirements(TOKENS)]
    windows = [v.code for v in password_requirements(WINDOWS)]
    assert "password.contains_personal_word" in tokens
    assert "password.contains_personal" not in tokens
    assert "password.contains_personal" in windows


@pytest.mark.parametrize("policy", [WINDOWS, TOKENS], ids=["windows", "tokens"])
def test_public_mail_domains_can_be_ignored(policy: PasswordPolicy) -> None:
    personal = ("anna@gmail.com",)
    assert not check_password("Gmail-otter-4242", policy, personal=personal)
    ignoring = PasswordPolicy(
        personal_mode=policy.personal_mode, min_strength=0, ignore_public_mail_domains=True
    )
    assert check_password("Gmail-otter-4242", ignoring, personal=personal)
    # A company's own domain stays personal.
    assert not check_password("Firma-otter-4242", ignoring, personal=("anna@firma.fi",))


def test_an_unknown_mode_is_an_impossible_policy() -> None:
    with pytest.raises(SelfcareError) as caught:
        PasswordPolicy(personal_mode="letters")  # type: ignore[arg-type]
    assert caught.value.codes == ("password.invalid_policy",)


def test_run_zero_turns_the_rule_off() -> None:
    assert personal_violation("tneilc", ["client"], mode="tokens", run=0) is None


# Real words of the four languages, five letters or more (the bundled frequency list).
WORDS = [w for w in _gzip_lines("nordic_frequency.txt.gz")[:3000] if len(w) >= 5]
NAMES = (
    ("Matti Meikäläinen", "matti.meikalainen@example.fi"),
    ("Anna-Liisa Virtanen", "annaliisa@gmail.com"),
    ("Test Client", "test.client@elisa.fi"),
    ("Erik Johansson", "erik.j@telia.com"),
)


def test_tokens_refuse_fewer_random_passphrases_than_windows() -> None:
    rng = random.Random(17)  # noqa: S311 - reproducible sample, not a secret
    phrases = ["-".join(rng.sample(WORDS, 4)) for _ in range(400)]
    refused = {"windows": 0, "tokens": 0}
    for phrase in phrases:
        for name, email in NAMES:
            for mode in refused:
                found = personal_violation(phrase, (name, email), mode=mode, run=3)  # type: ignore[arg-type]
                refused[mode] += found is not None
    assert refused["tokens"] <= len(phrases) * len(NAMES) // 100
    assert refused["tokens"] < refused["windows"]


# ---- the window and its limits, each on both sides (issue 21)


def _windows(password: str, personal: list[str], run: int = 3) -> str | None:
    found = personal_violation(password, personal, mode="windows", run=run)
    return found.code if found is not None else None


def test_two_shared_letters_are_allowed_and_three_are_not() -> None:
    assert _windows("Xma-7-Qzkp", ["Matti"]) is None  # "ma" only
    assert _windows("Xmat-7-Qzkp", ["Matti"]) == "password.contains_personal"


def test_every_window_of_a_token_counts_up_to_its_last() -> None:
    assert _windows("Qz-nen-7", ["Meikäläinen"]) == "password.contains_personal"  # the last
    assert _windows("Qz-mei-7", ["Meikäläinen"]) == "password.contains_personal"  # the first


def test_a_run_of_one_refuses_any_shared_letter() -> None:
    assert _windows("xyz", ["Anna"], run=1) is None
    assert _windows("xyza", ["Anna"], run=1) == "password.contains_personal"
    assert _windows("xyza", ["Anna"], run=0) is None


def test_personal_input_is_read_up_to_1024_characters() -> None:
    assert _windows("Qyx-7-Zkp", [" " * 1021 + "Qyx"]) == "password.contains_personal"
    assert _windows("Qyx-7-Zkp", [" " * 1022 + "Qyx"]) is None  # cut to "Qy"


def test_the_defaults_are_three_characters_and_public_domains_count() -> None:
    assert personal_tokens(["Ada Li", "anna@gmail.com"]) == ("ada", "anna", "gmail", "com")
    assert personal_tokens(["A B"], 0) == ("a", "b")  # a run of 0: every token
    found = personal_violation("Gmail-otter-42", ["anna@gmail.com"], mode="windows", run=3)
    assert found is not None
    assert found.code == "password.contains_personal"


def test_each_mode_splits_the_inputs_its_own_way() -> None:
    assert personal_tokens(["O'Neil Öberg-Ek"], mode="tokens") == ("o'neil", "oberg")
    assert personal_tokens(["O'Neil Öberg-Ek"], mode="windows") == ("neil", "oberg")
