"""Breached passwords: is a new password in a corpus of leaked ones?

NIST SP 800-63B-4 asks verifiers to compare a new password with "passwords obtained
from previous breach corpuses". The rule, :func:`check_breached`, asks a
:class:`BreachedPasswords` port how often the password's SHA-1 was seen, and applies
the operator's :attr:`~selfcare.identity.password.PasswordPolicy.breached_check`:

- ``"off"``: no lookup;
- ``"required"``: a password seen at least once is refused (``password.breached``,
  with the count); when the source cannot answer, the password is refused with
  ``password.breach_check_unavailable`` (kind *unavailable*: try again later);
- ``"best_effort"``: the same, except that an unreachable source lets the password
  through (the other rules still apply).

Two adapters:

- :class:`PwnedPasswordsRange`: Have I Been Pwned's range API with k-anonymity: only
  the first five hex characters of the SHA-1 leave the machine; the service answers
  every suffix with that prefix, and the match is made here. ``Add-Padding: true``
  asks for padded answers (dummy suffixes with count 0, ignored) so that the size of
  the answer does not tell an observer the prefix. HTTPS only (plain HTTP is allowed
  to a loopback address, for tests), a timeout, a cap on the answer's size, and every
  failure (network, timeout, HTTP status, malformed answer) reported as
  :class:`~selfcare.core.errors.StorageUnavailable`.
- :class:`Sha1FileBreachedPasswords`: a local file of upper-case SHA-1 hashes, one per
  line, optionally ``:count`` after each, sorted - the format of HIBP's downloadable
  corpus. Looked up by binary search on the file, so a 40 GB file costs some thirty
  reads and no memory.

The digest is of the password in NFC (:func:`breach_digest`), the form in which people
type and breach corpora store accented letters.

>>> source = InMemoryBreachedPasswords({breach_digest("Summer2025!"): 87})
>>> check_breached("Summer2025!", source, "required").messages()[0][:43]
'This password has appeared 87 times in data'
>>> bool(check_breached("violin-otter-Kesä", source, "required"))
True
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Final, Protocol, cast

from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import SelfcareError, StorageUnavailable
from selfcare.identity.password import BreachedCheck

__all__ = [
    "HIBP_RANGE_URL",
    "BreachedPasswords",
    "InMemoryBreachedPasswords",
    "PwnedPasswordsRange",
    "Sha1FileBreachedPasswords",
    "breach_digest",
    "check_breached",
]

#: Have I Been Pwned's range endpoint; the 5-character prefix is appended.
HIBP_RANGE_URL: Final = "https://api.pwnedpasswords.com/range/"
_HEX: Final = frozenset("0123456789ABCDEF")
# A padded answer has 800-1 000 lines of 40 bytes; anything far larger is not HIBP's.
_MAX_ANSWER: Final = 1 << 20


class BreachedPasswords(Protocol):
    """Where breached passwords are looked up (the port :func:`check_breached` uses)."""

    def times_seen(self, sha1_hex: str) -> int:
        """How often the password with this SHA-1 (40 upper-case hex characters) was
        seen in breaches; 0 when never.

        Raises:
            StorageUnavailable: the source cannot answer now.
        """
        ...


def breach_digest(password: str) -> str:
    """The upper-case hex SHA-1 of ``password`` in NFC, UTF-8 (what HIBP indexes).

    SHA-1 is the lookup key of the corpora, not a way of storing the password.

    >>> breach_digest("password")
    '5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8'
    """
    if not isinstance(cast("object", password), str):
        msg = f"the password must be a str, not {type(password).__name__}"
        raise TypeError(msg)
    data = unicodedata.normalize("NFC", password).encode("utf-8", "surrogatepass")
    return hashlib.sha1(data, usedforsecurity=False).hexdigest().upper()


def _check_digest(sha1_hex: str) -> str:
    digest = sha1_hex.upper() if isinstance(cast("object", sha1_hex), str) else ""
    if len(digest) != 40 or not _HEX.issuperset(digest):
        raise SelfcareError(Violation("config.invalid_setting", {"setting": "sha1_hex"}))
    return digest


def check_breached(password: str, source: BreachedPasswords, mode: BreachedCheck) -> Decision:
    """Look ``password`` up in ``source`` as ``mode`` says (see the module).

    Args:
        password: the new password.
        source: the breach corpus.
        mode: the policy's ``breached_check``: ``"off"``, ``"required"`` or
            ``"best_effort"``.

    Returns:
        An allowed decision, or a refusal with ``password.breached`` (``count``) or
        ``password.breach_check_unavailable`` (``"required"`` only).
    """
    if mode == "off":
        return Decision.allow()
    try:
        count = source.times_seen(breach_digest(password))
    except StorageUnavailable:
        if mode == "required":
            return Decision.deny(Violation("password.breach_check_unavailable"))
        return Decision.allow()
    if count > 0:
        return Decision.deny(Violation("password.breached", {"count": count}))
    return Decision.allow()


class InMemoryBreachedPasswords:
    """A dict of SHA-1 -> count: for tests, and for a small operator list."""

    def __init__(self, counts: Mapping[str, int] | None = None) -> None:
        self._counts = {_check_digest(k): int(v) for k, v in (counts or {}).items()}

    def times_seen(self, sha1_hex: str) -> int:
        """How often ``sha1_hex`` was seen (0: never)."""
        return self._counts.get(_check_digest(sha1_hex), 0)


def _unavailable() -> StorageUnavailable:
    return StorageUnavailable(Violation("password.breach_check_unavailable"))


def _is_loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


class PwnedPasswordsRange:
    """Have I Been Pwned's range API (k-anonymity, padding, timeout; see the module).

    Args:
        base_url: the range endpoint, ending in ``/`` (HTTPS; HTTP only to loopback).
        timeout: seconds to wait for the connection and for each read.
        user_agent: the ``User-Agent`` HIBP asks every client to send.
        padding: ask for padded answers.

    Raises:
        SelfcareError: ``config.invalid_setting`` for another scheme, plain HTTP to a
            host that is not loopback, or a timeout that is not positive.
    """

    def __init__(
        self,
        *,
        base_url: str = HIBP_RANGE_URL,
        timeout: float = 2.0,
        user_agent: str = "selfcare-password-check",
        padding: bool = True,
    ) -> None:
        parts = urllib.parse.urlsplit(base_url)
        loopback = parts.scheme == "http" and _is_loopback(parts.hostname)
        secure = parts.scheme == "https" or loopback
        if not secure or not base_url.endswith("/"):
            raise SelfcareError(Violation("config.invalid_setting", {"setting": "base_url"}))
        if not timeout > 0:
            raise SelfcareError(Violation("config.invalid_setting", {"setting": "timeout"}))
        self.base_url: str = base_url
        self.timeout: float = timeout
        self._headers = {"User-Agent": user_agent}
        if padding:
            self._headers["Add-Padding"] = "true"

    def __repr__(self) -> str:
        return f"PwnedPasswordsRange(base_url={self.base_url!r}, timeout={self.timeout})"

    def times_seen(self, sha1_hex: str) -> int:
        """How often ``sha1_hex`` was seen; only its first five characters are sent.

        Raises:
            StorageUnavailable: ``password.breach_check_unavailable`` on any failure.
        """
        digest = _check_digest(sha1_hex)
        prefix, suffix = digest[:5], digest[5:]
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            self.base_url + prefix, headers=self._headers
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                body = cast("IO[bytes]", answer).read(_MAX_ANSWER + 1)
        except urllib.error.HTTPError as error:
            error.close()  # it holds the connection open
            raise _unavailable() from error
        except (OSError, http.client.HTTPException, ValueError) as error:
            # URLError, timeouts and resets are OSErrors; a malformed answer is an
            # HTTPException or a ValueError.
            raise _unavailable() from error
        if len(body) > _MAX_ANSWER:
            raise _unavailable()
        return _count_in_range(body, suffix)


def _count_in_range(body: bytes, suffix: str) -> int:
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError as error:
        raise _unavailable() from error
    for line in text.splitlines():
        found, _, count = line.strip().partition(":")
        if found.upper() == suffix:
            try:
                return int(count)  # padding entries have count 0
            except ValueError as error:
                raise _unavailable() from error
    return 0


class Sha1FileBreachedPasswords:
    """A sorted file of upper-case SHA-1 hashes (``HASH`` or ``HASH:count`` lines).

    Looked up by binary search (see the module); a line without a count counts once.

    Raises:
        SelfcareError: ``config.invalid_setting`` when ``path`` is not a file.
    """

    def __init__(self, path: str | Path) -> None:
        self.path: Path = Path(path)
        if not self.path.is_file():
            raise SelfcareError(Violation("config.invalid_setting", {"setting": "path"}))

    def __repr__(self) -> str:
        return f"Sha1FileBreachedPasswords({str(self.path)!r})"

    def times_seen(self, sha1_hex: str) -> int:
        """How often ``sha1_hex`` was seen (0: never).

        Raises:
            StorageUnavailable: ``password.breach_check_unavailable`` when the file
                cannot be read.
        """
        target = _check_digest(sha1_hex).encode("ascii")
        try:
            with self.path.open("rb") as corpus:
                line = _first_line_at_or_after(corpus, target)
        except OSError as error:
            raise _unavailable() from error
        key, _, count = line.strip().partition(b":")
        if key.upper() != target:
            return 0
        try:
            return int(count) if count else 1
        except ValueError:
            return 1


def _line_at(corpus: IO[bytes], position: int) -> bytes:
    """The first whole line that starts at or after ``position``."""
    if position == 0:
        corpus.seek(0)
    else:
        corpus.seek(position - 1)
        corpus.readline()  # the rest of the line ``position - 1`` is in
    return corpus.readline()


def _first_line_at_or_after(corpus: IO[bytes], target: bytes) -> bytes:
    """The first line whose hash is not below ``target`` (b"" when there is none).

    ``_line_at`` is monotonic in the position for a sorted file, so the smallest
    position whose line is not below ``target`` is found by bisection.
    """
    low, high = 0, corpus.seek(0, 2)
    while low < high:
        middle = (low + high) // 2
        line = _line_at(corpus, middle)
        if line and line[:40].upper() < target:
            low = middle + 1
        else:
            high = middle
    return _line_at(corpus, low)
