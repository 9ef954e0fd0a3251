"""The boundaries of the password rules (issue 21): each limit of the policy is shown
to accept at the limit and refuse one past it, and the strength estimate's bounds
(its 32-code-point prefix, its three l33t characters) are pinned exactly."""

from __future__ import annotations

import pytest

from selfcare import SelfcareError
from selfcare.identity.password import (
    MAX_L33T_CHARACTERS,
    STRENGTH_PREFIX,
    PasswordPolicy,
    check_password,
    password_requirements,
)

CLASSES_ONLY = PasswordPolicy(min_strength=0, blocklist=False, personal_run=0)


def test_a_password_of_exactly_the_minimum_or_maximum_length_is_accepted() -> None:
    policy = PasswordPolicy(min_length=10, max_length=256, min_strength=0, blocklist=False)
    assert check_password("Aa1" + "x" * 7, policy)
    assert check_password("Aa1" + "x" * 253, policy)
    assert check_password("Aa1" + "x" * 6, policy).codes == ("password.too_short",)
    assert check_password("Aa1" + "x" * 254, policy).codes == ("password.too_long",)


def test_the_default_lengths_are_10_to_256() -> None:
    assert check_password("Aa1" + "x" * 7, CLASSES_ONLY)
    assert check_password("Aa1" + "x" * 253, CLASSES_ONLY)
    assert check_password("Aa1" + "x" * 6, CLASSES_ONLY).codes == ("password.too_short",)
    assert check_password("Aa1" + "x" * 254, CLASSES_ONLY).codes == ("password.too_long",)


def test_a_password_scoring_exactly_the_minimum_strength_is_accepted() -> None:
    assert check_password("Porkkana12")  # zxcvbn score 3, the default minimum
    refused = check_password("Aurinko123")  # score 2
    (weak,) = refused.violations
    assert weak.code == "password.too_weak"
    assert weak.params["score"] == 2
    assert weak.params["min_score"] == 3
    assert check_password("Aurinko123", PasswordPolicy(min_strength=2))


def test_the_strength_estimate_sees_exactly_the_first_32_code_points() -> None:
    assert STRENGTH_PREFIX == 32
    # The 32nd code point makes this one strong (31 alone score 1, 32 score 3) ...
    assert check_password("A" + "a" * 30 + "zqrmbwmdz", PasswordPolicy(require_digit=False))
    # ... and the 33rd would make this one strong (32 score 2, 33 score 3): not looked at.
    lower_only = PasswordPolicy(require_upper=False, require_digit=False)
    weak = check_password("a" * 27 + "ccqqhkb", lower_only)
    assert weak.codes == ("password.too_weak",)


def test_l33t_substitutions_are_tried_for_at_most_three_distinct_characters() -> None:
    from zxcvbn import matching  # noqa: PLC0415

    from selfcare.identity.password import _omnimatch  # noqa: PLC0415

    assert MAX_L33T_CHARACTERS == 3

    def l33t_words(password: str) -> set[str]:
        found = _omnimatch(password, dict(matching.RANKED_DICTIONARIES))
        return {m["matched_word"] for m in found if m.get("l33t")}

    assert "security" in l33t_words("$3cur1ty")  # $, 3, 1: three characters, all tried
    assert "security" not in l33t_words("$3cur1+y")  # a fourth (+ for t) is not tried


def test_operator_words_keep_only_non_blank_text() -> None:
    policy = PasswordPolicy(operator_words=["Elisa", "  ", "", 5, "Saunalahti"])  # type: ignore[list-item]
    assert policy.operator_words == ("Elisa", "Saunalahti")
    assert PasswordPolicy(operator_words="Elisa").operator_words == ("Elisa",)


def test_operator_words_are_a_listed_requirement() -> None:
    codes = [v.code for v in password_requirements(PasswordPolicy(operator_words=("Elisa",)))]
    assert codes[-2:] == ["password.operator_word", "password.too_weak"]
    assert "password.operator_word" not in [v.code for v in password_requirements()]


def test_the_tokens_mode_lists_the_personal_word_requirement() -> None:
    codes = [v.code for v in password_requirements(PasswordPolicy(personal_mode="tokens"))]
    assert "password.contains_personal_word" in codes
    assert "password.contains_personal" not in codes
    (personal,) = [
        v
        for v in password_requirements(PasswordPolicy(personal_run=4))
        if v.code == "password.contains_personal"
    ]
    assert personal.params == {"run": 4}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"min_length": 12, "max_length": 12},
        {"min_length": 0, "max_length": 1},
        {"min_length": 8, "min_length_with_second_factor": 12, "max_length": 12},
        {"min_strength": 4},
        {"min_strength": 0},
    ],
)
def test_policies_at_their_limits_are_possible(kwargs: dict[str, int]) -> None:
    assert PasswordPolicy(**kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"min_length": 13, "max_length": 12},
        {"min_length": 0, "max_length": 0},
        {"min_length": 8, "min_length_with_second_factor": 13, "max_length": 12},
        {"personal_run": -1},
        {"min_strength": -1},
        {"personal_mode": "letters"},
    ],
)
def test_policies_past_their_limits_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(SelfcareError) as caught:
        PasswordPolicy(**kwargs)  # type: ignore[arg-type]
    assert caught.value.codes == ("password.invalid_policy",)


PERSON = ["Qyx Zrwk Vb"]


def test_personal_words_of_three_or_more_letters_feed_the_estimate_with_the_rule_off() -> None:
    off = PasswordPolicy(personal_run=0, min_length=7, min_strength=2)
    # "qyx" is a word the estimate knows (the user's own), so this is weak ...
    weak = check_password("Qyx7!Mo", off, personal=PERSON)
    assert weak.codes == ("password.too_weak",)
    assert weak.violations[0].params["score"] == 1
    assert check_password("Qyx7!Mo", off)  # ... and without the person it is not.
    # Two-letter words ("vb") are not given to the estimate.
    strict = PasswordPolicy(personal_run=0, min_strength=4)
    assert check_password("7kvbvbMoMox", strict, personal=PERSON)


def test_personal_words_as_long_as_the_run_feed_the_estimate_with_the_rule_on() -> None:
    policy = PasswordPolicy(personal_run=4, personal_mode="tokens", min_length=7, min_strength=2)
    # "qyx" is shorter than the run: neither the rule nor the estimate uses it.
    assert check_password("Qyx7!Mo", policy, personal=PERSON)


def test_the_strength_requirement_is_listed_with_score_0_and_no_hints() -> None:
    (weak,) = [v for v in password_requirements() if v.code == "password.too_weak"]
    assert weak.params == {"score": 0, "min_score": 3, "hints": ()}
