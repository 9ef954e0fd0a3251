"""National identity codes at rest: a keyed hash to find them, a sealed form to keep them.

A database dump must not show a national identity code in clear (the Finnish code is
sensitive personal data, DESIGN.md "Privacy"). Storage adapters therefore hold two
derived forms instead of the code, both computed with an operator key
(:class:`NationalIdKey`, at least 32 random bytes kept outside the database, e.g. in
the secret store of the deployment):

- :meth:`NationalIdKey.lookup_hash` - HMAC-SHA256 of ``country:compact``, hex. It is the
  only form a table indexes or compares: "is there an account for this person?" is
  answered by hashing the code the user proved and looking the hash up. Without the
  key the hash cannot be recomputed, so the small space of valid codes (a few million
  per birth date range) cannot be searched from a stolen dump.
- :meth:`NationalIdKey.seal` - the code encrypted deterministically and authenticated
  (an SIV construction over HMAC-SHA256: the synthetic IV is a MAC of the code, the
  key stream HMAC-SHA256 in counter mode, keys derived from the operator key for each
  purpose). Stored in place of the clear code inside an entity's document, so that the
  entity can be read back whole; :meth:`NationalIdKey.unseal` refuses anything that was
  not sealed under the same key.

Where the clear value is still needed: the ports that talk to the outside world -
:class:`~selfcare.identity.ports.CustomerDirectory` (the operator's customer system
matches customers by the code) and the identification that produced it. Inside the
library the code lives in :class:`~selfcare.identity.national_id.NationalId`, which
shows only the masked form in ``repr`` and ``str``.

>>> from datetime import date
>>> from selfcare.identity.national_id import parse_national_id
>>> key = NationalIdKey(bytes(range(32)))
>>> hetu = parse_national_id("131052-308T", "FI", today=date(2026, 1, 1))
>>> digest = key.lookup_hash(hetu)
>>> len(digest), "131052" in digest
(64, False)
>>> sealed = key.seal(hetu)
>>> "131052" in sealed, key.unseal(sealed) == hetu
(False, True)
>>> key
NationalIdKey(<secret>)
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from typing import Final, final

from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.identity.national_id import Country, NationalId

__all__ = ["MIN_KEY_BYTES", "SEALED_PREFIX", "NationalIdKey"]

#: The shortest operator key accepted (256 bits).
MIN_KEY_BYTES: Final = 32
#: Every sealed value starts with this tag (the format version).
SEALED_PREFIX: Final = "nid1:"
_IV_BYTES: Final = 16
_MAX_SEALED: Final = 256


def _derive(key: bytes, purpose: bytes) -> bytes:
    return hmac.new(key, b"selfcare/national-id/" + purpose, hashlib.sha256).digest()


def _plain(national_id: NationalId) -> bytes:
    return f"{national_id.country.value}:{national_id.compact}".encode("ascii")


@final
class NationalIdKey:
    """The operator key for national identity codes at rest (never in ``repr``).

    Args:
        key: at least :data:`MIN_KEY_BYTES` random bytes. Losing it makes sealed codes
            unreadable and hashes unmatchable; changing it needs a re-hash of every
            stored code, so keep it like a database encryption key.

    Raises:
        TypeError: ``key`` is not ``bytes``, or shorter than :data:`MIN_KEY_BYTES`
            (a deployment error, not user input).
    """

    __slots__ = ("_enc", "_lookup", "_siv")

    def __init__(self, key: bytes) -> None:
        if not isinstance(key, bytes | bytearray) or len(key) < MIN_KEY_BYTES:
            msg = f"the national id key must be at least {MIN_KEY_BYTES} bytes"
            raise TypeError(msg)
        raw = bytes(key)
        self._lookup = _derive(raw, b"lookup")
        self._siv = _derive(raw, b"siv")
        self._enc = _derive(raw, b"enc")

    def __repr__(self) -> str:
        return "NationalIdKey(<secret>)"

    def lookup_hash(self, national_id: NationalId) -> str:
        """The keyed hash (HMAC-SHA256, 64 hex digits) to index and find the code by.

        The same person always gets the same hash under one key; the country is part
        of the hashed value, so equal digits of two countries never collide.
        """
        return hmac.new(self._lookup, _plain(national_id), hashlib.sha256).hexdigest()

    def _stream(self, iv: bytes, length: int) -> bytes:
        blocks = bytearray()
        counter = 0
        while len(blocks) < length:
            blocks += hmac.new(self._enc, iv + counter.to_bytes(4, "big"), hashlib.sha256).digest()
            counter += 1
        return bytes(blocks[:length])

    def seal(self, national_id: NationalId) -> str:
        """The code encrypted and authenticated under this key, as ASCII text.

        Deterministic: the same code seals to the same text (equality is already
        visible through :meth:`lookup_hash`), so sealing needs no random source.
        """
        plain = _plain(national_id)
        iv = hmac.new(self._siv, plain, hashlib.sha256).digest()[:_IV_BYTES]
        cipher = bytes(a ^ b for a, b in zip(plain, self._stream(iv, len(plain)), strict=True))
        return SEALED_PREFIX + base64.urlsafe_b64encode(iv + cipher).decode("ascii")

    def unseal(self, sealed: str) -> NationalId:
        """The code that :meth:`seal` turned into ``sealed``.

        Raises:
            SelfcareError: ``national_id.sealed_invalid`` when ``sealed`` is malformed,
                was altered, or was sealed under another key.
        """
        refused = SelfcareError(Violation("national_id.sealed_invalid"))
        if (
            not isinstance(sealed, str)
            or len(sealed) > _MAX_SEALED
            or not sealed.startswith(SEALED_PREFIX)
        ):
            raise refused
        try:
            raw = base64.urlsafe_b64decode(sealed[len(SEALED_PREFIX) :].encode("ascii"))
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raise refused from None
        iv, cipher = raw[:_IV_BYTES], raw[_IV_BYTES:]
        if len(iv) != _IV_BYTES or not cipher:
            raise refused
        plain = bytes(a ^ b for a, b in zip(cipher, self._stream(iv, len(cipher)), strict=True))
        expected = hmac.new(self._siv, plain, hashlib.sha256).digest()[:_IV_BYTES]
        if not hmac.compare_digest(expected, iv):
            raise refused
        country, _, compact = plain.decode("ascii").partition(":")
        return NationalId(Country(country), compact)
