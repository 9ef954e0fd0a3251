"""Outcomes of rules: :class:`Violation` and :class:`Decision`.

A rule that can say no returns a :class:`Decision`. A refusal lists every
:class:`Violation` that applies, each a stable dotted code plus the parameters its
message needs; the message itself is rendered only when shown, in ``en``, ``fi``,
``sv`` or ``nb``.

>>> from selfcare import Decision, Violation
>>> too_short = Violation("password.too_short", {"min_length": 10})
>>> decision = Decision.deny(too_short)
>>> bool(decision), decision.codes
(False, ('password.too_short',))
>>> match decision:
...     case Decision(allowed=False, violations=(Violation(code=code), *_)):
...         print(code)
password.too_short
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final, final

import attrs

from selfcare.core import messages
from selfcare.core.errors import SelfcareError
from selfcare.core.kinds import Kind, deciding_kind

__all__ = ["Decision", "ParamValue", "Violation"]

#: The values a violation parameter may hold. They are JSON-native so that a
#: violation survives serialization unchanged; amounts and dates travel as strings.
ParamValue = str | int | bool | None | tuple[str | int, ...]

_SCALARS: Final[tuple[type[str], type[int], type[bool], type[None]]] = (
    str,
    int,
    bool,
    type(None),
)


def _freeze_params(params: object) -> Mapping[str, ParamValue]:
    if params is None:
        return MappingProxyType({})
    if not isinstance(params, Mapping):
        msg = f"Violation params must be a mapping, not {type(params).__name__}"
        raise TypeError(msg)
    frozen: dict[str, ParamValue] = {}
    for key, value in params.items():
        if not isinstance(key, str):  # the annotation says str; callers may not obey it
            msg = f"Violation param names must be str, not {type(key).__name__}"
            raise TypeError(msg)
        frozen[key] = _freeze_value(key, value)
    return MappingProxyType(frozen)


def _freeze_value(key: str, value: object) -> ParamValue:
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, list | tuple | frozenset | set):
        items = sorted(value) if isinstance(value, frozenset | set) else list(value)
        if all(isinstance(item, str | int) and not isinstance(item, bool) for item in items):
            return tuple(items)
    msg = (
        f"Violation param {key!r} must be str, int, bool, None or a sequence of str/int,"
        f" not {type(value).__name__}"
    )
    raise TypeError(msg)


def _params_repr(params: Mapping[str, ParamValue]) -> str:
    return repr(dict(params))


@final
@attrs.frozen
class Violation:
    """One reason why something was refused.

    Args:
        code: a stable dotted code such as ``password.too_short``; every code has a
            message in each supported language (see :doc:`/reference/violations`).
        params: the values the message needs, e.g. ``{"min_length": 10}``. Never a
            secret: no password, one-time code or token ever goes in here.
    """

    code: str
    params: Mapping[str, ParamValue] = attrs.field(
        factory=dict, converter=_freeze_params, hash=False, repr=_params_repr
    )

    def __attrs_post_init__(self) -> None:
        if messages.strict_mode():
            messages.check_violation(self.code, self.params)

    def __reduce__(self) -> tuple[object, ...]:
        return (Violation, (self.code, dict(self.params)))

    @property
    def kind(self) -> Kind:
        """Whose problem this is (:class:`~selfcare.core.kinds.Kind`), from the catalog.

        >>> Violation("authz.unknown_relationship", {}).kind
        <Kind.NOT_FOUND: 'not_found'>
        """
        return messages.kind_of(self.code)

    def message(self, lang: str = "en") -> str:
        """The message in ``lang``; an unsupported language falls back to English.

        >>> Violation("password.too_short", {"min_length": 10}).message("fi")
        'Salasanassa on oltava vähintään 10 merkkiä.'
        """
        return messages.render(self.code, self.params, lang)


def _violations(value: Iterable[Violation]) -> tuple[Violation, ...]:
    return tuple(value)


def _check_consistency(instance: Decision, _attribute: object, value: bool) -> None:
    if value and instance.violations:
        msg = "an allowed Decision cannot carry violations"
        raise ValueError(msg)
    if not value and not instance.violations:
        msg = "a denied Decision needs at least one violation"
        raise ValueError(msg)


@final
@attrs.frozen
class Decision:
    """The answer of a rule: allowed, or denied with every violation that applies.

    ``bool(decision)`` is ``decision.allowed``. ``reason`` says what allowed it (for a
    permission check: which grant), and is ``None`` for a refusal.

    >>> Decision.allow(reason="grant:42")
    Decision(allowed=True, violations=(), reason='grant:42')
    >>> naive = Violation("time.naive_datetime", {"name": "now"})
    >>> Decision.combine(Decision.allow(), Decision.deny(naive)).codes
    ('time.naive_datetime',)
    """

    allowed: bool = attrs.field(validator=_check_consistency)
    violations: tuple[Violation, ...] = attrs.field(default=(), converter=_violations)
    reason: str | None = None

    @classmethod
    def allow(cls, reason: str | None = None) -> Decision:
        """An allowed decision, optionally saying what allowed it."""
        return cls(True, (), reason)

    @classmethod
    def deny(cls, *violations: Violation) -> Decision:
        """A refusal with at least one violation."""
        return cls(False, violations)

    @classmethod
    def from_violations(
        cls, violations: Iterable[Violation], reason: str | None = None
    ) -> Decision:
        """Allowed when ``violations`` is empty (with ``reason``), else denied."""
        found = tuple(violations)
        return cls(False, found) if found else cls(True, (), reason)

    @classmethod
    def combine(cls, *decisions: Decision) -> Decision:
        """One decision for several checks: allowed only if all are, listing every
        violation in order. The reasons of an all-allowed combination are joined with
        ``"; "``."""
        found = tuple(v for d in decisions for v in d.violations)
        if found:
            return cls(False, found)
        reasons = [d.reason for d in decisions if d.reason]
        return cls(True, (), "; ".join(reasons) if reasons else None)

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the violations, in order."""
        return tuple(v.code for v in self.violations)

    @property
    def kind(self) -> Kind | None:
        """The deciding :class:`~selfcare.core.kinds.Kind` of a refusal (see
        :data:`~selfcare.core.kinds.PRECEDENCE`); ``None`` when allowed.

        >>> no_grant = Violation("authz.no_grant", {"permission": "x", "relationship": "r"})
        >>> Decision.deny(no_grant, Violation("order.empty", {})).kind
        <Kind.FORBIDDEN: 'forbidden'>
        """
        if self.allowed:
            return None
        return deciding_kind(v.kind for v in self.violations)

    def messages(self, lang: str = "en") -> tuple[str, ...]:
        """Every violation rendered in ``lang``."""
        return tuple(v.message(lang) for v in self.violations)

    def to_error(self) -> SelfcareError:
        """The :class:`~selfcare.core.errors.SelfcareError` for a refusal."""
        if self.allowed:
            msg = "an allowed Decision has no error"
            raise ValueError(msg)
        return SelfcareError(*self.violations)

    def raise_for_denial(self) -> None:
        """Raise :class:`~selfcare.core.errors.SelfcareError` if this is a refusal."""
        if not self.allowed:
            raise self.to_error()
