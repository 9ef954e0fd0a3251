"""Fakes for integrators' tests: a clock you move, ids you can predict, secrets you
can read.

They need nothing beyond the library (no hypothesis, no pytest), and each satisfies the
port it stands in for (:class:`~selfcare.core.clock.Clock`,
:class:`~selfcare.core.ids.IdSource`, :class:`~selfcare.core.ids.SecretSource`), so
:func:`selfcare.bootstrap.bootstrap` takes them as they are:

>>> from datetime import UTC, datetime, timedelta
>>> from selfcare.testing.fakes import CountingSecrets, SequentialIds, SteppableClock
>>> clock = SteppableClock(datetime(2026, 3, 2, 8, tzinfo=UTC))
>>> clock.advance(timedelta(days=7)).isoformat()
'2026-03-09T08:00:00+00:00'
>>> ids = SequentialIds("acc")
>>> ids.new_id(), ids.new_id()
('acc-1', 'acc-2')
>>> secrets = CountingSecrets()
>>> secrets.token(32), secrets.digits(6), secrets.digits(6)
('tok001xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '000001', '000002')

Never use them in production: :class:`~selfcare.core.clock.SystemClock`,
:class:`~selfcare.core.ids.UuidIds` and :class:`~selfcare.core.ids.SystemSecrets` are
the real ones.
"""

from __future__ import annotations

import base64
import random
import threading
from datetime import datetime

from selfcare.core.clock import FixedClock
from selfcare.core.ids import SequentialIds
from selfcare.identity.assertion import AuthMethod, IdentityAssertion, LevelOfAssurance
from selfcare.identity.national_id import NationalId
from selfcare.identity.work_account import SsoAssertion

__all__ = [
    "CountingSecrets",
    "SeededSecrets",
    "SequentialIds",
    "SteppableClock",
    "bank_identification",
    "work_account_sign_in",
]

#: A clock that stands still until a test moves it (``set``, ``advance``).
SteppableClock = FixedClock


def _encoded_length(nbytes: int) -> int:
    """The length of ``nbytes`` random bytes as unpadded URL-safe base64."""
    return -(-nbytes * 4 // 3)


class CountingSecrets:
    """Secrets a test can predict: tokens ``tok001``, ``tok002``, ... padded with ``x``
    to the length a real token of that many bytes has; one-time codes ``000001``,
    ``000002``, ... (each as many digits as asked).

    Attributes:
        tokens: every token handed out, in order.
        codes: every digit string handed out, in order.

    Thread-safe: threads sharing it never get the same token or code.
    """

    def __init__(self) -> None:
        self.tokens: list[str] = []
        self.codes: list[str] = []
        self._lock = threading.Lock()

    def token(self, nbytes: int) -> str:
        """The next token, as long as a real one of ``nbytes`` bytes."""
        with self._lock:
            value = f"tok{len(self.tokens) + 1:03d}"
            value = value.ljust(_encoded_length(nbytes), "x")
            self.tokens.append(value)
        return value

    def digits(self, count: int) -> str:
        """The next code, ``count`` digits with leading zeros."""
        with self._lock:
            value = str(len(self.codes) + 1).zfill(count)[-count:] if count else ""
            self.codes.append(value)
        return value


class SeededSecrets:
    """Secrets from a seeded pseudo-random generator: reproducible runs (the demo).

    >>> a, b = SeededSecrets(7), SeededSecrets(7)
    >>> a.digits(6) == b.digits(6), len(a.token(16)) >= 16
    (True, True)

    Not for threads: the sequence is reproducible only in one thread's order.
    """

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)  # noqa: S311 - reproducible on purpose

    def token(self, nbytes: int) -> str:
        """A URL-safe token of ``nbytes`` pseudo-random bytes."""
        raw = self._random.randbytes(nbytes)
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

    def digits(self, count: int) -> str:
        """``count`` pseudo-random decimal digits."""
        return "".join(str(self._random.randrange(10)) for _ in range(count))


def bank_identification(
    national_id: NationalId,
    *,
    at: datetime,
    given_names: str = "Test",
    surname: str = "Person",
    provider: str = "Example Bank",
) -> IdentityAssertion:
    """A strong identification of ``national_id`` issued at ``at`` by a bank, at level
    *substantial*: what an integrator builds after verifying the provider's answer.

    >>> from datetime import UTC, datetime
    >>> from selfcare.identity.national_id import parse_national_id
    >>> from selfcare.testing.fakes import bank_identification
    >>> hetu = parse_national_id("131052-308T", "FI", today=datetime(2026, 3, 2).date())
    >>> bank_identification(hetu, at=datetime(2026, 3, 2, tzinfo=UTC)).level
    <LevelOfAssurance.SUBSTANTIAL: 'substantial'>
    """
    return IdentityAssertion(
        method=AuthMethod.BANK,
        level=LevelOfAssurance.SUBSTANTIAL,
        national_id=national_id,
        given_names=given_names,
        surname=surname,
        provider=provider,
        issued_at=at,
    )


def work_account_sign_in(
    email: str,
    *,
    at: datetime,
    tenant_id: str = "tenant-a",
    subject: str = "employee-1",
    audience: str = "portal",
) -> SsoAssertion:
    """A work-account assertion for ``email`` issued at ``at``: what an integrator
    builds after verifying the employer's single sign-on token.

    >>> from datetime import UTC, datetime
    >>> from selfcare.testing.fakes import work_account_sign_in
    >>> work_account_sign_in("anna@company.example", at=datetime(2026, 3, 2, tzinfo=UTC)).tenant_id
    'tenant-a'
    """
    return SsoAssertion(
        tenant_id=tenant_id, subject=subject, email=email, issued_at=at, audience=audience
    )
