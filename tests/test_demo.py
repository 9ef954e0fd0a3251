"""`python -m selfcare demo`: the five journeys run end to end on SQLite, in every language."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from selfcare.adapters.sqlite.authz import SqliteAuthzUnitOfWork
from selfcare.adapters.sqlite.billing import SqliteBillingUnitOfWork
from selfcare.adapters.sqlite.identity import SqliteIdentityUnitOfWork
from selfcare.adapters.sqlite.schema import open_database
from selfcare.authz.accounts import IdentityAccountDirectory
from selfcare.cli import main
from selfcare.core.decision import Violation
from selfcare.core.ids import AccountId, CustomerNumber
from selfcare.core.money import Money
from selfcare.demo import DEMO_KEY, run_demo
from selfcare.demo.narration import narration
from selfcare.identity.contact import EmailAddress
from selfcare.identity.national_id_at_rest import NationalIdKey
from selfcare.testing.fakes import SeededSecrets

LANGS = ("en", "fi", "sv", "nb")
HEADINGS = (
    "heading.registration",
    "heading.identity_not_on_file",
    "heading.tv_order",
    "heading.spouse_access",
    "heading.company_phone",
)


def _text(key: str, lang: str) -> str:
    return narration()[key][lang]


def _run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["demo", *args], out=out)
    return code, out.getvalue()


@pytest.fixture(scope="module")
def outputs() -> dict[str, str]:
    found = {}
    for lang in LANGS:
        code, text = _run("--lang", lang)
        assert code == 0, text
        found[lang] = text
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_every_heading_is_printed_in_the_chosen_language(
    outputs: dict[str, str], lang: str
) -> None:
    text = outputs[lang]
    for key in ("title", *HEADINGS):
        assert _text(key, lang) in text
    assert _text("done_temporary", lang) in text


@pytest.mark.parametrize("lang", LANGS)
def test_no_line_speaks_of_internal_documents(outputs: dict[str, str], lang: str) -> None:
    for line in outputs[lang].splitlines():
        assert "seed" not in line.casefold(), line


def test_the_command_help_speaks_of_journeys_not_documents() -> None:
    from selfcare.cli import build_parser  # noqa: PLC0415

    parser = build_parser()
    assert "seed" not in parser.format_help().casefold()
    result = subprocess.run(
        [sys.executable, "-m", "selfcare", "demo", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert "journeys" in result.stdout
    assert "seed" not in result.stdout.casefold()


@pytest.mark.parametrize("lang", LANGS)
def test_the_weak_password_is_refused_with_all_its_reasons(
    outputs: dict[str, str], lang: str
) -> None:
    text = outputs[lang]
    for violation in (
        Violation("password.too_short", {"min_length": 10}),
        Violation("password.missing_upper"),
        Violation("password.contains_personal", {"run": 3}),
    ):
        assert violation.message(lang) in text
    assert "password.too_weak" not in text  # codes are rendered, never shown raw


@pytest.mark.parametrize("lang", LANGS)
def test_refusals_and_the_advisory_are_rendered(outputs: dict[str, str], lang: str) -> None:
    text = outputs[lang]
    expected = [
        Violation("registration.no_customer_found"),
        Violation("registration.provider_not_accepted", {"provider": "Sparbanken"}),
        Violation("billing.no_valid_agreement"),
        Violation("bundle.too_few_items", {"min_items": 3}),
        Violation("invitation.message_required"),
        Violation("invitation.expired"),
        Violation("order.self_service_not_activated"),
        Violation("otp.wrong_code", {"attempts_left": 4}),
    ]
    for violation in expected:
        assert violation.message(lang) in text, violation.code


@pytest.mark.parametrize("lang", LANGS)
def test_the_deduction_is_shown_before_the_order_and_the_invoice_adds_up(
    outputs: dict[str, str], lang: str
) -> None:
    text = outputs[lang]
    deduction = Money("39.30", "NOK").format(lang).replace("\xa0", " ")
    split_at = text.index(_text("split", lang).split("{")[0].rstrip())
    ordered_at = text.index(_text("ordered", lang).split("{order}")[0] + "demo-26")
    assert split_at < ordered_at
    assert deduction in text[split_at:ordered_at]
    total = Money("728.30", "NOK").format(lang).replace("\xa0", " ")
    vat = Money("145.66", "NOK").format(lang).replace("\xa0", " ")
    assert _text("total", lang).format(gross=total, vat=vat) in text


def test_the_story_is_the_portal_journeys_in_english(outputs: dict[str, str]) -> None:
    text = outputs["en"]
    assert "Identified with Nordea: 131052-****" in text
    assert "131052-308T" not in text  # national ids are masked
    assert "E-mail to anna.private@example.fi [registration.verify_email, en]" in text
    assert "E-mail to anna.private@example.fi [registration.completed, en] given_names=Anna" in text
    assert "[authz.invitation, en] with a one-time link first_name=Pekka" in text
    assert "Customer relationships found: 6001234 (electricity), 8100777 (broadband_tv)" in text
    assert "Sport Max, 12 months: from 10 Mar 2026, ends 10 Mar 2027" in text
    assert "MIX package: from 10 Mar 2026, until further notice" in text
    assert "Cancelling Sport Max, 12 months is done in writing" in text
    assert "Nothing is terminated: Sport Max, 12 months is still active." in text
    assert "New selection of 5 channels: €5.00/month more from 1 Apr 2026." in text
    assert "Pekka accepts: roles orderer, user on 6001234." in text
    assert "Pekka may order services: no" in text
    assert "(proposed: Matti Meikäläinen is a registered user)" in text
    assert "SMS to +4741234567 [otp.confirm_phone, en] with a one-time code" in text
    assert "Business Total C (10 GB) -> Business Total E (50 GB)" in text
    assert "VAT 25 %: net NOK582.64, VAT NOK145.66" in text


def test_two_runs_print_the_same_lines(outputs: dict[str, str]) -> None:
    assert _run("--lang", "en") == (0, outputs["en"])


def test_the_database_is_kept_and_can_be_reopened(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    code, text = _run("--db", str(path), "--lang", "sv")
    assert code == 0
    assert _text("done", "sv").format(path=path) in text
    database = open_database(path)
    try:
        with SqliteBillingUnitOfWork(database) as billing:
            (invoice,) = billing.invoices.for_payer(CustomerNumber("NO-991234567-17"))
        assert str(invoice.gross_total) == "728.30 NOK"
        with SqliteAuthzUnitOfWork(database) as authz:
            number = CustomerNumber("6001234")
            relationship = authz.relationships.find_by_customer_number(number)
            assert relationship is not None
            assert len(authz.invitations.for_relationship(relationship.id)) == 2
    finally:
        database.close()


def test_the_accounts_are_kept_and_serve_as_the_authz_account_directory(tmp_path: Path) -> None:
    path = tmp_path / "accounts.sqlite3"
    assert _run("--db", str(path))[0] == 0
    database = open_database(path)
    try:
        identity = SqliteIdentityUnitOfWork(database, NationalIdKey(DEMO_KEY))
        accounts = IdentityAccountDirectory(identity)
        found = accounts.find_by_email(EmailAddress.parse("Anna.Private@example.fi"))
        assert found is not None
        assert (found.first_name, found.last_name) == ("Anna", "Virtanen")
        assert accounts.verified_email(found.account) == EmailAddress.parse(
            "anna.private@example.fi"
        )
        assert accounts.find_by_email(EmailAddress.parse("nobody@example.fi")) is None
        assert accounts.verified_email(AccountId("nobody")) is None
    finally:
        database.close()


def test_a_database_with_a_demo_run_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "kept.sqlite3"
    assert _run("--db", str(path))[0] == 0
    before = path.read_bytes()
    code, text = _run("--db", str(path), "--lang", "fi")
    assert code == 2
    assert _text("db_in_use", "fi").format(path=path) in text
    assert path.read_bytes() == before


@pytest.mark.parametrize("kind", ["text file", "directory", "missing folder"])
def test_a_path_that_is_no_database_is_refused_untouched(tmp_path: Path, kind: str) -> None:
    path = {
        "text file": tmp_path / "notes.txt",
        "directory": tmp_path,
        "missing folder": tmp_path / "missing" / "demo.sqlite3",
    }[kind]
    if kind == "text file":
        path.write_text("not a database\n" * 10, encoding="utf-8")
    code, text = _run("--db", str(path), "--lang", "nb")
    assert code == 2
    assert text.splitlines()[1].startswith(f"{path} kan ikke brukes som SQLite-database (")
    if kind == "text file":
        assert path.read_text(encoding="utf-8") == "not a database\n" * 10
    assert not (tmp_path / "missing").exists()


def test_an_empty_or_foreign_file_is_used(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    assert run_demo(io.StringIO(), db=empty) == 0
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    conn.close()
    assert run_demo(io.StringIO(), db=foreign) == 0


def test_the_demo_runs_as_a_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "selfcare", "demo", "--lang", "nb"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert _text("heading.company_phone", "nb") in result.stdout
    assert result.stderr == ""


def test_an_unknown_language_is_a_usage_error() -> None:
    assert main(["demo", "--lang", "de"], out=io.StringIO()) == 2


def test_the_seeded_secrets_of_the_demo_repeat_and_differ_by_seed() -> None:
    one, two, other = SeededSecrets(1), SeededSecrets(1), SeededSecrets(2)
    assert [one.digits(6), one.token(16)] == [two.digits(6), two.token(16)]
    assert SeededSecrets(1).token(32) != other.token(32)
    assert SeededSecrets(3).digits(12).isdigit()
