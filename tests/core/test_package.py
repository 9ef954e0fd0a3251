from __future__ import annotations

import subprocess
import sys

import pytest

import selfcare
from selfcare.cli import main


def test_version_is_a_string() -> None:
    assert selfcare.__version__.count(".") == 2


def test_every_exported_name_resolves() -> None:
    for name in selfcare.__all__:
        assert getattr(selfcare, name) is not None
    assert set(selfcare.__all__) <= set(dir(selfcare))


def test_unknown_attributes_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = selfcare.no_such_name  # type: ignore[attr-defined]


def test_import_loads_no_heavy_dependency() -> None:
    probe = (
        "import sys, selfcare; heavy = ('attrs', 'cattrs', 'zxcvbn', 'babel', 'phonenumbers',"
        " 'stdnum', 'typing', 'jinja2', 'markupsafe');"
        " print([m for m in heavy if m in sys.modules])"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout.strip()
    assert out == "[]"


def test_cli_lists_codes_in_a_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["codes", "--lang", "sv", "--prefix", "money.currency"]) == 0
    assert "money.currency_mismatch\tBelopp i {left} och {right}" in capsys.readouterr().out


def test_cli_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == 2
    assert main([]) == 2
    assert main(["--version"]) == 0
    capsys.readouterr()


def test_module_runs_as_a_program() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "selfcare", "codes", "--prefix", "time.naive"],
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("time.naive_datetime\t")
