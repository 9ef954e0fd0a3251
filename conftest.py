"""Shared test configuration: hypothesis profiles and strict message checks."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

from selfcare.core import messages

# Every Violation created during the tests is checked against the message catalog, so an
# unknown code or a wrong set of params fails the test that produced it.
messages.set_strict_mode(True)

settings.register_profile(
    "dev", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
