"""Login without a password: strong identification and work accounts - use cases of
:class:`~selfcare.identity.service.IdentityService`.

:class:`StrongLoginUseCases` logs a user in with what registration already trusts:

- **Strong identification** (bank, mobile certificate, BankID;
  :meth:`~StrongLoginUseCases.login_with_identification`): the
  :class:`~selfcare.identity.assertion.IdentityAssertion` is checked exactly as
  registration checks it
  (:func:`~selfcare.identity.registration_identification.check_identification`: a
  listed provider and method, fresh, at the policy's level of assurance, naming a
  person) and the account is found by the keyed hash of the national identity code.
  No second factor is asked for afterwards: the identification is itself
  multi-factor (see :doc:`/tutorials/login-without-password`).
- **A work account** (the employer's single sign-on;
  :meth:`~StrongLoginUseCases.login_with_work_account`): the
  :class:`~selfcare.identity.work_account.SsoAssertion` must come from a tenant the
  operator trusts, for the portal, fresh, and match the tenant, subject and work
  address the owner linked beforehand (:meth:`~StrongLoginUseCases.link_work_account`).
  An e-mail address alone never logs in.

Neither tells whether an account exists: an identity with no account, with a closed or
customer-service-locked account, or (for a work account) with no matching link is
refused with the same code after the same work, and counted against the source like a
password login for an unknown address (:mod:`selfcare.identity.login`), so that a source
probing identities is throttled. A successful login forgets the account's consecutive
password failures, as the unlock link does (the owner has proven who they are; password
login disabled by the NIST ceiling works again), and still waits for new terms of use
(:mod:`~selfcare.identity.terms_use_cases`).

Use it through :class:`~selfcare.identity.service.IdentityService`, which builds it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import attrs

from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import AlreadyExists
from selfcare.core.ids import AccountId
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.core.ports import next_version
from selfcare.identity.account import Account, AccountState, account_not_found
from selfcare.identity.assertion import IdentityAssertion
from selfcare.identity.events import LoginMethod, WorkAccountLinked, WorkAccountUnlinked
from selfcare.identity.ids import LoginSource
from selfcare.identity.login import LoginResult, login_failed, login_succeeded, source_refusal
from selfcare.identity.ports import IdentityUnitOfWork
from selfcare.identity.registration_identification import check_identification
from selfcare.identity.terms_gate import waits_for_terms
from selfcare.identity.terms_use_cases import TermsOfUseUseCases
from selfcare.identity.throttle import LoginThrottle, source_digest
from selfcare.identity.work_account import (
    SsoAssertion,
    WorkAccountLink,
    WorkAccountPolicy,
    check_sso_assertion,
    link_matches,
)

__all__ = ["StrongLoginUseCases"]

_Apply = Callable[[Account | None, LoginThrottle | None, LoginThrottle | None], LoginResult]


class StrongLoginUseCases(TermsOfUseUseCases):
    """Login by strong identification or work account, and the work-account link
    (the state is set by :class:`~selfcare.identity.service.IdentityService`)."""

    work_account_policy: WorkAccountPolicy

    # -- helpers ----------------------------------------------------------------

    def _source_refusal(self, digest: str) -> Refused | None:
        with self._uow as uow:
            _, source = self._throttles(uow, None, digest)
        refused = source_refusal(source, self.login_policy, self._clock.now())
        return Refused(refused) if refused is not None else None

    def _unknown(self, digest: str, refusal: Violation) -> _Apply:
        """Count a failure against the source alone: the same for an identity without
        an account as for one whose account cannot log in."""

        def apply(
            _account: Account | None, _pair: LoginThrottle | None, source: LoginThrottle | None
        ) -> LoginResult:
            return login_failed(
                None,
                pair=None,
                source=source,
                digest=digest,
                policy=self.login_policy,
                now=self._clock.now(),
                refusal=refusal,
            )

        return apply

    def _known(
        self,
        digest: str,
        refusal: Violation,
        method: LoginMethod,
        still_matches: Callable[[Account], Account | None],
    ) -> _Apply:
        """Log in to the account as stored now, if ``still_matches`` gives it (the
        account to save); otherwise count a failure as for an unknown identity."""
        unknown = self._unknown(digest, refusal)

        def apply(
            account: Account | None, _pair: LoginThrottle | None, source: LoginThrottle | None
        ) -> LoginResult:
            matched = still_matches(account) if account is not None else None
            if matched is None or matched.state is not AccountState.ACTIVE:
                return unknown(None, None, source)
            return login_succeeded(
                matched, digest=digest, new_hash=None, now=self._clock.now(), method=method
            )

        return apply

    def _log_in(
        self,
        source: LoginSource,
        *,
        checked: Callable[[datetime], Decision],
        find: Callable[[IdentityUnitOfWork], Account | None],
        refusal: Violation,
        method: LoginMethod,
        still_matches: Callable[[Account], Account | None],
    ) -> Outcome[Account]:
        """The login of both methods: the source's throttle, the assertion
        (``checked``), the account it names (``find``, then ``still_matches`` on the
        account as stored); an unknown or unusable account is one failure of the
        source, answered with ``refusal``."""
        digest = source_digest(source)
        refused = self._source_refusal(digest)
        if refused is not None:
            return refused
        decision = checked(self._clock.now())
        if not decision:
            return Refused(decision)
        with self._uow as uow:
            found = find(uow)
        usable = found if found is not None and found.state is AccountState.ACTIVE else None
        if usable is not None and still_matches(usable) is None:
            usable = None
        apply = (
            self._unknown(digest, refusal)
            if usable is None
            else self._known(digest, refusal, method, still_matches)
        )
        outcome = self._twice(lambda: self._record(usable, digest, apply))
        if not outcome.ok:
            return outcome
        return self._finish_login(outcome.value, outcome.events, method)

    # -- strong identification --------------------------------------------------

    def login_with_identification(
        self, assertion: IdentityAssertion, *, source: LoginSource
    ) -> Outcome[Account]:
        """Log in with a fresh strong identification (bank, mobile certificate, BankID;
        the energy registration guide: "log in with your bank codes").

        The assertion is checked as registration checks it; the account is the one
        whose national identity code it names. The account's second factor, if any,
        is not asked for (the identification is multi-factor itself); new terms of
        use are (``login.terms_not_accepted``).

        Args:
            assertion: the verified answer of the identification provider.
            source: where the attempt comes from (see
                :data:`~selfcare.identity.ids.LoginSource`).

        Returns:
            The account with :class:`~selfcare.identity.events.LoginSucceeded`
            (``method``: ``strong_identification``), or a refusal with
            ``login.rate_limited`` (the source), the codes of
            :func:`~selfcare.identity.registration_identification.check_identification`,
            ``login.identification_not_recognised`` (no account, or one that is closed
            or locked by customer service: the same answer, with
            :class:`~selfcare.identity.events.LoginFailedForUnknownAddress`),
            ``login.terms_not_accepted`` or ``account.changed_meanwhile``.

        Raises:
            SelfcareError: ``login.source_invalid`` for an empty or over-long source.
        """
        person = assertion.national_id

        def same_person(account: Account) -> Account | None:
            return account if account.national_id == person else None

        return self._log_in(
            source,
            checked=lambda now: check_identification(
                assertion, policy=self.registration_policy, now=now
            ),
            find=lambda uow: (
                uow.accounts.find_by_national_id(person) if person is not None else None
            ),
            refusal=Violation("login.identification_not_recognised"),
            method=LoginMethod.STRONG_IDENTIFICATION,
            still_matches=same_person,
        )

    # -- work account -----------------------------------------------------------

    def login_with_work_account(
        self, assertion: SsoAssertion, *, source: LoginSource
    ) -> Outcome[Account]:
        """Log in with the employer's single sign-on (the corporate mobile guide: "log in
        with your work account").

        The assertion must pass
        :func:`~selfcare.identity.work_account.check_sso_assertion` (a trusted tenant,
        the portal's audience, fresh) and match a link the account's owner made
        (:meth:`link_work_account`): the same tenant, subject and work address, issued
        after the last assertion used (a replay logs in to nothing). The account's
        second factor is not asked for: the employer's sign-on is the authentication
        the operator chose to trust (require multi-factor sign-on in the tenant).

        Returns:
            The account with :class:`~selfcare.identity.events.LoginSucceeded`
            (``method``: ``work_account``), or a refusal with ``login.rate_limited``,
            the codes of :func:`~selfcare.identity.work_account.check_sso_assertion`,
            ``login.work_account_not_recognised`` (no link, another subject, a replay,
            a closed or locked account: the same answer, with
            :class:`~selfcare.identity.events.LoginFailedForUnknownAddress`),
            ``login.terms_not_accepted`` or ``account.changed_meanwhile``.

        Raises:
            SelfcareError: ``login.source_invalid`` for an empty or over-long source.
        """

        def linked(account: Account) -> Account | None:
            link = account.work_account
            if link is None or not link_matches(link, assertion):
                return None
            used = attrs.evolve(link, last_issued_at=assertion.issued_at)
            return attrs.evolve(account, work_account=used)

        return self._log_in(
            source,
            checked=lambda now: check_sso_assertion(
                assertion, policy=self.work_account_policy, now=now
            ),
            find=lambda uow: uow.accounts.find_by_work_account(
                assertion.tenant_id, assertion.email
            ),
            refusal=Violation("login.work_account_not_recognised"),
            method=LoginMethod.WORK_ACCOUNT,
            still_matches=linked,
        )

    @waits_for_terms
    def link_work_account(self, account_id: AccountId, assertion: SsoAssertion) -> Outcome[Account]:
        """Link the work account of ``assertion`` to the logged-in ``account_id``: from
        then on the employer's single sign-on logs in to it. The user signs in with the
        work account while logged in to the portal; a new link replaces the old one.

        An account with a second factor in force must have stepped up first.

        Returns:
            The account with :class:`~selfcare.identity.events.WorkAccountLinked`, or a
            refusal with ``terms.not_accepted``, ``second_factor.step_up_required``,
            the codes of :func:`~selfcare.identity.work_account.check_sso_assertion`,
            ``account.not_found`` or ``work_account.linked_to_another_account`` (the
            work address of that tenant is linked to another account: unlink it there
            first).
        """
        refused = self._step_up_refusal(account_id)
        if refused is not None:
            return refused
        now = self._clock.now()
        checked = check_sso_assertion(assertion, policy=self.work_account_policy, now=now)
        if not checked:
            return Refused(checked)
        link = WorkAccountLink(
            tenant_id=assertion.tenant_id,
            subject=assertion.subject,
            email=assertion.email,
            linked_at=now,
            last_issued_at=assertion.issued_at,
        )
        with self._uow as uow:
            account = uow.accounts.find(account_id)
            if account is None:
                return account_not_found()
            holder = uow.accounts.find_by_work_account(assertion.tenant_id, assertion.email)
            if holder is not None and holder.id != account.id:
                return Refused.because(Violation("work_account.linked_to_another_account"))
            changed = next_version(account, work_account=link)
            try:
                uow.accounts.update(changed)
            except AlreadyExists:  # linked elsewhere meanwhile
                return Refused.because(Violation("work_account.linked_to_another_account"))
            uow.commit()
        linked = WorkAccountLinked(
            account_id=account_id, tenant_id=assertion.tenant_id, occurred_at=now
        )
        return Done(changed, (linked,))

    @waits_for_terms
    def unlink_work_account(self, account_id: AccountId) -> Outcome[Account]:
        """Remove the work-account link of the logged-in ``account_id`` (the employer's
        sign-on no longer logs in to it). Unlinking an account without a link changes
        nothing and returns no event.

        Returns:
            The account with :class:`~selfcare.identity.events.WorkAccountUnlinked`, or
            a refusal with ``terms.not_accepted`` or ``account.not_found``.
        """
        with self._uow as uow:
            account = uow.accounts.find(account_id)
            if account is None:
                return account_not_found()
            link = account.work_account
            if link is None:
                return Done(account)
            changed = next_version(account, work_account=None)
            uow.accounts.update(changed)
            uow.commit()
        unlinked = WorkAccountUnlinked(
            account_id=account_id, tenant_id=link.tenant_id, occurred_at=self._clock.now()
        )
        return Done(changed, (unlinked,))
