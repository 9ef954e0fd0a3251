"""The password rules of seed 001, the personal rule and the strength estimate."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import SelfcareError
from selfcare.identity.password import (
    HINTS,
    STRENGTH_PREFIX,
    PasswordPolicy,
    check_password,
    hint_message,
    password_requirements,
    personal_tokens,
)

NO_STRENGTH = PasswordPolicy(min_strength=0)


def test_the_issue_examples_of_the_personal_rule() -> None:
    name = ("Matti Meikäläinen",)
    assert "password.contains_personal" in check_password("Xmeik4laXX1", personal=name).codes
    email = ("anna.li@example.fi",)
    assert (
        "password.contains_personal" in check_password("Ann4-Passw0rd-long", personal=email).codes
    )
    assert "password.contains_personal" not in check_password("Li1234567Zx", personal=email).codes


def test_nordic_letters_match_with_and_without_marks() -> None:
    assert check_password("Xmeikä7QQQ", NO_STRENGTH, personal=["Meikalainen"]).codes == (
        "password.contains_personal",
    )
    assert check_password("Xmeika7QQQ", NO_STRENGTH, personal=["Meikäläinen"]).codes == (
        "password.contains_personal",
    )
    assert check_password("Qsroem7QQQ", NO_STRENGTH, personal=["Strøm"]).codes == ()
    assert check_password("Qstrom7QQQ", NO_STRENGTH, personal=["Strøm"]).codes == (
        "password.contains_personal",
    )
    assert check_password("Qhae9QQQQQ", NO_STRENGTH, personal=["Hæ"]).codes == (
        "password.contains_personal",
    )


def test_short_tokens_are_ignored_and_the_run_is_configurable() -> None:
    assert personal_tokens(["Li Bo", "a.b@cd.fi"]) == ()
    policy = PasswordPolicy(min_strength=0, personal_run=4)
    assert check_password("Xmeiz7QQQQ", policy, personal=["Meikäläinen"]).codes == ()
    assert check_password("Xmeik7QQQQ", policy, personal=["Meikäläinen"]).codes == (
        "password.contains_personal",
    )
    off = PasswordPolicy(min_strength=0, personal_run=0)
    assert check_password("Xmeik7QQQQ", off, personal=["Meikäläinen"]).codes == ()


def test_every_violation_is_reported_at_once() -> None:
    decision = check_password("")
    assert decision.codes == (
        "password.too_short",
        "password.missing_digit",
        "password.missing_upper",
        "password.missing_lower",
        "password.too_weak",
    )


def test_character_classes_of_any_script_count() -> None:
    # Upper-case Ä, lower-case ö, Arabic-Indic digit seven.
    assert check_password("Äöööööööö\u0667", NO_STRENGTH).codes == ()
    assert check_password("ÄÖÅÆØXXXXX", NO_STRENGTH).codes == (
        "password.missing_digit",
        "password.missing_lower",
    )
    # A superscript two is not a decimal digit.
    assert "password.missing_digit" in check_password("Abcdefghij²", NO_STRENGTH).codes


def test_too_long_and_huge_passwords() -> None:
    assert check_password("Aa1" + "x" * 300, NO_STRENGTH).codes == ("password.too_long",)
    huge = check_password("a" * (1 << 20))
    assert "password.too_long" in huge.codes
    assert "password.missing_digit" in huge.codes


def test_weak_passwords_carry_score_and_hint_codes() -> None:
    decision = check_password("Password12")
    (weak,) = [v for v in decision.violations if v.code == "password.too_weak"]
    assert weak.params["min_score"] == 3
    assert isinstance(weak.params["score"], int)
    hints = weak.params["hints"]
    assert isinstance(hints, tuple)
    assert set(hints) <= HINTS
    assert hints


def test_a_strong_password_passes() -> None:
    assert check_password("Kuusi-Porkkanaa-Lensi7")


def test_hint_messages_exist_in_every_language() -> None:
    for hint in HINTS:
        for lang in ("en", "fi", "sv", "nb"):
            assert hint_message(hint, lang)
    with pytest.raises(SelfcareError):
        hint_message("no_such_hint")


def test_requirements_list_the_rules_of_the_policy() -> None:
    codes = [v.code for v in password_requirements()]
    assert codes == [
        "password.too_short",
        "password.too_long",
        "password.missing_digit",
        "password.missing_upper",
        "password.missing_lower",
        "password.contains_personal",
        "password.blocklisted",
        "password.too_weak",
    ]
    relaxed = PasswordPolicy(
        blocklist=False,
        require_digit=False,
        require_upper=False,
        require_lower=False,
        personal_run=0,
        min_strength=0,
    )
    assert [v.code for v in password_requirements(relaxed)] == [
        "password.too_short",
        "password.too_long",
    ]
    assert PasswordPolicy().help("fi")[0] == "Salasanassa on oltava vähintään 10 merkkiä."


@pytest.mark.parametrize(
    "kwargs",
    [{"min_length": -1}, {"max_length": 5}, {"min_strength": 5}, {"personal_run": True}],
)
def test_impossible_policies_are_refused(kwargs: dict[str, int]) -> None:
    with pytest.raises(SelfcareError) as caught:
        PasswordPolicy(**kwargs)
    assert caught.value.codes == ("password.invalid_policy",)


def test_wrong_type_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        check_password(b"bytes")  # type: ignore[arg-type]


SECRET = "Sal4inen-Kissa-xyz"


def test_the_password_never_leaks() -> None:
    decision = check_password(SECRET, PasswordPolicy(min_length=40, min_strength=4))
    assert not decision
    shown = repr(decision) + "".join(
        "".join(decision.messages(lang)) for lang in ("en", "fi", "sv", "nb")
    )
    assert SECRET not in shown
    assert SECRET.lower() not in shown.lower()


@given(st.text(max_size=300), st.lists(st.text(max_size=40), max_size=3))
def test_any_text_gives_a_decision(password: str, personal: list[str]) -> None:
    decision = check_password(password, personal=personal)
    for violation in decision.violations:
        for value in violation.params.values():
            if len(password) >= 3 and isinstance(value, str):
                assert password not in value


@given(st.text(min_size=STRENGTH_PREFIX + 1, max_size=200))
def test_long_passwords_are_estimated_on_their_prefix(password: str) -> None:
    whole = check_password(password, PasswordPolicy(min_strength=4, max_length=1000))
    prefix = check_password(
        password[:STRENGTH_PREFIX], PasswordPolicy(min_strength=4, min_length=0)
    )
    assert ("password.too_weak" in whole.codes) == ("password.too_weak" in prefix.codes)


@given(st.text(alphabet="abcdefgh123XYZ qwerty#", max_size=STRENGTH_PREFIX))
def test_the_strength_estimate_matches_zxcvbn_when_nothing_is_bounded(password: str) -> None:
    import zxcvbn  # noqa: PLC0415 - only this test compares with the raw library

    from selfcare.identity.password import _strength  # noqa: PLC0415

    with _zxcvbn_with_our_extensions():
        expected = zxcvbn.zxcvbn(password, ["matti"])["score"] if password else 0
    assert _strength(password, ["matti"])[0] == expected


@contextmanager
def _zxcvbn_with_our_extensions() -> Iterator[None]:
    """zxcvbn itself, given our dictionaries and year pattern through its module state
    (which check_password never touches), restored afterwards."""
    from zxcvbn import matching  # noqa: PLC0415

    from selfcare.identity.password import _REGEXEN  # noqa: PLC0415
    from selfcare.identity.password_blocklist import zxcvbn_dictionaries  # noqa: PLC0415

    dictionaries, regexen = dict(matching.RANKED_DICTIONARIES), dict(matching.REGEXEN)
    matching.RANKED_DICTIONARIES.update(zxcvbn_dictionaries())
    matching.REGEXEN.update(_REGEXEN)
    try:
        yield
    finally:
        matching.RANKED_DICTIONARIES.clear()
        matching.RANKED_DICTIONARIES.update(dictionaries)
        matching.REGEXEN.clear()
        matching.REGEXEN.update(regexen)


# Repeats, l33t, repeats of l33t, keyboard rows, sequences and a personal word: the
# parts of zxcvbn's matcher we copied (omnimatch, repeat_match) and bounded (l33t).
UPSTREAM_EXAMPLES = (
    "abcabcabcabc",
    "p4$$w0rd",
    "p4$$w0rdp4$$w0rd",
    "aaaaaaaa",
    "qwertyqwerty",
    "s3cr3ts3cr3t",
    "@dm1n@dm1n",
    "tr0ub4dor",
    "1l0v3y0u",
    "matti4matti4",
    "Zxcvbn1zxcvbn1",
    "h3ll0h3ll0h3ll0",
    "aabaabaabaab",  # the greedy repeat is longer: its base is found again, lazily
    "kissakissa1kissakissa1",
    "aabbccdd",  # repeats side by side: the search resumes after each one
    "ababb",
    "babbababba",  # the greedy repeat is longer than the lazy one, its base shorter
    "anna2025",  # a recent year (our pattern runs to 2099)
    "2025sommar2025",  # at most three distinct l33t characters: nothing bounded
)


def _canonical(matches: list[dict[str, object]]) -> list[str]:
    return sorted(json.dumps(m, sort_keys=True, default=str) for m in matches)


@pytest.mark.parametrize("password", UPSTREAM_EXAMPLES)
def test_the_copied_matcher_finds_what_upstream_zxcvbn_finds(password: str) -> None:
    """With at most MAX_L33T_CHARACTERS substitution characters nothing is bounded, so
    our matcher (repeats scored with the bounded search, l33t with the bounded table)
    finds exactly zxcvbn's matches, and the score and hints are zxcvbn's own: its
    warning first, then its suggestions, as hint codes."""
    import zxcvbn  # noqa: PLC0415 - only these tests compare with the raw library
    from zxcvbn import matching  # noqa: PLC0415

    from selfcare.identity.password import (  # noqa: PLC0415
        _ZXCVBN_HINTS,
        _omnimatch,
        _strength,
    )

    with _zxcvbn_with_our_extensions():
        # zxcvbn's repeat matcher reads the module's dictionaries, not the ones passed.
        matching.RANKED_DICTIONARIES["user_inputs"] = matching.build_ranked_dict(["matti"])
        dictionaries = dict(matching.RANKED_DICTIONARIES)
        theirs = matching.omnimatch(password, _ranked_dictionaries=dictionaries)
        upstream = zxcvbn.zxcvbn(password, ["matti"])
    ours = _omnimatch(password, dictionaries)
    assert _canonical(ours) == _canonical(theirs)
    advice = upstream["feedback"]
    texts = [advice["warning"], *advice["suggestions"]]
    hints = tuple(dict.fromkeys(_ZXCVBN_HINTS[t] for t in texts if t))
    assert _strength(password, ["matti"]) == (upstream["score"], hints)


def test_the_upstream_examples_exercise_repeats_and_l33t() -> None:
    from zxcvbn import matching  # noqa: PLC0415

    from selfcare.identity.password import _omnimatch  # noqa: PLC0415

    dictionaries = dict(matching.RANKED_DICTIONARIES)
    found = [m for p in UPSTREAM_EXAMPLES for m in _omnimatch(p, dictionaries)]
    assert sum(1 for m in found if m["pattern"] == "repeat") >= 8
    assert sum(1 for m in found if m.get("l33t")) >= 6
    assert any(m.get("l33t") for r in found if r["pattern"] == "repeat" for m in r["base_matches"])


def test_zxcvbns_warning_comes_first_in_the_hints() -> None:
    decision = check_password("abcabcabcabc", PasswordPolicy(require_upper=False))
    (weak,) = [v for v in decision.violations if v.code == "password.too_weak"]
    assert weak.params["hints"][0] == "password.hint.repeated_patterns"


def test_repeated_l33t_runs_are_estimated_with_the_bounded_search() -> None:
    # zxcvbn's own repeat matcher would run its exponential l33t search on the base.
    decision = check_password("4@8({[<3&6" * 3)
    assert decision.codes == ("password.missing_upper", "password.missing_lower")


def test_a_single_personal_string_is_one_input() -> None:
    assert (
        "password.contains_personal" in check_password("Xmeik4laXX1", personal="Meikäläinen").codes
    )
