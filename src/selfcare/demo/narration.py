"""The demo's narration: headings and sentences in en, fi, sv and nb.

The texts live in ``narration.toml`` beside this module (package data, one table per
key, like the library's message catalog in ``selfcare/locale``), read on first use.
Violation messages are not narration: they come from
:meth:`~selfcare.core.decision.Violation.message`.

>>> narration_text("clock", "sv", day="1 apr. 2026")
'Klockan går fram till 1 apr. 2026.'
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources

__all__ = ["narration", "narration_text"]


@functools.cache
def narration() -> Mapping[str, Mapping[str, str]]:
    """Every narration key with its text in each language, loaded once.

    Returns:
        ``{key: {"en": ..., "fi": ..., "sv": ..., "nb": ...}}``.
    """
    import tomllib  # noqa: PLC0415 - loaded with the narration, not at import

    source = resources.files(__package__ or "selfcare.demo") / "narration.toml"
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    return {key: {lang: str(text) for lang, text in texts.items()} for key, texts in data.items()}


def narration_text(key: str, lang: str, **params: object) -> str:
    """The narration ``key`` in ``lang``, its placeholders filled from ``params``.

    Raises:
        KeyError: no such key or language (a bug in the demo, not user input).
    """
    return narration()[key][lang].format(**params)
