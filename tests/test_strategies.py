"""selfcare.testing.strategies covers every public entity, and its strategies build
valid values (the round trip through the converter is tests/core/test_serialization.py)."""

from __future__ import annotations

import importlib
import pkgutil

import attrs
from hypothesis import given
from hypothesis import strategies as st

import selfcare
from selfcare.testing import strategies as sst

# Packages whose classes are not entities of the library: the test kit itself, the
# adapters (repositories, not values), the command line and the demo.
# The composition root wires services; it holds no values either.
_NOT_ENTITIES = (
    "selfcare.testing",
    "selfcare.adapters",
    "selfcare.__main__",
    "selfcare.cli",
    "selfcare.bootstrap",
)


def _public_attrs_classes() -> set[type]:
    found: set[type] = set()
    for info in pkgutil.walk_packages(selfcare.__path__, "selfcare."):
        if info.name.startswith(_NOT_ENTITIES) or info.name == "selfcare.demo":
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name, None)
            if isinstance(value, type) and attrs.has(value):
                found.add(value)
    return found


def test_every_public_attrs_class_has_a_strategy() -> None:
    missing = sorted(
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in _public_attrs_classes()
        if cls not in sst.ENTITIES
    )
    assert missing == []


def test_the_registry_is_gathered_from_every_submodule() -> None:
    assert sst.entity_strategies().keys() == sst.ENTITIES.keys()


@given(st.data())
def test_each_strategy_builds_instances_of_its_class(data: st.DataObject) -> None:
    cls = data.draw(st.sampled_from(sorted(sst.ENTITIES, key=lambda c: c.__qualname__)))
    assert isinstance(data.draw(sst.ENTITIES[cls]), cls)
