"""Password rules: the registration rules of the energy registration guide plus a strength estimate.

:func:`check_password` reports every rule a password breaks, at once, as codes:

- ``password.too_short`` / ``password.too_long``: the length in Unicode code points
  (NIST SP 800-63B 5.1.1.2 counts each code point as one character), between
  :attr:`PasswordPolicy.min_length` (10, the energy registration guide) and
  :attr:`PasswordPolicy.max_length` (256; NIST asks to allow at least 64).
- ``password.missing_digit``, ``password.missing_upper``, ``password.missing_lower``:
  the character classes of the energy registration guide, in any script. A *digit* is any Unicode
  decimal digit (category Nd: ``7``, Arabic-Indic ``٧``, fullwidth ``７``; not superscripts
  such as ``²``); an *upper-case letter* is any character that lower-casing changes
  (``A``, ``Ä``, ``Ø``, Greek ``Ω``, Cyrillic ``Ж``; title-case digraphs such as ``ǅ``
  count too); a *lower-case letter* is any character that upper-casing changes (``a``,
  ``ä``, ``ß``, ``ω``). Letters of scripts without case (Arabic, CJK) count as neither.
- ``password.contains_personal``: the personal rule of the energy registration guide, "no three
  consecutive characters from the user's name or e-mail address", defined as follows (the other
  mode, Microsoft's whole tokens, and the reversed-name check are described in
  :mod:`selfcare.identity.password_personal`). The password
  and each personal input are NFKC-normalised and case-folded, and the Nordic letters
  are folded to their base letters (``ä``->``a``, ``å``->``a``, ``ö``->``o``,
  ``ø``->``o``, ``æ``->``ae``, ``ü``->``u``), so that a letter matches itself with or
  without its marks. Each personal input is split into tokens at every character that
  is not a letter or a digit (``@``, ``.``, ``-``, spaces); tokens shorter than
  :attr:`PasswordPolicy.personal_run` are ignored. The password breaks the rule when
  any ``personal_run`` consecutive characters of a token occur in it. So for the name
  "Matti Meikäläinen" the tokens are ``matti`` and ``meikalainen`` and "Xmeik4laXX1"
  is refused (``mei``); for "anna.li@example.fi" the tokens are ``anna`` and
  ``example`` (``li`` and ``fi`` are too short) and "Ann4-Passw0rd-long" is refused
  (``ann``) while "Li1234567Zx" is not.
- the blocklist (:attr:`PasswordPolicy.blocklist`, on by default): a password that is,
  once folded and stripped of digits, years and symbols at its ends, a common password,
  a Nordic word of an attacker's first guesses (the word for "password", a season,
  month, weekday, first name, city or football club) or one of
  :attr:`PasswordPolicy.operator_words`, with a code per class
  (:mod:`selfcare.identity.password_blocklist`).
- ``password.too_weak``: the zxcvbn score (0-4) is below
  :attr:`PasswordPolicy.min_strength` (3; 0 turns the estimate off). zxcvbn's advice
  comes as stable hint codes in the ``hints`` parameter (see :data:`HINTS` and
  :func:`hint_message`), never as English text. The personal tokens are given to
  zxcvbn as a dictionary too, and so are the operator's words, Finnish, Swedish,
  Norwegian and Danish frequency lists, and the blocklist's Nordic classes; years up to
  2099 count as recent years (zxcvbn 4.5's pattern stops at 2019).

Bounded time: zxcvbn's matching grows quickly with the length of the password (it
refuses more than 72 characters) and its l33t-substitution search exponentially with
the number of distinct substitution characters (``4``, ``@``, ``$``...). So the estimate
looks only at the first :data:`STRENGTH_PREFIX` (32) code points, and tries
substitutions for at most :data:`MAX_L33T_CHARACTERS` (3) distinct substitution
characters, also inside repeated blocks; otherwise it is zxcvbn's own estimate (the
same matchers and scoring, called with a private copy of its dictionaries so that
concurrent calls do not share user inputs). The prefix can only under-rate a password
(one whose strength lies past its 32nd character); the substitution bound can
over-rate a dictionary word disguised with four or more different substitutions,
which the character-class and personal rules still see in full. A password longer
than :attr:`PasswordPolicy.max_length` is refused as ``password.too_long`` and the
other rules look only at its first ``max_length`` code points, so a megabyte password
costs no more than a short one; every other check is linear and runs in C (``str``
methods and ``re``).

The password itself never appears in a repr, a message, a parameter or an exception.

>>> check_password("kissa123").codes
('password.too_short', 'password.missing_upper', 'password.too_weak')
>>> check_password("Xmeik4laXX1", personal=("Matti Meikäläinen",)).codes
('password.contains_personal',)
>>> bool(check_password("Li1234567Zx-vuori", personal=("anna.li@example.fi",)))
True
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any, Final, Literal, TypeAlias, cast, final

import attrs

from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import SelfcareError
from selfcare.identity.password_blocklist import blocklist_violation, zxcvbn_dictionaries
from selfcare.identity.password_normalize import HashNormalization, fold
from selfcare.identity.password_personal import PersonalMode, personal_tokens, personal_violation

__all__ = [
    "HINTS",
    "MAX_L33T_CHARACTERS",
    "STRENGTH_PREFIX",
    "BreachedCheck",
    "PasswordPolicy",
    "check_password",
    "hint_message",
    "password_requirements",
    "personal_tokens",
]

#: How many leading code points zxcvbn looks at (its own limit is 72; see the module).
STRENGTH_PREFIX: Final = 32
#: How many distinct l33t characters (``4``, ``@``, ``$``...) zxcvbn may substitute.
MAX_L33T_CHARACTERS: Final = 3
_DIGIT: Final = re.compile(r"\d")  # Unicode decimal digits (category Nd) for str patterns
# zxcvbn 4.5's "recent_year" stops at 2019; ours runs to 2099 (passed to its regex_match).
_REGEXEN: Final = {"recent_year": re.compile(r"19\d\d|20\d\d")}

#: When the breached-password check runs, and what an outage means: ``"off"``;
#: ``"required"`` (unreachable: refuse with ``password.breach_check_unavailable``);
#: ``"best_effort"`` (unreachable: accept). See :mod:`selfcare.identity.breached`.
BreachedCheck: TypeAlias = Literal["off", "required", "best_effort"]

#: zxcvbn's warnings and suggestions (its English texts) and our stable hint codes, each
#: a message code of its own (``hint_message`` renders it).
_ZXCVBN_HINTS: Final = {
    "Straight rows of keys are easy to guess.": "password.hint.straight_rows",
    "Short keyboard patterns are easy to guess.": "password.hint.short_keyboard_patterns",
    'Repeats like "aaa" are easy to guess.': "password.hint.repeated_characters",
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': (
        "password.hint.repeated_patterns"
    ),
    'Sequences like "abc" or "6543" are easy to guess.': "password.hint.sequences",
    "Recent years are easy to guess.": "password.hint.recent_years",
    "Dates are often easy to guess.": "password.hint.dates",
    "This is a top-10 common password.": "password.hint.top_10_common",
    "This is a top-100 common password.": "password.hint.top_100_common",
    "This is a very common password.": "password.hint.very_common",
    "This is similar to a commonly used password.": "password.hint.similar_to_common",
    "A word by itself is easy to guess.": "password.hint.single_word",
    "Names and surnames by themselves are easy to guess.": "password.hint.names_by_themselves",
    "Common names and surnames are easy to guess.": "password.hint.common_names",
    "Use a few words, avoid common phrases.": "password.hint.use_a_few_words",
    "No need for symbols, digits, or uppercase letters.": "password.hint.no_need_for_symbols",
    "Add another word or two. Uncommon words are better.": "password.hint.add_another_word",
    "Use a longer keyboard pattern with more turns.": "password.hint.longer_keyboard_pattern",
    "Avoid repeated words and characters.": "password.hint.avoid_repeats",
    "Avoid sequences.": "password.hint.avoid_sequences",
    "Avoid recent years.": "password.hint.avoid_recent_years",
    "Avoid years that are associated with you.": "password.hint.avoid_associated_years",
    "Avoid dates and years that are associated with you.": "password.hint.avoid_associated_dates",
    "Capitalization doesn't help very much.": "password.hint.capitalization_doesnt_help",
    "All-uppercase is almost as easy to guess as all-lowercase.": "password.hint.all_uppercase",
    "Reversed words aren't much harder to guess.": "password.hint.reversed_words",
    "Predictable substitutions like '@' instead of 'a' don't help very much.": (
        "password.hint.predictable_substitutions"
    ),
}

#: Every hint code ``password.too_weak`` may carry in its ``hints``; each is a message
#: code with a text in every language (:func:`hint_message`).
HINTS: Final = frozenset(_ZXCVBN_HINTS.values())

# zxcvbn keeps module-level state only in RANKED_DICTIONARIES, which we copy per call;
# the lock guards the one-time lazy import against two threads importing at once.
_IMPORT_LOCK: Final = threading.Lock()


def _non_negative(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(cast("object", value), int) or value < 0:
        raise SelfcareError(Violation("password.invalid_policy", {"setting": attribute.name}))


def _one_of(*allowed: str) -> Any:
    def check(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
        if value not in allowed:
            raise SelfcareError(Violation("password.invalid_policy", {"setting": attribute.name}))

    return check


def _words(words: Iterable[str]) -> tuple[str, ...]:
    if isinstance(words, str):  # one word, not its characters
        return (words,)
    return tuple(w for w in words if isinstance(cast("object", w), str) and w.strip())


def _check_policy(policy: PasswordPolicy) -> None:
    if policy.max_length < max(policy.min_length, policy.min_length_with_second_factor or 0, 1):
        raise SelfcareError(Violation("password.invalid_policy", {"setting": "max_length"}))
    if policy.min_strength > 4:
        raise SelfcareError(Violation("password.invalid_policy", {"setting": "min_strength"}))


@final
@attrs.frozen(kw_only=True)
class PasswordPolicy:
    """The password rules an operator configures; the defaults are the energy registration guide's.

    Attributes:
        min_length: the fewest code points (10).
        min_length_with_second_factor: the fewest code points for an account with a
            second factor in force (:mod:`selfcare.identity.second_factor`), checked
            at a password change; ``None`` (the default): ``min_length``.
        max_length: the most code points (256).
        require_digit: at least one decimal digit, in any script.
        require_upper: at least one upper-case letter, in any script.
        require_lower: at least one lower-case letter, in any script.
        personal_run: how many consecutive characters of the user's name or e-mail
            address the password must not contain (3); 0 turns the rule off.
        min_strength: the lowest zxcvbn score accepted, 0-4 (3); 0 turns it off.
        blocklist: refuse common passwords and the Nordic word classes, whole, even
            with digits or symbols added (on).
        operator_words: the operator's own words (brand, service and product names),
            refused like the blocklist (also when ``blocklist`` is off) and given to
            zxcvbn as a dictionary.
        personal_mode: ``"windows"`` (the energy registration guide: ``personal_run`` consecutive
            characters) or ``"tokens"`` (Microsoft: whole tokens of at least
            ``personal_run`` characters).
        ignore_public_mail_domains: the domain of an address at a public mail
            service (``gmail.com``...) is not personal (off).
        hash_normalization: the Unicode form a password takes before it is hashed
            (``"NFC"``; NIST SP 800-63B asks for ``"NFKC"``); see
            :func:`~selfcare.identity.password_normalize.normalize_for_hashing`.
        breached_check: whether new passwords are looked up in breach corpora and
            what an outage of the lookup means (:data:`BreachedCheck`; ``"off"``).

    Presets: :mod:`selfcare.identity.password_presets`.

    Raises:
        SelfcareError: ``password.invalid_policy`` for a negative number, a
            ``max_length`` below ``min_length``, a ``min_strength`` above 4 or an
            unknown mode.
    """

    min_length: int = attrs.field(default=10, validator=_non_negative)
    min_length_with_second_factor: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(_non_negative)
    )
    max_length: int = attrs.field(default=256, validator=_non_negative)
    require_digit: bool = True
    require_upper: bool = True
    require_lower: bool = True
    personal_run: int = attrs.field(default=3, validator=_non_negative)
    min_strength: int = attrs.field(default=3, validator=_non_negative)
    blocklist: bool = True
    operator_words: tuple[str, ...] = attrs.field(default=(), converter=_words)
    personal_mode: PersonalMode = attrs.field(
        default="windows", validator=_one_of("windows", "tokens")
    )
    ignore_public_mail_domains: bool = False
    hash_normalization: HashNormalization = attrs.field(
        default="NFC", validator=_one_of("NFC", "NFKC")
    )
    breached_check: BreachedCheck = attrs.field(
        default="off", validator=_one_of("off", "required", "best_effort")
    )

    def __attrs_post_init__(self) -> None:
        _check_policy(self)

    def help(self, lang: str = "en") -> tuple[str, ...]:
        """The rules as sentences a UI can show before the user types.

        >>> PasswordPolicy(min_strength=0).help("sv")[0]
        'Lösenordet måste vara minst 10 tecken långt.'
        """
        return tuple(v.message(lang) for v in password_requirements(self))


def password_requirements(policy: PasswordPolicy | None = None) -> tuple[Violation, ...]:
    """Every rule of ``policy``, as the violation that breaking it would give.

    Like Django's ``get_help_text``: render them with ``violation.message(lang)`` to
    tell the user the rules before they type. ``password.too_weak`` is listed with
    score 0 and no hints.

    Returns:
        In order, those of ``password.too_short``, ``password.too_long``,
        ``password.missing_digit``, ``password.missing_upper``,
        ``password.missing_lower``, ``password.contains_personal`` (or
        ``password.contains_personal_word`` in the ``"tokens"`` mode),
        ``password.blocklisted``, ``password.operator_word`` and
        ``password.too_weak`` that the policy enforces.

    >>> [v.code for v in password_requirements(PasswordPolicy(require_upper=False))]
    ['password.too_short', 'password.too_long', 'password.missing_digit', \
'password.missing_lower', 'password.contains_personal', 'password.blocklisted', \
'password.too_weak']
    """
    rules = policy if policy is not None else PasswordPolicy()
    found = [
        Violation("password.too_short", {"min_length": rules.min_length}),
        Violation("password.too_long", {"max_length": rules.max_length}),
    ]
    if rules.require_digit:
        found.append(Violation("password.missing_digit"))
    if rules.require_upper:
        found.append(Violation("password.missing_upper"))
    if rules.require_lower:
        found.append(Violation("password.missing_lower"))
    if rules.personal_run and rules.personal_mode == "tokens":
        found.append(Violation("password.contains_personal_word"))
    elif rules.personal_run:
        found.append(Violation("password.contains_personal", {"run": rules.personal_run}))
    if rules.blocklist:
        found.append(Violation("password.blocklisted"))
    if rules.operator_words:
        found.append(Violation("password.operator_word"))
    if rules.min_strength:
        found.append(
            Violation(
                "password.too_weak",
                {"score": 0, "min_score": rules.min_strength, "hints": ()},
            )
        )
    return tuple(found)


def _bounded_l33t_table(password: str, table: Mapping[str, list[str]]) -> dict[str, list[str]]:
    substitutes = {sub for subs in table.values() for sub in subs}
    kept: list[str] = []
    for char in password:
        if char in substitutes and char not in kept:
            kept.append(char)
            if len(kept) == MAX_L33T_CHARACTERS:
                break
    bounded = {letter: [s for s in subs if s in kept] for letter, subs in table.items()}
    return {letter: subs for letter, subs in bounded.items() if subs}


_GREEDY_REPEAT: Final = re.compile(r"(.+)\1+")
_LAZY_REPEAT: Final = re.compile(r"(.+?)\1+")
_LAZY_ANCHORED_REPEAT: Final = re.compile(r"^(.+?)\1+$")


def _omnimatch(password: str, dictionaries: dict[str, Any]) -> list[dict[str, Any]]:
    """zxcvbn's ``omnimatch`` with the l33t search bounded, here and in repeats."""
    from zxcvbn import matching  # noqa: PLC0415 - heavy, loaded on first use

    matches: list[dict[str, Any]] = []
    for matcher in (
        matching.dictionary_match,
        matching.reverse_dictionary_match,
        matching.spatial_match,
        matching.sequence_match,
        matching.date_match,
    ):
        matches.extend(matcher(password, _ranked_dictionaries=dictionaries))
    matches.extend(
        matching.regex_match(password, _regexen=_REGEXEN, _ranked_dictionaries=dictionaries)
    )
    matches.extend(_repeat_match(password, dictionaries))
    matches.extend(
        matching.l33t_match(
            password,
            _ranked_dictionaries=dictionaries,
            _l33t_table=_bounded_l33t_table(password, matching.L33T_TABLE),
        )
    )
    # No sort by (i, j) as zxcvbn's omnimatch does: its scoring groups the matches by
    # their end and sorts each group by start itself (stable), so the order is moot.
    return matches


