"""Every public entry point, driven with junk, refuses only with ``SelfcareError``.

The entry points are the functions and constructors that ``selfcare.identity``,
``selfcare.authz``, ``selfcare.catalog``, ``selfcare.billing`` and its reference-number
modules export in ``__all__``
(enums and protocols excepted: an enum lookup is Python's, a protocol has no
constructor). Each parameter gets values built from its annotation, biased to what a
user could type: huge strings, NUL, lone surrogates, odd Unicode, naive datetimes,
huge numbers, NaN. A parameter annotated ``str`` also gets values of the wrong type;
only then may ``TypeError`` come out (the library documents it for wrong types).

Use cases that take a unit of work run on SQLite and on PostgreSQL; a refused one must
leave the database exactly as it was (its content is compared before and after).
"""

from __future__ import annotations

import enum
import importlib
import inspect
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from engines import Database, Engine, SqliteEngine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfcare import FixedClock, Refused, SelfcareError
from selfcare.adapters.memory.authz import MemoryAccountDirectory
from selfcare.adapters.memory.identity import (
    MemoryCustomerDirectory,
    MemoryFeedbackInbox,
    RecordingNotifier,
)
from selfcare.authz.ports import AccountDirectory, AuthzUnitOfWork
from selfcare.authz.roles import DEFAULT_ROLE_MODEL, RoleModel
from selfcare.billing.ports import BillingUnitOfWork, ProductInventory
from selfcare.catalog.ports import CatalogUnitOfWork
from selfcare.catalog.service import CatalogService
from selfcare.core.clock import Clock
from selfcare.core.ids import IdSource, SecretSource, SequentialIds, SystemSecrets
from selfcare.identity.breached import BreachedPasswords, InMemoryBreachedPasswords
from selfcare.identity.hashing import ScryptHasher
from selfcare.identity.national_id_at_rest import NationalIdKey
from selfcare.identity.otp import OneTimeCodeKey
from selfcare.identity.ports import (
    CustomerDirectory,
    FeedbackInbox,
    IdentityUnitOfWork,
    Notifier,
    PasswordHasher,
)
from selfcare.testing.strategies import ENTITIES

DOMAINS = (
    "selfcare.identity",
    "selfcare.authz",
    "selfcare.catalog",
    "selfcare.billing",
    "selfcare.billing.references.fi_reference",
    "selfcare.billing.references.rf_reference",
    "selfcare.billing.references.kid",
    "selfcare.billing.references.ocr_reference",
)
KEY = NationalIdKey(b"junk-test-key-0123456789abcdefghij")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

# -- junk ---------------------------------------------------------------------------

