"""Strategies for the recovery, terms and strong-login events of selfcare.identity."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import strategies as st

from selfcare.core.ids import AccountId
from selfcare.identity.account import PendingRecovery
from selfcare.identity.events import (
    PasswordRecoveryRequested,
    PasswordReset,
    RecoveryMethod,
    SessionsRevoked,
)
from selfcare.identity.recovery import RecoveryPolicy
from selfcare.testing.strategies._core import aware_datetimes

__all__ = ["ENTITIES", "pending_recoveries"]

_ACCOUNT_IDS = st.from_regex(r"acc-[0-9]{1,6}", fullmatch=True).map(AccountId)


def pending_recoveries() -> st.SearchStrategy[PendingRecovery]:
    """Password recovery links waiting to be used."""
    return st.builds(
        lambda digest, at: PendingRecovery(
            token_digest=digest, requested_at=at, expires_at=at + timedelta(hours=1)
        ),
        st.from_regex(r"[0-9a-f]{64}", fullmatch=True),
        aware_datetimes(),
    )


ENTITIES: dict[type, st.SearchStrategy[Any]] = {
    PendingRecovery: pending_recoveries(),
    RecoveryPolicy: st.builds(
        RecoveryPolicy,
        email_link=st.booleans(),
        email_link_valid_for=st.integers(60, 86400).map(lambda s: timedelta(seconds=s)),
        email_link_answer_floor=st.integers(1, 1000).map(lambda ms: timedelta(milliseconds=ms)),
    ),
    PasswordRecoveryRequested: st.builds(
        PasswordRecoveryRequested,
        account_id=_ACCOUNT_IDS,
        expires_at=aware_datetimes(),
        occurred_at=aware_datetimes(),
    ),
    PasswordReset: st.builds(
        PasswordReset,
        account_id=_ACCOUNT_IDS,
        method=st.sampled_from(RecoveryMethod),
        occurred_at=aware_datetimes(),
    ),
    SessionsRevoked: st.builds(
        SessionsRevoked,
        account_id=_ACCOUNT_IDS,
        revoked_before=aware_datetimes(),
        occurred_at=aware_datetimes(),
    ),
}