def _repeat_match(password: str, dictionaries: dict[str, Any]) -> list[dict[str, Any]]:
    """zxcvbn's ``repeat_match``, scoring the repeated base with :func:`_omnimatch`
    (zxcvbn's own would run the unbounded l33t search on it)."""
    from zxcvbn import scoring  # noqa: PLC0415 - heavy, loaded on first use

    matches: list[dict[str, Any]] = []
    last_index = 0
    while last_index < len(password):
        greedy = _GREEDY_REPEAT.search(password, pos=last_index)
        lazy = _LAZY_REPEAT.search(password, pos=last_index)
        if greedy is None or lazy is None:
            break
        if len(greedy.group(0)) > len(lazy.group(0)):
            match = greedy
            anchored = _LAZY_ANCHORED_REPEAT.search(match.group(0))
            base_token = anchored.group(1) if anchored is not None else match.group(1)
        else:
            match = lazy
            base_token = match.group(1)
        i, j = match.span()[0], match.span()[1] - 1
        base = scoring.most_guessable_match_sequence(
            base_token, _omnimatch(base_token, dictionaries)
        )
        matches.append(
            {
                "pattern": "repeat",
                "i": i,
                "j": j,
                "token": match.group(0),
                "base_token": base_token,
                "base_guesses": base["guesses"],
                "base_matches": base["sequence"],
                "repeat_count": len(match.group(0)) / len(base_token),
            }
        )
        last_index = j + 1
    return matches


