"""Every public entity round-trips through the one converter, and junk gives our error."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import Decision, Money, SelfcareError, Violation
from selfcare.authz.invitation import Invitation, IssuedInvitation
from selfcare.core.secrets import is_secret
from selfcare.identity.account import Account
from selfcare.identity.ids import RegistrationId
from selfcare.identity.national_id import parse_national_id
from selfcare.identity.otp import OneTimeCodeChallenge
from selfcare.identity.registration import Registration
from selfcare.serialization import make_converter, storage_converter, structure, unstructure
from selfcare.testing.contracts.identity import example_account
from selfcare.testing.strategies import ENTITIES

NOW = datetime(2026, 3, 2, 8, tzinfo=UTC)


@pytest.mark.parametrize("cls", sorted(ENTITIES, key=lambda c: c.__qualname__), ids=str)
@given(data=st.data())
def test_every_entity_round_trips_through_its_storage_form(cls: type, data: st.DataObject) -> None:
    value = data.draw(ENTITIES[cls])
    wire = json.loads(json.dumps(unstructure(value, include_secrets=True)))
    assert structure(wire, cls) == value
    assert storage_converter.unstructure(value) == wire


@pytest.mark.parametrize("cls", sorted(ENTITIES, key=lambda c: c.__qualname__), ids=str)
@given(data=st.data())
def test_every_entity_without_secrets_round_trips_through_the_default_form(
    cls: type, data: st.DataObject
) -> None:
    value = data.draw(ENTITIES[cls])
    wire = json.loads(json.dumps(unstructure(value)))
    if wire == unstructure(value, include_secrets=True):
        assert structure(wire, cls) == value
    else:  # something secret was left out: every secret field is missing
        assert _secret_fields_left_out(value, wire) > 0


def _secret_fields_left_out(value: object, document: object) -> int:
    """How many secret fields of ``value`` (at any depth) its ``document`` leaves out;
    fails on one that it holds."""
    left_out = 0
    if isinstance(value, tuple | list) and isinstance(document, list):
        for item, part in zip(value, document, strict=True):
            left_out += _secret_fields_left_out(item, part)
    elif attrs.has(type(value)) and isinstance(document, dict):
        for field in attrs.fields(type(value)):
            if is_secret(field):
                assert field.name not in document
                left_out += 1
            elif field.name in document:
                left_out += _secret_fields_left_out(
                    getattr(value, field.name), document[field.name]
                )
    return left_out


@pytest.mark.parametrize(
    ("cls", "secrets"),
    [
        (Account, {"national_id", "password_hash"}),
        (Registration, {"national_id", "claimed_national_id", "password_hash"}),
        (IssuedInvitation, {"token"}),
        (Invitation, {"token_hash"}),
        (OneTimeCodeChallenge, {"salt", "code_hash"}),
    ],
)
@given(data=st.data())
def test_the_default_form_leaves_secrets_out_and_storage_asks_for_them(
    cls: type, secrets: set[str], data: st.DataObject
) -> None:
    value = data.draw(ENTITIES[cls])
    assert secrets.isdisjoint(unstructure(value))
    assert secrets <= set(unstructure(value, include_secrets=True))


def test_a_registration_reads_back_from_its_default_form_without_its_secrets() -> None:
    registration = Registration(
        id=RegistrationId("r-1"),
        started_at=NOW,
        updated_at=NOW,
        expires_at=NOW,
        national_id=parse_national_id("131052-308T", "FI", today=NOW.date()),
        password_hash="scrypt$secret",
    )
    wire = unstructure(registration)
    assert "131052" not in json.dumps(wire)
    assert structure(wire, Registration) == attrs.evolve(
        registration, national_id=None, password_hash=None
    )


def test_an_account_reads_back_only_from_its_storage_form() -> None:
    account = example_account(1)
    with pytest.raises(SelfcareError) as raised:
        structure(unstructure(account), Account)
    assert "serialization.missing_key" in raised.value.codes
    assert structure(unstructure(account, include_secrets=True), Account) == account


def test_registry_holds_the_core_entities() -> None:
    assert {Violation, Decision, Money} <= set(ENTITIES)


@attrs.frozen
class Sample:
    when: datetime
    day: date
    amount: Decimal
    tags: frozenset[str]
    wait: timedelta
    items: tuple[Money, ...] = ()


SAMPLE = Sample(
    when=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    day=date(2026, 1, 2),
    amount=Decimal("12.90"),
    tags=frozenset({"b", "a", "c"}),
    wait=timedelta(minutes=5, microseconds=500_000),
    items=(Money("1.00", "EUR"),),
)


def test_wire_format_choices() -> None:
    assert unstructure(SAMPLE) == {
        "when": "2026-01-02T03:04:05+00:00",
        "day": "2026-01-02",
        "amount": "12.90",
        "tags": ["a", "b", "c"],
        "wait": "300.5",
        "items": [{"amount": "1.00", "currency": "EUR"}],
    }
    assert structure(unstructure(SAMPLE), Sample) == SAMPLE
    assert unstructure(timedelta(0)) == "0"


def _wire(**changes: Any) -> dict[str, Any]:
    wire: dict[str, Any] = unstructure(SAMPLE)
    wire.update(changes)
    return wire


@pytest.mark.parametrize(
    ("changes", "code", "path"),
    [
        ({"when": "2026-01-02T03:04:05"}, "time.naive_datetime", None),
        ({"when": "yesterday"}, "time.not_a_datetime", None),
        ({"when": 5}, "time.not_a_datetime", None),
        ({"day": "2026-02-30"}, "serialization.invalid_value", "$.day"),
        ({"amount": 1.5}, "serialization.invalid_value", "$.amount"),
        ({"amount": "NaN"}, "serialization.invalid_value", "$.amount"),
        ({"amount": "1" * 100}, "serialization.invalid_value", "$.amount"),
        (
            {"items": [{"amount": "1", "currency": "XXX"}]},
            "serialization.invalid_value",
            "$.items[0].currency",
        ),
        ({"items": [{"amount": "1"}]}, "serialization.missing_key", "$.items[0].currency"),
        ({"extra": 1}, "serialization.extra_keys", "$"),
    ],
)
def test_bad_documents_give_selfcare_errors_with_paths(
    changes: dict[str, Any], code: str, path: str | None
) -> None:
    with pytest.raises(SelfcareError) as info:
        structure(_wire(**changes), Sample)
    assert code in info.value.codes
    if path is not None:
        found = [v for v in info.value.violations if v.code == code]
        assert found[0].params["path"] == path


def test_invalid_values_do_not_echo_the_input() -> None:
    with pytest.raises(SelfcareError) as info:
        structure(_wire(items=[{"amount": "1", "currency": "131052-308T"}]), Sample)
    assert "131052" not in repr(info.value)
    assert info.value.violations[0].params["expected"] == "a valid value"


def test_missing_keys_are_reported_with_their_path() -> None:
    wire = _wire()
    del wire["amount"]
    with pytest.raises(SelfcareError) as info:
        structure(wire, Sample)
    assert info.value.violations[0] == Violation("serialization.missing_key", {"path": "$.amount"})


@pytest.mark.parametrize(
    "junk",
    [
        None,
        [],
        "x",
        1,
        {"code": 1},
        {"code": "time.naive_datetime", "params": []},
        {"code": "x", "params": {}, "extra": 1},
        {"code": "time.naive_datetime", "params": {"name": 1.5}},
    ],
)
def test_malformed_violations_are_refused(junk: object) -> None:
    with pytest.raises(SelfcareError):
        structure(junk, Violation)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=10,
    )
)
def test_junk_only_ever_raises_selfcare_error(junk: object) -> None:
    for cls in (Sample, Money, Decision, Violation):
        with contextlib.suppress(SelfcareError):
            structure(junk, cls)


def test_make_converter_builds_independent_converters() -> None:
    assert make_converter() is not make_converter()


@given(tags=st.frozensets(st.text(max_size=6)))
def test_a_set_of_text_is_written_in_the_order_of_its_json_texts(tags: frozenset[str]) -> None:
    # The order of a set on the wire (and so of the stored document, the cache key of
    # read entities) is that of each item's JSON text, whatever the characters: plain
    # ones take a shortcut that must give the same order.
    written = unstructure(attrs.evolve(SAMPLE, tags=tags))["tags"]
    assert written == sorted(tags, key=lambda tag: json.dumps(tag, sort_keys=True))


def test_plain_and_escaped_text_in_one_set_keep_the_json_order() -> None:
    tags = frozenset({"a", "a b", "a!", "ä", "z", 'q"', "a\\b", "A", "~"})
    written = unstructure(attrs.evolve(SAMPLE, tags=tags))["tags"]
    assert written == sorted(tags, key=lambda tag: json.dumps(tag, sort_keys=True))
    # '"a b"' < '"a"': the space sorts before the closing quote
    assert written.index("a b") < written.index("a")
