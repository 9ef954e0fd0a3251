"""Password hashing: the default :class:`ScryptHasher` behind the ``PasswordHasher`` port.

The hash is a self-describing string, so that a stored hash keeps working after the
parameters change and :meth:`ScryptHasher.needs_rehash` can tell when to upgrade it::

    scrypt$n=131072,r=8,p=1$<salt, base64>$<key, base64>

The defaults are OWASP's (Password Storage Cheat Sheet): ``N = 2**17``, ``r = 8``,
``p = 1`` - about 128 MiB and a few hundred milliseconds per hash. Every password gets
its own 16-byte random salt; verification compares in constant time. Tests and demos
pass cheaper parameters to the constructor.

A stored hash string is data, and data can be tampered with: one naming
``n=1048576,r=32`` would make verification allocate 4 GiB. Whatever the string says,
scrypt never runs with more than :data:`MAX_SCRYPT_MEMORY` (256 MiB: twice OWASP's
setting) or ``p`` above 16; a hash naming more never verifies, and nothing is
allocated for it. The constructor refuses such parameters too.

Upgrades never downgrade: :meth:`ScryptHasher.needs_rehash` is true only for a hash
that is weaker than the current parameters (less memory, fewer passes, a shorter salt
or key) or unreadable, and :meth:`ScryptHasher.exceeds_current` tells a hash stronger
than the current parameters, which is kept as it is.

>>> hasher = ScryptHasher(n=2**4)
>>> encoded = hasher.hash("correct horse battery staple")
>>> encoded.startswith("scrypt$n=16,r=8,p=1$")
True
>>> hasher.verify("correct horse battery staple", encoded)
True
>>> hasher.verify("Correct horse battery staple", encoded)
False
>>> ScryptHasher(n=2**5).needs_rehash(encoded)
True
>>> ScryptHasher(n=2**3).needs_rehash(encoded), ScryptHasher(n=2**3).exceeds_current(encoded)
(False, True)
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from typing import Final

from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.identity.password_normalize import HashNormalization, verification_candidates
from selfcare.identity.ports import PasswordHasher

__all__ = ["MAX_SCRYPT_MEMORY", "ScryptHasher", "matching_candidate"]

_PREFIX: Final = "scrypt"
#: The most memory scrypt may use for one hash (``128 * r * n`` bytes), whatever a
#: stored hash string names: 256 MiB, twice OWASP's ``n=2**17, r=8``.
MAX_SCRYPT_MEMORY: Final = 256 * 1024 * 1024
# Each parameter alone is bounded too, so that the product cannot overflow anything.
_MAX_N: Final = 2**20
_MAX_R: Final = 32
_MAX_P: Final = 16


def _within_caps(n: int, r: int, p: int) -> bool:
    """Whether scrypt may run with ``n``, ``r``, ``p`` (see :data:`MAX_SCRYPT_MEMORY`)."""
    return (
        2 <= n <= _MAX_N
        and not n & (n - 1)
        and 1 <= r <= _MAX_R
        and 1 <= p <= _MAX_P
        and 128 * r * n <= MAX_SCRYPT_MEMORY
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def _secret_bytes(password: str) -> bytes:
    if not isinstance(password, str):  # the annotation says str; callers may not obey
        msg = f"a password must be str, not {type(password).__name__}"  # type: ignore[unreachable]
        raise TypeError(msg)
    # "surrogatepass" so that a lone surrogate typed into a form hashes instead of raising.
    return password.encode("utf-8", "surrogatepass")


class ScryptHasher:
    """``hashlib.scrypt`` with a per-password salt and a self-describing hash string.

    Args:
        n: CPU/memory cost, a power of two (OWASP: ``2**17``).
        r: block size (OWASP: 8).
        p: parallelism (OWASP: 1).
        salt_bytes: length of the random salt.
        key_bytes: length of the derived key.

    Raises:
        SelfcareError: ``config.invalid_setting`` for parameters scrypt cannot use.
    """

    def __init__(
        self,
        *,
        n: int = 2**17,
        r: int = 8,
        p: int = 1,
        salt_bytes: int = 16,
        key_bytes: int = 32,
    ) -> None:
        # n: a power of two; n, r, p within the caps; salt and key >= 16 bytes.
        n_ok, r_ok = 2 <= n <= _MAX_N and not n & (n - 1), 1 <= r <= _MAX_R
        bad = [
            name
            for name, ok in (
                ("n", n_ok),
                ("r", r_ok),
                ("p", 1 <= p <= _MAX_P),
                ("memory", not (n_ok and r_ok) or _within_caps(n, r, 1)),
                ("salt_bytes", salt_bytes >= 16),
                ("key_bytes", key_bytes >= 16),
            )
            if not ok
        ]
        if bad:
            raise SelfcareError(
                *(Violation("config.invalid_setting", {"setting": name}) for name in bad)
            )
        self.n: int = n
        self.r: int = r
        self.p: int = p
        self.salt_bytes: int = salt_bytes
        self.key_bytes: int = key_bytes

    def __repr__(self) -> str:
        return f"ScryptHasher(n={self.n}, r={self.r}, p={self.p})"

    @staticmethod
    def _derive(password: str, salt: bytes, *, n: int, r: int, p: int, size: int) -> bytes:
        # scrypt needs 128 * r * (n + p + 2) bytes; hashlib's default ceiling is 32 MiB.
        maxmem = 128 * r * (n + p + 2) + 1024 * 1024
        return hashlib.scrypt(
            _secret_bytes(password), salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=size
        )

    def hash(self, password: str) -> str:
        """The encoded hash of ``password`` with a fresh random salt."""
        salt = os.urandom(self.salt_bytes)
        key = self._derive(password, salt, n=self.n, r=self.r, p=self.p, size=self.key_bytes)
        return f"{_PREFIX}$n={self.n},r={self.r},p={self.p}${_b64(salt)}${_b64(key)}"

    def verify(self, password: str, encoded: str) -> bool:
        """Whether ``password`` matches ``encoded`` (constant-time comparison).

        A malformed or foreign hash string is simply not a match.
        """
        parsed = _parse(encoded)
        if parsed is None:
            return False
        n, r, p, salt, key = parsed
        candidate = self._derive(password, salt, n=n, r=r, p=p, size=len(key))
        return hmac.compare_digest(candidate, key)

    def needs_rehash(self, encoded: str) -> bool:
        """Whether ``encoded`` is weaker than this hasher's parameters in any of them
        (``n``, ``r``, ``p``, salt or key length) or unreadable: a hash to upgrade.

        A hash as strong or stronger in every parameter is kept (never downgraded).
        """
        parsed = _parse(encoded)
        if parsed is None:
            return True
        n, r, p, salt, key = parsed
        return (
            n < self.n
            or r < self.r
            or p < self.p
            or len(salt) < self.salt_bytes
            or len(key) < self.key_bytes
        )

    def exceeds_current(self, encoded: str) -> bool:
        """Whether ``encoded`` is readable, not weaker in any parameter and stronger in
        one: replacing it by a hash with this hasher's parameters would downgrade it."""
        parsed = _parse(encoded)
        if parsed is None or self.needs_rehash(encoded):
            return False
        n, r, p, salt, key = parsed
        return (n, r, p, len(salt), len(key)) != (
            self.n,
            self.r,
            self.p,
            self.salt_bytes,
            self.key_bytes,
        )