_ODD = "\x00\ud800\udfff\u202e\u200b\ufeff\u0301\U0001f600\n\t\r\x7f\u00a0ÅÄÖåäöÆØæø-+@.' "
_odd_text = st.text(alphabet=st.sampled_from(_ODD), max_size=20)
_huge_text = st.builds(
    lambda chunk, times: (chunk or "a") * times,
    st.text(alphabet=st.sampled_from("a1@.-\x00\ud800 Å"), max_size=3),
    st.integers(10_000, 50_000),
)
JUNK_TEXT: st.SearchStrategy[str] = st.one_of(
    st.text(max_size=40),
    _odd_text,
    _huge_text,
    st.sampled_from(["", " ", "\x00", "\ud800", "010101-123N", "anna@example.fi", "+358401234567"]),
    # ids that exist in the populated database, so that use cases reach their rules
    st.sampled_from(["anna", "authz-1", "authz-2", "authz-3", "account-1", "user1@example.fi"]),
)
WRONG_FOR_STR: st.SearchStrategy[object] = st.one_of(
    st.none(),
    st.integers(),
    st.floats(allow_nan=True),
    st.binary(max_size=10),
    st.lists(st.text(max_size=3), max_size=2),
)
naive_datetimes = st.datetimes()
# ``now`` is a clock reading: aware junk stays within two centuries (year 1 or 9999 are
# no clock's reading); naive ones range over everything.
aware_datetimes = st.datetimes(
    min_value=datetime(1900, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value=datetime(2200, 1, 1),  # noqa: DTZ001
    timezones=st.sampled_from([UTC, ZoneInfo("Europe/Helsinki")]),
)


@attrs.frozen
class Arg:
    """A generated argument, and whether it has the wrong type for its parameter."""

    value: object
    wrong: bool = False


class Unresolvable(Exception):  # noqa: N818 - internal signal of this test
    """No strategy for an annotation (the entry point is listed as not driven)."""


def _context() -> dict[type, Callable[[], object]]:
    """Collaborators for the ports: SQLite units of work and in-memory helpers."""
    return {
        Clock: lambda: FixedClock(NOW),
        IdSource: lambda: SequentialIds("junk"),
        SecretSource: SystemSecrets,
        AccountDirectory: MemoryAccountDirectory,
        CustomerDirectory: MemoryCustomerDirectory,
        FeedbackInbox: MemoryFeedbackInbox,
        Notifier: RecordingNotifier,
        PasswordHasher: lambda: ScryptHasher(n=2**4),
        BreachedPasswords: InMemoryBreachedPasswords,
        RoleModel: lambda: DEFAULT_ROLE_MODEL,
        OneTimeCodeKey: lambda: OneTimeCodeKey(b"junk-one-time-code-key-0123456789ab"),
        tzinfo: lambda: ZoneInfo("Europe/Helsinki"),
        AuthzUnitOfWork: lambda: DATABASE.engine.authz(DATABASE.current),
        IdentityUnitOfWork: lambda: DATABASE.engine.identity(DATABASE.current, KEY),
        BillingUnitOfWork: lambda: DATABASE.engine.billing(DATABASE.current),
        CatalogUnitOfWork: lambda: DATABASE.engine.catalog(DATABASE.current),
        ProductInventory: lambda: CatalogService(
            uow=DATABASE.engine.catalog(DATABASE.current),
            clock=FixedClock(NOW),
            ids=SequentialIds("junk"),
        ),
    }


#: The ports whose arguments are units of work on the engine under test.
STORAGE = (AuthzUnitOfWork, IdentityUnitOfWork, BillingUnitOfWork)


class _Database:
    """The database (and its engine) the units of work of the current test run on."""

    engine: Engine
    current: Database


DATABASE = _Database()
CONTEXT = _context()


def strategy_for(annotation: Any, *, top: bool = False) -> st.SearchStrategy[Arg]:
    """Arguments for a parameter annotated ``annotation``."""
    supertype = getattr(annotation, "__supertype__", None)
    if supertype is not None:  # a NewType such as AccountId
        return strategy_for(supertype, top=top)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(strategy_for(arg, top=top) for arg in args))
    if annotation is type(None):
        return st.just(Arg(None))
    if origin is typing.Literal:  # a mode: one of its values, or text it must refuse
        return st.one_of(st.sampled_from(args).map(Arg), JUNK_TEXT.map(Arg))
    if annotation is str:
        junk = JUNK_TEXT.map(Arg)
        return st.one_of(junk, WRONG_FOR_STR.map(lambda v: Arg(v, wrong=True))) if top else junk
    if annotation is bytes:  # an operator key: shorter than 32 bytes is a TypeError
        return st.one_of(
            st.binary(min_size=32, max_size=64).map(Arg),
            st.binary(max_size=31).map(lambda v: Arg(v, wrong=True)),
        )
    if annotation is bool:
        return st.booleans().map(Arg)
    if annotation is int:
        return st.one_of(st.integers(-(10**6), 10**6), st.integers()).map(Arg)
    if annotation is Decimal:
        return st.decimals(allow_nan=True, allow_infinity=True).map(Arg)
    if annotation is datetime:
        return st.one_of(aware_datetimes, naive_datetimes).map(Arg)
    if annotation is date:
        return st.dates().map(Arg)
    if annotation is timedelta:  # a setting (a validity, a lock): within ten years
        return st.timedeltas(timedelta(days=-3650), timedelta(days=3650)).map(Arg)
    if annotation is object:  # anything goes; all but text counts as a wrong type
        return st.one_of(JUNK_TEXT.map(Arg), WRONG_FOR_STR.map(lambda v: Arg(v, wrong=True)))
    if origin in (tuple, list, frozenset, set) or origin in (Iterable, Sequence):
        item = args[0] if args else object
        wrap: Callable[[list[object]], object] = frozenset if origin in (frozenset, set) else tuple
        return st.lists(strategy_for(item), max_size=3).map(
            lambda items: Arg(wrap([a.value for a in items]), any(a.wrong for a in items))
        )
    if origin is Mapping or origin is dict:
        return st.dictionaries(JUNK_TEXT, strategy_for(args[1]), max_size=3).map(
            lambda d: Arg({k: v.value for k, v in d.items()}, any(v.wrong for v in d.values()))
        )
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return st.sampled_from(list(annotation)).map(Arg)
    if annotation in CONTEXT:
        return st.builds(CONTEXT[annotation]).map(Arg)
    if annotation in ENTITIES:
        return ENTITIES[annotation].map(Arg)
    if annotation is attrs.AttrsInstance:  # the rows of a message's list: any entity
        return st.one_of(*list(ENTITIES.values())[:5]).map(Arg)
    raise Unresolvable(annotation)


