"""Use cases of selfcare.authz: load through the ports, apply the rules, save, return events.

Every method runs in one unit of work and returns the :class:`~selfcare.authz.model.AuthzEvent`
values of what it changed, for the caller to store as the audit trail. Saves are
compare-and-set, so two use cases racing on one invitation (an accept and a revoke)
cannot both win: the loser gets :class:`~selfcare.core.errors.ConcurrencyConflict` or the
refusal its rule gives on the winner's result.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import attrs

from selfcare.authz import rules
from selfcare.authz.invitation import (
    Acceptance,
    Invitation,
    InvitationId,
    InvitationPolicy,
    IssuedInvitation,
    RegisteredAccount,
    accept_invitation,
    accept_listed_invitation,
    decline_invitation,
    decline_listed_invitation,
    hash_token,
    invite,
    may_propose_name,
    resend_invitation,
    revoke_invitation,
)
from selfcare.authz.model import (
    DEFAULT_ROLE_MODEL,
    AuthzAction,
    AuthzEvent,
    CustomerRelationship,
    Grant,
    GrantId,
    RoleModel,
)
from selfcare.authz.ports import AccountDirectory, AuthzUnitOfWork
from selfcare.authz.rules import RemovalRequest
from selfcare.core.clock import Clock
from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import AccountId, CustomerNumber, IdSource, RelationshipId, SecretSource
from selfcare.identity.contact import EmailAddress
from selfcare.identity.national_id import NationalId
from selfcare.identity.ports import CustomerDirectory

__all__ = ["AuthzService", "Issued"]


@attrs.frozen
class Issued:
    """An invitation issued or resent, its token (for the e-mail only) and the events."""

    invitation: Invitation
    token: str = attrs.field(repr=False)
    events: tuple[AuthzEvent, ...]


class AuthzService:
    """The authz use cases over one unit of work.

    Args:
        uow: a unit of work implementing :class:`~selfcare.authz.ports.AuthzUnitOfWork`.
        accounts: the :class:`~selfcare.authz.ports.AccountDirectory`.
        clock: where ``now`` comes from.
        ids: where new ids come from.
        secrets: where invitation tokens come from.
        policy: the operator's invitation policy.
        model: the operator's role model.
    """

    def __init__(
        self,
        uow: AuthzUnitOfWork,
        *,
        accounts: AccountDirectory,
        clock: Clock,
        ids: IdSource,
        secrets: SecretSource,
        policy: InvitationPolicy | None = None,
        model: RoleModel = DEFAULT_ROLE_MODEL,
    ) -> None:
        self.uow = uow
        self.accounts = accounts
        self.clock = clock
        self.ids = ids
        self.secrets = secrets
        self.policy = policy or InvitationPolicy()
        self.model = model

    # -- checks -----------------------------------------------------------------------

    def check(self, user: AccountId, permission: str, relationship: RelationshipId) -> Decision:
        """:func:`~selfcare.authz.rules.check_permission` on the stored grants.

        Returns:
            See :func:`~selfcare.authz.rules.check_permission`.
        """
        with self.uow as uow:
            grants = uow.grants.for_user(user)
        return rules.check_permission(
            user, permission, relationship, grants, now=self.clock.now(), model=self.model
        )

    def relationships_of(self, user: AccountId) -> frozenset[RelationshipId]:
        """The relationships ``user`` may use now."""
        with self.uow as uow:
            grants = uow.grants.for_user(user)
        return rules.relationships_of(user, grants, now=self.clock.now())

    # -- fetch other contracts (seed 003, part 1) ------------------------------------

    def link_customer_relationships(
        self,
        account: AccountId,
        national_id: NationalId,
        customers: CustomerDirectory,
    ) -> tuple[AuthzEvent, ...]:
        """Re-run customer matching for ``account`` and link what is new as holder grants.

        ``national_id`` must come from a fresh strong identification of the account's
        owner (seed 003: "check that the personal identity code is correct"). Only the
        records that have that code *on file* count - checked here again, so a directory
        that also returns records found by a name on the invoice cannot link the wrong
        person (seed 000). Each such record becomes (or is found as) a
        :class:`~selfcare.authz.model.CustomerRelationship`; the account gets a holder
        grant on each where it has no active one. Running it again changes nothing.

        Raises:
            SelfcareError: ``authz.invalid_id`` or ``authz.invalid_name`` for a customer
                record with an unusable customer number or kind.
        """
        now = self.clock.now()
        records = [
            record
            for record in customers.find_by_national_id(national_id)
            if record.is_on_file(national_id)
        ]
        events: list[AuthzEvent] = []
        with self.uow as uow:
            for record in records:
                number = CustomerNumber(str(record.customer_number).strip())
                relationship = uow.relationships.get_by_customer_number(number)
                if relationship is None:
                    relationship = CustomerRelationship(
                        id=RelationshipId(self.ids.new_id()),
                        customer_number=number,
                        kind=str(record.kind).strip().lower().replace(" ", "_").replace("-", "_"),
                    )
                    uow.relationships.add(relationship)
                grants = uow.grants.for_relationship(relationship.id)
                held = rules.active_roles(account, relationship.id, grants, now=now)
                if self.model.holder_role in held:
                    continue
                grant = Grant(
                    id=GrantId(self.ids.new_id()),
                    user=account,
                    relationship_id=relationship.id,
                    role=self.model.holder_role,
                    granted_at=now,
                )
                uow.grants.add(grant)
                events.append(
                    AuthzEvent(
                        action=AuthzAction.RELATIONSHIP_LINKED,
                        actor=account,
                        at=now,
                        relationship_id=relationship.id,
                        subject=grant.id,
                        user=account,
                        roles=frozenset({grant.role}),
                    )
                )
            uow.commit()
        return tuple(events)

    # -- invitations (seed 003, part 2) -----------------------------------------------

    def propose_invitee_name(
        self, relationship: RelationshipId, email: str, *, caller: AccountId
    ) -> RegisteredAccount | None:
        """Phase 2: the registered user's name for ``email``, behind the operator opt-in.

        ``None`` when the opt-in is off, when the address is not valid, or when nobody
        registered it - the caller cannot tell these apart unless the opt-in is on.

        Raises:
            SelfcareError: ``authz.cannot_manage_users`` when the opt-in is on and the
                caller may not manage the relationship's users.
        """
        now = self.clock.now()
        if not self.policy.propose_registered_names:
            return None
        with self.uow as uow:
            grants = uow.grants.for_relationship(relationship)
        may_propose_name(
            caller, relationship, grants, now=now, policy=self.policy, model=self.model
        ).raise_for_denial()
        try:
            address = EmailAddress.parse(email)
        except SelfcareError:
            return None
        return self.accounts.find_by_email(address)

    def invite(
        self,
        relationship: RelationshipId,
        email: str,
        *,
        first_name: str,
        last_name: str,
        message: str,
        roles: Iterable[str],
        inviter: AccountId,
    ) -> Issued:
        """Phases 1-4 of seed 003; see :func:`~selfcare.authz.invitation.invite`.

        Raises:
            SelfcareError: ``authz.unknown_relationship`` and every code of
                :func:`~selfcare.authz.invitation.invite`.
        """
        now = self.clock.now()
        with self.uow as uow:
            self._require_relationship(uow, relationship)
            issued = invite(
                relationship,
                email,
                first_name=first_name,
                last_name=last_name,
                message=message,
                roles=roles,
                inviter=inviter,
                grants=uow.grants.for_relationship(relationship),
                existing=uow.invitations.for_relationship(relationship),
                ids=self.ids,
                secrets=self.secrets,
                now=now,
                policy=self.policy,
                model=self.model,
            )
            uow.invitations.add(issued.invitation)
            uow.commit()
        return self._issued(issued, AuthzAction.INVITATION_CREATED, inviter, now)

    def pending_invitations_for(self, account: AccountId) -> Sequence[Invitation]:
        """The pending invitations sent to the account's verified address ("Process")."""
        now = self.clock.now()
        address = self.accounts.verified_email(account)
        if address is None:
            return ()
        with self.uow as uow:
            found = uow.invitations.for_email(address)
        return tuple(i for i in found if i.is_pending(now))

    def accept(self, token: str, account: AccountId) -> tuple[Acceptance, tuple[AuthzEvent, ...]]:
        """Accept the invitation of ``token`` for ``account``.

        Raises:
            SelfcareError: ``invitation.invalid_token`` (also for an unknown token) and
                every code of :func:`~selfcare.authz.invitation.accept_invitation`;
                ``ConcurrencyConflict`` when the invitation changed meanwhile.
        """
        now = self.clock.now()
        verified = self.accounts.verified_email(account)
        with self.uow as uow:
            invitation = self._by_token(uow, token)
            acceptance = accept_invitation(
                invitation,
                token,
                account,
                verified,
                uow.grants.for_relationship(invitation.relationship_id),
                ids=self.ids,
                now=now,
                policy=self.policy,
                model=self.model,
            )
            return self._save_acceptance(uow, acceptance, account, now)

    def accept_listed(
        self, invitation_id: InvitationId, account: AccountId
    ) -> tuple[Acceptance, tuple[AuthzEvent, ...]]:
        """Accept one of :meth:`pending_invitations_for` ("Process" -> "Approve") without
        the e-mail link; see :func:`~selfcare.authz.invitation.accept_listed_invitation`.

        Raises:
            SelfcareError: ``invitation.not_found`` and every code of
                :func:`~selfcare.authz.invitation.accept_listed_invitation`;
                ``ConcurrencyConflict`` when the invitation changed meanwhile.
        """
        now = self.clock.now()
        verified = self.accounts.verified_email(account)
        with self.uow as uow:
            invitation = self._invitation(uow, invitation_id)
            acceptance = accept_listed_invitation(
                invitation,
                account,
                verified,
                uow.grants.for_relationship(invitation.relationship_id),
                ids=self.ids,
                now=now,
                model=self.model,
            )
            return self._save_acceptance(uow, acceptance, account, now)

    def _save_acceptance(
        self, uow: AuthzUnitOfWork, acceptance: Acceptance, account: AccountId, now: datetime
    ) -> tuple[Acceptance, tuple[AuthzEvent, ...]]:
        if not acceptance.changed:
            return acceptance, ()
        uow.invitations.update(acceptance.invitation)
        for grant in acceptance.grants:
            uow.grants.add(grant)
        uow.commit()
        events = [self._event(AuthzAction.INVITATION_ACCEPTED, acceptance.invitation, account, now)]
        events += [
            AuthzEvent(
                action=AuthzAction.GRANT_CREATED,
                actor=account,
                at=now,
                relationship_id=g.relationship_id,
                subject=g.id,
                user=account,
                roles=frozenset({g.role}),
            )
            for g in acceptance.grants
        ]
        return acceptance, tuple(events)

    def decline(self, token: str, account: AccountId | None = None) -> tuple[AuthzEvent, ...]:
        """The invitee declines; see :func:`~selfcare.authz.invitation.decline_invitation`.

        Raises:
            SelfcareError: ``invitation.invalid_token``, ``invitation.not_pending``,
                ``invitation.expired``; ``ConcurrencyConflict``.
        """
        now = self.clock.now()
        with self.uow as uow:
            invitation = decline_invitation(self._by_token(uow, token), token, account, now=now)
            uow.invitations.update(invitation)
            uow.commit()
        return (self._event(AuthzAction.INVITATION_DECLINED, invitation, account, now),)

    def decline_listed(
        self, invitation_id: InvitationId, account: AccountId
    ) -> tuple[AuthzEvent, ...]:
        """Decline one of :meth:`pending_invitations_for` without the e-mail link; see
        :func:`~selfcare.authz.invitation.decline_listed_invitation`.

        Raises:
            SelfcareError: ``invitation.not_found`` and every code of
                :func:`~selfcare.authz.invitation.decline_listed_invitation`;
                ``ConcurrencyConflict``.
        """
        now = self.clock.now()
        verified = self.accounts.verified_email(account)
        with self.uow as uow:
            current = self._invitation(uow, invitation_id)
            invitation = decline_listed_invitation(current, account, verified, now=now)
            uow.invitations.update(invitation)
            uow.commit()
        return (self._event(AuthzAction.INVITATION_DECLINED, invitation, account, now),)

    def revoke_invitation(
        self, invitation_id: InvitationId, *, by: AccountId
    ) -> tuple[AuthzEvent, ...]:
        """Withdraw an invitation; see :func:`~selfcare.authz.invitation.revoke_invitation`.

        Raises:
            SelfcareError: ``invitation.not_found``, ``invitation.not_allowed``,
                ``invitation.not_pending``; ``ConcurrencyConflict``.
        """
        now = self.clock.now()
        with self.uow as uow:
            current = self._invitation(uow, invitation_id)
            invitation = revoke_invitation(
                current,
                by=by,
                grants=uow.grants.for_relationship(current.relationship_id),
                now=now,
                model=self.model,
            )
            uow.invitations.update(invitation)
            uow.commit()
        return (self._event(AuthzAction.INVITATION_REVOKED, invitation, by, now),)

    def resend_invitation(self, invitation_id: InvitationId, *, by: AccountId) -> Issued:
        """New token, old one dead, validity restarted; see
        :func:`~selfcare.authz.invitation.resend_invitation`.

        Raises:
            SelfcareError: ``invitation.not_found``, ``invitation.not_allowed``,
                ``invitation.not_pending``; ``ConcurrencyConflict``.
        """
        now = self.clock.now()
        with self.uow as uow:
            current = self._invitation(uow, invitation_id)
            issued = resend_invitation(
                current,
                by=by,
                grants=uow.grants.for_relationship(current.relationship_id),
                secrets=self.secrets,
                now=now,
                policy=self.policy,
                model=self.model,
            )
            uow.invitations.update(issued.invitation)
            uow.commit()
        return self._issued(issued, AuthzAction.INVITATION_RESENT, by, now)

    # -- removing access (seed 003, part 3) -------------------------------------------

    def remove_roles(
        self, user: AccountId, relationship: RelationshipId, roles: Iterable[str], *, by: AccountId
    ) -> RemovalRequest:
        """Phase 1: what removing ``roles`` would revoke; nothing changes yet.

        Raises:
            SelfcareError: every code of :func:`~selfcare.authz.rules.check_can_remove`.
        """
        now = self.clock.now()
        with self.uow as uow:
            grants = uow.grants.for_relationship(relationship)
        return rules.remove_roles(
            user, relationship, roles, grants, by=by, now=now, model=self.model
        )

    def confirm_removal(self, request: RemovalRequest, *, by: AccountId) -> tuple[AuthzEvent, ...]:
        """Phase 2: revoke the grants of ``request``.

        Raises:
            SelfcareError: every code of :func:`~selfcare.authz.rules.confirm_removal`;
                ``ConcurrencyConflict`` when a grant changed meanwhile.
        """
        now = self.clock.now()
        with self.uow as uow:
            grants = uow.grants.for_relationship(request.relationship_id)
            revoked = rules.confirm_removal(request, grants, by=by, now=now, model=self.model)
            for grant in revoked:
                uow.grants.update(grant)
            uow.commit()
        return tuple(
            AuthzEvent(
                action=AuthzAction.GRANT_REVOKED,
                actor=by,
                at=now,
                relationship_id=g.relationship_id,
                subject=g.id,
                user=g.user,
                roles=frozenset({g.role}),
            )
            for g in revoked
        )

    # -- helpers ------------------------------------------------------------------------

    @staticmethod
    def _require_relationship(uow: AuthzUnitOfWork, relationship: RelationshipId) -> None:
        if uow.relationships.get(relationship) is None:
            raise SelfcareError(Violation("authz.unknown_relationship"))

    @staticmethod
    def _by_token(uow: AuthzUnitOfWork, token: object) -> Invitation:
        if isinstance(token, str) and 0 < len(token) <= 512:
            found = uow.invitations.get_by_token_hash(hash_token(token))
            if found is not None:
                return found
        raise SelfcareError(Violation("invitation.invalid_token"))

    @staticmethod
    def _invitation(uow: AuthzUnitOfWork, invitation_id: InvitationId) -> Invitation:
        found = uow.invitations.get(invitation_id)
        if found is None:
            raise SelfcareError(Violation("invitation.not_found"))
        return found

    @staticmethod
    def _event(
        action: AuthzAction, invitation: Invitation, actor: AccountId | None, now: datetime
    ) -> AuthzEvent:
        return AuthzEvent(
            action=action,
            actor=actor,
            at=now,
            relationship_id=invitation.relationship_id,
            subject=invitation.id,
            user=invitation.accepted_by,
            roles=invitation.roles,
        )

    def _issued(
        self, issued: IssuedInvitation, action: AuthzAction, actor: AccountId, now: datetime
    ) -> Issued:
        event = self._event(action, issued.invitation, actor, now)
        return Issued(issued.invitation, issued.token, (event,))
