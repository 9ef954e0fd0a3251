"""Strategies for the TOTP second factor and its events."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import strategies as st

from selfcare.core.ids import AccountId
from selfcare.identity.events import (
    LoginMethod,
    RecoveryCodeUsed,
    SecondFactorEnrolled,
    SecondFactorEnrolmentStarted,
    SecondFactorFailed,
    SecondFactorLocked,
    SecondFactorRemoved,
    SecondStepRequired,
    SteppedUp,
)
from selfcare.identity.second_factor import (
    PendingSecondStep,
    RecoveryCodes,
    SecondFactor,
    SecondFactorStatus,
    TotpEnrolment,
    TotpPolicy,
    new_recovery_codes,
    new_secret,
    provisioning_uri,
    recovery_code_digest,
)
from selfcare.testing.strategies._core import aware_datetimes

__all__ = ["ENTITIES", "second_factors", "totp_policies"]

_ACCOUNT_IDS = st.from_regex(r"acc-[0-9]{1,6}", fullmatch=True).map(AccountId)
_TOKENS = st.from_regex(r"[A-Za-z0-9_-]{16,43}", fullmatch=True)
_DIGESTS = st.from_regex(r"[0-9a-f]{64}", fullmatch=True)
_MINUTES = st.integers(1, 24 * 60).map(lambda m: timedelta(minutes=m))


def totp_policies() -> st.SearchStrategy[TotpPolicy]:
    """Valid second-factor policies."""
    return st.builds(
        TotpPolicy,
        issuer=st.sampled_from(["Selfcare", "Kotisähkö Oy", "Telco & Co"]),
        digits=st.sampled_from([6, 7, 8]),
        period_seconds=st.sampled_from([30, 60]),
        drift_steps=st.integers(0, 2),
        recovery_codes=st.integers(1, 20),
        max_failures=st.integers(1, 10),
        lockout=_MINUTES,
        enrolment_valid_for=_MINUTES,
        pending_login_valid_for=_MINUTES,
        step_up_valid_for=_MINUTES,
    )


def pending_second_steps() -> st.SearchStrategy[PendingSecondStep]:
    """Logins waiting for their second step."""
    return st.builds(
        PendingSecondStep,
        token_digest=_DIGESTS,
        expires_at=aware_datetimes(),
        method=st.sampled_from(LoginMethod),
    )


def second_factors() -> st.SearchStrategy[SecondFactor]:
    """Second factors, unconfirmed or in force."""
    return st.builds(
        lambda account_id, token, at, confirmed, step, codes, failures, pending, version: (
            SecondFactor(
                account_id=account_id,
                secret=new_secret(token),
                started_at=at,
                confirmed_at=at + timedelta(minutes=1) if confirmed else None,
                last_used_step=step,
                recovery_code_digests=tuple(
                    recovery_code_digest(account_id, c) for c in new_recovery_codes(codes).codes
                ),
                failures=failures,
                locked_until=at + timedelta(minutes=15) if failures > 4 else None,
                verified_at=at + timedelta(minutes=2) if confirmed else None,
                pending_login=pending,
                version=version,
            )
        ),
        _ACCOUNT_IDS,
        _TOKENS,
        aware_datetimes(),
        st.booleans(),
        st.integers(-1, 10**9),
        st.lists(_TOKENS, max_size=10).map(tuple),
        st.integers(0, 9),
        st.none() | pending_second_steps(),
        st.integers(1, 1000),
    )


def _enrolments() -> st.SearchStrategy[TotpEnrolment]:
    return st.builds(
        lambda token, label: TotpEnrolment(
            provisioning_uri(new_secret(token), label, TotpPolicy()), new_secret(token)
        ),
        _TOKENS,
        st.sampled_from(["anna@example.fi", "Åsa Öberg", "acc-1"]),
    )


def _about_account(cls: type[Any], **more: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.builds(cls, account_id=_ACCOUNT_IDS, occurred_at=aware_datetimes(), **more)


ENTITIES: dict[type, st.SearchStrategy[Any]] = {
    TotpPolicy: totp_policies(),
    PendingSecondStep: pending_second_steps(),
    SecondFactor: second_factors(),
    TotpEnrolment: _enrolments(),
    RecoveryCodes: st.lists(_TOKENS, max_size=10).map(lambda t: new_recovery_codes(tuple(t))),
    SecondFactorStatus: st.builds(
        SecondFactorStatus, enrolled=st.booleans(), recovery_codes_left=st.integers(0, 20)
    ),
    SecondFactorEnrolmentStarted: _about_account(SecondFactorEnrolmentStarted),
    SecondFactorEnrolled: _about_account(SecondFactorEnrolled, recovery_codes=st.integers(1, 20)),
    SecondFactorFailed: _about_account(SecondFactorFailed, failures=st.integers(1, 10)),
    SecondFactorLocked: _about_account(SecondFactorLocked, locked_until=aware_datetimes()),
    RecoveryCodeUsed: _about_account(RecoveryCodeUsed, remaining=st.integers(0, 19)),
    SecondStepRequired: _about_account(SecondStepRequired),
    SteppedUp: _about_account(SteppedUp, valid_until=aware_datetimes()),
    SecondFactorRemoved: _about_account(SecondFactorRemoved),
}
