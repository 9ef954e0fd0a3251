"""Work accounts: login with the employer's single sign-on (the corporate mobile guide,
"log in with your work account").

The integrator runs the OpenID Connect (or SAML) exchange with the employer's identity
provider, verifies the token's signature, nonce and issuer, and turns the verified
claims into an :class:`SsoAssertion`: the tenant (the employer's directory), the
subject (the employee's stable id there), the verified work e-mail address, when it
was issued and for whom (the audience: the portal's client id). The library then
decides whether it may rely on it (:func:`check_sso_assertion`) and which account it
logs in to.

**Trust is per tenant, and none by default.** A tenant's identity provider asserts
whatever e-mail addresses its administrators type in, so an assertion from a tenant the
operator has not listed in :attr:`WorkAccountPolicy.trusted_tenants` is refused
(``sso.tenant_not_trusted``) whatever it says.

**An assertion never logs in to an account by its e-mail address alone.** The owner of
an account first links the work account while logged in
(:meth:`~selfcare.identity.service.IdentityService.link_work_account`); the link
(:class:`WorkAccountLink`) records the tenant, the subject and the work e-mail address.
A later assertion logs in only when all three match the link
(:func:`link_matches`): the same address asserted by another tenant, or by the same
tenant for another subject (an address given again to a new employee), logs in to
nothing - not even to an account whose username is that address.

>>> from datetime import UTC, datetime
>>> now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
>>> policy = WorkAccountPolicy(trusted_tenants={"tenant-a"}, audiences={"portal"})
>>> assertion = SsoAssertion(
...     tenant_id="tenant-a", subject="emp-123", email="anna@company.example",
...     issued_at=datetime(2026, 3, 2, 7, 59, tzinfo=UTC), audience="portal")
>>> bool(check_sso_assertion(assertion, policy=policy, now=now))
True
>>> check_sso_assertion(
...     assertion, policy=WorkAccountPolicy(audiences={"portal"}), now=now).codes
('sso.tenant_not_trusted',)
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Final, final

import attrs

from selfcare.core.clock import require_aware, utc_field
from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import SelfcareError
from selfcare.identity.assertion import DEFAULT_MAX_AGE, freshness_violations
from selfcare.identity.contact import EmailAddress

__all__ = [
    "MAX_IDENTIFIER_LENGTH",
    "SsoAssertion",
    "WorkAccountLink",
    "WorkAccountPolicy",
    "check_sso_assertion",
    "link_matches",
    "work_account_key",
]

#: Longest tenant id, subject or audience accepted (an OpenID Connect subject is at
#: most 255 ASCII characters long).
MAX_IDENTIFIER_LENGTH: Final = 255


def _checked(value: str, field: str) -> str:
    if not isinstance(value, str):  # the annotation says str; callers may not obey
        msg = f"{field} must be str, not {type(value).__name__}"  # type: ignore[unreachable]
        raise TypeError(msg)
    # Printable ASCII without blanks: what OpenID Connect subjects, issuers and client
    # ids are; anything else (look-alike letters, invisible characters) is a forgery or
    # a broken provider and must not be compared loosely.
    if not 0 < len(value) <= MAX_IDENTIFIER_LENGTH or not all("!" <= c <= "~" for c in value):
        raise SelfcareError(Violation("sso.field_invalid", {"field": field}))
    return value


def _tenant_id(value: str) -> str:
    return _checked(value, "tenant_id")


def _subject(value: str) -> str:
    return _checked(value, "subject")


def _audience(value: str) -> str:
    return _checked(value, "audience")


def _email(value: EmailAddress | str) -> EmailAddress:
    if isinstance(value, EmailAddress):
        return value
    if not isinstance(value, str):  # the annotation says str; callers may not obey
        msg = f"email must be str, not {type(value).__name__}"  # type: ignore[unreachable]
        raise TypeError(msg)
    return EmailAddress.parse(value)


def _tenants(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        msg = "give a set of tenant ids, not one string"
        raise TypeError(msg)
    return frozenset(_checked(item, "trusted_tenants") for item in value)


def _audiences(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        msg = "give a set of audiences, not one string"
        raise TypeError(msg)
    return frozenset(_checked(item, "audiences") for item in value)


def _max_age(_instance: object, _attribute: object, value: timedelta) -> None:
    if not isinstance(value, timedelta) or not timedelta(0) < value <= timedelta(hours=1):
        raise SelfcareError(Violation("config.invalid_setting", {"setting": "max_assertion_age"}))


@final
@attrs.frozen(kw_only=True)
class WorkAccountPolicy:
    """Which employers' single sign-on the operator accepts.

    Attributes:
        trusted_tenants: the tenant ids (or issuers) whose assertions may log in;
            none by default, which refuses every work-account assertion.
        audiences: the client ids of the portal an assertion must be issued for;
            none by default (refuses every assertion).
        max_assertion_age: how old an assertion may be (5 minutes, at most an hour).

    Raises:
        SelfcareError: ``sso.field_invalid`` for a malformed tenant id or audience,
            ``config.invalid_setting`` (``max_assertion_age``).
        TypeError: a single string given instead of a set.
    """

    trusted_tenants: frozenset[str] = attrs.field(default=frozenset(), converter=_tenants)
    audiences: frozenset[str] = attrs.field(default=frozenset(), converter=_audiences)
    max_assertion_age: timedelta = attrs.field(default=DEFAULT_MAX_AGE, validator=_max_age)


@final
@attrs.frozen(kw_only=True)
class SsoAssertion:
    """What an employer's identity provider asserted about an employee (verified by
    the integrator: signature, nonce, issuer).

    Attributes:
        tenant_id: the employer's directory (Entra ID tenant id, Google Workspace
            customer id, or the issuer URL).
        subject: the employee's stable id in that directory (OpenID Connect ``sub``;
            never reassigned, unlike an e-mail address).
        email: the work e-mail address the provider verified.
        issued_at: when the provider issued it (aware; stored in UTC).
        audience: the client id it was issued for (OpenID Connect ``aud``).

    Raises:
        SelfcareError: ``sso.field_invalid`` (``field``) for an empty, over-long or
            non-ASCII tenant id, subject or audience; the ``email.*`` parser codes;
            ``time.naive_datetime``.
        TypeError: a field of the wrong type.
    """

    tenant_id: str = attrs.field(converter=_tenant_id)
    subject: str = attrs.field(converter=_subject, repr=False)
    email: EmailAddress = attrs.field(converter=_email)
    issued_at: datetime = utc_field()
    audience: str = attrs.field(converter=_audience)


@final
@attrs.frozen(kw_only=True)
class WorkAccountLink:
    """The work account linked to an account.

    Attributes:
        tenant_id: the employer's directory.
        subject: the employee's id there.
        email: the work e-mail address (need not be the account's username).
        linked_at: when the owner linked it.
        last_issued_at: when the last assertion used with it was issued: an
            assertion issued no later is a replay and logs in to nothing.
    """

    tenant_id: str = attrs.field(converter=_tenant_id)
    subject: str = attrs.field(converter=_subject, repr=False)
    email: EmailAddress
    linked_at: datetime = utc_field()
    last_issued_at: datetime = utc_field()


def work_account_key(tenant_id: str, email: EmailAddress) -> str:
    """The key under which a link is found: the tenant and the case-folded address.

    >>> work_account_key("t-1", EmailAddress.parse("Anna@Company.example"))
    '["t-1", "anna@company.example"]'
    """
    return json.dumps([tenant_id, email.canonical])


def _trusted_tenant(assertion: SsoAssertion, policy: WorkAccountPolicy) -> list[Violation]:
    if assertion.tenant_id not in policy.trusted_tenants:
        return [Violation("sso.tenant_not_trusted")]
    return []


def _our_audience(assertion: SsoAssertion, policy: WorkAccountPolicy) -> list[Violation]:
    if assertion.audience not in policy.audiences:
        return [Violation("sso.audience_mismatch")]
    return []


def check_sso_assertion(
    assertion: SsoAssertion, *, policy: WorkAccountPolicy, now: datetime
) -> Decision:
    """Whether the library may rely on ``assertion`` at ``now``: from a trusted
    tenant, for the portal's audience, and fresh (as identity assertions are:
    :func:`~selfcare.identity.assertion.freshness_violations`).

    Returns:
        Allowed, or every one that applies of ``sso.tenant_not_trusted``,
        ``sso.audience_mismatch``, ``assertion.issued_in_future`` and
        ``assertion.expired`` (``max_age_seconds``).

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    return Decision.from_violations(
        [
            *_trusted_tenant(assertion, policy),
            *_our_audience(assertion, policy),
            *freshness_violations(
                assertion.issued_at, now=moment, max_age=policy.max_assertion_age
            ),
        ],
        reason=f"work_account:{assertion.tenant_id}",
    )


def link_matches(link: WorkAccountLink | None, assertion: SsoAssertion) -> bool:
    """Whether ``assertion`` is for the work account of ``link``: the same tenant,
    subject and work address, and issued after the last assertion used (not a replay).

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    >>> link = WorkAccountLink(tenant_id="t", subject="s", email=EmailAddress.parse("a@b.fi"),
    ...                        linked_at=at, last_issued_at=at)
    >>> later = SsoAssertion(tenant_id="t", subject="s", email="a@b.fi",
    ...                      issued_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC), audience="p")
    >>> link_matches(link, later), link_matches(link, attrs.evolve(later, subject="x"))
    (True, False)
    >>> link_matches(link, attrs.evolve(later, issued_at=at))
    False
    """
    return (
        link is not None
        and link.tenant_id == assertion.tenant_id
        and link.subject == assertion.subject
        and link.email == assertion.email
        and assertion.issued_at > link.last_issued_at
    )
