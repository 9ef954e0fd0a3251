"""The ``selfcare-violations`` directive: a table of every code of the message catalog.

Generated from ``selfcare/locale/*.toml`` at build time, so the page can never drift
from what the library says.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from selfcare.core.kinds import HTTP_STATUS
from selfcare.core.messages import LANGUAGES, catalog

_NAMES = {"en": "English", "fi": "suomi", "sv": "svenska", "nb": "norsk bokmål"}


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("`", "\\`").replace("|", "\\|")


class ViolationsDirective(SphinxDirective):
    """Render one section per domain file with a list-table of its codes."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        by_source: dict[str, list[Any]] = {}
        for entry in catalog().values():
            by_source.setdefault(entry.source, []).append(entry)
        lines: list[str] = []
        for source in sorted(by_source):
            title = source.removesuffix(".toml").replace("_", ": ")
            lines += [title, "-" * len(title), ""]
            for entry in sorted(by_source[source], key=lambda e: e.code):
                params = ", ".join(f"``{p}``" for p in entry.params) or "none"
                lines += [
                    f".. _violation-{entry.code}:",
                    "",
                    f"``{entry.code}``",
                    "~" * (len(entry.code) + 4),
                    "",
                    (
                        f"Kind: ``{entry.kind.value}`` (HTTP {HTTP_STATUS[entry.kind]}) -"
                        f" parameters: {params}"
                    ),
                    "",
                    ".. list-table::",
                    "   :widths: 15 85",
                    "",
                ]
                for lang in LANGUAGES:
                    lines += [f"   * - {_NAMES[lang]}", f"     - {_escape(entry.texts[lang])}"]
                lines.append("")
        return self.parse_text_to_nodes("\n".join(lines), allow_section_headings=True)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("selfcare-violations", ViolationsDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
