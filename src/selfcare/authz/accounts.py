"""The authz :class:`~selfcare.authz.ports.AccountDirectory` over identity's accounts.

Authz asks three things of the accounts: the verified address of an account (to
accept an invitation), who an account belongs to and in which language they read (the
inviter's name in an invitation, the recipient of an order confirmation), the identity
code its owner proved when registering (to check a fresh identification before linking
contracts) and who, if anyone, registered an address (to propose an invitee's name).
:class:`IdentityAccountDirectory` answers them from identity's own repositories, so it
works with every storage adapter;
:func:`selfcare.bootstrap.bootstrap` wires it.

An account's address is verified: registration completes only with the token sent to
it, and an address change only with the token sent to the new address.
"""

from __future__ import annotations

from selfcare.authz.invitee import AccountContact, RegisteredAccount
from selfcare.core.ids import AccountId
from selfcare.identity.contact import EmailAddress
from selfcare.identity.national_id import NationalId
from selfcare.identity.ports import IdentityUnitOfWork

__all__ = ["IdentityAccountDirectory"]


class IdentityAccountDirectory:
    """An :class:`~selfcare.authz.ports.AccountDirectory` reading identity's accounts.

    Args:
        uow: identity's unit of work (only read; one short transaction per question).

    Thread safety: as safe as ``uow`` - one directory per unit of work, like the
    services (see :doc:`/guides/async`).
    """

    def __init__(self, uow: IdentityUnitOfWork) -> None:
        self._uow = uow

    def verified_email(self, account: AccountId) -> EmailAddress | None:
        """The verified address of ``account``, or ``None`` for an unknown account."""
        with self._uow as uow:
            found = uow.accounts.find(account)
        return None if found is None else found.email

    def verified_national_id(self, account: AccountId) -> NationalId | None:
        """The identity code of ``account`` (from the strong identification of its
        registration; unsealed by the storage), or ``None`` for an unknown account."""
        with self._uow as uow:
            found = uow.accounts.find(account)
        return None if found is None else found.national_id

    def find(self, account: AccountId) -> AccountContact | None:
        """The owner's names, verified address and language, or ``None``."""
        with self._uow as uow:
            found = uow.accounts.find(account)
        if found is None:
            return None
        return AccountContact(
            account=AccountId(found.id),
            first_name=found.given_names,
            last_name=found.surname,
            email=found.email,
            language=found.language,
        )

    def find_by_email(self, email: EmailAddress) -> RegisteredAccount | None:
        """The account registered with ``email`` and its owner's names, if any."""
        with self._uow as uow:
            found = uow.accounts.find_by_email(email)
        if found is None:
            return None
        return RegisteredAccount(
            account=AccountId(found.id), first_name=found.given_names, last_name=found.surname
        )
