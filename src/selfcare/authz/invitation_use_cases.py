"""The invitation use cases of :class:`~selfcare.authz.service.AuthzService` (the energy
authorization guide, part 2): propose the invitee's name, invite, list, accept, decline,
revoke and resend.

They are written here, in a class :class:`~selfcare.authz.service.AuthzService` extends,
so that neither module is too long to read; call them on ``app.authz``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from selfcare.authz.events import (
    GrantCreated,
    InvitationAccepted,
    InvitationCreated,
    InvitationDeclined,
    InvitationEvent,
    InvitationResent,
    InvitationRevoked,
    grant_events,
    invitation_event,
)
from selfcare.authz.invitation import (
    Invitation,
    InvitationId,
    IssuedInvitation,
    hash_token,
    invite,
    looks_like_token,
    resend_invitation,
    revoke_invitation,
)
from selfcare.authz.invitation_mail import invitation_message
from selfcare.authz.invitation_policy import InvitationPolicy
from selfcare.authz.invitation_reply import (
    Acceptance,
    accept_invitation,
    accept_listed_invitation,
    decline_invitation,
    decline_listed_invitation,
)
from selfcare.authz.invitee import RegisteredAccount, may_propose_name
from selfcare.authz.model import Grant
from selfcare.authz.ports import AccountDirectory, AuthzUnitOfWork
from selfcare.authz.roles import RoleModel
from selfcare.core.clock import Clock
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import AccountId, IdSource, RelationshipId, SecretSource
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.identity.contact import EmailAddress
from selfcare.identity.ports import Notifier

__all__ = ["InvitationUseCases"]


class InvitationUseCases:
    """The invitation half of :class:`~selfcare.authz.service.AuthzService` (not built on
    its own)."""

    uow: AuthzUnitOfWork
    notifier: Notifier | None
    accounts: AccountDirectory
    clock: Clock
    ids: IdSource
    secrets: SecretSource
    invitation_policy: InvitationPolicy
    role_model: RoleModel

    # -- invitations (the energy authorization guide, part 2) ------------------------------

    def propose_invitee_name(
        self, relationship: RelationshipId, email: str, *, caller: AccountId
    ) -> Outcome[RegisteredAccount | None]:
        """Phase 2: the registered user's name for ``email``, behind the operator opt-in.

        ``Done(None)`` when the opt-in is off, when the address is not valid, or when
        nobody registered it - the caller cannot tell these apart unless the opt-in is on.

        Returns:
            ``Done`` with the :class:`~selfcare.authz.invitee.RegisteredAccount` or
            ``None``; ``Refused`` with ``authz.cannot_manage_users`` when the opt-in is
            on and the caller may not manage the relationship's users.
        """
        now = self.clock.now()
        if not self.invitation_policy.propose_registered_names:
            return Done(None)
        with self.uow as uow:
            grants = uow.grants.for_relationship(relationship)
        decision = may_propose_name(
            caller,
            relationship,
            grants,
            now=now,
            policy=self.invitation_policy,
            model=self.role_model,
        )
        if not decision:
            return Refused(decision)
        try:
            address = EmailAddress.parse(email)
        except SelfcareError:
            return Done(None)
        return Done(self.accounts.find_by_email(address))

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
    ) -> Outcome[IssuedInvitation]:
        """Phases 1-4 of the delegation journey; see
        :func:`~selfcare.authz.invitation.invite`. With a notifier, the invitation
        e-mail (``authz.invitation``) goes to ``email`` once the invitation is saved.

        Returns:
            ``Done`` with the invitation and its token (send it, never store it) and an
            :class:`~selfcare.authz.events.InvitationCreated` event; ``Refused`` with
            ``authz.unknown_relationship`` or the codes of
            :func:`~selfcare.authz.invitation.invite`.
        """
        now = self.clock.now()
        address = _address_or_text(email)
        with self.uow as uow:
            if uow.relationships.find(relationship) is None:
                return Refused.because(Violation("authz.unknown_relationship"))
            outcome = invite(
                relationship,
                address,
                first_name=first_name,
                last_name=last_name,
                message=message,
                roles=roles,
                inviter=inviter,
                grants=uow.grants.for_user_and_relationship(inviter, relationship),
                existing=(
                    uow.invitations.for_relationship_and_email(relationship, address)
                    if isinstance(address, EmailAddress)
                    else ()
                ),
                ids=self.ids,
                secrets=self.secrets,
                now=now,
                policy=self.invitation_policy,
                model=self.role_model,
            )
            if isinstance(outcome, Refused):
                return outcome
            issued = outcome.value
            uow.invitations.add(issued.invitation)
            uow.commit()
        self._send_invitation(issued, inviter)
        return Done(
            issued, [invitation_event(InvitationCreated, issued.invitation, actor=inviter, now=now)]
        )

    def _send_invitation(self, issued: IssuedInvitation, sender: AccountId) -> None:
        """Hand the invitation e-mail to the notifier (see
        :func:`~selfcare.authz.invitation_mail.invitation_message`)."""
        if self.notifier is None:
            return
        registered = self.accounts.find_by_email(issued.invitation.email)
        invitee = None if registered is None else self.accounts.find(registered.account)
        inviter = self.accounts.find(sender)
        self.notifier.send(invitation_message(issued, inviter=inviter, invitee=invitee))

    def pending_invitations_of(self, account: AccountId) -> Outcome[tuple[Invitation, ...]]:
        """The pending invitations sent to the account's verified address ("Process").

        Returns:
            ``Done`` with the invitations (none without a verified address); never
            refused.
        """
        now = self.clock.now()
        address = self.accounts.verified_email(account)
        if address is None:
            return Done(())
        with self.uow as uow:
            found = uow.invitations.for_email(address)
        return Done(tuple(i for i in found if i.is_pending(now)))

    def accept(self, token: str, account: AccountId) -> Outcome[Acceptance]:
        """Accept the invitation of ``token`` for the logged-in ``account``.

        Call it from the POST of an explicit confirm, never from the link's GET.

        Returns:
            ``Done`` with the :class:`~selfcare.authz.invitation_reply.Acceptance`, an
            :class:`~selfcare.authz.events.InvitationAccepted` event and a
            :class:`~selfcare.authz.events.GrantCreated` event per new grant (no events
            when the same account had accepted it before); ``Refused`` with
            ``invitation.invalid_token`` (also for an unknown token) or the codes of
            :func:`~selfcare.authz.invitation_reply.accept_invitation`.

        Raises:
            ConcurrencyConflict: the invitation changed meanwhile.
        """
        now = self.clock.now()
        verified = self.accounts.verified_email(account)
        with self.uow as uow:
            invitation = self._find_by_token(uow, token)
            if invitation is None:
                return Refused.because(Violation("invitation.invalid_token"))
            outcome = accept_invitation(
                invitation,
                token,
                account,
                verified,
                _inviter_and_invitee_grants(uow, invitation, account),
                ids=self.ids,
                now=now,
                policy=self.invitation_policy,
                model=self.role_model,
            )
            return self._save_acceptance(uow, outcome, account, now)

    def accept_listed(self, invitation_id: InvitationId, account: AccountId) -> Outcome[Acceptance]:
        """Accept one of :meth:`pending_invitations_of` ("Process" -> "Approve") without
        the e-mail link; see
        :func:`~selfcare.authz.invitation_reply.accept_listed_invitation`.

        Returns:
            As :meth:`accept`; ``Refused`` with ``invitation.not_found`` or the codes of
            :func:`~selfcare.authz.invitation_reply.accept_listed_invitation`.

        Raises:
            ConcurrencyConflict: the invitation changed meanwhile.
        """
        now = self.clock.now()
        verified = self.accounts.verified_email(account)
        with self.uow as uow:
            invitation = uow.invitations.find(invitation_id)
            if invitation is None:
                return _not_found()
            outcome = accept_listed_invitation(
                invitation,
                account,
                verified,
                _inviter_and_invitee_grants(uow, invitation, account),
                ids=self.ids,
                now=now,
                model=self.role_model,
            )
            return self._save_acceptance(uow, outcome, account, now)

    @staticmethod
    def _save_acceptance(
        uow: AuthzUnitOfWork, outcome: Outcome[Acceptance], account: AccountId, now: datetime
    ) -> Outcome[Acceptance]:
        if isinstance(outcome, Refused) or not outcome.value.newly_accepted:
            return outcome
        acceptance = outcome.value
        uow.invitations.update(acceptance.invitation)
        for grant in acceptance.grants:
            uow.grants.add(grant)
        uow.commit()
        accepted = InvitationAccepted(
            occurred_at=now,
            actor=account,
            relationship_id=acceptance.invitation.relationship_id,
            invitation_id=acceptance.invitation.id,
            user=account,
            roles=acceptance.invitation.roles,
        )
        created = grant_events(GrantCreated, acceptance.grants, actor=account, now=now)
        return Done(acceptance, [accepted, *created])

    def decline(self, token: str, account: AccountId) -> Outcome[Invitation]:
        """The logged-in invitee declines with the link; see
        :func:`~selfcare.authz.invitation_reply.decline_invitation`.

        Call it from the POST of an explicit confirm, never from the link's GET.

        Returns:
            ``Done`` with the declined invitation and an
            :class:`~selfcare.authz.events.InvitationDeclined` event; ``Refused`` with
            ``invitation.invalid_token``, ``invitation.email_not_verified``,
            ``invitation.email_mismatch``, ``invitation.not_pending`` or
            ``invitation.expired``.

        Raises:
            ConcurrencyConflict: the invitation changed meanwhile.
        """
        now = self.clock.now()
        verified = self.accounts.verified_email(account)
        with self.uow as uow:
            invitation = self._find_by_token(uow, token)
            if invitation is None:
                return Refused.because(Violation("invitation.invalid_token"))
            outcome = decline_invitation(
                invitation, token, account, verified, now=now, policy=self.invitation_policy
            )
            return self._save_closed(uow, outcome, InvitationDeclined, account, now)

    def decline_listed(
        self, invitation_id: InvitationId, account: AccountId
    ) -> Outcome[Invitation]:
        """Decline one of :meth:`pending_invitations_of` without the e-mail link; see
        :func:`~selfcare.authz.invitation_reply.decline_listed_invitation`.

        Returns:
            As :meth:`decline`; ``Refused`` with ``invitation.not_found`` or the codes of
            :func:`~selfcare.authz.invitation_reply.decline_listed_invitation`.

        Raises:
            ConcurrencyConflict: the invitation changed meanwhile.
        """
        now = self.clock.now()
        verified = self.accounts.verified_email(account)
        with self.uow as uow:
            current = uow.invitations.find(invitation_id)
            if current is None:
                return _not_found()
            outcome = decline_listed_invitation(current, account, verified, now=now)
            return self._save_closed(uow, outcome, InvitationDeclined, account, now)

    def revoke_invitation(
        self, invitation_id: InvitationId, *, by: AccountId
    ) -> Outcome[Invitation]:
        """Withdraw an invitation; see :func:`~selfcare.authz.invitation.revoke_invitation`.

        Returns:
            ``Done`` with the revoked invitation and an
            :class:`~selfcare.authz.events.InvitationRevoked` event; ``Refused`` with
            ``invitation.not_found``, ``invitation.not_allowed`` or
            ``invitation.not_pending``.

        Raises:
            ConcurrencyConflict: the invitation changed meanwhile.
        """
        now = self.clock.now()
        with self.uow as uow:
            current = uow.invitations.find(invitation_id)
            if current is None:
                return _not_found()
            outcome = revoke_invitation(
                current,
                by=by,
                grants=uow.grants.for_relationship(current.relationship_id),
                now=now,
                model=self.role_model,
            )
            return self._save_closed(uow, outcome, InvitationRevoked, by, now)

    @staticmethod
    def _save_closed(
        uow: AuthzUnitOfWork,
        outcome: Outcome[Invitation],
        event: type[InvitationEvent],
        actor: AccountId | None,
        now: datetime,
    ) -> Outcome[Invitation]:
        if isinstance(outcome, Refused):
            return outcome
        uow.invitations.update(outcome.value)
        uow.commit()
        return Done(outcome.value, [invitation_event(event, outcome.value, actor=actor, now=now)])

    def resend_invitation(
        self, invitation_id: InvitationId, *, by: AccountId
    ) -> Outcome[IssuedInvitation]:
        """New token, old one dead, validity restarted; see
        :func:`~selfcare.authz.invitation.resend_invitation`. With a notifier, the
        invitation e-mail goes out again with the new token.

        Returns:
            ``Done`` with the invitation and its new token and an
            :class:`~selfcare.authz.events.InvitationResent` event; ``Refused`` with
            ``invitation.not_found``, ``invitation.not_allowed`` (``by`` may not manage
            the users now), ``invitation.not_pending`` or
            ``invitation.inviter_not_allowed`` (the inviter may no longer give the
            roles).

        Raises:
            ConcurrencyConflict: the invitation changed meanwhile.
        """
        now = self.clock.now()
        with self.uow as uow:
            current = uow.invitations.find(invitation_id)
            if current is None:
                return _not_found()
            outcome = resend_invitation(
                current,
                by=by,
                grants=uow.grants.for_relationship(current.relationship_id),
                secrets=self.secrets,
                now=now,
                policy=self.invitation_policy,
                model=self.role_model,
            )
            if isinstance(outcome, Refused):
                return outcome
            issued = outcome.value
            uow.invitations.update(issued.invitation)
            uow.commit()
        self._send_invitation(issued, by)
        return Done(
            issued, [invitation_event(InvitationResent, issued.invitation, actor=by, now=now)]
        )

    # -- helpers ------------------------------------------------------------------------

    @staticmethod
    def _find_by_token(uow: AuthzUnitOfWork, token: object) -> Invitation | None:
        if not isinstance(token, str) or not looks_like_token(token):
            return None
        return uow.invitations.find_by_token_hash(hash_token(token))


def _address_or_text(email: str | EmailAddress) -> str | EmailAddress:
    """``email`` parsed, or as it came when it is not an address (the rule
    :func:`~selfcare.authz.invitation.invite` then says why): parsed once, it also finds
    the invitations to look at for a pending duplicate."""
    raw: object = email
    if not isinstance(raw, str):
        return email
    try:
        return EmailAddress.parse(raw)
    except SelfcareError:
        return email


def _inviter_and_invitee_grants(
    uow: AuthzUnitOfWork, invitation: Invitation, account: AccountId
) -> Sequence[Grant]:
    """The grants an acceptance looks at: the inviter's on the invitation's relationship
    (may they still give the roles?) and the accepting account's (which roles does it
    hold already?)."""
    relationship = invitation.relationship_id
    grants = uow.grants.for_user_and_relationship(invitation.invited_by, relationship)
    if account == invitation.invited_by:
        return grants
    return [*grants, *uow.grants.for_user_and_relationship(account, relationship)]


def _not_found() -> Refused:
    return Refused.because(Violation("invitation.not_found"))
