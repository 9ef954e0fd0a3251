"""The one cattrs converter that turns every public entity into JSON-ready data.

Wire-format choices, all in :func:`make_converter`:

- aware :class:`~datetime.datetime` as ISO 8601 in UTC (``2026-01-01T09:00:00+00:00``);
  a naive or malformed one is refused when structuring;
- :class:`~datetime.date` as ``YYYY-MM-DD``; :class:`~datetime.timedelta` as a string of
  seconds (``"300"``, ``"0.5"``);
- :class:`~decimal.Decimal` as a string (``"12.90"``), never a float;
- enums by value; ``frozenset`` as a sorted list; tuples as lists;
- a :class:`~selfcare.core.decision.Violation` as ``{"code": ..., "params": {...}}``;
- an :class:`~selfcare.core.events.Event` with its type name first,
  ``{"type": "InvitationAccepted", "occurred_at": ..., ...}``, so that a list of mixed
  events (``tuple[Event, ...]``) reads back into the right classes;
- a message parameter (``str | tuple[attrs.AttrsInstance, ...]``, see
  :data:`~selfcare.identity.ports.MessageParam`) reads back when it is text; the rows of
  a list are written but not read back (their classes are not in the document);
- unknown keys are refused (``forbid_extra_keys``);
- secret fields (:func:`~selfcare.core.secrets.secret_field`: a national identity
  code, a password hash, a token or its digest, a one-time code's salt and hash) are
  left out of the default form, so that logging, caching or sending an entity cannot
  leak them; storage asks for them explicitly with :data:`storage_converter` (or
  ``unstructure(value, include_secrets=True)``). Reading a document back takes either
  form: a secret field left out gets its default, and an entity whose secret has no
  default (:class:`~selfcare.identity.account.Account`,
  :class:`~selfcare.authz.invitation.Invitation`) reads back only from the storage form.

>>> import attrs
>>> from selfcare.core.secrets import secret_field
>>> @attrs.frozen
... class Login:
...     email: str
...     password_hash: str = secret_field(default="")
>>> unstructure(Login("anna@example.fi", "scrypt$..."))
{'email': 'anna@example.fi'}
>>> unstructure(Login("anna@example.fi", "scrypt$..."), include_secrets=True)
{'email': 'anna@example.fi', 'password_hash': 'scrypt$...'}
>>> structure({'email': 'anna@example.fi'}, Login).password_hash
''

Errors come out as :class:`~selfcare.core.errors.SelfcareError` whose violations name
the place in the document, e.g. ``$.items[0].price``; violations raised by an entity's
own validation come out unchanged.

>>> from selfcare import Money
>>> unstructure(Money("12.90", "EUR"))
{'amount': '12.90', 'currency': 'EUR'}
>>> structure({"amount": "12.90", "currency": "EUR"}, Money)
Money(amount=Decimal('12.90'), currency=<Currency.EUR: 'EUR'>)
>>> structure({"amount": "12.90"}, Money)
Traceback (most recent call last):
...
selfcare.core.errors.SelfcareError: A required value is missing at $.currency.
"""

from __future__ import annotations

import enum
import json
import re
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import attrs
import cattrs
import cattrs.gen
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)

from selfcare.core.clock import require_aware
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.events import Event, event_types
from selfcare.core.outcome import Done
from selfcare.core.secrets import is_secret

__all__ = [
    "converter",
    "make_converter",
    "storage_converter",
    "structure",
    "unstructure",
]


T = TypeVar("T")


def _structure_datetime(value: object, _: type) -> datetime:
    if isinstance(value, str) and len(value) <= 64:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise SelfcareError(Violation("time.not_a_datetime", {"name": value[:32]})) from None
        return require_aware(parsed, value[:32])
    if isinstance(value, datetime):
        return require_aware(value, "datetime")
    raise SelfcareError(Violation("time.not_a_datetime", {"name": type(value).__name__}))


def _structure_date(value: object, _: type) -> date:
    if isinstance(value, str) and len(value) <= 32:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise ValueError("expected an ISO 8601 date")


def _structure_decimal(value: object, _: type) -> Decimal:
    if isinstance(value, str) and len(value) <= 64:
        try:
            number = Decimal(value)
        except InvalidOperation:
            pass
        else:
            if number.is_finite():
                return number
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, Decimal) and value.is_finite():
        return value
    raise ValueError("expected a decimal number as a string")


def _structure_timedelta(value: object, cls: type) -> timedelta:
    micros = _structure_decimal(value, cls) * 1_000_000
    if abs(micros) >= 86_400 * 10**6 * 999_999_999:
        raise ValueError("expected a duration in seconds")
    return timedelta(microseconds=int(micros))


