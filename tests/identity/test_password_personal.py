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
