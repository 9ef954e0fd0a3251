"""Integrator-style code type-checked by ``mypy --strict`` in CI (never run by pytest)."""

from __future__ import annotations

from datetime import UTC, datetime

from selfcare import Decision, Money, SelfcareError, Violation
from selfcare.core.clock import require_aware
from selfcare.serialization import structure, unstructure


def show(decision: Decision, lang: str) -> list[str]:
    if decision:
        return []
    return list(decision.messages(lang))


def first_code(error: SelfcareError) -> str:
    return error.codes[0]


def total(prices: list[Money]) -> Money:
    result = Money.zero("EUR")
    for price in prices:
        result = result + price
    return result.rounded()


def round_trip(price: Money) -> Money:
    return structure(unstructure(price), Money)


def when() -> datetime:
    return require_aware(datetime(2026, 1, 1, tzinfo=UTC))


def check(v: Violation) -> str:
    match v:
        case Violation(code, params):
            return f"{code}:{len(params)}"


def float_amounts_are_caught() -> Money:
    # Both checkers must refuse a float amount; an unneeded ignore fails the check.
    return Money(1.5, "EUR")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
