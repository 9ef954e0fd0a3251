"""The terms-of-use use cases of :class:`~selfcare.identity.service.IdentityService`.

:class:`TermsOfUseUseCases` puts the terms of use the operator published
(:class:`~selfcare.identity.terms.TermsOfUse`) in front of everything an account does:

- **At login.** A login whose every step succeeded (the password, the second factor's
  code, a strong identification, a work account) is not completed while the account
  has not accepted the terms in force: the answer is a refusal with
  ``login.terms_not_accepted`` (kind ``action_required``), whose parameters are the
  ``version`` to accept, its ``published_at`` date and ``pending_login``: a
  short-lived, single-use id of the login kept on the server - the same mechanism as
  the second factor's two-step login
  (:class:`~selfcare.identity.second_factor.PendingSecondStep`; only its digest is
  stored, on the account). Show the terms; when the user accepts, pass the id and the
  version to :meth:`~TermsOfUseUseCases.complete_login_with_terms`, which alone
  returns the logged-in account. No session exists before that.
- **In a session.** A session that began before the terms were published meets
  ``terms.not_accepted`` (also ``action_required``) from every use case that acts
  for the account - e-mail, password, profile, second factor, step-up, work account -
  until the user accepts them with :meth:`~TermsOfUseUseCases.accept_terms_of_use`.
  Queries, feedback to customer service (which may be about the terms) and closing the
  account (:meth:`~selfcare.privacy.service.PrivacyService.close_own_account`: a user
  who does not accept the new terms must be able to leave; its
  :meth:`~selfcare.identity.second_factor_use_cases.SecondFactorUseCases.require_step_up`
  check is therefore not held back either) do not wait for the terms.

Use it through :class:`~selfcare.identity.service.IdentityService`, which builds it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs

from selfcare.core.decision import Violation
from selfcare.core.events import Event
from selfcare.core.ids import AccountId
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.core.ports import next_version
from selfcare.identity.account import Account, AccountState, account_not_found, token_digest
from selfcare.identity.events import LoginMethod, LoginSucceeded
from selfcare.identity.ids import LoginSource
from selfcare.identity.second_factor import PendingSecondStep
from selfcare.identity.second_factor_use_cases import SecondFactorUseCases
from selfcare.identity.terms import TermsOfUse, accept_terms_of_use, terms_refusal

__all__ = ["MAX_PENDING_LOGIN_LENGTH", "TermsOfUseUseCases"]

#: Longest pending-login id looked up (the ids handed out are 43 characters).
MAX_PENDING_LOGIN_LENGTH = 256


def _pending_invalid() -> Refused:
    return Refused.because(Violation("login.pending_login_invalid"))


def _without_login(events: Iterable[Event]) -> tuple[Event, ...]:
    return tuple(event for event in events if not isinstance(event, LoginSucceeded))


class TermsOfUseUseCases(SecondFactorUseCases):
    """Acceptance of new terms of use, at login and in a session (the state is set by
    :class:`~selfcare.identity.service.IdentityService`)."""

    terms_of_use: TermsOfUse | None

    # -- helpers ----------------------------------------------------------------

    def _finish_login(
        self, account: Account, events: Iterable[Event], method: LoginMethod
    ) -> Outcome[Account]:
        """The logged-in ``account`` with ``events``, or - while it has not accepted
        the terms in force - a refusal with ``login.terms_not_accepted`` and a pending
        login kept on the account (the other events come with the refusal)."""
        terms, now = self.terms_of_use, self._clock.now()
        if terms is None or terms_refusal(account, terms, now) is None:
            return Done(account, tuple(events))
        token, pending = self._new_pending_login(method)
        with self._uow as uow:
            stored = uow.accounts.find(account.id)
            if stored is None:  # pragma: no cover - erased between the two calls
                return _pending_invalid()
            uow.accounts.update(next_version(stored, pending_login=pending))
            uow.commit()
        required = Violation(
            "login.terms_not_accepted",
            {
                "version": terms.version,
                "published_at": terms.published_at.date().isoformat(),
                "pending_login": token,
            },
        )
        return Refused.because(required, events=_without_login(events))

    # -- login ------------------------------------------------------------------

    def login(self, email: str, password: str, *, source: LoginSource) -> Outcome[Account]:
        """Log in with the e-mail address and password (the energy registration guide:
        after registration).

        While the account has not accepted the terms of use in force, the login is not
        completed: see :meth:`complete_login_with_terms`.

        Returns:
            As :meth:`~selfcare.identity.second_factor_use_cases.SecondFactorUseCases.login`,
            or a refusal with ``login.terms_not_accepted`` (``version``,
            ``published_at``, ``pending_login``).

        Raises:
            TypeError: ``password`` or ``source`` is not a string.
            SelfcareError: ``login.source_invalid`` for an empty or over-long source.
        """
        outcome = super().login(email, password, source=source)
        if not outcome.ok:
            return outcome
        return self._finish_login(outcome.value, outcome.events, LoginMethod.PASSWORD)

    def complete_login(self, pending_login: str, code: str) -> Outcome[Account]:
        """The second step of a login (see
        :meth:`~selfcare.identity.second_factor_use_cases.SecondFactorUseCases.complete_login`);
        while the account has not accepted the terms of use in force, the login waits
        for them (:meth:`complete_login_with_terms`).

        Returns:
            As the second factor's ``complete_login``, or a refusal with
            ``login.terms_not_accepted`` (``version``, ``published_at``,
            ``pending_login``: a new id).
        """
        outcome = super().complete_login(pending_login, code)
        if not outcome.ok:
            return outcome
        return self._finish_login(outcome.value, outcome.events, LoginMethod.PASSWORD)

    def complete_login_with_terms(self, pending_login: str, version: str) -> Outcome[Account]:
        """Accept ``version`` of the terms of use and complete the login that
        ``login.terms_not_accepted`` held back (its ``pending_login`` id; it works once,
        within :attr:`~selfcare.identity.second_factor.TotpPolicy.pending_login_valid_for`).

        Returns:
            The logged-in account with
            :class:`~selfcare.identity.events.TermsOfUseAccepted` and
            :class:`~selfcare.identity.events.LoginSucceeded` (the method of the
            login's first step), or a refusal with ``login.pending_login_invalid``
            (unknown, used or expired: log in again) or ``terms.version_not_current``
            (``current``: the page showed other terms; the id still works).

        Raises:
            TypeError: ``version`` is not a string.
        """
        if (
            not isinstance(pending_login, str)
            or not pending_login
            or len(pending_login) > MAX_PENDING_LOGIN_LENGTH
        ):
            return _pending_invalid()
        now = self._clock.now()
        with self._uow as uow:
            account = uow.accounts.find_by_pending_login(token_digest(pending_login))
            pending = account.pending_login if account is not None else None
            if account is None or pending is None or not self._usable(account, pending, now):
                return _pending_invalid()
            accepted = accept_terms_of_use(account, version, terms=self.terms_of_use, now=now)
            if not accepted.ok:
                return accepted
            changed = attrs.evolve(accepted.value, pending_login=None, last_login_at=now)
            uow.accounts.update(changed)
            uow.commit()
        succeeded = LoginSucceeded(account_id=account.id, method=pending.method, occurred_at=now)
        return Done(changed, (*accepted.events, succeeded))

    @staticmethod
    def _usable(account: Account, pending: PendingSecondStep, now: datetime) -> bool:
        return pending.is_live(now) and account.state is AccountState.ACTIVE

    # -- in a session -----------------------------------------------------------

    def accept_terms_of_use(self, account_id: AccountId, version: str) -> Outcome[Account]:
        """The logged-in ``account_id`` accepts ``version`` of the terms of use (after
        ``terms.not_accepted`` from another use case).

        Returns:
            The account with :class:`~selfcare.identity.events.TermsOfUseAccepted`, or
            a refusal with ``account.not_found`` or ``terms.version_not_current``
            (``current``; empty when the operator published none).

        Raises:
            TypeError: ``version`` is not a string.
        """
        now = self._clock.now()
        with self._uow as uow:
            account = uow.accounts.find(account_id)
            if account is None:
                return account_not_found()
            accepted = accept_terms_of_use(account, version, terms=self.terms_of_use, now=now)
            if not accepted.ok:
                return accepted
            uow.accounts.update(accepted.value)
            uow.commit()
        return accepted
