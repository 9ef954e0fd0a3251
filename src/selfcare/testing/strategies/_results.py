"""Strategies for the public result values the use cases return.

They are not stored by the repositories, but an integrator's code receives them (a
completed registration, a login, an accepted or issued invitation, a row of "ordered
services") and may put them on a queue or in a cache, so they round-trip through the
converter like every other public entity.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from selfcare.catalog import OrderedService, ProductStatus, ScheduledChange, ScheduledChangeKind
from selfcare.core.kinds import Kind
from selfcare.core.messages import MessageEntry
from selfcare.identity.login import LoginResult
from selfcare.identity.registration_account import CompletedRegistration
from selfcare.testing.strategies._accounts import accounts, registrations
from selfcare.testing.strategies._catalog import offering_ids
from selfcare.testing.strategies._core import aware_datetimes, decisions
from selfcare.testing.strategies._identity_events import login_events

__all__ = ["ENTITIES"]

_NAMES = st.text(st.characters(codec="utf-8", categories=("L", "Zs")), min_size=1, max_size=30)


def completed_registrations() -> st.SearchStrategy[CompletedRegistration]:
    """A finished registration with its account."""
    return st.builds(CompletedRegistration, registration=registrations(), account=accounts())


def login_results() -> st.SearchStrategy[LoginResult]:
    """The outcome of a login attempt."""
    return st.builds(
        LoginResult,
        decision=decisions(),
        account=st.none() | accounts(),
        events=st.lists(login_events(), max_size=2).map(tuple),
    )


def ordered_services() -> st.SearchStrategy[OrderedService]:
    """A row of the telecom ordering guide's "ordered services" view."""
    scheduled = st.builds(
        ScheduledChange,
        kind=st.sampled_from(ScheduledChangeKind),
        effective_at=aware_datetimes(),
        offering_id=st.none() | offering_ids(),
        bundle_items=st.frozensets(offering_ids(), max_size=3),
    )
    return st.builds(
        OrderedService,
        product_id=st.from_regex(r"p-[0-9]{1,6}", fullmatch=True),
        offering_id=offering_ids(),
        name=_NAMES,
        asset=st.none() | st.from_regex(r"\+358[0-9]{8,9}", fullmatch=True),
        status=st.sampled_from(ProductStatus),
        start=st.none() | aware_datetimes(),
        end=st.none() | aware_datetimes(),
        until_further_notice=st.booleans(),
        cancellable_in_portal=st.booleans(),
        pending_change=st.none() | scheduled,
    )


def message_entries() -> st.SearchStrategy[MessageEntry]:
    """An entry of the message catalog."""
    params = st.lists(st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True), max_size=3)
    return st.builds(
        MessageEntry,
        code=st.from_regex(r"[a-z]{1,8}\.[a-z_]{1,16}", fullmatch=True),
        kind=st.sampled_from(Kind),
        params=params.map(tuple),
        texts=st.fixed_dictionaries(dict.fromkeys(("en", "fi", "sv", "nb"), _NAMES)),
        source=st.sampled_from(["core.toml", "identity.toml", "authz.toml"]),
    )


ENTITIES: dict[type, st.SearchStrategy[Any]] = {
    CompletedRegistration: completed_registrations(),
    LoginResult: login_results(),
    OrderedService: ordered_services(),
    MessageEntry: message_entries(),
}
