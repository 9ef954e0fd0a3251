"""Contact details: e-mail addresses (the portal username) and phone numbers for SMS.

E-mail addresses
    :meth:`EmailAddress.parse` accepts the ``dot-atom`` form of RFC 5322 (what people
    type; quoted local parts and address literals such as ``user@[192.0.2.1]`` are
    refused), strips surrounding whitespace, lower-cases the domain and encodes it with
    IDNA (``anna@Äänekoski.fi`` -> ``anna@xn--nekoski-4waa.fi``), and enforces the
    length limits of RFC 5321 section 4.5.3.1: 64 octets for the local part, 255 for
    the domain and 254 for the whole address (the 256-octet path minus its angle
    brackets). Internationalised local parts (RFC 6531) are accepted; their length is
    counted in UTF-8 octets after NFC normalisation (RFC 6532). Two addresses are
    equal when their lower-cased forms are (:attr:`EmailAddress.canonical`): portals
    treat ``Anna.Li@example.fi`` and ``anna.li@example.fi`` as the same username.

    No address may stand for another mailbox. An address with a Unicode
    *compatibility* character - one that NFKC normalisation would change, such as the
    ligature ``ﬀ``, fullwidth ``ａ``, superscript ``²`` or circled ``①`` - is refused
    (``email.compatibility_character``) rather than normalised: mail servers deliver
    ``oﬀice@`` and ``office@`` to different mailboxes (or not at all), so mapping one
    onto the other would let an account verified for one mailbox answer for the other.
    Comparison lower-cases and nothing more (full case folding would join ``straße``
    and ``strasse``); look-alikes from other scripts (a Cyrillic ``а``) stay different
    addresses, so a confusable never matches another address.

Phone numbers
    :meth:`PhoneNumber.parse` turns a national or international number into E.164
    (``"040 123 4567"`` in Finland -> ``+358401234567``) with the numbering plans of
    Google's libphonenumber (the ``phonenumbers`` package). We use it rather than
    hand-written prefix tables because regulators (Traficom, PTS, Nkom, Energistyrelsen)
    keep reassigning ranges, and the library's metadata follows them release by
    release. Only a mobile number can receive a one-time code (:func:`require_mobile`).
    Danish numbers are not split into fixed and mobile ranges in the numbering plan
    (libphonenumber reports them as "fixed line or mobile"); we count those as mobile,
    since refusing every Danish number would be worse than an SMS that never arrives.

>>> EmailAddress.parse("  Anna.Li@Example.FI ")
EmailAddress(value='Anna.Li@example.fi')
>>> EmailAddress.parse("anna.li@example.fi") == EmailAddress.parse("ANNA.LI@EXAMPLE.FI")
True
>>> PhoneNumber.parse("040 123 4567", "FI").e164
'+358401234567'
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final, cast, final

import attrs

from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import SelfcareError

__all__ = [
    "MAX_ADDRESS_LENGTH",
    "MAX_DOMAIN_LENGTH",
    "MAX_LOCAL_PART_LENGTH",
    "SMS_REGIONS",
    "EmailAddress",
    "PhoneNumber",
    "require_mobile",
]

#: RFC 5321 4.5.3.1.1: at most 64 octets before the ``@``.
MAX_LOCAL_PART_LENGTH: Final = 64
#: RFC 5321 4.5.3.1.2: at most 255 octets in a domain name.
MAX_DOMAIN_LENGTH: Final = 255
#: RFC 5321 4.5.3.1.3: a path is at most 256 octets including ``<`` and ``>``.
MAX_ADDRESS_LENGTH: Final = 254

# RFC 5322 atext, plus any non-ASCII letter or digit (RFC 6531 UTF8-non-ascii).
_ATEXT: Final = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-"
)
_LABEL: Final = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\Z")

# Anything longer cannot be an address even before IDNA encoding; refusing it first
# keeps parsing bounded for megabyte inputs.
_MAX_INPUT: Final = 4 * MAX_ADDRESS_LENGTH


def _local_part_ok(local: str) -> bool:
    if not local or local.startswith(".") or local.endswith(".") or ".." in local:
        return False
    return all(ch in _ATEXT or ch == "." or (ord(ch) > 127 and ch.isalnum()) for ch in local)


def _encode_domain(domain: str) -> str | None:
    """The lower-cased ASCII (IDNA) form of ``domain``, or None if it is not a host name."""
    labels = []  # an empty domain, an empty label or a final dot fail _LABEL
    for label in domain.split("."):
        if label.isascii():
            ascii_label = label.lower()
            if ascii_label.startswith("xn--"):
                try:  # an A-label must decode to a U-label
                    ascii_label.encode("ascii").decode("idna")
                except UnicodeError:
                    return None
        else:
            try:
                ascii_label = label.encode("idna").decode("ascii").lower()
            except UnicodeError:
                return None
        if not _LABEL.match(ascii_label):
            return None
        labels.append(ascii_label)
    if len(labels) < 2 or labels[-1].isdigit():
        # A bare host ("localhost") or an IP address is not a mail domain a portal sends to.
        return None
    return ".".join(labels)


def _normalise_email(text: str) -> str:
    """The normalised address, or raise SelfcareError with every reason."""
    stripped = text.strip()
    if not stripped:
        raise SelfcareError(Violation("email.empty"))
    if len(stripped) > _MAX_INPUT:
        raise SelfcareError(_too_long("address", MAX_ADDRESS_LENGTH))
    if not stripped.isascii():  # RFC 6532: internationalised addresses in NFC
        stripped = unicodedata.normalize("NFC", stripped)
        if unicodedata.normalize("NFKC", stripped) != stripped:
            raise SelfcareError(Violation("email.compatibility_character"))
    local, at, domain = stripped.rpartition("@")
    if not at or not _local_part_ok(local):
        raise SelfcareError(Violation("email.invalid_format"))
    found: list[Violation] = []
    if len(local.encode("utf-8", "surrogatepass")) > MAX_LOCAL_PART_LENGTH:
        found.append(_too_long("local_part", MAX_LOCAL_PART_LENGTH))
    encoded = _encode_domain(domain)
    if encoded is None:
        found.append(Violation("email.invalid_domain"))
        raise SelfcareError(*found)
    value = f"{local}@{encoded}"
    if not found and len(encoded) > MAX_DOMAIN_LENGTH:
        found.append(_too_long("domain", MAX_DOMAIN_LENGTH))
    if not found and len(value.encode("utf-8")) > MAX_ADDRESS_LENGTH:
        found.append(_too_long("address", MAX_ADDRESS_LENGTH))
    if found:
        raise SelfcareError(*found)
    return value


def _too_long(part: str, limit: int) -> Violation:
    return Violation("email.too_long", {"part": part, "max_length": limit})


def _check_email_value(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(cast("object", value), str):
        msg = f"EmailAddress.value must be str, not {type(value).__name__}"
        raise TypeError(msg)
    if _normalise_email(value) != value:
        raise SelfcareError(Violation("email.invalid_format"))


@final
@attrs.frozen(eq=False)
class EmailAddress:
    """A normalised e-mail address; equal to another when the case-folded forms are.

    Build one with :meth:`parse`. Constructing it directly requires the normalised
    form (that is how it is read back from storage).

    Attributes:
        value: the address as the user wrote it, with surrounding whitespace removed
            and the domain lower-cased and IDNA-encoded.
    """

    value: str = attrs.field(validator=_check_email_value)

    @classmethod
    def parse(cls, text: str) -> EmailAddress:
        """Parse and normalise an address typed by a user.

        Raises:
            SelfcareError: ``email.empty``, ``email.too_long`` (params ``part``:
                ``"local_part"`` over 64 octets, ``"domain"`` over 255 or ``"address"``
                over 254; ``max_length``: that limit), ``email.invalid_format``,
                ``email.compatibility_character`` or ``email.invalid_domain``.
            TypeError: ``text`` is not a ``str``.

        >>> EmailAddress.parse("anna@Äänekoski.FI").value
        'anna@xn--nekoski-4waa.fi'
        >>> EmailAddress.parse("anna.example.fi")
        Traceback (most recent call last):
        ...
        selfcare.core.errors.SelfcareError: The e-mail address is not valid; ...
        """
        if not isinstance(cast("object", text), str):
            msg = f"expected a str, not {type(text).__name__}"
            raise TypeError(msg)
        instance = object.__new__(cls)
        object.__setattr__(instance, "value", _normalise_email(text))
        return instance

    @property
    def canonical(self) -> str:
        """The lower-cased form, used for comparison and as a lookup key.

        Lower-casing, not full case folding: ``str.casefold`` turns ``ß`` into ``ss``
        and ``ς`` into ``σ``, which would make two different mailboxes one username.
        """
        return self.value.lower()

    @property
    def local_part(self) -> str:
        """The part before the ``@``."""
        return self.value.rpartition("@")[0]

    @property
    def domain(self) -> str:
        """The ASCII (IDNA) domain after the ``@``."""
        return self.value.rpartition("@")[2]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EmailAddress):
            return NotImplemented
        return self.canonical == other.canonical

    def __hash__(self) -> int:
        return hash(self.canonical)

    def __str__(self) -> str:
        return self.value


#: Regions whose national formats :meth:`PhoneNumber.parse` is documented for. Any
#: region libphonenumber knows is accepted as the ``region`` argument; numbers in
#: international format (``+46 70 ...``) are accepted whatever the region.
SMS_REGIONS: Final = ("FI", "SE", "NO", "DK")

_PHONE_CHARS: Final = frozenset("+-()./ \u00a0")
# E.164 numbers have at most 15 digits; allow generous punctuation around them.
_MAX_PHONE_INPUT: Final = 64


def _phone_region_ok(region: object) -> str | None:
    import phonenumbers  # noqa: PLC0415 - heavy, loaded on first use

    if not isinstance(region, str):
        return None
    upper = region.strip().upper()
    return upper if upper in phonenumbers.SUPPORTED_REGIONS else None


def _parse_phone(text: str, region: str) -> tuple[str, str]:
    """(E.164, region of the number) or raise SelfcareError."""
    import phonenumbers  # noqa: PLC0415 - heavy, loaded on first use

    stripped = text.strip()
    if not stripped:
        raise SelfcareError(Violation("phone.empty"))
    if len(stripped) > _MAX_PHONE_INPUT:
        raise SelfcareError(Violation("phone.invalid_format"))
    if not all(ch in _PHONE_CHARS or ch.isdecimal() for ch in stripped):
        # Letters (vanity numbers), extensions and control characters have no place in
        # a number that receives an SMS.
        raise SelfcareError(Violation("phone.invalid_format"))
    if "+" in stripped[1:]:
        raise SelfcareError(Violation("phone.invalid_format"))
    try:
        number = phonenumbers.parse(stripped, region)
    except phonenumbers.NumberParseException:
        raise SelfcareError(Violation("phone.invalid_format")) from None
    if not phonenumbers.is_valid_number(number):
        raise SelfcareError(Violation("phone.invalid_number"))
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    own_region = phonenumbers.region_code_for_number(number) or region
    return e164, own_region


def _check_e164(instance: PhoneNumber, _attribute: object, value: str) -> None:
    if not isinstance(cast("object", value), str):
        msg = f"PhoneNumber.e164 must be str, not {type(value).__name__}"
        raise TypeError(msg)
    if not value.startswith("+"):
        raise SelfcareError(Violation("phone.invalid_format"))
    e164, region = _parse_phone(value, "ZZ")
    if e164 != value or region != instance.region:
        raise SelfcareError(Violation("phone.invalid_format"))


@final
@attrs.frozen
class PhoneNumber:
    """A valid phone number in E.164 form with the region it belongs to.

    Build one with :meth:`parse`. Constructing it directly requires the E.164 form and
    the number's own region (that is how it is read back from storage).

    Attributes:
        region: the ISO 3166 region the number belongs to (``"FI"``; ``"AX"`` for
            Åland), which may differ from the region it was parsed in.
        e164: the number in E.164 form, e.g. ``+358401234567``.
    """

    region: str
    e164: str = attrs.field(validator=_check_e164)

    @classmethod
    def parse(cls, text: str, region: str = "FI") -> PhoneNumber:
        """Parse a number written in the national format of ``region`` or in
        international form (``+358 40 ...`` or ``00358 40 ...``).

        Raises:
            SelfcareError: ``phone.empty``, ``phone.invalid_format`` (letters, control
                characters, too long, not a number), ``phone.invalid_number`` (not in
                the numbering plan) or ``phone.unsupported_region`` (``region`` is not
                an ISO 3166 region code libphonenumber knows).
            TypeError: ``text`` is not a ``str``.

        >>> PhoneNumber.parse("070-123 45 67", "SE")
        PhoneNumber(region='SE', e164='+46701234567')
        >>> PhoneNumber.parse("+47 412 34 567").region
        'NO'
        """
        if not isinstance(cast("object", text), str):
            msg = f"expected a str, not {type(text).__name__}"
            raise TypeError(msg)
        known = _phone_region_ok(region)
        if known is None:
            raise SelfcareError(Violation("phone.unsupported_region"))
        e164, own_region = _parse_phone(text, known)
        instance = object.__new__(cls)
        object.__setattr__(instance, "region", own_region)
        object.__setattr__(instance, "e164", e164)
        return instance

    @property
    def is_mobile(self) -> bool:
        """Whether the numbering plan says this number can be a mobile phone.

        >>> PhoneNumber.parse("040 123 4567").is_mobile
        True
        >>> PhoneNumber.parse("09 123 4567").is_mobile
        False
        """
        import phonenumbers  # noqa: PLC0415 - heavy, loaded on first use

        kind = phonenumbers.number_type(phonenumbers.parse(self.e164, None))
        return kind in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )

    def __str__(self) -> str:
        return self.e164


def require_mobile(number: PhoneNumber) -> Decision:
    """Whether ``number`` may receive a one-time code by SMS: only mobile numbers can.

    Returns:
        An allowed decision, or a refusal with ``phone.not_mobile``.

    >>> require_mobile(PhoneNumber.parse("09 123 4567")).codes
    ('phone.not_mobile',)
    >>> bool(require_mobile(PhoneNumber.parse("040 123 4567")))
    True
    """
    if number.is_mobile:
        return Decision.allow()
    return Decision.deny(Violation("phone.not_mobile"))
