"""The registration use cases of :class:`~selfcare.identity.service.IdentityService`.

:class:`RegistrationUseCases` is the registration half of the service: each method
loads the :class:`~selfcare.identity.registration.Registration` through the unit of
work, applies one step of :mod:`~selfcare.identity.registration_identification` or
:mod:`~selfcare.identity.registration_account`, and saves what moved on. Use it through
:class:`~selfcare.identity.service.IdentityService`, which builds it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from selfcare.core.clock import Clock
from selfcare.core.decision import Violation
from selfcare.core.errors import AlreadyExists, ConcurrencyConflict, SelfcareError
from selfcare.core.ids import AccountId, IdSource, SecretSource
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.identity.account import token_digest
from selfcare.identity.assertion import IdentityAssertion
from selfcare.identity.breached import BreachedPasswords, check_breached
from selfcare.identity.contact import EmailAddress
from selfcare.identity.ids import RegistrationId
from selfcare.identity.national_id import NationalId
from selfcare.identity.password_normalize import normalize_for_hashing
from selfcare.identity.ports import (
    Channel,
    CustomerDirectory,
    IdentityUnitOfWork,
    Notifier,
    OutgoingMessage,
    PasswordHasher,
)
from selfcare.identity.profile import Language, ProfileDraft
from selfcare.identity.registration import (
    Registration,
    RegistrationPolicy,
    check_in_progress,
)
from selfcare.identity.registration_account import (
    CompletedRegistration,
    abandon_registration,
    check_credentials,
    complete_registration,
    confirm_profile,
    confirm_registration,
    record_credentials,
)
from selfcare.identity.registration_identification import (
    accept_terms,
    identify,
    match_customers,
    start_registration,
)

__all__ = ["TOKEN_BYTES", "RegistrationUseCases"]

#: Random bytes in every e-mail verification token (256 bits; at least 128 needed).
TOKEN_BYTES: Final = 32


class RegistrationUseCases:
    """The registration journey (the state is set by
    :class:`~selfcare.identity.service.IdentityService`)."""

    _uow: IdentityUnitOfWork
    _directory: CustomerDirectory
    _hasher: PasswordHasher
    _notifier: Notifier
    _clock: Clock
    _ids: IdSource
    _secrets: SecretSource
    _breached: BreachedPasswords | None
    registration_policy: RegistrationPolicy

    # -- helpers --------------------------------------------------------------

    def _breach_refusal(self, password: str) -> Refused | None:
        """The refusal of a new password found in breach corpora (or of any while the
        lookup is down, when the policy requires it); ``None`` without a port."""
        if self._breached is None:
            return None
        checked = check_breached(
            password, self._breached, self.registration_policy.password.breached_check
        )
        return None if checked else Refused(checked)

    def _hash_new(self, password: str) -> str:
        """The hash of a new password, in the policy's normal form (slow: call it
        outside any unit of work)."""
        form = self.registration_policy.password.hash_normalization
        return self._hasher.hash(normalize_for_hashing(password, form))

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
        registration_id: RegistrationId,
        step: Callable[..., Outcome[Registration]],
        *args: object,
        **kwargs: object,
    ) -> Outcome[Registration]:
        with self._uow as uow:
            current = uow.registrations.find(registration_id)
            if current is None:
                return _registration_not_found()
            return self._save_step(uow, step(current, *args, now=self._clock.now(), **kwargs))

    @staticmethod
    def _save_step(
        uow: IdentityUnitOfWork, outcome: Outcome[Registration]
    ) -> Outcome[Registration]:
        """Save and commit a step that moved the registration on; a refusal saves nothing."""
        if outcome.ok:
            uow.registrations.update(outcome.value)
            uow.commit()
        return outcome

    # -- registration ---------------------------------------------------------

    def start_registration(
        self, *, language: Language | str = Language.FI
    ) -> Outcome[Registration]:
        """Start a registration in the chosen portal language.

        Returns:
            The registration with :class:`~selfcare.identity.events.RegistrationStarted`,
            or a refusal with ``profile.field_invalid`` for an unsupported language.
        """
        outcome = start_registration(
            registration_id=RegistrationId(self._ids.new_id()),
            language=language,
            policy=self.registration_policy,
            now=self._clock.now(),
        )
        if outcome.ok:
            with self._uow as uow:
                uow.registrations.add(outcome.value)
                uow.commit()
        return outcome

    def resume_registration(self, registration_id: RegistrationId) -> Outcome[Registration]:
        """The registration to continue, if it is still open (a query: no events).

        Returns:
            The registration (its ``state`` says which step is next), or a refusal with
            ``registration.not_found``, ``registration.not_in_progress`` or
            ``registration.expired``.
        """
        with self._uow as uow:
            current = uow.registrations.find(registration_id)
        if current is None:
            return _registration_not_found()
        checked = check_in_progress(current, now=self._clock.now())
        return Done(current) if checked else Refused(checked)

    def abandon_registration(self, registration_id: RegistrationId) -> Outcome[Registration]:
        """Abandon a registration.

        Returns:
            The registration with :class:`~selfcare.identity.events.RegistrationAbandoned`,
            or a refusal with ``registration.not_found`` or
            ``registration.not_in_progress``.
        """
        return self._registration_step(registration_id, abandon_registration)

    def accept_terms(
        self,
        registration_id: RegistrationId,
        *,
        terms_version: str,
        national_id: NationalId | None = None,
    ) -> Outcome[Registration]:
        """Record the accepted terms (and the identity code typed, the telecom registration guide).

        Returns:
            The registration with :class:`~selfcare.identity.events.TermsAccepted`, or
            a refusal with ``registration.not_found`` and the codes of
            :func:`~selfcare.identity.registration_identification.accept_terms`.
        """
        return self._registration_step(
            registration_id,
            accept_terms,
            terms_version=terms_version,
            national_id=national_id,
            policy=self.registration_policy,
        )

    def identify(
        self, registration_id: RegistrationId, assertion: IdentityAssertion
    ) -> Outcome[Registration]:
        """Accept the strong identification that came back from the provider.

        Returns:
            The registration with :class:`~selfcare.identity.events.PersonIdentified`,
            or a refusal with ``registration.not_found`` and the codes of
            :func:`~selfcare.identity.registration_identification.identify`.
        """
        with self._uow as uow:
            current = uow.registrations.find(registration_id)
            if current is None:
                return _registration_not_found()
            has_account = (
                assertion.national_id is not None
                and uow.accounts.find_by_national_id(assertion.national_id) is not None
            )
            outcome = identify(
                current,
                assertion,
                has_account=has_account,
                policy=self.registration_policy,
                now=self._clock.now(),
            )
            return self._save_step(uow, outcome)

    def match_customers(self, registration_id: RegistrationId) -> Outcome[Registration]:
        """Look the identified person up in the customer system and link what matches.

        Returns:
            The registration (``prefill`` holds the profile form) with
            :class:`~selfcare.identity.events.CustomersMatched`, or a refusal with
            ``registration.not_found`` and the codes of
            :func:`~selfcare.identity.registration_identification.match_customers`.
        """
        with self._uow as uow:
            current = uow.registrations.find(registration_id)
            if current is None:
                return _registration_not_found()
            records = (
                self._directory.find_by_national_id(current.national_id)
                if current.national_id is not None
                else ()
            )
            outcome = match_customers(
                current, records, policy=self.registration_policy, now=self._clock.now()
            )
            return self._save_step(uow, outcome)

    def _email_taken(self, uow: IdentityUnitOfWork, email: str) -> bool:
        """Whether ``email`` is a username, asked only when the operator reveals it."""
        if not self.registration_policy.reveal_email_in_use:
            return False
        try:
            wanted = EmailAddress.parse(email)
        except SelfcareError:
            return False  # check_profile reports it
        return uow.accounts.find_by_email(wanted) is not None

    def confirm_profile(
        self, registration_id: RegistrationId, draft: ProfileDraft
    ) -> Outcome[Registration]:
        """Keep the profile the user confirmed; the customer system is not written.

        Returns:
            The registration with :class:`~selfcare.identity.events.ProfileConfirmed`,
            or a refusal with ``registration.not_found`` and the codes of
            :func:`~selfcare.identity.registration_account.confirm_profile`.
        """
        with self._uow as uow:
            current = uow.registrations.find(registration_id)
            if current is None:
                return _registration_not_found()
            outcome = confirm_profile(
                current,
                draft,
                email_in_use=self._email_taken(uow, draft.email),
                policy=self.registration_policy,
                now=self._clock.now(),
            )
            return self._save_step(uow, outcome)

    def set_credentials(
        self, registration_id: RegistrationId, password: str, *, repeated: str | None = None
    ) -> Outcome[Registration]:
        """Choose the password; its hash is kept, of the password in the policy's
        normal form (:attr:`~selfcare.identity.password.PasswordPolicy.hash_normalization`).

        The checks and the breached-password lookup read the registration in one short
        unit of work, the password is hashed outside any, and the hash is saved in a
        second one if the registration did not change meanwhile (else the whole step
        runs once more, then is refused with ``registration.changed_meanwhile``).

        Returns:
            The registration with :class:`~selfcare.identity.events.CredentialsSet`, or
            a refusal with ``registration.not_found``, the codes of
            :func:`~selfcare.identity.registration_account.set_credentials`,
            ``password.breached``, ``password.breach_check_unavailable`` (see
            :func:`~selfcare.identity.breached.check_breached`) or
            ``registration.changed_meanwhile``.
        """
        for _ in range(2):
            try:
                outcome = self._set_credentials_once(registration_id, password, repeated)
            except ConcurrencyConflict:
                continue
            if outcome is not None:
                return outcome
        return Refused.because(Violation("registration.changed_meanwhile"))

    def _set_credentials_once(
        self, registration_id: RegistrationId, password: str, repeated: str | None
    ) -> Outcome[Registration] | None:
        with self._uow as uow:
            current = uow.registrations.find(registration_id)
        if current is None:
            return _registration_not_found()
        policy = self.registration_policy
        checked = check_credentials(
            current, password, repeated=repeated, policy=policy, now=self._clock.now()
        )
        if not checked.ok:
            return checked
        refused = self._breach_refusal(password)
        if refused is not None:
            return refused
        password_hash = self._hash_new(password)
        with self._uow as uow:
            fresh = uow.registrations.find(registration_id)
            if fresh is None:
                return _registration_not_found()
            if fresh.version != current.version:
                return None  # changed while hashing: check again
            done = record_credentials(fresh, password_hash, policy=policy, now=self._clock.now())
            return self._save_step(uow, done)

    def confirm_registration(self, registration_id: RegistrationId) -> Outcome[Registration]:
        """The user approves (the energy registration guide, phase 4); a token goes to the e-mail
        address.

        If the address is already someone's username, its holder gets
        ``registration.email_in_use_notice`` instead and the token goes nowhere; the
        answer here is the same either way.

        Returns:
            The registration with
            :class:`~selfcare.identity.events.RegistrationConfirmed`, or a refusal with
            ``registration.not_found`` and the codes of
            :func:`~selfcare.identity.registration_account.confirm_registration`.
        """
        token = self._secrets.token(TOKEN_BYTES)
        with self._uow as uow:
            current = uow.registrations.find(registration_id)
            if current is None:
                return _registration_not_found()
            outcome = confirm_registration(
                current,
                token_digest=token_digest(token),
                policy=self.registration_policy,
                now=self._clock.now(),
            )
            if not outcome.ok:
                return outcome
            profile = outcome.value.profile
            if profile is None:  # pragma: no cover - a confirmed registration has one
                raise AssertionError("confirmed registration without a profile")
            holder = uow.accounts.find_by_email(profile.email)
            self._save_step(uow, outcome)
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
        return outcome

    def complete_registration(
        self, registration_id: RegistrationId, token: str
    ) -> Outcome[CompletedRegistration]:
        """Create the account with the token from the e-mail; send the confirmation.

        Call it only from the POST of an explicit confirm ("Activate my account") on
        the page the e-mail's link opens, never from the GET of the link: mail
        gateways and link scanners fetch every link of an e-mail, and a GET that
        acted would complete the registration for whoever scanned it. There is no
        account to log in with yet; take ``registration_id`` from the registering
        browser's session where you have it rather than from the link.

        Returns:
            The :class:`~selfcare.identity.registration_account.CompletedRegistration`
            with :class:`~selfcare.identity.events.RegistrationCompleted` and one
            :class:`~selfcare.identity.events.CustomerRelationshipLinked` per matched
            relationship (publish them: authz links the relationships), or a refusal
            with ``registration.not_found``, ``registration.email_in_use`` (lost a race
            with another registration) and the codes of
            :func:`~selfcare.identity.registration_account.complete_registration`.
        """
        with self._uow as uow:
            current = uow.registrations.find(registration_id)
            if current is None:
                return _registration_not_found()
            profile, national_id = current.profile, current.national_id
            outcome = complete_registration(
                current,
                token=token,
                account_id=AccountId(self._ids.new_id()),
                email_in_use=profile is not None
                and uow.accounts.find_by_email(profile.email) is not None,
                has_account=national_id is not None
                and uow.accounts.find_by_national_id(national_id) is not None,
                now=self._clock.now(),
            )
            if not outcome.ok:
                return outcome
            try:
                uow.accounts.add(outcome.value.account)
            except AlreadyExists:
                # Lost a race with another registration of the same address or person.
                return Refused.because(Violation("registration.email_in_use"))
            uow.registrations.update(outcome.value.registration)
            uow.commit()
        account = outcome.value.account
        self._send(
            "registration.completed",
            account.email,
            account.language,
            {
                "given_names": account.given_names,
                "advisories": ",".join(v.code for v in current.advisories),
            },
        )
        return outcome


def _registration_not_found() -> Refused:
    return Refused.because(Violation("registration.not_found"))
