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

import attrs

from selfcare.authz.invitation import Invitation
from selfcare.core.decision import Violation
from selfcare.core.ids import AccountId
from selfcare.core.outcome import Refused
from selfcare.identity.account import Account, Feedback
from selfcare.identity.otp import OneTimeCodeChallenge
from selfcare.identity.registration import Registration
from selfcare.privacy.events import AccountErased
from selfcare.privacy.model import ErasedAccount, ErasureReport
from selfcare.privacy.ports import ErasureLog, PrivacyUnitOfWork
from selfcare.privacy.rules import anonymise_invitation, revoke_for_erasure

__all__ = ["PersonalRecords", "erased_event", "missing_account", "unique"]

T = TypeVar("T")


def unique(items: Iterable[T], key: Callable[[T], Hashable]) -> tuple[T, ...]:
    seen: dict[Hashable, T] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return tuple(seen.values())


def missing_account(erasures: ErasureLog, account_id: str) -> Refused:
    """The refusal for an account that is not there: erased, or never was."""
    if erasures.find(account_id) is not None:
        return Refused.because(Violation("privacy.account_erased"))
    return Refused.because(Violation("privacy.account_not_found"))


def _delete_each(records: Sequence[T], delete: Callable[[T], object]) -> int:
    """Delete every one of ``records``; how many there were."""
    for record in records:
        delete(record)
    return len(records)


class PersonalRecords:
    """The records of the person of ``account`` in the unit of work ``uow`` (entered by
    the caller): what export reads, what erasure removes and what the closing summary
    counts. Not a value: it reads through ``uow`` each time it is asked."""

    def __init__(self, uow: PrivacyUnitOfWork, account: Account) -> None:
        self.uow = uow
        self.account = account

    @property
    def user(self) -> AccountId:
        """The account's id."""
        return AccountId(self.account.id)

    def registrations(self) -> tuple[Registration, ...]:
        """The registrations that created the account or name the person."""
        return unique(
            [
                *self.uow.index.registrations_of_account(self.account.id),
                *self.uow.index.registrations_of_person(self.account.national_id),
            ],
            lambda r: r.id,
        )

    def challenges(self) -> tuple[OneTimeCodeChallenge, ...]:
        """The one-time code challenges sent to the person's phone."""
        phone = self.account.profile.phone
        return tuple(self.uow.one_time_codes.for_phone(phone)) if phone is not None else ()

    def feedback(self) -> tuple[Feedback, ...]:
        """The feedback the person sent or gave their address in."""
        return unique(
            [
                *self.uow.feedback.for_account(self.account.id),
                *self.uow.feedback.for_contact(self.account.email, self.account.profile.phone),
            ],
            lambda f: f.id,
        )

    def invitations_received(self) -> tuple[Invitation, ...]:
        """The invitations sent to the person's addresses or accepted by them."""
        addresses = [self.account.email]
        if self.account.pending_email is not None:
            addresses.append(self.account.pending_email.email)
        found: list[Invitation] = []
        for address in addresses:
            found.extend(self.uow.invitations.for_email(address))
        found.extend(self.uow.index.invitations_accepted_by(self.user))
        return unique(found, lambda i: i.id)

    def invitations(self) -> tuple[Invitation, ...]:
        """The invitations the person sent or received."""
        return unique(
            [*self.uow.index.invitations_sent_by(self.user), *self.invitations_received()],
            lambda i: i.id,
        )

    # -- the steps of an erasure: each removes one kind of record and counts it --------

    def _revoke_grants(self, now: datetime) -> int:
        revoked = 0
        for grant in self.uow.grants.for_user(self.user):
            ended = revoke_for_erasure(grant, now=now)
            if ended is not None:
                self.uow.grants.update(ended)
                revoked += 1
        return revoked

    def _anonymise_invitations(self, now: datetime) -> tuple[int, int]:
        """How many invitations were anonymised, and how many of them revoked."""
        invitations = self.invitations()
        revoked = 0
        for invitation in invitations:
            tombstone = anonymise_invitation(invitation, now=now)
            revoked += tombstone.status is not invitation.status
            self.uow.invitations.update(tombstone)
        return len(invitations), revoked

    def erase(self, *, now: datetime) -> ErasureReport:
        """Remove the person's records, leave the tombstone (nothing is committed)."""
        uow = self.uow
        registrations = _delete_each(
            self.registrations(), lambda r: uow.index.delete_registration(r.id)
        )
        grants = self._revoke_grants(now)
        anonymised, revoked = self._anonymise_invitations(now)
        challenges = _delete_each(self.challenges(), lambda c: uow.one_time_codes.delete(c.id))
        feedback = _delete_each(self.feedback(), lambda f: uow.feedback.delete(f.id))
        throttles = _delete_each(
            uow.login_throttles.for_account(self.user), lambda t: uow.login_throttles.delete(t.key)
        )
        uow.index.delete_account(self.account.id)
        tombstone = ErasedAccount(account_id=self.user, erased_at=now)
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
    """The event of the erasure ``report`` tells of: its counts, by the same names."""
    counts = attrs.asdict(report, recurse=False)
    del counts["tombstone"]
    return AccountErased(occurred_at=now, account_id=report.tombstone.account_id, **counts)
