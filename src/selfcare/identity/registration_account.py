"""Registration, second half: the account it makes (rules).

The steps from the profile form to the new
:class:`~selfcare.identity.account.Account`, and the way out; each is a pure function
of the registration, its inputs and ``now``, and returns an
:class:`~selfcare.core.outcome.Outcome` with the next registration (or the
:class:`CompletedRegistration`) and the events of the step:

- :func:`confirm_profile` (:class:`~selfcare.identity.events.ProfileConfirmed`),
  the energy registration guide phase 3;
- :func:`set_credentials` (:class:`~selfcare.identity.events.CredentialsSet`);
- :func:`confirm_registration`
  (:class:`~selfcare.identity.events.RegistrationConfirmed`), the energy registration guide phase 4;
- :func:`complete_registration`
  (:class:`~selfcare.identity.events.RegistrationCompleted` and one
  :class:`~selfcare.identity.events.CustomerRelationshipLinked` per matched
  relationship);
- :func:`abandon_registration` (:class:`~selfcare.identity.events.RegistrationAbandoned`).

The "state codes" below are those of
:func:`~selfcare.identity.registration.step_refusal`.
"""

from __future__ import annotations

from datetime import datetime
from typing import final

import attrs

from selfcare.core.clock import require_aware
from selfcare.core.decision import Violation
from selfcare.core.events import Event
from selfcare.core.ids import AccountId
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.core.ports import next_version
from selfcare.identity.account import Account, token_matches
from selfcare.identity.events import (
    CredentialsSet,
    CustomerRelationshipLinked,
    ProfileConfirmed,
    RegistrationAbandoned,
    RegistrationCompleted,
    RegistrationConfirmed,
)
from selfcare.identity.password import check_password
from selfcare.identity.password_normalize import normalize_for_hashing
from selfcare.identity.ports import PasswordHasher
from selfcare.identity.profile import ProfileDraft, check_profile
from selfcare.identity.registration import (
    FINAL_STATES,
    Registration,
    RegistrationPolicy,
    RegistrationState,
    advance,
    step_refusal,
)

__all__ = [
    "CompletedRegistration",
    "abandon_registration",
    "check_credentials",
    "complete_registration",
    "confirm_profile",
    "confirm_registration",
    "record_credentials",
    "set_credentials",
]


@final
@attrs.frozen(kw_only=True)
class CompletedRegistration:
    """What :func:`complete_registration` produces: the finished registration and the
    new account (the events come with the :class:`~selfcare.core.outcome.Done`)."""

    registration: Registration
    account: Account


def confirm_profile(
    registration: Registration,
    draft: ProfileDraft,
    *,
    email_in_use: bool,
    policy: RegistrationPolicy,
    now: datetime,
) -> Outcome[Registration]:
    """Check and keep the profile the user confirmed (the energy registration guide, phase 3).

    The user may come back to edit it after setting a password; the password must then
    be set again, since it is checked against the names and the e-mail address.
    ``email_in_use`` is only acted on with ``policy.reveal_email_in_use``.

    Returns:
        The next registration, or a refusal with the state codes, the codes of
        :func:`~selfcare.identity.profile.check_profile`, or - only with
        ``policy.reveal_email_in_use`` - ``registration.email_in_use``.
    """
    moment = require_aware(now, "now")
    refused = step_refusal(
        registration,
        (
            RegistrationState.CUSTOMERS_MATCHED,
            RegistrationState.PROFILE_CONFIRMED,
            RegistrationState.CREDENTIALS_SET,
        ),
        moment,
    )
    if refused is not None:
        return refused
    checked = check_profile(draft, policy.profile)
    match checked:
        case Refused():
            return checked
        case Done(value=profile):
            pass
    if email_in_use and policy.reveal_email_in_use:
        return Refused.because(Violation("registration.email_in_use"))
    confirmed = advance(
        registration,
        RegistrationState.PROFILE_CONFIRMED,
        moment,
        policy,
        profile=profile,
        password_hash=None,
    )
    return Done(confirmed, (ProfileConfirmed(registration_id=registration.id, occurred_at=moment),))


