"""Use cases of registration, login and the account (service layer).

:class:`IdentityService` loads through the ports, applies the rules of
:mod:`~selfcare.identity.registration`, :mod:`~selfcare.identity.login`,
:mod:`~selfcare.identity.account` and :mod:`~selfcare.identity.profile`, saves through
the ports in one unit of work per call, and hands the e-mails to send to the
:class:`~selfcare.identity.ports.Notifier`. Every method returns the new value or a
:class:`~selfcare.core.decision.Decision` saying why not.

Messages composed (``OutgoingMessage.template``; params in brackets):

- ``registration.verify_email`` [given_names] with the token as ``secret``: the
  address must come back with it to complete the registration.
- ``registration.email_in_use_notice`` [] to the holder of an address someone tried
  to register with (sent *instead of* the token, so the registrant cannot tell).
- ``registration.completed`` [given_names, advisories] - seed 001's confirmation.
- ``account.verify_new_email`` [given_names] with the token as ``secret``, to the new
  address; ``account.email_change_requested`` [] to the current address.
- ``account.email_in_use_notice`` [] to the holder of an address someone tried to move
  their account to (again instead of the token).
- ``account.email_changed`` [] to the old address once the change is confirmed.
- ``account.password_changed`` [] after a password change.
- ``login.locked_notice`` [minutes] when failed logins lock the account.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from selfcare.core.clock import Clock
from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import AlreadyExists, SelfcareError
from selfcare.core.ids import IdSource, SecretSource
from selfcare.core.ports import bump
from selfcare.identity.account import (
    Account,
    Feedback,
    change_password,
    compose_feedback,
    confirm_email_change,
    request_email_change,
    token_digest,
)
from selfcare.identity.assertion import IdentityAssertion
from selfcare.identity.contact import EmailAddress
from selfcare.identity.login import LoginPolicy, authenticate
from selfcare.identity.national_id import NationalId
from selfcare.identity.ports import (
    Channel,
    CustomerDirectory,
    FeedbackInbox,
    IdentityUnitOfWork,
    Notifier,
    OutgoingMessage,
    PasswordHasher,
)
from selfcare.identity.profile import (
    Language,
    ProfileDraft,
    ProfileField,
    check_self_service_change,
)
from selfcare.identity.registration import (
    Completion,
    Registration,
    RegistrationPolicy,
    abandon_registration,
    accept_terms,
    check_in_progress,
    complete_registration,
    confirm_profile,
    confirm_registration,
    identify,
    match_customers,
    set_credentials,
    start_registration,
)

__all__ = ["TOKEN_BYTES", "IdentityService"]

#: Random bytes in every e-mail verification token (256 bits; at least 128 needed).
TOKEN_BYTES: Final = 32


class IdentityService:
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

    Every method may raise :class:`~selfcare.core.errors.ConcurrencyConflict` when
    another request changed the same registration or account in between (compare-and-
    set); retry the call. Nothing is saved then.
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
    ) -> None:
        self._uow = uow
        self._directory = directory
        self._hasher = hasher
        self._notifier = notifier
        self._inbox = feedback_inbox
        self._clock = clock
        self._ids = ids
        self._secrets = secrets
        self.registration_policy = registration_policy or RegistrationPolicy()
        self.login_policy = login_policy or LoginPolicy()
        self._dummy_hash: str | None = None

    # -- helpers --------------------------------------------------------------

    def _send(
        self,
        template: str,
        recipient: EmailAddress,
        language: Language,
        params: Mapping[str, str] | None = None,
        secret: str | None = None,
    ) -> None:
        self._notifier.send(
            OutgoingMessage(
                template=template,
                channel=Channel.EMAIL,
                recipient=recipient.value,
                language=language,
                params=dict(params or {}),
                secret=secret,
            )
        )

    def _registration_step(
        self,
        registration_id: str,
        step: Callable[..., Registration | Decision],
        *args: object,
        **kwargs: object,
    ) -> Registration | Decision:
        with self._uow as uow:
            current = uow.registrations.get(registration_id)
            if current is None:
                return Decision.deny(Violation("registration.not_found"))
            result = step(current, *args, now=self._clock.now(), **kwargs)
            return self._save_step(uow, result)

    def _load(self, uow: IdentityUnitOfWork, registration_id: str) -> Registration | Decision:
        current = uow.registrations.get(registration_id)
        if current is None:
            return Decision.deny(Violation("registration.not_found"))
        return current

    # -- registration ---------------------------------------------------------

    def start_registration(self, *, language: Language | str = Language.FI) -> Registration:
        """Start a registration in the chosen portal language.

        Raises:
            SelfcareError: ``profile.field_invalid`` for an unsupported language.
        """
        registration = start_registration(
            registration_id=self._ids.new_id(),
            language=language,
            policy=self.registration_policy,
            now=self._clock.now(),
        )
        with self._uow as uow:
            uow.registrations.add(registration)
            uow.commit()
        return registration

    def resume_registration(self, registration_id: str) -> Registration | Decision:
        """The registration to continue, if it is still open.

        Returns:
            The registration (its ``state`` says which step is next), or a refusal with
            ``registration.not_found``, ``registration.not_in_progress`` or
            ``registration.expired``.
        """
        with self._uow as uow:
            current = self._load(uow, registration_id)
        if isinstance(current, Decision):
            return current
        checked = check_in_progress(current, now=self._clock.now())
        return current if checked else checked

    def abandon_registration(self, registration_id: str) -> Registration | Decision:
        """Abandon a registration. Returns it, or ``registration.not_found`` /
        ``registration.not_in_progress``."""
        return self._registration_step(registration_id, abandon_registration)

    def accept_terms(
        self,
        registration_id: str,
        *,
        terms_version: str,
        national_id: NationalId | None = None,
    ) -> Registration | Decision:
        """Record the accepted terms (and the identity code typed, seed 000).

        Returns:
            The registration, or ``registration.not_found`` and the codes of
            :func:`~selfcare.identity.registration.accept_terms`.
        """
        return self._registration_step(
            registration_id,
            accept_terms,
            terms_version=terms_version,
            national_id=national_id,
            policy=self.registration_policy,
        )

    def identify(
        self, registration_id: str, assertion: IdentityAssertion
    ) -> Registration | Decision:
        """Accept the strong identification that came back from the provider.

        Returns:
            The registration, or ``registration.not_found`` and the codes of
            :func:`~selfcare.identity.registration.identify`.
        """
        with self._uow as uow:
            current = self._load(uow, registration_id)
            if isinstance(current, Decision):
                return current
            has_account = (
                assertion.national_id is not None
                and uow.accounts.find_by_national_id(assertion.national_id) is not None
            )
            result = identify(
                current,
                assertion,
                has_account=has_account,
                policy=self.registration_policy,
                now=self._clock.now(),
            )
            return self._save_step(uow, result)

    @staticmethod
    def _save_step(
        uow: IdentityUnitOfWork, result: Registration | Decision
    ) -> Registration | Decision:
        """Save and commit a step that moved the registration on; a refusal saves nothing."""
        if isinstance(result, Registration):
            uow.registrations.update(result)
            uow.commit()
        return result

    def match_customers(self, registration_id: str) -> Registration | Decision:
        """Look the identified person up in the customer system and link what matches.

        Returns:
            The registration (``prefill`` holds the profile form), or
            ``registration.not_found`` and the codes of
            :func:`~selfcare.identity.registration.match_customers`.
        """
        with self._uow as uow:
            current = self._load(uow, registration_id)
            if isinstance(current, Decision):
                return current
            records = (
                self._directory.find_by_national_id(current.national_id)
                if current.national_id is not None
                else ()
            )
            result = match_customers(
                current, records, policy=self.registration_policy, now=self._clock.now()
            )
            return self._save_step(uow, result)

    def confirm_profile(self, registration_id: str, draft: ProfileDraft) -> Registration | Decision:
        """Keep the profile the user confirmed; the customer system is not written.

        Returns:
            The registration, or ``registration.not_found`` and the codes of
            :func:`~selfcare.identity.registration.confirm_profile`.
        """
        with self._uow as uow:
            current = self._load(uow, registration_id)
            if isinstance(current, Decision):
                return current
            in_use = False
            if self.registration_policy.reveal_email_in_use:
                try:
                    wanted = EmailAddress.parse(draft.email)
                except SelfcareError:
                    pass  # check_profile reports it
                else:
                    in_use = uow.accounts.find_by_email(wanted) is not None
            result = confirm_profile(
                current,
                draft,
                email_in_use=in_use,
                policy=self.registration_policy,
                now=self._clock.now(),
            )
            return self._save_step(uow, result)

    def set_credentials(
        self, registration_id: str, password: str, *, repeated: str | None = None
    ) -> Registration | Decision:
        """Choose the password.

        Returns:
            The registration, or ``registration.not_found`` and the codes of
            :func:`~selfcare.identity.registration.set_credentials`.
        """
        return self._registration_step(
            registration_id,
            set_credentials,
            password,
            repeated=repeated,
            hasher=self._hasher,
            policy=self.registration_policy,
        )

    def confirm_registration(self, registration_id: str) -> Registration | Decision:
        """The user approves (seed 001, phase 4); a token goes to the e-mail address.

        If the address is already someone's username, its holder gets
        ``registration.email_in_use_notice`` instead and the token goes nowhere; the
        answer here is the same either way.

        Returns:
            The registration, or ``registration.not_found`` and the codes of
            :func:`~selfcare.identity.registration.confirm_registration`.
        """
        token = self._secrets.token(TOKEN_BYTES)
        with self._uow as uow:
            current = self._load(uow, registration_id)
            if isinstance(current, Decision):
                return current
            result = confirm_registration(
                current,
                token_digest=token_digest(token),
                policy=self.registration_policy,
                now=self._clock.now(),
            )
            if isinstance(result, Decision):
                return result
            profile = result.profile
            if profile is None:  # pragma: no cover - a confirmed registration has one
                raise AssertionError("confirmed registration without a profile")
            holder = uow.accounts.find_by_email(profile.email)
            uow.registrations.update(result)
            uow.commit()
        if holder is not None:
            self._send("registration.email_in_use_notice", holder.email, holder.language)
        else:
            self._send(
                "registration.verify_email",
                profile.email,
                profile.language,
                {"given_names": profile.given_names},
                secret=token,
            )
        return result

    def complete_registration(self, registration_id: str, token: str) -> Completion | Decision:
        """Create the account with the token from the e-mail; send the confirmation.

        Returns:
            The :class:`~selfcare.identity.registration.Completion` (publish its
            events), or ``registration.not_found`` and the codes of
            :func:`~selfcare.identity.registration.complete_registration`.
        """
        with self._uow as uow:
            current = self._load(uow, registration_id)
            if isinstance(current, Decision):
                return current
            profile, national_id = current.profile, current.national_id
            email_in_use = profile is not None and (
                uow.accounts.find_by_email(profile.email) is not None
            )
            has_account = national_id is not None and (
                uow.accounts.find_by_national_id(national_id) is not None
            )
            result = complete_registration(
                current,
                token=token,
                account_id=self._ids.new_id(),
                email_in_use=email_in_use,
                has_account=has_account,
                now=self._clock.now(),
            )
            if isinstance(result, Decision):
                return result
            try:
                uow.accounts.add(result.account)
            except AlreadyExists:
                # Lost a race with another registration of the same address or person.
                return Decision.deny(Violation("registration.email_in_use"))
            uow.registrations.update(result.registration)
            uow.commit()
        account = result.account
        self._send(
            "registration.completed",
            account.email,
            account.language,
            {
                "given_names": account.given_names,
                "advisories": ",".join(v.code for v in current.advisories),
            },
        )
        return result

    # -- login and account ----------------------------------------------------

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash(self._secrets.token(16))
        return self._dummy_hash

    def login(self, email: str, password: str) -> Account | Decision:
        """Log in with the e-mail address and password (seed 001: after registration).

        Returns:
            The account, or a refusal with ``login.invalid_credentials`` (also for an
            address that is not even well-formed), ``login.temporarily_locked``
            (opt-in), ``login.account_locked`` or ``login.account_closed`` - see
            :func:`~selfcare.identity.login.authenticate`.
        """
        try:
            address: EmailAddress | None = EmailAddress.parse(email)
        except SelfcareError:
            address = None
        dummy = self._dummy()
        with self._uow as uow:
            account = uow.accounts.find_by_email(address) if address is not None else None
            outcome = authenticate(
                account,
                password,
                hasher=self._hasher,
                dummy_hash=dummy,
                policy=self.login_policy,
                now=self._clock.now(),
            )
            if outcome.account is not None:
                uow.accounts.update(outcome.account)
                uow.commit()
        if outcome.lock_started and outcome.account is not None:
            locked = outcome.account
            minutes = 0
            if locked.locked_until is not None:
                minutes = max(
                    1, round((locked.locked_until - self._clock.now()).total_seconds() / 60)
                )
            self._send(
                "login.locked_notice", locked.email, locked.language, {"minutes": str(minutes)}
            )
        if outcome.decision and outcome.account is not None:
            return outcome.account
        return outcome.decision

    def change_password(self, account_id: str, *, current: str, new: str) -> Account | Decision:
        """Change the password (seed 002: after login).

        Returns:
            The account, or ``account.not_found`` and the codes of
            :func:`~selfcare.identity.account.change_password`.
        """
        with self._uow as uow:
            account = uow.accounts.get(account_id)
            if account is None:
                return Decision.deny(Violation("account.not_found"))
            result = change_password(
                account,
                current=current,
                new=new,
                policy=self.registration_policy.password,
                hasher=self._hasher,
                now=self._clock.now(),
            )
            if isinstance(result, Decision):
                return result
            uow.accounts.update(result)
            uow.commit()
        self._send("account.password_changed", result.email, result.language)
        return result

    def change_email(self, account_id: str, new_email: str) -> Account | Decision:
        """Ask to change the username to ``new_email`` (seed 002); a token goes there.

        If the address is already another account's username, its holder is told
        instead and no token is sent; the answer is the same, unless the operator opted
        in with ``RegistrationPolicy(reveal_email_in_use=True)``.

        Returns:
            The account with the pending change, or ``account.not_found``, the
            ``email.*`` parser codes, ``account.email_unchanged`` or (opt-in)
            ``account.email_in_use``.
        """
        try:
            address = EmailAddress.parse(new_email)
        except SelfcareError as error:
            return Decision.deny(*error.violations)
        token = self._secrets.token(TOKEN_BYTES)
        with self._uow as uow:
            account = uow.accounts.get(account_id)
            if account is None:
                return Decision.deny(Violation("account.not_found"))
            holder = uow.accounts.find_by_email(address)
            if holder is not None and holder.id == account.id:
                holder = None  # request_email_change reports the unchanged address
            if holder is not None and self.registration_policy.reveal_email_in_use:
                return Decision.deny(Violation("account.email_in_use"))
            result = request_email_change(
                account, address, token_digest=token_digest(token), now=self._clock.now()
            )
            if isinstance(result, Decision):
                return result
            uow.accounts.update(result)
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
        return result

    def confirm_email(self, account_id: str, token: str) -> Account | Decision:
        """Make the verified new address the username.

        Returns:
            The account, or ``account.not_found``, the codes of
            :func:`~selfcare.identity.account.confirm_email_change`, or
            ``account.email_in_use`` (the address became someone else's meanwhile;
            the token holder reads that mailbox, so this reveals nothing).
        """
        with self._uow as uow:
            account = uow.accounts.get(account_id)
            if account is None:
                return Decision.deny(Violation("account.not_found"))
            result = confirm_email_change(account, token, now=self._clock.now())
            if isinstance(result, Decision):
                return result
            holder = uow.accounts.find_by_email(result.email)
            if holder is not None and holder.id != account.id:
                return Decision.deny(Violation("account.email_in_use"))
            uow.accounts.update(result)
            uow.commit()
        self._send("account.email_changed", account.email, account.language)
        return result

    def update_profile(
        self, account_id: str, changes: Mapping[ProfileField, str]
    ) -> Account | Decision:
        """Change profile fields the user may change themselves (see
        :attr:`~selfcare.identity.profile.ProfilePolicy.self_service_fields`).

        Returns:
            The account, or ``account.not_found`` and the codes of
            :func:`~selfcare.identity.profile.check_self_service_change` (notably
            ``profile.field_requires_customer_service``).
        """
        with self._uow as uow:
            account = uow.accounts.get(account_id)
            if account is None:
                return Decision.deny(Violation("account.not_found"))
            profile = check_self_service_change(
                account.profile, changes, self.registration_policy.profile
            )
            if isinstance(profile, Decision):
                return profile
            changed = bump(account, profile=profile)
            uow.accounts.update(changed)
            uow.commit()
        return changed

    def send_feedback(
        self,
        *,
        text: str,
        email: str = "",
        phone: str = "",
        wants_contact: bool = False,
        account_id: str | None = None,
        language: Language = Language.FI,
    ) -> Feedback | Decision:
        """Send feedback to customer service (seed 002), e.g. a written cancellation.

        Returns:
            The :class:`~selfcare.identity.account.Feedback` handed to the inbox, or the
            codes of :func:`~selfcare.identity.account.compose_feedback`.
        """
        result = compose_feedback(
            feedback_id=self._ids.new_id(),
            account_id=account_id,
            text=text,
            email=email,
            phone=phone,
            wants_contact=wants_contact,
            language=language,
            phone_region=self.registration_policy.profile.phone_region,
            now=self._clock.now(),
        )
        if isinstance(result, Feedback):
            self._inbox.submit(result)
        return result
