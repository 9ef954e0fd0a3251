"""Use cases of registration, login and the account (service layer).

:class:`IdentityService` loads through the ports, applies the rules of
:mod:`~selfcare.identity.login`, :mod:`~selfcare.identity.account`,
:mod:`~selfcare.identity.profile` and of the registration modules, saves through the
ports in one unit of work per call, and hands the e-mails to send (listed at
:class:`~selfcare.identity.ports.Notifier`) to the notifier. Every method returns an
:class:`~selfcare.core.outcome.Outcome`: the new value with the
:mod:`~selfcare.identity.events` of what changed, or a refusal saying why not (a failed
login's refusal carries its events too); a query such as
:meth:`~IdentityService.resume_registration` returns no events.

The registration methods are written in
:class:`~selfcare.identity.registration_use_cases.RegistrationUseCases` and the login,
password and unlock methods in :class:`~selfcare.identity.login_use_cases.LoginUseCases`
(which run the slow password work outside any transaction), the second factor's in
:class:`~selfcare.identity.second_factor_use_cases.SecondFactorUseCases`, the terms of
use in :class:`~selfcare.identity.terms_use_cases.TermsOfUseUseCases`, login by strong
identification and work account in
:class:`~selfcare.identity.strong_login_use_cases.StrongLoginUseCases`, and recovery
after a forgotten password in
:class:`~selfcare.identity.recovery_use_cases.RecoveryUseCases`; this class extends them,
so that no module is too long to read.
"""

from __future__ import annotations

from collections.abc import Mapping

from selfcare.core.clock import Clock
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import AccountId, IdSource, SecretSource
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.core.ports import next_version
from selfcare.identity.account import (
    Account,
    Feedback,
    account_not_found,
    compose_feedback,
    confirm_email_change,
    request_email_change,
    token_digest,
)
from selfcare.identity.breached import BreachedPasswords
from selfcare.identity.contact import EmailAddress
from selfcare.identity.events import FeedbackSent, ProfileUpdated
from selfcare.identity.ids import FeedbackId
from selfcare.identity.login import LoginPolicy
from selfcare.identity.ports import (
    CustomerDirectory,
    FeedbackInbox,
    IdentityUnitOfWork,
    Notifier,
    PasswordHasher,
)
from selfcare.identity.profile import (
    Language,
    ProfileField,
    check_self_service_change,
)
from selfcare.identity.recovery import RecoveryPolicy
from selfcare.identity.recovery_use_cases import RecoveryUseCases
from selfcare.identity.registration import RegistrationPolicy
from selfcare.identity.registration_use_cases import TOKEN_BYTES
from selfcare.identity.second_factor import TotpPolicy
from selfcare.identity.strong_login_use_cases import StrongLoginUseCases
from selfcare.identity.terms import TermsOfUse
from selfcare.identity.terms_gate import waits_for_terms
from selfcare.identity.work_account import WorkAccountPolicy

__all__ = ["TOKEN_BYTES", "IdentityService"]