def _strength(password: str, user_inputs: Iterable[str]) -> tuple[int, tuple[str, ...]]:
    """zxcvbn's score and hint codes for ``password`` (already cut to the prefix)."""
    if not password:
        return 0, ()
    with _IMPORT_LOCK:
        from zxcvbn import feedback, matching, scoring, time_estimates  # noqa: PLC0415 - heavy

    # zxcvbn.zxcvbn() would write the user inputs into a module-level dict that other
    # threads read; we build our own copy and run its matchers ourselves, with the
    # l33t search bounded (see the module documentation), also inside repeats.
    dictionaries: dict[str, Any] = dict(matching.RANKED_DICTIONARIES)
    dictionaries.update(zxcvbn_dictionaries())
    dictionaries["user_inputs"] = matching.build_ranked_dict([t.lower() for t in user_inputs])
    matches = _omnimatch(password, dictionaries)
    result = scoring.most_guessable_match_sequence(password, matches)
    score = int(time_estimates.estimate_attack_times(result["guesses"])["score"])
    advice = feedback.get_feedback(score, result["sequence"])
    texts = [advice.get("warning") or "", *advice.get("suggestions", ())]
    hints = tuple(dict.fromkeys(_ZXCVBN_HINTS[t] for t in texts if t in _ZXCVBN_HINTS))
    return score, hints


