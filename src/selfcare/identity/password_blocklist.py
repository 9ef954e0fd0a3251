"""The password blocklist: passwords an attacker tries first, compared whole.

A password is refused when one of its comparison forms
(:func:`~selfcare.identity.password_normalize.blocklist_candidates`: folded, l33t
undone, digits, years and symbols stripped from both ends) is, in this order:

1. one of the operator's own words (``PasswordPolicy.operator_words``: brand and
   service names): ``password.operator_word``;
2. a word of one of the Nordic classes of ``data/nordic_words.toml``, in Finnish,
   Swedish, Norwegian, Danish or English: the word for "password"
   (``password.word_for_password``), a season (``password.season``), a month
   (``password.month``), a weekday (``password.weekday``), a common first name
   (``password.first_name``), a city (``password.city``) or a football club
   (``password.football_club``);
3. one of Django's 19 640 common passwords (``password.common_password``).

Only the first class that matches is reported: the others would say the same thing.
Whole-password comparison is the rule of NIST SP 800-63B-4 and Django's
``CommonPasswordValidator``: ``Summer2025!`` is refused, ``summer-otter-violin-2025``
is not (zxcvbn, fed with the same Nordic words by :func:`zxcvbn_dictionaries`, judges
passwords that merely contain words).

The lists are package data built by ``scripts/build_password_lists.py`` (sources and
licences in ``data/SOURCES.md``); they are read on first use, once per process, so
``import selfcare`` loads none of them.

>>> blocklist_violation("Sommar2025!").code
'password.season'
>>> blocklist_violation("Dragon1234").code
'password.common_password'
>>> blocklist_violation("Elisa-2026", operator_words=("Elisa",)).code
'password.operator_word'
>>> blocklist_violation("summer-otter-violin-2025") is None
True
"""

from __future__ import annotations

import gzip
import threading
import tomllib
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Final, Literal, TypeAlias

from selfcare.core.decision import Violation
from selfcare.identity.password_normalize import (
    MAX_COMPARED,
    blocklist_candidates,
)

__all__ = [
    "NORDIC_CLASSES",
    "WordClass",
    "blocklist_violation",
    "blocklisted_class",
    "class_words",
    "entry_forms",
    "zxcvbn_dictionaries",
]

#: The classes of the blocklist, each with its own violation code.
WordClass: TypeAlias = Literal[
    "operator_word",
    "word_for_password",
    "season",
    "month",
    "weekday",
    "first_name",
    "city",
    "football_club",
    "common_password",
]

#: The hand-written Nordic classes, in the order they are compared.
NORDIC_CLASSES: Final[tuple[WordClass, ...]] = (
    "word_for_password",
    "season",
    "month",
    "weekday",
    "first_name",
    "city",
    "football_club",
)

_LOCK: Final = threading.Lock()
_loaded: dict[str, object] = {}


def _data(name: str) -> bytes:
    return resources.files("selfcare.identity").joinpath("data", name).read_bytes()


def _gzip_lines(name: str) -> list[str]:
    return gzip.decompress(_data(name)).decode("utf-8").split()


def entry_forms(words: Iterable[str]) -> frozenset[str]:
    """The comparison forms of list entries (folded the way a password is).

    >>> sorted(entry_forms(["Malmö FF", "x"]))
    ['malmo ff', 'malmoff']
    """
    forms: set[str] = set()
    for word in words:
        if isinstance(word, str):
            core = blocklist_candidates(word[:MAX_COMPARED])
            forms.update(core[:2])  # the core and the core without separators
    return frozenset(forms)


def _nordic_words() -> dict[WordClass, tuple[str, ...]]:
    """The words of each class as written in ``nordic_words.toml``, every language."""
    with _LOCK:
        found = _loaded.get("words")
        if found is None:
            table = tomllib.loads(_data("nordic_words.toml").decode("utf-8"))
            found = {
                word_class: tuple(w for words in table[word_class].values() for w in words)
                for word_class in NORDIC_CLASSES
            }
            _loaded["words"] = found
    return found  # type: ignore[return-value]


def _nordic_classes() -> dict[WordClass, frozenset[str]]:
    found = _loaded.get("classes")
    if found is None:
        found = {c: entry_forms(words) for c, words in _nordic_words().items()}
        with _LOCK:
            found = _loaded.setdefault("classes", found)
    return found  # type: ignore[return-value]


