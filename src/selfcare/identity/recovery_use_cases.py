"""The recovery use cases of :class:`~selfcare.identity.service.IdentityService`: a
new password for a user who forgot it (rules in :mod:`selfcare.identity.recovery`).

Like the password use cases of :mod:`~selfcare.identity.login_use_cases`, each runs in
phases so that the slow work holds no transaction: check the identification and the
new password, read the account, hash outside any unit of work, then apply in a second
short unit of work to the account as stored *now*.

Nothing tells whether an account exists for the identity: the answer is the same
``Done(None)``, and an unknown identity costs the same work (the new password is
hashed and thrown away). Only the events differ; they are for the audit log.

Recovery by e-mail link (the operator's opt-in) is two calls:
:meth:`~RecoveryUseCases.request_password_recovery` mails a single-use link, with the
same answer for known and unknown addresses, and
:meth:`~RecoveryUseCases.recover_password_with_link` sets the new password when the
page the link opened is confirmed.
"""

from __future__ import annotations

import time
from datetime import datetime

from selfcare.core.decision import Violation
from selfcare.core.errors import ConcurrencyConflict, SelfcareError
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.identity.account import Account, AccountState, token_digest
from selfcare.identity.assertion import IdentityAssertion
from selfcare.identity.contact import EmailAddress
from selfcare.identity.events import RecoveryMethod
from selfcare.identity.login_unlock import RESEND_AFTER
from selfcare.identity.login_use_cases import LoginUseCases
from selfcare.identity.password import check_password
from selfcare.identity.ports import IdentityUnitOfWork
from selfcare.identity.recovery import (
    RecoveryPolicy,
    recovery_link_refusal,
    recovery_password_refusal,
    request_recovery,
    reset_password,
)
from selfcare.identity.registration_identification import check_identification
from selfcare.identity.registration_use_cases import TOKEN_BYTES

__all__ = ["RecoveryUseCases"]

#: How often the apply phase runs when a concurrent writer changed the account.
_ATTEMPTS = 2