def _unstructure_timedelta(value: timedelta) -> str:
    total = Decimal(value.days * 86400 + value.seconds) + Decimal(value.microseconds) / 10**6
    return str(total.normalize()) if total else "0"


# These hooks raise ValueError, not TypeError, for documents of the wrong shape: that is
# what cattrs and our error collection treat as an invalid value in the data.
def _structure_violation(value: object, _: type) -> Violation:
    if not isinstance(value, Mapping):
        raise ValueError("expected a mapping with code and params")  # noqa: TRY004
    extra = set(value) - {"code", "params"}
    if extra:
        raise ForbiddenExtraKeysError("", Violation, extra)
    code, params = value.get("code"), value.get("params", {})
    if not isinstance(code, str):
        raise ValueError("expected the code as a string")  # noqa: TRY004
    if not isinstance(params, Mapping):
        raise ValueError("expected params as a mapping")  # noqa: TRY004
    try:
        return Violation(code, params)
    except TypeError as exc:
        raise ValueError(str(exc)) from None


#: The type of a message parameter (text, or the rows of a list in the message).
_MESSAGE_PARAM: Any = str | tuple[attrs.AttrsInstance, ...]


def _structure_message_param(value: object, _: type) -> str:
    if isinstance(value, str):
        return value
    raise ValueError("expected text: the rows of a message's list are not read back")


def _enum_value(member: enum.Enum) -> Any:
    return member.value


def _is_frozenset(tp: object) -> bool:
    return tp is frozenset or typing.get_origin(tp) is frozenset


def _sort_key(item: object) -> str:
    return json.dumps(item, sort_keys=True, default=str)


#: Text that JSON writes as it is, between quotes, and whose characters all come after
#: the quote: sorting such strings themselves gives the order of :func:`_sort_key`
#: (role names, product codes).
_PLAIN_TEXT = re.compile(r"[#-\[\]-~]*")


def _frozenset_unstructure_factory(tp: Any, conv: cattrs.Converter) -> Callable[[Any], list[Any]]:
    args = typing.get_args(tp)
    inner = conv.get_unstructure_hook(args[0]) if args else conv.unstructure

    def unstructure_frozenset(value: frozenset[Any]) -> list[Any]:
        items = [inner(item) for item in value]
        if all(type(item) is str and _PLAIN_TEXT.fullmatch(item) for item in items):
            return sorted(items)  # the order _sort_key gives them, without a dump each
        return sorted(items, key=_sort_key)

    return unstructure_frozenset


def _is_enum(tp: object) -> bool:
    return isinstance(tp, type) and issubclass(tp, enum.Enum)


def _secret_fields(tp: object) -> tuple[str, ...]:
    if not (isinstance(tp, type) and attrs.has(tp)) or issubclass(tp, Event):
        return ()
    return tuple(field.name for field in attrs.fields(tp) if is_secret(field))


def _omit_secrets(conv: cattrs.Converter) -> None:
    """Unstructure the classes that have secret fields without them."""

    def factory(cls: type) -> Callable[[Any], dict[str, Any]]:
        omitted = {name: cattrs.gen.override(omit=True) for name in _secret_fields(cls)}
        return cattrs.gen.make_dict_unstructure_fn(cls, conv, **omitted)  # type: ignore[arg-type]

    conv.register_unstructure_hook_factory(lambda tp: bool(_secret_fields(tp)), factory)


def make_converter(*, include_secrets: bool = False) -> cattrs.Converter:
    """A new converter with every wire-format choice of the library (see the module).

    Args:
        include_secrets: whether secret fields are written (storage
            only); both kinds of converter read both forms.
    """
    conv = cattrs.Converter(forbid_extra_keys=True)
    conv.register_unstructure_hook(datetime, lambda value: require_aware(value).isoformat())
    conv.register_structure_hook(datetime, _structure_datetime)
    conv.register_unstructure_hook(date, lambda value: value.isoformat())
    conv.register_structure_hook(date, _structure_date)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_unstructure_hook(timedelta, _unstructure_timedelta)
    conv.register_structure_hook(timedelta, _structure_timedelta)
    conv.register_unstructure_hook(
        Violation,
        lambda v: {"code": v.code, "params": conv.unstructure(dict(v.params))},
    )
    conv.register_structure_hook(Violation, _structure_violation)
    conv.register_structure_hook_func(lambda tp: tp == _MESSAGE_PARAM, _structure_message_param)
    conv.register_unstructure_hook_factory(_is_frozenset, _frozenset_unstructure_factory)
    # StrEnum members are str instances, which cattrs would pass through as they are.
    conv.register_unstructure_hook(enum.StrEnum, _enum_value)
    conv.register_unstructure_hook_factory(_is_enum, lambda _tp: _enum_value)
    _register_events(conv)
    if not include_secrets:
        _omit_secrets(conv)
    conv.register_structure_hook(Done, lambda data, _: _structure_bare_done(conv, data))
    return conv


