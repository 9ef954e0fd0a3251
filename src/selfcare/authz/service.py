"""Use cases of selfcare.authz: load through the ports, apply the rules, save, return events.

Every method runs in one unit of work and returns an
:class:`~selfcare.core.outcome.Outcome`: :class:`~selfcare.core.outcome.Done` with the
value and the :mod:`~selfcare.authz.events` of what it changed (the audit trail), or
:class:`~selfcare.core.outcome.Refused` with every reason. Saves are compare-and-set,
so two use cases racing on one invitation (an accept and a revoke) cannot both win: the
loser gets :class:`~selfcare.core.errors.ConcurrencyConflict` or the refusal its rule
gives on the winner's result.

When it has a :class:`~selfcare.identity.ports.Notifier`, :meth:`AuthzService.invite` and
:meth:`AuthzService.resend_invitation` hand it the invitation e-mail
(``authz.invitation``) once the invitation is saved.

Build it with :func:`selfcare.bootstrap.bootstrap` (``app.authz``). A service holds one
unit of work and is not safe to share between threads (see :doc:`/guides/async`).
"""

from __future__ import annotations

from collections.abc import Iterable

from selfcare.authz.events import (
    GrantRevoked,
    RelationshipLinked,
    grant_events,
)
from selfcare.authz.invitation_policy import InvitationPolicy
from selfcare.authz.invitation_use_cases import InvitationUseCases
from selfcare.authz.linking import (
    customer_number_of,
    holder_grant_lacking,
    new_relationship,
    records_on_file,
)
from selfcare.authz.model import CustomerRelationship, Grant
from selfcare.authz.permissions import allowing_grant, relationships_of
from selfcare.authz.ports import AccountDirectory, AuthzUnitOfWork
from selfcare.authz.removal import RemovalRequest, confirm_removal, request_removal
from selfcare.authz.roles import DEFAULT_ROLE_MODEL, RoleModel
from selfcare.core.clock import Clock
from selfcare.core.decision import Violation
from selfcare.core.ids import AccountId, IdSource, RelationshipId, SecretSource
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.identity.assertion import IdentityAssertion
from selfcare.identity.customer_records import CustomerRecord
from selfcare.identity.ports import CustomerDirectory, Notifier
from selfcare.identity.registration import RegistrationPolicy
from selfcare.identity.registration_identification import check_identification

__all__ = ["AuthzService"]


