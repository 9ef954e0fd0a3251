"""Strong-identification assertions: what an identification provider says about a user.

Registration (the telecom and energy registration guides) redirects the user to a bank, a mobile
certificate or another provider (in Finland through the Traficom trust network, in Sweden BankID, in
Norway BankID or ID-porten); the provider answers with who the person is and how sure
it is. The integrator verifies the provider's signature and turns the answer into an
:class:`IdentityAssertion`; :func:`accept_assertion` then decides whether the library
may rely on it now.

Levels of assurance are those of eIDAS (Regulation (EU) No 910/2014, article 8:
*low*, *substantial*, *high*); Finnish bank and mobile certificate identification is
notified at *substantial* or *high*. Work accounts (the corporate mobile guide, single sign-on)
carry no national identity code.

>>> from datetime import UTC, date, datetime
>>> from selfcare.identity.national_id import parse_national_id
>>> now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
>>> hetu = parse_national_id("131052-308T", "FI", today=now.date())
>>> assertion = IdentityAssertion(
...     method=AuthMethod.BANK, level=LevelOfAssurance.SUBSTANTIAL, national_id=hetu,
...     given_names="Matti Juhani", surname="Meikäläinen", provider="Example Bank",
...     issued_at=datetime(2026, 3, 1, 11, 58, tzinfo=UTC))
>>> bool(accept_assertion(assertion, now=now, expected_national_id=hetu))
True
>>> accept_assertion(assertion, now=now, min_level="high").codes
('assertion.level_too_low',)
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import Final, cast, final

import attrs

from selfcare.core.clock import require_aware, utc_field
from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.secrets import secret_field
from selfcare.identity.national_id import NationalId

__all__ = [
    "CLOCK_SKEW",
    "DEFAULT_MAX_AGE",
    "AuthMethod",
    "IdentityAssertion",
    "LevelOfAssurance",
    "accept_assertion",
    "freshness_violations",
]

#: How far in the future ``issued_at`` may be: the provider's clock and ours differ.
CLOCK_SKEW: Final = timedelta(seconds=60)
#: How old an assertion may be by default: the user was just redirected back.
DEFAULT_MAX_AGE: Final = timedelta(minutes=5)
# Names come from the provider; a bound keeps a broken provider from storing megabytes.
_MAX_NAME: Final = 200


class AuthMethod(enum.StrEnum):
    """How the user identified themselves."""

    BANK = "bank"
    MOBILE_CERTIFICATE = "mobile_certificate"
    ID_CARD = "id_card"
    BANKID_SE = "bankid_se"
    BANKID_NO = "bankid_no"
    WORK_ACCOUNT = "work_account"


_ORDER: Final = {"low": 1, "substantial": 2, "high": 3}


class LevelOfAssurance(enum.StrEnum):
    """The eIDAS level of assurance; ordered ``low < substantial < high``.

    >>> LevelOfAssurance.LOW < LevelOfAssurance.SUBSTANTIAL < LevelOfAssurance.HIGH
    True
    """

    LOW = "low"
    SUBSTANTIAL = "substantial"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """1, 2 or 3."""
        return _ORDER[self.value]

    # A StrEnum would otherwise compare alphabetically ("high" < "low"); a level compares
    # by rank with another level or a level's name, and refuses anything else.
    def __lt__(self, other: object) -> bool:
        return self.rank < _rank_of(other)

    def __le__(self, other: object) -> bool:
        return self.rank <= _rank_of(other)

    def __gt__(self, other: object) -> bool:
        return self.rank > _rank_of(other)

    def __ge__(self, other: object) -> bool:
        return self.rank >= _rank_of(other)


def _rank_of(other: object) -> int:
    if isinstance(other, str) and other in _ORDER:
        return _ORDER[other]
    msg = f"a level of assurance compares only with another level, not {other!r:.20}"
    raise TypeError(msg)


def _level(value: LevelOfAssurance | str) -> LevelOfAssurance:
    if isinstance(value, LevelOfAssurance):
        return value
    if isinstance(value, str):
        try:
            return LevelOfAssurance(value.strip().lower())
        except ValueError:
            pass
    raise SelfcareError(Violation("assertion.unknown_level"))


def _method(value: AuthMethod | str) -> AuthMethod:
    if isinstance(value, AuthMethod):
        return value
    if isinstance(value, str):
        try:
            return AuthMethod(value.strip().lower())
        except ValueError:
            pass
    raise SelfcareError(Violation("assertion.unknown_method"))


def _name(value: str) -> str:
    if not isinstance(cast("object", value), str):  # the annotation says str; callers may not obey
        msg = f"names must be str, not {type(value).__name__}"
        raise TypeError(msg)
    if len(value) > _MAX_NAME:
        raise SelfcareError(Violation("assertion.name_too_long", {"max_length": _MAX_NAME}))
    return " ".join(value.split())


@final
@attrs.frozen(kw_only=True)
class IdentityAssertion:
    """What an identification provider asserted about the user.

    Attributes:
        method: how the user identified themselves.
        level: the eIDAS level of assurance of that method.
        national_id: the person's identity code; ``None`` only for ``work_account``
            (a work account identifies an employee, not a citizen).
        given_names: the given names, as the provider wrote them.
        surname: the family name.
        provider: who asserted it (a bank, an operator, an identity broker).
        issued_at: when the provider issued it (aware; stored in UTC).

    Raises:
        SelfcareError: ``assertion.national_id_missing`` (no code, not a work
            account), ``assertion.unknown_method``, ``assertion.unknown_level``,
            ``assertion.name_too_long``, ``time.naive_datetime``.
    """

    method: AuthMethod = attrs.field(converter=_method)
    level: LevelOfAssurance = attrs.field(converter=_level)
    national_id: NationalId | None = secret_field()
    given_names: str = attrs.field(converter=_name)
    surname: str = attrs.field(converter=_name)
    provider: str = attrs.field(converter=_name)
    issued_at: datetime = utc_field()

    def __attrs_post_init__(self) -> None:
        if self.national_id is None and self.method is not AuthMethod.WORK_ACCOUNT:
            raise SelfcareError(Violation("assertion.national_id_missing"))


def freshness_violations(
    issued_at: datetime, *, now: datetime, max_age: timedelta
) -> list[Violation]:
    """Whether an assertion issued at ``issued_at`` may be relied on at ``now``: no
    more than ``max_age`` old and no more than :data:`CLOCK_SKEW` (60 s) in the future.
    Identity assertions (:func:`accept_assertion`) and work-account assertions
    (:mod:`selfcare.identity.work_account`) are checked by it alike.

    Returns:
        ``[]``, or ``assertion.issued_in_future`` or ``assertion.expired``
        (``max_age_seconds``).

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``.
    """
    moment = require_aware(now, "now")
    if issued_at > moment + CLOCK_SKEW:
        return [Violation("assertion.issued_in_future")]
    if moment - issued_at > max_age:
        return [Violation("assertion.expired", {"max_age_seconds": int(max_age.total_seconds())})]
    return []


def accept_assertion(
    assertion: IdentityAssertion,
    *,
    now: datetime,
    min_level: LevelOfAssurance | str = LevelOfAssurance.SUBSTANTIAL,
    max_age: timedelta = DEFAULT_MAX_AGE,
    expected_national_id: NationalId | None = None,
) -> Decision:
    """Whether the library may rely on ``assertion`` at ``now``.

    An assertion is accepted when it is at least ``min_level``, was issued no more than
    ``max_age`` before ``now`` and no more than :data:`CLOCK_SKEW` (60 s) after it,
    and - when the user typed an identity code before being redirected
    (``expected_national_id``) - names that same person.

    Returns:
        An allowed decision, or a refusal with every one that applies of
        ``assertion.level_too_low`` (params ``level``, ``min_level``),
        ``assertion.expired`` (``max_age_seconds``), ``assertion.issued_in_future``
        and ``assertion.national_id_mismatch``.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``now``;
            ``assertion.unknown_level`` for an unknown ``min_level``.
    """
    moment = require_aware(now, "now")
    wanted = _level(min_level)
    found: list[Violation] = []
    if assertion.level < wanted:
        found.append(
            Violation(
                "assertion.level_too_low",
                {"level": assertion.level.value, "min_level": wanted.value},
            )
        )
    found.extend(freshness_violations(assertion.issued_at, now=moment, max_age=max_age))
    if expected_national_id is not None and assertion.national_id != expected_national_id:
        found.append(Violation("assertion.national_id_mismatch"))
    return Decision.from_violations(found, reason=f"assertion:{assertion.method.value}")
