"""The id types of identity's own entities.

Accounts use :data:`~selfcare.core.ids.AccountId`, which every package shares; a
registration and a feedback message have ids of their own, so that mypy catches one
passed where the other is expected.

:data:`LoginSource` is not an entity's id but the caller's word for where a login
attempt comes from (see :mod:`selfcare.identity.throttle`).
"""

from __future__ import annotations

from typing import NewType

__all__ = ["FeedbackId", "LoginSource", "LoginThrottleKey", "RegistrationId"]

RegistrationId = NewType("RegistrationId", str)
FeedbackId = NewType("FeedbackId", str)
#: Where a login attempt comes from, as the caller tells it: an opaque string such as
#: the client's IP address (or its /64 network for IPv6), a device id from a cookie,
#: or both joined. Failed attempts are throttled per (account, source) and per source.
LoginSource = NewType("LoginSource", str)
#: The key of a :class:`~selfcare.identity.throttle.LoginThrottle`.
LoginThrottleKey = NewType("LoginThrottleKey", str)
