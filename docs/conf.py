"""Sphinx configuration of the selfcare documentation."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "_ext"))

import selfcare  # noqa: E402 - after the path is set

project = "selfcare"
author = "The selfcare developers"
copyright = "2026, The selfcare developers"
version = release = selfcare.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "sphinx_copybutton",
    "selfcare_violations",
    # The build runs offline (CI has no network but the package registries), so
    # intersphinx reads inventories this extension writes into the output folder at
    # start-up (never into the sources); links still point at the real sites.
    "offline_inventories",
]
intersphinx_timeout = 5

# The copy button copies the code of a ">>> " session or a "$ " console without the
# prompts and without the output lines.
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

# Docstring examples (pulled in by autodoc) are written in their module's namespace, so
# every doctest group starts with the public names of every selfcare module. Tutorials
# still show their imports, for the reader.
doctest_global_setup = """
import importlib as _importlib
import pkgutil as _pkgutil
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import selfcare as _selfcare
from selfcare.core import messages as _messages

_messages.set_strict_mode(True)
for _info in _pkgutil.walk_packages(_selfcare.__path__, "selfcare."):
    # The reference schemes share python-stdnum's verbs (format, validate, ...): their
    # examples name the module (fi_reference.create) rather than shadow builtins.
    if _info.name.startswith(
        ("selfcare.testing", "selfcare.__main__", "selfcare.billing.references.")
    ):
        continue
    _module = _importlib.import_module(_info.name)
    globals().update({k: v for k, v in vars(_module).items() if not k.startswith("_")})
"""
doctest_test_doctest_blocks = "default"

exclude_patterns = ["_build", "_inventories", "_ext", "_static"]
html_theme = "furo"
html_title = f"selfcare {release}"
# Long code lines wrap instead of running off the page (docs/_static/selfcare.css).
html_static_path = ["_static"]
html_css_files = ["selfcare.css"]
templates_path: list[str] = []
nitpicky = False