def _length_and_classes(password: str, rules: PasswordPolicy) -> list[Violation]:
    found: list[Violation] = []
    length = len(password)
    if length < rules.min_length:
        found.append(Violation("password.too_short", {"min_length": rules.min_length}))
    if length > rules.max_length:
        found.append(Violation("password.too_long", {"max_length": rules.max_length}))
        # Refused anyway; the other rules look at what fits (bounded time, see above).
        password = password[: rules.max_length]
    if rules.require_digit and _DIGIT.search(password) is None:
        found.append(Violation("password.missing_digit"))
    if rules.require_upper and password.lower() == password:
        found.append(Violation("password.missing_upper"))
    if rules.require_lower and password.upper() == password:
        found.append(Violation("password.missing_lower"))
    return found


def _strength_rule(password: str, rules: PasswordPolicy, words: Iterable[str]) -> list[Violation]:
    if not rules.min_strength:
        return []
    score, hints = _strength(password[:STRENGTH_PREFIX], words)
    if score >= rules.min_strength:
        return []
    return [
        Violation(
            "password.too_weak",
            {"score": score, "min_score": rules.min_strength, "hints": hints},
        )
    ]


def check_password(
    password: str,
    policy: PasswordPolicy | None = None,
    *,
    personal: Iterable[str] = (),
) -> Decision:
    """Check a new password against ``policy`` (default: :class:`PasswordPolicy`).

    Args:
        password: the password; any ``str`` (never raises for one).
        policy: the rules; the defaults of the energy registration guide when omitted.
        personal: the user's names and e-mail address, for the personal rule and as
            extra words for the strength estimate. Items that are not ``str`` are
            ignored.

    Returns:
        An allowed decision, or a refusal listing every one that applies of
        ``password.too_short``, ``password.too_long``, ``password.missing_digit``,
        ``password.missing_upper``, ``password.missing_lower``, one of the personal
        rule (``password.contains_personal``, ``password.contains_personal_word``,
        ``password.contains_personal_reversed``), one of the blocklist
        (``password.operator_word``, ``password.word_for_password``,
        ``password.season``, ``password.month``, ``password.weekday``,
        ``password.first_name``, ``password.city``, ``password.football_club``,
        ``password.common_password``) and ``password.too_weak`` (params ``score``,
        ``min_score`` and ``hints``, a tuple of :data:`HINTS` codes).

    Raises:
        TypeError: ``password`` is not a ``str``.

    >>> check_password("Ann4-Passw0rd-long", personal=["anna.li@example.fi"]).codes
    ('password.contains_personal',)
    >>> check_password("Salasana2025!").codes
    ('password.word_for_password', 'password.too_weak')
    """
    if not isinstance(cast("object", password), str):
        msg = f"the password must be a str, not {type(password).__name__}"
        raise TypeError(msg)
    rules = policy if policy is not None else PasswordPolicy()
    found = _length_and_classes(password, rules)
    password = password[: rules.max_length]  # what the other rules look at (see above)
    personal_rule = personal_violation(
        password,
        personal,
        mode=rules.personal_mode,
        run=rules.personal_run,
        ignore_public_mail_domains=rules.ignore_public_mail_domains,
    )
    if personal_rule is not None:
        found.append(personal_rule)
    blocked = blocklist_violation(
        password, operator_words=rules.operator_words, bundled=rules.blocklist
    )
    if blocked is not None:
        found.append(blocked)
    words = personal_tokens(
        personal,
        rules.personal_run or 3,
        mode=rules.personal_mode,
        ignore_public_mail_domains=rules.ignore_public_mail_domains,
    )
    words += tuple(fold(word) for word in rules.operator_words)
    found.extend(_strength_rule(password, rules, words))
    return Decision.from_violations(found)


def hint_message(hint: str, lang: str = "en") -> str:
    """The advice of a zxcvbn hint code (from ``password.too_weak``'s ``hints``).

    Raises:
        SelfcareError: ``password.unknown_hint`` when ``hint`` is not in :data:`HINTS`.

    >>> hint_message("password.hint.sequences", "fi")
    'Merkkijonot kuten "abc" tai "6543" ovat helppoja arvata.'
    """
    if hint not in HINTS:
        raise SelfcareError(Violation("password.unknown_hint"))
    return Violation(hint).message(lang)
