"""Strategies for registrations, accounts, profiles, customer records and messages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import strategies as st

from selfcare.core.decision import Violation
from selfcare.core.ids import AccountId
from selfcare.identity.account import (
    Account,
    AccountState,
    Feedback,
    PendingEmailChange,
    PendingUnlock,
)
from selfcare.identity.contact import EmailAddress, PhoneNumber
from selfcare.identity.customer_records import CustomerRecord
from selfcare.identity.ids import LoginThrottleKey, RegistrationId
from selfcare.identity.login import LoginPolicy
from selfcare.identity.national_id import Country, NationalId
from selfcare.identity.ports import Channel, OutgoingMessage
from selfcare.identity.profile import (
    Language,
    Profile,
    ProfileDraft,
    ProfileField,
    ProfilePolicy,
)
from selfcare.identity.registration import (
    MatchedCustomer,
    Registration,
    RegistrationPolicy,
    RegistrationState,
)
from selfcare.identity.throttle import LoginThrottle
from selfcare.testing.strategies._core import aware_datetimes
from selfcare.testing.strategies._identity import national_ids, password_policies
from selfcare.testing.strategies._recovery import pending_recoveries
from selfcare.testing.strategies._second_factor import pending_second_steps
from selfcare.testing.strategies._strong_login import terms_versions, work_account_links

__all__ = [
    "ENTITIES",
    "accounts",
    "customer_records",
    "email_addresses",
    "finnish_national_ids",
    "phone_numbers",
    "profiles",
    "registrations",
]

_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_NAMES = st.sampled_from(["Anna", "Pekka", "Åsa", "Jørgen", "Matti Juhani", "Li", "Ülle"])
_SURNAMES = st.sampled_from(["Virtanen", "Andersson", "Håkonsen", "Nieminen", "Öberg"])
_KINDS = st.sampled_from(
    ["electricity", "district_heating", "broadband_tv", "mobile", "corporate_mobile"]
)
_WORDS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Cf")),
    max_size=20,
)
_TOKENS = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)


@st.composite
def finnish_national_ids(draw: st.DrawFn) -> NationalId:
    """Valid permanent Finnish identity codes of people born 1900-1999."""
    day = draw(st.integers(1, 28))
    month = draw(st.integers(1, 12))
    year = draw(st.integers(0, 99))
    individual = draw(st.integers(2, 899))
    digits = f"{day:02d}{month:02d}{year:02d}{individual:03d}"
    return NationalId(Country.FI, f"{digits[:6]}-{digits[6:]}{_CHECK[int(digits) % 31]}")


def email_addresses() -> st.SearchStrategy[EmailAddress]:
    """Plain e-mail addresses (mixed case in the local part)."""
    local = st.from_regex(r"[A-Za-z][A-Za-z0-9.]{0,10}[A-Za-z0-9]", fullmatch=True).filter(
        lambda s: ".." not in s
    )
    domain = st.sampled_from(["example.fi", "example.se", "example.no", "post.example.com"])
    return st.builds(lambda lp, dom: EmailAddress.parse(f"{lp}@{dom}"), local, domain)


def phone_numbers() -> st.SearchStrategy[PhoneNumber]:
    """Nordic mobile numbers."""
    return st.sampled_from(
        [("040 123 4567", "FI"), ("070-123 45 67", "SE"), ("412 34 567", "NO")]
    ).map(lambda pair: PhoneNumber.parse(pair[0], pair[1]))


def contact_details() -> st.SearchStrategy[ProfileDraft]:
    """Contact details as a customer system holds them (free text, a known language)."""
    return st.builds(
        ProfileDraft,
        given_names=_WORDS,
        surname=_WORDS,
        email=_WORDS,
        phone=_WORDS,
        street=_WORDS,
        postal_code=_WORDS,
        city=_WORDS,
        language=st.sampled_from(["", "fi", "sv"]),
    )


def customer_records() -> st.SearchStrategy[CustomerRecord]:
    """Customer records with zero to two codes on file and up to two invoice names."""
    return st.builds(
        CustomerRecord,
        customer_number=st.from_regex(r"[0-9]{6,9}", fullmatch=True),
        kind=_KINDS,
        national_ids_on_file=st.lists(finnish_national_ids(), max_size=2).map(tuple),
        names_on_invoice=st.lists(_NAMES, max_size=2).map(tuple),
        contact=st.none() | contact_details(),
    )


def profile_drafts() -> st.SearchStrategy[ProfileDraft]:
    """Profile forms with any text in them."""
    return st.builds(
        ProfileDraft,
        given_names=_WORDS,
        surname=_WORDS,
        email=_WORDS,
        phone=_WORDS,
        street=_WORDS,
        postal_code=_WORDS,
        city=_WORDS,
        language=_WORDS,
    )


def profiles() -> st.SearchStrategy[Profile]:
    """Checked profiles."""
    return st.builds(
        Profile,
        given_names=_NAMES,
        surname=_SURNAMES,
        email=email_addresses(),
        phone=st.none() | phone_numbers(),
        street=st.sampled_from(["", "Mannerheimintie 1 A 2"]),
        postal_code=st.sampled_from(["", "00100"]),
        city=st.sampled_from(["", "Helsinki", "Vaasa"]),
        language=st.sampled_from(Language),
    )


def profile_policies() -> st.SearchStrategy[ProfilePolicy]:
    """Profile policies."""
    fields = st.frozensets(st.sampled_from(ProfileField))
    return st.builds(
        ProfilePolicy,
        required_fields=fields,
        self_service_fields=fields,
        phone_region=st.sampled_from(["FI", "SE", "NO"]),
        default_language=st.sampled_from(Language),
    )


def login_policies() -> st.SearchStrategy[LoginPolicy]:
    """Login throttling policies."""
    return st.builds(
        LoginPolicy,
        max_failures=st.integers(1, 20),
        first_lock=st.integers(1, 600).map(lambda s: timedelta(seconds=s)),
        max_lock=st.integers(600, 86400).map(lambda s: timedelta(seconds=s)),
        failure_decay=st.integers(1, 3600).map(lambda s: timedelta(seconds=s)),
        source_max_failures=st.integers(1, 1000),
        source_failure_decay=st.integers(1, 3600).map(lambda s: timedelta(seconds=s)),
        reveal_lock=st.booleans(),
        disable_password_after=st.sampled_from((0, 100)) | st.integers(0, 1000),
        unlock_valid_for=st.integers(60, 86400).map(lambda s: timedelta(seconds=s)),
    )


def pending_unlocks() -> st.SearchStrategy[PendingUnlock]:
    """Unlock links waiting to be confirmed."""
    return st.builds(
        lambda digest, at: PendingUnlock(
            token_digest=digest, requested_at=at, expires_at=at + timedelta(hours=1)
        ),
        _TOKENS,
        aware_datetimes(),
    )


def login_throttles() -> st.SearchStrategy[LoginThrottle]:
    """Throttle records of failed logins, of pairs and of sources."""
    digests = st.from_regex(r"[0-9a-f]{32}", fullmatch=True)
    account_ids = st.from_regex(r"acc-[0-9]{1,6}", fullmatch=True).map(AccountId)
    pair = st.tuples(digests, account_ids).map(
        lambda found: (LoginThrottleKey(f"pair:{found[0]}:{found[1]}"), found[1])
    )
    source = digests.map(lambda digest: (LoginThrottleKey(f"source:{digest}"), None))
    return st.builds(
        lambda keyed, failures, at, locked, version: LoginThrottle(
            key=keyed[0],
            account_id=keyed[1],
            failures=failures,
            decayed_at=at,
            locked_until=locked,
            version=version,
        ),
        pair | source,
        st.integers(0, 1000),
        aware_datetimes(),
        st.none() | aware_datetimes(),
        st.integers(1, 1000),
    )


def pending_email_changes() -> st.SearchStrategy[PendingEmailChange]:
    """Pending e-mail changes."""
    return st.builds(
        lambda email, digest, at: PendingEmailChange(
            email=email, token_digest=digest, requested_at=at, expires_at=at + timedelta(hours=24)
        ),
        email_addresses(),
        _TOKENS,
        aware_datetimes(),
    )


def accounts() -> st.SearchStrategy[Account]:
    """Accounts in any state."""
    return st.builds(
        Account,
        id=st.from_regex(r"acc-[0-9]{1,6}", fullmatch=True),
        national_id=national_ids(),
        profile=profiles(),
        password_hash=st.just("scrypt$n=16,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + "A" * 43),
        created_at=aware_datetimes(),
        state=st.sampled_from(AccountState),
        failed_logins=st.integers(0, 50),
        locked_until=st.none() | aware_datetimes(),
        last_login_at=st.none() | aware_datetimes(),
        password_changed_at=st.none() | aware_datetimes(),
        pending_email=st.none() | pending_email_changes(),
        pending_unlock=st.none() | pending_unlocks(),
        pending_recovery=st.none() | pending_recoveries(),
        terms_version=st.none() | terms_versions(),
        terms_accepted_at=st.none() | aware_datetimes(),
        pending_login=st.none() | pending_second_steps(),
        work_account=st.none() | work_account_links(),
        version=st.integers(1, 1000),
    )


def feedback() -> st.SearchStrategy[Feedback]:
    """Feedback to customer service."""
    return st.builds(
        Feedback,
        id=st.from_regex(r"fb-[0-9]{1,6}", fullmatch=True),
        account_id=st.none() | st.just("acc-1"),
        text=_WORDS.filter(lambda s: s.strip() == s and bool(s)),
        reply_email=st.none() | email_addresses(),
        reply_phone=st.none() | phone_numbers(),
        language=st.sampled_from(Language),
        sent_at=aware_datetimes(),
    )


def matched_customers() -> st.SearchStrategy[MatchedCustomer]:
    """Customer relationships matched during registration."""
    return st.builds(
        MatchedCustomer, customer_number=st.from_regex(r"[0-9]{6}", fullmatch=True), kind=_KINDS
    )


_ADVISORIES = st.sampled_from([(), (Violation("registration.no_customer_found"),)])


@st.composite
def registrations(draw: st.DrawFn) -> Registration:
    """Registrations in any state, with plausible data for it."""
    started = draw(aware_datetimes())
    updated = started + timedelta(seconds=draw(st.integers(0, 3600)))
    maybe_time = st.none() | st.just(updated)
    return Registration(
        id=RegistrationId(draw(st.from_regex(r"reg-[0-9]{1,6}", fullmatch=True))),
        state=draw(st.sampled_from(RegistrationState)),
        language=draw(st.sampled_from(Language)),
        started_at=started,
        updated_at=updated,
        expires_at=updated + timedelta(minutes=30),
        terms_version=draw(st.none() | st.just("1")),
        terms_accepted_at=draw(maybe_time),
        claimed_national_id=draw(st.none() | finnish_national_ids()),
        national_id=draw(st.none() | national_ids()),
        identified_by=draw(st.none() | st.sampled_from(["nordea", "op", "mobiilivarmenne"])),
        identified_at=draw(maybe_time),
        asserted_given_names=draw(_NAMES),
        asserted_surname=draw(_SURNAMES),
        customers=tuple(draw(st.lists(matched_customers(), max_size=3))),
        advisories=draw(_ADVISORIES),
        prefill=draw(st.none() | profile_drafts()),
        profile=draw(st.none() | profiles()),
        password_hash=draw(st.none() | st.just("scrypt$n=16,r=8,p=1$c2FsdA$" + "B" * 43)),
        email_token_digest=draw(st.none() | _TOKENS),
        confirmed_at=draw(maybe_time),
        completed_at=draw(maybe_time),
        account_id=draw(st.none() | st.just(AccountId("acc-1"))),
        version=draw(st.integers(1, 50)),
    )


def registration_policies() -> st.SearchStrategy[RegistrationPolicy]:
    """Registration policies."""
    names = st.none() | st.frozensets(
        st.sampled_from(["nordea", "op", "bank", "mobile_certificate"])
    )
    return st.builds(
        RegistrationPolicy,
        terms_version=st.sampled_from(["1", "2026-01"]),
        expiry=st.integers(60, 7200).map(lambda s: timedelta(seconds=s)),
        min_level=st.sampled_from(["low", "substantial", "high"]),
        max_assertion_age=st.integers(30, 600).map(lambda s: timedelta(seconds=s)),
        accepted_providers=names,
        accepted_methods=names,
        require_customer_match=st.booleans(),
        reveal_email_in_use=st.booleans(),
        profile=profile_policies(),
        password=password_policies(),
    )


def outgoing_messages() -> st.SearchStrategy[OutgoingMessage]:
    """Messages composed for the caller to send."""
    return st.builds(
        OutgoingMessage,
        template=st.sampled_from(["registration.completed", "registration.verify_email"]),
        channel=st.sampled_from(Channel),
        recipient=st.sampled_from(["anna@example.fi", "+358401234567"]),
        language=st.sampled_from(Language),
        params=st.dictionaries(st.sampled_from(["given_names", "minutes"]), _WORDS, max_size=2),
        secret=st.none() | _TOKENS,
    )


ENTITIES: dict[type, st.SearchStrategy[Any]] = {
    CustomerRecord: customer_records(),
    ProfileDraft: profile_drafts(),
    Profile: profiles(),
    ProfilePolicy: profile_policies(),
    LoginPolicy: login_policies(),
    PendingEmailChange: pending_email_changes(),
    PendingUnlock: pending_unlocks(),
    LoginThrottle: login_throttles(),
    Account: accounts(),
    Feedback: feedback(),
    MatchedCustomer: matched_customers(),
    Registration: registrations(),
    RegistrationPolicy: registration_policies(),
    OutgoingMessage: outgoing_messages(),
}
