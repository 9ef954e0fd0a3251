"""Every Python example in README.md runs as shown."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)


@pytest.mark.parametrize("source", BLOCKS, ids=[f"block{n}" for n in range(len(BLOCKS))])
def test_readme_example_runs_and_prints_what_its_comments_say(source: str) -> None:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(source, str(README), "exec"), {})  # noqa: S102 - our own README
    expected = [
        m.group(1) for m in re.finditer(r"print\(.*\)\s+# (.+)$", source, flags=re.MULTILINE)
    ]
    # CLDR puts a no-break space before the currency sign; the README shows a space.
    lines = printed.getvalue().replace("\xa0", " ").splitlines()
    assert len(lines) >= len(expected)
    for line in expected:
        assert line in lines


def test_the_readme_has_examples() -> None:
    assert len(BLOCKS) >= 2
