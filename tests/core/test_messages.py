"""The message catalog is complete: every code, every language, every parameter."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import selfcare
from selfcare import Violation
from selfcare.core import messages
from selfcare.core.messages import LANGUAGES, catalog, normalize_language, placeholders

SRC = Path(selfcare.__file__).parent
ENTRIES = sorted(catalog().values(), key=lambda e: e.code)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.code)
def test_every_code_has_all_four_languages(entry: messages.MessageEntry) -> None:
    for lang in LANGUAGES:
        assert entry.texts.get(lang, "").strip(), f"{entry.code} lacks {lang}"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.code)
def test_messages_use_only_declared_params(entry: messages.MessageEntry) -> None:
    for lang, template in entry.texts.items():
        unknown = placeholders(template) - set(entry.params)
        assert not unknown, f"{entry.code} [{lang}] uses undeclared {sorted(unknown)}"
        # Renders with any values of the declared params.
        filled = messages.render(entry.code, dict.fromkeys(entry.params, "x"), lang)
        assert "{" not in filled.replace("{{", ""), filled


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.code)
def test_codes_are_dotted_snake_case(entry: messages.MessageEntry) -> None:
    parts = entry.code.split(".")
    assert len(parts) >= 2
    assert all(part and part.replace("_", "a").isalnum() and part.islower() for part in parts)


def _violation_calls() -> list[tuple[str, int, str, set[str] | None]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Violation"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                continue
            keys: set[str] | None = None
            if len(node.args) > 1 and isinstance(node.args[1], ast.Dict):
                literal = [k.value for k in node.args[1].keys if isinstance(k, ast.Constant)]
                if len(literal) == len(node.args[1].keys):
                    keys = {str(k) for k in literal}
            elif len(node.args) == 1 and not node.keywords:
                keys = set()
            found.append((str(path.relative_to(SRC)), node.lineno, node.args[0].value, keys))
    return found


def test_every_violation_written_in_the_source_is_in_the_catalog() -> None:
    known = catalog()
    problems = []
    for where, line, code, keys in _violation_calls():
        if code not in known:
            problems.append(f"{where}:{line}: unknown code {code}")
        elif keys is not None and keys != set(known[code].params):
            declared = sorted(known[code].params)
            problems.append(f"{where}:{line}: {code} given {sorted(keys)}, declared {declared}")
    assert not problems, "\n".join(problems)


def test_strict_mode_refuses_unknown_codes_and_wrong_params() -> None:
    assert messages.strict_mode()
    with pytest.raises(messages.UnknownCodeError):
        Violation("no.such_code")
    with pytest.raises(messages.UnknownCodeError):
        Violation("password.too_short", {"length": 3})
    messages.set_strict_mode(False)
    try:
        loose = Violation("no.such_code")
        with pytest.raises(messages.UnknownCodeError):
            loose.message()
    finally:
        messages.set_strict_mode(True)


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("fi", "fi"),
        ("FI-fi", "fi"),
        ("sv_FI", "sv"),
        ("no", "nb"),
        ("nn-NO", "nb"),
        ("nb", "nb"),
        ("en-GB", "en"),
        ("de", "en"),
        ("", "en"),
        (None, "en"),
        ("\x00", "en"),
    ],
)
def test_language_tags_map_onto_the_four_languages(tag: object, expected: str) -> None:
    assert normalize_language(tag) == expected


def test_unknown_language_falls_back_to_english() -> None:
    violation = Violation("time.unknown_timezone", {"zone": "Mars/Base"})
    assert violation.message("de") == violation.message("en") == "Unknown time zone: Mars/Base."


def test_sequence_params_are_shown_as_a_list() -> None:
    violation = Violation(
        "money.unsupported_currency", {"currency": "USD", "supported": ("EUR", "SEK")}
    )
    assert violation.message() == "The currency USD is not supported; use one of EUR, SEK."
