"""Registration, first half: who registers (rules).

The steps from the start of a :class:`~selfcare.identity.registration.Registration` to
the customer relationships it will link; each is a pure function of the registration,
its inputs and ``now``, and returns an :class:`~selfcare.core.outcome.Outcome` with the
next registration and the event of the step:

- :func:`start_registration` (:class:`~selfcare.identity.events.RegistrationStarted`);
- :func:`accept_terms` (:class:`~selfcare.identity.events.TermsAccepted`), the telecom registration
  guide;
- :func:`identify` (:class:`~selfcare.identity.events.PersonIdentified`), the telecom registration
  guide and 001;
- :func:`match_customers` (:class:`~selfcare.identity.events.CustomersMatched`), seed
  000.

The "state codes" below are those of
:func:`~selfcare.identity.registration.step_refusal`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from selfcare.core.clock import require_aware
from selfcare.core.decision import Decision, Violation
from selfcare.core.ids import CustomerNumber
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.identity.assertion import IdentityAssertion, accept_assertion
from selfcare.identity.customer_records import CustomerRecord
from selfcare.identity.events import (
    CustomersMatched,
    PersonIdentified,
    RegistrationStarted,
    TermsAccepted,
)
from selfcare.identity.ids import RegistrationId
from selfcare.identity.national_id import NationalId
from selfcare.identity.profile import Language, prefill_profile
from selfcare.identity.registration import (
    MatchedCustomer,
    Registration,
    RegistrationPolicy,
    RegistrationState,
    advance,
    step_refusal,
)

__all__ = [
    "accept_terms",
    "check_identification",
    "identify",
    "match_customers",
    "start_registration",
]


def start_registration(
    *,
    registration_id: RegistrationId,
    language: Language | str = Language.FI,
    policy: RegistrationPolicy,
    now: datetime,
) -> Outcome[Registration]:
    """A new registration in the portal language the user chose (the telecom registration guide: fi
    or sv).

    Returns:
        The registration, or a refusal with ``profile.field_invalid`` (``field``:
        ``language``) for a language other than fi, sv, nb, en.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    try:
        chosen = Language(language)
    except ValueError:
        return Refused.because(Violation("profile.field_invalid", {"field": "language"}))
    registration = Registration(
        id=registration_id,
        language=chosen,
        started_at=moment,
        updated_at=moment,
        expires_at=moment + policy.expiry,
    )
    started = RegistrationStarted(
        registration_id=registration_id, language=chosen, occurred_at=moment
    )
    return Done(registration, (started,))


def accept_terms(
    registration: Registration,
    *,
    terms_version: str,
    national_id: NationalId | None = None,
    policy: RegistrationPolicy,
    now: datetime,
) -> Outcome[Registration]:
    """Record that the user accepted ``terms_version`` of the terms of use, and the
    identity code they typed (the telecom registration guide), if any.

    Returns:
        The next registration, or a refusal with the state codes or
        ``registration.terms_outdated`` (``current``).
    """
    moment = require_aware(now, "now")
    refused = step_refusal(
        registration, (RegistrationState.STARTED, RegistrationState.TERMS_ACCEPTED), moment
    )
    if refused is not None:
        return refused
    if terms_version != policy.terms_version:
        return Refused.because(
            Violation("registration.terms_outdated", {"current": policy.terms_version})
        )
    accepted = advance(
        registration,
        RegistrationState.TERMS_ACCEPTED,
        moment,
        policy,
        terms_version=terms_version,
        terms_accepted_at=moment,
        claimed_national_id=national_id,
    )
    event = TermsAccepted(
        registration_id=registration.id, terms_version=terms_version, occurred_at=moment
    )
    return Done(accepted, (event,))


def _listed_provider(assertion: IdentityAssertion, policy: RegistrationPolicy) -> list[Violation]:
    provider = assertion.provider
    if policy.accepted_providers is not None and provider not in policy.accepted_providers:
        return [Violation("registration.provider_not_accepted", {"provider": provider[:64]})]
    return []


def _listed_method(assertion: IdentityAssertion, policy: RegistrationPolicy) -> list[Violation]:
    method = assertion.method.value
    if policy.accepted_methods is not None and method not in policy.accepted_methods:
        return [Violation("registration.method_not_accepted", {"method": method[:64]})]
    return []


def _names_a_person(assertion: IdentityAssertion) -> list[Violation]:
    # A work account (single sign-on) names no person in the population register.
    if assertion.national_id is None:
        return [Violation("registration.national_id_missing")]
    return []


