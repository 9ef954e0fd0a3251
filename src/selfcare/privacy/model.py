"""Values of selfcare.privacy: the export document, the erasure tombstone, retention.

- :class:`PersonalDataExport` - everything the library holds about one person (GDPR
  Art. 15 and 20), schema :data:`SCHEMA_VERSION`; secrets are redacted.
- :class:`ErasedAccount` - what stays of an erased account (GDPR Art. 17): its id and
  when it was erased, so that the ids other records still hold lead somewhere.
- :class:`ErasureReport` - what an erasure changed, by kind of record.
- :class:`RetentionPolicy` - how long ended records are kept before
  :meth:`~selfcare.privacy.service.PrivacyService.purge_expired` removes them;
  :class:`PurgeCounts` - how many it removed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final, final

import attrs

from selfcare.authz.invitation import Invitation
from selfcare.authz.model import Grant
from selfcare.catalog.orders import ProductOrder
from selfcare.core.clock import utc_field
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import AccountId
from selfcare.identity.account import Account, Feedback
from selfcare.identity.otp import OneTimeCodeChallenge
from selfcare.identity.registration import Registration

__all__ = [
    "DEFAULT_RETENTION",
    "REDACTED",
    "SCHEMA_VERSION",
    "ErasedAccount",
    "ErasureReport",
    "PersonalDataExport",
    "PurgeCounts",
    "RetentionPolicy",
]

#: The version of the export document's schema. It changes when a field is removed or
#: changes meaning; new fields may appear within a version.
SCHEMA_VERSION: Final = "1"
#: What stands in the export for a secret the library keeps only as a hash (password,
#: token and one-time code hashes): the person gets to know that one exists, not the
#: value, which would help only someone who intercepts the export.
REDACTED: Final = "<redacted>"


def _retention(_instance: object, attribute: attrs.Attribute[timedelta], value: timedelta) -> None:
    if not isinstance(value, timedelta) or value < timedelta(0):
        raise SelfcareError(Violation("privacy.invalid_retention", {"setting": attribute.name}))


@final
@attrs.frozen(kw_only=True)
class RetentionPolicy:
    """How long ended records are kept before they are purged (defaults documented in
    :doc:`/guides/privacy`).

    Attributes:
        registrations: after an open registration expired or was abandoned (30 days:
            time to answer "why did my registration fail?"). Completed registrations
            are kept with their account and erased with it.
        invitations: after an invitation expired (unanswered) or was declined (30 days;
            the inviter sees it in the list meanwhile). Accepted invitations explain
            grants and are kept; revoked ones are kept as the inviter's own action.
        one_time_codes: after a one-time code was verified, locked or expired
            (1 day: the send limit looks back one hour, support may look back a day).
        login_throttles: after a failed-login counter last changed, once it counts
            nothing any more - every failure leaked away, no lock running (1 day). It
            holds a digest of the client's address: personal data with a short life.

    Raises:
        SelfcareError: ``privacy.invalid_retention`` for a negative period.
    """

    registrations: timedelta = attrs.field(default=timedelta(days=30), validator=_retention)
    invitations: timedelta = attrs.field(default=timedelta(days=30), validator=_retention)
    one_time_codes: timedelta = attrs.field(default=timedelta(days=1), validator=_retention)
    login_throttles: timedelta = attrs.field(default=timedelta(days=1), validator=_retention)


#: The defaults, as a value.
DEFAULT_RETENTION: Final = RetentionPolicy()


@final
@attrs.frozen(kw_only=True)
class PurgeCounts:
    """How many records
    :meth:`~selfcare.privacy.service.PrivacyService.purge_expired` removed."""

    registrations: int = 0
    invitations: int = 0
    one_time_codes: int = 0
    login_throttles: int = 0

    @property
    def total(self) -> int:
        """All records removed."""
        return self.registrations + self.invitations + self.one_time_codes + self.login_throttles


@final
@attrs.frozen(kw_only=True)
class ErasedAccount:
    """The tombstone of an erased account: no personal data, only the id that other
    records (grants given, invitations sent, orders placed) still refer to.

    Attributes:
        account_id: the id of the erased account.
        erased_at: when it was erased.
    """

    account_id: AccountId
    erased_at: datetime = utc_field()


@final
@attrs.frozen(kw_only=True)
class ErasureReport:
    """What :meth:`~selfcare.privacy.service.PrivacyService.erase_account` did, by kind of
    record.

    Attributes:
        tombstone: the record left in place of the account.
        registrations_deleted: the person's registrations (finished and not).
        grants_revoked: the person's active grants, revoked (kept, naming only the id).
        invitations_anonymised: invitations the person sent or received, kept with no
            name, address or message.
        invitations_revoked: pending invitations the person sent, revoked.
        one_time_codes_deleted: one-time code challenges sent to the person's phone.
        feedback_deleted: feedback the person sent or gave their address in.
        login_throttles_deleted: the failed-login counters of the account (per
            source it was tried from).
    """

    tombstone: ErasedAccount
    registrations_deleted: int = 0
    grants_revoked: int = 0
    invitations_anonymised: int = 0
    invitations_revoked: int = 0
    one_time_codes_deleted: int = 0
    feedback_deleted: int = 0
    login_throttles_deleted: int = 0


@final
@attrs.frozen(kw_only=True)
class PersonalDataExport:
    """Everything the library holds about one person (GDPR Art. 15 and 20).

    Turn it into the JSON-ready document with :func:`selfcare.serialization.unstructure`
    (or call :meth:`~selfcare.privacy.service.PrivacyService.export_personal_data`,
    which does). Hashes of secrets are replaced by :data:`REDACTED`; the national
    identity code appears in full - it is the person's own.

    Attributes:
        schema_version: :data:`SCHEMA_VERSION`.
        exported_at: when the export was made.
        account: the account (profile, state, login history fields).
        registrations: the person's registrations, finished or not.
        grants_received: grants that let the person use a customer relationship.
        grants_given: grants the person gave or revoked for someone else.
        invitations_sent: invitations the person sent.
        invitations_received: invitations sent to the person's address or accepted by
            the person.
        orders: orders the person placed.
        one_time_codes: one-time code challenges sent to the person's phone.
        feedback: feedback the person sent or gave their address in.
    """

    schema_version: str = SCHEMA_VERSION
    exported_at: datetime = utc_field()
    account: Account
    registrations: tuple[Registration, ...] = ()
    grants_received: tuple[Grant, ...] = ()
    grants_given: tuple[Grant, ...] = ()
    invitations_sent: tuple[Invitation, ...] = ()
    invitations_received: tuple[Invitation, ...] = ()
    orders: tuple[ProductOrder, ...] = ()
    one_time_codes: tuple[OneTimeCodeChallenge, ...] = ()
    feedback: tuple[Feedback, ...] = ()

    def document(self) -> dict[str, Any]:
        """The JSON-ready document (through :mod:`selfcare.serialization`)."""
        from selfcare.serialization import unstructure  # noqa: PLC0415 - keeps import light

        # The export is for the person it is about: their national identity code in
        # full, the hashes already redacted (REDACTED) - the storage form.
        result: dict[str, Any] = unstructure(self, include_secrets=True)
        return result