# -- entry points ------------------------------------------------------------------


def _entry_points() -> Iterator[tuple[str, Callable[..., object]]]:
    for name in DOMAINS:
        module = importlib.import_module(name)
        for symbol in module.__all__:
            obj = getattr(module, symbol)
            if not callable(obj):
                continue
            if isinstance(obj, type) and (
                issubclass(obj, enum.Enum) or getattr(obj, "_is_protocol", False)
            ):
                continue
            yield f"{name}.{symbol}", obj


def _parameters(obj: Callable[..., object]) -> list[tuple[inspect.Parameter, Any]]:
    if getattr(obj, "__supertype__", None) is not None:  # NewType: one positional value
        parameter = inspect.Parameter("value", inspect.Parameter.POSITIONAL_ONLY)
        return [(parameter, obj.__supertype__)]  # type: ignore[attr-defined]
    target = obj.__init__ if isinstance(obj, type) else obj  # type: ignore[misc]
    hints = typing.get_type_hints(target)
    signature = inspect.signature(obj)
    return [
        (p, hints.get(p.name, object))
        for p in signature.parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


ENTRY_POINTS = dict(_entry_points())


def _call_strategy(
    obj: Callable[..., object],
) -> st.SearchStrategy[tuple[list[object], dict[str, object], bool]]:
    parts: list[st.SearchStrategy[tuple[inspect.Parameter, Arg | None]]] = []
    for parameter, annotation in _parameters(obj):
        values = strategy_for(annotation, top=True)
        with_value: st.SearchStrategy[tuple[inspect.Parameter, Arg | None]] = st.tuples(
            st.just(parameter), values
        )
        if parameter.default is not inspect.Parameter.empty:
            # Leave some optional parameters out, so their defaults are driven too.
            parts.append(st.one_of(st.just((parameter, None)), with_value))
        else:
            parts.append(with_value)

    def assemble(
        chosen: tuple[tuple[inspect.Parameter, Arg | None], ...],
    ) -> tuple[list[object], dict[str, object], bool]:
        positional: list[object] = []
        keywords: dict[str, object] = {}
        for parameter, arg in chosen:
            if arg is None:
                continue
            if parameter.kind is inspect.Parameter.POSITIONAL_ONLY:
                positional.append(arg.value)
            else:
                keywords[parameter.name] = arg.value
        return positional, keywords, any(a is not None and a.wrong for _, a in chosen)

    return st.tuples(*parts).map(assemble)


def _resolvable() -> tuple[list[str], list[str]]:
    driven, not_driven = [], []
    for name, obj in ENTRY_POINTS.items():
        try:
            _call_strategy(obj)
        except Unresolvable:
            not_driven.append(name)
        else:
            driven.append(name)
    return driven, not_driven


DRIVEN, NOT_DRIVEN = _resolvable()


def _uses_storage(name: str) -> bool:
    return any(annotation in STORAGE for _, annotation in _parameters(ENTRY_POINTS[name]))


#: The entry points that take a unit of work run on every engine; the others once.
DRIVEN_WITH_STORAGE = [name for name in DRIVEN if _uses_storage(name)]
DRIVEN_PURE = [name for name in DRIVEN if not _uses_storage(name)]

#: Entry points whose parameters no strategy can build (a public entity without a
#: strategy); kept short and explicit so that a new one is noticed.
EXPECTED_NOT_DRIVEN: frozenset[str] = frozenset()


#: Configuration constructors may refuse impossible operator settings with
#: ``config.invalid_setting`` (a SelfcareError, so they need no exception here).
CONFIGURATION_VALUE_ERRORS: Mapping[str, str] = {}


def test_every_entry_point_is_driven() -> None:
    assert len(ENTRY_POINTS) > 140
    assert set(NOT_DRIVEN) == EXPECTED_NOT_DRIVEN
    assert DRIVEN_WITH_STORAGE  # the services' constructors


def _dump(database: Database) -> list[str]:
    return DATABASE.engine.dump(database)


@pytest.fixture(scope="module")
def sqlite_junk_database(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Engine, Database]]:
    engine = SqliteEngine(Path(tmp_path_factory.mktemp("junk")))
    yield engine, engine.new()
    engine.close()


