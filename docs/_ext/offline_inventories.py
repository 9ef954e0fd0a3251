"""Intersphinx inventories for Python and attrs, written at build time without a network.

CI and newcomers build the docs offline, where intersphinx cannot download
``objects.inv``. This module writes small inventories (format version 2) naming the
standard-library and attrs objects our docstrings refer to, with the real URLs of their
documentation, so that links work for readers and ``-W`` builds stay reproducible.
"""

from __future__ import annotations

import builtins
import importlib
import inspect
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

PYTHON_URL = "https://docs.python.org/3"
ATTRS_URL = "https://www.attrs.org/en/stable"

_PY_MODULES = (
    "abc",
    "argparse",
    "calendar",
    "collections",
    "collections.abc",
    "contextlib",
    "datetime",
    "decimal",
    "enum",
    "functools",
    "hashlib",
    "hmac",
    "importlib.resources",
    "json",
    "logging",
    "pathlib",
    "re",
    "secrets",
    "sqlite3",
    "string",
    "threading",
    "types",
    "typing",
    "unicodedata",
    "uuid",
    "zoneinfo",
    "tomllib",
)

_BUILTIN_TYPES_PAGE = {
    "str": "stdtypes.html#str",
    "int": "functions.html#int",
    "bool": "functions.html#bool",
    "float": "functions.html#float",
    "tuple": "stdtypes.html#tuple",
    "list": "stdtypes.html#list",
    "dict": "stdtypes.html#dict",
    "set": "stdtypes.html#set",
    "frozenset": "stdtypes.html#frozenset",
    "bytes": "stdtypes.html#bytes",
    "object": "functions.html#object",
    "type": "functions.html#type",
}


def _entry(name: str, role: str, uri: str) -> str:
    return f"{name} py:{role} 1 {uri} -"


def _python_entries() -> list[str]:
    lines = []
    for name, value in vars(builtins).items():
        if name.startswith("_"):
            continue
        if isinstance(value, type) and issubclass(value, BaseException):
            lines.append(_entry(name, "exception", f"library/exceptions.html#{name}"))
        elif name in _BUILTIN_TYPES_PAGE:
            lines.append(_entry(name, "class", f"library/{_BUILTIN_TYPES_PAGE[name]}"))
        elif callable(value):
            lines.append(_entry(name, "function", f"library/functions.html#{name}"))
    for module_name in _PY_MODULES:
        module = importlib.import_module(module_name)
        page = f"library/{module_name}.html"
        lines.append(_entry(module_name, "module", f"{page}#module-{module_name}"))
        for name, value in vars(module).items():
            if name.startswith("_"):
                continue
            full = f"{module_name}.{name}"
            if inspect.isclass(value):
                role = "exception" if issubclass(value, BaseException) else "class"
                lines.append(_entry(full, role, f"{page}#{full}"))
                lines += [
                    _entry(f"{full}.{member}", "method", f"{page}#{full}.{member}")
                    for member in vars(value)
                    if not member.startswith("_")
                ]
            elif callable(value):
                lines.append(_entry(full, "function", f"{page}#{full}"))
            else:
                lines.append(_entry(full, "data", f"{page}#{full}"))
    return lines


def _attrs_entries() -> list[str]:
    import attrs  # noqa: PLC0415

    lines = [_entry("attrs", "module", "api.html#module-attrs")]
    lines += [
        _entry(
            f"attrs.{name}",
            "class" if inspect.isclass(getattr(attrs, name)) else "function",
            f"api.html#attrs.{name}",
        )
        for name in dir(attrs)
        if not name.startswith("_")
    ]
    return lines


def _write(path: Path, project: str, lines: list[str]) -> Path:
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n# Version: \n"
        "# The remainder of this file is compressed using zlib.\n"
    ).encode()
    body = "\n".join(sorted(set(lines))).encode() + b"\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + zlib.compress(body))
    return path


def _write_into_output(app: Sphinx, config: Config) -> None:
    """At ``config-inited`` (before intersphinx reads its mapping): write the
    inventories into this build's output folder and point intersphinx at them."""
    config.intersphinx_mapping = write_inventories(Path(app.outdir) / "_inventories")


def setup(app: Sphinx) -> dict[str, bool]:
    """A Sphinx extension: the inventories go into the output folder of each build."""
    app.setup_extension("sphinx.ext.intersphinx")
    # intersphinx normalises its mapping at config-inited with priority 800: run first.
    app.connect("config-inited", _write_into_output, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def write_inventories(folder: Path) -> dict[str, tuple[str, tuple[str]]]:
    """Write the inventories into ``folder``; return an ``intersphinx_mapping``."""
    python = _write(folder / "python.inv", "Python", _python_entries())
    attrs_inv = _write(folder / "attrs.inv", "attrs", _attrs_entries())
    return {
        "python": (PYTHON_URL, (str(python),)),
        "attrs": (ATTRS_URL, (str(attrs_inv),)),
    }
