"""Journey 2: no identity code on file, and two names on one invoice.

Matti's broadband contract lacks his identity code: his registration finds no customer
relationship and completes with the "contact customer service" advice. Pekka's name is
on Anna's electricity invoice, but only Anna's identity code is on file: Pekka finds
nothing either, stops, and waits for Anna's invitation (journey 4). (The telecom registration
guide.)
"""

from __future__ import annotations

from selfcare.demo.registration import register, show_match, start_identified
from selfcare.demo.world import World

__all__ = ["run"]


def run(world: World) -> None:
    """Journey 2: Matti registers without a match; Pekka stops after identifying."""
    out = world.out
    out.heading("heading.identity_not_on_file")
    out.say("no_code_on_file", name="Matti Meikäläinen")
    world.accounts["matti"] = register(
        world, "matti", ("Matti", "Meikäläinen"), email="matti.meikalainen@example.fi"
    )
    out.line("")
    out.say("two_names", names="Anna Virtanen, Pekka Virtanen", holder="Anna Virtanen")
    registration = start_identified(
        world, "pekka", ("Pekka", "Virtanen"), provider=("op", "OP"), say_terms=False
    )
    show_match(world, registration.customers)
    out.advice(registration.advisories)
    world.app.identity.abandon_registration(registration.id).unwrap()
    out.say("abandoned", name="Pekka", holder="Anna")
