"""The ``selfcare`` command line (``python -m selfcare``).

Exit codes: 0 when the answer is yes (valid, allowed, done), 1 when it is no, 2 for a
usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from selfcare import __version__
from selfcare.core.messages import LANGUAGES, catalog, normalize_language

__all__ = ["main"]

EXIT_OK = 0
EXIT_NO = 1
EXIT_USAGE = 2


def _codes(args: argparse.Namespace, out: TextIO) -> int:
    lang = normalize_language(args.lang)
    for code, entry in sorted(catalog().items()):
        if args.prefix and not code.startswith(args.prefix):
            continue
        out.write(f"{code}\t{entry.texts[lang]}\n")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m selfcare",
        description="Business rules of Nordic self-service portals.",
    )
    parser.add_argument("--version", action="version", version=f"selfcare {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    codes = commands.add_parser("codes", help="list every violation code and its message")
    codes.add_argument("--lang", choices=LANGUAGES, default="en")
    codes.add_argument("--prefix", default="", help="only codes that start with this")
    codes.set_defaults(handler=_codes)
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    handler = args.handler
    result: int = handler(args, out if out is not None else sys.stdout)
    return result
