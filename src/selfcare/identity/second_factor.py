"""A second factor: time-based one-time passwords (TOTP, RFC 6238) and recovery codes.

The rules are pure functions over the frozen :class:`SecondFactor` of one account; the
use cases are :class:`~selfcare.identity.second_factor_use_cases.SecondFactorUseCases`.
The one-time passwords are computed by `pyotp <https://pyauth.github.io/pyotp/>`_
(HMAC-SHA1, the algorithm every authenticator app supports).

- **Enrolment** (:func:`start_enrolment`): a new random 160-bit secret, shown to the
  user once as an ``otpauth://`` provisioning URI (a QR code) with the operator's
  issuer and the account's label, and as text for manual entry. It counts only once
  the user typed a first code from the app (:func:`confirm_enrolment`), which also
  makes :data:`TotpPolicy.recovery_codes` recovery codes, shown once and stored only
  as digests.
- **Verification** (:func:`verify_totp`): the code of the current 30-second time step,
  or of one step before or after (:attr:`TotpPolicy.drift_steps`: the clocks of a
  phone and a server drift). A code works once: the factor remembers the last time
  step used, and a code of that step or an earlier one is refused
  (``second_factor.code_already_used``). After :attr:`TotpPolicy.max_failures`
  consecutive wrong codes the factor refuses every code for
  :attr:`TotpPolicy.lockout` (``second_factor.locked``): six digits are guessed in a
  million tries, not in five.
- **Recovery codes** (:func:`use_recovery_code`): 16 base32 characters each (80 bits,
  so a digest without a key cannot be searched), each working once.

The secret is a :func:`~selfcare.core.secrets.secret_field`: never in ``repr``, in
events or in the default JSON form; the SQL storage seals it under the operator's key
(:meth:`~selfcare.identity.national_id_at_rest.NationalIdKeyRing.seal_secret`).

RFC 6238's SHA-1 test vector, with its 8 digits:

>>> from datetime import UTC, datetime
>>> policy = TotpPolicy(digits=8)
>>> secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # b"12345678901234567890" in base32
>>> code_at(secret, datetime.fromtimestamp(59, UTC), policy)
'94287082'
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Final, final

import attrs
import pyotp

from selfcare.core.clock import utc_field
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import AccountId
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.core.ports import next_version
from selfcare.core.secrets import secret_field
from selfcare.identity.events import (
    LoginMethod,
    RecoveryCodeUsed,
    SecondFactorEnrolled,
    SecondFactorEnrolmentStarted,
    SecondFactorFailed,
    SecondFactorLocked,
)

__all__ = [
    "RECOVERY_CODE_BYTES",
    "SECRET_BYTES",
    "PendingSecondStep",
    "RecoveryCodes",
    "SecondFactor",
    "SecondFactorStatus",
    "TotpEnrolment",
    "TotpPolicy",
    "code_at",
    "confirm_enrolment",
    "is_recovery_code",
    "new_recovery_codes",
    "new_secret",
    "provisioning_uri",
    "recovery_code_digest",
    "start_enrolment",
    "use_recovery_code",
    "verify_totp",
]

#: Random bytes of a TOTP secret (RFC 4226 recommends 160 bits).
SECRET_BYTES: Final = 20
#: Random bytes of a recovery code (80 bits: 16 base32 characters).
RECOVERY_CODE_BYTES: Final = 10

_MAX_LABEL = 200


def _positive(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SelfcareError(Violation("second_factor.invalid_policy", {"setting": attribute.name}))


def _digits(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value not in (6, 7, 8):
        raise SelfcareError(Violation("second_factor.invalid_policy", {"setting": attribute.name}))


def _drift(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2:
        raise SelfcareError(Violation("second_factor.invalid_policy", {"setting": attribute.name}))


def _duration(_instance: object, attribute: attrs.Attribute[timedelta], value: timedelta) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise SelfcareError(Violation("second_factor.invalid_policy", {"setting": attribute.name}))


def _issuer(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip() or ":" in value or len(value) > _MAX_LABEL:
        raise SelfcareError(Violation("second_factor.invalid_policy", {"setting": attribute.name}))


@final
@attrs.frozen(kw_only=True)
class TotpPolicy:
    """The operator's second-factor rules.

    Attributes:
        issuer: the name authenticator apps show above the code (the portal's
            name; no ``:``).
        digits: digits per code, 6 (what every app shows), 7 or 8.
        period_seconds: the length of a time step (30, what every app uses).
        drift_steps: how many steps before or after the current one are accepted
            (1; at most 2).
        recovery_codes: how many recovery codes a confirmed enrolment gets (10).
        max_failures: consecutive wrong codes before the factor is locked (5).
        lockout: how long a locked factor refuses every code (15 minutes).
        enrolment_valid_for: how long an unconfirmed enrolment waits for its first
            code (15 minutes).
        pending_login_valid_for: how long the second step of a login waits after
            the password (5 minutes).
        step_up_valid_for: how long a verified code lets the user change the e-mail
            address, the password or the payer (5 minutes).

    Raises:
        SelfcareError: ``second_factor.invalid_policy`` naming the bad setting.
    """

    issuer: str = attrs.field(default="Selfcare", validator=_issuer)
    digits: int = attrs.field(default=6, validator=_digits)
    period_seconds: int = attrs.field(default=30, validator=_positive)
    drift_steps: int = attrs.field(default=1, validator=_drift)
    recovery_codes: int = attrs.field(default=10, validator=_positive)
    max_failures: int = attrs.field(default=5, validator=_positive)
    lockout: timedelta = attrs.field(default=timedelta(minutes=15), validator=_duration)
    enrolment_valid_for: timedelta = attrs.field(default=timedelta(minutes=15), validator=_duration)
    pending_login_valid_for: timedelta = attrs.field(
        default=timedelta(minutes=5), validator=_duration
    )
    step_up_valid_for: timedelta = attrs.field(default=timedelta(minutes=5), validator=_duration)


@final
@attrs.frozen(kw_only=True)
class PendingSecondStep:
    """A login whose first step succeeded and whose next step is still to come: the
    second factor's code (kept on the :class:`SecondFactor`), or the acceptance of new
    terms of use (kept on the :class:`~selfcare.identity.account.Account`).

    Attributes:
        token_digest: the digest of the pending-login id handed to the client (never
            the id itself).
        expires_at: when the pending login stops working.
        method: how the first step authenticated the user (stored pending logins
            from before 0.2 load as ``password``).
    """

    token_digest: str = secret_field()
    expires_at: datetime = utc_field()
    method: LoginMethod = LoginMethod.PASSWORD

    def is_live(self, now: datetime) -> bool:
        """Whether the pending login still works at ``now``."""
        return now < self.expires_at


@final
@attrs.frozen(kw_only=True)
class SecondFactor:
    """The TOTP second factor of one account (at most one per account).

    Attributes:
        account_id: the account.
        secret: the base32 TOTP secret (a secret field: sealed at rest).
        started_at: when the enrolment began.
        confirmed_at: when the first code confirmed it; ``None`` while it is not in
            force.
        last_used_step: the last time step whose code was accepted (-1: none yet).
        recovery_code_digests: the digests of the unused recovery codes.
        failures: consecutive wrong codes.
        locked_until: while set and in the future, every code is refused.
        verified_at: when a code was last accepted (the step-up time).
        pending_login: the login waiting for its second step, if any.
        version: the optimistic-concurrency version.
    """

    account_id: AccountId
    secret: str = secret_field()
    started_at: datetime = utc_field()
    confirmed_at: datetime | None = utc_field(optional=True, default=None)
    last_used_step: int = -1
    recovery_code_digests: tuple[str, ...] = secret_field(default=(), converter=tuple)
    failures: int = 0
    locked_until: datetime | None = utc_field(optional=True, default=None)
    verified_at: datetime | None = utc_field(optional=True, default=None)
    pending_login: PendingSecondStep | None = None
    version: int = 1

    @property
    def confirmed(self) -> bool:
        """Whether the factor is in force (a first code confirmed it)."""
        return self.confirmed_at is not None


@final
@attrs.frozen
class TotpEnrolment:
    """What the user needs to add the account to an authenticator app; show it once.

    Attributes:
        provisioning_uri: the ``otpauth://totp/...`` URI to show as a QR code.
        secret: the same secret as base32 text, for typing in by hand.
    """

    provisioning_uri: str = secret_field()
    secret: str = secret_field()


@final
@attrs.frozen(kw_only=True)
class SecondFactorStatus:
    """What a settings page shows about the second factor.

    Attributes:
        enrolled: a second factor is in force.
        recovery_codes_left: unused recovery codes (0 when not enrolled).
    """

    enrolled: bool
    recovery_codes_left: int


@final
@attrs.frozen
class RecoveryCodes:
    """The recovery codes of a confirmed enrolment, in clear: show them once (only
    their digests are kept)."""

    codes: tuple[str, ...] = secret_field(converter=tuple)


def new_secret(random_token: str) -> str:
    """A base32 TOTP secret of :data:`SECRET_BYTES` bytes derived from
    ``random_token`` (at least :data:`SECRET_BYTES` random bytes from a
    :class:`~selfcare.core.ids.SecretSource`)."""
    raw = hashlib.sha256(b"selfcare/totp-secret:" + random_token.encode()).digest()
    return base64.b32encode(raw[:SECRET_BYTES]).decode("ascii")


def _totp(secret: str, policy: TotpPolicy) -> pyotp.TOTP:
    return pyotp.TOTP(
        secret, digits=policy.digits, interval=policy.period_seconds, digest=hashlib.sha1
    )


def _step(now: datetime, policy: TotpPolicy) -> int:
    return int(now.timestamp()) // policy.period_seconds


def code_at(secret: str, now: datetime, policy: TotpPolicy) -> str:
    """The code an authenticator app shows at ``now`` (what a test types)."""
    return _totp(secret, policy).generate_otp(_step(now, policy))


def provisioning_uri(secret: str, label: str, policy: TotpPolicy) -> str:
    """The ``otpauth://`` URI of ``secret`` for the account ``label`` (its e-mail
    address, say), issued by :attr:`TotpPolicy.issuer`.

    >>> uri = provisioning_uri(
    ...     "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "anna@example.fi", TotpPolicy(issuer="Kotisähkö")
    ... )
    >>> print(uri.replace("&", "\\n&"))
    otpauth://totp/Kotis%C3%A4hk%C3%B6:anna%40example.fi?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
    &issuer=Kotis%C3%A4hk%C3%B6

    Raises:
        SelfcareError: ``second_factor.label_invalid`` for an empty or over-long
            label, or one with a ``:``.
    """
    if not isinstance(label, str) or not label.strip() or ":" in label or len(label) > _MAX_LABEL:
        raise SelfcareError(Violation("second_factor.label_invalid"))
    totp = _totp(secret, policy)
    return totp.provisioning_uri(name=label.strip(), issuer_name=policy.issuer)


def start_enrolment(
    account_id: AccountId, secret: str, existing: SecondFactor | None, *, now: datetime
) -> Outcome[SecondFactor]:
    """A new, unconfirmed factor with ``secret`` (replacing an unconfirmed one).

    Returns:
        The factor with :class:`~selfcare.identity.events.SecondFactorEnrolmentStarted`,
        or a refusal with ``second_factor.already_enrolled``.
    """
    if existing is not None and existing.confirmed:
        return Refused.because(Violation("second_factor.already_enrolled"))
    factor = SecondFactor(account_id=account_id, secret=secret, started_at=now)
    if existing is not None:
        factor = attrs.evolve(factor, version=existing.version + 1)
    return Done(factor, (SecondFactorEnrolmentStarted(account_id=account_id, occurred_at=now),))


def _normalised_code(code: str, policy: TotpPolicy) -> str | None:
    if not isinstance(code, str) or len(code) > 64:
        return None
    compact = "".join(code.split())
    if len(compact) != policy.digits or not compact.isascii() or not compact.isdigit():
        return None
    return compact


def _matching_step(factor: SecondFactor, code: str, now: datetime, policy: TotpPolicy) -> int:
    """The step of ``code`` within the drift window (not yet used): -1 when none, -2
    when it matches a step already used."""
    totp, current = _totp(factor.secret, policy), _step(now, policy)
    found = -1
    for step in range(current - policy.drift_steps, current + policy.drift_steps + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step if step > factor.last_used_step else -2
    return found


def _locked(factor: SecondFactor, now: datetime) -> Refused | None:
    if factor.locked_until is not None and now < factor.locked_until:
        until = factor.locked_until.isoformat()
        return Refused.because(Violation("second_factor.locked", {"until": until}))
    return None


def _wrong(
    factor: SecondFactor, violation: Violation, *, now: datetime, policy: TotpPolicy
) -> tuple[SecondFactor, Refused]:
    """The factor with one more failure (locked at the limit), and the refusal."""
    failures = factor.failures + 1
    events: list[SecondFactorFailed | SecondFactorLocked] = [
        SecondFactorFailed(account_id=factor.account_id, failures=failures, occurred_at=now)
    ]
    locked_until = factor.locked_until
    if failures >= policy.max_failures:
        locked_until, failures = now + policy.lockout, 0
        events.append(
            SecondFactorLocked(
                account_id=factor.account_id, locked_until=locked_until, occurred_at=now
            )
        )
    changed = next_version(factor, failures=failures, locked_until=locked_until)
    return changed, Refused.because(violation, events=events)


def verify_totp(
    factor: SecondFactor, code: str, *, now: datetime, policy: TotpPolicy
) -> tuple[SecondFactor | None, Outcome[SecondFactor]]:
    """Check a TOTP ``code`` (within the drift, not used before).

    Returns:
        ``(changed, outcome)``: ``changed`` is the factor to save (``None`` when
        nothing changed); ``outcome`` is the factor with its last step, failures and
        ``verified_at`` updated, or a refusal with ``second_factor.locked``,
        ``second_factor.code_already_used`` or ``second_factor.code_invalid`` (with
        :class:`~selfcare.identity.events.SecondFactorFailed` and, at the limit,
        :class:`~selfcare.identity.events.SecondFactorLocked`).
    """
    locked = _locked(factor, now)
    if locked is not None:
        return None, locked
    entered = _normalised_code(code, policy)
    step = _matching_step(factor, entered, now, policy) if entered is not None else -1
    if step == -2:
        return _pair(
            _wrong(factor, Violation("second_factor.code_already_used"), now=now, policy=policy)
        )
    if step < 0:
        return _pair(
            _wrong(factor, Violation("second_factor.code_invalid"), now=now, policy=policy)
        )
    accepted = next_version(
        factor, last_used_step=step, failures=0, locked_until=None, verified_at=now
    )
    return accepted, Done(accepted)


def _pair(found: tuple[SecondFactor, Refused]) -> tuple[SecondFactor | None, Outcome[SecondFactor]]:
    return found[0], found[1]


def _compact_recovery(code: str) -> str | None:
    if not isinstance(code, str) or len(code) > 64:
        return None
    compact = "".join(code.replace("-", " ").split()).upper()
    return compact if len(compact) == 16 and compact.isascii() else None


def is_recovery_code(code: str) -> bool:
    """Whether ``code`` has the form of a recovery code (not whether it is valid)."""
    return _compact_recovery(code) is not None


def recovery_code_digest(account_id: AccountId, code: str) -> str:
    """The stored form of a recovery code of ``account_id`` (SHA-256, hex).

    A recovery code holds 80 random bits, so its digest needs no key to resist a
    search; the account id keeps equal codes of two accounts apart.
    """
    compact = _compact_recovery(code) or ""
    return hashlib.sha256(f"selfcare/recovery:{account_id}:{compact}".encode()).hexdigest()


def new_recovery_codes(random_tokens: tuple[str, ...]) -> RecoveryCodes:
    """Recovery codes (``XXXX-XXXX-XXXX-XXXX``) derived from random tokens of at least
    :data:`RECOVERY_CODE_BYTES` bytes each."""
    codes = []
    for token in random_tokens:
        raw = hashlib.sha256(b"selfcare/recovery-code:" + token.encode()).digest()
        text = base64.b32encode(raw[:RECOVERY_CODE_BYTES]).decode("ascii")
        codes.append("-".join(text[i : i + 4] for i in range(0, 16, 4)))
    return RecoveryCodes(tuple(codes))


def confirm_enrolment(
    factor: SecondFactor,
    code: str,
    codes: RecoveryCodes,
    *,
    now: datetime,
    policy: TotpPolicy,
) -> tuple[SecondFactor | None, Outcome[SecondFactor]]:
    """Put an enrolment in force with its first code, keeping the digests of ``codes``.

    Returns:
        ``(changed, outcome)`` as :func:`verify_totp`; the outcome is the confirmed
        factor with :class:`~selfcare.identity.events.SecondFactorEnrolled`, or a
        refusal with ``second_factor.already_enrolled``,
        ``second_factor.enrolment_expired`` or the codes of :func:`verify_totp`.
    """
    if factor.confirmed:
        return None, Refused.because(Violation("second_factor.already_enrolled"))
    if now >= factor.started_at + policy.enrolment_valid_for:
        return None, Refused.because(Violation("second_factor.enrolment_expired"))
    changed, verified = verify_totp(factor, code, now=now, policy=policy)
    if not verified.ok:
        return changed, verified
    digests = tuple(recovery_code_digest(factor.account_id, c) for c in codes.codes)
    confirmed = attrs.evolve(verified.value, confirmed_at=now, recovery_code_digests=digests)
    enrolled = SecondFactorEnrolled(
        account_id=factor.account_id, recovery_codes=len(digests), occurred_at=now
    )
    return confirmed, Done(confirmed, (enrolled,))


def use_recovery_code(
    factor: SecondFactor, code: str, *, now: datetime, policy: TotpPolicy
) -> tuple[SecondFactor | None, Outcome[SecondFactor]]:
    """Accept one unused recovery code (it stops working).

    Returns:
        ``(changed, outcome)`` as :func:`verify_totp`; the outcome is the factor
        without the code, with :class:`~selfcare.identity.events.RecoveryCodeUsed`,
        or a refusal with ``second_factor.locked`` or ``second_factor.code_invalid``.
    """
    locked = _locked(factor, now)
    if locked is not None:
        return None, locked
    digest = recovery_code_digest(factor.account_id, code) if is_recovery_code(code) else ""
    remaining = tuple(d for d in factor.recovery_code_digests if not hmac.compare_digest(d, digest))
    if not digest or len(remaining) == len(factor.recovery_code_digests):
        return _pair(
            _wrong(factor, Violation("second_factor.code_invalid"), now=now, policy=policy)
        )
    used = next_version(
        factor, recovery_code_digests=remaining, failures=0, locked_until=None, verified_at=now
    )
    event = RecoveryCodeUsed(
        account_id=factor.account_id, remaining=len(remaining), occurred_at=now
    )
    return used, Done(used, (event,))
