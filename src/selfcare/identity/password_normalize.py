"""How passwords are normalised: for comparison with word lists, and for hashing.

Two different jobs, kept apart on purpose:

- **Comparison** (:func:`fold` and :func:`blocklist_candidates`) throws information
  away so that the variants an attacker tries first compare equal to the word they
  come from: NFKC, case-folding, Nordic letters folded to their base letters
  (``ä``->``a``, ``å``->``a``, ``ö``/``ø``->``o``, ``æ``->``ae``, ``ü``->``u``),
  common l33t substitutions undone (``P@ssw0rd`` -> ``password``; ``1`` and ``|`` are
  tried both as ``i`` and as ``l``), digits, years and symbols stripped from both
  ends (``Kesä2025!`` -> ``kesa``) and separators inside removed
  (``Malmö-FF`` -> ``malmoff``). It is never used for storing anything.
- **Hashing** (:func:`normalize_for_hashing`) changes nothing a user can see: it only
  makes the same characters typed on two systems the same string, so that a password
  chosen as ``"kesä"`` (NFC, one code point for ``ä``) verifies when typed as
  ``"kesa\\u0308"`` (NFD, ``a`` and a combining diaeresis; macOS file names and some
  input methods). NFC is the form of RFC 8265's OpaqueString profile (PRECIS, for
  passwords); NFKC, which NIST SP 800-63B asks for ("NFKC or NFKD"), also folds
  compatibility characters (fullwidth ``Ａ`` -> ``A``, ``²`` -> ``2``, ``ﬁ`` -> ``fi``).
  :func:`verification_candidates` lists what to try against a stored hash so that
  hashes made before normalisation was switched on still verify.

>>> fold("Kesä-ÆBLE")
'kesa-aeble'
>>> blocklist_candidates("P@ssw0rd2025!")
('p@ssw0rd', 'password')
>>> blocklist_candidates("Malmö-FF-1910")
('malmo-ff', 'malmoff')
>>> normalize_for_hashing("kesa\\u0308") == "kes\\u00e4"
True
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final, Literal, TypeAlias, cast

__all__ = [
    "MAX_COMPARED",
    "HashNormalization",
    "blocklist_candidates",
    "fold",
    "normalize_for_hashing",
    "strip_ends",
    "verification_candidates",
]

#: The Unicode normal forms a policy may apply before hashing.
HashNormalization: TypeAlias = Literal["NFC", "NFKC"]

# Nordic letters compared with and without their marks; applied after case-folding.
_NORDIC_FOLDS: Final = (("ä", "a"), ("å", "a"), ("ö", "o"), ("ø", "o"), ("æ", "ae"), ("ü", "u"))
# Anything that is not a letter, at either end: digits, years, symbols, spaces.
_ENDS: Final = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_TRAILING: Final = re.compile(r"[\W\d_]+$")
# Separators people put between the words of a name ("Malmö FF", "Bodø/Glimt").
_SEPARATORS: Final = re.compile(r"[\s\-_.,#/'’+&]+")
# The substitutions zxcvbn's l33t table knows, undone; "1" and "|" stand for i or l.
_L33T_AS_I: Final = str.maketrans(
    {
        "4": "a",
        "@": "a",
        "8": "b",
        "(": "c",
        "3": "e",
        "€": "e",
        "6": "g",
        "9": "g",
        "1": "i",
        "!": "i",
        "|": "i",
        "0": "o",
        "$": "s",
        "5": "s",
        "7": "t",
        "+": "t",
        "2": "z",
    }
)
_L33T_AS_L: Final = str.maketrans({"1": "l", "|": "l"})
_L33T_CHARACTERS: Final = frozenset("48@(3€69!1|0$57+2")
# Passwords are compared on their first characters only: the lists hold no entry longer
# than this, so a longer core cannot match and need not be built (bounded time).
MAX_COMPARED: Final = 64


def fold(text: str) -> str:
    """NFKC, case-folded, Nordic letters folded to their base letters.

    >>> fold("ÅSA Øster")
    'asa oster'
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    for marked, plain in _NORDIC_FOLDS:
        if marked in folded:
            folded = folded.replace(marked, plain)
    return folded


def strip_ends(text: str) -> str:
    """``text`` without the digits, symbols and spaces at its ends.

    >>> strip_ends("2025-summer!!")
    'summer'
    """
    return _ENDS.sub("", text)


def _unleet(text: str) -> tuple[str, ...]:
    as_i = text.translate(_L33T_AS_I)
    as_l = text.translate(_L33T_AS_L).translate(_L33T_AS_I)
    return (as_i,) if as_l == as_i else (as_i, as_l)


def blocklist_candidates(password: str) -> tuple[str, ...]:
    """The forms of ``password`` compared with the word lists, most literal first.

    The core (``password`` folded, its ends stripped), the core without separators,
    and the same after undoing l33t substitutions (on the password with only its
    trailing digits and symbols stripped, so that a leading ``4`` or ``$`` is read as
    a letter). Forms shorter than three characters are left out: too many random
    passwords would reduce to them.

    >>> blocklist_candidates("$ommar2025")
    ('ommar', 'sommar')
    >>> blocklist_candidates("1234567890")
    ()
    """
    folded = fold(password[: MAX_COMPARED * 2])
    core = strip_ends(folded)
    forms: dict[str, None] = {core: None, _SEPARATORS.sub("", core): None}
    trailing_stripped = _TRAILING.sub("", folded)
    if _L33T_CHARACTERS.intersection(trailing_stripped):
        for plain in _unleet(trailing_stripped):
            unleeted = strip_ends(plain)
            forms.setdefault(unleeted, None)
            forms.setdefault(_SEPARATORS.sub("", unleeted), None)
    return tuple(form for form in forms if 3 <= len(form) <= MAX_COMPARED)


def normalize_for_hashing(password: str, form: HashNormalization = "NFC") -> str:
    """``password`` in the Unicode normal form ``form``, ready to be hashed.

    Raises:
        TypeError: ``password`` is not a ``str``.

    >>> normalize_for_hashing("Ｐassword²", "NFKC")
    'Password2'
    >>> normalize_for_hashing("Ｐassword²")
    'Ｐassword²'
    """
    if not isinstance(cast("object", password), str):
        msg = f"the password must be a str, not {type(password).__name__}"
        raise TypeError(msg)
    return unicodedata.normalize(form, password)


def verification_candidates(password: str, form: HashNormalization = "NFC") -> tuple[str, ...]:
    """What to verify against a stored hash, in order: the normalised password, then
    the password as typed when that differs.

    A hash stored before normalisation was switched on was made from the password as
    it was typed then; trying the typed form second keeps it working. After a
    successful verification with the second form, store a new hash of the first
    (the way a changed hashing cost is upgraded at login).

    >>> verification_candidates("kesa\\u0308") == ("kes\\u00e4", "kesa\\u0308")
    True
    >>> verification_candidates("plain")
    ('plain',)
    """
    normalized = normalize_for_hashing(password, form)
    return (normalized,) if normalized == password else (normalized, password)
