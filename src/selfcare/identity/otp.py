"""One-time codes by SMS: "confirm your phone number" (the corporate mobile guide).

A :class:`OneTimeCodeChallenge` is a frozen value; every step is a pure function that
takes ``now`` and returns the next value, which the caller saves (compare-and-set on
``version``):

- :func:`issue_code` starts a challenge and returns it with the plain code, once, for
  sending. Only a verifier is stored: HMAC-SHA256, under the operator's
  :class:`OneTimeCodeKey`, of a fresh per-code random salt and the code. The code, the
  salt and the verifier never appear in a ``repr`` nor in the default JSON form.
- :func:`verify_code` compares in constant time (:func:`hmac.compare_digest`) and moves
  ``pending`` to ``verified``, or counts a wrong attempt; the last allowed wrong attempt
  moves it to ``locked``; a code entered after its validity moves it to ``expired``.
- :func:`resend_code` replaces the code of a pending challenge with a new one (new
  salt, new validity, attempts counted afresh) when the rate limits allow it;
  :func:`can_resend` answers the same question for a UI without changing anything.

Defaults (:class:`OneTimeCodePolicy`): six digits, valid 10 minutes, locked after 5
wrong attempts, a resend no sooner than 60 seconds after the last send and at most 5
sends in any 60 minutes per number. A new challenge for the same number passes the
old one as ``previous`` so that the send limit cannot be dodged by starting over.

The digits come from an injected :class:`~selfcare.core.ids.SecretSource`
(``SystemSecrets`` uses :mod:`secrets`). A six-digit code has only a million values:
a salted hash alone is searched in a fraction of a second by whoever has a database
dump. The verifier is therefore keyed with a secret that is not in the database (the
:class:`OneTimeCodeKey`, which :func:`~selfcare.bootstrap.bootstrap` takes as
``one_time_code_key``); without it a stored challenge does not tell its code. The
protection against guessing online is the attempt limit and the short validity.

>>> from datetime import UTC, datetime, timedelta
>>> from selfcare.identity.contact import PhoneNumber, require_mobile
>>> class Dice:  # a predictable SecretSource for the example
...     def digits(self, count): return "123456"[:count]
...     def token(self, nbytes): return "salt"
>>> now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
>>> key = OneTimeCodeKey(bytes(32))  # production: random bytes from the secret store
>>> challenge, code = issue_code(PhoneNumber.parse("040 123 4567"), challenge_id="c-1",
...                              now=now, secrets=Dice(), key=key)
>>> code, challenge.state
('123456', <ChallengeState.PENDING: 'pending'>)
>>> challenge, decision = verify_code(challenge, "000000", now=now, key=key)
>>> decision.codes, challenge.attempts
(('otp.wrong_code',), 1)
>>> challenge, decision = verify_code(challenge, "123 456", now=now + timedelta(minutes=1),
...                                   key=key)
>>> bool(decision), challenge.state
(True, <ChallengeState.VERIFIED: 'verified'>)
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import math
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, Final, cast, final

import attrs

from selfcare.core.clock import require_aware, utc_field
from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import SecretSource
from selfcare.core.ports import next_version
from selfcare.core.secrets import secret_field
from selfcare.identity.contact import PhoneNumber, require_mobile

__all__ = [
    "ChallengeState",
    "OneTimeCodeChallenge",
    "OneTimeCodeKey",
    "OneTimeCodePolicy",
    "can_resend",
    "issue_code",
    "resend_code",
    "verify_code",
]

_HOUR: Final = timedelta(hours=1)
#: The shortest one-time code key accepted (256 bits).
MIN_KEY_BYTES: Final = 32
# An entered code longer than this cannot be right; it is not even hashed.
_MAX_ENTERED: Final = 64


class ChallengeState(enum.StrEnum):
    """Where a challenge is: ``pending`` until it ends ``verified``, ``expired`` or
    ``locked`` (the three are final)."""

    PENDING = "pending"
    VERIFIED = "verified"
    EXPIRED = "expired"
    LOCKED = "locked"


def _positive(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, timedelta):
        ok = value > timedelta(0)
    else:
        ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
    if not ok:
        raise SelfcareError(Violation("otp.invalid_policy", {"setting": attribute.name}))


@final
@attrs.frozen(kw_only=True)
class OneTimeCodePolicy:
    """The one-time code rules an operator configures (defaults above).

    Raises:
        SelfcareError: ``otp.invalid_policy`` for a setting that is not positive, or a
            code length outside 4-12 digits.
    """

    code_length: int = attrs.field(default=6, validator=_positive)
    validity: timedelta = attrs.field(default=timedelta(minutes=10), validator=_positive)
    max_attempts: int = attrs.field(default=5, validator=_positive)
    resend_interval: timedelta = attrs.field(default=timedelta(seconds=60), validator=_positive)
    max_sends_per_hour: int = attrs.field(default=5, validator=_positive)

    def __attrs_post_init__(self) -> None:
        if not 4 <= self.code_length <= 12:
            raise SelfcareError(Violation("otp.invalid_policy", {"setting": "code_length"}))


_DEFAULT_POLICY: Final = OneTimeCodePolicy()


@final
class OneTimeCodeKey:
    """The operator key of one-time code verifiers (never in ``repr``).

    Keep it outside the database, like the national identity code key: with it, a
    stored challenge's code can be found by trying every code; without it, it cannot.
    Every process that verifies codes needs the same key; changing it makes the codes
    pending at that moment unverifiable (they are valid minutes anyway).

    Args:
        key: at least 32 random bytes.

    Raises:
        TypeError: ``key`` is not ``bytes``, or shorter than 32 bytes (a deployment
            error, not user input).
    """

    __slots__ = ("_key",)

    def __init__(self, key: bytes) -> None:
        if not isinstance(key, bytes | bytearray) or len(key) < MIN_KEY_BYTES:
            msg = f"the one-time code key must be at least {MIN_KEY_BYTES} bytes"
            raise TypeError(msg)
        self._key = hmac.new(bytes(key), b"selfcare/one-time-code", hashlib.sha256).digest()

    def __repr__(self) -> str:
        return "OneTimeCodeKey(<secret>)"

    def verifier(self, salt: str, code: str) -> str:
        """HMAC-SHA256 of ``salt`` and ``code`` under this key, hex."""
        message = salt.encode() + b"\x00" + code.encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()


def _utc_sends(values: Iterable[datetime]) -> tuple[datetime, ...]:
    # utc_field converts one time; this field holds several.
    return tuple(require_aware(value, "sends") for value in values)


def _not_empty(_instance: object, _attribute: object, value: tuple[datetime, ...]) -> None:
    if not value:
        raise SelfcareError(Violation("otp.no_sends"))


@final
@attrs.frozen(kw_only=True)
class OneTimeCodeChallenge:
    """A one-time code sent to a phone number, and what has happened to it since.

    Attributes:
        id: the challenge id (the caller's key).
        phone: where the code was sent.
        state: ``pending``, ``verified``, ``expired`` or ``locked``.
        salt: the random salt of the current code (secret: not shown in ``repr``
            nor in the default JSON form).
        code_hash: the verifier of the current code (:meth:`OneTimeCodeKey.verifier`
            of ``salt`` and the code, hex; secret).
        issued_at: when the challenge was started.
        expires_at: when the current code stops being valid.
        sends: when codes were sent to this number within the last hour, oldest first
            (carried over from the previous challenge of the same number).
        attempts: wrong attempts at the current code.
        verified_at: when the code was verified, if it was.
        version: for compare-and-set saves.
    """

    id: str
    phone: PhoneNumber
    state: ChallengeState = ChallengeState.PENDING
    salt: str = secret_field()
    code_hash: str = secret_field()
    issued_at: datetime = utc_field()
    expires_at: datetime = utc_field()
    sends: tuple[datetime, ...] = attrs.field(converter=_utc_sends, validator=_not_empty)
    attempts: int = 0
    verified_at: datetime | None = utc_field(optional=True, default=None)
    version: int = 1

    @property
    def last_sent_at(self) -> datetime:
        """When the current code was sent."""
        return self.sends[-1]


def _new_code(
    secrets: SecretSource, policy: OneTimeCodePolicy, key: OneTimeCodeKey
) -> tuple[str, str, str]:
    code = secrets.digits(policy.code_length)
    if len(code) != policy.code_length or not code.isascii() or not code.isdigit():
        msg = "the SecretSource gave something else than the digits asked for"
        raise ValueError(msg)
    salt = secrets.token(16)
    return code, salt, key.verifier(salt, code)


def _send_refusals(
    sends: tuple[datetime, ...], now: datetime, policy: OneTimeCodePolicy
) -> list[Violation]:
    found: list[Violation] = []
    recent = [moment for moment in sends if now - moment < _HOUR]
    if recent and now - recent[-1] < policy.resend_interval:
        wait = policy.resend_interval - (now - recent[-1])
        found.append(
            Violation("otp.resend_too_soon", {"wait_seconds": math.ceil(wait.total_seconds())})
        )
    if len(recent) >= policy.max_sends_per_hour:
        found.append(Violation("otp.send_limit_reached", {"max_sends": policy.max_sends_per_hour}))
    return found


def _recent(sends: tuple[datetime, ...], now: datetime) -> tuple[datetime, ...]:
    return tuple(moment for moment in sends if now - moment < _HOUR)


def issue_code(
    phone: PhoneNumber,
    *,
    challenge_id: str,
    now: datetime,
    secrets: SecretSource,
    key: OneTimeCodeKey,
    policy: OneTimeCodePolicy = _DEFAULT_POLICY,
    previous: OneTimeCodeChallenge | None = None,
) -> tuple[OneTimeCodeChallenge, str]:
    """Start a challenge for ``phone``; returns it and the plain code to send.

    Args:
        phone: where to send the code; only a mobile number can receive one.
        challenge_id: the id of the new challenge.
        now: the current time (aware).
        secrets: where the digits and the salt come from.
        key: the operator key of the verifier.
        policy: the limits.
        previous: the last challenge of the same number, if any: its sends count
            towards the limits (a previous challenge of another number is ignored).

    Raises:
        SelfcareError: ``phone.not_mobile``, ``otp.resend_too_soon``
            (``wait_seconds``), ``otp.send_limit_reached`` (``max_sends``),
            ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    require_mobile(phone).raise_for_denial()
    earlier: tuple[datetime, ...] = ()
    if previous is not None and previous.phone == phone:
        earlier = _recent(previous.sends, moment)
    refusals = _send_refusals(earlier, moment, policy)
    if refusals:
        raise SelfcareError(*refusals)
    code, salt, code_hash = _new_code(secrets, policy, key)
    challenge = OneTimeCodeChallenge(
        id=challenge_id,
        phone=phone,
        salt=salt,
        code_hash=code_hash,
        issued_at=moment,
        expires_at=moment + policy.validity,
        sends=(*earlier, moment),
    )
    return challenge, code


def can_resend(
    challenge: OneTimeCodeChallenge,
    *,
    now: datetime,
    policy: OneTimeCodePolicy = _DEFAULT_POLICY,
) -> Decision:
    """Whether :func:`resend_code` would send a new code now.

    Returns:
        An allowed decision, or a refusal with ``otp.not_pending`` (the challenge is
        verified, expired or locked), or ``otp.resend_too_soon`` (``wait_seconds``)
        and/or ``otp.send_limit_reached`` (``max_sends``).

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    if challenge.state is not ChallengeState.PENDING:
        return Decision.deny(Violation("otp.not_pending", {"state": challenge.state.value}))
    return Decision.from_violations(_send_refusals(challenge.sends, moment, policy))


def resend_code(
    challenge: OneTimeCodeChallenge,
    *,
    now: datetime,
    secrets: SecretSource,
    key: OneTimeCodeKey,
    policy: OneTimeCodePolicy = _DEFAULT_POLICY,
) -> tuple[OneTimeCodeChallenge, str]:
    """A new code for a pending challenge: the old code stops working, the validity
    starts again and wrong attempts are counted afresh.

    Raises:
        SelfcareError: ``otp.not_pending``, ``otp.resend_too_soon``,
            ``otp.send_limit_reached`` (see :func:`can_resend`),
            ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    can_resend(challenge, now=moment, policy=policy).raise_for_denial()
    code, salt, code_hash = _new_code(secrets, policy, key)
    renewed = next_version(
        challenge,
        salt=salt,
        code_hash=code_hash,
        expires_at=moment + policy.validity,
        sends=(*_recent(challenge.sends, moment), moment),
        attempts=0,
    )
    return renewed, code


def _normalise_entered(code: object) -> str | None:
    if not isinstance(code, str) or len(code) > _MAX_ENTERED:
        return None
    digits = "".join(code.split()).replace("-", "")
    return digits if digits.isascii() and digits.isdigit() else None


def verify_code(
    challenge: OneTimeCodeChallenge,
    code: str,
    *,
    now: datetime,
    key: OneTimeCodeKey,
    policy: OneTimeCodePolicy = _DEFAULT_POLICY,
) -> tuple[OneTimeCodeChallenge, Decision]:
    """Check the code the user entered; returns the next challenge and the answer.

    Spaces and hyphens in the entered code are ignored (``123 456``). Anything else
    that is not the code - other characters, another length - is a wrong attempt, and
    so is the right code checked under another ``key`` than the one it was issued under.

    Returns:
        The challenge to save (unchanged only when it was already final) and an
        allowed decision, or a refusal with ``otp.wrong_code`` (``attempts_left``),
        ``otp.too_many_attempts`` (the wrong attempt that locks it), ``otp.expired``,
        ``otp.locked`` or ``otp.already_verified``.

    Raises:
        SelfcareError: ``time.naive_datetime``.
    """
    moment = require_aware(now, "now")
    state = challenge.state
    if state is ChallengeState.VERIFIED:
        return challenge, Decision.deny(Violation("otp.already_verified"))
    if state is ChallengeState.LOCKED:
        return challenge, Decision.deny(Violation("otp.locked"))
    if state is ChallengeState.EXPIRED:
        return challenge, Decision.deny(Violation("otp.expired"))
    if moment >= challenge.expires_at:
        expired = next_version(challenge, state=ChallengeState.EXPIRED)
        return expired, Decision.deny(Violation("otp.expired"))
    entered = _normalise_entered(cast("object", code))
    # Always compute a digest so that a malformed entry takes as long as a wrong one.
    candidate = key.verifier(challenge.salt, entered if entered is not None else "")
    if entered is not None and hmac.compare_digest(candidate, challenge.code_hash):
        verified = next_version(challenge, state=ChallengeState.VERIFIED, verified_at=moment)
        return verified, Decision.allow(reason=f"otp:{challenge.id}")
    attempts = challenge.attempts + 1
    if attempts >= policy.max_attempts:
        locked = next_version(challenge, state=ChallengeState.LOCKED, attempts=attempts)
        return locked, Decision.deny(Violation("otp.too_many_attempts"))
    wrong = next_version(challenge, attempts=attempts)
    return wrong, Decision.deny(
        Violation("otp.wrong_code", {"attempts_left": policy.max_attempts - attempts})
    )
