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


def log_in_without_a_password(client_ip: str, person: NationalId, now: datetime) -> str | None:
    """The bank, a work account and new terms of use, as a web layer would drive them."""
    from selfcare.bootstrap import Policies, bootstrap  # noqa: PLC0415
    from selfcare.core.kinds import Kind  # noqa: PLC0415
    from selfcare.core.outcome import Done, Refused  # noqa: PLC0415
    from selfcare.identity import LoginSource  # noqa: PLC0415
    from selfcare.identity.terms import TermsOfUse  # noqa: PLC0415
    from selfcare.identity.work_account import SsoAssertion, WorkAccountPolicy  # noqa: PLC0415

    terms = TermsOfUse(version="2", published_at=now)
    policies = Policies(
        work_account=WorkAccountPolicy(trusted_tenants={"tenant-a"}, audiences={"portal"})
    ).with_terms_of_use(terms)
    app = bootstrap(policies=policies)
    source = LoginSource(client_ip)
    outcome = app.identity.login_with_identification(bank_assertion(person, now), source=source)
    match outcome:
        case Refused(decision=decision) if decision.kind is Kind.ACTION_REQUIRED:
            pending = decision.violations[0].params["pending_login"]
            assert isinstance(pending, str)
            app.identity.complete_login_with_terms(pending, terms.version)
        case Done(value=account):
            work = SsoAssertion(
                tenant_id="tenant-a",
                subject="employee-1",
                email="anna@company.example",
                issued_at=now,
                audience="portal",
            )
            app.identity.link_work_account(account.id, work)
            app.identity.login_with_work_account(work, source=source)
            return account.terms_version
        case _:
            pass
    # A work account logs in by its assertion, never by a bare address.
    app.identity.login_with_work_account("anna@company.example", source=source)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    return None
