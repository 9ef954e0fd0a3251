"""Sample parameters for every template: for previews, the start-up check of an
operator's overrides (:meth:`~selfcare.notifications.render.Renderer.check_templates`)
and the library's own tests.

The samples come from the portal journeys: Maija registers with a telecom operator and
orders a security-software subscription, Erik invites his partner to manage their
electricity contract, Kari's company phone is confirmed by SMS and his monthly salary
deduction is reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Final

from selfcare.core.money import Money
from selfcare.notifications.content import DeductionLine, OrderLine
from selfcare.notifications.params import TemplateParam

__all__ = ["SAMPLE_PARAMS", "SAMPLE_SECRETS"]

_NAMES: Final[Mapping[str, TemplateParam]] = {"given_names": "Maija"}

#: Parameters of every template, by template name.
SAMPLE_PARAMS: Final[Mapping[str, Mapping[str, TemplateParam]]] = {
    "registration.verify_email": _NAMES,
    "registration.email_in_use_notice": {},
    "registration.completed": {
        "given_names": "Maija",
        "advisories": "registration.no_customer_found",
    },
    "account.verify_new_email": _NAMES,
    "account.email_change_requested": {},
    "account.email_in_use_notice": {},
    "account.email_changed": {},
    "account.password_changed": {},
    "account.password_reset": {},
    "account.recovery_link": _NAMES,
    "account.closed": _NAMES,
    "login.locked_notice": {"minutes": 15},
    "login.unlock_link": _NAMES,
    "authz.invitation": {
        "first_name": "Anna",
        "inviter_name": "Erik Lindqvist",
        "cover_message": "Hej Anna! Nu kan du också sköta vårt elavtal.",
        "valid_until": datetime(2026, 3, 9, 8, 0, tzinfo=UTC),
        "relationship": "Elavtal, Strandvägen 4",
    },
    "otp.confirm_phone": {},
    "catalog.order_confirmation": {
        "given_names": "Maija",
        "order_id": "ord-1042",
        "items": (
            OrderLine(
                name="F-Secure Turvapaketti",
                price=Money("9.90", "EUR"),
                starts_on=date(2017, 5, 23),
                activation_url="https://my.f-secure.example/activate/ord-1042",
                download_url="https://download.f-secure.example/safe",
            ),
            OrderLine(
                name="MIX-paketti: Urheilukanava",
                price=Money("14.90", "EUR"),
                starts_on=date(2017, 6, 1),
                ends_on=date(2018, 5, 31),
            ),
        ),
    },
    "billing.deduction_statement": {
        "employee": "Kari Nordmann",
        "employer": "Trøndelag fylkeskommune",
        "month": date(2026, 4, 1),
        "allowance": Money("100", "NOK"),
        "company_part": Money("100", "NOK"),
        "employee_part": Money("149", "NOK"),
        "lines": (
            DeductionLine(
                description="Ekstra Data 15 GB", msisdn="+4741234567", amount=Money("99", "NOK")
            ),
            DeductionLine(
                description="Skylagring 50 GB", msisdn="+4741234567", amount=Money("50", "NOK")
            ),
        ),
    },
}

#: The secret of each template that carries one (a token, or the one-time code).
SAMPLE_SECRETS: Final[Mapping[str, str]] = {
    "registration.verify_email": "tok-verify-Zx8q",
    "account.verify_new_email": "tok-newmail-Yw7p",
    "login.unlock_link": "tok-unlock-Hs3k",
    "account.recovery_link": "tok-recover-Pw4m",
    "authz.invitation": "tok-invite-Qr5t",
    "otp.confirm_phone": "804217",
}