class IdentityService(StrongLoginUseCases, RecoveryUseCases):
    """The registration journey, login and account self-service over your ports.

    Args:
        uow: the unit of work (entered once per call).
        directory: the operator's customer system (only read).
        hasher: the password hasher.
        notifier: receives the e-mails to send.
        feedback_inbox: receives feedback for customer service.
        clock: the current time.
        ids: new registration, account and feedback ids.
        secrets: e-mail verification tokens.
        registration_policy: terms, identification, profile and password rules.
        login_policy: throttling of failed logins.
        breached_passwords: where new passwords are looked up in breach corpora
            (:mod:`selfcare.identity.breached`); ``None`` (the default): no lookup.
        second_factor_policy: the TOTP second factor's rules
            (:class:`~selfcare.identity.second_factor.TotpPolicy`).
        recovery_policy: recovery after a forgotten password (the e-mail link is
            off by default).
        terms_of_use: the terms of use the operator published
            (:mod:`selfcare.identity.terms`); ``None`` (the default): none to accept
            after registration.
        work_account_policy: which employers' single sign-on may log in
            (:mod:`selfcare.identity.work_account`); by default none.

    Raises:
        SelfcareError: ``config.invalid_setting`` (``breached_passwords``) when the
            password policy requires the breached-password check
            (``breached_check="required"``) and no port is given;
            ``config.invalid_setting`` (``terms_of_use``) when the published version is
            not the one registration asks for
            (:attr:`~selfcare.identity.registration.RegistrationPolicy.terms_version`;
            :meth:`selfcare.bootstrap.Policies.with_terms_of_use` sets both).

    Every method may raise :class:`~selfcare.core.errors.ConcurrencyConflict` when
    another request changed the same registration or account in between (compare-and-
    set); retry the call. Nothing is saved then.

    Thread safety: not safe to share between threads (it holds one unit of work); build
    one per thread or per call, as :class:`selfcare.aio.AsyncApp` does.
    """

    def __init__(
        self,
        *,
        uow: IdentityUnitOfWork,
        directory: CustomerDirectory,
        hasher: PasswordHasher,
        notifier: Notifier,
        feedback_inbox: FeedbackInbox,
        clock: Clock,
        ids: IdSource,
        secrets: SecretSource,
        registration_policy: RegistrationPolicy | None = None,
        login_policy: LoginPolicy | None = None,
        breached_passwords: BreachedPasswords | None = None,
        second_factor_policy: TotpPolicy | None = None,
        recovery_policy: RecoveryPolicy | None = None,
        terms_of_use: TermsOfUse | None = None,
        work_account_policy: WorkAccountPolicy | None = None,
    ) -> None:
        self._uow = uow
        self._directory = directory
        self._hasher = hasher
        self._notifier = notifier
        self._inbox = feedback_inbox
        self._clock = clock
        self._ids = ids
        self._secrets = secrets
        self.registration_policy: RegistrationPolicy = registration_policy or RegistrationPolicy()
        self.login_policy: LoginPolicy = login_policy or LoginPolicy()
        self.second_factor_policy: TotpPolicy = second_factor_policy or TotpPolicy()
        self._breached = breached_passwords
        self.recovery_policy: RecoveryPolicy = recovery_policy or RecoveryPolicy()
        self.terms_of_use: TermsOfUse | None = terms_of_use
        self.work_account_policy: WorkAccountPolicy = work_account_policy or WorkAccountPolicy()
        self._dummy_hash: str | None = None
        if (
            breached_passwords is None
            and self.registration_policy.password.breached_check == "required"
        ):
            raise SelfcareError(
                Violation("config.invalid_setting", {"setting": "breached_passwords"})
            )
        if (
            terms_of_use is not None
            and terms_of_use.version != self.registration_policy.terms_version
        ):
            raise SelfcareError(Violation("config.invalid_setting", {"setting": "terms_of_use"}))

    @waits_for_terms
    def change_email(self, account_id: AccountId, new_email: str) -> Outcome[Account]:
        """Ask to change the username to ``new_email`` (the telecom ordering guide); a token goes
        there.

        If the address is already another account's username, its holder is told
        instead and no token is sent; the answer is the same, unless the operator opted
        in with ``RegistrationPolicy(reveal_email_in_use=True)``.

        An account with a second factor in force must have stepped up first
        (:meth:`step_up`).

        Returns:
            The account with the pending change and
            :class:`~selfcare.identity.events.EmailChangeRequested`, or a refusal with
            ``terms.not_accepted``, ``account.not_found``, the ``email.*`` parser codes,
            ``second_factor.step_up_required``, ``account.email_unchanged`` or
            (opt-in) ``account.email_in_use``.
        """
        try:
            address = EmailAddress.parse(new_email)
        except SelfcareError as error:
            return Refused.because(*error.violations)
        refused = self._step_up_refusal(account_id)
        if refused is not None:
            return refused
        token = self._secrets.token(TOKEN_BYTES)
        with self._uow as uow:
            account = uow.accounts.find(account_id)
            if account is None:
                return account_not_found()
            holder = uow.accounts.find_by_email(address)
            if holder is not None and holder.id == account.id:
                holder = None  # request_email_change reports the unchanged address
            if holder is not None and self.registration_policy.reveal_email_in_use:
                return Refused.because(Violation("account.email_in_use"))
            outcome = request_email_change(
                account, address, token_digest=token_digest(token), now=self._clock.now()
            )
            if not outcome.ok:
                return outcome
            uow.accounts.update(outcome.value)
            uow.commit()
        self._send("account.email_change_requested", account.email, account.language)
        if holder is not None:
            self._send("account.email_in_use_notice", holder.email, holder.language)
        else:
            self._send(
                "account.verify_new_email",
                address,
                account.language,
                {"given_names": account.given_names},
                secret=token,
            )
        return outcome

    @waits_for_terms
    def confirm_email(self, account_id: AccountId, token: str) -> Outcome[Account]:
        """Make the verified new address the username of the logged-in ``account_id``.

        ``account_id`` is the account of the session, never an id from the link: the
        token proves the new mailbox was read, the session that the account's owner
        asked. Call it only from the POST of an explicit confirm on the page the
        e-mail's link opens, never from the GET of the link (mail gateways and link
        scanners fetch every link of an e-mail).

        Returns:
            The account with :class:`~selfcare.identity.events.EmailChanged`, or a
            refusal with ``terms.not_accepted``, ``account.not_found``, the codes of
            :func:`~selfcare.identity.account.confirm_email_change`, or
            ``account.email_in_use`` (the address became someone else's meanwhile;
            the token holder reads that mailbox, so this reveals nothing).
        """
        with self._uow as uow:
            account = uow.accounts.find(account_id)
            if account is None:
                return account_not_found()
            outcome = confirm_email_change(account, token, now=self._clock.now())
            if not outcome.ok:
                return outcome
            holder = uow.accounts.find_by_email(outcome.value.email)
            if holder is not None and holder.id != account.id:
                return Refused.because(Violation("account.email_in_use"))
            uow.accounts.update(outcome.value)
            uow.commit()
        self._send("account.email_changed", account.email, account.language)
        return outcome

    @waits_for_terms
    def update_profile(
        self, account_id: AccountId, changes: Mapping[ProfileField, str]
    ) -> Outcome[Account]:
        """Change profile fields the user may change themselves (see
        :attr:`~selfcare.identity.profile.ProfilePolicy.self_service_fields`).

        Returns:
            The account with :class:`~selfcare.identity.events.ProfileUpdated`, or a
            refusal with ``terms.not_accepted``, ``account.not_found`` and the codes of
            :func:`~selfcare.identity.profile.check_self_service_change` (notably
            ``profile.field_requires_customer_service``).
        """
        with self._uow as uow:
            account = uow.accounts.find(account_id)
            if account is None:
                return account_not_found()
            checked = check_self_service_change(
                account.profile, changes, self.registration_policy.profile
            )
            if not checked.ok:
                return checked
            changed = next_version(account, profile=checked.value)
            uow.accounts.update(changed)
            uow.commit()
        updated = ProfileUpdated(
            account_id=account.id,
            fields=tuple(ProfileField(field) for field in changes),
            occurred_at=self._clock.now(),
        )
        return Done(changed, (updated,))

    def send_feedback(
        self,
        *,
        text: str,
        email: str = "",
        phone: str = "",
        wants_contact: bool = False,
        account_id: AccountId | None = None,
        language: Language = Language.FI,
    ) -> Outcome[Feedback]:
        """Send feedback to customer service (the telecom ordering guide), e.g. a written
        cancellation.

        Returns:
            The :class:`~selfcare.identity.account.Feedback` handed to the inbox with
            :class:`~selfcare.identity.events.FeedbackSent`, or a refusal with the
            codes of :func:`~selfcare.identity.account.compose_feedback`.
        """
        outcome = compose_feedback(
            feedback_id=FeedbackId(self._ids.new_id()),
            account_id=account_id,
            text=text,
            email=email,
            phone=phone,
            wants_contact=wants_contact,
            language=language,
            phone_region=self.registration_policy.profile.phone_region,
            now=self._clock.now(),
        )
        if not outcome.ok:
            return outcome
        feedback = outcome.value
        self._inbox.submit(feedback)
        sent = FeedbackSent(
            feedback_id=feedback.id, account_id=feedback.account_id, occurred_at=feedback.sent_at
        )
        return Done(feedback, (sent,))
