"""The 0.2 API has one shape: every public method of every service returns an Outcome,
and every violation code is written literally where it is emitted."""

from __future__ import annotations

import inspect
import re
import typing
from pathlib import Path

import pytest

from selfcare.authz.service import AuthzService
from selfcare.billing.service import BillingService
from selfcare.catalog.service import CatalogService
from selfcare.core.messages import catalog
from selfcare.core.outcome import Done, Refused
from selfcare.identity.service import IdentityService
from selfcare.privacy.service import PrivacyService

SRC = Path(__file__).resolve().parents[1] / "src" / "selfcare"


def _services() -> list[type]:
    return [IdentityService, AuthzService, CatalogService, BillingService, PrivacyService]


def _public_methods() -> list[tuple[str, object]]:
    found = []
    for service in _services():
        for name, member in inspect.getmembers(service, inspect.isfunction):
            if not name.startswith("_"):
                found.append((f"{service.__name__}.{name}", member))
    return found


@pytest.mark.parametrize(("name", "method"), _public_methods(), ids=str)
def test_every_public_service_method_returns_an_outcome(name: str, method: object) -> None:
    hints = typing.get_type_hints(method)
    returned = hints["return"]
    members = set(typing.get_args(returned))
    origins = {typing.get_origin(m) or m for m in members}
    assert origins == {Done, Refused}, f"{name} returns {returned}"


def test_every_service_has_public_use_cases() -> None:
    assert all(
        any(not n.startswith("_") for n, _ in inspect.getmembers(s, inspect.isfunction))
        for s in _services()
    )


def test_no_module_defines_a_free_use_case_taking_a_unit_of_work() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        if "adapters" in path.parts or "testing" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [
            f"{path.name}:{m.group(1)}"
            for m in re.finditer(r"^def ([a-z]\w*)\(\s*uow\b", text, flags=re.MULTILINE)
        ]
    assert offenders == []


def test_every_violation_code_is_written_literally_where_it_is_emitted() -> None:
    source = "".join(
        p.read_text(encoding="utf-8") for p in SRC.rglob("*.py") if "testing" not in p.parts
    )
    missing = [code for code in catalog() if f'"{code}"' not in source]
    assert missing == []
