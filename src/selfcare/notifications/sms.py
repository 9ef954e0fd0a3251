"""How long an SMS is: GSM 03.38 septets or UCS-2 code units, and how many segments.

An SMS carries 140 octets: 160 characters of the GSM 7-bit default alphabet (3GPP TS
23.038, "GSM 03.38"), or 70 UTF-16 code units when any character is outside it. A
longer text is split into concatenated segments, each losing room to the
concatenation header: 153 septets or 67 code units. Characters of the GSM extension
table (``€ [ ] { } \\ ^ ~ |`` and form feed) take two septets (an escape and the
character), and a segment never splits such a pair - nor a surrogate pair in UCS-2.

The Nordic letters ``ä ö å æ ø Ä Ö Å Æ Ø`` are in the basic set, so Finnish,
Swedish and Norwegian texts stay GSM-7; one emoji or a typographic quote makes the
whole message UCS-2.

>>> sms_size("Koodisi on 123456.")
SmsSize(encoding=<SmsEncoding.GSM7: 'gsm7'>, units=18, segments=1)
>>> sms_size("x" * 161).segments
2
>>> sms_size("5 €").units
4
>>> sms_size("Hei 👋").encoding
<SmsEncoding.UCS2: 'ucs2'>

The last line of a one-time-code SMS binds the code to the site that asked for it
(the origin-bound one-time code format, which the WebOTP API and the phones' autofill
read):

>>> origin_bound_line("portal.example.fi", "123456")
'@portal.example.fi #123456'
"""

from __future__ import annotations

import enum
from typing import Final, final

import attrs

__all__ = [
    "GSM7_BASIC",
    "GSM7_EXTENSION",
    "SmsEncoding",
    "SmsSize",
    "is_gsm7",
    "origin_bound_line",
    "sms_size",
]

#: The GSM 03.38 default alphabet (basic character set), without the escape code.
GSM7_BASIC: Final = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)

#: The GSM 03.38 extension table: each character costs an escape septet and its own.
GSM7_EXTENSION: Final = frozenset("\f^{}\\[~]|€")

_SINGLE: Final = {"gsm7": 160, "ucs2": 70}
_CONCATENATED: Final = {"gsm7": 153, "ucs2": 67}


class SmsEncoding(enum.StrEnum):
    """The data coding of an SMS."""

    GSM7 = "gsm7"
    UCS2 = "ucs2"


@final
@attrs.frozen(kw_only=True)
class SmsSize:
    """The size of an SMS text.

    Attributes:
        encoding: GSM-7 when every character is in GSM 03.38, else UCS-2.
        units: septets (GSM-7; extension characters count two) or UTF-16 code units
            (UCS-2; a character outside the Basic Multilingual Plane counts two).
        segments: how many SMS the text is sent as (an empty text is still one).
    """

    encoding: SmsEncoding
    units: int = attrs.field(validator=attrs.validators.ge(0))
    segments: int = attrs.field(validator=attrs.validators.ge(1))


def is_gsm7(text: str) -> bool:
    """Whether every character of ``text`` is in the GSM 03.38 alphabet (basic or
    extension table).

    >>> is_gsm7("Vahvistuskoodi: 123456. Älä kerro sitä kenellekään."), is_gsm7("“quoted”")
    (True, False)
    """
    return all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text)


def _costs(text: str, encoding: SmsEncoding) -> list[int]:
    """The units each character takes; characters that cannot be split are one item."""
    if encoding is SmsEncoding.GSM7:
        return [2 if c in GSM7_EXTENSION else 1 for c in text]
    return [2 if ord(c) > 0xFFFF else 1 for c in text]


def _segments(costs: list[int], room: int) -> int:
    """Segments needed when items are packed in order, none split across segments."""
    segments, used = 1, 0
    for cost in costs:
        if used + cost > room:
            segments, used = segments + 1, 0
        used += cost
    return segments


def sms_size(text: str) -> SmsSize:
    """The encoding, length in units and number of segments of ``text`` as one SMS.

    >>> sms_size("a" * 160).segments, sms_size("a" * 161).segments
    (1, 2)
    >>> sms_size("[" * 80).units, sms_size("[" * 80).segments
    (160, 1)
    >>> sms_size("ä" * 70 + "😀").segments
    2
    """
    if not isinstance(text, str):
        raise TypeError(f"an SMS text is a str, not {type(text).__name__}")
    encoding = SmsEncoding.GSM7 if is_gsm7(text) else SmsEncoding.UCS2
    costs = _costs(text, encoding)
    units = sum(costs)
    if units <= _SINGLE[encoding.value]:
        return SmsSize(encoding=encoding, units=units, segments=1)
    return SmsSize(
        encoding=encoding, units=units, segments=_segments(costs, _CONCATENATED[encoding.value])
    )


def origin_bound_line(domain: str, code: str) -> str:
    """The origin-bound one-time code line ``@domain #code`` (WICG "Origin-bound
    one-time codes delivered via SMS"); it must be the last line of the SMS.

    Raises:
        ValueError: ``domain`` or ``code`` is empty or contains a space, ``#`` or ``@``.
    """
    for name, value in (("domain", domain), ("code", code)):
        if not value or any(c.isspace() or c in "#@" for c in value):
            raise ValueError(f"{name} of an origin-bound line must be one word")
    return f"@{domain} #{code}"