def _is_event_class(tp: object) -> bool:
    return isinstance(tp, type) and issubclass(tp, Event)


def _register_events(conv: cattrs.Converter) -> None:
    """Events carry their type name, so that a list of mixed events reads back."""

    def unstructure_factory(cls: type[Event]) -> Callable[[Event], dict[str, Any]]:
        fields_of = cattrs.gen.make_dict_unstructure_fn(cls, conv)

        def unstructure_event(event: Event) -> dict[str, Any]:
            if type(event) is not cls:  # a subclass value where its base was declared
                return conv.unstructure(event, unstructure_as=type(event))  # type: ignore[no-any-return]
            return {"type": cls.__name__, **fields_of(event)}

        return unstructure_event

    def structure_factory(cls: type[Event]) -> Callable[[object, type], Event]:
        def structure_event(data: object, _: type) -> Event:
            if not isinstance(data, Mapping) or not isinstance(data.get("type"), str):
                raise TypeError("an event needs its type name")
            target = event_types().get(data["type"])
            if target is None or not issubclass(target, cls):
                raise ValueError("an unknown event type")
            fields = {key: value for key, value in data.items() if key != "type"}
            made: Event = cattrs.gen.make_dict_structure_fn(
                target, conv, _cattrs_forbid_extra_keys=True
            )(fields, target)
            return made

        return structure_event

    conv.register_unstructure_hook_factory(_is_event_class, unstructure_factory)
    conv.register_structure_hook_factory(_is_event_class, structure_factory)


def _structure_bare_done(conv: cattrs.Converter, data: object) -> Done[Any]:
    """``Done`` without a type argument: the value as it is (JSON-native)."""
    if not isinstance(data, Mapping) or set(data) != {"value", "events"}:
        raise ValueError("a Done needs exactly 'value' and 'events'")
    return Done(data["value"], conv.structure(data["events"], tuple[Event, ...]))


#: The library's converter (secrets left out). Use :func:`structure` to get our errors
#: instead of cattrs'.
converter: cattrs.Converter = make_converter()
#: The converter of the storage adapters: the same wire format, secrets included.
storage_converter: cattrs.Converter = make_converter(include_secrets=True)


def unstructure(value: object, *, include_secrets: bool = False) -> Any:
    """``value`` as JSON-ready data (dicts, lists, strings, numbers, booleans, None).

    Args:
        value: any value the converter knows.
        include_secrets: write the secret fields too - only for storage
            (a database, a cache the application keeps like one) or for a document
            meant for their owner (the GDPR export).
    """
    chosen = storage_converter if include_secrets else converter
    return chosen.unstructure(value)


def structure(data: object, cls: type[T]) -> T:
    """Build a ``cls`` from JSON-ready ``data``.

    Raises:
        SelfcareError: ``serialization.invalid_value``, ``serialization.missing_key``,
            ``serialization.extra_keys``, or the entity's own violation codes.
    """
    try:
        return converter.structure(data, cls)
    except SelfcareError:
        raise
    except Exception as exc:  # noqa: BLE001 - every cattrs failure becomes our error
        found: list[Violation] = []
        _collect(exc, "$", found)
        raise SelfcareError(*found) from None


def _collect(exc: BaseException, path: str, found: list[Violation]) -> None:
    if isinstance(exc, ClassValidationError | IterableValidationError):
        with_notes, without = exc.group_exceptions()
        for inner, note in with_notes:
            _collect(inner, path + _step(note), found)
        for inner in without:
            _collect(inner, path, found)
    elif isinstance(exc, cattrs.BaseValidationError):
        for inner in exc.exceptions:
            _collect(inner, path, found)
    elif isinstance(exc, SelfcareError):
        found.extend(exc.violations)
    elif isinstance(exc, ForbiddenExtraKeysError):
        found.append(
            Violation(
                "serialization.extra_keys",
                {"path": path, "keys": tuple(sorted(str(k)[:64] for k in exc.extra_fields))},
            )
        )
    elif isinstance(exc, KeyError):
        found.append(Violation("serialization.missing_key", {"path": path}))
    else:
        # Only our own hooks' texts ("expected ...") are shown: other texts (an enum's
        # "'x' is not a valid ...") would echo the input, which may be personal data.
        text = str(exc)
        expected = text[len("expected ") :] if text.startswith("expected ") else "a valid value"
        found.append(Violation("serialization.invalid_value", {"path": path, "expected": expected}))


def _step(note: object) -> str:
    name = getattr(note, "name", None)
    if isinstance(name, str):
        return f".{name}"
    index = getattr(note, "index", None)
    if index is None:
        index = getattr(note, "key", None)
    return f"[{index!r}]"
