"""Strong-identification assertions: level, age, clock skew and the person."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from selfcare import SelfcareError
from selfcare.identity.assertion import (
    CLOCK_SKEW,
    AuthMethod,
    IdentityAssertion,
    LevelOfAssurance,
    accept_assertion,
)
from selfcare.identity.national_id import parse_national_id
from selfcare.serialization import structure, unstructure

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
HETU = parse_national_id("131052-308T", "FI", today=date(2026, 3, 1))
OTHER = parse_national_id("010594-9032", "FI", today=date(2026, 3, 1), allow_temporary=True)


def _assertion(**changes: object) -> IdentityAssertion:
    fields: dict[str, object] = {
        "method": AuthMethod.BANK,
        "level": LevelOfAssurance.SUBSTANTIAL,
        "national_id": HETU,
        "given_names": "Matti  Juhani",
        "surname": "Meikäläinen",
        "provider": "Example Bank",
        "issued_at": NOW - timedelta(minutes=1),
    }
    fields.update(changes)
    return IdentityAssertion(**fields)  # type: ignore[arg-type]


def test_a_fresh_assertion_of_the_expected_person_is_accepted() -> None:
    decision = accept_assertion(_assertion(), now=NOW, expected_national_id=HETU)
    assert decision
    assert decision.reason == "assertion:bank"


def test_levels_are_ordered() -> None:
    assert LevelOfAssurance.LOW < LevelOfAssurance.SUBSTANTIAL < LevelOfAssurance.HIGH
    assert LevelOfAssurance.HIGH >= LevelOfAssurance.HIGH
    assert LevelOfAssurance.HIGH > LevelOfAssurance.LOW
    assert LevelOfAssurance.LOW <= LevelOfAssurance.LOW
    assert max(LevelOfAssurance) is LevelOfAssurance.HIGH


def test_a_too_weak_assertion_is_refused() -> None:
    decision = accept_assertion(_assertion(level="low"), now=NOW)
    assert decision.codes == ("assertion.level_too_low",)
    assert decision.violations[0].params == {"level": "low", "min_level": "substantial"}
    assert accept_assertion(_assertion(), now=NOW, min_level="high").codes == (
        "assertion.level_too_low",
    )


def test_an_old_assertion_is_refused() -> None:
    old = _assertion(issued_at=NOW - timedelta(minutes=5, seconds=1))
    assert accept_assertion(old, now=NOW).codes == ("assertion.expired",)
    just = _assertion(issued_at=NOW - timedelta(minutes=5))
    assert accept_assertion(just, now=NOW)
    assert accept_assertion(old, now=NOW, max_age=timedelta(minutes=10))


def test_an_assertion_from_the_future_is_refused_beyond_the_skew() -> None:
    assert accept_assertion(_assertion(issued_at=NOW + CLOCK_SKEW), now=NOW)
    future = _assertion(issued_at=NOW + CLOCK_SKEW + timedelta(seconds=1))
    assert accept_assertion(future, now=NOW).codes == ("assertion.issued_in_future",)


def test_another_person_is_refused() -> None:
    assert accept_assertion(_assertion(), now=NOW, expected_national_id=OTHER).codes == (
        "assertion.national_id_mismatch",
    )


def test_every_refusal_is_reported() -> None:
    bad = _assertion(level="low", issued_at=NOW - timedelta(hours=1))
    assert accept_assertion(bad, now=NOW, expected_national_id=OTHER).codes == (
        "assertion.level_too_low",
        "assertion.expired",
        "assertion.national_id_mismatch",
    )


def test_work_accounts_have_no_national_id_and_others_must() -> None:
    work = _assertion(method="work_account", national_id=None)
    assert accept_assertion(work, now=NOW)
    assert accept_assertion(work, now=NOW, expected_national_id=HETU).codes == (
        "assertion.national_id_mismatch",
    )
    with pytest.raises(SelfcareError) as caught:
        _assertion(national_id=None)
    assert caught.value.codes == ("assertion.national_id_missing",)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"method": "carrier_pigeon"}, "assertion.unknown_method"),
        ({"level": "very"}, "assertion.unknown_level"),
        ({"surname": "x" * 201}, "assertion.name_too_long"),
        ({"issued_at": datetime(2026, 3, 1)}, "time.naive_datetime"),  # noqa: DTZ001
    ],
)
def test_bad_assertions_are_refused(changes: dict[str, object], code: str) -> None:
    with pytest.raises(SelfcareError) as caught:
        _assertion(**changes)
    assert caught.value.codes == (code,)


def test_naive_now_and_unknown_min_level_are_refused() -> None:
    with pytest.raises(SelfcareError):
        accept_assertion(_assertion(), now=datetime(2026, 3, 1))  # noqa: DTZ001
    with pytest.raises(SelfcareError):
        accept_assertion(_assertion(), now=NOW, min_level="extreme")


def test_names_are_tidied_and_the_assertion_round_trips() -> None:
    assertion = _assertion()
    assert assertion.given_names == "Matti Juhani"
    stored = unstructure(assertion, include_secrets=True)
    assert structure(stored, IdentityAssertion) == assertion
    assert "308T" not in repr(assertion)
    assert "308T" not in str(unstructure(assertion))


def test_levels_do_not_compare_with_other_things() -> None:
    with pytest.raises(TypeError):
        _ = LevelOfAssurance.LOW < "very"
    with pytest.raises(TypeError):
        _ = LevelOfAssurance.LOW <= 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = LevelOfAssurance.LOW > 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = LevelOfAssurance.LOW >= 1  # type: ignore[operator]
    assert LevelOfAssurance.HIGH.rank == 3


def test_enum_values_and_wrong_types() -> None:
    assertion = _assertion(method=AuthMethod.ID_CARD, level=LevelOfAssurance.HIGH)
    assert accept_assertion(assertion, now=NOW, min_level=LevelOfAssurance.HIGH)
    with pytest.raises(TypeError):
        _assertion(surname=None)
    with pytest.raises(SelfcareError):
        _assertion(method=3)


def test_levels_compare_with_level_names_by_rank() -> None:
    assert LevelOfAssurance.LOW < "high"
    assert LevelOfAssurance.HIGH > "substantial"