def _no_profile(registration: Registration) -> Refused:
    # The states that allow set_credentials guarantee a profile; kept as a refusal.
    return Refused.because(
        Violation(
            "registration.step_out_of_order",
            {
                "expected": RegistrationState.CUSTOMERS_MATCHED.value,
                "actual": registration.state.value,
            },
        )
    )


def _same_twice(password: str, repeated: str | None) -> list[Violation]:
    if repeated is not None and repeated != password:
        return [Violation("registration.passwords_differ")]
    return []


def check_credentials(
    registration: Registration,
    password: str,
    *,
    repeated: str | None = None,
    policy: RegistrationPolicy,
    now: datetime,
) -> Outcome[Registration]:
    """Whether ``password`` may be chosen now (the first half of
    :func:`set_credentials`; nothing is hashed).

    Returns:
        The registration unchanged (no event), or a refusal with the codes of
        :func:`set_credentials`.
    """
    moment = require_aware(now, "now")
    refused = step_refusal(
        registration,
        (RegistrationState.PROFILE_CONFIRMED, RegistrationState.CREDENTIALS_SET),
        moment,
    )
    if refused is not None:
        return refused
    profile = registration.profile
    if profile is None:  # pragma: no cover - the state guarantees a profile
        return _no_profile(registration)
    personal = (profile.given_names, profile.surname, profile.email.value)
    found = [
        *_same_twice(password, repeated),
        *check_password(password, policy.password, personal=personal).violations,
    ]
    if found:
        return Refused.because(*found)
    return Done(registration)


def record_credentials(
    registration: Registration, password_hash: str, *, policy: RegistrationPolicy, now: datetime
) -> Done[Registration]:
    """Keep ``password_hash`` of a password :func:`check_credentials` allowed (the
    second half of :func:`set_credentials`).

    Returns:
        The next registration with :class:`~selfcare.identity.events.CredentialsSet`.
    """
    moment = require_aware(now, "now")
    chosen = advance(
        registration,
        RegistrationState.CREDENTIALS_SET,
        moment,
        policy,
        password_hash=password_hash,
    )
    return Done(chosen, (CredentialsSet(registration_id=registration.id, occurred_at=moment),))


def set_credentials(
    registration: Registration,
    password: str,
    *,
    repeated: str | None = None,
    hasher: PasswordHasher,
    policy: RegistrationPolicy,
    now: datetime,
) -> Outcome[Registration]:
    """Choose the password (the telecom registration guide, step 10); only its hash is
    kept, made of the password in the policy's
    :attr:`~selfcare.identity.password.PasswordPolicy.hash_normalization` form.

    ``repeated`` is the "type it again" field, if the form has one. The service runs
    the halves :func:`check_credentials` and :func:`record_credentials` itself, with
    the hashing between them outside any transaction.

    Returns:
        The next registration, or a refusal with the state codes
        (``registration.step_out_of_order`` when no profile is confirmed yet),
        ``registration.passwords_differ`` or the ``password.*`` codes of
        :func:`~selfcare.identity.password.check_password` (with the names and the
        e-mail address as personal words).
    """
    checked = check_credentials(registration, password, repeated=repeated, policy=policy, now=now)
    if not checked.ok:
        return checked
    form = policy.password.hash_normalization
    password_hash = hasher.hash(normalize_for_hashing(password, form))
    return record_credentials(registration, password_hash, policy=policy, now=now)


def confirm_registration(
    registration: Registration,
    *,
    token_digest: str,
    policy: RegistrationPolicy,
    now: datetime,
) -> Outcome[Registration]:
    """The user approves the details (the energy registration guide, phase 4). The service sends a
    token to the e-mail address and passes its digest here.

    Returns:
        The next registration, or a refusal with the state codes.
    """
    moment = require_aware(now, "now")
    refused = step_refusal(registration, (RegistrationState.CREDENTIALS_SET,), moment)
    if refused is not None:
        return refused
    confirmed = advance(
        registration,
        RegistrationState.CONFIRMED,
        moment,
        policy,
        email_token_digest=token_digest,
        confirmed_at=moment,
    )
    event = RegistrationConfirmed(registration_id=registration.id, occurred_at=moment)
    return Done(confirmed, (event,))


