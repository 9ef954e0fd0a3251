"""The registration journey as an immutable state machine (model and rules).

A :class:`Registration` moves through these states, one pure function per step; each
returns the next value (version bumped) or a :class:`~selfcare.core.decision.Decision`
saying why not::

    started --accept_terms--> terms_accepted --identify--> identified
      --match_customers--> customers_matched --confirm_profile--> profile_confirmed
      --set_credentials--> credentials_set --confirm_registration--> confirmed
      --complete_registration--> completed           (abandon: any open state -> abandoned)

- **Terms** (seed 000): the version of the terms and the time of acceptance are
  recorded; only the operator's current version can be accepted. The form of seed 000
  also takes the identity code the user types; it is kept to check against the
  identification.
- **Identification** (seeds 000, 001): the :class:`~selfcare.identity.assertion.IdentityAssertion`
  from the bank or mobile certificate must pass
  :func:`~selfcare.identity.assertion.accept_assertion`, come from a provider and
  method the operator lists (a bank missing from the list: contact customer service),
  and - when the user typed a code - carry that code. A person who already has an
  account is refused.
- **Customers** (seed 000): a customer relationship is matched only when the person's
  code is on file for it; with two names on the invoice only the one whose code is on
  file matches. No match is not an error: registration completes with the advisory
  ``registration.no_customer_found`` ("contact customer service"), unless the policy
  requires a match (seed 001).
- **Profile** (seed 001): prefilled from the customer system, edited, required fields
  enforced; the e-mail address becomes the username. The master record is never
  written.
- **Credentials**: the password is checked by
  :func:`~selfcare.identity.password.check_password` with the user's names and
  e-mail address as personal words, and only its hash is kept.
- **Confirmation** (seed 001, phase 4): the user approves; a token goes to the e-mail
  address. **Completion** needs that token back, which proves the address works
  (seed 000) and belongs to the user, and produces the
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
from selfcare.core.ports import bump
from selfcare.identity.account import Account, token_matches
from selfcare.identity.assertion import IdentityAssertion, accept_assertion
from selfcare.identity.customer_records import CustomerRecord
from selfcare.identity.national_id import NationalId
from selfcare.identity.password import PasswordPolicy, check_password
from selfcare.identity.ports import PasswordHasher
from selfcare.identity.profile import (
    Language,
    Profile,
    ProfileDraft,
    ProfilePolicy,
    check_profile,
    prefill_profile,
)

__all__ = [
    "DEFAULT_EXPIRY",
    "Completion",
    "CustomerRelationshipLinked",
    "MatchedCustomer",
    "Registration",
    "RegistrationCompleted",
    "RegistrationPolicy",
    "RegistrationState",
    "abandon_registration",
    "accept_terms",
    "check_in_progress",
    "complete_registration",
    "confirm_profile",
    "confirm_registration",
    "identify",
    "match_customers",
    "set_credentials",
    "start_registration",
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


_FINAL: Final = frozenset({RegistrationState.COMPLETED, RegistrationState.ABANDONED})


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
        password: the password rules (seed 001: at least 10 characters with a
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

    customer_number: str
    kind: str


@final
@attrs.frozen(kw_only=True)
class Registration:
    """A registration in progress (or finished).

    Secrets are not kept: the password only as its hash, the e-mail token only as
    its digest, neither in ``repr``. National ids are masked in ``repr``.
    """

    id: str
    state: RegistrationState = RegistrationState.STARTED
    language: Language = Language.FI
    started_at: datetime = utc_field()
    updated_at: datetime = utc_field()
    expires_at: datetime = utc_field()
    terms_version: str | None = None
    terms_accepted_at: datetime | None = utc_field(optional=True, default=None)
    claimed_national_id: NationalId | None = None
    national_id: NationalId | None = None
    identified_by: str | None = None
    identified_at: datetime | None = utc_field(optional=True, default=None)
    asserted_given_names: str = ""
    asserted_surname: str = ""
    customers: tuple[MatchedCustomer, ...] = ()
    advisories: tuple[Violation, ...] = ()
    prefill: ProfileDraft | None = None
    profile: Profile | None = None
    password_hash: str | None = attrs.field(default=None, repr=False)
    email_token_digest: str | None = attrs.field(default=None, repr=False)
    confirmed_at: datetime | None = utc_field(optional=True, default=None)
    completed_at: datetime | None = utc_field(optional=True, default=None)
    account_id: str | None = None
    version: int = 1

    def is_expired(self, now: datetime) -> bool:
        """Whether the registration is open and its deadline has passed."""
        return self.state not in _FINAL and require_aware(now, "now") >= self.expires_at


@final
@attrs.frozen(kw_only=True)
class RegistrationCompleted:
    """Event: an account was created; send the confirmation e-mail (seed 001).

    ``advisories`` tell the user what to do next, e.g. ``registration.no_customer_found``.
    """

    registration_id: str
    account_id: str
    email: str
    language: Language
    customer_numbers: tuple[str, ...]
    advisories: tuple[Violation, ...]
    occurred_at: datetime = utc_field()


@final
@attrs.frozen(kw_only=True)
class CustomerRelationshipLinked:
    """Event: the new account is the owner of this customer relationship."""

    account_id: str
    customer_number: str
    kind: str
    occurred_at: datetime = utc_field()


@final
@attrs.frozen(kw_only=True)
class Completion:
    """What :func:`complete_registration` produces: the finished registration, the new
    account, and the events to publish (the completion first, then one link per
    matched customer relationship)."""

    registration: Registration
    account: Account
    events: tuple[RegistrationCompleted | CustomerRelationshipLinked, ...]


def _refusal(
    registration: Registration, allowed: Sequence[RegistrationState], now: datetime
) -> Decision | None:
    if registration.state in _FINAL:
        return Decision.deny(
            Violation("registration.not_in_progress", {"state": registration.state.value})
        )
    if now >= registration.expires_at:
        return Decision.deny(Violation("registration.expired"))
    if registration.state not in allowed:
        return Decision.deny(
            Violation(
                "registration.step_out_of_order",
                {"expected": allowed[0].value, "actual": registration.state.value},
            )
        )
    return None


def _advance(
    registration: Registration,
    state: RegistrationState,
    now: datetime,
    policy: RegistrationPolicy,
    **changes: object,
) -> Registration:
    return bump(
        registration, state=state, updated_at=now, expires_at=now + policy.expiry, **changes
    )


def start_registration(
    *,
    registration_id: str,
    language: Language | str = Language.FI,
    policy: RegistrationPolicy,
    now: datetime,
) -> Registration:
    """A new registration in the portal language the user chose (seed 000: fi or sv).

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``;
            ``profile.field_invalid`` for a language other than fi, sv, nb, en.
    """
    moment = require_aware(now, "now")
    try:
        chosen = Language(language)
    except ValueError:
        raise Decision.deny(
            Violation("profile.field_invalid", {"field": "language"})
        ).to_error() from None
    return Registration(
        id=registration_id,
        language=chosen,
        started_at=moment,
        updated_at=moment,
        expires_at=moment + policy.expiry,
    )


def check_in_progress(registration: Registration, *, now: datetime) -> Decision:
    """Whether ``registration`` can be resumed.

    Returns:
        Allowed (the reason names the state), or refused with
        ``registration.not_in_progress`` (``state``) or ``registration.expired``.
    """
    moment = require_aware(now, "now")
    refused = _refusal(registration, tuple(RegistrationState), moment)
    if refused is not None:
        return refused
    return Decision.allow(reason=f"state:{registration.state.value}")


def accept_terms(
    registration: Registration,
    *,
    terms_version: str,
    national_id: NationalId | None = None,
    policy: RegistrationPolicy,
    now: datetime,
) -> Registration | Decision:
    """Record that the user accepted ``terms_version`` of the terms of use, and the
    identity code they typed (seed 000), if any.

    Returns:
        The next registration, or a refusal with ``registration.not_in_progress``,
        ``registration.expired``, ``registration.step_out_of_order`` (``expected``,
        ``actual``) or ``registration.terms_outdated`` (``current``).
    """
    moment = require_aware(now, "now")
    refused = _refusal(
        registration, (RegistrationState.STARTED, RegistrationState.TERMS_ACCEPTED), moment
    )
    if refused is not None:
        return refused
    if terms_version != policy.terms_version:
        return Decision.deny(
            Violation("registration.terms_outdated", {"current": policy.terms_version})
        )
    return _advance(
        registration,
        RegistrationState.TERMS_ACCEPTED,
        moment,
        policy,
        terms_version=terms_version,
        terms_accepted_at=moment,
        claimed_national_id=national_id,
    )


def _label(value: object) -> str:
    raw = getattr(value, "value", value)
    return str(raw)


def identify(
    registration: Registration,
    assertion: IdentityAssertion,
    *,
    has_account: bool,
    policy: RegistrationPolicy,
    now: datetime,
) -> Registration | Decision:
    """Accept the strong identification (seed 000 steps 8-9, seed 001 phase 1).

    ``has_account`` says whether an account already exists for the asserted national
    id (the service looks it up).

    Returns:
        The next registration, or a refusal with the state codes (see
        :func:`accept_terms`), ``registration.provider_not_accepted`` (``provider``;
        e.g. a bank missing from the list: customer service registers the user),
        ``registration.method_not_accepted`` (``method``), the codes of
        :func:`~selfcare.identity.assertion.accept_assertion` (among them a national id
        other than the one typed), ``registration.national_id_missing`` (an
        identification that names no person, e.g. a work account) or
        ``registration.national_id_has_account``.
    """
    moment = require_aware(now, "now")
    refused = _refusal(registration, (RegistrationState.TERMS_ACCEPTED,), moment)
    if refused is not None:
        return refused
    found: list[Violation] = []
    provider, method = _label(assertion.provider), _label(assertion.method)
    if policy.accepted_providers is not None and provider not in policy.accepted_providers:
        found.append(Violation("registration.provider_not_accepted", {"provider": provider[:64]}))
    if policy.accepted_methods is not None and method not in policy.accepted_methods:
        found.append(Violation("registration.method_not_accepted", {"method": method[:64]}))
    accepted = accept_assertion(
        assertion,
        now=moment,
        min_level=policy.min_level,
        max_age=policy.max_assertion_age,
        expected_national_id=registration.claimed_national_id,
    )
    found.extend(accepted.violations)
    if assertion.national_id is None:
        # A work account (single sign-on) names no person in the population register.
        found.append(Violation("registration.national_id_missing"))
    if not found and has_account:
        found.append(Violation("registration.national_id_has_account"))
    if found:
        return Decision.deny(*found)
    return _advance(
        registration,
        RegistrationState.IDENTIFIED,
        moment,
        policy,
        national_id=assertion.national_id,
        identified_by=provider,
        identified_at=moment,
        asserted_given_names=assertion.given_names,
        asserted_surname=assertion.surname,
    )


def match_customers(
    registration: Registration,
    records: Sequence[CustomerRecord],
    *,
    policy: RegistrationPolicy,
    now: datetime,
) -> Registration | Decision:
    """Link the customer relationships that have the person's code on file.

    ``records`` are what the :class:`~selfcare.identity.ports.CustomerDirectory`
    returned; any record without the person's code on file is ignored (seed 000: two
    names on the invoice, only the one whose code is on file matches; contract data
    without an identity code matches nobody). The profile form is prefilled from the
    first matched record with contact details, and otherwise from the identification.

    Returns:
        The next registration - with the advisory ``registration.no_customer_found``
        when nothing matched - or a refusal with the state codes (see
        :func:`accept_terms`) or ``registration.customer_match_required`` when the
        policy requires a match and nothing matched.
    """
    moment = require_aware(now, "now")
    refused = _refusal(
        registration, (RegistrationState.IDENTIFIED, RegistrationState.CUSTOMERS_MATCHED), moment
    )
    if refused is not None:
        return refused
    person = registration.national_id
    matched: dict[str, CustomerRecord] = {}
    for record in records:
        if person is not None and record.is_on_file(person):
            matched.setdefault(record.customer_number, record)
    advisories: tuple[Violation, ...] = ()
    if not matched:
        if policy.require_customer_match:
            return Decision.deny(Violation("registration.customer_match_required"))
        advisories = (Violation("registration.no_customer_found"),)
    contact = next((r.contact for r in matched.values() if r.contact is not None), None)
    prefill = prefill_profile(
        contact,
        given_names=registration.asserted_given_names,
        surname=registration.asserted_surname,
        language=registration.language.value,
    )
    return _advance(
        registration,
        RegistrationState.CUSTOMERS_MATCHED,
        moment,
        policy,
        customers=tuple(
            MatchedCustomer(customer_number=r.customer_number, kind=r.kind)
            for r in matched.values()
        ),
        advisories=advisories,
        prefill=prefill,
    )


def confirm_profile(
    registration: Registration,
    draft: ProfileDraft,
    *,
    email_in_use: bool,
    policy: RegistrationPolicy,
    now: datetime,
) -> Registration | Decision:
    """Check and keep the profile the user confirmed (seed 001, phase 3).

    The user may come back to edit it after setting a password; the password must then
    be set again, since it is checked against the names and the e-mail address.
    ``email_in_use`` is only acted on with ``policy.reveal_email_in_use``.

    Returns:
        The next registration, or a refusal with the state codes (see
        :func:`accept_terms`), the codes of
        :func:`~selfcare.identity.profile.check_profile`, or - only with
        ``policy.reveal_email_in_use`` - ``registration.email_in_use``.
    """
    moment = require_aware(now, "now")
    refused = _refusal(
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
    if isinstance(checked, Decision):
        return checked
    if email_in_use and policy.reveal_email_in_use:
        return Decision.deny(Violation("registration.email_in_use"))
    return _advance(
        registration,
        RegistrationState.PROFILE_CONFIRMED,
        moment,
        policy,
        profile=checked,
        password_hash=None,
    )


def set_credentials(
    registration: Registration,
    password: str,
    *,
    repeated: str | None = None,
    hasher: PasswordHasher,
    policy: RegistrationPolicy,
    now: datetime,
) -> Registration | Decision:
    """Choose the password (seed 000 step 10); only its hash is kept.

    ``repeated`` is the "type it again" field, if the form has one.

    Returns:
        The next registration, or a refusal with the state codes (see
        :func:`accept_terms`), ``registration.step_out_of_order`` (no profile
        confirmed yet), ``registration.passwords_differ`` or the
        ``password.*`` codes of :func:`~selfcare.identity.password.check_password`
        (with the names and the e-mail address as personal words).
    """
    moment = require_aware(now, "now")
    refused = _refusal(
        registration,
        (RegistrationState.PROFILE_CONFIRMED, RegistrationState.CREDENTIALS_SET),
        moment,
    )
    if refused is not None:
        return refused
    profile = registration.profile
    if profile is None:  # pragma: no cover - the state guarantees a profile
        return Decision.deny(
            Violation(
                "registration.step_out_of_order",
                {
                    "expected": RegistrationState.CUSTOMERS_MATCHED.value,
                    "actual": registration.state.value,
                },
            )
        )
    found: list[Violation] = []
    if repeated is not None and repeated != password:
        found.append(Violation("registration.passwords_differ"))
    personal = (profile.given_names, profile.surname, profile.email.value)
    found.extend(check_password(password, policy.password, personal=personal).violations)
    if found:
        return Decision.deny(*found)
    return _advance(
        registration,
        RegistrationState.CREDENTIALS_SET,
        moment,
        policy,
        password_hash=hasher.hash(password),
    )


def confirm_registration(
    registration: Registration,
    *,
    token_digest: str,
    policy: RegistrationPolicy,
    now: datetime,
) -> Registration | Decision:
    """The user approves the details (seed 001, phase 4). The service sends a token
    to the e-mail address and passes its digest here.

    Returns:
        The next registration, or a refusal with the state codes (see
        :func:`accept_terms`).
    """
    moment = require_aware(now, "now")
    refused = _refusal(registration, (RegistrationState.CREDENTIALS_SET,), moment)
    if refused is not None:
        return refused
    return _advance(
        registration,
        RegistrationState.CONFIRMED,
        moment,
        policy,
        email_token_digest=token_digest,
        confirmed_at=moment,
    )


def complete_registration(
    registration: Registration,
    *,
    token: str,
    account_id: str,
    email_in_use: bool,
    has_account: bool,
    now: datetime,
) -> Completion | Decision:
    """Create the account once the token sent to the e-mail address comes back.

    ``email_in_use`` and ``has_account`` say whether, meanwhile, the address became
    someone's username or the person got an account (the service looks them up).
    Whoever holds the token can read that mailbox, so saying that the address is
    taken reveals nothing new.

    Returns:
        The :class:`Completion`, or a refusal with the state codes (see
        :func:`accept_terms`), ``registration.email_token_invalid``,
        ``registration.email_in_use`` or ``registration.national_id_has_account``.
    """
    moment = require_aware(now, "now")
    refused = _refusal(registration, (RegistrationState.CONFIRMED,), moment)
    if refused is not None:
        return refused
    digest = registration.email_token_digest
    if digest is None or not token_matches(token, digest):
        return Decision.deny(Violation("registration.email_token_invalid"))
    found: list[Violation] = []
    if email_in_use:
        found.append(Violation("registration.email_in_use"))
    if has_account:
        found.append(Violation("registration.national_id_has_account"))
    if found:
        return Decision.deny(*found)
    profile, national_id, password_hash = (
        registration.profile,
        registration.national_id,
        registration.password_hash,
    )
    if profile is None or national_id is None or password_hash is None:  # pragma: no cover
        msg = "a confirmed registration has a profile, a national id and a password"
        raise AssertionError(msg)
    account = Account(
        id=account_id,
        national_id=national_id,
        profile=profile,
        password_hash=password_hash,
        created_at=moment,
        password_changed_at=moment,
    )
    finished = bump(
        registration,
        state=RegistrationState.COMPLETED,
        updated_at=moment,
        completed_at=moment,
        account_id=account_id,
        password_hash=None,
        email_token_digest=None,
    )
    events: list[RegistrationCompleted | CustomerRelationshipLinked] = [
        RegistrationCompleted(
            registration_id=registration.id,
            account_id=account_id,
            email=profile.email.value,
            language=profile.language,
            customer_numbers=tuple(c.customer_number for c in registration.customers),
            advisories=registration.advisories,
            occurred_at=moment,
        )
    ]
    events.extend(
        CustomerRelationshipLinked(
            account_id=account_id,
            customer_number=customer.customer_number,
            kind=customer.kind,
            occurred_at=moment,
        )
        for customer in registration.customers
    )
    return Completion(registration=finished, account=account, events=tuple(events))


def abandon_registration(registration: Registration, *, now: datetime) -> Registration | Decision:
    """Give up a registration (also an expired one); secrets are dropped.

    Returns:
        The abandoned registration, or a refusal with ``registration.not_in_progress``.
    """
    moment = require_aware(now, "now")
    if registration.state in _FINAL:
        return Decision.deny(
            Violation("registration.not_in_progress", {"state": registration.state.value})
        )
    return bump(
        registration,
        state=RegistrationState.ABANDONED,
        updated_at=moment,
        password_hash=None,
        email_token_digest=None,
    )
