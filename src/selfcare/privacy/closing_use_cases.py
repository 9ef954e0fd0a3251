"""The closing use cases of :class:`~selfcare.privacy.service.PrivacyService`: a user
closes their own account from the portal (the pure part is
:mod:`selfcare.privacy.closing`).

Two calls, as a portal shows them:

1. :meth:`~ClosingUseCases.closing_summary_of` - what will be erased, what the operator
   keeps by law (invoices and orders, with the legal ground and the date until which
   they are kept), and the customer relationships whose last holder the user is;
2. :meth:`~ClosingUseCases.close_own_account` - after the user re-authenticated and
   confirmed: the privacy service's own erasure (GDPR Art. 17), in one unit of work.

Re-authentication is by the current password - checked by identity, a wrong one
counted as a failed login, and for an account with a second factor only after a recent
step-up (:meth:`~selfcare.identity.second_factor_use_cases.SecondFactorUseCases.step_up`)
- or by a fresh strong identification, checked as registration checks one and matched
to the account by the keyed hash of its national identity code. A strong
identification at the registration policy's level (eIDAS *substantial* or *high*) is
itself multi-factor, so it needs no step-up on top.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from selfcare.authz.model import CustomerRelationship
from selfcare.authz.roles import RoleModel
from selfcare.core.clock import Clock
from selfcare.core.decision import Violation
from selfcare.core.ids import AccountId, RelationshipId
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.identity.account import Account
from selfcare.identity.events import SessionsRevoked
from selfcare.identity.login import account_state_refusal
from selfcare.identity.ports import Channel, Notifier, OutgoingMessage
from selfcare.identity.registration import RegistrationPolicy
from selfcare.identity.registration_identification import check_identification
from selfcare.privacy.accounting_retention import ClosingPolicy
from selfcare.privacy.closing import (
    ClosingSummary,
    IdentificationReauthentication,
    KeptItem,
    LastHolding,
    PasswordReauthentication,
    Reauthentication,
    erased_items,
    kept_item,
    last_holdings,
)
from selfcare.privacy.closing_data import ErasedData, KeptRecord
from selfcare.privacy.erasure import PersonalRecords, erased_event, missing_account
from selfcare.privacy.events import AccountClosed, ReauthenticationMethod
from selfcare.privacy.model import ErasureReport
from selfcare.privacy.ports import AccountAuthenticator, PrivacyUnitOfWork

__all__ = ["ClosingUseCases"]

logger: logging.Logger = logging.getLogger("selfcare.privacy")


def _check_arguments(reauthentication: object, confirm: object) -> None:
    if not isinstance(reauthentication, PasswordReauthentication | IdentificationReauthentication):
        msg = (
            "reauthentication must be a PasswordReauthentication or IdentificationReauthentication"
        )
        raise TypeError(msg)
    if not isinstance(confirm, bool):
        msg = f"confirm must be a bool, not {type(confirm).__name__}"
        raise TypeError(msg)


def _erased_counts(records: PersonalRecords, *, now: datetime) -> dict[ErasedData, int]:
    uow, user = records.uow, records.user
    return {
        ErasedData.SECOND_FACTOR: int(uow.second_factors.find(user) is not None),
        ErasedData.REGISTRATIONS: len(records.registrations()),
        ErasedData.LOGIN_THROTTLES: len(uow.login_throttles.for_account(user)),
        ErasedData.ONE_TIME_CODES: len(records.challenges()),
        ErasedData.FEEDBACK: len(records.feedback()),
        ErasedData.ACCESS_RIGHTS: sum(g.is_active(now) for g in uow.grants.for_user(user)),
        ErasedData.INVITATIONS: len(records.invitations()),
    }


class ClosingUseCases:
    """Closing one's own account (the state is set by
    :class:`~selfcare.privacy.service.PrivacyService`)."""

    uow: PrivacyUnitOfWork
    clock: Clock
    authenticator: AccountAuthenticator | None
    notifier: Notifier | None
    registration_policy: RegistrationPolicy
    role_model: RoleModel
    closing_policy: ClosingPolicy
    zone: ZoneInfo

    # -- the summary ----------------------------------------------------------------

    def closing_summary_of(self, account_id: AccountId) -> Outcome[ClosingSummary]:
        """What closing ``account_id`` would erase and keep, and what blocks it (a
        query: show it before asking for the confirmation).

        Returns:
            The :class:`~selfcare.privacy.closing.ClosingSummary`, or a refusal with
            ``privacy.account_not_found`` or ``privacy.account_erased``.
        """
        now = self.clock.now()
        with self.uow as uow:
            account = uow.accounts.find(account_id)
            if account is None:
                return missing_account(uow.erasures, account_id)
            summary = ClosingSummary(
                account_id=AccountId(account.id),
                prepared_at=now,
                erased=erased_items(_erased_counts(PersonalRecords(uow, account), now=now)),
                kept=self._kept(uow, AccountId(account.id)),
                last_holdings=self._last_holdings(uow, AccountId(account.id), now=now),
            )
        return Done(summary)

    def _relationships_of(
        self, uow: PrivacyUnitOfWork, user: AccountId
    ) -> dict[RelationshipId, CustomerRelationship | None]:
        ids = dict.fromkeys(g.relationship_id for g in uow.grants.for_user(user))
        ids.update(dict.fromkeys(o.relationship_id for o in uow.index.orders_placed_by(user)))
        return {rel: uow.relationships.find(rel) for rel in ids}

    def _kept(self, uow: PrivacyUnitOfWork, user: AccountId) -> tuple[KeptItem, ...]:
        """Invoices of the relationships the user had access to, and the orders the
        user placed, grouped by relationship and by the country whose law keeps them."""
        policy, kept = self.closing_policy, []
        relationships = self._relationships_of(uow, user)
        for rel_id, relationship in relationships.items():
            invoices: defaultdict[str, list[date]] = defaultdict(list)
            if relationship is not None:
                for invoice in uow.invoices.for_payer(relationship.customer_number):
                    seller = invoice.seller.country if invoice.seller is not None else None
                    invoices[policy.country_of(seller)].append(invoice.issued_on)
            orders = [
                o.placed_at.astimezone(self.zone).date()
                for o in uow.index.orders_placed_by(user)
                if o.relationship_id == rel_id
            ]
            groups = [
                *((KeptRecord.INVOICES, country, days) for country, days in invoices.items()),
                (KeptRecord.ORDERS, policy.accounting_country, orders),
            ]
            for record, country, days in groups:
                item = kept_item(
                    record, relationship, rel_id, country=country, dates=days, policy=policy
                )
                if item is not None:
                    kept.append(item)
        return tuple(kept)

    def _last_holdings(
        self, uow: PrivacyUnitOfWork, user: AccountId, *, now: datetime
    ) -> tuple[LastHolding, ...]:
        mine = uow.grants.for_user(user)
        held = dict.fromkeys(
            g.relationship_id for g in mine if g.role == self.role_model.holder_role
        )
        return last_holdings(
            user,
            mine,
            {rel: uow.grants.for_relationship(rel) for rel in held},
            {rel: uow.relationships.find(rel) for rel in held},
            now=now,
            model=self.role_model,
        )

    # -- closing --------------------------------------------------------------------

    def close_own_account(
        self, account_id: AccountId, reauthentication: Reauthentication, *, confirm: bool
    ) -> Outcome[ErasureReport]:
        """Close the logged-in ``account_id`` for good, at its owner's request.

        ``account_id`` is the account of the session. The owner re-authenticates
        (``reauthentication``: the current password, or a fresh strong identification;
        see the module) and confirms (``confirm=True``, after being shown
        :meth:`closing_summary_of`). Refused while the owner is the last holder of a
        customer relationship - each such relationship is named. Then, in one unit of
        work, the privacy service's erasure runs
        (:meth:`~selfcare.privacy.service.PrivacyService.erase_account`: the account,
        its second factor, registrations, failed-login counters, one-time codes and
        feedback deleted, grants revoked, invitations anonymised and the pending ones
        the owner sent revoked); nothing is half-written when a step fails. Invoices
        and orders stay (see the summary). The owner gets ``account.closed`` in the
        account's language. Afterwards the account answers as an unknown one:
        ``privacy.account_erased`` here, ``login.invalid_credentials`` at login, the
        same ``Done(None)`` as for an unknown identity at recovery.

        Returns:
            The :class:`~selfcare.privacy.model.ErasureReport` with
            :class:`~selfcare.privacy.events.AccountClosed`,
            :class:`~selfcare.privacy.events.AccountErased` and
            :class:`~selfcare.identity.events.SessionsRevoked` (end every session of the
            account); or a refusal with ``closing.not_confirmed``,
            ``privacy.account_not_found``, ``privacy.account_erased``,
            ``login.account_locked``, ``login.account_closed``, the codes of
            :meth:`~selfcare.identity.login_use_cases.LoginUseCases.verify_password`
            (a wrong password carries :class:`~selfcare.identity.events.LoginFailed`),
            ``second_factor.step_up_required``, ``closing.reauthentication_unavailable``
            (a password, and no authenticator wired), the codes of
            :func:`~selfcare.identity.registration_identification.check_identification`,
            ``closing.identification_mismatch`` or ``closing.last_holder``
            (``relationship``, ``relationship_name``; one per relationship).

        Raises:
            TypeError: ``reauthentication`` is not one of the two kinds, or
                ``confirm`` is not a bool (or the password or source not a string).
            SelfcareError: ``login.source_invalid`` for an empty or over-long source.
            ConcurrencyConflict: a record changed meanwhile (nothing is saved; retry).
            StorageError: the storage failed (nothing is saved).
        """
        _check_arguments(reauthentication, confirm)
        if not confirm:
            return Refused.because(Violation("closing.not_confirmed"))
        with self.uow as uow:
            account = uow.accounts.find(account_id)
            if account is None:
                return missing_account(uow.erasures, account_id)
        # A Refused is falsy: test for None, never chain refusals with ``or``.
        state = account_state_refusal(account)  # a locked or closed account: not by its user
        refused = None if state is None else Refused(state)
        if refused is None:
            refused = self._reauthentication_refusal(account, reauthentication)
        if refused is not None:
            return refused
        return self._close(account_id, _method(reauthentication))

    def _close(
        self, account_id: AccountId, method: ReauthenticationMethod
    ) -> Outcome[ErasureReport]:
        now = self.clock.now()
        with self.uow as uow:
            account = uow.accounts.find(account_id)
            if account is None:  # closed or erased meanwhile
                return missing_account(uow.erasures, account_id)
            holdings = self._last_holdings(uow, AccountId(account.id), now=now)
            if holdings:
                return Refused.because(*(holding.violation() for holding in holdings))
            report = PersonalRecords(uow, account).erase(now=now)
            uow.commit()
        self.uow.after_erasure()
        logger.info("account %s closed by its owner (%s)", account.id, method.value)
        self._tell_owner(account)
        user = report.tombstone.account_id
        return Done(
            report,
            [
                AccountClosed(occurred_at=now, account_id=user, reauthenticated_by=method),
                erased_event(report, now),
                SessionsRevoked(occurred_at=now, account_id=user, revoked_before=now),
            ],
        )

    def _reauthentication_refusal(
        self, account: Account, reauthentication: Reauthentication
    ) -> Refused | None:
        user = AccountId(account.id)
        if isinstance(reauthentication, PasswordReauthentication):
            if self.authenticator is None:
                return Refused.because(Violation("closing.reauthentication_unavailable"))
            verified = self.authenticator.verify_password(
                user, reauthentication.password, source=reauthentication.source
            )
            if not verified.ok:
                return verified
            stepped = self.authenticator.require_step_up(user)
            return stepped if not stepped.ok else None
        assertion = reauthentication.assertion
        checked = check_identification(
            assertion, policy=self.registration_policy, now=self.clock.now()
        )
        if not checked.allowed or assertion.national_id is None:
            return Refused(checked)
        with self.uow as uow:
            holder = uow.accounts.find_by_national_id(assertion.national_id)
        if holder is None or holder.id != account.id:
            return Refused.because(Violation("closing.identification_mismatch"))
        return None

    def _tell_owner(self, account: Account) -> None:
        """The confirmation goes to the address the account had: the owner learns
        their account is gone (and can react if they did not do it)."""
        if self.notifier is None:
            return
        self.notifier.send(
            OutgoingMessage(
                template="account.closed",
                channel=Channel.EMAIL,
                recipient=account.email.value,
                language=account.language,
                params={"given_names": account.given_names},
            )
        )


def _method(reauthentication: Reauthentication) -> ReauthenticationMethod:
    if isinstance(reauthentication, PasswordReauthentication):
        return ReauthenticationMethod.PASSWORD
    return ReauthenticationMethod.STRONG_IDENTIFICATION
