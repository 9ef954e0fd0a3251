"""Closing one's own account: the values of the summary and the pure rules behind it.

Before a user closes their account the portal shows a :class:`ClosingSummary`: what
will be erased (:class:`ErasedItem`) and what the operator must keep by law
(:class:`KeptItem`: invoices and the orders behind them, each with its legal ground and
the date until which it is kept), and the customer relationships whose last holder the
user is (:class:`LastHolding`: they block closing until another holder is added). The
use cases are :meth:`~selfcare.privacy.service.PrivacyService.closing_summary_of` and
:meth:`~selfcare.privacy.service.PrivacyService.close_own_account`.

How long the kept records stay is the topic of
:mod:`selfcare.privacy.accounting_retention`; the texts of the summary are in
:mod:`selfcare.privacy.closing_data`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import final

import attrs

from selfcare.authz.model import CustomerRelationship, Grant
from selfcare.authz.removal import check_holder_remains
from selfcare.authz.roles import DEFAULT_ROLE_MODEL, RoleModel
from selfcare.catalog.offerings import LocalizedText
from selfcare.core.clock import utc_field
from selfcare.core.decision import Violation
from selfcare.core.ids import AccountId, CustomerNumber, RelationshipId
from selfcare.core.secrets import secret_field
from selfcare.identity.assertion import IdentityAssertion
from selfcare.identity.ids import LoginSource
from selfcare.privacy.accounting_retention import (
    ACCOUNTING_RETENTION,
    ClosingPolicy,
    DocumentKind,
    financial_year_end,
)
from selfcare.privacy.closing_data import ERASED_TEXTS, KEPT_TEXTS, ErasedData, KeptRecord

__all__ = [
    "ClosingSummary",
    "ErasedItem",
    "IdentificationReauthentication",
    "KeptItem",
    "LastHolding",
    "PasswordReauthentication",
    "Reauthentication",
    "erased_items",
    "kept_item",
    "last_holdings",
    "relationship_name",
]


# -- re-authentication -------------------------------------------------------------


@final
@attrs.frozen(kw_only=True)
class PasswordReauthentication:
    """The user typed their current password again (never in ``repr``).

    Attributes:
        password: the password as typed.
        source: where the attempt comes from, as at login
            (:data:`~selfcare.identity.ids.LoginSource`): a wrong password counts as a
            failed login from it.
    """

    password: str = secret_field()
    source: LoginSource


@final
@attrs.frozen(kw_only=True)
class IdentificationReauthentication:
    """The user identified themselves again with a strong identification (bank, mobile
    certificate, BankID) just now.

    Attributes:
        assertion: the verified assertion; checked as registration checks one (listed
            provider and method, fresh, at the policy's level) and matched to the
            account by the keyed hash of its national identity code.
    """

    assertion: IdentityAssertion


#: How the user proved once more that they are the account's owner.
Reauthentication = PasswordReauthentication | IdentificationReauthentication


# -- the summary ---------------------------------------------------------------------


@final
@attrs.frozen(kw_only=True)
class ErasedItem:
    """One kind of personal data that closing erases.

    Attributes:
        data: what it is.
        count: how many records of it there are now (1 for the account's own fields;
            0 where the library keeps none, e.g. a second factor never enrolled).
        description: what it is, in the library's four languages.
    """

    data: ErasedData
    count: int
    description: LocalizedText


@final
@attrs.frozen(kw_only=True)
class KeptItem:
    """Records that stay after closing because a bookkeeping law requires them.

    Attributes:
        record: invoices or orders.
        relationship_id: the customer relationship they belong to.
        relationship_name: its name as its holder sees it (its label, else its
            customer number).
        country: the country whose law applies (ISO 3166-1 alpha-2).
        count: how many records.
        latest: the date of the latest of them.
        legal_ground: the statute and section (see :data:`ACCOUNTING_RETENTION`).
        kept_until: the last day the latest of them is kept; the earlier ones go sooner.
        description: what they are, in the library's four languages.
    """

    record: KeptRecord
    relationship_id: RelationshipId | None
    relationship_name: str
    country: str
    count: int
    latest: date
    legal_ground: str
    kept_until: date
    description: LocalizedText


@final
@attrs.frozen(kw_only=True)
class LastHolding:
    """A customer relationship whose only holder the user is: closing is refused until
    someone else holds it (or customer service ends it).

    Attributes:
        relationship_id: the relationship.
        relationship_name: its name as its holder sees it (its label, else its
            customer number).
        customer_number: its customer number.
    """

    relationship_id: RelationshipId
    relationship_name: str
    customer_number: CustomerNumber | None

    def violation(self) -> Violation:
        """The refusal that names it (``closing.last_holder``)."""
        return Violation(
            "closing.last_holder",
            {"relationship": self.relationship_id, "relationship_name": self.relationship_name},
        )


@final
@attrs.frozen(kw_only=True)
class ClosingSummary:
    """What closing the account would do, shown before the user confirms.

    Attributes:
        account_id: the account.
        prepared_at: when the summary was made.
        erased: what is erased, kind by kind.
        kept: what is kept by law, with the legal ground and until when.
        last_holdings: relationships the user is the last holder of; while there is
            one, closing is refused.
    """

    account_id: AccountId
    prepared_at: datetime = utc_field()
    erased: tuple[ErasedItem, ...] = ()
    kept: tuple[KeptItem, ...] = ()
    last_holdings: tuple[LastHolding, ...] = ()

    @property
    def can_close(self) -> bool:
        """Whether nothing blocks closing now."""
        return not self.last_holdings


# -- rules ---------------------------------------------------------------------------


def relationship_name(relationship: CustomerRelationship | None, fallback: str) -> str:
    """The name a holder knows a relationship by: its label, else its customer number
    (``fallback`` when the relationship is not on file)."""
    if relationship is None:
        return fallback
    return relationship.label or relationship.customer_number


def erased_items(counts: Mapping[ErasedData, int]) -> tuple[ErasedItem, ...]:
    """One :class:`ErasedItem` per kind of data, in :class:`ErasedData` order, with the
    counts of ``counts`` (1 for a kind not counted: the account's own field)."""
    return tuple(
        ErasedItem(data=data, count=counts.get(data, 1), description=ERASED_TEXTS[data])
        for data in ErasedData
    )


def kept_item(
    record: KeptRecord,
    relationship: CustomerRelationship | None,
    relationship_id: RelationshipId | None,
    *,
    country: str,
    dates: Iterable[date],
    policy: ClosingPolicy,
) -> KeptItem | None:
    """The :class:`KeptItem` of records dated ``dates`` (``None`` when there are none)."""
    days = sorted(dates)
    if not days:
        return None
    rule = ACCOUNTING_RETENTION[(country, DocumentKind.VOUCHER)]
    end = financial_year_end(days[-1], end_month=policy.financial_year_end_month)
    return KeptItem(
        record=record,
        relationship_id=relationship_id,
        relationship_name=relationship_name(relationship, relationship_id or "-"),
        country=country,
        count=len(days),
        latest=days[-1],
        legal_ground=rule.legal_ground,
        kept_until=rule.kept_until(end),
        description=KEPT_TEXTS[record],
    )


def last_holdings(
    user: AccountId,
    grants_of_user: Iterable[Grant],
    grants_of: Mapping[RelationshipId, Iterable[Grant]],
    relationships: Mapping[RelationshipId, CustomerRelationship | None],
    *,
    now: datetime,
    model: RoleModel = DEFAULT_ROLE_MODEL,
) -> tuple[LastHolding, ...]:
    """The relationships ``user`` holds (``model.holder_role``, active at ``now``) that
    would have no holder left without the user's grants - the rule of
    :func:`~selfcare.authz.removal.check_holder_remains`.

    Args:
        user: the account closing.
        grants_of_user: the user's grants.
        grants_of: every grant of each relationship the user holds.
        relationships: those relationships (``None`` when not on file).
        now: the time of the check.
        model: the role model (which role is the holder's).
    """
    held = [
        g
        for g in grants_of_user
        if g.user == user and g.role == model.holder_role and g.is_active(now)
    ]
    found: list[LastHolding] = []
    for relationship_id in dict.fromkeys(g.relationship_id for g in held):
        remains = check_holder_remains(
            relationship_id,
            grants_of.get(relationship_id, ()),
            removing=[g.id for g in held],
            now=now,
            model=model,
        )
        if remains.allowed:
            continue
        relationship = relationships.get(relationship_id)
        found.append(
            LastHolding(
                relationship_id=relationship_id,
                relationship_name=relationship_name(relationship, relationship_id),
                customer_number=relationship.customer_number if relationship else None,
            )
        )
    return tuple(found)