def _common_passwords() -> frozenset[str]:
    with _LOCK:
        found = _loaded.get("common")
        if found is None:
            found = frozenset(_gzip_lines("common_passwords.txt.gz"))
            _loaded["common"] = found
    return found  # type: ignore[return-value]


def class_words(word_class: WordClass) -> frozenset[str]:
    """The comparison forms of a bundled class (``operator_word`` has none).

    >>> "kesa" in class_words("season")
    True
    """
    if word_class == "common_password":
        return _common_passwords()
    if word_class == "operator_word":
        return frozenset()
    return _nordic_classes()[word_class]


def blocklisted_class(
    password: str, *, operator_words: Iterable[str] = (), bundled: bool = True
) -> WordClass | None:
    """The first class (see the module) a comparison form of ``password`` is in.

    Args:
        password: the password.
        operator_words: the operator's own words.
        bundled: compare with the bundled lists too (``False``: operator words only).
    """
    candidates = blocklist_candidates(password)
    if not candidates:
        return None
    own = entry_forms(operator_words)
    if own and not own.isdisjoint(candidates):
        return "operator_word"
    if not bundled:
        return None
    classes = _nordic_classes()
    for word_class in NORDIC_CLASSES:
        if not classes[word_class].isdisjoint(candidates):
            return word_class
    if not _common_passwords().isdisjoint(candidates):
        return "common_password"
    return None


def blocklist_violation(
    password: str, *, operator_words: Iterable[str] = (), bundled: bool = True
) -> Violation | None:
    """The violation of the class :func:`blocklisted_class` finds, or ``None``.

    Returns:
        ``None``, or one of ``password.operator_word``,
        ``password.word_for_password``, ``password.season``, ``password.month``,
        ``password.weekday``, ``password.first_name``, ``password.city``,
        ``password.football_club`` and ``password.common_password``.
    """
    word_class = blocklisted_class(password, operator_words=operator_words, bundled=bundled)
    match word_class:
        case None:
            return None
        case "operator_word":
            return Violation("password.operator_word")
        case "word_for_password":
            return Violation("password.word_for_password")
        case "season":
            return Violation("password.season")
        case "month":
            return Violation("password.month")
        case "weekday":
            return Violation("password.weekday")
        case "first_name":
            return Violation("password.first_name")
        case "city":
            return Violation("password.city")
        case "football_club":
            return Violation("password.football_club")
        case "common_password":
            return Violation("password.common_password")


def zxcvbn_dictionaries() -> Mapping[str, Mapping[str, int]]:
    """Ranked dictionaries that replace two of zxcvbn's own in a private copy.

    - ``passwords``: zxcvbn's common passwords, plus the words of the Nordic classes
      (as written, zxcvbn lower-cases the password but keeps its marks, and folded),
      ranked after zxcvbn's first hundred: ``kesä`` is judged as a common password;
    - ``english_wikipedia``: zxcvbn's English word frequencies, plus wordfreq's
      Finnish, Swedish, Norwegian and Danish words at their own frequency rank.

    Merging into zxcvbn's dictionaries, rather than adding new ones, keeps its
    feedback ("a word by itself is easy to guess") and costs no extra matching pass
    (each dictionary is one pass over every substring). Built once, with zxcvbn's own
    ``matching.RANKED_DICTIONARIES`` and ``build_ranked_dict``; the caller adds them to
    its private copy rather than calling ``matching.add_frequency_lists``, which would
    change zxcvbn for every user in the process.
    """
    with _LOCK:
        found = _loaded.get("zxcvbn")
    if found is not None:
        return found  # type: ignore[return-value]
    from zxcvbn import matching  # noqa: PLC0415 - heavy, loaded on first use

    class_words: dict[str, None] = {}
    for words in _nordic_words().values():
        for word in words:
            for form in (word.lower(), *entry_forms([word])):
                if form.isalpha():
                    class_words.setdefault(form, None)
    passwords = dict(matching.RANKED_DICTIONARIES["passwords"])
    for rank, word in enumerate(class_words, 101):
        passwords[word] = min(rank, passwords.get(word, rank))
    frequencies = dict(matching.RANKED_DICTIONARIES["english_wikipedia"])
    nordic = matching.build_ranked_dict(_gzip_lines("nordic_frequency.txt.gz"))
    for word, rank in nordic.items():
        frequencies[word] = min(rank, frequencies.get(word, rank))
    built = {"passwords": passwords, "english_wikipedia": frequencies}
    with _LOCK:
        _loaded.setdefault("zxcvbn", built)
        return _loaded["zxcvbn"]  # type: ignore[return-value]
