"""Use cases of selfcare.privacy: export (Art. 15, 20), erasure (Art. 17), retention.

Each function runs in one :class:`~selfcare.privacy.ports.PrivacyUnitOfWork` and takes
``now`` explicitly, like every rule of the library. The library logs to the
``selfcare.privacy`` logger only what an operator needs for an audit trail: account
ids and counts, never a name, an address or an identity code.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeVar

from selfcare.core.clock import require_aware
from selfcare.core.decision import Decision, Violation
from selfcare.core.ids import AccountId
from selfcare.identity.account import Account, Feedback
from selfcare.identity.otp import OneTimeCodeChallenge
from selfcare.identity.registration import Registration
from selfcare.privacy.model import (
    DEFAULT_RETENTION,
    ErasedAccount,
    ErasureReport,
    PersonalDataExport,
    PurgeCounts,
    RetentionPolicy,
)
from selfcare.privacy.ports import PrivacyUnitOfWork
from selfcare.privacy.rules import (
    anonymise_invitation,
    challenge_is_purgeable,
    invitation_is_purgeable,
    redact_account,
    redact_challenge,
    redact_invitation,
    redact_registration,
    registration_is_purgeable,
    retention_cutoff,
    revoke_for_erasure,
)

__all__ = ["collect_personal_data", "erase_account", "export_personal_data", "purge_expired"]

logger = logging.getLogger("selfcare.privacy")

T = TypeVar("T")


def _unique(items: Iterable[T], key: Any) -> tuple[T, ...]:
    seen: dict[object, T] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return tuple(seen.values())


def _missing(uow: PrivacyUnitOfWork, account_id: str) -> Decision:
    if uow.erasures.get(account_id) is not None:
        return Decision.deny(Violation("privacy.account_erased"))
    return Decision.deny(Violation("privacy.account_not_found"))


def _registrations(uow: PrivacyUnitOfWork, account: Account) -> tuple[Registration, ...]:
    return _unique(
        [
            *uow.index.registrations_of_account(account.id),
            *uow.index.registrations_of_person(account.national_id),
        ],
        lambda r: r.id,
    )


def _challenges(uow: PrivacyUnitOfWork, account: Account) -> tuple[OneTimeCodeChallenge, ...]:
    phone = account.profile.phone
    return tuple(uow.one_time_codes.for_phone(phone)) if phone is not None else ()


def _feedback(uow: PrivacyUnitOfWork, account: Account) -> tuple[Feedback, ...]:
    return _unique(
        [
            *uow.feedback.for_account(account.id),
            *uow.feedback.for_contact(account.email, account.profile.phone),
        ],
        lambda f: f.id,
    )


def _received(uow: PrivacyUnitOfWork, account: Account) -> list[Any]:
    addresses = [account.email]
    if account.pending_email is not None:
        addresses.append(account.pending_email.email)
    found: list[Any] = []
    for address in addresses:
        found.extend(uow.invitations.for_email(address))
    found.extend(uow.index.invitations_accepted_by(AccountId(account.id)))
    return found


def collect_personal_data(
    uow: PrivacyUnitOfWork, account_id: str, *, now: datetime
) -> PersonalDataExport | Decision:
    """Everything the library holds about the person of ``account_id`` (GDPR Art. 15,
    20), as a :class:`~selfcare.privacy.model.PersonalDataExport`.

    Returns:
        The export, or a refusal with ``privacy.account_not_found`` or
        ``privacy.account_erased``.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    with uow:
        account = uow.accounts.get(account_id)
        if account is None:
            return _missing(uow, account_id)
        user = AccountId(account.id)
        export = PersonalDataExport(
            exported_at=moment,
            account=redact_account(account),
            registrations=tuple(redact_registration(r) for r in _registrations(uow, account)),
            grants_received=tuple(uow.grants.for_user(user)),
            grants_given=tuple(g for g in uow.index.grants_given_by(user) if g.user != user),
            invitations_sent=tuple(
                redact_invitation(i) for i in uow.index.invitations_sent_by(user)
            ),
            invitations_received=tuple(
                redact_invitation(i) for i in _unique(_received(uow, account), lambda i: i.id)
            ),
            orders=tuple(uow.index.orders_placed_by(user)),
            one_time_codes=tuple(redact_challenge(c) for c in _challenges(uow, account)),
            feedback=_feedback(uow, account),
        )
    logger.info("personal data exported for account %s", account.id)
    return export


