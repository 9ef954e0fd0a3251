"""Outcome narrows under both mypy --strict and pyright strict (CI runs both; never run
by pytest). ``assert_type`` fails the type check if narrowing ever stops working."""

from __future__ import annotations

from typing import assert_type

from selfcare import HTTP_STATUS, Decision, Done, Kind, Outcome, Refused, Violation
from selfcare.core.outcome import is_done, is_refused


def status_of(outcome: Outcome[int]) -> int:
    match outcome:
        case Done(value=value):
            assert_type(value, int)
            return 200
        case Refused(decision=decision):
            assert_type(decision, Decision)
            return HTTP_STATUS[outcome.kind]


def value_or_zero(outcome: Outcome[int]) -> int:
    if is_done(outcome):
        assert_type(outcome, Done[int])
        return outcome.value
    if is_refused(outcome):
        assert_type(outcome, Refused)
        return 0
    return -1


def unwrapped(outcome: Outcome[str]) -> str:
    return outcome.unwrap()


def default(outcome: Outcome[str]) -> str | None:
    return outcome.value_or(None)


def refuse() -> Outcome[int]:
    return Refused.because(Violation("invitation.expired", {}))


def kind_of_refusal(outcome: Refused) -> Kind:
    return outcome.kind
