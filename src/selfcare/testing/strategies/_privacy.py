"""Hypothesis strategies for the entities of :mod:`selfcare.privacy`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from selfcare.core.ids import AccountId, CustomerNumber
from selfcare.identity.ids import LoginSource
from selfcare.privacy.accounting_retention import (
    ACCOUNTING_COUNTRIES,
    ACCOUNTING_RETENTION,
    ClosingPolicy,
    RetentionRule,
)
from selfcare.privacy.closing import (
    ClosingSummary,
    ErasedItem,
    IdentificationReauthentication,
    KeptItem,
    LastHolding,
    PasswordReauthentication,
)
from selfcare.privacy.closing_data import ErasedData, KeptRecord
from selfcare.privacy.events import (
    AccountClosed,
    AccountErased,
    ExpiredRecordsPurged,
    PersonalDataExported,
    ReauthenticationMethod,
)
from selfcare.privacy.model import (
    SCHEMA_VERSION,
    ErasedAccount,
    ErasureReport,
    PersonalDataExport,
    PurgeCounts,
    RetentionPolicy,
)
from selfcare.testing.strategies._accounts import accounts, feedback, registrations
from selfcare.testing.strategies._authz import grants, invitations, relationship_ids
from selfcare.testing.strategies._catalog import localized_texts, product_orders
from selfcare.testing.strategies._core import aware_datetimes
from selfcare.testing.strategies._identity import identity_assertions, one_time_code_challenges

__all__ = [
    "ENTITIES",
    "closing_policies",
    "closing_summaries",
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
        login_throttles_deleted=_COUNTS,
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
        login_throttles_deleted=_COUNTS,
    )


def _expired_records_purged() -> st.SearchStrategy[ExpiredRecordsPurged]:
    return st.builds(
        ExpiredRecordsPurged,
        occurred_at=aware_datetimes(),
        registrations=_COUNTS,
        invitations=_COUNTS,
        one_time_codes=_COUNTS,
    )


_COUNTRIES = st.sampled_from(sorted(ACCOUNTING_COUNTRIES))
_DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
_NAMES = st.text(min_size=1, max_size=40)


def closing_policies() -> st.SearchStrategy[ClosingPolicy]:
    """The operator's bookkeeping country and financial year end."""
    return st.builds(
        ClosingPolicy,
        accounting_country=_COUNTRIES,
        financial_year_end_month=st.integers(min_value=1, max_value=12),
    )


def _retention_rules() -> st.SearchStrategy[RetentionRule]:
    return st.sampled_from(list(ACCOUNTING_RETENTION.values()))


def _password_reauthentications() -> st.SearchStrategy[PasswordReauthentication]:
    return st.builds(
        PasswordReauthentication,
        password=st.text(min_size=1, max_size=64),
        source=st.from_regex(r"[0-9a-f.:]{1,39}", fullmatch=True).map(LoginSource),
    )


def _identification_reauthentications() -> st.SearchStrategy[IdentificationReauthentication]:
    return st.builds(IdentificationReauthentication, assertion=identity_assertions())


def _erased_items() -> st.SearchStrategy[ErasedItem]:
    return st.builds(
        ErasedItem, data=st.sampled_from(ErasedData), count=_COUNTS, description=localized_texts()
    )


def _kept_items() -> st.SearchStrategy[KeptItem]:
    return st.builds(
        KeptItem,
        record=st.sampled_from(KeptRecord),
        relationship_id=st.none() | relationship_ids(),
        relationship_name=_NAMES,
        country=_COUNTRIES,
        count=_COUNTS,
        latest=_DAYS,
        legal_ground=_NAMES,
        kept_until=_DAYS,
        description=localized_texts(),
    )


def _last_holdings() -> st.SearchStrategy[LastHolding]:
    return st.builds(
        LastHolding,
        relationship_id=relationship_ids(),
        relationship_name=_NAMES,
        customer_number=st.none()
        | st.from_regex(r"[0-9]{4,10}", fullmatch=True).map(CustomerNumber),
    )


def closing_summaries() -> st.SearchStrategy[ClosingSummary]:
    """Summaries shown before an account is closed."""
    return st.builds(
        ClosingSummary,
        account_id=_ACCOUNT_IDS,
        prepared_at=aware_datetimes(),
        erased=_few(_erased_items()),
        kept=_few(_kept_items()),
        last_holdings=_few(_last_holdings()),
    )


def _accounts_closed() -> st.SearchStrategy[AccountClosed]:
    return st.builds(
        AccountClosed,
        occurred_at=aware_datetimes(),
        account_id=_ACCOUNT_IDS,
        reauthenticated_by=st.sampled_from(ReauthenticationMethod),
    )


ENTITIES: dict[type, st.SearchStrategy[Any]] = {
    ClosingPolicy: closing_policies(),
    RetentionRule: _retention_rules(),
    PasswordReauthentication: _password_reauthentications(),
    IdentificationReauthentication: _identification_reauthentications(),
    ErasedItem: _erased_items(),
    KeptItem: _kept_items(),
    LastHolding: _last_holdings(),
    ClosingSummary: closing_summaries(),
    AccountClosed: _accounts_closed(),
    RetentionPolicy: retention_policies(),
    PurgeCounts: purge_counts(),
    ErasedAccount: erased_accounts(),
    ErasureReport: erasure_reports(),
    PersonalDataExport: personal_data_exports(),
    PersonalDataExported: _personal_data_exported(),
    AccountErased: _accounts_erased(),
    ExpiredRecordsPurged: _expired_records_purged(),
}