def _token_refusal(registration: Registration, token: str) -> Refused | None:
    digest = registration.email_token_digest
    if digest is None or not token_matches(token, digest):
        return Refused.because(Violation("registration.email_token_invalid"))
    return None


def _taken_meanwhile(*, email_in_use: bool, has_account: bool) -> list[Violation]:
    found: list[Violation] = []
    if email_in_use:
        found.append(Violation("registration.email_in_use"))
    if has_account:
        found.append(Violation("registration.national_id_has_account"))
    return found


def _new_account(registration: Registration, account_id: AccountId, now: datetime) -> Account:
    profile, national_id, password_hash = (
        registration.profile,
        registration.national_id,
        registration.password_hash,
    )
    if profile is None or national_id is None or password_hash is None:  # pragma: no cover
        msg = "a confirmed registration has a profile, a national id and a password"
        raise AssertionError(msg)
    return Account(
        id=account_id,
        national_id=national_id,
        profile=profile,
        password_hash=password_hash,
        created_at=now,
        password_changed_at=now,
        terms_version=registration.terms_version,
        terms_accepted_at=registration.terms_accepted_at,
    )


def _completion_events(
    registration: Registration, account: Account, now: datetime
) -> tuple[Event, ...]:
    completed = RegistrationCompleted(
        registration_id=registration.id,
        account_id=account.id,
        email=account.email.value,
        language=account.language,
        customer_numbers=tuple(c.customer_number for c in registration.customers),
        advisories=registration.advisories,
        occurred_at=now,
    )
    links = (
        CustomerRelationshipLinked(
            account_id=account.id,
            customer_number=customer.customer_number,
            kind=customer.kind,
            occurred_at=now,
        )
        for customer in registration.customers
    )
    return (completed, *links)


def complete_registration(
    registration: Registration,
    *,
    token: str,
    account_id: AccountId,
    email_in_use: bool,
    has_account: bool,
    now: datetime,
) -> Outcome[CompletedRegistration]:
    """Create the account once the token sent to the e-mail address comes back.

    ``email_in_use`` and ``has_account`` say whether, meanwhile, the address became
    someone's username or the person got an account (the service looks them up).
    Whoever holds the token can read that mailbox, so saying that the address is
    taken reveals nothing new.

    Returns:
        The :class:`CompletedRegistration` with the events
        :class:`~selfcare.identity.events.RegistrationCompleted` and one
        :class:`~selfcare.identity.events.CustomerRelationshipLinked` per matched
        relationship, or a refusal with the state codes,
        ``registration.email_token_invalid``, ``registration.email_in_use`` or
        ``registration.national_id_has_account``.
    """
    moment = require_aware(now, "now")
    refused = step_refusal(registration, (RegistrationState.CONFIRMED,), moment)
    if refused is None:
        refused = _token_refusal(registration, token)
    if refused is not None:
        return refused
    found = _taken_meanwhile(email_in_use=email_in_use, has_account=has_account)
    if found:
        return Refused.because(*found)
    account = _new_account(registration, account_id, moment)
    finished = next_version(
        registration,
        state=RegistrationState.COMPLETED,
        updated_at=moment,
        completed_at=moment,
        account_id=account_id,
        password_hash=None,
        email_token_digest=None,
    )
    completed = CompletedRegistration(registration=finished, account=account)
    return Done(completed, _completion_events(registration, account, moment))


def abandon_registration(registration: Registration, *, now: datetime) -> Outcome[Registration]:
    """Give up a registration (also an expired one); secrets are dropped.

    Returns:
        The abandoned registration, or a refusal with ``registration.not_in_progress``.
    """
    moment = require_aware(now, "now")
    if registration.state in FINAL_STATES:
        return Refused.because(
            Violation("registration.not_in_progress", {"state": registration.state.value})
        )
    abandoned = next_version(
        registration,
        state=RegistrationState.ABANDONED,
        updated_at=moment,
        password_hash=None,
        email_token_digest=None,
    )
    event = RegistrationAbandoned(registration_id=registration.id, occurred_at=moment)
    return Done(abandoned, (event,))
