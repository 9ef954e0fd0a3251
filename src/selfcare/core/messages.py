"""The message catalog: every violation code of the library in en, fi, sv and nb.

The catalog is plain TOML under ``selfcare/locale/``, one file per domain, so that a
translator edits text without touching code. Each entry is a table named by its code::

    ["password.too_short"]
    kind = "invalid"
    params = ["min_length"]
    en = "The password must be at least {min_length} characters long."
    fi = "Salasanassa on oltava vähintään {min_length} merkkiä."
    sv = "Lösenordet måste vara minst {min_length} tecken långt."
    nb = "Passordet må være minst {min_length} tegn langt."

``kind`` says whose problem the refusal is (:class:`~selfcare.core.kinds.Kind`, which
maps to an HTTP status). ``params`` lists exactly the parameters a
:class:`~selfcare.core.decision.Violation` with that code carries; a template may use
any of them, in ``{braces}``. A test of the library fails when a code lacks a language
or a kind, when a template uses an undeclared parameter, and - in strict mode, which
the test suite turns on - when any violation is created with an unknown code or with
other parameters than declared.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Final

import attrs

from selfcare.core.kinds import Kind

__all__ = [
    "LANGUAGES",
    "MessageEntry",
    "UnknownCodeError",
    "catalog",
    "check_violation",
    "kind_of",
    "normalize_language",
    "render",
    "set_strict_mode",
    "strict_mode",
]

#: The languages every message exists in; English is the fallback.
LANGUAGES: Final = ("en", "fi", "sv", "nb")

# BCP 47 tags an integrator may pass in, mapped onto our four; Norwegian "no" and
# Nynorsk fall back to Bokmål, which is what the portals of the corporate mobile guide use.
_ALIASES: Final = {"no": "nb", "nn": "nb", "se": "sv"}

_state = {"strict": False}


class UnknownCodeError(LookupError):
    """A programming error: a violation code or its parameters are not in the catalog.

    Not a :class:`~selfcare.core.errors.SelfcareError`: it never depends on user input.
    """


@attrs.frozen
class MessageEntry:
    """One code of the catalog: its declared parameters and its four templates."""

    code: str
    kind: Kind
    params: tuple[str, ...]
    texts: Mapping[str, str]
    source: str


def normalize_language(lang: object) -> str:
    """Map a language tag to one of :data:`LANGUAGES`, English when unknown.

    >>> normalize_language("sv-FI"), normalize_language("no"), normalize_language("de")
    ('sv', 'nb', 'en')
    """
    if not isinstance(lang, str):
        return "en"
    primary = lang.strip().replace("_", "-").split("-", 1)[0].lower()
    primary = _ALIASES.get(primary, primary)
    return primary if primary in LANGUAGES else "en"


@functools.cache
def catalog() -> Mapping[str, MessageEntry]:
    """Every entry of the catalog, by code (loaded once, on first use)."""
    entries: dict[str, MessageEntry] = {}
    import tomllib  # noqa: PLC0415 - loaded with the catalog, not at import
    from pathlib import Path  # noqa: PLC0415

    # A plain path rather than importlib.resources: the package is always installed as
    # files (hatchling wheels are not zip-imported), and this keeps `import selfcare` fast.
    folder = Path(__file__).resolve().parent.parent / "locale"
    for item in sorted(folder.glob("*.toml"), key=lambda p: p.name):
        data = tomllib.loads(item.read_text(encoding="utf-8"))
        for code, table in data.items():
            if code in entries:
                msg = f"{code} is defined in both {entries[code].source} and {item.name}"
                raise UnknownCodeError(msg)
            entries[code] = MessageEntry(
                code=code,
                kind=Kind(table["kind"]),
                params=tuple(table.get("params", ())),
                texts={lang: table[lang] for lang in LANGUAGES if lang in table},
                source=item.name,
            )
    return entries


def _entry(code: str) -> MessageEntry:
    try:
        return catalog()[code]
    except KeyError:
        msg = f"violation code {code!r} is not in the message catalog"
        raise UnknownCodeError(msg) from None


def placeholders(template: str) -> set[str]:
    """The parameter names a template uses."""
    import string  # noqa: PLC0415

    return {
        field.split(".", 1)[0].split("[", 1)[0]
        for _, field, _, _ in string.Formatter().parse(template)
        if field
    }


def _display(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def render(code: str, params: Mapping[str, object], lang: str = "en") -> str:
    """The message of ``code`` in ``lang`` with ``params`` filled in."""
    entry = _entry(code)
    language = normalize_language(lang)
    template = entry.texts.get(language) or entry.texts["en"]
    values = {name: _display(params.get(name, "")) for name in entry.params}
    return template.format_map(values)


def kind_of(code: str) -> Kind:
    """The :class:`~selfcare.core.kinds.Kind` of ``code``.

    >>> kind_of("invitation.expired")
    <Kind.GONE: 'gone'>

    Raises:
        UnknownCodeError: ``code`` is not in the catalog (a programming error).
    """
    return _entry(code).kind


def check_violation(code: str, params: Mapping[str, object]) -> None:
    """Raise :class:`UnknownCodeError` unless ``code`` is known and ``params`` has
    exactly its declared parameters."""
    entry = _entry(code)
    if set(params) != set(entry.params):
        msg = (
            f"violation {code!r} was given params {sorted(params)} but the catalog"
            f" declares {sorted(entry.params)}"
        )
        raise UnknownCodeError(msg)


def strict_mode() -> bool:
    """Whether every new violation is checked against the catalog (tests turn it on)."""
    return _state["strict"]


def set_strict_mode(enabled: bool) -> None:
    """Turn the catalog check of every new violation on or off."""
    _state["strict"] = enabled
