"""The e-services profile: model and rules.

During registration the profile is prefilled from the customer system
(:func:`prefill_profile`), edited by the user and checked (:func:`check_profile`):
required fields must be filled, the e-mail address - which becomes the username - and
the phone number must be valid. What the user changes here applies to the e-services
profile only; the operator's master customer record is never written (the energy registration
guide).

After registration, which fields the user may change themselves is operator policy
(:attr:`ProfilePolicy.self_service_fields`); the telecom ordering guide lets users change only their
e-mail address (through verification, see
:meth:`~selfcare.identity.service.IdentityService.change_email`) and sends every other
change to customer service (``profile.field_requires_customer_service``).

>>> draft = ProfileDraft(given_names="Anna", surname="Virtanen", email="anna@example.fi")
>>> profile = check_profile(draft, ProfilePolicy()).unwrap()
>>> profile.email.value, profile.language
('anna@example.fi', <Language.FI: 'fi'>)
>>> check_profile(ProfileDraft(given_names="Anna"), ProfilePolicy()).codes
('profile.field_required', 'profile.field_required')
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Final, final

import attrs

from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.identity.contact import EmailAddress, PhoneNumber

__all__ = [
    "Language",
    "Profile",
    "ProfileDraft",
    "ProfileField",
    "ProfilePolicy",
    "check_profile",
    "check_self_service_change",
    "prefill_profile",
]

#: Longest value accepted in a free-text profile field.
MAX_FIELD_LENGTH: Final = 200


class Language(enum.StrEnum):
    """The languages of the portal and of the messages the user receives."""

    FI = "fi"
    SV = "sv"
    NB = "nb"
    EN = "en"


class ProfileField(enum.StrEnum):
    """The fields of the e-services profile."""

    GIVEN_NAMES = "given_names"
    SURNAME = "surname"
    EMAIL = "email"
    PHONE = "phone"
    STREET = "street"
    POSTAL_CODE = "postal_code"
    CITY = "city"
    LANGUAGE = "language"


def _fields(value: Iterable[ProfileField | str]) -> frozenset[ProfileField]:
    try:
        return frozenset(ProfileField(item) for item in value)
    except ValueError:
        raise SelfcareError(Violation("config.invalid_setting", {"setting": "fields"})) from None


@final
@attrs.frozen(kw_only=True)
class ProfilePolicy:
    """Operator choices for the profile.

    Raises ``SelfcareError`` with ``config.invalid_setting`` for an unknown field name.

    Attributes:
        required_fields: fields that must be filled (marked with an asterisk in the
            form). The e-mail address is always required: it is the username.
        self_service_fields: fields a registered user may change without customer
            service. Default: only the language (the e-mail address changes through
            verification; the telecom ordering guide sends every other change to customer service).
        phone_region: the region national phone numbers are read in.
        default_language: the language when the user leaves it empty.
    """

    required_fields: frozenset[ProfileField] = attrs.field(
        default=frozenset({ProfileField.GIVEN_NAMES, ProfileField.SURNAME, ProfileField.EMAIL}),
        converter=_fields,
    )
    self_service_fields: frozenset[ProfileField] = attrs.field(
        default=frozenset({ProfileField.LANGUAGE}), converter=_fields
    )
    phone_region: str = "FI"
    default_language: Language = Language.FI


@final
@attrs.frozen(kw_only=True)
class ProfileDraft:
    """The profile form as the user sees and edits it, every field a plain string; also
    the contact details of a :class:`~selfcare.identity.customer_records.CustomerRecord`,
    which prefill it (:func:`prefill_profile`)."""

    given_names: str = ""
    surname: str = ""
    email: str = ""
    phone: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    language: str = ""


@final
@attrs.frozen(kw_only=True)
class Profile:
    """A checked e-services profile. ``email`` is the username."""

    given_names: str
    surname: str
    email: EmailAddress
    phone: PhoneNumber | None = None
    street: str = ""
    postal_code: str = ""
    city: str = ""
    language: Language = Language.FI

    def to_draft(self) -> ProfileDraft:
        """The form holding this profile, for editing."""
        return ProfileDraft(
            given_names=self.given_names,
            surname=self.surname,
            email=self.email.value,
            phone=self.phone.e164 if self.phone else "",
            street=self.street,
            postal_code=self.postal_code,
            city=self.city,
            language=self.language.value,
        )


def prefill_profile(
    contact: ProfileDraft | None,
    *,
    given_names: str = "",
    surname: str = "",
    language: str = "",
) -> ProfileDraft:
    """The profile form prefilled from the customer system (the energy registration guide, phase 3).

    The names come from the customer record and, where it has none, from the strong
    identification (``given_names``, ``surname``); ``language`` is the portal
    language the user chose, used when the record has none.

    >>> prefill_profile(ProfileDraft(email="anna@example.fi"), given_names="Anna").given_names
    'Anna'
    """
    record = contact or ProfileDraft()
    return attrs.evolve(
        record,
        given_names=record.given_names or given_names,
        surname=record.surname or surname,
        language=record.language or language,
    )


def _text(field: ProfileField, raw: str, found: list[Violation]) -> str:
    value = " ".join(raw.split())
    if len(value) > MAX_FIELD_LENGTH:
        found.append(
            Violation(
                "profile.field_too_long", {"field": field.value, "max_length": MAX_FIELD_LENGTH}
            )
        )
        return ""
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn"} for ch in value):
        found.append(Violation("profile.field_invalid", {"field": field.value}))
        return ""
    return value


def _language(raw: str, default: Language, found: list[Violation]) -> Language:
    text = raw.strip().lower()
    if not text:
        return default
    try:
        return Language(text)
    except ValueError:
        found.append(Violation("profile.field_invalid", {"field": ProfileField.LANGUAGE.value}))
        return default


def check_profile(draft: ProfileDraft, policy: ProfilePolicy) -> Outcome[Profile]:
    """Check the profile form: the :class:`Profile`, or a refusal with every problem.

    Text is trimmed and inner whitespace collapsed; the e-mail address is normalised by
    :meth:`~selfcare.identity.contact.EmailAddress.parse` and the phone number by
    :meth:`~selfcare.identity.contact.PhoneNumber.parse` in ``policy.phone_region``.

    Returns:
        The profile, or a refusal with ``profile.field_required`` (``field``),
        ``profile.field_too_long`` (``field``, ``max_length``),
        ``profile.field_invalid`` (``field``: control characters, an unknown language)
        and the codes of the e-mail and phone parsers (``email.*``, ``phone.*``).
    """
    found: list[Violation] = []
    values: dict[ProfileField, str] = {}
    for field in ProfileField:
        raw = getattr(draft, field.value)
        values[field] = _text(field, raw, found) if isinstance(raw, str) else ""
    required = policy.required_fields | {ProfileField.EMAIL}
    found.extend(
        Violation("profile.field_required", {"field": field.value})
        for field in ProfileField
        if field in required and not values[field] and not _has_error(found, field)
    )
    email: EmailAddress | None = None
    if values[ProfileField.EMAIL]:
        try:
            email = EmailAddress.parse(values[ProfileField.EMAIL])
        except SelfcareError as error:
            found.extend(error.violations)
    phone: PhoneNumber | None = None
    if values[ProfileField.PHONE]:
        try:
            phone = PhoneNumber.parse(values[ProfileField.PHONE], policy.phone_region)
        except SelfcareError as error:
            found.extend(error.violations)
    language = _language(values[ProfileField.LANGUAGE], policy.default_language, found)
    if found or email is None:
        return Refused.because(*found)
    profile = Profile(
        given_names=values[ProfileField.GIVEN_NAMES],
        surname=values[ProfileField.SURNAME],
        email=email,
        phone=phone,
        street=values[ProfileField.STREET],
        postal_code=values[ProfileField.POSTAL_CODE],
        city=values[ProfileField.CITY],
        language=language,
    )
    return Done(profile)


def _has_error(found: list[Violation], field: ProfileField) -> bool:
    return any(v.params.get("field") == field.value for v in found)


def _is_profile_field(field: object) -> bool:
    if not isinstance(field, str):
        msg = f"a profile field name must be str, not {type(field).__name__}"
        raise TypeError(msg)
    return field in ProfileField._value2member_map_


def check_self_service_change(
    current: Profile, changes: Mapping[ProfileField, str], policy: ProfilePolicy
) -> Outcome[Profile]:
    """Apply a registered user's own ``changes`` to their profile, if policy allows.

    The e-mail address is never changed here: it is the username and changes only
    after the new address is verified.

    Returns:
        The changed profile, or a refusal with
        ``profile.field_requires_customer_service`` (``field``) for each field the
        user may not change themselves (the e-mail address included: use the e-mail
        change), ``profile.field_invalid`` (``field``: ``"unknown"``) for a name that is
        no profile field, or the codes of :func:`check_profile`.

    Raises:
        TypeError: a field name that is not a string.

    >>> profile = check_profile(
    ...     ProfileDraft(given_names="Anna", surname="Virtanen", email="anna@example.fi"),
    ...     ProfilePolicy(),
    ... ).unwrap()
    >>> changed = check_self_service_change(profile, {ProfileField.LANGUAGE: "sv"}, ProfilePolicy())
    >>> changed.unwrap().language
    <Language.SV: 'sv'>
    >>> check_self_service_change(profile, {ProfileField.SURNAME: "Li"}, ProfilePolicy()).codes
    ('profile.field_requires_customer_service',)
    """
    known = [field for field in changes if _is_profile_field(field)]
    refused = [
        Violation("profile.field_invalid", {"field": "unknown"})
        for field in changes
        if not _is_profile_field(field)
    ]
    refused += [
        Violation("profile.field_requires_customer_service", {"field": ProfileField(field).value})
        for field in known
        if ProfileField(field) not in policy.self_service_fields
        or ProfileField(field) is ProfileField.EMAIL
    ]
    if refused:
        return Refused.because(*refused)
    draft = attrs.evolve(
        current.to_draft(), **{ProfileField(field).value: value for field, value in changes.items()}
    )
    return check_profile(draft, policy)
