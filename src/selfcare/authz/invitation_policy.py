"""The operator's invitation settings: validity, token size, text limits, who may accept.

>>> policy = InvitationPolicy(validity_days=14)
>>> policy.email_match
<EmailMatch.SAME_ADDRESS: 'same_address'>
>>> InvitationPolicy(token_bytes=8)
Traceback (most recent call last):
...
selfcare.core.errors.SelfcareError: ...
"""

from __future__ import annotations

import enum
from typing import Final

import attrs

from selfcare.core.clock import DEFAULT_TIMEZONE, operator_zone
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError

__all__ = ["MAX_TOKEN_BYTES", "MIN_TOKEN_BYTES", "EmailMatch", "InvitationPolicy"]

#: Below this many random bytes a token is refused (128 bits).
MIN_TOKEN_BYTES: Final = 16

#: Above this many random bytes a token would be longer than the 512 characters an
#: acceptance takes (URL-safe base64: 4 characters per 3 bytes), so it could never be used.
MAX_TOKEN_BYTES: Final = 384


class EmailMatch(enum.StrEnum):
    """Operator policy: whose account may accept an invitation.

    ``same_address`` (the default) requires the accepting account's *verified* e-mail
    address to equal the invited one, compared case-insensitively. ``any_verified``
    lets an account with another verified address accept - the token proves that the
    invitee read the invited mailbox, e.g. a spouse who registered with a work address.
    Choose it only if a forwarded invitation e-mail may grant access in your portal.
    """

    SAME_ADDRESS = "same_address"
    ANY_VERIFIED = "any_verified"


@attrs.frozen(kw_only=True)
class InvitationPolicy:
    """The operator's invitation settings.

    Args:
        validity_days: calendar days an invitation stays valid (7 in the energy authorization
        guide).
        timezone: the operator's IANA time zone for counting those days.
        token_bytes: random bytes per token (at least 16, i.e. 128 bits; at most 384,
            the most a 512-character token holds).
        message_max_length: the longest cover message, in characters.
        name_max_length: the longest first or last name, in characters.
        email_match: see :class:`EmailMatch`.
        propose_registered_names: the opt-in of the energy authorization guide, phase 2: propose the
        name of a
            registered user when the inviter types their e-mail. It tells the inviter
            that the address has an account, so it is off by default (see
            :func:`~selfcare.authz.invitee.may_propose_name`).

    Raises:
        SelfcareError: ``invitation.invalid_policy`` for values below their minimum,
            ``invitation.policy_above_maximum`` for a token too long to accept;
            ``time.unknown_timezone``.
    """

    validity_days: int = 7
    timezone: str = DEFAULT_TIMEZONE
    token_bytes: int = 32
    message_max_length: int = 1000
    name_max_length: int = 100
    email_match: EmailMatch = EmailMatch.SAME_ADDRESS
    propose_registered_names: bool = False

    def __attrs_post_init__(self) -> None:
        operator_zone(self.timezone)
        limits = (
            ("validity_days", self.validity_days, 1),
            ("token_bytes", self.token_bytes, MIN_TOKEN_BYTES),
            ("message_max_length", self.message_max_length, 1),
            ("name_max_length", self.name_max_length, 1),
        )
        for name, value, minimum in limits:
            if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
                raise SelfcareError(
                    Violation("invitation.invalid_policy", {"setting": name, "minimum": minimum})
                )
        if self.token_bytes > MAX_TOKEN_BYTES:
            raise SelfcareError(
                Violation(
                    "invitation.policy_above_maximum",
                    {"setting": "token_bytes", "maximum": MAX_TOKEN_BYTES},
                )
            )
