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


# The one word of output that is not a violation message.
_VALID = {"en": "valid", "fi": "kelvollinen", "sv": "giltigt", "nb": "gyldig"}


def _validate_id(args: argparse.Namespace, out: TextIO) -> int:
    from datetime import date  # noqa: PLC0415 - only this command needs it

    from selfcare.core.errors import SelfcareError  # noqa: PLC0415
    from selfcare.identity.national_id import parse_national_id  # noqa: PLC0415

    lang = normalize_language(args.lang)
    text = args.code if args.code is not None else sys.stdin.readline().rstrip("\r\n")
    today = args.today if args.today is not None else date.today()  # noqa: DTZ011 - the shell's day
    try:
        national_id = parse_national_id(
            text, args.country, today=today, allow_temporary=args.allow_temporary
        )
    except SelfcareError as error:
        out.writelines(f"{message}\n" for message in error.messages(lang))
        return EXIT_NO
    out.write(f"{national_id.masked}\t{_VALID[lang]}\t{national_id.birth_date.isoformat()}\n")
    return EXIT_OK


def _read_password() -> str:
    if sys.stdin.isatty():
        import getpass  # noqa: PLC0415 - only this command needs it

        return getpass.getpass("Password: ")
    return sys.stdin.readline().rstrip("\r\n")


def _check_password(args: argparse.Namespace, out: TextIO) -> int:
    from selfcare.identity.password import (  # noqa: PLC0415 - only this command needs it
        PasswordPolicy,
        check_password,
        hint_message,
    )

    lang = normalize_language(args.lang)
    policy = PasswordPolicy(min_strength=args.min_strength)
    decision = check_password(_read_password(), policy, personal=args.personal)
    if decision:
        out.write(f"{_VALID[lang]}\n")
        return EXIT_OK
    for violation in decision.violations:
        out.write(f"{violation.message(lang)}\n")
        hints = violation.params.get("hints", ())
        shown = hints if isinstance(hints, tuple) else ()
        out.writelines(f"  - {hint_message(str(hint), lang)}\n" for hint in shown)
    return EXIT_NO


def _demo(args: argparse.Namespace, out: TextIO) -> int:
    from selfcare.demo import run_demo  # noqa: PLC0415 - only this command needs it

    return run_demo(out, lang=args.lang, db=args.db)


def _iso_date(text: str) -> object:
    from datetime import date  # noqa: PLC0415

    try:
        return date.fromisoformat(text)
    except ValueError:
        msg = f"not a date in the form YYYY-MM-DD: {text[:20]!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _country(text: str) -> str:
    upper = text.strip().upper()
    if upper not in ("FI", "SE", "NO", "DK"):
        msg = "the country must be FI, SE, NO or DK"
        raise argparse.ArgumentTypeError(msg)
    return upper


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

    validate_id = commands.add_parser(
        "validate-id", help="check a national identity code (FI, SE, NO, DK)"
    )
    validate_id.add_argument("country", type=_country, help="FI, SE, NO or DK")
    validate_id.add_argument(
        "code", nargs="?", default=None, help="the code; read from stdin when omitted"
    )
    validate_id.add_argument("--lang", choices=LANGUAGES, default="en")
    validate_id.add_argument(
        "--today", type=_iso_date, default=None, help="check birth dates against this day"
    )
    validate_id.add_argument(
        "--allow-temporary", action="store_true", help="accept temporary codes"
    )
    validate_id.set_defaults(handler=_validate_id)

    password = commands.add_parser(
        "check-password",
        help="check a password read from stdin (or a prompt) against the default rules",
    )
    password.add_argument("--lang", choices=LANGUAGES, default="en")
    password.add_argument(
        "--personal",
        action="append",
        default=[],
        metavar="TEXT",
        help="the user's name or e-mail address (repeatable)",
    )
    password.add_argument(
        "--min-strength", type=int, choices=range(5), default=3, help="zxcvbn score 0-4"
    )
    password.set_defaults(handler=_check_password)

    demo = commands.add_parser(
        "demo",
        help="run the five journeys of the portal guides end to end on SQLite",
        description=(
            "Run the five journeys of the portal guides end to end on SQLite: "
            "registering with a bank identification; no identity code on file and two "
            "names on an invoice; ordering a TV channel and editing the MIX package; "
            "giving a spouse access and taking it away; an employee's company phone "
            "(one-time code, extra data, salary deduction, plan change, invoice)."
        ),
    )
    demo.add_argument("--lang", choices=LANGUAGES, default="en")
    demo.add_argument(
        "--db", default=None, metavar="PATH", help="keep the SQLite database in this file"
    )
    demo.set_defaults(handler=_demo)
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
