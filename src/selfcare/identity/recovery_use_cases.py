"""The recovery use cases of :class:`~selfcare.identity.service.IdentityService`: a
new password for a user who forgot it (rules in :mod:`selfcare.identity.recovery`).

Like the password use cases of :mod:`~selfcare.identity.login_use_cases`, each runs in
phases so that the slow work holds no transaction: check the identification and the
new password, read the account, hash outside any unit of work, then apply in a second
short unit of work to the account as stored *now*.

Nothing tells whether an account exists for the identity: the answer is the same
``Done(None)``, and an unknown identity costs the same work (the new password is
hashed and thrown away). Only the events differ; they are for the audit log.
"""

from __future__ import annotations

from selfcare.core.errors import ConcurrencyConflict
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.identity.account import Account, AccountState
from selfcare.identity.assertion import IdentityAssertion
from selfcare.identity.events import RecoveryMethod
from selfcare.identity.login_use_cases import LoginUseCases
from selfcare.identity.ports import IdentityUnitOfWork
from selfcare.identity.recovery import recovery_password_refusal, reset_password
from selfcare.identity.registration_identification import check_identification

__all__ = ["RecoveryUseCases"]

#: How often the apply phase runs when a concurrent writer changed the account.
_ATTEMPTS = 2


class RecoveryUseCases(LoginUseCases):
    """Recovery after a forgotten password (the state is set by
    :class:`~selfcare.identity.service.IdentityService`)."""

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

    def _reset(self, found: Account, new_hash: str, method: RecoveryMethod) -> Outcome[None]:
        """Apply the new password to the account as stored now, reset its throttles
        and tell the owner; a concurrent writer makes it run once more (a second loss
        raises :class:`~selfcare.core.errors.ConcurrencyConflict`)."""
        for _ in range(_ATTEMPTS - 1):
            try:
                return self._reset_once(found, new_hash, method)
            except ConcurrencyConflict:
                continue
        return self._reset_once(found, new_hash, method)

    def _reset_once(self, found: Account, new_hash: str, method: RecoveryMethod) -> Outcome[None]:
        with self._uow as uow:
            account = uow.accounts.find(found.id)
            if account is None or account.state is not AccountState.ACTIVE:
                return Done(None)
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
