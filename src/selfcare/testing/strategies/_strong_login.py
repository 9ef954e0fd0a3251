"""Strategies for the terms of use, work accounts and strong-login events of
selfcare.identity."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import strategies as st

from selfcare.core.ids import AccountId
from selfcare.identity.contact import EmailAddress
from selfcare.identity.events import (
    TermsOfUseAccepted,
    WorkAccountLinked,
    WorkAccountUnlinked,
)
from selfcare.identity.terms import TermsOfUse
from selfcare.identity.work_account import SsoAssertion, WorkAccountLink, WorkAccountPolicy
from selfcare.testing.strategies._core import aware_datetimes

__all__ = [
    "ENTITIES",
    "sso_assertions",
    "terms_of_use",
    "terms_versions",
    "work_account_identifiers",
    "work_account_links",
]

_ACCOUNT_IDS = st.from_regex(r"acc-[0-9]{1,6}", fullmatch=True).map(AccountId)
_WORK_EMAILS = st.builds(
    lambda local, domain: EmailAddress.parse(f"{local}@{domain}"),
    st.from_regex(r"[a-z][a-z0-9.]{0,10}[a-z0-9]", fullmatch=True).filter(lambda s: ".." not in s),
    st.sampled_from(["company.example", "kunta.example.fi", "firma.example.no"]),
)


def work_account_identifiers() -> st.SearchStrategy[str]:
    """Tenant ids, subjects and audiences: printable ASCII without blanks (GUIDs,
    issuer URLs, opaque subjects)."""
    return st.one_of(
        st.uuids().map(str),
        st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=40),
    )


def terms_versions() -> st.SearchStrategy[str]:
    """Version labels of the terms of use."""
    return st.from_regex(r"[0-9A-Za-z][0-9A-Za-z.\- ]{0,20}[0-9A-Za-z]", fullmatch=True)


def terms_of_use() -> st.SearchStrategy[TermsOfUse]:
    """Published terms of use."""
    return st.builds(TermsOfUse, version=terms_versions(), published_at=aware_datetimes())


def sso_assertions() -> st.SearchStrategy[SsoAssertion]:
    """Work-account assertions (not necessarily trusted or fresh)."""
    return st.builds(
        SsoAssertion,
        tenant_id=work_account_identifiers(),
        subject=work_account_identifiers(),
        email=_WORK_EMAILS,
        issued_at=aware_datetimes(),
        audience=work_account_identifiers(),
    )


def work_account_links() -> st.SearchStrategy[WorkAccountLink]:
    """Links of accounts to work accounts."""
    return st.builds(
        WorkAccountLink,
        tenant_id=work_account_identifiers(),
        subject=work_account_identifiers(),
        email=_WORK_EMAILS,
        linked_at=aware_datetimes(),
        last_issued_at=aware_datetimes(),
    )


ENTITIES: dict[type, st.SearchStrategy[Any]] = {
    TermsOfUse: terms_of_use(),
    SsoAssertion: sso_assertions(),
    WorkAccountLink: work_account_links(),
    WorkAccountPolicy: st.builds(
        WorkAccountPolicy,
        trusted_tenants=st.frozensets(work_account_identifiers(), max_size=3),
        audiences=st.frozensets(work_account_identifiers(), max_size=3),
        max_assertion_age=st.integers(1, 3600).map(lambda s: timedelta(seconds=s)),
    ),
    TermsOfUseAccepted: st.builds(
        TermsOfUseAccepted,
        account_id=_ACCOUNT_IDS,
        version=terms_versions(),
        occurred_at=aware_datetimes(),
    ),
    WorkAccountLinked: st.builds(
        WorkAccountLinked,
        account_id=_ACCOUNT_IDS,
        tenant_id=work_account_identifiers(),
        occurred_at=aware_datetimes(),
    ),
    WorkAccountUnlinked: st.builds(
        WorkAccountUnlinked,
        account_id=_ACCOUNT_IDS,
        tenant_id=work_account_identifiers(),
        occurred_at=aware_datetimes(),
    ),
}
