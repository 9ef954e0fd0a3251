"""selfcare: the business rules of Nordic utility and telecom self-service portals.

The package root re-exports the core vocabulary; the domains live in
:mod:`selfcare.identity`, :mod:`selfcare.authz`, :mod:`selfcare.catalog` and
:mod:`selfcare.billing`.

``import selfcare`` is cheap: the names below are loaded on first access (PEP 562), and
heavy dependencies (zxcvbn, Babel, phonenumbers, cattrs) only when a rule needs them.
"""

from __future__ import annotations

import importlib

# `typing` itself costs ~10 ms to import; type checkers treat this constant as True.
TYPE_CHECKING = False

__version__ = "0.2.0"

if TYPE_CHECKING:
    from selfcare.core import (
        HTTP_STATUS,
        LANGUAGES,
        AlreadyExists,
        Clock,
        ConcurrencyConflict,
        Currency,
        Decision,
        Done,
        Event,
        FixedClock,
        Kind,
        Money,
        NotFound,
        Outcome,
        Refusal,
        Refused,
        SelfcareError,
        StorageError,
        StorageUnavailable,
        SystemClock,
        Violation,
    )

_LAZY = dict.fromkeys(
    (
        "HTTP_STATUS",
        "LANGUAGES",
        "AlreadyExists",
        "Clock",
        "ConcurrencyConflict",
        "Currency",
        "Decision",
        "Done",
        "Event",
        "FixedClock",
        "Kind",
        "Money",
        "NotFound",
        "Outcome",
        "Refusal",
        "Refused",
        "SelfcareError",
        "StorageError",
        "StorageUnavailable",
        "SystemClock",
        "Violation",
    ),
    "selfcare.core",
)

__all__ = [
    "HTTP_STATUS",
    "LANGUAGES",
    "AlreadyExists",
    "Clock",
    "ConcurrencyConflict",
    "Currency",
    "Decision",
    "Done",
    "Event",
    "FixedClock",
    "Kind",
    "Money",
    "NotFound",
    "Outcome",
    "Refusal",
    "Refused",
    "SelfcareError",
    "StorageError",
    "StorageUnavailable",
    "SystemClock",
    "Violation",
    "__version__",
]


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        msg = f"module 'selfcare' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
