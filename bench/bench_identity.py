"""Identity rules: national-id parsing against python-stdnum, and password checks.

- ``parse_national_id`` per country against calling python-stdnum's ``validate``
  directly on the same code (target: at most 1.5x; we add distinct codes per failure,
  an injected today, canonical forms and the NationalId value).
- ``check_password`` on a 12-character password against raw ``zxcvbn.zxcvbn`` on the
  same password, and on worst cases (1 MB; a 40-character l33t-heavy password that
  sends raw zxcvbn into its exponential substitution search) against the 12-character
  check (target: every case under 25 ms).
"""

from __future__ import annotations

from datetime import date

from harness import Report, best_of

from selfcare.identity.national_id import parse_national_id
from selfcare.identity.password import PasswordPolicy, check_password

TODAY = date(2026, 1, 1)
CODES = {
    "FI": ("131052-308T", "stdnum.fi.hetu"),
    "SE": ("811218-9876", "stdnum.se.personnummer"),
    "NO": ("15108695088", "stdnum.no.fodselsnummer"),
    "DK": ("211062-5629", "stdnum.dk.cpr"),
}
PERSONAL = ("Matti Meikäläinen", "matti.meikalainen@example.fi")


def _national_ids(report: Report) -> None:
    import importlib  # noqa: PLC0415

    report.heading("parse_national_id vs python-stdnum validate")
    for country, (code, module_name) in CODES.items():
        module = importlib.import_module(module_name)
        module.validate(code)
        parse_national_id(code, country, today=TODAY)
        theirs = best_of(lambda m=module, c=code: m.validate(c), repeat=7, number=2000)
        ours = best_of(
            lambda c=code, k=country: parse_national_id(c, k, today=TODAY), repeat=7, number=2000
        )
        report.ratio(f"{country} {code[:6]}-****", ours, theirs, f"{module_name}.validate")


def _passwords(report: Report) -> None:
    import zxcvbn  # noqa: PLC0415

    report.heading("check_password")
    typical = "Tr0ub4dor&3x"
    check_password(typical, personal=PERSONAL)
    raw = best_of(lambda: zxcvbn.zxcvbn(typical, list(PERSONAL)), repeat=7, number=20)
    ours = best_of(lambda: check_password(typical, personal=PERSONAL), repeat=7, number=20)
    report.ratio("12 characters", ours, raw, "zxcvbn.zxcvbn alone")
    worst_cases = {
        "1 MB ASCII": "aB3" + "x" * (1 << 20),
        "1 MB non-ASCII (Ä)": "Ä" * (1 << 20),
        "1 MB title-case digraphs": "ǅ" * (1 << 20),
        "40 characters l33t-heavy": "4@8({[<3&69!|1705$+%24@8({[<3&69!|1705$+",
        "72 characters keyboard walk": ("1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p" * 2),
        "30 characters repeated l33t": "4@8({[<3&6" * 3,
    }
    worst = 0.0
    for name, password in worst_cases.items():
        seconds = best_of(lambda p=password: check_password(p, personal=PERSONAL), repeat=5)
        worst = max(worst, seconds)
        report.ratio(name, seconds, ours, "the 12-character check")
    report.figure("worst case", f"{worst * 1e3:.2f} ms", "target < 25 ms")
    l33t = worst_cases["40 characters l33t-heavy"][:20]
    raw_l33t = best_of(lambda: zxcvbn.zxcvbn(l33t), repeat=3)
    ours_l33t = best_of(lambda: check_password(l33t, PasswordPolicy()), repeat=3)
    report.ratio("20 l33t characters", ours_l33t, raw_l33t, "zxcvbn.zxcvbn alone (unbounded)")


_DJANGO_DEFAULTS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]


def _django_validators() -> object | None:
    """Django's password_validation module, or None when Django is missing."""
    try:
        import django  # noqa: PLC0415
        from django.conf import settings  # noqa: PLC0415
    except ImportError:
        return None
    if not settings.configured:  # another bench may have configured Django already
        settings.configure()
    django.setup()
    from django.contrib.auth import password_validation  # noqa: PLC0415

    return password_validation


class _User:
    # What UserAttributeSimilarityValidator compares against: the same personal data.
    username = "matti.meikalainen@example.fi"
    first_name = "Matti"
    last_name = "Meikäläinen"
    email = "matti.meikalainen@example.fi"


def _versus_django(report: Report) -> None:
    validation = _django_validators()
    report.heading("check_password vs Django's four default validators")
    if validation is None:
        report.figure("Django", "not installed", "pip install -r bench/requirements.txt")
        return
    user = _User()
    # Passed explicitly: the settings may have been configured by another benchmark.
    validators = validation.get_password_validators(_DJANGO_DEFAULTS)  # type: ignore[attr-defined]
    assert len(validators) == 4

    from django.core.exceptions import ValidationError  # noqa: PLC0415

    def django_check(password: str) -> bool:
        """Whether Django refuses the password."""
        try:
            validation.validate_password(password, user, validators)  # type: ignore[attr-defined]
        except ValidationError:
            return True
        return False

    assert django_check("password123"), "Django must refuse a common password"
    for name, password in {
        "12 characters": "Tr0ub4dor&3x",
        "weak (common)": "password123",
        "72 characters": "correct horse battery staple " * 2 + "abcdefghijklmn",
    }.items():
        django_check(password)
        theirs = best_of(lambda p=password: django_check(p), repeat=5, number=20)
        ours = best_of(lambda p=password: check_password(p, personal=PERSONAL), repeat=5, number=20)
        report.ratio(name, ours, theirs, "Django validate_password (4 validators)")


def run(report: Report) -> None:
    _national_ids(report)
    _passwords(report)
    _versus_django(report)
