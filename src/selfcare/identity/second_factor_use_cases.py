"""The second-factor use cases of :class:`~selfcare.identity.service.IdentityService`.

:class:`SecondFactorUseCases` enrols, verifies and removes the TOTP second factor of
:mod:`selfcare.identity.second_factor`, and puts it in front of what it protects:

- **Login in two steps.** For an account with a confirmed second factor,
  :meth:`~SecondFactorUseCases.login` never returns ``Done``: a right password is
  refused with ``login.second_factor_required``, whose ``pending_login`` parameter is a
  short-lived, single-use id of a login kept on the server (only its digest is
  stored). The client sends it back with a code to
  :meth:`~SecondFactorUseCases.complete_login`, which alone returns the logged-in
  account. A client cannot skip the second step: there is nothing else to skip to.
- **Step-up.** Changing the e-mail address or the password of such an account is
  refused with ``second_factor.step_up_required`` unless a code was verified within
  :attr:`~selfcare.identity.second_factor.TotpPolicy.step_up_valid_for`
  (:meth:`~SecondFactorUseCases.step_up`, or the login's second step). The payer of a
  billing agreement lives in billing, which does not know identity: the integrator
  calls :meth:`~SecondFactorUseCases.require_step_up` before
  :class:`~selfcare.billing.service.BillingService` changes it, and refuses the
  change when it is refused.
- **The password minimum.** When the password policy sets
  :attr:`~selfcare.identity.password.PasswordPolicy.min_length_with_second_factor`
  (NIST SP 800-63B-4's 8 characters), a password change of an account with a
  confirmed second factor uses that minimum instead of ``min_length``.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import AccountId
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.core.ports import next_version
from selfcare.identity.account import Account, AccountState, account_not_found, token_digest
from selfcare.identity.events import (
    LoginMethod,
    LoginSucceeded,
    SecondFactorRemoved,
    SecondStepRequired,
    SteppedUp,
)
from selfcare.identity.ids import LoginSource
from selfcare.identity.login_use_cases import LoginUseCases
from selfcare.identity.password import PasswordPolicy
from selfcare.identity.ports import IdentityUnitOfWork
from selfcare.identity.registration_use_cases import TOKEN_BYTES
from selfcare.identity.second_factor import (
    RECOVERY_CODE_BYTES,
    SECRET_BYTES,
    PendingSecondStep,
    RecoveryCodes,
    SecondFactor,
    SecondFactorStatus,
    TotpEnrolment,
    TotpPolicy,
    confirm_enrolment,
    is_recovery_code,
    new_recovery_codes,
    new_secret,
    provisioning_uri,
    start_enrolment,
    use_recovery_code,
    verify_totp,
)
from selfcare.identity.terms_gate import TermsGate, waits_for_terms

__all__ = ["SecondFactorUseCases"]


def _not_enrolled() -> Refused:
    return Refused.because(Violation("second_factor.not_enrolled"))


def _pending_invalid() -> Refused:
    return Refused.because(Violation("login.pending_login_invalid"))


class SecondFactorUseCases(LoginUseCases, TermsGate):
    """Enrolment, the login's second step, step-up and removal of the TOTP second
    factor (the state is set by :class:`~selfcare.identity.service.IdentityService`)."""

    second_factor_policy: TotpPolicy

    # -- helpers ----------------------------------------------------------------

    def _confirmed_factor(
        self, uow: IdentityUnitOfWork, account_id: AccountId
    ) -> SecondFactor | None:
        factor = uow.second_factors.find(account_id)
        return factor if factor is not None and factor.confirmed else None

    def _any_code(
        self, factor: SecondFactor, code: str, now: datetime
    ) -> tuple[SecondFactor | None, Outcome[SecondFactor]]:
        """A TOTP code, or a recovery code when it has that form."""
        policy = self.second_factor_policy
        if is_recovery_code(code):
            return use_recovery_code(factor, code, now=now, policy=policy)
        return verify_totp(factor, code, now=now, policy=policy)

    def _check_code(
        self, account_id: AccountId, code: str, now: datetime, *, remove: bool = False
    ) -> Outcome[SecondFactor]:
        """Verify a code of the confirmed factor of ``account_id`` and save what that
        changed (or, when ``remove``, delete the factor on success)."""
        with self._uow as uow:
            factor = self._confirmed_factor(uow, account_id)
            if factor is None:
                return _not_enrolled()
            changed, outcome = self._any_code(factor, code, now)
            if outcome.ok and remove:
                uow.second_factors.delete(account_id)
            elif changed is not None:
                uow.second_factors.update(changed)
            uow.commit()
        return outcome

    def _password_policy_of(self, account: Account) -> PasswordPolicy:
        """The password rules of ``account``: with a confirmed second factor, the
        policy's ``min_length_with_second_factor`` when it sets one."""
        policy = self.registration_policy.password
        shorter = policy.min_length_with_second_factor
        if shorter is None:
            return policy
        with self._uow as uow:
            factor = self._confirmed_factor(uow, AccountId(account.id))
        return policy if factor is None else attrs.evolve(policy, min_length=shorter)

    def _new_pending_login(self, method: LoginMethod) -> tuple[str, PendingSecondStep]:
        """A pending login's id for the client and what is kept of it: its digest and
        when it expires (the next step of the login: the second factor's code, or new
        terms of use)."""
        token = self._secrets.token(TOKEN_BYTES)
        expires_at = self._clock.now() + self.second_factor_policy.pending_login_valid_for
        kept = PendingSecondStep(
            token_digest=token_digest(token), expires_at=expires_at, method=method
        )
        return token, kept

    def _step_up_refusal(self, account_id: AccountId) -> Refused | None:
        """``second_factor.step_up_required`` when ``account_id`` has a confirmed
        factor and no code was verified recently."""
        with self._uow as uow:
            factor = self._confirmed_factor(uow, account_id)
        if factor is None:
            return None
        now, fresh_for = self._clock.now(), self.second_factor_policy.step_up_valid_for
        if factor.verified_at is not None and now < factor.verified_at + fresh_for:
            return None
        return Refused.because(Violation("second_factor.step_up_required"))

    # -- enrolment --------------------------------------------------------------

    @waits_for_terms
    def enrol_second_factor(
        self, account_id: AccountId, *, label: str | None = None
    ) -> Outcome[TotpEnrolment]:
        """Start enrolling a TOTP authenticator app; show the result's URI as a QR code
        (and its secret as text) once, then ask for a first code
        (:meth:`confirm_second_factor`). Starting again replaces an unconfirmed
        enrolment.

        Args:
            account_id: the logged-in account.
            label: the account's name in the app; its e-mail address by default.

        Returns:
            The :class:`~selfcare.identity.second_factor.TotpEnrolment` with
            :class:`~selfcare.identity.events.SecondFactorEnrolmentStarted`, or a
            refusal with ``terms.not_accepted``, ``account.not_found``,
            ``second_factor.already_enrolled`` or ``second_factor.label_invalid``.
        """
        secret = new_secret(self._secrets.token(SECRET_BYTES))
        now = self._clock.now()
        with self._uow as uow:
            account = uow.accounts.find(account_id)
            if account is None:
                return account_not_found()
            name = label if label is not None else account.email.value
            existing = uow.second_factors.find(account_id)
            started = start_enrolment(account_id, secret, existing, now=now)
            if not started.ok:
                return started
            try:
                uri = provisioning_uri(secret, name, self.second_factor_policy)
            except SelfcareError as error:
                return Refused.because(*error.violations)
            if existing is None:
                uow.second_factors.add(started.value)
            else:
                uow.second_factors.update(started.value)
            uow.commit()
        return Done(TotpEnrolment(uri, secret), started.events)

    @waits_for_terms
    def confirm_second_factor(self, account_id: AccountId, code: str) -> Outcome[RecoveryCodes]:
        """Put the enrolment in force with a first code from the app; the answer holds
        the recovery codes in clear: show them once (only digests are kept).

        Returns:
            The :class:`~selfcare.identity.second_factor.RecoveryCodes` with
            :class:`~selfcare.identity.events.SecondFactorEnrolled`, or a refusal with
            ``terms.not_accepted``, ``second_factor.not_enrolled``,
            ``second_factor.already_enrolled``,
            ``second_factor.enrolment_expired``, ``second_factor.locked``,
            ``second_factor.code_invalid`` or ``second_factor.code_already_used``
            (wrong codes carry :class:`~selfcare.identity.events.SecondFactorFailed`).
        """
        codes = new_recovery_codes(
            tuple(
                self._secrets.token(RECOVERY_CODE_BYTES)
                for _ in range(self.second_factor_policy.recovery_codes)
            )
        )
        with self._uow as uow:
            factor = uow.second_factors.find(account_id)
            if factor is None:
                return _not_enrolled()
            changed, outcome = confirm_enrolment(
                factor, code, codes, now=self._clock.now(), policy=self.second_factor_policy
            )
            if changed is not None:
                uow.second_factors.update(changed)
                uow.commit()
        if not outcome.ok:
            return outcome
        return Done(codes, outcome.events)

    def second_factor_of(self, account_id: AccountId) -> Outcome[SecondFactorStatus]:
        """Whether ``account_id`` has a second factor in force, and how many recovery
        codes are left (a query).

        Returns:
            The :class:`~selfcare.identity.second_factor.SecondFactorStatus`, or a
            refusal with ``account.not_found``.
        """
        with self._uow as uow:
            if uow.accounts.find(account_id) is None:
                return account_not_found()
            factor = self._confirmed_factor(uow, account_id)
        if factor is None:
            return Done(SecondFactorStatus(enrolled=False, recovery_codes_left=0))
        left = len(factor.recovery_code_digests)
        return Done(SecondFactorStatus(enrolled=True, recovery_codes_left=left))

    @waits_for_terms
    def remove_second_factor(self, account_id: AccountId, code: str) -> Outcome[None]:
        """Turn the second factor off, with a valid code (TOTP or recovery).

        Returns:
            ``Done(None)`` with :class:`~selfcare.identity.events.SecondFactorRemoved`,
            or a refusal with ``second_factor.not_enrolled`` or the codes of
            :meth:`step_up` (among them ``terms.not_accepted``).
        """
        now = self._clock.now()
        outcome = self._check_code(account_id, code, now, remove=True)
        if not outcome.ok:
            return outcome
        removed = SecondFactorRemoved(account_id=account_id, occurred_at=now)
        return Done(None, (*outcome.events, removed))

    # -- login ------------------------------------------------------------------

    def login(self, email: str, password: str, *, source: LoginSource) -> Outcome[Account]:
        """Log in with the e-mail address and password (the energy registration guide: after
        registration).

        For an account with a confirmed second factor a right password is the first
        step only: the answer is a refusal with ``login.second_factor_required``,
        whose ``pending_login`` parameter the client passes to
        :meth:`complete_login` with a code (within
        :attr:`~selfcare.identity.second_factor.TotpPolicy.pending_login_valid_for`),
        and the event :class:`~selfcare.identity.events.SecondStepRequired`. The
        password's success is recorded (the failure counts start again).

        Returns:
            As :meth:`~selfcare.identity.login_use_cases.LoginUseCases.login`, or a
            refusal with ``login.second_factor_required``.

        Raises:
            TypeError: ``password`` or ``source`` is not a string.
            SelfcareError: ``login.source_invalid`` for an empty or over-long source.
        """
        outcome = super().login(email, password, source=source)
        if not outcome.ok:
            return outcome
        account_id = AccountId(outcome.value.id)
        token, pending = self._new_pending_login(LoginMethod.PASSWORD)
        now = self._clock.now()
        with self._uow as uow:
            factor = self._confirmed_factor(uow, account_id)
            if factor is None:
                return outcome
            uow.second_factors.update(next_version(factor, pending_login=pending))
            uow.commit()
        required = Violation("login.second_factor_required", {"pending_login": token})
        step = SecondStepRequired(account_id=account_id, occurred_at=now)
        return Refused.because(required, events=(step,))

    def complete_login(self, pending_login: str, code: str) -> Outcome[Account]:
        """The second step of a login: a TOTP code (or a recovery code) for the
        ``pending_login`` id that :meth:`login` refused with. The id works once: it is
        void after success, after it expired and when the factor locks.

        Returns:
            The account with :class:`~selfcare.identity.events.LoginSucceeded` (and
            :class:`~selfcare.identity.events.RecoveryCodeUsed` for a recovery code),
            or a refusal with ``login.pending_login_invalid`` (unknown, used or
            expired: log in again), ``second_factor.locked``,
            ``second_factor.code_invalid`` or ``second_factor.code_already_used``.
        """
        if not isinstance(pending_login, str) or not pending_login or len(pending_login) > 256:
            return _pending_invalid()
        now = self._clock.now()
        with self._uow as uow:
            factor = uow.second_factors.find_by_pending_login(token_digest(pending_login))
            pending = factor.pending_login if factor is not None else None
            if factor is None or pending is None or now >= pending.expires_at:
                return _pending_invalid()
            account = uow.accounts.find(factor.account_id)
            if account is None or account.state is not AccountState.ACTIVE:
                return _pending_invalid()
            changed, outcome = self._any_code(factor, code, now)
            if outcome.ok or (changed is not None and changed.locked_until is not None):
                changed = attrs.evolve(changed, pending_login=None) if changed else None
            if changed is not None:
                uow.second_factors.update(changed)
                uow.commit()
        if not outcome.ok:
            return outcome
        succeeded = LoginSucceeded(account_id=factor.account_id, occurred_at=now)
        return Done(account, (*outcome.events, succeeded))

    # -- step-up ----------------------------------------------------------------

    @waits_for_terms
    def step_up(self, account_id: AccountId, code: str) -> Outcome[datetime]:
        """Verify a code (TOTP or recovery) before a sensitive change: the e-mail
        address, the password, the payer.

        Returns:
            Until when the step-up holds, with
            :class:`~selfcare.identity.events.SteppedUp`, or a refusal with
            ``terms.not_accepted``, ``second_factor.not_enrolled``, ``second_factor.locked``,
            ``second_factor.code_invalid`` or ``second_factor.code_already_used``.
        """
        now = self._clock.now()
        outcome = self._check_code(account_id, code, now)
        if not outcome.ok:
            return outcome
        until = now + self.second_factor_policy.step_up_valid_for
        stepped = SteppedUp(account_id=account_id, valid_until=until, occurred_at=now)
        return Done(until, (*outcome.events, stepped))

    def require_step_up(self, account_id: AccountId) -> Outcome[None]:
        """Whether a sensitive change may go ahead now: call it before changing the
        payer of a billing agreement (billing does not know about second factors).
        An account without a second factor needs no step-up.

        Returns:
            ``Done(None)``, or a refusal with ``second_factor.step_up_required`` (ask
            for a code and call :meth:`step_up`).
        """
        refused = self._step_up_refusal(account_id)
        return refused if refused is not None else Done(None)

    # -- password ---------------------------------------------------------------

    @waits_for_terms
    def change_password(
        self, account_id: AccountId, *, current: str, new: str, source: LoginSource
    ) -> Outcome[Account]:
        """Change the password (the telecom ordering guide: after login); with a confirmed second
        factor, only after a recent step-up (:meth:`step_up`), and then the policy's
        ``min_length_with_second_factor`` applies.

        Returns:
            As :meth:`~selfcare.identity.login_use_cases.LoginUseCases.change_password`,
            or a refusal with ``terms.not_accepted`` or
            ``second_factor.step_up_required``.

        Raises:
            TypeError: a password or ``source`` is not a string.
            SelfcareError: ``login.source_invalid`` for an empty or over-long source.
        """
        refused = self._step_up_refusal(account_id)
        if refused is not None:
            return refused
        return super().change_password(account_id, current=current, new=new, source=source)