@pytest.fixture(scope="module")
def junk_database(engine: Engine) -> Database:
    return engine.new()


_JUNK_SETTINGS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.slow
@pytest.mark.parametrize("name", DRIVEN_PURE)
@_JUNK_SETTINGS
@given(data=st.data())
def test_junk_gives_only_selfcare_error(
    name: str, data: st.DataObject, sqlite_junk_database: tuple[Engine, Database]
) -> None:
    DATABASE.engine, DATABASE.current = sqlite_junk_database
    _drive_with_junk(name, data, DATABASE.current)


@pytest.mark.slow
@pytest.mark.parametrize("name", DRIVEN_WITH_STORAGE)
@_JUNK_SETTINGS
@given(data=st.data())
def test_junk_into_storage_gives_only_selfcare_error(
    name: str, data: st.DataObject, junk_database: Database, engine: Engine
) -> None:
    DATABASE.engine, DATABASE.current = engine, junk_database
    _drive_with_junk(name, data, junk_database)


def _drive_with_junk(name: str, data: st.DataObject, database: Database) -> None:
    obj = ENTRY_POINTS[name]
    positional, keywords, wrong_type = data.draw(_call_strategy(obj), label="call")
    before = _dump(database)
    try:
        obj(*positional, **keywords)
    except SelfcareError:
        assert _dump(database) == before, "a refusal changed the database"
    except TypeError:
        if not wrong_type:
            raise
    except ValueError:
        if name not in CONFIGURATION_VALUE_ERRORS:
            raise


# -- use cases on a populated database ---------------------------------------------

ANNA = "anna"


