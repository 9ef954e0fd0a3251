"""Integrator-style use of the domain packages, type-checked by ``mypy --strict`` in CI.

Never run; it fails the build when a public signature stops accepting what an
integrator naturally passes, or returns something less precise than documented.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from selfcare import Decision, Money
from selfcare.authz import Grant, check_permission
from selfcare.billing import BillingPeriod, BillingService, ChargeableService, fi_reference
from selfcare.catalog import (
    Catalog,
    CatalogService,
    EligibilityContext,
    OrderItem,
    ProductOrder,
    check_order,
)
from selfcare.catalog.events import OrderPlaced
from selfcare.core.ids import AccountId, RelationshipId
from selfcare.core.outcome import Done, Refused, is_done
from selfcare.identity import (
    EmailAddress,
    IdentityService,
    LoginSource,
    NationalId,
    PasswordPolicy,
    PhoneNumber,
    check_password,
    parse_national_id,
)
from selfcare.privacy import (
    AccountAuthenticator,
    PasswordReauthentication,
    PrivacyService,
    Reauthentication,
)


def register_form_errors(password: str, name: str, email: str, lang: str) -> list[str]:
    decision: Decision = check_password(password, PasswordPolicy(), personal=(name, email))
    return [] if decision else list(decision.messages(lang))


def national_id(text: str, today: date) -> NationalId:
    return parse_national_id(text, "FI", today=today)


def username(text: str) -> str:
    return EmailAddress.parse(text).value


def sms_target(text: str) -> str | None:
    number = PhoneNumber.parse(text, "FI")
    return number.e164 if number.is_mobile else None


def may_order(
    user: AccountId, relationship: RelationshipId, grants: Iterable[Grant], now: datetime
) -> Decision:
    return check_permission(user, "order_services", relationship, grants, now=now)


def order_refusals(
    items: list[OrderItem], context: EligibilityContext, catalog: Catalog, now: datetime
) -> tuple[str, ...]:
    return check_order(items, context, catalog=catalog, now=now).codes


def confirm_order(
    service: CatalogService, item: OrderItem, context: EligibilityContext, form_key: str
) -> ProductOrder | tuple[str, ...]:
    match service.quote_order(item, context):
        case Refused(decision=decision):
            return decision.codes
        case Done(value=quote):
            placed = service.place_order(quote, context, idempotency_key=form_key)
            if isinstance(placed, Refused):
                return placed.codes
            placed_events = [e for e in placed.events if isinstance(e, OrderPlaced)]
            assert all(e.order_id == placed.value.id for e in placed_events)
            return placed.value


def reference_for(invoice_number: int) -> str:
    return fi_reference.validate(fi_reference.create(invoice_number))


def invoice_due(
    billing: BillingService, number: str, services: list[ChargeableService]
) -> date | tuple[str, ...]:
    outcome = billing.issue_invoice(
        invoice_number=number,
        payer="C-1",
        period=BillingPeriod(2026, 4),
        services=services,
        country="FI",
        currency="EUR",
    )
    match outcome:
        case Done(value=invoice):
            return invoice.due_on
        case Refused(decision=decision):
            return decision.codes


def erased_registrations(privacy: PrivacyService, account: AccountId) -> int:
    outcome = privacy.erase_account(account)
    if is_done(outcome):  # narrows under mypy and pyright alike
        return outcome.value.registrations_deleted
    return 0


def close_with_password(
    privacy: PrivacyService, account: AccountId, password: str, source: LoginSource
) -> tuple[str, ...]:
    summary = privacy.closing_summary_of(account)
    if is_done(summary) and not summary.value.can_close:
        return tuple(h.relationship_name for h in summary.value.last_holdings)
    reauthentication: Reauthentication = PasswordReauthentication(password=password, source=source)
    outcome = privacy.close_own_account(account, reauthentication, confirm=True)
    match outcome:
        case Done(events=events):
            return tuple(event.name for event in events)
        case Refused(decision=decision):
            return decision.codes


def identity_is_an_authenticator(identity: IdentityService) -> AccountAuthenticator:
    return identity


def total(prices: Iterable[Money]) -> Money:
    result = Money.zero("EUR")
    for price in prices:
        result += price
    return result
