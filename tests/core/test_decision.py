from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import Decision, SelfcareError, Violation
from selfcare.testing import strategies as sst

NAIVE = Violation("time.naive_datetime", {"name": "now"})
SHORT = Violation("password.too_short", {"min_length": 10})


def test_bool_of_a_decision_is_whether_it_is_allowed() -> None:
    assert bool(Decision.allow()) is True
    assert bool(Decision.deny(NAIVE)) is False


def test_allowed_decision_cannot_carry_violations() -> None:
    with pytest.raises(ValueError, match="allowed"):
        Decision(True, (NAIVE,))


def test_denied_decision_needs_a_violation() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Decision.deny()


def test_combine_lists_every_violation_in_order() -> None:
    combined = Decision.combine(Decision.deny(NAIVE), Decision.allow("a"), Decision.deny(SHORT))
    assert not combined
    assert combined.codes == ("time.naive_datetime", "password.too_short")
    assert combined.reason is None


def test_combine_of_allowed_decisions_joins_reasons() -> None:
    assert Decision.combine(Decision.allow("a"), Decision.allow(), Decision.allow("b")) == (
        Decision.allow("a; b")
    )
    assert Decision.combine() == Decision.allow()


def test_from_violations_allows_when_empty() -> None:
    assert Decision.from_violations([], reason="ok") == Decision.allow("ok")
    assert Decision.from_violations(iter([SHORT])).codes == ("password.too_short",)


def test_denial_raises_selfcare_error_with_the_violations() -> None:
    with pytest.raises(SelfcareError) as info:
        Decision.deny(SHORT, NAIVE).raise_for_denial()
    assert info.value.violations == (SHORT, NAIVE)
    Decision.allow().raise_for_denial()
    with pytest.raises(ValueError, match="no error"):
        Decision.allow().to_error()


def test_decision_and_violation_are_pattern_matchable() -> None:
    match Decision.deny(SHORT):
        case Decision(False, (Violation("password.too_short", params),)):
            assert params["min_length"] == 10
        case _:  # pragma: no cover - the test fails if reached
            pytest.fail("did not match")


def test_messages_render_in_every_language() -> None:
    decision = Decision.deny(SHORT)
    assert decision.messages("fi") == ("Salasanassa on oltava vähintään 10 merkkiä.",)
    assert decision.messages("xx") == decision.messages("en")


def test_violation_params_are_read_only_and_hash_on_code() -> None:
    params = {"min_length": 10}
    violation = Violation("password.too_short", params)
    params["min_length"] = 3
    assert violation.params["min_length"] == 10
    with pytest.raises(TypeError):
        violation.params["min_length"] = 1  # type: ignore[index]
    assert hash(violation) == hash(Violation("password.too_short", {"min_length": 10}))
    assert "min_length" in repr(violation)
    assert "mappingproxy" not in repr(violation)


def test_violation_params_normalise_sequences_to_tuples() -> None:
    violation = Violation("money.unsupported_currency", {"currency": "X", "supported": ["A", "B"]})
    assert violation.params["supported"] == ("A", "B")
    from_set = Violation("money.unsupported_currency", {"currency": "X", "supported": {"B", "A"}})
    assert from_set.params["supported"] == ("A", "B")


@pytest.mark.parametrize(
    "params",
    [{"min_length": 1.5}, {"min_length": object()}, {1: 2}, "min_length", {"min_length": [1.0]}],
)
def test_violation_params_refuse_values_that_do_not_serialise(params: object) -> None:
    with pytest.raises(TypeError):
        Violation("password.too_short", params)  # type: ignore[arg-type]


def test_selfcare_error_is_a_value_error_and_pickles() -> None:
    error = SelfcareError(SHORT, NAIVE)
    assert isinstance(error, ValueError)
    assert str(error).startswith("The password must be at least 10 characters long.")
    assert error.codes == ("password.too_short", "time.naive_datetime")
    assert len(error.messages("sv")) == 2
    again = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert again.violations == error.violations
    assert "SelfcareError(Violation(" in repr(error)
    assert SelfcareError.from_violations([SHORT]).codes == ("password.too_short",)
    with pytest.raises(TypeError):
        SelfcareError()


@given(st.lists(sst.decisions(), max_size=5))
def test_combination_is_allowed_exactly_when_all_parts_are(parts: list[Decision]) -> None:
    combined = Decision.combine(*parts)
    assert bool(combined) == all(parts)
    assert combined.violations == tuple(v for d in parts for v in d.violations)
