"""An integrator's web handlers over AuthzService, type-checked by mypy --strict: the
Outcome narrows with ``match`` and with ``is_done``, and the events are typed."""

from __future__ import annotations

from selfcare.authz import (
    AuthzEvent,
    AuthzService,
    GrantRevoked,
    InvitationCreated,
    RemovalRequest,
)
from selfcare.core.ids import AccountId, RelationshipId
from selfcare.core.kinds import HTTP_STATUS
from selfcare.core.outcome import Done, Refused, is_done, is_refused
from selfcare.identity.assertion import IdentityAssertion


def may_order(service: AuthzService, user: AccountId, relationship: RelationshipId) -> str:
    match service.check(user, "order_services", relationship):
        case Done(value=grant):
            return f"yes, through {grant.id} ({grant.role})"
        case Refused() as refused:
            return f"no ({HTTP_STATUS[refused.kind]}: {', '.join(refused.codes)})"


def invite_spouse(
    service: AuthzService, relationship: RelationshipId, inviter: AccountId
) -> tuple[int, str | None]:
    outcome = service.invite(
        relationship,
        "pekka@example.fi",
        first_name="Pekka",
        last_name="Virtanen",
        message="Hei!",
        roles={"user"},
        inviter=inviter,
    )
    if is_done(outcome):
        created = [e for e in outcome.events if isinstance(e, InvitationCreated)]
        return 201, created[0].invitation_id if created else None
    if is_refused(outcome):
        return HTTP_STATUS[outcome.kind], None
    return 500, None


def remove(service: AuthzService, request: RemovalRequest, by: AccountId) -> list[str]:
    revoked = service.confirm_removal(request, by=by)
    audit: list[AuthzEvent] = [e for e in revoked.events if isinstance(e, AuthzEvent)]
    return [f"{e.user} lost {sorted(e.roles)}" for e in audit if isinstance(e, GrantRevoked)]


def fetch_other_contracts(
    service: AuthzService, account: AccountId, identified: IdentityAssertion
) -> tuple[int, list[RelationshipId]]:
    match service.link_customer_relationships(account, identified):
        case Done(value=grants):
            return 200, [g.relationship_id for g in grants]
        case Refused() as refused:
            return HTTP_STATUS[refused.kind], []
