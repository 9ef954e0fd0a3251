"""National identity codes at rest: a keyed hash to find them, a sealed form to keep them.

A database dump must not show a national identity code in clear (the Finnish code is
sensitive personal data, DESIGN.md "Privacy"). Storage adapters therefore hold two
derived forms instead of the code, both computed with operator keys
(:class:`NationalIdKey`, at least 32 random bytes kept outside the database, e.g. in
the secret store of the deployment):

- :meth:`NationalIdKeyRing.lookup_hash` - HMAC-SHA256 of ``country:compact``, hex. It is
  the only form a table indexes or compares: "is there an account for this person?" is
  answered by hashing the code the user proved and looking the hash up. Without the
  key the hash cannot be recomputed, so the small space of valid codes (a few million
  per birth date range) cannot be searched from a stolen dump.
- :meth:`NationalIdKeyRing.seal` - the code encrypted and authenticated with AES-SIV
  (RFC 5297, from the ``cryptography`` package), stored in place of the clear code
  inside an entity's document so that the entity can be read back whole. The
  associated data binds the sealed value to where it is kept - the table, the row (the
  entity's id) and the field - so a sealed value copied into another row or field does
  not unseal there (and cannot make someone else's code appear in a person's GDPR
  export). The plain code is padded to one length, so the sealed form does not tell
  the country. Its text is ``nid2:<key id>:<base64url>``: one spelling only (no
  padding, no other alphabet, no spaces), and the id of the key that sealed it.

Keys and rotation. A :class:`NationalIdKeyRing` holds the keys by id: new seals use its
``current`` key; a value sealed under a ``retired`` key still unseals. To rotate, give
the ring a new current key and keep the old one as retired, then re-seal what the old
key sealed (``reseal_national_ids()`` of the SQLite and PostgreSQL identity units of
work rewrites exactly those rows) and drop the old key once it reports 0. The lookup
hash is keyed separately (the ring's ``lookup`` key, by default the current key of the
first ring) and does not change when the sealing key does, so that the unique index on
it stays valid; a new lookup key means recomputing every hash, which
``reseal_national_ids(rehash=True)`` does in a maintenance window.

A single :class:`NationalIdKey` is a ring of one key (:meth:`NationalIdKeyRing.of`).

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
>>> where = SealedAt("identity_accounts", "account-1", "national_id")
>>> sealed = key.seal(hetu, where)
>>> sealed.startswith("nid2:1:"), "131052" in sealed, key.unseal(sealed, where) == hetu
(True, False, True)
>>> key.unseal(sealed, SealedAt("identity_accounts", "account-2", "national_id"))
Traceback (most recent call last):
...
selfcare.core.errors.SelfcareError: The stored identity code cannot be read: ...
>>> key
NationalIdKey(<secret>, key_id='1')
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Iterable
from typing import Final, final

import attrs
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.identity.national_id import Country, NationalId

__all__ = [
    "MIN_KEY_BYTES",
    "SEALED_PREFIX",
    "SEALED_SECRET_PREFIX",
    "NationalIdKey",
    "NationalIdKeyRing",
    "SealedAt",
]

#: The shortest operator key accepted (256 bits).
MIN_KEY_BYTES: Final = 32
#: Every sealed value starts with this tag (the format version).
SEALED_PREFIX: Final = "nid2:"
#: The plain value is padded to this many bytes (one length byte, then the code).
_PADDED: Final = 32
#: ``nid2:`` + key id + ``:`` + base64url of the 16-byte SIV and the 32 padded bytes
#: (64 characters, no padding).
_SEALED = re.compile(r"nid2:([A-Za-z0-9_-]{1,32}):([A-Za-z0-9_-]{64})")
_KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
_HEADER: Final = b"selfcare/national-id/v2"
#: Other secrets sealed under the same keys (a TOTP secret): ``sec1:`` + key id + ``:``
#: + base64url, of any length; their own header keeps them apart from identity codes.
SEALED_SECRET_PREFIX: Final = "sec1:"  # noqa: S105 - a format tag, not a secret
_SEALED_SECRET = re.compile(r"sec1:([A-Za-z0-9_-]{1,32}):([A-Za-z0-9_-]{22,2800})")
_SECRET_HEADER: Final = b"selfcare/secret/v1"
_MAX_SECRET: Final = 2048


@final
@attrs.frozen
class SealedAt:
    """Where a sealed value is kept: its associated data.

    Attributes:
        table: the table (``identity_accounts``).
        row: the id of the entity the value belongs to.
        field: the field of the entity (``national_id``).
    """

    table: str
    row: str
    field: str

    def associated_data(self, key_id: str) -> list[bytes]:
        """The AES-SIV associated data: one component each, so none can run into the
        next."""
        return [_HEADER, key_id.encode(), *(part.encode() for part in attrs.astuple(self))]

    def secret_data(self, key_id: str) -> list[bytes]:
        """The associated data of another secret (:meth:`NationalIdKey.seal_secret`)."""
        return [_SECRET_HEADER, key_id.encode(), *(p.encode() for p in attrs.astuple(self))]


def _plain(national_id: NationalId) -> bytes:
    return f"{national_id.country.value}:{national_id.compact}".encode("ascii")


def _padded(national_id: NationalId) -> bytes:
    plain = _plain(national_id)
    if len(plain) >= _PADDED:  # pragma: no cover - no supported format is this long
        msg = "a national identity code longer than the padded length"
        raise ValueError(msg)
    return bytes([len(plain)]) + plain + bytes(_PADDED - 1 - len(plain))


def _unpadded(padded: bytes) -> NationalId:
    length = padded[0]
    if not 0 < length < _PADDED or any(padded[1 + length :]):
        raise _refused()
    # Only a holder of the key could seal anything else; it is still refused as a seal.
    try:
        country, _, compact = padded[1 : 1 + length].decode("ascii").partition(":")
        return NationalId(Country(country), compact)
    except (ValueError, SelfcareError):
        raise _refused() from None


def _refused() -> SelfcareError:
    return SelfcareError(Violation("national_id.sealed_invalid"))


@final
class NationalIdKey:
    """One operator key for national identity codes at rest (never in ``repr``).

    Args:
        key: at least :data:`MIN_KEY_BYTES` random bytes. Losing it makes what it
            sealed unreadable and its hashes unmatchable; keep it like a database
            encryption key, outside the database.
        key_id: the short name written into every value it seals (letters, digits,
            ``-`` and ``_``, at most 32), so that a ring finds the key to unseal with.

    Raises:
        TypeError: ``key`` is not ``bytes`` or shorter than :data:`MIN_KEY_BYTES`, or
            ``key_id`` is not a short name (a deployment error, not user input).
    """

    __slots__ = ("_lookup", "_siv", "key_id")

    def __init__(self, key: bytes, *, key_id: str = "1") -> None:
        if not isinstance(key, bytes | bytearray) or len(key) < MIN_KEY_BYTES:
            msg = f"the national id key must be at least {MIN_KEY_BYTES} bytes"
            raise TypeError(msg)
        if not isinstance(key_id, str) or not _KEY_ID.fullmatch(key_id):
            msg = "the key id must be 1-32 letters, digits, '-' or '_'"
            raise TypeError(msg)
        raw = bytes(key)
        self.key_id: str = key_id
        # The lookup key is derived as in 0.1, so the hashes stay the same.
        self._lookup = hmac.new(raw, b"selfcare/national-id/lookup", hashlib.sha256).digest()
        siv_key = HKDF(
            algorithm=hashes.SHA256(), length=64, salt=None, info=b"selfcare/national-id/siv"
        ).derive(raw)
        self._siv = AESSIV(siv_key)

    def __repr__(self) -> str:
        return f"NationalIdKey(<secret>, key_id={self.key_id!r})"

    def lookup_hash(self, national_id: NationalId) -> str:
        """The keyed hash (HMAC-SHA256, 64 hex digits) to index and find the code by.

        The same person always gets the same hash under one key; the country is part
        of the hashed value, so equal digits of two countries never collide.
        """
        return hmac.new(self._lookup, _plain(national_id), hashlib.sha256).hexdigest()

    def seal(self, national_id: NationalId, where: SealedAt) -> str:
        """The code encrypted and authenticated under this key for ``where``.

        Deterministic (SIV): the same code at the same place seals to the same text,
        so sealing needs no random source; equality is already visible through
        :meth:`lookup_hash`.
        """
        sealed = self._siv.encrypt(_padded(national_id), where.associated_data(self.key_id))
        text = base64.urlsafe_b64encode(sealed).rstrip(b"=").decode("ascii")
        return f"{SEALED_PREFIX}{self.key_id}:{text}"

    def unseal(self, sealed: str, where: SealedAt) -> NationalId:
        """The code that :meth:`seal` sealed for ``where`` (see
        :meth:`NationalIdKeyRing.unseal`)."""
        return NationalIdKeyRing.of(self).unseal(sealed, where)

    def seal_secret(self, secret: str, where: SealedAt) -> str:
        """Another secret of 1 to 2048 bytes (a TOTP secret) sealed for ``where``,
        as ``sec1:<key id>:<base64url>``; :meth:`NationalIdKeyRing.unseal_secret`
        opens it.

        Raises:
            TypeError: ``secret`` is not a string of 1 to 2048 UTF-8 bytes.
        """
        plain = secret.encode("utf-8") if isinstance(secret, str) else None
        if not plain or len(plain) > _MAX_SECRET:
            msg = "a sealed secret is a string of 1 to 2048 bytes"
            raise TypeError(msg)
        sealed = self._siv.encrypt(plain, where.secret_data(self.key_id))
        text = base64.urlsafe_b64encode(sealed).rstrip(b"=").decode("ascii")
        return f"{SEALED_SECRET_PREFIX}{self.key_id}:{text}"

    def _open_secret(self, raw: bytes, where: SealedAt) -> str:
        try:
            plain = self._siv.decrypt(raw, where.secret_data(self.key_id))
        except InvalidTag:
            raise SelfcareError(Violation("secret.sealed_invalid")) from None
        return plain.decode("utf-8")

    def _open(self, raw: bytes, where: SealedAt) -> NationalId:
        try:
            padded = self._siv.decrypt(raw, where.associated_data(self.key_id))
        except InvalidTag:
            raise _refused() from None
        return _unpadded(padded)


@final
class NationalIdKeyRing:
    """The operator's national identity code keys, by id.

    Args:
        current: the key new values are sealed with.
        retired: older keys; what they sealed still unseals (until re-sealed).
        lookup: the key of :meth:`lookup_hash` (``current`` when not given). Keep it
            when rotating the sealing key, or every stored hash stops matching.

    Raises:
        TypeError: two keys share an id.
    """

    __slots__ = ("_keys", "_lookup", "current")

    def __init__(
        self,
        current: NationalIdKey,
        *,
        retired: Iterable[NationalIdKey] = (),
        lookup: NationalIdKey | None = None,
    ) -> None:
        keys = [current, *retired]
        self._keys: dict[str, NationalIdKey] = {key.key_id: key for key in keys}
        if len(self._keys) != len(keys):
            msg = "two national id keys share an id"
            raise TypeError(msg)
        self.current: NationalIdKey = current
        self._lookup: NationalIdKey = lookup if lookup is not None else current

    @classmethod
    def of(cls, keys: NationalIdKey | NationalIdKeyRing) -> NationalIdKeyRing:
        """``keys`` as a ring (a single key is a ring of one)."""
        return keys if isinstance(keys, NationalIdKeyRing) else cls(keys)

    def __repr__(self) -> str:
        return f"NationalIdKeyRing(current={self.current.key_id!r}, keys={sorted(self._keys)!r})"

    def lookup_hash(self, national_id: NationalId) -> str:
        """The keyed hash of ``national_id`` under the lookup key (see
        :meth:`NationalIdKey.lookup_hash`)."""
        return self._lookup.lookup_hash(national_id)

    def seal(self, national_id: NationalId, where: SealedAt) -> str:
        """``national_id`` sealed for ``where`` under the current key."""
        return self.current.seal(national_id, where)

    def key_id_of(self, sealed: str) -> str:
        """The id of the key that sealed ``sealed``.

        Raises:
            SelfcareError: ``national_id.sealed_invalid`` when ``sealed`` is not in
                the sealed form.
        """
        match = _SEALED.fullmatch(sealed) if isinstance(sealed, str) else None
        if match is None:
            raise _refused()
        return match.group(1)

    def is_current(self, sealed: str) -> bool:
        """Whether ``sealed`` was sealed under the current key (a re-seal would leave
        it as it is)."""
        return self.key_id_of(sealed) == self.current.key_id

    def unseal(self, sealed: str, where: SealedAt) -> NationalId:
        """The code sealed as ``sealed`` for ``where``, under any key of the ring.

        Raises:
            SelfcareError: ``national_id.sealed_invalid`` when ``sealed`` is
                malformed or spelled otherwise than :meth:`seal` writes it, was
                altered, was sealed for another table, row or field, or under a key
                not in the ring.
        """
        match = _SEALED.fullmatch(sealed) if isinstance(sealed, str) else None
        if match is None:
            raise _refused()
        key = self._keys.get(match.group(1))
        if key is None:
            raise _refused()
        # 64 characters of the base64url alphabet are exactly 48 bytes: the pattern
        # leaves one spelling (no padding, no unused bits, no other alphabet).
        raw = base64.urlsafe_b64decode(match.group(2))
        return key._open(raw, where)

    def seal_secret(self, secret: str, where: SealedAt) -> str:
        """``secret`` sealed for ``where`` under the current key (see
        :meth:`NationalIdKey.seal_secret`)."""
        return self.current.seal_secret(secret, where)

    def unseal_secret(self, sealed: str, where: SealedAt) -> str:
        """The secret sealed as ``sealed`` for ``where``, under any key of the ring.

        Raises:
            SelfcareError: ``secret.sealed_invalid`` when ``sealed`` is malformed,
                was altered, was sealed for another place or under a key not in the
                ring.
        """
        match = _SEALED_SECRET.fullmatch(sealed) if isinstance(sealed, str) else None
        key = self._keys.get(match.group(1)) if match is not None else None
        if match is None or key is None:
            raise SelfcareError(Violation("secret.sealed_invalid"))
        text = match.group(2)
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != text:
            raise SelfcareError(Violation("secret.sealed_invalid"))  # one spelling only
        return key._open_secret(raw, where)
