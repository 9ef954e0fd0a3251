"""The invitation e-mail: what :class:`~selfcare.authz.service.AuthzService` hands the
notifier when it issues or resends an invitation.

The invitee reads who invites them, the inviter's cover message and the last day the
invitation is valid, and gets two links - accept and decline - built from the token.
The token travels only as the message's ``secret`` (never a parameter), so a renderer
puts it in the links and nowhere else.

>>> from datetime import UTC, datetime
>>> from selfcare.authz.invitee import AccountContact
>>> from selfcare.authz.invitation import invite
>>> from selfcare.authz.model import HOLDER, Grant, GrantId
>>> from selfcare.testing.fakes import CountingSecrets, SequentialIds
>>> now = datetime(2026, 3, 2, 8, tzinfo=UTC)
>>> holder = Grant(id=GrantId("g-1"), user="anna", relationship_id="rel-1", role=HOLDER,
...                granted_by=None, granted_at=now)
>>> issued = invite("rel-1", "pekka@example.fi", first_name="Pekka", last_name="Virtanen",
...     message="Hei!", roles={"user"}, inviter="anna", grants=[holder], existing=[],
...     ids=SequentialIds("i"), secrets=CountingSecrets(), now=now).unwrap()
>>> from selfcare.identity.profile import Language
>>> anna = AccountContact(account="anna", first_name="Anna", last_name="Virtanen",
...                       email=None, language=Language.SV)
>>> mail = invitation_message(issued, inviter=anna, invitee=None)
>>> mail.template, mail.language.value, mail.params["inviter_name"], mail.secret == issued.token
('authz.invitation', 'sv', 'Anna Virtanen', True)
"""

from __future__ import annotations

from selfcare.authz.invitation import IssuedInvitation
from selfcare.authz.invitee import AccountContact
from selfcare.identity.ports import Channel, OutgoingMessage
from selfcare.identity.profile import Language

__all__ = ["invitation_message"]


def invitation_message(
    issued: IssuedInvitation,
    *,
    inviter: AccountContact | None,
    invitee: AccountContact | None,
) -> OutgoingMessage:
    """The ``authz.invitation`` e-mail of ``issued``.

    Args:
        issued: the invitation and its token.
        inviter: who sent it (their name signs it), if the directory knows them.
        invitee: the account already registered with the invited address, if any.

    The message is in the invitee's language when they have an account, else in the
    inviter's (Finnish when neither is known). The inviter is named by their full name,
    or their address when the directory has no name.
    """
    invitation = issued.invitation
    language = next((c.language for c in (invitee, inviter) if c is not None), Language.FI)
    inviter_name = ""
    if inviter is not None:
        address = "" if inviter.email is None else inviter.email.value
        inviter_name = inviter.full_name or address
    return OutgoingMessage(
        template="authz.invitation",
        channel=Channel.EMAIL,
        recipient=invitation.email.value,
        language=language,
        params={
            "first_name": invitation.first_name,
            "inviter_name": inviter_name,
            "cover_message": invitation.message,
            "valid_until": invitation.expires_at.isoformat(),
        },
        secret=issued.token,
    )
