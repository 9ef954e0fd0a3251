"""The events of privacy: what :class:`~selfcare.privacy.service.PrivacyService` did,
in the past tense, for the operator's audit trail (GDPR Art. 5(2), accountability).

They hold account ids and counts only: never a name, an address or an identity code.
"""

from __future__ import annotations

import enum
from datetime import datetime  # noqa: F401 - resolves the inherited occurred_at hint
from typing import final

import attrs

from selfcare.core.events import Event
from selfcare.core.ids import AccountId

__all__ = [
    "AccountClosed",
    "AccountErased",
    "ExpiredRecordsPurged",
    "PersonalDataExported",
    "ReauthenticationMethod",
]


@final
@attrs.frozen(kw_only=True)
class PersonalDataExported(Event):
    """Everything held about a person was handed out (GDPR Art. 15, 20).

    Attributes:
        account_id: whose data.
    """

    account_id: AccountId


@final
@attrs.frozen(kw_only=True)
class AccountErased(Event):
    """An account was erased (GDPR Art. 17). The counts are those of the
    :class:`~selfcare.privacy.model.ErasureReport`, which says what each one counts.

    Attributes:
        account_id: the erased account (now a tombstone).
    """

    account_id: AccountId
    registrations_deleted: int = 0
    grants_revoked: int = 0
    invitations_anonymised: int = 0
    invitations_revoked: int = 0
    one_time_codes_deleted: int = 0
    feedback_deleted: int = 0
    login_throttles_deleted: int = 0


@final
@attrs.frozen(kw_only=True)
class ExpiredRecordsPurged(Event):
    """Retention removed records whose period had run out.

    Attributes:
        registrations: registrations removed.
        invitations: invitations removed.
        one_time_codes: one-time code challenges removed.
        login_throttles: failed-login counters removed (at rest).
    """

    registrations: int = 0
    invitations: int = 0
    one_time_codes: int = 0
    login_throttles: int = 0


class ReauthenticationMethod(enum.StrEnum):
    """How the owner proved once more who they are before closing their account."""

    PASSWORD = "password"  # noqa: S105 - the name of a method, not a password
    STRONG_IDENTIFICATION = "strong_identification"


@final
@attrs.frozen(kw_only=True)
class AccountClosed(Event):
    """The owner closed their own account from the portal; the erasure that did it
    follows as :class:`AccountErased`.

    Attributes:
        account_id: the closed account (now a tombstone).
        reauthenticated_by: how the owner proved who they are.
    """

    account_id: AccountId
    reauthenticated_by: ReauthenticationMethod