def check_identification(
    assertion: IdentityAssertion,
    *,
    policy: RegistrationPolicy,
    now: datetime,
    expected_national_id: NationalId | None = None,
) -> Decision:
    """Whether the library may rely on ``assertion`` as registration does: a listed
    provider and method, fresh, at the policy's level, naming a person (and, when
    ``expected_national_id`` is given, that person).

    Registration uses it in :func:`identify`; "fetch other contracts"
    (:meth:`~selfcare.authz.service.AuthzService.link_customer_relationships`) uses it
    again on a fresh identification of a logged-in user.

    Returns:
        Allowed, or every one that applies of ``registration.provider_not_accepted``
        (``provider``), ``registration.method_not_accepted`` (``method``), the codes
        of :func:`~selfcare.identity.assertion.accept_assertion` and
        ``registration.national_id_missing``.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    accepted = accept_assertion(
        assertion,
        now=now,
        min_level=policy.min_level,
        max_age=policy.max_assertion_age,
        expected_national_id=expected_national_id,
    )
    return Decision.from_violations(
        [
            *_listed_provider(assertion, policy),
            *_listed_method(assertion, policy),
            *accepted.violations,
            *_names_a_person(assertion),
        ],
        reason=accepted.reason,
    )


def identify(
    registration: Registration,
    assertion: IdentityAssertion,
    *,
    has_account: bool,
    policy: RegistrationPolicy,
    now: datetime,
) -> Outcome[Registration]:
    """Accept the strong identification (the telecom registration guide steps 8-9, the energy
    registration guide phase 1).

    ``has_account`` says whether an account already exists for the asserted national
    id (the service looks it up).

    Returns:
        The next registration, or a refusal with the state codes,
        ``registration.provider_not_accepted`` (``provider``; e.g. a bank missing from
        the list: customer service registers the user),
        ``registration.method_not_accepted`` (``method``), the codes of
        :func:`~selfcare.identity.assertion.accept_assertion` (among them a national id
        other than the one typed), ``registration.national_id_missing`` (an
        identification that names no person, e.g. a work account) or
        ``registration.national_id_has_account``.
    """
    moment = require_aware(now, "now")
    refused = step_refusal(registration, (RegistrationState.TERMS_ACCEPTED,), moment)
    if refused is not None:
        return refused
    found = list(
        check_identification(
            assertion,
            policy=policy,
            now=moment,
            expected_national_id=registration.claimed_national_id,
        ).violations
    )
    if not found and has_account:
        found.append(Violation("registration.national_id_has_account"))
    if found:
        return Refused.because(*found)
    identified = advance(
        registration,
        RegistrationState.IDENTIFIED,
        moment,
        policy,
        national_id=assertion.national_id,
        identified_by=assertion.provider,
        identified_at=moment,
        asserted_given_names=assertion.given_names,
        asserted_surname=assertion.surname,
    )
    event = PersonIdentified(
        registration_id=registration.id,
        method=assertion.method,
        level=assertion.level,
        provider=assertion.provider,
        occurred_at=moment,
    )
    return Done(identified, (event,))


def _on_file(
    records: Sequence[CustomerRecord], person: NationalId | None
) -> dict[str, CustomerRecord]:
    matched: dict[str, CustomerRecord] = {}
    for record in records:
        if person is not None and record.is_on_file(person):
            matched.setdefault(record.customer_number, record)
    return matched


def match_customers(
    registration: Registration,
    records: Sequence[CustomerRecord],
    *,
    policy: RegistrationPolicy,
    now: datetime,
) -> Outcome[Registration]:
    """Link the customer relationships that have the person's code on file.

    ``records`` are what the :class:`~selfcare.identity.ports.CustomerDirectory`
    returned; any record without the person's code on file is ignored (the telecom registration
    guide: two names on the invoice, only the one whose code is on file matches; contract data
    without an identity code matches nobody). The profile form is prefilled from the
    first matched record with contact details, and otherwise from the identification.

    Returns:
        The next registration - with the advisory ``registration.no_customer_found``
        when nothing matched - or a refusal with the state codes or
        ``registration.customer_match_required`` when the policy requires a match and
        nothing matched.
    """
    moment = require_aware(now, "now")
    refused = step_refusal(
        registration, (RegistrationState.IDENTIFIED, RegistrationState.CUSTOMERS_MATCHED), moment
    )
    if refused is not None:
        return refused
    matched = _on_file(records, registration.national_id)
    advisories: tuple[Violation, ...] = ()
    if not matched:
        if policy.require_customer_match:
            return Refused.because(Violation("registration.customer_match_required"))
        advisories = (Violation("registration.no_customer_found"),)
    contact = next((r.contact for r in matched.values() if r.contact is not None), None)
    prefill = prefill_profile(
        contact,
        given_names=registration.asserted_given_names,
        surname=registration.asserted_surname,
        language=registration.language.value,
    )
    customers = tuple(
        MatchedCustomer(customer_number=CustomerNumber(r.customer_number), kind=r.kind)
        for r in matched.values()
    )
    moved = advance(
        registration,
        RegistrationState.CUSTOMERS_MATCHED,
        moment,
        policy,
        customers=customers,
        advisories=advisories,
        prefill=prefill,
    )
    event = CustomersMatched(
        registration_id=registration.id,
        customer_numbers=tuple(c.customer_number for c in customers),
        advisories=advisories,
        occurred_at=moment,
    )
    return Done(moved, (event,))
