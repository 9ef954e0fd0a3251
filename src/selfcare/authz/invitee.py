"""Who is invited and what they are told: the invitee's names (the energy authorization guide, phase
2), the cover message (phase 3), and the opt-in that proposes the name of a registered user.

Names and the message are what the invitee reads in the e-mail, so they are trimmed
and must be printable: no control characters, unpaired surrogates or invisible
bidirectional controls (which can make a text read differently from what it says).

>>> check_invitee_name(" Pekka ", "").codes
('invitation.last_name_required',)
>>> check_cover_message("  Hi!  ").reason
'Hi!'
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Final

import attrs

from selfcare.authz.invitation_policy import InvitationPolicy
from selfcare.authz.model import Grant
from selfcare.authz.permissions import can_manage_users
from selfcare.authz.roles import DEFAULT_ROLE_MODEL, RoleModel
from selfcare.core.clock import require_aware
from selfcare.core.decision import Decision, Violation
from selfcare.core.ids import AccountId, RelationshipId
from selfcare.core.text import has_unsafe_characters
from selfcare.identity.contact import EmailAddress
from selfcare.identity.profile import Language

__all__ = [
    "AccountContact",
    "RegisteredAccount",
    "check_cover_message",
    "check_invitee_name",
    "may_propose_name",
]

# Blanks a form may add around a message beyond doubling it (see check_cover_message).
_BLANK_ALLOWANCE: Final = 1000


@attrs.frozen(kw_only=True)
class RegisteredAccount:
    """What :func:`may_propose_name` may show about a registered e-mail address."""

    account: AccountId
    first_name: str
    last_name: str


@attrs.frozen(kw_only=True)
class AccountContact:
    """Who an account belongs to and where the library's messages to them go: the
    inviter's name in an invitation, the recipient of an order confirmation.

    Attributes:
        account: the account.
        first_name: the owner's first (given) names.
        last_name: the owner's surname.
        email: the account's verified e-mail address; ``None`` until one is verified.
        language: the language of the portal and of the messages the owner receives.
    """

    account: AccountId
    first_name: str
    last_name: str
    email: EmailAddress | None
    language: Language = Language.FI

    @property
    def full_name(self) -> str:
        """First and last name, as a signature shows them."""
        return " ".join(part for part in (self.first_name, self.last_name) if part)


def _has_bad_characters(text: str, *, allow_newlines: bool) -> bool:
    return has_unsafe_characters(text, allowed="\n" if allow_newlines else "")


def check_cover_message(text: str, *, policy: InvitationPolicy | None = None) -> Decision:
    """Check the cover message of phase 3: mandatory, 1-1000 characters once trimmed.

    Line breaks are allowed (``\\r\\n`` and ``\\r`` count as one ``\\n``); other control
    characters, unpaired surrogates and invisible bidirectional controls are not
    (:func:`~selfcare.core.text.has_unsafe_characters`). The length is checked first,
    so an over-long message is refused without being scanned.
    The allowed decision's ``reason`` is the trimmed message to store.

    Returns:
        One of ``invitation.message_required``, ``invitation.message_too_long`` or
        ``invitation.message_invalid_characters``.

    >>> check_cover_message("   ").codes
    ('invitation.message_required',)
    """
    rules = policy or InvitationPolicy()
    raw: object = text  # callers may pass None from a form library
    if not isinstance(raw, str):
        return Decision.deny(Violation("invitation.message_required"))
    too_long = Decision.deny(
        Violation("invitation.message_too_long", {"max_length": rules.message_max_length})
    )
    # The length first, on the raw text: a megabyte is refused before it is copied or
    # scanned. Surrounding blanks and CRLFs may at most double a message's length.
    if len(raw) > 2 * rules.message_max_length + _BLANK_ALLOWANCE:
        return too_long
    trimmed = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not trimmed:
        return Decision.deny(Violation("invitation.message_required"))
    if len(trimmed) > rules.message_max_length:
        return too_long
    if _has_bad_characters(trimmed, allow_newlines=True):
        return Decision.deny(Violation("invitation.message_invalid_characters"))
    return Decision.allow(reason=trimmed)


def _clean_name(raw: object) -> str:
    return " ".join(raw.split()) if isinstance(raw, str) else ""


def _is_invalid_name(value: str, policy: InvitationPolicy) -> bool:
    return len(value) > policy.name_max_length or _has_bad_characters(value, allow_newlines=False)


def check_invitee_name(
    first_name: str, last_name: str, *, policy: InvitationPolicy | None = None
) -> Decision:
    """Check the names of phase 2: both required, trimmed, printable, not too long.

    The allowed decision's ``reason`` is ``"<first>\\n<last>"`` trimmed.

    Returns:
        ``invitation.first_name_required``, ``invitation.last_name_required``,
        ``invitation.first_name_invalid`` and ``invitation.last_name_invalid``, every
        one that applies.
    """
    rules = policy or InvitationPolicy()
    limit = {"max_length": rules.name_max_length}
    first, last = _clean_name(first_name), _clean_name(last_name)
    found: list[Violation] = []
    if not first:
        found.append(Violation("invitation.first_name_required"))
    elif _is_invalid_name(first, rules):
        found.append(Violation("invitation.first_name_invalid", limit))
    if not last:
        found.append(Violation("invitation.last_name_required"))
    elif _is_invalid_name(last, rules):
        found.append(Violation("invitation.last_name_invalid", limit))
    return Decision.from_violations(found, reason=f"{first}\n{last}")


def may_propose_name(
    caller: AccountId,
    relationship: RelationshipId,
    grants: Iterable[Grant],
    *,
    now: datetime,
    policy: InvitationPolicy | None = None,
    model: RoleModel = DEFAULT_ROLE_MODEL,
) -> Decision:
    """May ``caller`` see the name behind a registered e-mail address (the energy authorization
    guide, phase 2)?

    Proposing the name tells the inviter that the address has an account - an
    enumeration oracle. So it needs both the operator's opt-in
    (:attr:`InvitationPolicy.propose_registered_names`) and a caller who may manage the
    relationship's users. With it, show the name only from
    :class:`RegisteredAccount`, and rate-limit the lookups in your web layer.

    Returns:
        Allowed, or ``invitation.name_proposal_disabled`` or
        ``authz.cannot_manage_users``.

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    rules = policy or InvitationPolicy()
    moment = require_aware(now, "now")
    if not rules.propose_registered_names:
        return Decision.deny(Violation("invitation.name_proposal_disabled"))
    return can_manage_users(caller, relationship, grants, now=moment, model=model)
