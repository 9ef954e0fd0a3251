"""Kinds of refusal: whose problem a violation is, and the HTTP status that says so.

Every violation code has exactly one :class:`Kind` in the message catalog. A web layer
maps the kind of a :class:`~selfcare.core.decision.Decision` to a status with
:data:`HTTP_STATUS` and never has to know individual codes.

=================  ======  ==========================================================
kind               status  meaning
=================  ======  ==========================================================
invalid            400     the input breaks a rule; the user can correct it
unauthenticated    401     who is asking could not be established (wrong password)
forbidden          403     the one asking may not do this
action_required    403     the user must do something first (accept new terms of use)
not_found          404     what was named does not exist (or the asker may not know)
conflict           409     the current state does not allow it (already done, changed)
gone               410     it existed but has expired or been closed for good
rate_limited       429     too many attempts; try again later
unavailable        503     a service the rule depends on cannot be reached
=================  ======  ==========================================================

``unauthenticated`` is added to the seven kinds of the 0.2 design because an HTTP client
treats 401 (log in again) differently from 403 (you may not), and a wrong password is
the former.

``action_required`` (also 403, but a kind of its own) says "not yet: the user has to
do something first, and then the same request will work" - accept the new terms of use
before going on. A client must tell it from ``forbidden`` (show the terms, not an
error) and from ``unauthenticated`` (the user *is* authenticated: logging in again
only meets the same answer), so it cannot share either kind. Its status is 403, not
428 *Precondition Required*: RFC 6585 defines 428 for requests that must be made
conditional (``If-Match``), and a generic client or gateway reading 428 would look for
an entity tag to send; RFC 9110 section 15.5.4 gives 403 exactly this meaning - the
credentials are understood and not enough, and repeating the request unchanged will
not help. The kind (the ``type`` of an RFC 9457 problem document) says what to do.

>>> from selfcare import Decision, Violation
>>> d = Decision.deny(Violation("invitation.expired", {}))
>>> d.kind, HTTP_STATUS[d.kind]
(<Kind.GONE: 'gone'>, 410)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

__all__ = ["HTTP_STATUS", "PRECEDENCE", "Kind", "deciding_kind"]


class Kind(enum.StrEnum):
    """Whose problem a refusal is (see the table above)."""

    INVALID = "invalid"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    ACTION_REQUIRED = "action_required"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    GONE = "gone"
    RATE_LIMITED = "rate_limited"
    UNAVAILABLE = "unavailable"


#: The HTTP status of each kind (RFC 9110, RFC 6585 for 429).
HTTP_STATUS: Final[Mapping[Kind, int]] = MappingProxyType(
    {
        Kind.INVALID: 400,
        Kind.UNAUTHENTICATED: 401,
        Kind.FORBIDDEN: 403,
        Kind.ACTION_REQUIRED: 403,
        Kind.NOT_FOUND: 404,
        Kind.CONFLICT: 409,
        Kind.GONE: 410,
        Kind.RATE_LIMITED: 429,
        Kind.UNAVAILABLE: 503,
    }
)

#: Which kind decides when a refusal lists violations of several kinds, first wins.
#: Outages and throttling come first (nothing else was really decided), then who is
#: asking, then whether the thing exists, then its state, then the input: a request
#: that is both forbidden and malformed answers 403, so that validation messages never
#: tell an unauthorised caller more than "no". An action the user must take first
#: (``action_required``) comes right after ``forbidden``: there is no point in accepting
#: new terms for something one may not do anyway, and until they are accepted nothing
#: about the request itself (its existence, state or input) is looked at.
PRECEDENCE: Final[tuple[Kind, ...]] = (
    Kind.UNAVAILABLE,
    Kind.RATE_LIMITED,
    Kind.UNAUTHENTICATED,
    Kind.FORBIDDEN,
    Kind.ACTION_REQUIRED,
    Kind.NOT_FOUND,
    Kind.GONE,
    Kind.CONFLICT,
    Kind.INVALID,
)


def deciding_kind(kinds: Iterable[Kind]) -> Kind:
    """The kind that decides among ``kinds`` (see :data:`PRECEDENCE`).

    >>> deciding_kind([Kind.INVALID, Kind.FORBIDDEN, Kind.CONFLICT])
    <Kind.FORBIDDEN: 'forbidden'>
    """
    present = set(kinds)
    for kind in PRECEDENCE:
        if kind in present:
            return kind
    msg = "no kinds to decide among"
    raise ValueError(msg)
