"""Journey 1: registering with a bank identification.

Anna accepts the terms, tries a bank the operator does not list, identifies with
Nordea, finds her two customer relationships, keeps the prefilled contact details but a
private e-mail address, reads the password rules, has a weak password refused with all
its reasons, confirms the e-mail address with the link, logs in and links her
relationships. :func:`register` is the registration itself (the energy registration guide's four
phases), which the other journeys reuse for Matti and Pekka.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

import attrs

from selfcare.demo.world import TERMS_VERSION, World
from selfcare.identity.ids import LoginSource

if TYPE_CHECKING:  # pragma: no cover - typing only
    from selfcare.core.ids import AccountId
    from selfcare.identity.national_id import NationalId
    from selfcare.identity.registration import MatchedCustomer, Registration

__all__ = ["masked", "register", "run", "show_match", "start_identified"]

#: The password that every registration ends with, unless told otherwise.
GOOD_PASSWORD: Final = "Kuusi7Sorsaa!"  # noqa: S105 - a demo password, printed on purpose


def masked(national_id: NationalId | None) -> str:
    """A national identity code as the demo prints it: birth date part only."""
    return "-" if national_id is None else national_id.masked


def show_match(world: World, customers: Sequence[MatchedCustomer]) -> None:
    """Print the customer relationships a registration found."""
    found = ", ".join(f"{customer.customer_number} ({customer.kind})" for customer in customers)
    world.out.say("matched", found=found or world.out.text("none"))


def start_identified(
    world: World,
    person: str,
    name: tuple[str, str],
    *,
    provider: tuple[str, str] = ("nordea", "Nordea"),
    unlisted_bank: str | None = None,
    say_terms: bool = True,
) -> Registration:
    """Start a registration, accept the terms and identify ``person`` with a bank;
    then match the customer relationships.

    Args:
        world: the demo's world.
        person: whose national identity code the bank asserts.
        name: given name and surname as the bank writes them.
        provider: the bank's id and its printed name.
        unlisted_bank: a bank to try first, which the operator does not accept.
        say_terms: print that the terms are accepted.
    """
    out, service = world.out, world.app.identity
    registration = service.start_registration(language=out.lang).unwrap()
    registration = service.accept_terms(registration.id, terms_version=TERMS_VERSION).unwrap()
    if say_terms:
        out.say("terms", name=" ".join(name), version=TERMS_VERSION)
    if unlisted_bank is not None:
        out.say("try_bank", bank=unlisted_bank)
        refused = service.identify(registration.id, world.assertion(person, *name, unlisted_bank))
        out.refusal(refused.decision.violations)
    assertion = world.assertion(person, *name, provider[0])
    registration = service.identify(registration.id, assertion).unwrap()
    out.say("identified", provider=provider[1], national_id=masked(registration.national_id))
    return service.match_customers(registration.id).unwrap()


def _confirm_profile(world: World, registration: Registration, email: str | None) -> Registration:
    """Show the prefilled contact details, change the e-mail address, confirm."""
    out = world.out
    form = registration.prefill
    if form is None:  # pragma: no cover - a matched registration has a prefill
        raise AssertionError("no prefill")
    address = ", ".join(part for part in (form.street, form.postal_code, form.city) if part)
    out.say(
        "prefill",
        name=f"{form.given_names} {form.surname}",
        email=form.email or "-",
        address=address or "-",
    )
    if email is not None and email != form.email:
        out.say("email_changed" if form.email else "email_entered", email=email)
        form = attrs.evolve(form, email=email)
    return world.app.identity.confirm_profile(registration.id, form).unwrap()


def _set_password(
    world: World, registration: Registration, passwords: Sequence[str], *, show_rules: bool
) -> None:
    """Try each of ``passwords`` in turn, printing the refusals; the last one holds."""
    out = world.out
    if show_rules:
        out.say("password_rules")
        for rule in world.app.policies.registration.password.help(out.lang):
            out.line(f"- {rule}", 2)
    for password in passwords:
        out.say("try_password", password=password)
        result = world.app.identity.set_credentials(registration.id, password)
        if not result:
            out.refusal(result.decision.violations)
    out.say("password_ok")


def _complete(world: World, registration: Registration) -> AccountId:
    """Send the confirmation e-mail, follow its link; the account exists."""
    out, service = world.out, world.app.identity
    registration = service.confirm_registration(registration.id).unwrap()
    verify = world.notifier.last()
    out.message(verify)
    if verify.secret is None:  # pragma: no cover - a verification e-mail has a token
        raise AssertionError("no token")
    completion = service.complete_registration(registration.id, verify.secret).unwrap()
    account = completion.account
    out.say("completed", account=account.id, email=account.email.value)
    out.message(world.notifier.last())
    out.advice(completion.registration.advisories)
    return account.id


def register(
    world: World,
    person: str,
    name: tuple[str, str],
    *,
    email: str | None = None,
    passwords: Sequence[str] = (GOOD_PASSWORD,),
    show_rules: bool = False,
    unlisted_bank: str | None = None,
) -> AccountId:
    """Register ``person`` in the four phases of the portal: terms and identification,
    contact details, password, e-mail confirmation; returns the new account.

    Args:
        world: the demo's world.
        person: who registers (a key of ``world.people``).
        name: given name and surname.
        email: the e-mail address entered, when it differs from the prefilled one.
        passwords: the passwords tried, the last one good.
        show_rules: print the password rules before the first try.
        unlisted_bank: a bank to try first, which the operator does not accept.
    """
    registration = start_identified(world, person, name, unlisted_bank=unlisted_bank)
    show_match(world, registration.customers)  # the advice is shown on completion
    registration = _confirm_profile(world, registration, email)
    _set_password(world, registration, passwords, show_rules=show_rules)
    return _complete(world, registration)


def run(world: World) -> None:
    """Journey 1: Anna registers, logs in and links her customer relationships."""
    world.out.heading("heading.registration")
    anna = register(
        world,
        "anna",
        ("Anna", "Virtanen"),
        email="anna.private@example.fi",
        passwords=("anna2026", GOOD_PASSWORD),
        show_rules=True,
        unlisted_bank="Sparbanken",
    )
    world.accounts["anna"] = anna
    account = world.app.identity.login(
        "Anna.Private@example.fi", GOOD_PASSWORD, source=LoginSource("192.0.2.10")
    ).unwrap()
    world.out.say("login", email=account.email.value)
    world.link(anna, "anna", ("Anna", "Virtanen"))
