"""Hypothesis strategies for every public entity of selfcare.

Use them to property-test your own code::

    from hypothesis import given
    from selfcare.testing import strategies as sst

    @given(sst.money())
    def test_my_invoice_renderer(amount): ...

Each domain has a private submodule; :data:`ENTITIES` maps every public entity class
to a strategy that builds valid instances of it (the library's own round-trip test runs
over all of them).
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from hypothesis import strategies as st

from selfcare.testing.strategies._core import (
    aware_datetimes,
    currencies,
    decisions,
    money,
    param_values,
    violations,
)

__all__ = [
    "ENTITIES",
    "aware_datetimes",
    "currencies",
    "decisions",
    "entity_strategies",
    "money",
    "param_values",
    "violations",
]


def entity_strategies() -> dict[type, st.SearchStrategy[Any]]:
    """Every public entity class with a strategy for it, gathered from the submodules.

    Each private submodule ``_<domain>.py`` contributes its own ``ENTITIES`` mapping.
    """
    found: dict[type, st.SearchStrategy[Any]] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.update(getattr(module, "ENTITIES", {}))
    return found


#: Every public entity class mapped to a strategy of valid instances.
ENTITIES = entity_strategies()
