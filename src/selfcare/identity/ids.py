"""The id types of identity's own entities.

Accounts use :data:`~selfcare.core.ids.AccountId`, which every package shares; a
registration and a feedback message have ids of their own, so that mypy catches one
passed where the other is expected.
"""

from __future__ import annotations

from typing import NewType

__all__ = ["FeedbackId", "RegistrationId"]

RegistrationId = NewType("RegistrationId", str)
FeedbackId = NewType("FeedbackId", str)
