"""Terms of use: the version the operator publishes, and the account's acceptance.

The registration records the version of the terms the user accepted
(:func:`~selfcare.identity.registration_identification.accept_terms`) and the account
keeps it (:attr:`~selfcare.identity.account.Account.terms_version`,
:attr:`~selfcare.identity.account.Account.terms_accepted_at`). When the operator
publishes a new version - a :class:`TermsOfUse` in
:attr:`selfcare.bootstrap.Policies.terms_of_use` - every account that has not accepted
it is asked to, from :attr:`TermsOfUse.published_at` on: login answers
``terms.not_accepted`` (kind ``action_required``) instead of logging in, and so does
every use case acting for a logged-in account, until the user accepts
(:func:`accept_terms_of_use`).

The version is a setting, not something the client sends: a user can accept only the
version in force, never an older one that a stale page still shows.

>>> from datetime import UTC, datetime
>>> from selfcare.testing.contracts.identity import example_account
>>> terms = TermsOfUse(version="2026-03", published_at=datetime(2026, 3, 1, tzinfo=UTC))
>>> now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
>>> account = example_account(1)
>>> terms_refusal(account, terms, now).code
'terms.not_accepted'
>>> accepted = accept_terms_of_use(account, "2026-03", terms=terms, now=now)
>>> accepted.value.terms_version, terms_refusal(accepted.value, terms, now)
('2026-03', None)
>>> accept_terms_of_use(account, "2025-01", terms=terms, now=now).codes
('terms.version_not_current',)
"""

from __future__ import annotations

from datetime import datetime
from typing import Final, final

import attrs

from selfcare.core.clock import require_aware, utc_field
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.core.ports import next_version
from selfcare.core.text import has_unsafe_characters
from selfcare.identity.account import Account
from selfcare.identity.events import TermsOfUseAccepted

__all__ = [
    "MAX_VERSION_LENGTH",
    "TermsOfUse",
    "accept_terms_of_use",
    "has_accepted",
    "terms_refusal",
]

#: Longest version label accepted (it is shown to users and stored on every account).
MAX_VERSION_LENGTH: Final = 64


def _version(_instance: object, _attribute: object, value: str) -> None:
    if (
        not isinstance(value, str)
        or not value.strip()
        or value != value.strip()
        or len(value) > MAX_VERSION_LENGTH
        or has_unsafe_characters(value)
    ):
        raise SelfcareError(Violation("config.invalid_setting", {"setting": "terms_of_use"}))


@final
@attrs.frozen(kw_only=True)
class TermsOfUse:
    """The terms of use the operator has published.

    Attributes:
        version: the label of the version (``"2026-03"``, ``"4.1"``); the same label
            that registration asks new users to accept
            (:attr:`~selfcare.identity.registration.RegistrationPolicy.terms_version`).
        published_at: from when existing accounts must have accepted it (aware). Set
            it ahead to announce the new terms: until then, earlier acceptances still
            count (and new registrations already accept this version).

    Raises:
        SelfcareError: ``config.invalid_setting`` (``terms_of_use``) for an empty or
            over-long version, one with surrounding blanks or control characters;
            ``time.naive_datetime`` for a naive ``published_at``.
    """

    version: str = attrs.field(validator=_version)
    published_at: datetime = utc_field()

    def in_force(self, now: datetime) -> bool:
        """Whether accounts must have accepted this version at ``now``."""
        return require_aware(now, "now") >= self.published_at


def has_accepted(account: Account, terms: TermsOfUse) -> bool:
    """Whether ``account`` accepted the version of ``terms``."""
    return account.terms_version == terms.version


def terms_refusal(account: Account, terms: TermsOfUse | None, now: datetime) -> Violation | None:
    """``terms.not_accepted`` (params ``version``, ``published_at`` as an ISO 8601 date)
    when ``terms`` are in force at ``now`` and ``account`` has not accepted them;
    otherwise ``None`` (also when no terms are published).

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    if terms is None or not terms.in_force(now) or has_accepted(account, terms):
        return None
    return Violation(
        "terms.not_accepted",
        {"version": terms.version, "published_at": terms.published_at.date().isoformat()},
    )


def accept_terms_of_use(
    account: Account, version: str, *, terms: TermsOfUse | None, now: datetime
) -> Outcome[Account]:
    """Record that the owner of ``account`` accepted ``version`` of the terms of use.

    Only the published version (``terms``) can be accepted; accepting it again is
    allowed and moves nothing but the time.

    Returns:
        The account (version bumped) with
        :class:`~selfcare.identity.events.TermsOfUseAccepted`, or a refusal with
        ``terms.version_not_current`` (``current``; empty when no terms are published)
        for any other version.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
        TypeError: ``version`` is not a string.
    """
    if not isinstance(version, str):  # the annotation says str; callers may not obey
        msg = f"version must be str, not {type(version).__name__}"  # type: ignore[unreachable]
        raise TypeError(msg)
    moment = require_aware(now, "now")
    if terms is None or version != terms.version:
        current = terms.version if terms is not None else ""
        return Refused.because(Violation("terms.version_not_current", {"current": current}))
    changed = next_version(account, terms_version=version, terms_accepted_at=moment)
    accepted = TermsOfUseAccepted(account_id=account.id, version=version, occurred_at=moment)
    return Done(changed, (accepted,))
