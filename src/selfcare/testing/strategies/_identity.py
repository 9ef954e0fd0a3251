"""Strategies for selfcare.identity: identity codes, contact details, passwords,
one-time code challenges and strong-identification assertions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from selfcare.identity.assertion import AuthMethod, IdentityAssertion, LevelOfAssurance
from selfcare.identity.contact import EmailAddress, PhoneNumber
from selfcare.identity.national_id import Country, NationalId, parse_national_id
from selfcare.identity.national_id_at_rest import SealedAt
from selfcare.identity.otp import (
    ChallengeState,
    OneTimeCodeChallenge,
    OneTimeCodePolicy,
)
from selfcare.identity.password import PasswordPolicy
from selfcare.testing.strategies._core import aware_datetimes

__all__ = [
    "ENTITIES",
    "email_addresses",
    "identity_assertions",
    "national_ids",
    "one_time_code_challenges",
    "password_policies",
    "phone_numbers",
    "sealed_at",
]

_FI_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_FAR_FUTURE = date(2100, 1, 1)


def _luhn_digit(digits: str) -> str:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


@st.composite
def _finnish(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=date(1850, 1, 1), max_value=date(2099, 12, 31)))
    sign = draw(
        st.sampled_from({1800: "+", 1900: "-YXWVU", 2000: "ABCDEF"}[born.year // 100 * 100])
    )
    individual = draw(st.integers(min_value=2, max_value=999))
    head = f"{born:%d%m%y}"
    check = _FI_CHECK[int(f"{head}{individual:03d}") % 31]
    return f"{head}{sign}{individual:03d}{check}"


@st.composite
def _swedish(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
    day = born.day + (60 if draw(st.booleans()) else 0)
    serial = draw(st.integers(min_value=0, max_value=999))
    short = f"{born:%y%m}{day:02d}{serial:03d}"
    return f"{born.year // 100}{short}{_luhn_digit(short)}"


@st.composite
def _norwegian(draw: st.DrawFn) -> str:
    from stdnum.no import fodselsnummer  # noqa: PLC0415 - heavy, loaded on first use

    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2039, 12, 31)))
    if born.year < 2000:
        individual = draw(st.integers(min_value=0, max_value=499))
    else:
        individual = draw(st.integers(min_value=500, max_value=999))
    day = born.day + (40 if draw(st.booleans()) else 0)
    nine = f"{day:02d}{born:%m%y}{individual:03d}"
    first = fodselsnummer.calc_check_digit1(nine)
    second = fodselsnummer.calc_check_digit2(nine + first[-1])
    # A remainder of 10 makes a number that is never issued; hypothesis moves on.
    assume(len(first) == 1 and len(second) == 1)
    return nine + first + second


@st.composite
def _danish(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)))
    serial = draw(st.integers(min_value=0, max_value=3999))
    return f"{born:%d%m%y}{serial:04d}"


def national_ids(
    countries: st.SearchStrategy[Country] | None = None,
) -> st.SearchStrategy[NationalId]:
    """Valid identity codes of FI, SE, NO and DK (temporary codes included)."""
    makers = {
        Country.FI: _finnish(),
        Country.SE: _swedish(),
        Country.NO: _norwegian(),
        Country.DK: _danish(),
    }
    chosen = countries if countries is not None else st.sampled_from(Country)
    return chosen.flatmap(
        lambda country: makers[country].map(
            lambda text: parse_national_id(
                text, country, today=_FAR_FUTURE, allow_temporary=True, allow_synthetic=True
            )
        )
    )


_LOCAL = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-äöåø",
    min_size=1,
    max_size=20,
)
_LABEL = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)


def email_addresses() -> st.SearchStrategy[EmailAddress]:
    """Valid e-mail addresses, some with dots in the local part or Nordic domains."""
    domains = st.one_of(
        st.lists(_LABEL, min_size=1, max_size=3).map(lambda labels: ".".join([*labels, "fi"])),
        st.sampled_from(["äänekoski.fi", "Example.SE", "telenor.no", "tdc.dk"]),
    )
    # RFC 5321 counts octets: Nordic letters take two in UTF-8.
    locals_ = (
        st.lists(_LOCAL, min_size=1, max_size=3)
        .map(".".join)
        .filter(lambda local: len(local.encode("utf-8")) <= 64)
    )
    return st.builds(
        lambda local, domain: EmailAddress.parse(f"{local}@{domain}"), locals_, domains
    )


_PHONES = (
    ("FI", "040 123 4567"),
    ("FI", "050 765 4321"),
    ("FI", "09 123 4567"),
    ("FI", "0457 123 4567"),
    ("SE", "070-123 45 67"),
    ("SE", "08-123 456 78"),
    ("NO", "412 34 567"),
    ("NO", "22 12 34 56"),
    ("DK", "20 12 34 56"),
    ("DK", "33 12 34 56"),
)


def phone_numbers() -> st.SearchStrategy[PhoneNumber]:
    """Valid Nordic phone numbers, mobile and fixed."""
    return st.sampled_from(_PHONES).map(lambda pair: PhoneNumber.parse(pair[1], pair[0]))


def password_policies() -> st.SearchStrategy[PasswordPolicy]:
    """Consistent password policies."""
    return st.builds(
        lambda low, extra, classes, run, strength, blocklist, words, modes: PasswordPolicy(
            min_length=low,
            min_length_with_second_factor=None if extra % 3 else min(low, 8),
            max_length=max(low, 1) + extra,
            require_digit=classes[0],
            require_upper=classes[1],
            require_lower=classes[2],
            personal_run=run,
            min_strength=strength,
            blocklist=blocklist,
            operator_words=words,
            personal_mode=modes[0],
            ignore_public_mail_domains=modes[1],
            hash_normalization=modes[2],
            breached_check=modes[3],
        ),
        st.integers(min_value=0, max_value=64),
        st.integers(min_value=0, max_value=1000),
        st.tuples(st.booleans(), st.booleans(), st.booleans()),
        st.integers(min_value=0, max_value=8),
        st.integers(min_value=0, max_value=4),
        st.booleans(),
        st.lists(st.sampled_from(("Elisa", "Telia", "DNA", "Saunalahti")), unique=True).map(tuple),
        st.tuples(
            st.sampled_from(("windows", "tokens")),
            st.booleans(),
            st.sampled_from(("NFC", "NFKC")),
            st.sampled_from(("off", "required", "best_effort")),
        ),
    )


def one_time_code_policies() -> st.SearchStrategy[OneTimeCodePolicy]:
    """Valid one-time code policies."""
    return st.builds(
        OneTimeCodePolicy,
        code_length=st.integers(min_value=4, max_value=12),
        validity=st.integers(min_value=1, max_value=3600).map(lambda s: timedelta(seconds=s)),
        max_attempts=st.integers(min_value=1, max_value=10),
        resend_interval=st.integers(min_value=1, max_value=600).map(lambda s: timedelta(seconds=s)),
        max_sends_per_hour=st.integers(min_value=1, max_value=10),
    )


@st.composite
def one_time_code_challenges(draw: st.DrawFn) -> OneTimeCodeChallenge:
    """Challenges in any state, with a plausible history of sends."""
    issued = draw(aware_datetimes())
    gaps = draw(st.lists(st.integers(min_value=60, max_value=900), max_size=4))
    sends = [issued]
    for gap in gaps:
        sends.append(sends[-1] + timedelta(seconds=gap))
    state = draw(st.sampled_from(ChallengeState))
    verified: datetime | None = None
    if state is ChallengeState.VERIFIED:
        verified = sends[-1] + timedelta(seconds=draw(st.integers(0, 599)))
    return OneTimeCodeChallenge(
        id=draw(st.text(alphabet="abcdef0123456789-", min_size=1, max_size=32)),
        phone=draw(phone_numbers()),
        state=state,
        salt=draw(st.text(alphabet="ABCDEFabcdef0123456789_-", min_size=8, max_size=24)),
        code_hash=draw(st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)),
        issued_at=issued,
        expires_at=sends[-1] + timedelta(minutes=10),
        sends=tuple(sends),
        attempts=draw(st.integers(min_value=0, max_value=5)),
        verified_at=verified,
        version=draw(st.integers(min_value=1, max_value=20)),
    )


_NAMES = st.sampled_from(
    ["Matti", "Anna-Liisa", "Åsa", "Øyvind", "Søren", "Jürgen", "Li", "Ida Maria"]
)


@st.composite
def identity_assertions(draw: st.DrawFn) -> IdentityAssertion:
    """Assertions of every method; work accounts without a national identity code."""
    method = draw(st.sampled_from(AuthMethod))
    national_id = None if method is AuthMethod.WORK_ACCOUNT else draw(national_ids())
    return IdentityAssertion(
        method=method,
        level=draw(st.sampled_from(LevelOfAssurance)),
        national_id=national_id,
        given_names=draw(_NAMES),
        surname=draw(st.sampled_from(["Meikäläinen", "Svensson", "Nordmann", "Jensen"])),
        provider=draw(st.sampled_from(["Example Bank", "BankID", "Mobiilivarmenne"])),
        issued_at=draw(aware_datetimes()),
    )


def sealed_at() -> st.SearchStrategy[SealedAt]:
    """Places a national identity code is sealed for (table, row, field)."""
    names = st.text(min_size=1, max_size=40)
    return st.builds(SealedAt, table=names, row=names, field=names)


ENTITIES: dict[type, st.SearchStrategy[Any]] = {
    NationalId: national_ids(),
    EmailAddress: email_addresses(),
    PhoneNumber: phone_numbers(),
    PasswordPolicy: password_policies(),
    OneTimeCodePolicy: one_time_code_policies(),
    OneTimeCodeChallenge: one_time_code_challenges(),
    IdentityAssertion: identity_assertions(),
    SealedAt: sealed_at(),
}
