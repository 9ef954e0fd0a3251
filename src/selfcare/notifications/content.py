"""What each message of the portal journeys says: its template name, channel and
parameters, and the structured values some of them list.

:data:`TEMPLATES` is the registry the :class:`~selfcare.notifications.render.Renderer`
checks parameters against. The names used by :mod:`selfcare.identity` stay as they are
(``registration.verify_email``, ``login.locked_notice``, ...); the library adds
``authz.invitation``, ``otp.confirm_phone``, ``catalog.order_confirmation`` and
``billing.deduction_statement``.

>>> spec = TEMPLATES["authz.invitation"]
>>> spec.channel.value, sorted(spec.required), spec.secret_links
('email', ['cover_message', 'first_name', 'inviter_name', 'valid_until'], ('accept', 'decline'))
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Final, final

import attrs

from selfcare.billing.statement_mail import DeductionLine
from selfcare.catalog.confirmation import OrderLine
from selfcare.identity.ports import Channel

__all__ = [
    "TEMPLATES",
    "DeductionLine",
    "OrderLine",
    "ParamKind",
    "TemplateSpec",
]


class ParamKind(enum.StrEnum):
    """How a parameter is given and shown.

    - ``text``: a ``str``, shown as it is (escaped in HTML).
    - ``number``: an ``int`` (or its digits as a ``str``).
    - ``date``: a ``date``, an aware ``datetime`` (shown as its date in the operator's
      time zone) or either as an ISO 8601 ``str``; formatted for the language.
    - ``month``: a ``date`` in the month, or ``"YYYY-MM"``; shown as "April 2026".
    - ``money``: a :class:`~selfcare.core.money.Money`, or its text (``"149.00 NOK"``,
      as ``str(money)`` writes it, so that a message stays text); formatted for the
      language.
    - ``advisories``: violation codes (a comma-separated ``str``, as
      :mod:`selfcare.identity` sends them) or :class:`~selfcare.core.decision.Violation`
      values; each shown as its message.
    - ``order_lines``: a sequence of :class:`~selfcare.catalog.confirmation.OrderLine`
      (re-exported here as ``OrderLine``).
    - ``deduction_lines``: a sequence of
      :class:`~selfcare.billing.statement_mail.DeductionLine` (re-exported here).
    """

    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    MONTH = "month"
    MONEY = "money"
    ADVISORIES = "advisories"
    ORDER_LINES = "order_lines"
    DEDUCTION_LINES = "deduction_lines"


@final
@attrs.frozen(kw_only=True)
class TemplateSpec:
    """One message: its name, channel and parameters.

    Attributes:
        name: the template name, e.g. ``authz.invitation``.
        channel: e-mail (subject, text and HTML) or SMS (text).
        required: parameters every message must carry, with their kinds.
        optional: parameters it may carry.
        secret_links: links built from the message's ``secret`` (a token), by name in
            :attr:`~selfcare.notifications.render.NotificationSettings.links`; for an SMS
            ``("code",)``: the secret is the one-time code. Empty: no secret.
    """

    name: str
    channel: Channel
    required: Mapping[str, ParamKind] = attrs.field(factory=dict)
    optional: Mapping[str, ParamKind] = attrs.field(factory=dict)
    secret_links: tuple[str, ...] = ()

    @property
    def kinds(self) -> Mapping[str, ParamKind]:
        """Every parameter, required or optional, with its kind."""
        return {**self.optional, **self.required}


def _email(
    name: str,
    required: Mapping[str, ParamKind] | None = None,
    optional: Mapping[str, ParamKind] | None = None,
    secret_links: tuple[str, ...] = (),
) -> TemplateSpec:
    return TemplateSpec(
        name=name,
        channel=Channel.EMAIL,
        required=dict(required or {}),
        optional=dict(optional or {}),
        secret_links=secret_links,
    )


_TEXT, _DATE, _MONEY = ParamKind.TEXT, ParamKind.DATE, ParamKind.MONEY

_ALL: Final = (
    _email("registration.verify_email", {"given_names": _TEXT}, secret_links=("verify_email",)),
    _email("registration.email_in_use_notice"),
    _email(
        "registration.completed",
        {"given_names": _TEXT},
        {"advisories": ParamKind.ADVISORIES},
    ),
    _email("account.verify_new_email", {"given_names": _TEXT}, secret_links=("verify_new_email",)),
    _email("account.email_change_requested"),
    _email("account.email_in_use_notice"),
    _email("account.email_changed"),
    _email("account.password_changed"),
    _email("account.password_reset"),
    _email("account.recovery_link", {"given_names": _TEXT}, secret_links=("recover",)),
    _email("account.closed", {"given_names": _TEXT}),
    _email("login.locked_notice", {"minutes": ParamKind.NUMBER}),
    _email("login.unlock_link", {"given_names": _TEXT}, secret_links=("unlock",)),
    _email(
        "authz.invitation",
        {
            "first_name": _TEXT,
            "inviter_name": _TEXT,
            "cover_message": _TEXT,
            "valid_until": _DATE,
        },
        {"relationship": _TEXT},
        secret_links=("accept", "decline"),
    ),
    TemplateSpec(name="otp.confirm_phone", channel=Channel.SMS, secret_links=("code",)),
    _email(
        "catalog.order_confirmation",
        {"order_id": _TEXT, "items": ParamKind.ORDER_LINES},
        {"given_names": _TEXT},
    ),
    _email(
        "billing.deduction_statement",
        {
            "employee": _TEXT,
            "month": ParamKind.MONTH,
            "allowance": _MONEY,
            "company_part": _MONEY,
            "employee_part": _MONEY,
        },
        {"employer": _TEXT, "lines": ParamKind.DEDUCTION_LINES},
    ),
)

#: Every message of the library by template name.
TEMPLATES: Final[Mapping[str, TemplateSpec]] = {spec.name: spec for spec in _ALL}
