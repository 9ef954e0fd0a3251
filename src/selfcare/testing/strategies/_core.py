"""Strategies for the core values: violations, decisions, money, times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from selfcare.core.decision import Decision, ParamValue, Violation
from selfcare.core.events import Event
from selfcare.core.messages import catalog
from selfcare.core.money import Currency, Money
from selfcare.core.outcome import Done, Refused

__all__ = [
    "ENTITIES",
    "aware_datetimes",
    "currencies",
    "decisions",
    "events",
    "money",
    "outcomes",
    "param_values",
    "violations",
]


def aware_datetimes(
    min_value: datetime = datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
    max_value: datetime = datetime(2100, 1, 1),  # noqa: DTZ001
) -> st.SearchStrategy[datetime]:
    """Aware datetimes in UTC or a fixed offset, between the two naive bounds (UTC)."""
    offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
        lambda minutes: timezone(timedelta(minutes=minutes))
    )
    return st.datetimes(
        min_value=min_value, max_value=max_value, timezones=st.just(UTC) | offsets
    ).map(lambda moment: moment.astimezone(UTC))


def currencies() -> st.SearchStrategy[Currency]:
    """Any supported currency."""
    return st.sampled_from(Currency)


def money(
    currency: st.SearchStrategy[Currency] | None = None,
    *,
    min_cents: int = -(10**9),
    max_cents: int = 10**9,
) -> st.SearchStrategy[Money]:
    """Money rounded to the minor unit, within +-10 million by default."""
    return st.builds(
        lambda cents, cur: Money(Decimal(cents).scaleb(-2), cur),
        st.integers(min_value=min_cents, max_value=max_cents),
        currency if currency is not None else currencies(),
    )


def param_values() -> st.SearchStrategy[ParamValue]:
    """Values a violation parameter may hold."""
    scalar: st.SearchStrategy[Any] = st.one_of(
        st.text(max_size=20), st.integers(), st.booleans(), st.none()
    )
    items = st.lists(st.one_of(st.text(max_size=10), st.integers()), max_size=4).map(tuple)
    return st.one_of(scalar, items)


@st.composite
def violations(draw: st.DrawFn) -> Violation:
    """A violation with a real code of the catalog and its declared parameters."""
    entry = draw(st.sampled_from(sorted(catalog().values(), key=lambda e: e.code)))
    params = {name: draw(param_values()) for name in entry.params}
    return Violation(entry.code, params)


def decisions() -> st.SearchStrategy[Decision]:
    """Allowed decisions (with or without a reason) and refusals."""
    return st.one_of(
        st.builds(Decision.allow, st.none() | st.text(max_size=30)),
        st.lists(violations(), min_size=1, max_size=3).map(lambda vs: Decision.deny(*vs)),
    )


def events() -> st.SearchStrategy[Event]:
    """The base event (each domain's strategies build its own event classes)."""
    return st.builds(Event, occurred_at=aware_datetimes())


def outcomes() -> st.SearchStrategy[Done[str] | Refused]:
    """Outcomes with a JSON-native value: done (with events) or refused."""
    many = st.lists(events(), max_size=2).map(tuple)
    return st.one_of(
        st.builds(Done, st.text(max_size=20), many),
        st.builds(
            lambda vs, es: Refused(Decision.deny(*vs), es),
            st.lists(violations(), min_size=1, max_size=3),
            many,
        ),
    )


ENTITIES: dict[type, st.SearchStrategy[Any]] = {
    Violation: violations(),
    Decision: decisions(),
    Money: money(),
    Event: events(),
    Done: outcomes().filter(lambda o: o.ok),
    Refused: outcomes().filter(lambda o: not o.ok),
}