def _services(engine: Engine, database: Database) -> dict[str, object]:
    """The authz and identity services over ``database``, which gets a relationship,
    a holder, a pending invitation and an account to refuse things about."""
    from selfcare.adapters.memory.identity import MemoryCustomerDirectory  # noqa: PLC0415
    from selfcare.authz import USER, AuthzService  # noqa: PLC0415
    from selfcare.billing import BillingService  # noqa: PLC0415
    from selfcare.identity import IdentityService  # noqa: PLC0415
    from selfcare.identity.customer_records import CustomerRecord  # noqa: PLC0415
    from selfcare.identity.national_id import Country, parse_national_id  # noqa: PLC0415
    from selfcare.privacy import PrivacyService  # noqa: PLC0415
    from selfcare.testing.contracts.identity import example_account  # noqa: PLC0415
    from selfcare.testing.fakes import bank_identification  # noqa: PLC0415

    accounts = MemoryAccountDirectory()
    anna_id = parse_national_id("131052-308T", Country.FI, today=NOW.date())
    accounts.register(ANNA, "anna@example.fi", national_id=anna_id)  # type: ignore[arg-type]
    record = CustomerRecord(
        customer_number="100234", kind="electricity", national_ids_on_file=(anna_id,)
    )
    authz = AuthzService(
        uow=engine.authz(database),
        accounts=accounts,
        customers=MemoryCustomerDirectory([record]),
        clock=FixedClock(NOW),
        ids=SequentialIds("authz"),
        secrets=SystemSecrets(),
    )
    authz.link_customer_relationships(  # type: ignore[arg-type]
        ANNA, bank_identification(anna_id, at=NOW)
    ).unwrap()
    (relationship,) = authz.relationships_of(ANNA).unwrap()  # type: ignore[arg-type]
    authz.invite(
        relationship,
        "pekka@example.fi",
        first_name="Pekka",
        last_name="Virtanen",
        message="Hei!",
        roles=[USER],
        inviter=ANNA,  # type: ignore[arg-type]
    ).unwrap()
    identity_uow = engine.identity(database, KEY)
    with identity_uow:
        identity_uow.accounts.add(example_account(1))
        identity_uow.commit()
    identity = IdentityService(
        uow=identity_uow,
        directory=MemoryCustomerDirectory([record]),
        hasher=ScryptHasher(n=2**4),
        notifier=RecordingNotifier(),
        feedback_inbox=MemoryFeedbackInbox(),
        clock=FixedClock(NOW),
        ids=SequentialIds("identity"),
        secrets=SystemSecrets(),
    )
    billing = BillingService(
        uow=engine.billing(database), clock=FixedClock(NOW), ids=SequentialIds("ba")
    )
    billing.add_billing_agreement(
        payer="100234", method="e_invoice", valid_from=NOW.date()
    ).unwrap()
    privacy = PrivacyService(uow=engine.privacy(database, KEY), clock=FixedClock(NOW))
    return {
        "AuthzService": authz,
        "IdentityService": identity,
        "BillingService": billing,
        "PrivacyService": privacy,
    }


def _use_cases() -> list[str]:
    from selfcare.authz import AuthzService  # noqa: PLC0415
    from selfcare.billing import BillingService  # noqa: PLC0415
    from selfcare.identity import IdentityService  # noqa: PLC0415
    from selfcare.privacy import PrivacyService  # noqa: PLC0415

    # Inherited methods too: IdentityService's are written in its use-case bases.
    return [
        f"{cls.__name__}.{name}"
        for cls in (AuthzService, IdentityService, BillingService, PrivacyService)
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    ]


@pytest.fixture(scope="module")
def populated(engine: Engine) -> tuple[Database, dict[str, object]]:
    database = engine.new()
    return database, _services(engine, database)


@pytest.mark.slow
@pytest.mark.parametrize("use_case", _use_cases())
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_a_refused_use_case_leaves_the_database_unchanged(
    use_case: str,
    data: st.DataObject,
    populated: tuple[Database, dict[str, object]],
    engine: Engine,
) -> None:
    database, services = populated
    DATABASE.engine = engine
    service_name, method_name = use_case.split(".")
    method = getattr(services[service_name], method_name)
    try:
        call = _call_strategy(method)
    except Unresolvable:
        pytest.skip(f"no strategy for a parameter of {use_case}")
    positional, keywords, wrong_type = data.draw(call, label="call")
    before = _dump(database)
    try:
        result = method(*positional, **keywords)
    except SelfcareError:
        assert _dump(database) == before, "a refusal changed the database"
    except TypeError:
        if not wrong_type:
            raise
        assert _dump(database) == before, "a TypeError changed the database"
    else:
        if isinstance(result, Refused) and not result.events:
            assert _dump(database) == before, "a refusal changed the database"