class AuthzService(InvitationUseCases):
    """The authz use cases over one unit of work.

    Args:
        uow: a unit of work implementing :class:`~selfcare.authz.ports.AuthzUnitOfWork`.
        accounts: the :class:`~selfcare.authz.ports.AccountDirectory`.
        customers: the operator's customer system (read only), for customer matching.
        clock: where ``now`` comes from.
        ids: where new ids come from.
        secrets: where invitation tokens come from.
        invitation_policy: the operator's invitation policy.
        role_model: the operator's role model.
        registration_policy: the operator's registration policy, whose identification
            rules (level, age, providers, methods) a fresh identification must meet.
        notifier: receives the invitation e-mails; ``None`` leaves sending them to the
            caller (with the token of the returned
            :class:`~selfcare.authz.invitation.IssuedInvitation`).

    Thread safety: not safe to share between threads (it holds one unit of work); build
    one per thread or per call, as :class:`selfcare.aio.AsyncApp` does.
    """

    def __init__(
        self,
        *,
        uow: AuthzUnitOfWork,
        accounts: AccountDirectory,
        customers: CustomerDirectory,
        clock: Clock,
        ids: IdSource,
        secrets: SecretSource,
        invitation_policy: InvitationPolicy | None = None,
        role_model: RoleModel = DEFAULT_ROLE_MODEL,
        registration_policy: RegistrationPolicy | None = None,
        notifier: Notifier | None = None,
    ) -> None:
        self.uow = uow
        self.notifier = notifier
        self.accounts = accounts
        self.customers = customers
        self.clock = clock
        self.ids = ids
        self.secrets = secrets
        self.invitation_policy: InvitationPolicy = invitation_policy or InvitationPolicy()
        self.role_model = role_model
        self.registration_policy: RegistrationPolicy = registration_policy or RegistrationPolicy()

    # -- checks -----------------------------------------------------------------------

    def check(
        self, user: AccountId, permission: str, relationship: RelationshipId
    ) -> Outcome[Grant]:
        """May ``user`` do ``permission`` on ``relationship`` now?

        Returns:
            ``Done`` with the active grant that allows it, or ``Refused`` with
            ``authz.no_grant`` (no grant on the relationship), or every one of
            ``authz.grant_revoked``, ``authz.grant_expired`` and
            ``authz.role_lacks_permission`` (see
            :func:`~selfcare.authz.permissions.check_permission`).
        """
        with self.uow.reading() as uow:
            grants = uow.grants.for_user_and_relationship(user, relationship)
        return allowing_grant(
            user, permission, relationship, grants, now=self.clock.now(), model=self.role_model
        )

    def relationships_of(self, user: AccountId) -> Outcome[frozenset[RelationshipId]]:
        """The relationships ``user`` may use now (through at least one active grant).

        Returns:
            ``Done`` with the relationship ids; never refused.
        """
        with self.uow as uow:
            grants = uow.grants.for_user(user)
        return Done(relationships_of(user, grants, now=self.clock.now()))

    # -- fetch other contracts (the energy authorization guide, part 1) --------------------

    def link_customer_relationships(
        self, account: AccountId, assertion: IdentityAssertion
    ) -> Outcome[tuple[Grant, ...]]:
        """Re-run customer matching for ``account`` and link what is new as holder grants.

        ``assertion`` is a fresh strong identification of the logged-in account's owner
        (the energy authorization guide re-checks the identity code), checked as
        registration checks one
        (:func:`~selfcare.identity.registration_identification.check_identification`);
        its code must be the account's own
        (:meth:`~selfcare.authz.ports.AccountDirectory.verified_national_id`), so no
        caller names whose contracts to link. Only records with that code *on file*
        count (the telecom registration guide). Each becomes (or is found as) a
        :class:`~selfcare.authz.model.CustomerRelationship` with a holder grant for the
        account unless it has one. Running it again changes nothing.

        Returns:
            ``Done`` with the new holder grants and a
            :class:`~selfcare.authz.events.RelationshipLinked` event for each;
            ``Refused`` with ``authz.identity_not_on_file`` (the account has no
            identity code to compare with, e.g. a work account) or the codes of
            :func:`~selfcare.identity.registration_identification.check_identification`
            - among them ``assertion.national_id_mismatch`` when the identified person
            is not the account's owner.

        Raises:
            SelfcareError: ``authz.invalid_id`` or ``authz.invalid_name`` for a customer
                record with an unusable customer number or kind.
        """
        now = self.clock.now()
        national_id = self.accounts.verified_national_id(account)
        if national_id is None:
            return Refused.because(Violation("authz.identity_not_on_file"))
        identified = check_identification(
            assertion, policy=self.registration_policy, now=now, expected_national_id=national_id
        )
        if not identified:
            return Refused(identified)
        records = records_on_file(self.customers.find_by_national_id(national_id), national_id)
        linked: list[Grant] = []
        with self.uow as uow:
            for record in records:
                relationship = self._relationship_for(uow, record)
                grant = holder_grant_lacking(
                    account,
                    relationship.id,
                    uow.grants.for_relationship(relationship.id),
                    model=self.role_model,
                    ids=self.ids,
                    now=now,
                )
                if grant is not None:
                    uow.grants.add(grant)
                    linked.append(grant)
            uow.commit()
        events = grant_events(RelationshipLinked, linked, actor=account, now=now)
        return Done(tuple(linked), events)

    def _relationship_for(
        self, uow: AuthzUnitOfWork, record: CustomerRecord
    ) -> CustomerRelationship:
        """The stored relationship of ``record``'s customer number, added if new."""
        relationship = uow.relationships.find_by_customer_number(customer_number_of(record))
        if relationship is None:
            relationship = new_relationship(record, ids=self.ids)
            uow.relationships.add(relationship)
        return relationship

    # -- removing access (the energy authorization guide, part 3) --------------------------

    def request_removal(
        self, user: AccountId, relationship: RelationshipId, roles: Iterable[str], *, by: AccountId
    ) -> Outcome[RemovalRequest]:
        """Phase 1: what removing ``roles`` from ``user`` would revoke; nothing changes.

        Returns:
            ``Done`` with the :class:`~selfcare.authz.removal.RemovalRequest` to show and
            confirm; ``Refused`` with the codes of
            :func:`~selfcare.authz.removal.check_can_remove`.
        """
        now = self.clock.now()
        with self.uow as uow:
            grants = uow.grants.for_relationship(relationship)
        return request_removal(
            user, relationship, roles, grants, by=by, now=now, model=self.role_model
        )

    def confirm_removal(
        self, request: RemovalRequest, *, by: AccountId
    ) -> Outcome[tuple[Grant, ...]]:
        """Phase 2: revoke the grants of ``request``.

        Returns:
            ``Done`` with the revoked grants and a
            :class:`~selfcare.authz.events.GrantRevoked` event for each; ``Refused`` with
            the codes of :func:`~selfcare.authz.removal.confirm_removal`.

        Raises:
            ConcurrencyConflict: a grant changed meanwhile.
        """
        now = self.clock.now()
        with self.uow as uow:
            grants = uow.grants.for_relationship(request.relationship_id)
            outcome = confirm_removal(request, grants, by=by, now=now, model=self.role_model)
            if isinstance(outcome, Refused):
                return outcome
            for grant in outcome.value:
                uow.grants.update(grant)
            uow.commit()
        return Done(outcome.value, grant_events(GrantRevoked, outcome.value, actor=by, now=now))
