"""The demo's narration (src/selfcare/demo/narration.toml) is complete and used."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

import selfcare.demo
from selfcare.demo.narration import narration, narration_text

LANGS = ("en", "fi", "sv", "nb")
PACKAGE = Path(selfcare.demo.__file__).parent

# Calls whose first argument is a narration key.
_KEY_CALLS = {"say", "heading", "text", "narration_text"}


def _placeholders(text: str) -> set[tuple[str, str | None]]:
    return {
        (field, conversion)
        for _, field, _, conversion in string.Formatter().parse(text)
        if field is not None
    }


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def _strings(node: ast.AST) -> set[str]:
    """The literal keys an argument can be: a string, or either branch of ``a if c else b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    return set()


def _keys_in(tree: ast.Module) -> set[str]:
    """The keys a module uses: the first argument of say/heading/text calls, and the
    values of its ``*_KEYS`` tables (permission, state, channel names)."""
    keys: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called_name(node) in _KEY_CALLS and node.args:
            keys |= _strings(node.args[0])
        targets = (
            [node.target]
            if isinstance(node, ast.AnnAssign)
            else node.targets
            if isinstance(node, ast.Assign)
            else []
        )
        for target in targets:
            if isinstance(target, ast.Name) and target.id.endswith("_KEYS"):
                value = node.value
                if isinstance(value, ast.Dict):
                    keys |= {v.value for v in value.values if isinstance(v, ast.Constant)}
    return keys


def _keys_used() -> set[str]:
    used: set[str] = set()
    for module in sorted(PACKAGE.glob("*.py")):
        used |= _keys_in(ast.parse(module.read_text(encoding="utf-8")))
    return used


def test_the_narration_is_package_data() -> None:
    assert (PACKAGE / "narration.toml").is_file()
    assert narration() is narration()  # loaded once


@pytest.mark.parametrize("key", sorted(narration()))
def test_every_key_has_the_four_languages_with_the_same_placeholders(key: str) -> None:
    texts = narration()[key]
    assert set(texts) == set(LANGS)
    assert all(texts[lang].strip() for lang in LANGS)
    expected = _placeholders(texts["en"])
    for lang in LANGS:
        assert _placeholders(texts[lang]) == expected, lang


def test_every_key_the_code_uses_is_in_the_file() -> None:
    used = _keys_used()
    assert used - set(narration()) == set()
    assert len(used) > 50  # the scan finds the keys at all


def test_every_key_in_the_file_is_used() -> None:
    assert set(narration()) - _keys_used() == set()


def test_no_narration_speaks_of_internal_documents() -> None:
    for key, texts in narration().items():
        for lang, text in texts.items():
            assert "seed" not in text.casefold(), (key, lang)


def test_a_text_is_filled_in() -> None:
    assert narration_text("login", "nb", email="a@example.no") == "Logget inn som a@example.no."
    with pytest.raises(KeyError):
        narration_text("no.such.key", "en")