class RecoveryUseCases(LoginUseCases):
    """Recovery after a forgotten password (the state is set by
    :class:`~selfcare.identity.service.IdentityService`)."""

    recovery_policy: RecoveryPolicy

    def recover_password_with_identification(
        self, assertion: IdentityAssertion, new_password: str
    ) -> Outcome[None]:
        """Set a new password for the account of the person ``assertion`` names,
        after a fresh strong identification (bank, mobile certificate, BankID).

        The identification is checked as registration checks it (listed provider and
        method, fresh, at the policy's level, naming a person); the new password by
        the password policy - with the names of the identification as personal words -
        and the breached-password port. The account is found by the keyed hash of the
        national identity code. When one is found (and is active), its password is
        replaced, its login throttles are reset (also a NIST "password login disabled"
        state), every earlier session is reported invalid and the owner gets
        ``account.password_reset``.

        The answer is the same ``Done(None)`` whether or not an account exists for the
        identity (or is closed or locked by customer service), after the same work;
        tell the user "if you have an account, its password is now the new one". Only
        the events differ (for the audit log, not for the page).

        Returns:
            ``Done(None)``, with :class:`~selfcare.identity.events.PasswordReset` and
            :class:`~selfcare.identity.events.SessionsRevoked` when a password was
            set; or a refusal with the codes of
            :func:`~selfcare.identity.registration_identification.check_identification`,
            the ``password.*`` codes of
            :func:`~selfcare.identity.password.check_password`, ``password.breached``
            or ``password.breach_check_unavailable``.

        Raises:
            TypeError: ``new_password`` is not a string.
        """
        now = self._clock.now()
        identified = check_identification(assertion, policy=self.registration_policy, now=now)
        if not identified:
            return Refused(identified)
        checked = recovery_password_refusal(
            new_password, assertion, self.registration_policy.password
        )
        if not checked:
            return Refused(checked)
        breach = self._breach_refusal(new_password)
        if breach is not None:
            return breach
        with self._uow as uow:
            found = (
                uow.accounts.find_by_national_id(assertion.national_id)
                if assertion.national_id is not None
                else None
            )
        # Hashed for an unknown identity too: the same work, the same time.
        new_hash = self._hash_new(new_password)
        if found is None or found.state is not AccountState.ACTIVE:
            return Done(None)
        return self._reset(found, new_hash, RecoveryMethod.STRONG_IDENTIFICATION)

    # -- by e-mail link (opt-in) ----------------------------------------------------

    def request_password_recovery(self, email: str) -> Outcome[None]:
        """Mail a single-use password recovery link to the account whose username is
        ``email`` - when the operator offers it
        (:attr:`~selfcare.identity.recovery.RecoveryPolicy.email_link`).

        The answer is ``Done(None)`` whether or not the address is registered (or even
        well-formed), after the same work: a token of 256 bits is drawn either way.
        Only the events differ (for the audit log). No link goes to a closed or
        customer-service-locked account, nor while the last one is younger than a
        minute. The link works once, for an hour, and only its digest is stored. The answer
        takes at least
        :attr:`~selfcare.identity.recovery.RecoveryPolicy.email_link_answer_floor`
        (the write and the mail of a known address are waited out).

        Returns:
            ``Done(None)``, with
            :class:`~selfcare.identity.events.PasswordRecoveryRequested` when a link
            was sent; or a refusal with ``recovery.email_link_not_offered`` when the
            operator has not opted in (the same for every address).
        """
        if not self.recovery_policy.email_link:
            return Refused.because(Violation("recovery.email_link_not_offered"))
        started = time.perf_counter()
        try:
            return self._mail_recovery_link(email)
        finally:
            floor = self.recovery_policy.email_link_answer_floor.total_seconds()
            time.sleep(max(0.0, floor - (time.perf_counter() - started)))

    def _mail_recovery_link(self, email: str) -> Outcome[None]:
        token = self._secrets.token(TOKEN_BYTES)
        digest, now = token_digest(token), self._clock.now()
        try:
            address: EmailAddress | None = EmailAddress.parse(email)
        except SelfcareError:
            address = None
        with self._uow as uow:
            account = uow.accounts.find_by_email(address) if address is not None else None
            if account is None or not self._may_mail_recovery(account, now):
                return Done(None)
            requested = request_recovery(
                account,
                token_digest=digest,
                now=now,
                valid_for=self.recovery_policy.email_link_valid_for,
            )
            uow.accounts.update(requested.value)
            uow.commit()
        self._send(
            "account.recovery_link",
            account.email,
            account.language,
            {"given_names": account.given_names},
            secret=token,
        )
        return Done(None, requested.events)

    @staticmethod
    def _may_mail_recovery(account: Account, now: datetime) -> bool:
        pending = account.pending_recovery
        recent = pending is not None and now - pending.requested_at < RESEND_AFTER
        return account.state is AccountState.ACTIVE and not recent

    def recover_password_with_link(self, token: str, new_password: str) -> Outcome[None]:
        """Set a new password with the token of a recovery link.

        Call it only from the POST of an explicit confirm on the page the link opens
        (the form with the new password), never from the GET of the link: mail
        gateways and link scanners fetch every link of an e-mail. The new password is
        checked as at a password change (the policy with the user's names and address
        as personal words, the breached-password port) and hashed outside any
        transaction; then, as after a recovery by identification, the throttles are
        reset, earlier sessions revoked and the owner told. The link works once.

        Returns:
            ``Done(None)`` with :class:`~selfcare.identity.events.PasswordReset` and
            :class:`~selfcare.identity.events.SessionsRevoked`, or a refusal with
            ``recovery.link_invalid`` (unknown, used, or replaced by a newer link),
            ``recovery.link_expired``, the ``password.*`` codes of
            :func:`~selfcare.identity.password.check_password`, ``password.breached``
            or ``password.breach_check_unavailable``.

        Raises:
            TypeError: ``token`` or ``new_password`` is not a string.
        """
        digest = token_digest(token)
        with self._uow as uow:
            account = uow.accounts.find_by_recovery_token(digest)
        if account is None or account.state is not AccountState.ACTIVE:
            return _link_invalid()
        valid = recovery_link_refusal(account, token, now=self._clock.now())
        if not valid:
            return Refused(valid)
        checked = check_password(
            new_password, self.registration_policy.password, personal=account.personal_words()
        )
        if not checked:
            return Refused(checked)
        breach = self._breach_refusal(new_password)
        if breach is not None:
            return breach
        new_hash = self._hash_new(new_password)
        return self._reset(account, new_hash, RecoveryMethod.EMAIL_LINK, link=digest)

    # -- applying a new password ----------------------------------------------------

    def _reset(
        self, found: Account, new_hash: str, method: RecoveryMethod, link: str | None = None
    ) -> Outcome[None]:
        """Apply the new password to the account as stored now, reset its throttles
        and tell the owner; a concurrent writer makes it run once more (a second loss
        raises :class:`~selfcare.core.errors.ConcurrencyConflict`)."""
        for _ in range(_ATTEMPTS - 1):
            try:
                return self._reset_once(found, new_hash, method, link)
            except ConcurrencyConflict:
                continue
        return self._reset_once(found, new_hash, method, link)

    def _reset_once(
        self, found: Account, new_hash: str, method: RecoveryMethod, link: str | None
    ) -> Outcome[None]:
        """The account as stored now gets ``new_hash``; with ``link``, only while that
        recovery link is still the pending one (it works once)."""
        with self._uow as uow:
            account = uow.accounts.find(found.id)
            if account is None or account.state is not AccountState.ACTIVE:
                return Done(None) if link is None else _link_invalid()
            pending = account.pending_recovery
            if link is not None and (pending is None or pending.token_digest != link):
                return _link_invalid()
            done = reset_password(account, new_hash, method=method, now=self._clock.now())
            uow.accounts.update(done.value)
            self._forget_throttles(uow, account)
            uow.commit()
        self._send("account.password_reset", account.email, account.language)
        return Done(None, done.events)

    @staticmethod
    def _forget_throttles(uow: IdentityUnitOfWork, account: Account) -> None:
        for throttle in uow.login_throttles.for_account(account.id):
            uow.login_throttles.delete(throttle.key)


def _link_invalid() -> Refused:
    return Refused.because(Violation("recovery.link_invalid"))
