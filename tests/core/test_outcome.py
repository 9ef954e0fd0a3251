"""Outcome: Done or Refused, matched, narrowed, unwrapped, serialized."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import attrs
import pytest

from selfcare import Decision, Done, Event, Outcome, Refusal, Refused, Violation
from selfcare.core.events import event_types
from selfcare.core.outcome import is_done, is_refused
from selfcare.serialization import structure, unstructure

EXPIRED = Violation("invitation.expired", {})
T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)


@attrs.frozen(kw_only=True)
class SampleRecorded(Event):
    what: str


def test_done_carries_the_value_and_the_events() -> None:
    event = SampleRecorded(occurred_at=T0, what="x")
    outcome: Outcome[int] = Done(3, (event,))
    assert outcome.ok
    assert bool(outcome)
    assert outcome.unwrap() == 3
    assert outcome.value_or(0) == 3
    assert outcome.events == (event,)
    assert outcome.decision.allowed


def test_refused_carries_the_decision_and_raises_only_on_request() -> None:
    outcome: Outcome[int] = Refused.because(EXPIRED)
    assert not outcome.ok
    assert not bool(outcome)
    assert outcome.value_or(0) == 0
    assert outcome.codes == ("invitation.expired",)
    with pytest.raises(Refusal) as raised:
        outcome.unwrap()
    assert raised.value.codes == ("invitation.expired",)


def test_match_narrows_an_outcome() -> None:
    def name(outcome: Outcome[int]) -> str:
        match outcome:
            case Done(value=value):
                return f"done {value}"
            case Refused(decision=Decision(violations=(Violation(code=code), *_))):
                return f"refused {code}"
        return "unreachable"

    assert name(Done(1)) == "done 1"
    assert name(Refused.because(EXPIRED)) == "refused invitation.expired"


def test_type_guards_tell_done_from_refused() -> None:
    assert is_done(Done(1))
    assert not is_refused(Done(1))
    assert is_refused(Refused.because(EXPIRED))
    assert not is_done(Refused.because(EXPIRED))


def test_refused_needs_a_denied_decision_and_events_must_be_events() -> None:
    with pytest.raises(TypeError, match="denied"):
        Refused(Decision.allow())
    with pytest.raises(TypeError, match="Event"):
        Done(1, ("not an event",))  # type: ignore[arg-type]


def test_events_are_registered_by_name_and_keep_utc() -> None:
    local = datetime(2026, 3, 2, 10, tzinfo=timezone(timedelta(hours=2)))
    event = SampleRecorded(occurred_at=local, what="x")
    assert event.occurred_at == T0
    assert event.occurred_at.tzinfo is UTC
    assert event_types()["SampleRecorded"] is SampleRecorded
    assert event.name == "SampleRecorded"


def test_events_round_trip_with_their_type_name() -> None:
    event = SampleRecorded(occurred_at=T0, what="x")
    wire = unstructure(event)
    assert wire["type"] == "SampleRecorded"
    assert structure(wire, Event) == event
    assert structure(unstructure(Done(1, (event,))), Done) == Done(1, (event,))


def test_an_unknown_or_untyped_event_is_refused() -> None:
    for wire in ({"type": "NoSuchEvent", "occurred_at": T0.isoformat()}, {"what": "x"}, "x"):
        with pytest.raises(ValueError, match=r"\$"):
            structure(wire, Event)
