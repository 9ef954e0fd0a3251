"""Strategies for the recovery, terms and strong-login events of selfcare.identity."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from selfcare.core.ids import AccountId
from selfcare.identity.events import PasswordReset, RecoveryMethod, SessionsRevoked
from selfcare.testing.strategies._core import aware_datetimes

__all__ = ["ENTITIES"]

_ACCOUNT_IDS = st.from_regex(r"acc-[0-9]{1,6}", fullmatch=True).map(AccountId)

ENTITIES: dict[type, st.SearchStrategy[Any]] = {
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
