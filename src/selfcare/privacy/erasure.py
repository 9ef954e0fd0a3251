"""The steps of an erasure (GDPR Art. 17), shared by
:meth:`~selfcare.privacy.service.PrivacyService.erase_account` and
:meth:`~selfcare.privacy.service.PrivacyService.close_own_account`, and the finders of a
person's records that export, erasure and the closing summary read.

Each step removes one kind of record inside the caller's
:class:`~selfcare.privacy.ports.PrivacyUnitOfWork` and counts it; nothing here
commits.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import datetime
from typing import TypeVar

from selfcare.authz.invitation import Invitation
from selfcare.core.decision import Violation
from selfcare.core.ids import AccountId
from selfcare.core.outcome import Refused
from selfcare.identity.account import Account, Feedback
from selfcare.identity.otp import OneTimeCodeChallenge
from selfcare.identity.registration import Registration
from selfcare.privacy.events import AccountErased
from selfcare.privacy.model import ErasedAccount, ErasureReport
from selfcare.privacy.ports import PrivacyUnitOfWork
from selfcare.privacy.rules import anonymise_invitation, revoke_for_erasure

__all__ = [
    "challenges_of",
    "delete_each",
    "erase",
    "erased_event",
    "feedback_of",
    "invitations_received_by",
    "missing_account",
    "registrations_of",
    "unique",
]

T = TypeVar("T")


def unique(items: Iterable[T], key: Callable[[T], Hashable]) -> tuple[T, ...]:
    seen: dict[Hashable, T] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return tuple(seen.values())


def missing_account(uow: PrivacyUnitOfWork, account_id: str) -> Refused:
    if uow.erasures.find(account_id) is not None:
        return Refused.because(Violation("privacy.account_erased"))
    return Refused.because(Violation("privacy.account_not_found"))


def registrations_of(uow: PrivacyUnitOfWork, account: Account) -> tuple[Registration, ...]:
    return unique(
        [
            *uow.index.registrations_of_account(account.id),
            *uow.index.registrations_of_person(account.national_id),
        ],
        lambda r: r.id,
    )


def challenges_of(uow: PrivacyUnitOfWork, account: Account) -> tuple[OneTimeCodeChallenge, ...]:
    phone = account.profile.phone
    return tuple(uow.one_time_codes.for_phone(phone)) if phone is not None else ()


def feedback_of(uow: PrivacyUnitOfWork, account: Account) -> tuple[Feedback, ...]:
    return unique(
        [
            *uow.feedback.for_account(account.id),
            *uow.feedback.for_contact(account.email, account.profile.phone),
        ],
        lambda f: f.id,
    )


def invitations_received_by(uow: PrivacyUnitOfWork, account: Account) -> tuple[Invitation, ...]:
    addresses = [account.email]
    if account.pending_email is not None:
        addresses.append(account.pending_email.email)
    found: list[Invitation] = []
    for address in addresses:
        found.extend(uow.invitations.for_email(address))
    found.extend(uow.index.invitations_accepted_by(AccountId(account.id)))
    return unique(found, lambda i: i.id)


# -- the steps of an erasure: each removes one kind of record and counts it ------------


def delete_each(records: Sequence[T], delete: Callable[[T], object]) -> int:
    """Delete every one of ``records``; how many there were."""
    for record in records:
        delete(record)
    return len(records)


def _revoke_grants(uow: PrivacyUnitOfWork, user: AccountId, *, now: datetime) -> int:
    revoked = 0
    for grant in uow.grants.for_user(user):
        ended = revoke_for_erasure(grant, now=now)
        if ended is not None:
            uow.grants.update(ended)
            revoked += 1
    return revoked


def _anonymise_invitations(
    uow: PrivacyUnitOfWork, account: Account, *, now: datetime
) -> tuple[int, int]:
    """How many invitations were anonymised, and how many of them revoked."""
    user = AccountId(account.id)
    invitations = unique(
        [*uow.index.invitations_sent_by(user), *invitations_received_by(uow, account)],
        lambda i: i.id,
    )
    revoked = 0
    for invitation in invitations:
        tombstone = anonymise_invitation(invitation, now=now)
        revoked += tombstone.status is not invitation.status
        uow.invitations.update(tombstone)
    return len(invitations), revoked


def erase(uow: PrivacyUnitOfWork, account: Account, *, now: datetime) -> ErasureReport:
    user = AccountId(account.id)
    registrations = delete_each(
        registrations_of(uow, account), lambda r: uow.index.delete_registration(r.id)
    )
    grants = _revoke_grants(uow, user, now=now)
    anonymised, revoked = _anonymise_invitations(uow, account, now=now)
    challenges = delete_each(challenges_of(uow, account), lambda c: uow.one_time_codes.delete(c.id))
    feedback = delete_each(feedback_of(uow, account), lambda f: uow.feedback.delete(f.id))
    throttles = delete_each(
        uow.login_throttles.for_account(user), lambda t: uow.login_throttles.delete(t.key)
    )
    uow.index.delete_account(account.id)
    tombstone = ErasedAccount(account_id=user, erased_at=now)
    uow.erasures.add(tombstone)
    return ErasureReport(
        tombstone=tombstone,
        registrations_deleted=registrations,
        grants_revoked=grants,
        invitations_anonymised=anonymised,
        invitations_revoked=revoked,
        one_time_codes_deleted=challenges,
        feedback_deleted=feedback,
        login_throttles_deleted=throttles,
    )


def erased_event(report: ErasureReport, now: datetime) -> AccountErased:
    """The event of the erasure ``report`` tells of."""
    return AccountErased(
        occurred_at=now,
        account_id=report.tombstone.account_id,
        registrations_deleted=report.registrations_deleted,
        grants_revoked=report.grants_revoked,
        invitations_anonymised=report.invitations_anonymised,
        invitations_revoked=report.invitations_revoked,
        one_time_codes_deleted=report.one_time_codes_deleted,
        feedback_deleted=report.feedback_deleted,
        login_throttles_deleted=report.login_throttles_deleted,
    )
