"""Every test the Security page names as proof of a guarantee exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "guides" / "security.rst"


def _named_tests() -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    current = ""
    for match in re.finditer(r"``(tests/[\w/]+\.py)?(?:::(\w+))?``", PAGE.read_text("utf-8")):
        path, name = match.group(1), match.group(2)
        if path:
            current = path
        if path or name:
            found.append((current, name))
    return found


def test_the_security_page_names_tests() -> None:
    assert len([name for _, name in _named_tests() if name]) >= 30


def test_every_test_the_security_page_names_exists() -> None:
    missing = []
    for path, name in _named_tests():
        source = (ROOT / path).read_text("utf-8") if (ROOT / path).exists() else None
        if source is None or (name and not re.search(rf"def {name}\(", source)):
            missing.append(f"{path}::{name}")
    assert missing == []