def export_personal_data(
    uow: PrivacyUnitOfWork, account_id: str, *, now: datetime
) -> dict[str, Any] | Decision:
    """The JSON-ready export document of ``account_id`` (schema
    :data:`~selfcare.privacy.model.SCHEMA_VERSION`; see :doc:`/guides/privacy`).

    ``json.dumps`` takes the result as it is; the converter of
    :mod:`selfcare.serialization` reads it back into a
    :class:`~selfcare.privacy.model.PersonalDataExport`.

    Returns:
        The document, or a refusal with ``privacy.account_not_found`` or
        ``privacy.account_erased``.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    collected = collect_personal_data(uow, account_id, now=now)
    if isinstance(collected, Decision):
        return collected
    return collected.document()


def erase_account(
    uow: PrivacyUnitOfWork, account_id: str, *, now: datetime
) -> ErasureReport | Decision:
    """Erase the person of ``account_id`` (GDPR Art. 17).

    The account is closed for good: it is removed and an
    :class:`~selfcare.privacy.model.ErasedAccount` tombstone keeps its id, so that its
    address and identity code can register again and a login answers as for any
    unknown address. Their registrations, one-time codes and feedback are deleted;
    their grants are revoked and kept (they name only the account id); invitations
    they sent or received are anonymised and kept countable
    (:func:`~selfcare.privacy.rules.anonymise_invitation`); grants they gave stay valid
    for the receiver; orders they placed stay with the customer relationship (they name
    only the account id). Nothing else changes.

    Returns:
        The :class:`~selfcare.privacy.model.ErasureReport`, or a refusal with
        ``privacy.account_not_found`` or ``privacy.account_erased``.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``;
            :class:`~selfcare.core.errors.ConcurrencyConflict` when a record changed
            meanwhile (nothing is saved then; retry).
    """
    moment = require_aware(now, "now")
    with uow:
        account = uow.accounts.get(account_id)
        if account is None:
            return _missing(uow, account_id)
        user = AccountId(account.id)
        registrations = _registrations(uow, account)
        for registration in registrations:
            uow.index.delete_registration(registration.id)
        revoked = 0
        for grant in uow.grants.for_user(user):
            ended = revoke_for_erasure(grant, now=moment)
            if ended is not None:
                uow.grants.update(ended)
                revoked += 1
        invitations = _unique(
            [*uow.index.invitations_sent_by(user), *_received(uow, account)], lambda i: i.id
        )
        revoked_invitations = 0
        for invitation in invitations:
            tombstone = anonymise_invitation(invitation, now=moment)
            revoked_invitations += tombstone.status is not invitation.status
            uow.invitations.update(tombstone)
        challenges = _challenges(uow, account)
        for challenge in challenges:
            uow.one_time_codes.delete(challenge.id)
        feedback = _feedback(uow, account)
        for item in feedback:
            uow.feedback.delete(item.id)
        uow.index.delete_account(account.id)
        grave = ErasedAccount(account_id=account.id, erased_at=moment)
        uow.erasures.add(grave)
        uow.commit()
    report = ErasureReport(
        tombstone=grave,
        registrations_deleted=len(registrations),
        grants_revoked=revoked,
        invitations_anonymised=len(invitations),
        invitations_revoked=revoked_invitations,
        one_time_codes_deleted=len(challenges),
        feedback_deleted=len(feedback),
    )
    logger.info(
        "account %s erased: %d registrations, %d grants, %d invitations, %d codes, %d feedback",
        account.id,
        report.registrations_deleted,
        report.grants_revoked,
        report.invitations_anonymised,
        report.one_time_codes_deleted,
        report.feedback_deleted,
    )
    return report


def purge_expired(
    uow: PrivacyUnitOfWork, *, policy: RetentionPolicy = DEFAULT_RETENTION, now: datetime
) -> PurgeCounts:
    """Remove what retention no longer allows to keep; schedule it (e.g. nightly).

    Removes registrations expired or abandoned, invitations expired or declined, and
    one-time codes spent, each more than its period of ``policy`` ago (see
    :class:`~selfcare.privacy.model.RetentionPolicy` for the defaults). Running it
    again at the same ``now`` removes nothing more.

    Returns:
        How many records of each kind were removed.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    with uow:
        registrations = [
            r.id
            for r in uow.index.registrations_changed_before(
                retention_cutoff(policy.registrations, now=moment)
            )
            if registration_is_purgeable(r, policy=policy, now=moment)
        ]
        invitations = [
            i.id
            for i in uow.index.invitations_created_before(
                retention_cutoff(policy.invitations, now=moment)
            )
            if invitation_is_purgeable(i, policy=policy, now=moment)
        ]
        challenges = [
            c.id
            for c in uow.one_time_codes.issued_before(
                retention_cutoff(policy.one_time_codes, now=moment)
            )
            if challenge_is_purgeable(c, policy=policy, now=moment)
        ]
        counts = PurgeCounts(
            registrations=sum(uow.index.delete_registration(r) for r in registrations),
            invitations=sum(uow.index.delete_invitation(i) for i in invitations),
            one_time_codes=sum(uow.one_time_codes.delete(c) for c in challenges),
        )
        uow.commit()
    logger.info(
        "retention purge: %d registrations, %d invitations, %d one-time codes",
        counts.registrations,
        counts.invitations,
        counts.one_time_codes,
    )
    return counts
