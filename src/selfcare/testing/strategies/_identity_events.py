"""Strategies for the events of selfcare.identity."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from selfcare.core.decision import Violation
from selfcare.core.ids import AccountId, CustomerNumber
from selfcare.identity.assertion import AuthMethod, LevelOfAssurance
from selfcare.identity.events import (
    AccountLocked,
    CredentialsSet,
    CustomerRelationshipLinked,
    CustomersMatched,
    EmailChanged,
    EmailChangeRequested,
    FeedbackSent,
    LoginFailed,
    LoginFailedForUnknownAddress,
    LoginMethod,
    LoginSucceeded,
    LoginUnlocked,
    LoginUnlockRequested,
    PasswordChanged,
    PasswordLoginDisabled,
    PersonIdentified,
    ProfileConfirmed,
    ProfileUpdated,
    RegistrationAbandoned,
    RegistrationCompleted,
    RegistrationConfirmed,
    RegistrationStarted,
    TermsAccepted,
)
from selfcare.identity.ids import FeedbackId, RegistrationId
from selfcare.identity.profile import Language, ProfileField
from selfcare.testing.strategies._core import aware_datetimes

__all__ = ["ENTITIES", "identity_events", "login_events", "registration_events"]

_REGISTRATION_IDS = st.from_regex(r"reg-[0-9]{1,6}", fullmatch=True).map(RegistrationId)
_ACCOUNT_IDS = st.from_regex(r"acc-[0-9]{1,6}", fullmatch=True).map(AccountId)
_CUSTOMER_NUMBERS = st.from_regex(r"[0-9]{6}", fullmatch=True).map(CustomerNumber)
_ADVISORIES = st.sampled_from([(), (Violation("registration.no_customer_found"),)])
_KINDS = st.sampled_from(["electricity", "broadband_tv", "mobile"])


def _about_registration(cls: type[Any]) -> st.SearchStrategy[Any]:
    return st.builds(cls, registration_id=_REGISTRATION_IDS, occurred_at=aware_datetimes())


def _about_account(cls: type[Any]) -> st.SearchStrategy[Any]:
    return st.builds(cls, account_id=_ACCOUNT_IDS, occurred_at=aware_datetimes())


ENTITIES: dict[type, st.SearchStrategy[Any]] = {
    RegistrationStarted: st.builds(
        RegistrationStarted,
        registration_id=_REGISTRATION_IDS,
        language=st.sampled_from(Language),
        occurred_at=aware_datetimes(),
    ),
    TermsAccepted: st.builds(
        TermsAccepted,
        registration_id=_REGISTRATION_IDS,
        terms_version=st.sampled_from(["1", "2026-03"]),
        occurred_at=aware_datetimes(),
    ),
    PersonIdentified: st.builds(
        PersonIdentified,
        registration_id=_REGISTRATION_IDS,
        method=st.sampled_from(AuthMethod),
        level=st.sampled_from(LevelOfAssurance),
        provider=st.sampled_from(["nordea", "op", "mobiilivarmenne"]),
        occurred_at=aware_datetimes(),
    ),
    CustomersMatched: st.builds(
        CustomersMatched,
        registration_id=_REGISTRATION_IDS,
        customer_numbers=st.lists(_CUSTOMER_NUMBERS, max_size=3).map(tuple),
        advisories=_ADVISORIES,
        occurred_at=aware_datetimes(),
    ),
    ProfileConfirmed: _about_registration(ProfileConfirmed),
    CredentialsSet: _about_registration(CredentialsSet),
    RegistrationConfirmed: _about_registration(RegistrationConfirmed),
    RegistrationAbandoned: _about_registration(RegistrationAbandoned),
    RegistrationCompleted: st.builds(
        RegistrationCompleted,
        registration_id=_REGISTRATION_IDS,
        account_id=_ACCOUNT_IDS,
        email=st.just("anna@example.fi"),
        language=st.sampled_from(Language),
        customer_numbers=st.lists(_CUSTOMER_NUMBERS, max_size=3).map(tuple),
        advisories=_ADVISORIES,
        occurred_at=aware_datetimes(),
    ),
    CustomerRelationshipLinked: st.builds(
        CustomerRelationshipLinked,
        account_id=_ACCOUNT_IDS,
        customer_number=_CUSTOMER_NUMBERS,
        kind=_KINDS,
        occurred_at=aware_datetimes(),
    ),
    LoginSucceeded: st.builds(
        LoginSucceeded,
        account_id=_ACCOUNT_IDS,
        method=st.sampled_from(LoginMethod),
        occurred_at=aware_datetimes(),
    ),
    LoginFailed: st.builds(
        LoginFailed,
        account_id=_ACCOUNT_IDS,
        failed_logins=st.integers(1, 50),
        occurred_at=aware_datetimes(),
    ),
    AccountLocked: st.builds(
        AccountLocked,
        account_id=_ACCOUNT_IDS,
        locked_until=aware_datetimes(),
        occurred_at=aware_datetimes(),
    ),
    LoginFailedForUnknownAddress: st.builds(
        LoginFailedForUnknownAddress,
        source_failures=st.integers(1, 1000),
        occurred_at=aware_datetimes(),
    ),
    PasswordLoginDisabled: st.builds(
        PasswordLoginDisabled,
        account_id=_ACCOUNT_IDS,
        failed_logins=st.integers(1, 1000),
        occurred_at=aware_datetimes(),
    ),
    LoginUnlockRequested: st.builds(
        LoginUnlockRequested,
        account_id=_ACCOUNT_IDS,
        expires_at=aware_datetimes(),
        occurred_at=aware_datetimes(),
    ),
    LoginUnlocked: _about_account(LoginUnlocked),
    PasswordChanged: _about_account(PasswordChanged),
    EmailChangeRequested: st.builds(
        EmailChangeRequested,
        account_id=_ACCOUNT_IDS,
        expires_at=aware_datetimes(),
        occurred_at=aware_datetimes(),
    ),
    EmailChanged: _about_account(EmailChanged),
    ProfileUpdated: st.builds(
        ProfileUpdated,
        account_id=_ACCOUNT_IDS,
        fields=st.lists(st.sampled_from(ProfileField), max_size=3, unique=True).map(tuple),
        occurred_at=aware_datetimes(),
    ),
    FeedbackSent: st.builds(
        FeedbackSent,
        feedback_id=st.from_regex(r"fb-[0-9]{1,6}", fullmatch=True).map(FeedbackId),
        account_id=st.none() | _ACCOUNT_IDS,
        occurred_at=aware_datetimes(),
    ),
}

_REGISTRATION_EVENTS = (
    RegistrationStarted,
    TermsAccepted,
    PersonIdentified,
    CustomersMatched,
    ProfileConfirmed,
    CredentialsSet,
    RegistrationConfirmed,
    RegistrationCompleted,
    CustomerRelationshipLinked,
    RegistrationAbandoned,
)
_LOGIN_EVENTS = (
    LoginSucceeded,
    LoginFailed,
    LoginFailedForUnknownAddress,
    AccountLocked,
    PasswordLoginDisabled,
    LoginUnlockRequested,
    LoginUnlocked,
)


def registration_events() -> st.SearchStrategy[Any]:
    """Any event of the registration journey."""
    return st.one_of(*(ENTITIES[cls] for cls in _REGISTRATION_EVENTS))


def login_events() -> st.SearchStrategy[Any]:
    """Any event of a login attempt."""
    return st.one_of(*(ENTITIES[cls] for cls in _LOGIN_EVENTS))


def identity_events() -> st.SearchStrategy[Any]:
    """Any event of selfcare.identity."""
    return st.one_of(*ENTITIES.values())
