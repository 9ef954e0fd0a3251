"""Journey 4: giving a spouse access, and taking it away.

Anna invites Pekka to her electricity contract in the portal's four phases (the cover
message is mandatory); Pekka registers within the week and accepts; Anna takes the
orderer role away again (choose, then confirm). An invitation to Matti, whose name the
portal proposes because he is a registered user, expires unanswered. (The energy authorization
guide.)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Final

import attrs

from selfcare.authz.invitee import check_cover_message
from selfcare.authz.model import ORDERER, USER
from selfcare.core.outcome import Done, Refused
from selfcare.demo.registration import register
from selfcare.demo.world import World

if TYPE_CHECKING:  # pragma: no cover - typing only
    from selfcare.authz.invitation import IssuedInvitation
    from selfcare.authz.model import Role
    from selfcare.core.ids import AccountId, RelationshipId

__all__ = ["run"]

#: The customer number of Anna's electricity contract.
NUMBER: Final = "6001234"


@attrs.frozen(kw_only=True)
class _Invite:
    """What the inviter enters: the address, the name, the message and the roles."""

    email: str
    name: tuple[str, str]
    message: str
    roles: frozenset[Role]
    empty_message_first: bool = False


def _invite(
    world: World, relationship: RelationshipId, invite: _Invite, *, inviter: AccountId
) -> IssuedInvitation:
    """The four phases of an invitation, each printed; the invitation e-mail is sent."""
    out, service = world.out, world.app.authz
    out.say("phase", number=1, what=out.text("phase_email", email=invite.email))
    proposed = service.propose_invitee_name(relationship, invite.email, caller=inviter).unwrap()
    name = invite.name if proposed is None else (proposed.first_name, proposed.last_name)
    out.say("phase", number=2, what=out.text("phase_names", name=" ".join(name)))
    if proposed is not None:
        out.say("proposed_name", indent=2, name=" ".join(name))
    out.say("phase", number=3, what=out.text("phase_message"))
    if invite.empty_message_first:
        out.refusal(check_cover_message("   ").violations)
    out.line(f'"{invite.message}"', 2)
    issued = service.invite(
        relationship,
        invite.email,
        first_name=name[0],
        last_name=name[1],
        message=invite.message,
        roles=set(invite.roles),
        inviter=inviter,
    ).unwrap()
    invitation = issued.invitation
    confirm = out.text(
        "phase_confirm", invitation=invitation.id, day=out.day(invitation.expires_at)
    )
    out.say("phase", number=4, what=confirm)
    # authz handed the invitation e-mail to the notifier when it saved the invitation
    world.out.message(world.notifier.last("authz.invitation"))
    return issued


def _spouse_registers_and_accepts(world: World, issued: IssuedInvitation) -> AccountId:
    """Pekka has no account yet: he registers within the week, then accepts."""
    out, service = world.out, world.app.authz
    world.move_clock(world.clock.now() + timedelta(days=2))
    email = issued.invitation.email.value
    pekka = register(
        world, "pekka", ("Pekka", "Virtanen"), email=email, passwords=("Pohjoistuuli9!",)
    )
    world.accounts["pekka"] = pekka
    pending = service.pending_invitations_of(pekka).unwrap()
    out.say("pending", name="Pekka", count=len(pending))
    acceptance = service.accept(issued.token, pekka).unwrap()
    roles = ", ".join(sorted(grant.role for grant in acceptance.grants))
    out.say("accepted", name="Pekka", roles=roles, number=NUMBER)
    world.check("Pekka", pekka, "view_invoices", NUMBER)
    world.check("Pekka", pekka, "order_services", NUMBER)
    return pekka


def _remove_orderer_role(world: World, pekka: AccountId, relationship: RelationshipId) -> None:
    """Removing a role: choose, then confirm; Pekka may still see the invoices."""
    out, service, anna = world.out, world.app.authz, world.accounts["anna"]
    request = service.request_removal(pekka, relationship, {ORDERER}, by=anna).unwrap()
    out.say("removal_choose", roles=ORDERER, name="Pekka", count=len(request.grants))
    revoked = service.confirm_removal(request, by=anna).unwrap()
    out.say("removal_done", count=len(revoked))
    world.check("Pekka", pekka, "order_services", NUMBER)
    world.check("Pekka", pekka, "view_invoices", NUMBER)


def run(world: World) -> None:
    """Journey 4: Anna invites Pekka, then takes a role away; Matti's invitation expires."""
    world.out.heading("heading.spouse_access")
    world.clock.set(datetime(2026, 4, 1, 7, 0, tzinfo=UTC))
    anna, relationship = world.accounts["anna"], world.relationships[NUMBER]
    spouse = _Invite(
        email="pekka.virtanen@example.fi",
        name=("Pekka", "Virtanen"),
        message="Hei Pekka, tässä sähkösopimuksemme. Terveisin Anna",
        roles=frozenset({USER, ORDERER}),
        empty_message_first=True,
    )
    issued = _invite(world, relationship, spouse, inviter=anna)
    pekka = _spouse_registers_and_accepts(world, issued)
    _remove_orderer_role(world, pekka, relationship)

    # An invitation nobody answers in 7 days. Matti is a registered user, so phase 2
    # proposes his name (the operator has opted in).
    cottage = _Invite(
        email="matti.meikalainen@example.fi",
        name=("Matti", "Meikäläinen"),
        message="Hei Matti, tässä mökin sähkösopimus.",
        roles=frozenset({USER}),
    )
    late = _invite(world, relationship, cottage, inviter=anna)
    world.move_clock(late.invitation.expires_at + timedelta(minutes=1))
    match world.app.authz.accept(late.token, world.accounts["matti"]):
        case Refused(decision=decision):
            world.out.refusal(decision.violations)
        case Done():  # pragma: no cover - the invitation has expired
            pass
