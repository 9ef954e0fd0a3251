"""Integrator-style use of the identity service and its values, type-checked by
``mypy --strict`` in CI.

Never run; it fails the build when a public signature stops accepting what an
integrator naturally passes, or stops refusing what it must refuse.
"""

from __future__ import annotations

from datetime import datetime

from selfcare.identity import AuthMethod, IdentityAssertion, LevelOfAssurance, NationalId


def bank_assertion(person: NationalId, issued_at: datetime) -> IdentityAssertion:
    return IdentityAssertion(
        method=AuthMethod.BANK,
        level=LevelOfAssurance.SUBSTANTIAL,
        national_id=person,
        given_names="Anna",
        surname="Virtanen",
        provider="Example Bank",
        issued_at=issued_at,
    )


def assertion_from_a_careless_provider(person: NationalId) -> IdentityAssertion:
    # A level is a LevelOfAssurance (or its name), a time an aware datetime: mypy says so.
    return IdentityAssertion(
        method="bank",
        level=3,  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
        national_id=person,
        given_names="Anna",
        surname="Virtanen",
        provider="Example Bank",
        issued_at="yesterday",  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    )


def log_in_from(client_ip: str) -> bool:
    from selfcare.bootstrap import bootstrap  # noqa: PLC0415
    from selfcare.identity import LoginSource  # noqa: PLC0415

    app = bootstrap()
    outcome = app.identity.login("anna@example.fi", "Kuusi7Sorsaa", source=LoginSource(client_ip))
    # The source is required: nothing could tell the attacker from the owner without it.
    app.identity.login("anna@example.fi", "Kuusi7Sorsaa")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    app.identity.confirm_login_unlock("token", source=LoginSource(client_ip))
    return outcome.ok
