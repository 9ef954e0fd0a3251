"""selfcare.testing.strategies covers every public entity, and its strategies build
valid values (the round trip through the converter is tests/core/test_serialization.py)."""

from __future__ import annotations

import importlib
import pkgutil

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import selfcare
from selfcare.catalog.inventory import Asset, AssetKind
from selfcare.identity.contact import PhoneNumber
from selfcare.testing import strategies as sst
from selfcare.testing.strategies import _accounts, _catalog, _identity

# Packages whose classes are not entities of the library: the test kit itself, the
# adapters (repositories, not values), the command line and the demo.
# The composition root wires services; it holds no values either.
_NOT_ENTITIES = (
    "selfcare.testing",
    "selfcare.adapters",
    "selfcare.__main__",
    "selfcare.cli",
    "selfcare.bootstrap",
    "selfcare.demo",
)


def _public_attrs_classes() -> set[type]:
    found: set[type] = set()
    for info in pkgutil.walk_packages(selfcare.__path__, "selfcare."):
        if info.name.startswith(_NOT_ENTITIES):
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


def _is_valid_mobile(e164: str) -> bool:
    import phonenumbers  # noqa: PLC0415 - heavy, loaded only here

    number = phonenumbers.parse(e164, None)
    return bool(
        phonenumbers.is_valid_number(number)
        and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    )


# Unallocated blocks (e.g. +47 4536) are about one Norwegian number in a thousand: many
# draws, so that a strategy that reaches them fails here rather than now and then.
@settings(max_examples=3000, deadline=None)
@given(asset=_catalog.msisdns())
def test_every_msisdn_drawn_is_a_valid_mobile_number(asset: Asset) -> None:
    assert asset.kind is AssetKind.MSISDN
    assert _is_valid_mobile(asset.value), asset.value


@given(phone=_accounts.phone_numbers())
def test_every_mobile_phone_number_drawn_is_a_valid_mobile_number(phone: PhoneNumber) -> None:
    assert phone.is_mobile
    assert _is_valid_mobile(phone.e164), phone.e164


@given(phone=_identity.phone_numbers())
def test_every_phone_number_drawn_is_valid(phone: PhoneNumber) -> None:
    assert PhoneNumber.parse(phone.e164, phone.region) == phone
