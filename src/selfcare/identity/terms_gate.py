"""What waits for new terms of use: the gate in front of the use cases that act for a
logged-in account.

:func:`waits_for_terms` marks such a use case of
:class:`~selfcare.identity.service.IdentityService` (changing the e-mail address, the
password, the profile, the second factor, a step-up, the work-account link): while the
account has not accepted the terms of use in force
(:class:`~selfcare.identity.terms.TermsOfUse`), the use case answers
``terms.not_accepted`` (kind ``action_required``; params ``version`` and
``published_at``) and changes nothing. :class:`TermsGate` is the part of the service
that decides it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from selfcare.core.clock import Clock
from selfcare.core.decision import Violation
from selfcare.core.ids import AccountId
from selfcare.core.outcome import Outcome, Refused
from selfcare.identity.ports import IdentityUnitOfWork
from selfcare.identity.terms import TermsOfUse, terms_refusal

__all__ = ["TermsGate", "waits_for_terms"]

#: A use case of the service: a method returning an outcome.
_UseCase = TypeVar("_UseCase", bound=Callable[..., Outcome[Any]])


class TermsGate:
    """Decides whether an account's use cases wait for new terms of use (the state is
    set by :class:`~selfcare.identity.service.IdentityService`)."""

    _uow: IdentityUnitOfWork
    _clock: Clock
    terms_of_use: TermsOfUse | None

    def _terms_refusal(self, account_id: AccountId) -> Refused | None:
        """``terms.not_accepted`` when the terms in force wait for the acceptance of
        ``account_id`` (nothing when none are published or the account is unknown:
        the use case then says ``account.not_found`` itself)."""
        terms = self.terms_of_use
        now = self._clock.now()
        if terms is None or not terms.in_force(now):
            return None
        with self._uow as uow:
            account = uow.accounts.find(account_id)
        if account is None or terms_refusal(account, terms, now) is None:
            return None
        published = terms.published_at.date().isoformat()
        return Refused.because(
            Violation("terms.not_accepted", {"version": terms.version, "published_at": published})
        )


def waits_for_terms(use_case: _UseCase) -> _UseCase:
    """``use_case`` (whose first argument is the logged-in account's id, by position or
    as ``account_id``), answering ``terms.not_accepted`` instead while that account has
    not accepted the terms of use in force. The signature stays the use case's own."""

    @functools.wraps(use_case)
    def gated(self: TermsGate, *args: Any, **kwargs: Any) -> Outcome[Any]:
        account_id = args[0] if args else kwargs["account_id"]
        refused = self._terms_refusal(account_id)
        if refused is not None:
            return refused
        return use_case(self, *args, **kwargs)

    return cast("_UseCase", gated)
