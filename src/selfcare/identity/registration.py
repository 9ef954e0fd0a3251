"""The registration journey: the :class:`Registration` entity, its policy and states.

A :class:`Registration` moves through these states, one pure function per step; each
returns an :class:`~selfcare.core.outcome.Outcome`: the next value (version bumped)
with the :mod:`~selfcare.identity.events` of the step, or a refusal saying why not.
The steps live in two topic modules:
:mod:`~selfcare.identity.registration_identification` (start, terms, identification,
customers) and :mod:`~selfcare.identity.registration_account` (profile, password,
confirmation, completion, abandoning)::

    started --accept_terms--> terms_accepted --identify--> identified
      --match_customers--> customers_matched --confirm_profile--> profile_confirmed
      --set_credentials--> credentials_set --confirm_registration--> confirmed
      --complete_registration--> completed           (abandon: any open state -> abandoned)

- **Terms** (the telecom registration guide): the version of the terms and the time of acceptance
  are recorded; only the operator's current version can be accepted. The form of the telecom
  registration guide also takes the identity code the user types; it is kept to check against the
  identification.
- **Identification** (the telecom and energy registration guides): the
  :class:`~selfcare.identity.assertion.IdentityAssertion` from the bank or mobile certificate must
  pass
  :func:`~selfcare.identity.assertion.accept_assertion`, come from a provider and
  method the operator lists (a bank missing from the list: contact customer service),
  and - when the user typed a code - carry that code. A person who already has an
  account is refused.
- **Customers** (the telecom registration guide): a customer relationship is matched only when the
  person's code is on file for it; with two names on the invoice only the one whose code is on
  file matches. No match is not an error: registration completes with the advisory
  ``registration.no_customer_found`` ("contact customer service"), unless the policy
  requires a match (the energy registration guide).
- **Profile** (the energy registration guide): prefilled from the customer system, edited, required
  fields enforced; the e-mail address becomes the username. The master record is never
  written.
- **Credentials**: the password is checked by
  :func:`~selfcare.identity.password.check_password` with the user's names and
  e-mail address as personal words, and only its hash is kept.
- **Confirmation** (the energy registration guide, phase 4): the user approves; a token goes to the
  e-mail address. **Completion** needs that token back, which proves the address works
  (the telecom registration guide) and belongs to the user, and produces the
  :class:`~selfcare.identity.account.Account` and the events.

Privacy: whether an e-mail address is already someone's username is not revealed
before the token comes back - the service sends the holder of that address a notice
instead of a token, and the registrant sees the same "check your e-mail" step either
way. An operator may opt in to an immediate answer with
``RegistrationPolicy(reveal_email_in_use=True)``.

Expiry: a registration expires ``policy.expiry`` (default 30 minutes) after its last
step - each step moves the deadline on, so a user who keeps going is never cut off,
and one who walks away is. A step on an expired registration is refused with
``registration.expired``; resume by id (:func:`check_in_progress`) or abandon.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Final, final

import attrs

from selfcare.core.clock import require_aware, utc_field
from selfcare.core.decision import Decision, Violation
from selfcare.core.ids import AccountId, CustomerNumber
from selfcare.core.outcome import Refused
from selfcare.core.ports import next_version
from selfcare.core.secrets import secret_field
from selfcare.identity.ids import RegistrationId
from selfcare.identity.national_id import NationalId
from selfcare.identity.password import PasswordPolicy
from selfcare.identity.profile import Language, Profile, ProfileDraft, ProfilePolicy

__all__ = [
    "DEFAULT_EXPIRY",
    "FINAL_STATES",
    "MatchedCustomer",
    "Registration",
    "RegistrationId",
    "RegistrationPolicy",
    "RegistrationState",
    "advance",
    "check_in_progress",
    "step_refusal",
]

#: How long a registration stays open after its last step.
DEFAULT_EXPIRY: Final = timedelta(minutes=30)


def _optional_strings(value: Iterable[str] | None) -> frozenset[str] | None:
    return None if value is None else frozenset(str(item) for item in value)


class RegistrationState(enum.StrEnum):
    """Where a registration stands; ``completed`` and ``abandoned`` are final."""

    STARTED = "started"
    TERMS_ACCEPTED = "terms_accepted"
    IDENTIFIED = "identified"
    CUSTOMERS_MATCHED = "customers_matched"
    PROFILE_CONFIRMED = "profile_confirmed"
    CREDENTIALS_SET = "credentials_set"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


#: The states a registration never leaves.
FINAL_STATES: Final = frozenset({RegistrationState.COMPLETED, RegistrationState.ABANDONED})


@final
@attrs.frozen(kw_only=True)
class RegistrationPolicy:
    """The operator's choices for registration.

    Attributes:
        terms_version: the version of the terms of use the user must accept.
        expiry: how long a registration stays open after its last step.
        min_level: the lowest level of assurance accepted from identification.
        max_assertion_age: how old an identification may be when it arrives.
        accepted_providers: the identification providers (banks, mobile certificate
            operators) listed for the user to choose from; ``None`` accepts any.
        accepted_methods: the identification methods accepted; ``None`` accepts any.
        require_customer_match: refuse a registration that links no customer
            relationship (instead of completing it with an advisory).
        reveal_email_in_use: say at the profile step that an e-mail address is
            already a username (instead of revealing it only to whoever can read
            that mailbox). Lets anyone who can identify test addresses: opt in
            knowingly.
        profile: required and self-service fields of the profile.
        password: the password rules (the energy registration guide: at least 10 characters with a
            digit, an upper-case and a lower-case letter).
    """

    terms_version: str = "1"
    expiry: timedelta = DEFAULT_EXPIRY
    min_level: str = "substantial"
    max_assertion_age: timedelta = timedelta(minutes=5)
    accepted_providers: frozenset[str] | None = attrs.field(
        default=None, converter=_optional_strings
    )
    accepted_methods: frozenset[str] | None = attrs.field(default=None, converter=_optional_strings)
    require_customer_match: bool = False
    reveal_email_in_use: bool = False
    profile: ProfilePolicy = attrs.field(factory=ProfilePolicy)
    password: PasswordPolicy = attrs.field(factory=PasswordPolicy)


@final
@attrs.frozen(kw_only=True)
class MatchedCustomer:
    """A customer relationship the registration will link (no one else's data)."""

    customer_number: CustomerNumber
    kind: str


@final
@attrs.frozen(kw_only=True)
class Registration:
    """A registration in progress (or finished).

    Secrets are not kept: the password only as its hash, the e-mail token only as
    its digest, neither in ``repr``. National ids are masked in ``repr``.
    """

    id: RegistrationId
    state: RegistrationState = RegistrationState.STARTED
    language: Language = Language.FI
    started_at: datetime = utc_field()
    updated_at: datetime = utc_field()
    expires_at: datetime = utc_field()
    terms_version: str | None = None
    terms_accepted_at: datetime | None = utc_field(optional=True, default=None)
    claimed_national_id: NationalId | None = secret_field(default=None)
    national_id: NationalId | None = secret_field(default=None)
    identified_by: str | None = None
    identified_at: datetime | None = utc_field(optional=True, default=None)
    asserted_given_names: str = ""
    asserted_surname: str = ""
    customers: tuple[MatchedCustomer, ...] = ()
    advisories: tuple[Violation, ...] = ()
    prefill: ProfileDraft | None = None
    profile: Profile | None = None
    password_hash: str | None = secret_field(default=None)
    email_token_digest: str | None = secret_field(default=None)
    confirmed_at: datetime | None = utc_field(optional=True, default=None)
    completed_at: datetime | None = utc_field(optional=True, default=None)
    account_id: AccountId | None = None
    version: int = 1

    def is_expired(self, now: datetime) -> bool:
        """Whether the registration is open and its deadline has passed."""
        return self.state not in FINAL_STATES and require_aware(now, "now") >= self.expires_at


def step_refusal(
    registration: Registration, allowed: Sequence[RegistrationState], now: datetime
) -> Refused | None:
    """Why a step allowed in the ``allowed`` states may not run now, or ``None``.

    Returns:
        ``None``, or a refusal with ``registration.not_in_progress`` (``state``),
        ``registration.expired`` or ``registration.step_out_of_order`` (``expected``,
        ``actual``) - the "state codes" every step's documentation refers to.
    """
    if registration.state in FINAL_STATES:
        return Refused.because(
            Violation("registration.not_in_progress", {"state": registration.state.value})
        )
    if now >= registration.expires_at:
        return Refused.because(Violation("registration.expired"))
    if registration.state not in allowed:
        return Refused.because(
            Violation(
                "registration.step_out_of_order",
                {"expected": allowed[0].value, "actual": registration.state.value},
            )
        )
    return None


def advance(
    registration: Registration,
    state: RegistrationState,
    now: datetime,
    policy: RegistrationPolicy,
    **changes: object,
) -> Registration:
    """``registration`` moved on to ``state`` at ``now``, with ``changes``; the deadline
    moves to ``now + policy.expiry``."""
    return next_version(
        registration, state=state, updated_at=now, expires_at=now + policy.expiry, **changes
    )


def check_in_progress(registration: Registration, *, now: datetime) -> Decision:
    """Whether ``registration`` can be resumed.

    Returns:
        Allowed (the reason names the state), or refused with
        ``registration.not_in_progress`` (``state``) or ``registration.expired``.
    """
    moment = require_aware(now, "now")
    refused = step_refusal(registration, tuple(RegistrationState), moment)
    if refused is not None:
        return refused.decision
    return Decision.allow(reason=f"state:{registration.state.value}")
