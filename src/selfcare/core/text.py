"""Free text from users: which characters may be stored and shown.

Free text (a feedback message, an invitation's cover message, a name) goes into the
database, into e-mails and onto customer service's screens. Three kinds of character
are refused there:

- control characters (Unicode category ``Cc``: NUL, escape, ...), except the line
  breaks and tabs a caller allows;
- unpaired surrogates (``Cs``): a Python string may hold them, but they are not
  characters and cannot be encoded as UTF-8 - a database driver raises
  ``UnicodeEncodeError`` on them;
- bidirectional embeddings, overrides and isolates: invisible, and they make a text
  read differently from what it says ("Trojan Source", CVE-2021-42574).

>>> has_unsafe_characters("Hei!\\nKiitos")
True
>>> has_unsafe_characters("Hei!\\nKiitos", allowed="\\n")
False
>>> has_unsafe_characters("abc\\u202edef")
True
"""

from __future__ import annotations

import unicodedata
from typing import Final

__all__ = ["BIDI_CONTROLS", "has_unsafe_characters"]

#: Bidirectional embeddings (LRE, RLE, PDF), overrides (LRO, RLO) and isolates (LRI,
#: RLI, FSI, PDI).
BIDI_CONTROLS: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def has_unsafe_characters(text: str, *, allowed: str = "") -> bool:
    """Whether ``text`` holds a control character (other than those in ``allowed``),
    an unpaired surrogate or a bidirectional control.

    Check a text's length before calling it: it looks at every character.
    """
    for char in text:
        if char in allowed:
            continue
        if char in BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs"):
            return True
    return False
