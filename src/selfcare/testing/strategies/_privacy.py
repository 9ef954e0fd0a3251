"""Hypothesis strategies for the entities of :mod:`selfcare.privacy`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import strategies as st

from selfcare.core.ids import AccountId
from selfcare.privacy.events import AccountErased, ExpiredRecordsPurged, PersonalDataExported
from selfcare.privacy.model import (
    SCHEMA_VERSION,
    ErasedAccount,
    ErasureReport,
    PersonalDataExport,
    PurgeCounts,
    RetentionPolicy,
)
from selfcare.testing.strategies._accounts import accounts, feedback, registrations
from selfcare.testing.strategies._authz import grants, invitations
from selfcare.testing.strategies._catalog import product_orders
from selfcare.testing.strategies._core import aware_datetimes
from selfcare.testing.strategies._identity import one_time_code_challenges

__all__ = [
    "ENTITIES",
    "erased_accounts",
    "erasure_reports",
    "personal_data_exports",
    "purge_counts",
    "retention_policies",
]

_COUNTS = st.integers(min_value=0, max_value=10_000)
_ACCOUNT_IDS = st.from_regex(r"acc-[0-9]{1,6}", fullmatch=True).map(AccountId)
_PERIODS = st.integers(min_value=0, max_value=10 * 365 * 86_400).map(
    lambda seconds: timedelta(seconds=seconds)
)


def retention_policies() -> st.SearchStrategy[RetentionPolicy]:
    """Retention policies with periods from zero to ten years."""
    return st.builds(
        RetentionPolicy, registrations=_PERIODS, invitations=_PERIODS, one_time_codes=_PERIODS
    )


def purge_counts() -> st.SearchStrategy[PurgeCounts]:
    """Counts of a retention purge."""
    return st.builds(
        PurgeCounts, registrations=_COUNTS, invitations=_COUNTS, one_time_codes=_COUNTS
    )


def erased_accounts() -> st.SearchStrategy[ErasedAccount]:
    """Tombstones of erased accounts."""
    return st.builds(
        ErasedAccount,
        account_id=_ACCOUNT_IDS,
        erased_at=aware_datetimes(),
    )


def erasure_reports() -> st.SearchStrategy[ErasureReport]:
    """Reports of an erasure."""
    return st.builds(
        ErasureReport,
        tombstone=erased_accounts(),
        registrations_deleted=_COUNTS,
        grants_revoked=_COUNTS,
        invitations_anonymised=_COUNTS,
        invitations_revoked=_COUNTS,
        one_time_codes_deleted=_COUNTS,
        feedback_deleted=_COUNTS,
    )


def _few(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(strategy, max_size=2).map(tuple)


def personal_data_exports() -> st.SearchStrategy[PersonalDataExport]:
    """Export documents with a few records of every kind."""
    return st.builds(
        PersonalDataExport,
        schema_version=st.just(SCHEMA_VERSION),
        exported_at=aware_datetimes(),
        account=accounts(),
        registrations=_few(registrations()),
        grants_received=_few(grants()),
        grants_given=_few(grants()),
        invitations_sent=_few(invitations()),
        invitations_received=_few(invitations()),
        orders=_few(product_orders()),
        one_time_codes=_few(one_time_code_challenges()),
        feedback=_few(feedback()),
    )


def _personal_data_exported() -> st.SearchStrategy[PersonalDataExported]:
    return st.builds(PersonalDataExported, occurred_at=aware_datetimes(), account_id=_ACCOUNT_IDS)


def _accounts_erased() -> st.SearchStrategy[AccountErased]:
    return st.builds(
        AccountErased,
        occurred_at=aware_datetimes(),
        account_id=_ACCOUNT_IDS,
        registrations_deleted=_COUNTS,
        grants_revoked=_COUNTS,
        invitations_anonymised=_COUNTS,
        invitations_revoked=_COUNTS,
        one_time_codes_deleted=_COUNTS,
        feedback_deleted=_COUNTS,
    )


def _expired_records_purged() -> st.SearchStrategy[ExpiredRecordsPurged]:
    return st.builds(
        ExpiredRecordsPurged,
        occurred_at=aware_datetimes(),
        registrations=_COUNTS,
        invitations=_COUNTS,
        one_time_codes=_COUNTS,
    )


ENTITIES: dict[type, st.SearchStrategy[Any]] = {
    RetentionPolicy: retention_policies(),
    PurgeCounts: purge_counts(),
    ErasedAccount: erased_accounts(),
    ErasureReport: erasure_reports(),
    PersonalDataExport: personal_data_exports(),
    PersonalDataExported: _personal_data_exported(),
    AccountErased: _accounts_erased(),
    ExpiredRecordsPurged: _expired_records_purged(),
}
