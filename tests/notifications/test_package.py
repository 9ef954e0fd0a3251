"""The notifications package stays cheap to import."""

from __future__ import annotations


def test_importing_the_package_does_not_load_jinja2() -> None:
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    probe = "import sys, selfcare.notifications; print('jinja2' in sys.modules)"
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout.strip()
    assert out == "False"
