"""The use cases of privacy: :class:`PrivacyService` - export (GDPR Art. 15, 20),
erasure (Art. 17) and retention.

Each method runs in one :class:`~selfcare.privacy.ports.PrivacyUnitOfWork`, takes the
time from the service's clock and returns an :class:`~selfcare.core.outcome.Outcome`
with the :mod:`~selfcare.privacy.events` of what it did. The library logs to the
``selfcare.privacy`` logger only what an operator needs for an audit trail: account
ids and counts, never a name, an address or an identity code.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from selfcare.authz.roles import DEFAULT_ROLE_MODEL, RoleModel
from selfcare.core.clock import Clock, operator_zone
from selfcare.core.ids import AccountId
from selfcare.core.outcome import Done, Outcome
from selfcare.identity.account import Account
from selfcare.identity.login import LoginPolicy
from selfcare.identity.ports import Notifier
from selfcare.identity.registration import RegistrationPolicy
from selfcare.privacy.accounting_retention import ClosingPolicy
from selfcare.privacy.closing_use_cases import ClosingUseCases
from selfcare.privacy.erasure import PersonalRecords, erased_event, missing_account
from selfcare.privacy.events import ExpiredRecordsPurged, PersonalDataExported
from selfcare.privacy.model import (
    DEFAULT_RETENTION,
    ErasureReport,
    PersonalDataExport,
    PurgeCounts,
    RetentionPolicy,
)
from selfcare.privacy.ports import AccountAuthenticator, PrivacyUnitOfWork
from selfcare.privacy.rules import (
    challenge_is_purgeable,
    invitation_is_purgeable,
    redact_account,
    redact_challenge,
    redact_invitation,
    redact_registration,
    registration_is_purgeable,
    retention_cutoff,
    throttle_is_purgeable,
)

__all__ = ["PrivacyService"]

logger: logging.Logger = logging.getLogger("selfcare.privacy")


def _export_of(uow: PrivacyUnitOfWork, account: Account, *, now: datetime) -> PersonalDataExport:
    records, user = PersonalRecords(uow, account), AccountId(account.id)
    return PersonalDataExport(
        exported_at=now,
        account=redact_account(account),
        registrations=tuple(redact_registration(r) for r in records.registrations()),
        grants_received=tuple(uow.grants.for_user(user)),
        grants_given=tuple(g for g in uow.index.grants_given_by(user) if g.user != user),
        invitations_sent=tuple(redact_invitation(i) for i in uow.index.invitations_sent_by(user)),
        invitations_received=tuple(redact_invitation(i) for i in records.invitations_received()),
        orders=tuple(uow.index.orders_placed_by(user)),
        one_time_codes=tuple(redact_challenge(c) for c in records.challenges()),
        feedback=records.feedback(),
    )


def _purge(
    uow: PrivacyUnitOfWork, policy: RetentionPolicy, login_policy: LoginPolicy, *, now: datetime
) -> PurgeCounts:
    registrations = [
        r.id
        for r in uow.index.registrations_changed_before(
            retention_cutoff(policy.registrations, now=now)
        )
        if registration_is_purgeable(r, policy=policy, now=now)
    ]
    invitations = [
        i.id
        for i in uow.index.invitations_created_before(retention_cutoff(policy.invitations, now=now))
        if invitation_is_purgeable(i, policy=policy, now=now)
    ]
    challenges = [
        c.id
        for c in uow.one_time_codes.issued_before(retention_cutoff(policy.one_time_codes, now=now))
        if challenge_is_purgeable(c, policy=policy, now=now)
    ]
    throttles = [
        t.key
        for t in uow.login_throttles.changed_before(
            retention_cutoff(policy.login_throttles, now=now)
        )
        if throttle_is_purgeable(t, policy=policy, login_policy=login_policy, now=now)
    ]
    return PurgeCounts(
        registrations=sum(uow.index.delete_registration(r) for r in registrations),
        invitations=sum(uow.index.delete_invitation(i) for i in invitations),
        one_time_codes=sum(uow.one_time_codes.delete(c) for c in challenges),
        login_throttles=sum(uow.login_throttles.delete(k) for k in throttles),
    )


class PrivacyService(ClosingUseCases):
    """Export, erasure, retention and closing one's own account over one
    :class:`~selfcare.privacy.ports.PrivacyUnitOfWork` (the closing use cases are
    written in :class:`~selfcare.privacy.closing_use_cases.ClosingUseCases`).

    Args:
        uow: the repositories export, erasure and retention read and remove.
        clock: the time of an export, an erasure or a purge.
        retention: how long ended records are kept
            (:data:`~selfcare.privacy.model.DEFAULT_RETENTION`).
        authenticator: checks the password (and the second factor's step-up) of an
            owner closing their account - identity's service; without one, closing
            takes a strong identification only.
        notifier: receives the confirmation of a closed account (``account.closed``);
            none by default.
        registration_policy: how a strong identification is checked (as at
            registration).
        role_model: which role is a relationship's holder.
        closing_policy: the operator's bookkeeping country and financial year, which
            date the records kept by law.
        login_policy: how fast failed logins are forgotten (identity's
            :class:`~selfcare.identity.login.LoginPolicy`): retention removes a
            failed-login counter only once it counts nothing.
        zone: the operator's time zone (the date of an order); ``Europe/Helsinki`` by
            default.

    Thread safety: not safe to share between threads (it holds one unit of work); build
    one per thread or per call, as :class:`selfcare.aio.AsyncApp` does.
    """

    def __init__(
        self,
        *,
        uow: PrivacyUnitOfWork,
        clock: Clock,
        retention: RetentionPolicy = DEFAULT_RETENTION,
        authenticator: AccountAuthenticator | None = None,
        notifier: Notifier | None = None,
        registration_policy: RegistrationPolicy | None = None,
        role_model: RoleModel = DEFAULT_ROLE_MODEL,
        closing_policy: ClosingPolicy | None = None,
        zone: ZoneInfo | None = None,
        login_policy: LoginPolicy | None = None,
    ) -> None:
        self.uow: PrivacyUnitOfWork = uow
        self.clock: Clock = clock
        self.retention: RetentionPolicy = retention
        self.authenticator: AccountAuthenticator | None = authenticator
        self.notifier: Notifier | None = notifier
        self.registration_policy: RegistrationPolicy = registration_policy or RegistrationPolicy()
        self.role_model: RoleModel = role_model
        self.login_policy: LoginPolicy = login_policy or LoginPolicy()
        self.closing_policy: ClosingPolicy = closing_policy or ClosingPolicy()
        self.zone: ZoneInfo = zone if zone is not None else operator_zone()

    def collect_personal_data(self, account_id: AccountId) -> Outcome[PersonalDataExport]:
        """Everything the library holds about the person of ``account_id`` (GDPR Art. 15,
        20), as a :class:`~selfcare.privacy.model.PersonalDataExport`.

        Returns:
            The export and :class:`~selfcare.privacy.events.PersonalDataExported`, or a
            refusal with ``privacy.account_not_found`` or ``privacy.account_erased``.
        """
        now = self.clock.now()
        with self.uow as uow:
            account = uow.accounts.find(account_id)
            if account is None:
                return missing_account(uow.erasures, account_id)
            export = _export_of(uow, account, now=now)
        logger.info("personal data exported for account %s", account.id)
        exported = PersonalDataExported(occurred_at=now, account_id=AccountId(account.id))
        return Done(export, [exported])

    def export_personal_data(self, account_id: AccountId) -> Outcome[dict[str, Any]]:
        """The JSON-ready export document of ``account_id`` (schema
        :data:`~selfcare.privacy.model.SCHEMA_VERSION`; see :doc:`/guides/privacy`).

        ``json.dumps`` takes the value as it is; the converter of
        :mod:`selfcare.serialization` reads it back into a
        :class:`~selfcare.privacy.model.PersonalDataExport`.

        Returns:
            The document and :class:`~selfcare.privacy.events.PersonalDataExported`, or a
            refusal with ``privacy.account_not_found`` or ``privacy.account_erased``.
        """
        match self.collect_personal_data(account_id):
            case Done(value=export, events=events):
                return Done(export.document(), events)
            case refused:
                return refused

    def erase_account(self, account_id: AccountId) -> Outcome[ErasureReport]:
        """Erase the person of ``account_id`` (GDPR Art. 17).

        The account is closed for good: it is removed and an
        :class:`~selfcare.privacy.model.ErasedAccount` tombstone keeps its id, so that
        its address and identity code can register again and a login answers as for any
        unknown address. Their registrations, one-time codes, feedback and failed-login
        counters are deleted; their grants are revoked and kept (they name only the
        account id); invitations they sent or received are anonymised and kept countable
        (:func:`~selfcare.privacy.rules.anonymise_invitation`); grants they gave stay
        valid for the receiver; orders they placed stay with the customer relationship
        (they name only the account id). Nothing else changes. Once committed, the
        storage is asked to remove what it still keeps of the deleted records beyond
        its tables (:meth:`~selfcare.privacy.ports.PrivacyUnitOfWork.after_erasure`:
        cached entities, SQLite's write-ahead log).

        Returns:
            The :class:`~selfcare.privacy.model.ErasureReport` and
            :class:`~selfcare.privacy.events.AccountErased`, or a refusal with
            ``privacy.account_not_found`` or ``privacy.account_erased``.

        Raises:
            ConcurrencyConflict: a record changed meanwhile (nothing is saved then;
                retry).
        """
        now = self.clock.now()
        with self.uow as uow:
            account = uow.accounts.find(account_id)
            if account is None:
                return missing_account(uow.erasures, account_id)
            report = PersonalRecords(uow, account).erase(now=now)
            uow.commit()
        self.uow.after_erasure()
        logger.info(
            "account %s erased: %d registrations, %d grants, %d invitations, %d codes, %d feedback",
            account.id,
            report.registrations_deleted,
            report.grants_revoked,
            report.invitations_anonymised,
            report.one_time_codes_deleted,
            report.feedback_deleted,
        )
        erased = erased_event(report, now)
        return Done(report, [erased])

    def purge_expired(self) -> Outcome[PurgeCounts]:
        """Remove what retention no longer allows to keep; schedule it (e.g. nightly).

        Removes registrations expired or abandoned, invitations expired or declined,
        one-time codes spent and failed-login counters at rest, each more than its
        period of the service's :class:`~selfcare.privacy.model.RetentionPolicy` ago.
        Running it again at the same time removes nothing more.

        Returns:
            How many records of each kind were removed, and
            :class:`~selfcare.privacy.events.ExpiredRecordsPurged` when any was (never
            refused).
        """
        now = self.clock.now()
        with self.uow as uow:
            counts = _purge(uow, self.retention, self.login_policy, now=now)
            uow.commit()
        logger.info(
            "retention purge: %d registrations, %d invitations, %d one-time codes,"
            " %d login throttles",
            counts.registrations,
            counts.invitations,
            counts.one_time_codes,
            counts.login_throttles,
        )
        if not counts.total:
            return Done(counts)
        purged = ExpiredRecordsPurged(
            occurred_at=now,
            registrations=counts.registrations,
            invitations=counts.invitations,
            one_time_codes=counts.one_time_codes,
            login_throttles=counts.login_throttles,
        )
        return Done(counts, [purged])
