"""Linking customer relationships to an account ("fetch other contracts").

The pure part of :meth:`~selfcare.authz.service.AuthzService.link_customer_relationships`:
which of the operator's customer records count for an identity code, the
:class:`~selfcare.authz.model.CustomerRelationship` a new record becomes, and the holder
grant an account still lacks on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from selfcare.authz.grants import new_grants
from selfcare.authz.model import CustomerRelationship, Grant
from selfcare.authz.permissions import active_roles
from selfcare.authz.roles import RoleModel
from selfcare.core.ids import AccountId, CustomerNumber, IdSource, RelationshipId
from selfcare.identity.customer_records import CustomerRecord
from selfcare.identity.national_id import NationalId

__all__ = [
    "customer_number_of",
    "holder_grant_lacking",
    "new_relationship",
    "records_on_file",
    "relationship_kind",
]


def relationship_kind(record: CustomerRecord) -> str:
    """The operator's kind as a snake_case name ("District Heating" -> district_heating)."""
    return str(record.kind).strip().lower().replace(" ", "_").replace("-", "_")


def records_on_file(
    records: Iterable[CustomerRecord], national_id: NationalId
) -> list[CustomerRecord]:
    """The records that have ``national_id`` *on file* - checked again here, so that a
    directory that also returns records found by a name on the invoice cannot link the
    wrong person."""
    return [record for record in records if record.is_on_file(national_id)]


def customer_number_of(record: CustomerRecord) -> CustomerNumber:
    """The record's customer number in the form relationships are stored under."""
    return CustomerNumber(str(record.customer_number).strip())


def new_relationship(record: CustomerRecord, *, ids: IdSource) -> CustomerRelationship:
    """The :class:`~selfcare.authz.model.CustomerRelationship` a record not seen before
    becomes.

    Raises:
        SelfcareError: ``authz.invalid_id`` or ``authz.invalid_name`` for a record with an
            unusable customer number or kind.
    """
    return CustomerRelationship(
        id=RelationshipId(ids.new_id()),
        customer_number=customer_number_of(record),
        kind=relationship_kind(record),
    )


def holder_grant_lacking(
    account: AccountId,
    relationship: RelationshipId,
    grants: Sequence[Grant],
    *,
    model: RoleModel,
    ids: IdSource,
    now: datetime,
) -> Grant | None:
    """The holder grant ``account`` lacks on ``relationship``, or ``None`` when it holds
    that role already (linking twice changes nothing)."""
    if model.holder_role in active_roles(account, relationship, grants, now=now):
        return None
    (grant,) = new_grants(
        account, relationship, {model.holder_role}, granted_by=None, ids=ids, now=now
    )
    return grant
