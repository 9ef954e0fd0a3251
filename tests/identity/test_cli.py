"""The validate-id and check-password commands."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from selfcare.cli import main


class FakeStdin(io.StringIO):
    def __init__(self, text: str, *, tty: bool = False) -> None:
        super().__init__(text)
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def _run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = main(argv, out=out)
    return code, out.getvalue()


def test_validate_id_prints_the_masked_code_and_exits_0() -> None:
    code, text = _run(["validate-id", "FI", "131052-308T", "--today", "2026-01-01"])
    assert code == 0
    assert text == "131052-****\tvalid\t1952-10-13\n"
    assert "308T" not in text


def test_validate_id_prints_the_reasons_in_the_language_and_exits_1() -> None:
    code, text = _run(["validate-id", "fi", "131052-308U", "--lang", "fi"])
    assert code == 1
    assert text.startswith("Henkilötunnuksen tarkistusmerkki ei täsmää")


def test_validate_id_reads_stdin_and_allows_temporary_codes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin("010594Y9021\n"))
    assert _run(["validate-id", "FI", "--allow-temporary", "--lang", "sv"]) == (
        0,
        "010594-****\tgiltigt\t1994-05-01\n",
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["validate-id", "DE", "131052-308T"],
        ["validate-id", "FI", "131052-308T", "--today", "yesterday"],
        ["validate-id"],
        ["check-password", "--lang", "de"],
        ["check-password", "--min-strength", "7"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    capsys.readouterr()


def test_check_password_reads_stdin_and_prints_every_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin("kissa123\n"))
    code, text = _run(["check-password", "--lang", "nb"])
    assert code == 1
    lines = text.splitlines()
    assert lines[0] == "Passordet må være minst 10 tegn langt."
    assert any(line.startswith("  - ") for line in lines)
    assert "kissa123" not in text


def test_check_password_uses_personal_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin("Xmeik4laXX1-Lumi\n"))
    code, text = _run(["check-password", "--personal", "Matti Meikäläinen"])
    assert code == 1
    assert "consecutive characters" in text


def test_check_password_accepts_a_good_password_from_a_prompt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin("", tty=True))
    monkeypatch.setattr("getpass.getpass", lambda _prompt: "Kuusi-Porkkanaa-Lensi7")
    assert _run(["check-password", "--lang", "fi"]) == (0, "kelvollinen\n")


def test_the_password_is_never_an_argument() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "selfcare", "check-password", "Secret123Secret"],
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2


def test_check_password_as_a_program_reads_a_pipe() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "selfcare", "check-password", "--min-strength", "0"],
        input="Tuulimylly7x\n",
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert result.stdout == "valid\n"