def _parse(encoded: object) -> tuple[int, int, int, bytes, bytes] | None:
    if not isinstance(encoded, str) or len(encoded) > 512:
        return None
    parts = encoded.split("$")
    if len(parts) != 4 or parts[0] != _PREFIX:
        return None
    try:
        params = dict(item.split("=", 1) for item in parts[1].split(","))
        if set(params) != {"n", "r", "p"} or not all(v.isascii() for v in params.values()):
            return None
        n, r, p = int(params["n"]), int(params["r"]), int(params["p"])
        salt, key = _unb64(parts[2]), _unb64(parts[3])
    except (ValueError, binascii.Error):
        return None
    if not _within_caps(n, r, p):
        return None
    if len(salt) < 8 or not 16 <= len(key) <= 128:
        return None
    return n, r, p, salt, key


def matching_candidate(
    hasher: PasswordHasher, password: str, encoded: str, form: HashNormalization
) -> str | None:
    """The form of ``password`` that verifies against ``encoded`` - normalised to
    ``form`` first, then as typed (a hash made before normalisation was switched on) -
    or ``None`` when neither does. Every candidate is verified, so the time taken
    depends only on ``password``, never on which one matched.

    >>> hasher = ScryptHasher(n=2**4)
    >>> legacy = hasher.hash("kesa\u0308")  # stored as typed, in NFD
    >>> matching_candidate(hasher, "kesa\u0308", legacy, "NFC") == "kesa\u0308"
    True
    >>> matching_candidate(hasher, "kes\u00e4", hasher.hash("kes\u00e4"), "NFC") == "kes\u00e4"
    True
    >>> matching_candidate(hasher, "wrong", legacy, "NFC") is None
    True
    """
    found: str | None = None
    for candidate in verification_candidates(password, form):
        if hasher.verify(candidate, encoded) and found is None:
            found = candidate
    return found
