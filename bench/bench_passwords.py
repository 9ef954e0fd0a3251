"""Password blocklist and personal rule: rates on full lists (issue 17).

- Django's common passwords (the installed Django's own ``common-passwords.txt.gz``
  when Django is installed - ``pip install -r bench/requirements.txt`` - otherwise our
  folded copy of it), made to meet the composition rules in the four ways of issue 17,
  through the default policy with the blocklist and without it (target: at most 1 %
  accepted with it).
- Every word of the Nordic classes with digits, years and symbols (target: none).
- The personal rule's false refusals of random four-word passphrases, three-character
  windows against Microsoft's whole tokens.
- The time of the default check with the lists loaded, against zxcvbn alone, and the
  one-time cost of loading the lists.
"""

from __future__ import annotations

import gzip
import random
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from harness import Report, best_of

from selfcare.identity.password import PasswordPolicy, check_password
from selfcare.identity.password_blocklist import NORDIC_CLASSES, class_words
from selfcare.identity.password_personal import personal_violation


def _django_list() -> tuple[list[str], str]:
    try:
        import django  # noqa: PLC0415
    except ImportError:
        return sorted(class_words("common_password")), "our folded copy of Django's list"
    path = Path(django.__file__).parent / "contrib" / "auth" / "common-passwords.txt.gz"
    words = [w.strip() for w in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()]
    return words, f"Django {django.get_version()} common-passwords.txt.gz"


def _digits_to_ten(word: str) -> str:
    capitalised = word.capitalize()
    return capitalised + "1234567890"[: max(1, 10 - len(capitalised))]


VARIANTS: dict[str, Callable[[str], str]] = {
    "capitalised": str.capitalize,
    "capitalised + digits to 10 (Dragon1234)": _digits_to_ten,
    "capitalised + 2025": lambda w: w.capitalize() + "2025",
    "capitalised + digits + ! (Status1234!)": lambda w: _digits_to_ten(w) + "!",
}


def _rates(report: Report) -> None:
    words, source = _django_list()
    report.heading(f"default policy on {len(words)} passwords of {source}")
    without = PasswordPolicy(blocklist=False)
    for name, made in VARIANTS.items():
        variants = [made(w) for w in words]
        with_list = sum(1 for p in variants if check_password(p)) / len(variants)
        without_list = sum(1 for p in variants if check_password(p, without)) / len(variants)
        report.figure(
            name,
            f"{with_list:.2%} accepted",
            f"target <= 1 %; {without_list:.2%} without the blocklist",
        )


def _nordic(report: Report) -> None:
    table = tomllib.loads(
        resources.files("selfcare.identity")
        .joinpath("data", "nordic_words.toml")
        .read_text(encoding="utf-8")
    )
    report.heading("default policy on the Nordic classes (word + 2025, 123!, 1!, !..99)")
    for word_class in NORDIC_CLASSES:
        words = [w.replace(" ", "") for lang in table[word_class].values() for w in lang]
        tried = [
            v
            for w in words
            if len(w) >= 3
            for v in (
                w.capitalize() + "2025",
                w.capitalize() + "123!",
                w.upper() + "1!",
                "!" + w.capitalize() + "99",
            )
        ]
        accepted = sum(1 for p in tried if check_password(p))
        report.figure(word_class, f"{accepted} of {len(tried)} accepted", "target: 0")


_WORDS = [
    "omena",
    "kirja",
    "talo",
    "ikkuna",
    "pilvi",
    "meri",
    "vuori",
    "joki",
    "metsä",
    "kivi",
    "lintu",
    "kukka",
    "tuuli",
    "sade",
    "lumi",
    "tähti",
    "kala",
    "hevonen",
    "koira",
    "kissa",
    "pöytä",
    "tuoli",
    "katto",
    "seinä",
    "lattia",
    "äpple",
    "hus",
    "fönster",
    "moln",
    "berg",
    "skog",
    "sten",
    "fågel",
    "blomma",
    "vind",
    "regn",
    "snö",
    "stjärna",
    "fisk",
    "häst",
    "hund",
    "katt",
    "bord",
    "stol",
    "tak",
    "vegg",
    "gulv",
    "eple",
    "vindu",
    "sky",
    "fjell",
    "stein",
    "fugl",
    "blomst",
    "regn",
    "hest",
    "hund",
    "bord",
    "stol",
    "violin",
    "otter",
    "garden",
    "pepper",
    "window",
    "river",
    "candle",
    "forest",
    "silver",
    "marble",
    "harbor",
    "ladder",
    "rocket",
    "saddle",
    "tunnel",
    "velvet",
    "walnut",
    "zipper",
    "bucket",
    "cactus",
]
_PEOPLE = (
    ("Matti Meikäläinen", "matti.meikalainen@example.fi"),
    ("Anna-Liisa Virtanen", "annaliisa.virtanen@gmail.com"),
    ("Test Client", "test.client@elisa.fi"),
    ("Erik Johansson", "erik.johansson@telia.com"),
    ("Ingrid Østby", "ingrid@online.no"),
    ("Søren Kierkegaard", "soren.k@mail.dk"),
)


def _personal(report: Report) -> None:
    rng = random.Random(17)
    phrases = [" ".join(rng.sample(_WORDS, 4)) for _ in range(2000)]
    report.heading("personal rule: random four-word passphrases refused, per person")
    for name, email in _PEOPLE:
        figures = []
        for mode in ("windows", "tokens"):
            refused = sum(
                1
                for p in phrases
                if personal_violation(p, (name, email), mode=mode, run=3) is not None
            )
            figures.append(f"{mode} {refused / len(phrases):.1%}")
        report.figure(name, ", ".join(figures))


def _timing(report: Report) -> None:
    import zxcvbn  # noqa: PLC0415

    probe = (
        "import time; t = time.perf_counter();"
        "from selfcare.identity.password import check_password; check_password('Kissa-2025!x');"
        "print(time.perf_counter() - t)"
    )
    first = float(
        subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", probe], check=True, capture_output=True, text=True
        ).stdout
    )
    report.heading("check_password with the lists")
    report.figure("first call in a fresh process (imports, lists, zxcvbn)", f"{first * 1e3:.0f} ms")
    personal = ("Matti Meikäläinen", "matti.meikalainen@example.fi")
    typical = "Tr0ub4dor&3x"
    check_password(typical, personal=personal)
    raw = best_of(lambda: zxcvbn.zxcvbn(typical, list(personal)), repeat=7, number=20)
    ours = best_of(lambda: check_password(typical, personal=personal), repeat=7, number=20)
    report.ratio("12 characters", ours, raw, "zxcvbn.zxcvbn alone (target <= 1.3x)")
    huge = "aB3" + "x" * (1 << 20)
    start = time.perf_counter()
    check_password(huge, personal=personal)
    report.figure("1 MB", f"{(time.perf_counter() - start) * 1e3:.2f} ms", "target < 25 ms")


def run(report: Report) -> None:
    """All password figures."""
    _timing(report)
    _rates(report)
    _nordic(report)
    _personal(report)
