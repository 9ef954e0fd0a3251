"""Shared test configuration: hypothesis profiles and strict message checks."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

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
# Mutation testing (tools/mutate.py, issue 21): the same examples on every run, no
# example database, no deadline, no shrinking (a failing mutant needs no minimal
# example), 30 examples per property. The scores in bench/RESULTS.md are measured with it.
settings.register_profile(
    "mutation",
    max_examples=30,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=False,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
