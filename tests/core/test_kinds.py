"""Every violation code has a kind, and every kind an HTTP status."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from selfcare import HTTP_STATUS, Decision, Kind, Refused, SelfcareError, Violation
from selfcare.core.kinds import PRECEDENCE, deciding_kind
from selfcare.core.messages import catalog, kind_of

LOCALE = Path(__file__).resolve().parents[2] / "src" / "selfcare" / "locale"


def test_every_code_in_the_toml_files_declares_a_known_kind() -> None:
    missing = []
    for path in sorted(LOCALE.glob("*.toml")):
        for code, table in tomllib.loads(path.read_text(encoding="utf-8")).items():
            if table.get("kind") not in {kind.value for kind in Kind}:
                missing.append(code)
    assert missing == []


def test_every_kind_has_an_http_status_and_a_place_in_the_precedence() -> None:
    assert set(HTTP_STATUS) == set(Kind) == set(PRECEDENCE)
    assert len(PRECEDENCE) == len(Kind)


@pytest.mark.parametrize(
    ("code", "kind", "status"),
    [
        ("authz.unknown_relationship", Kind.NOT_FOUND, 404),
        ("invitation.expired", Kind.GONE, 410),
        ("order.permission_denied", Kind.FORBIDDEN, 403),
        ("order.quote_outdated", Kind.CONFLICT, 409),
        ("login.temporarily_locked", Kind.RATE_LIMITED, 429),
        ("login.invalid_credentials", Kind.UNAUTHENTICATED, 401),
        ("password.too_short", Kind.INVALID, 400),
        ("store.unavailable", Kind.UNAVAILABLE, 503),
    ],
)
def test_codes_have_the_kind_their_meaning_says(code: str, kind: Kind, status: int) -> None:
    assert kind_of(code) is kind
    assert HTTP_STATUS[kind] == status


def test_kinds_are_not_given_by_prefix() -> None:
    authz_kinds = {e.kind for code, e in catalog().items() if code.startswith("authz.")}
    assert {Kind.NOT_FOUND, Kind.FORBIDDEN, Kind.INVALID, Kind.CONFLICT} <= authz_kinds


def test_a_refusal_is_decided_by_the_most_telling_kind() -> None:
    bad_input = Violation("order.empty", {})
    no_grant = Violation("authz.no_grant", {"permission": "order", "relationship": "r"})
    assert Decision.deny(bad_input).kind is Kind.INVALID
    assert Decision.deny(bad_input, no_grant).kind is Kind.FORBIDDEN
    assert Decision.allow().kind is None
    assert Refused.because(bad_input, no_grant).kind is Kind.FORBIDDEN
    assert SelfcareError(bad_input, no_grant).kind is Kind.FORBIDDEN


def test_deciding_among_no_kinds_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="no kinds"):
        deciding_kind([])
