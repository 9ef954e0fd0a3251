"""Password hashing: the default :class:`ScryptHasher` behind the ``PasswordHasher`` port.

The hash is a self-describing string, so that a stored hash keeps working after the
parameters change and :meth:`ScryptHasher.needs_rehash` can tell when to upgrade it::

    scrypt$n=131072,r=8,p=1$<salt, base64>$<key, base64>

The defaults are OWASP's (Password Storage Cheat Sheet): ``N = 2**17``, ``r = 8``,
``p = 1`` - about 128 MiB and a few hundred milliseconds per hash. Every password gets
its own 16-byte random salt; verification compares in constant time. Tests and demos
pass cheaper parameters to the constructor.

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

__all__ = ["ScryptHasher"]

_PREFIX: Final = "scrypt"
# Parameters a stored hash may name before we refuse to run it: a hash string from the
# database must not make verification allocate gigabytes.
_MAX_N: Final = 2**20
_MAX_R: Final = 32
_MAX_P: Final = 16


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
        # n: a power of two up to 2**20; r, p: small positive; salt and key >= 16 bytes.
        bad = [
            name
            for name, ok in (
                ("n", 2 <= n <= _MAX_N and not n & (n - 1)),
                ("r", 1 <= r <= _MAX_R),
                ("p", 1 <= p <= _MAX_P),
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
        """Whether ``encoded`` was made with other parameters than this hasher's."""
        parsed = _parse(encoded)
        if parsed is None:
            return True
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
    if n < 2 or n & (n - 1) or n > _MAX_N or not (1 <= r <= _MAX_R and 1 <= p <= _MAX_P):
        return None
    if len(salt) < 8 or not 16 <= len(key) <= 128:
        return None
    return n, r, p, salt, key
