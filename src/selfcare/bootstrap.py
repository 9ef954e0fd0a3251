"""The one composition root: :func:`bootstrap` builds every service of the library.

An integrator calls it once at start-up and keeps the :class:`App`; the demo, the
tests and the documentation do the same. It wires each domain's service to its unit of
work on the chosen :class:`Storage`, the clock, the id and secret sources, the
operator's :class:`Policies`, and the directories the services need of each other
(authz reads identity's accounts through
:class:`~selfcare.authz.accounts.IdentityAccountDirectory`).

>>> from datetime import UTC, datetime
>>> from selfcare.testing.fakes import CountingSecrets, SequentialIds, SteppableClock
>>> app = bootstrap(
...     memory_storage(),
...     clock=SteppableClock(datetime(2026, 3, 2, 8, tzinfo=UTC)),
...     ids=SequentialIds("id"),
...     secrets=CountingSecrets(),
... )
>>> app.identity.start_registration(language="fi").unwrap().state.value
'started'

Production wiring keeps the defaults of ``clock``, ``ids`` and ``secrets`` (the system
clock, random UUIDs, the operating system's CSPRNG) and opens SQLite storage with the
operator's key for national identity codes::

    app = bootstrap(sqlite_storage("/var/lib/portal/selfcare.sqlite3",
                                   national_id_key=key_from_your_vault))

or, for many service processes on one database server, PostgreSQL (the ``postgres``
extra)::

    app = bootstrap(postgres_storage("host=db dbname=portal user=selfcare",
                                     national_id_key=key_from_your_vault, pool_size=10))
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from selfcare.authz.accounts import IdentityAccountDirectory
from selfcare.authz.invitation_policy import InvitationPolicy
from selfcare.authz.roles import DEFAULT_ROLE_MODEL, RoleModel
from selfcare.authz.service import AuthzService
from selfcare.billing.invoices import Party
from selfcare.billing.service import BillingService
from selfcare.billing.vat import NORDIC_VAT, VatTable
from selfcare.catalog.sample import SAMPLE_LABELS
from selfcare.catalog.service import CatalogService
from selfcare.catalog.timing import OrderPolicy
from selfcare.catalog.wording import CatalogLabel
from selfcare.core.clock import Clock, SystemClock, operator_zone
from selfcare.core.ids import IdSource, SecretSource, SystemSecrets, UuidIds
from selfcare.identity.login import LoginPolicy
from selfcare.identity.national_id_at_rest import NationalIdKey, NationalIdKeyRing
from selfcare.identity.otp import OneTimeCodeKey
from selfcare.identity.password_presets import nist_800_63b_4, nist_login_policy
from selfcare.identity.recovery import RecoveryPolicy
from selfcare.identity.registration import RegistrationPolicy
from selfcare.identity.second_factor import TotpPolicy
from selfcare.identity.service import IdentityService
from selfcare.identity.terms import TermsOfUse
from selfcare.identity.work_account import WorkAccountPolicy
from selfcare.privacy.accounting_retention import ClosingPolicy
from selfcare.privacy.model import DEFAULT_RETENTION, RetentionPolicy
from selfcare.privacy.service import PrivacyService

if TYPE_CHECKING:
    from selfcare.authz.ports import AccountDirectory, AuthzUnitOfWork
    from selfcare.billing.ports import BillingUnitOfWork
    from selfcare.catalog.ports import CatalogUnitOfWork
    from selfcare.identity.breached import BreachedPasswords
    from selfcare.identity.ports import (
        CustomerDirectory,
        FeedbackInbox,
        IdentityUnitOfWork,
        Notifier,
        PasswordHasher,
    )
    from selfcare.privacy.ports import PrivacyUnitOfWork

__all__ = [
    "App",
    "Policies",
    "Storage",
    "bootstrap",
    "memory_storage",
    "postgres_storage",
    "sqlite_storage",
]


@attrs.frozen
class Storage:
    """Where every domain keeps its entities: one unit of work per domain, over one
    database, plus the function that closes it.

    Build one with :func:`memory_storage`, :func:`sqlite_storage` or
    :func:`postgres_storage`, or fill it with
    your own adapters' units of work (each must pass the contract suites of
    :mod:`selfcare.testing.contracts`).

    Thread safety: the database underneath is shared by every thread (SQLite and
    PostgreSQL keep one connection per thread; memory storage serialises its units of
    work), but a unit-of-work *object* belongs to one thread at a time:
    :meth:`for_another_thread` gives another thread its own, over the same database.
    """

    identity: IdentityUnitOfWork
    authz: AuthzUnitOfWork
    catalog: CatalogUnitOfWork
    billing: BillingUnitOfWork
    privacy: PrivacyUnitOfWork
    close: Callable[[], None] = attrs.field(default=lambda: None, repr=False)
    #: Builds new units of work over the same database (the storage functions set it);
    #: ``None`` for a storage whose units of work may be shared between threads.
    renew: Callable[[], Storage] | None = attrs.field(default=None, repr=False, eq=False)

    def for_another_thread(self) -> Storage:
        """New unit-of-work objects over the same database, for another thread; the
        storage itself when it has no ``renew`` (its units of work must then be safe to
        share)."""
        return self if self.renew is None else self.renew()


def memory_storage() -> Storage:
    """Storage in this process's memory: tests, demos, and trying the library out."""
    from selfcare.adapters.memory import MemoryDatabase  # noqa: PLC0415
    from selfcare.adapters.memory.authz import MemoryAuthzUnitOfWork  # noqa: PLC0415
    from selfcare.adapters.memory.billing import MemoryBillingUnitOfWork  # noqa: PLC0415
    from selfcare.adapters.memory.catalog import MemoryCatalogUnitOfWork  # noqa: PLC0415
    from selfcare.adapters.memory.identity import MemoryIdentityUnitOfWork  # noqa: PLC0415
    from selfcare.adapters.memory.privacy import MemoryPrivacyUnitOfWork  # noqa: PLC0415

    database = MemoryDatabase()

    def units() -> Storage:
        return Storage(
            identity=MemoryIdentityUnitOfWork(database),
            authz=MemoryAuthzUnitOfWork(database),
            catalog=MemoryCatalogUnitOfWork(database),
            billing=MemoryBillingUnitOfWork(database),
            privacy=MemoryPrivacyUnitOfWork(database),
            renew=units,
        )

    return units()


def sqlite_storage(
    path: str | Path,
    *,
    national_id_key: bytes | NationalIdKey | NationalIdKeyRing,
    busy_timeout: float = 30.0,
) -> Storage:
    """Storage in the SQLite file ``path`` (created, and migrated, when opened).

    Args:
        path: the database file; ``":memory:"`` for a private in-memory database.
        national_id_key: the operator key (at least 32 random bytes) that seals and
            hashes national identity codes at rest; keep it like a database
            encryption key, outside the database Pass a
            :class:`~selfcare.identity.national_id_at_rest.NationalIdKeyRing` to
            rotate keys (:mod:`selfcare.identity.national_id_at_rest`).
        busy_timeout: seconds a writer waits for another writer.
    """
    from selfcare.adapters.sqlite import (  # noqa: PLC0415 - only when SQLite is chosen
        SqliteAuthzUnitOfWork,
        SqliteBillingUnitOfWork,
        SqliteCatalogUnitOfWork,
        SqliteIdentityUnitOfWork,
        SqlitePrivacyUnitOfWork,
        open_database,
    )

    key = _national_id_keys(national_id_key)
    database = open_database(path, busy_timeout=busy_timeout)

    def units() -> Storage:
        return Storage(
            identity=SqliteIdentityUnitOfWork(database, key),
            authz=SqliteAuthzUnitOfWork(database),
            catalog=SqliteCatalogUnitOfWork(database),
            billing=SqliteBillingUnitOfWork(database),
            privacy=SqlitePrivacyUnitOfWork(database, key),
            close=database.close,
            renew=units,
        )

    return units()


def postgres_storage(
    dsn: str,
    *,
    national_id_key: bytes | NationalIdKey | NationalIdKeyRing,
    pool_size: int = 10,
    schema: str | None = None,
    timeout: float = 30.0,
) -> Storage:
    """Storage in the PostgreSQL database ``dsn`` (migrated when opened); needs the
    ``postgres`` extra (``pip install 'selfcare[postgres]'``).

    Build one per process: its pool's connections are not shared across ``fork``.

    Args:
        dsn: a libpq connection string or URI (``host=db dbname=portal user=selfcare``);
            keep the password in ``PGPASSWORD`` or ``~/.pgpass``, not in code.
        national_id_key: the operator key (at least 32 random bytes) that seals and
            hashes national identity codes at rest - the same key as on SQLite, so a
            database can move between the two; keep it outside the database Pass a
            :class:`~selfcare.identity.national_id_at_rest.NationalIdKeyRing` to
            rotate keys (:mod:`selfcare.identity.national_id_at_rest`).
        pool_size: the most connections this process opens (one per thread inside a
            unit of work at the same moment).
        schema: the schema for the tables (created when missing); ``public`` when
            ``None``.
        timeout: seconds to wait to connect, and for a free connection.

    Raises:
        StorageUnavailable: the server cannot be reached (``cannot_connect``).
    """
    from selfcare.adapters.postgres import (  # noqa: PLC0415 - only when PostgreSQL is chosen
        PostgresAuthzUnitOfWork,
        PostgresBillingUnitOfWork,
        PostgresCatalogUnitOfWork,
        PostgresIdentityUnitOfWork,
        PostgresPrivacyUnitOfWork,
        open_database,
    )

    key = _national_id_keys(national_id_key)
    database = open_database(dsn, pool_size=pool_size, schema=schema, timeout=timeout)

    def units() -> Storage:
        return Storage(
            identity=PostgresIdentityUnitOfWork(database, key),
            authz=PostgresAuthzUnitOfWork(database),
            catalog=PostgresCatalogUnitOfWork(database),
            billing=PostgresBillingUnitOfWork(database),
            privacy=PostgresPrivacyUnitOfWork(database, key),
            close=database.close,
            renew=units,
        )

    return units()


def _national_id_keys(
    key: bytes | NationalIdKey | NationalIdKeyRing,
) -> NationalIdKey | NationalIdKeyRing:
    return key if isinstance(key, NationalIdKey | NationalIdKeyRing) else NationalIdKey(key)


@attrs.frozen
class Policies:
    """The operator's rules, one policy per topic; every field has the documented
    default of its class.

    Thread safety: immutable; share it freely.
    """

    registration: RegistrationPolicy = attrs.field(factory=RegistrationPolicy)
    login: LoginPolicy = attrs.field(factory=LoginPolicy)
    #: The TOTP second factor: issuer, digits, drift, recovery codes, step-up window.
    second_factor: TotpPolicy = attrs.field(factory=TotpPolicy)
    #: Recovery after a forgotten password (the e-mail link is the operator's opt-in).
    recovery: RecoveryPolicy = attrs.field(factory=RecoveryPolicy)
    #: The terms of use existing accounts must have accepted; none by default. Set it
    #: with :meth:`with_terms_of_use`, which also makes registration ask for it.
    terms_of_use: TermsOfUse | None = None
    #: Which employers' single sign-on logs in (trusted tenants); none by default.
    work_account: WorkAccountPolicy = attrs.field(factory=WorkAccountPolicy)
    invitation: InvitationPolicy = attrs.field(factory=InvitationPolicy)
    roles: RoleModel = DEFAULT_ROLE_MODEL
    order: OrderPolicy = attrs.field(factory=OrderPolicy)
    #: The VAT rates invoices charge.
    vat_table: VatTable = NORDIC_VAT
    #: Days from an invoice's date to its due date.
    payment_days: int = 14
    #: The operator as the seller on its invoices (EN 16931 BG-4), if given.
    seller: Party | None = None
    #: What customers call the capabilities and groups of the catalog's prerequisites.
    catalog_labels: tuple[CatalogLabel, ...] = SAMPLE_LABELS
    #: How long ended records are kept before the retention purge removes them.
    retention: RetentionPolicy = DEFAULT_RETENTION
    #: The bookkeeping country and financial year that date the records a closed
    #: account leaves behind (invoices, orders).
    closing: ClosingPolicy = attrs.field(factory=ClosingPolicy)

    def with_terms_of_use(self, terms: TermsOfUse) -> Policies:
        """These policies with ``terms`` published: registration asks new users to
        accept its version, and existing accounts must accept it from
        ``terms.published_at`` on (:mod:`selfcare.identity.terms`).

        >>> from datetime import UTC, datetime
        >>> terms = TermsOfUse(version="2026-03", published_at=datetime(2026, 3, 1, tzinfo=UTC))
        >>> Policies().with_terms_of_use(terms).registration.terms_version
        '2026-03'
        """
        registration = attrs.evolve(self.registration, terms_version=terms.version)
        return attrs.evolve(self, registration=registration, terms_of_use=terms)

    @classmethod
    def nist_800_63b_4(
        cls, *, second_factor: bool = False, operator_words: Iterable[str] = ()
    ) -> Policies:
        """The defaults, with NIST SP 800-63B-4's password rules
        (:func:`~selfcare.identity.password_presets.nist_800_63b_4`) and its ceiling of
        100 consecutive failed logins
        (:func:`~selfcare.identity.password_presets.nist_login_policy`)."""
        return cls(
            registration=RegistrationPolicy(
                password=nist_800_63b_4(second_factor=second_factor, operator_words=operator_words)
            ),
            login=nist_login_policy(),
        )


@attrs.frozen
class App:
    """Every service of the library, wired over one :class:`Storage`.

    Thread safety: an :class:`App` and its services belong to one thread at a time
    (each service holds one unit-of-work object). Give another thread
    :meth:`for_another_thread` - the same storage, clock, ids, secrets, notifier and
    policies, with units of work of its own - or run the use cases through
    :class:`selfcare.aio.AsyncApp`, which does that for each worker thread. What the
    copies share must be thread-safe: the defaults (system clock, UUIDs, the
    operating system's CSPRNG, the recording notifier, scrypt) are.
    """

    identity: IdentityService
    authz: AuthzService
    catalog: CatalogService
    billing: BillingService
    privacy: PrivacyService
    storage: Storage
    policies: Policies
    clock: Clock
    notifier: Notifier
    customers: CustomerDirectory
    feedback_inbox: FeedbackInbox
    #: The key of one-time code verifiers (:mod:`selfcare.identity.otp`).
    one_time_code_key: OneTimeCodeKey = attrs.field(repr=False)
    rebuild: Callable[[Storage], App] = attrs.field(repr=False, eq=False)

    def for_another_thread(self) -> App:
        """The same application with units of work of its own, for another thread."""
        return self.rebuild(self.storage.for_another_thread())

    def close(self) -> None:
        """Close the storage (the SQLite connections)."""
        self.storage.close()


def bootstrap(
    storage: Storage | None = None,
    *,
    clock: Clock | None = None,
    ids: IdSource | None = None,
    secrets: SecretSource | None = None,
    policies: Policies | None = None,
    customers: CustomerDirectory | None = None,
    notifier: Notifier | None = None,
    feedback_inbox: FeedbackInbox | None = None,
    hasher: PasswordHasher | None = None,
    breached_passwords: BreachedPasswords | None = None,
    accounts: AccountDirectory | None = None,
    one_time_code_key: bytes | None = None,
) -> App:
    """Build every service over ``storage``.

    Args:
        storage: :func:`memory_storage` (the default), :func:`sqlite_storage` or
            :func:`postgres_storage`.
        clock: the current time; the system clock by default.
        ids: new entity ids; random UUIDs by default.
        secrets: tokens and one-time codes; the operating system's CSPRNG by default.
        policies: the operator's rules; the documented defaults by default.
        customers: the operator's customer system (read only); an empty in-memory
            directory by default - a real portal passes its own.
        notifier: where the e-mails and SMS the library composes go (identity's
            registration and account messages, authz's invitations, the catalog's order
            confirmations); by default they are recorded in memory
            (``app.notifier.sent``) and not sent. Pass a
            :class:`~selfcare.notifications.RenderingNotifier` to render and send them.
        feedback_inbox: where customer feedback goes; by default kept in memory.
        hasher: the password hasher; :class:`~selfcare.identity.hashing.ScryptHasher`
            with OWASP's parameters by default.
        breached_passwords: where new passwords are looked up in breach corpora
            (:class:`~selfcare.identity.breached.PwnedPasswordsRange`,
            :class:`~selfcare.identity.breached.Sha1FileBreachedPasswords`); none by
            default, and then no lookup is made. What an unreachable service means is
            the password policy's ``breached_check``.
        accounts: what authz and the catalog ask about accounts (verified addresses,
            names, languages, identity codes); by
            default identity's own accounts
            (:class:`~selfcare.authz.accounts.IdentityAccountDirectory`) - pass your own
            when the users live in another system.
        one_time_code_key: at least 32 random bytes that key the verifiers of one-time
            codes (:class:`~selfcare.identity.otp.OneTimeCodeKey`), kept outside the
            database like the national identity code key; every process that verifies
            codes needs the same one. By default a random key of this process: enough
            for one process, not for several behind a load balancer.
    """
    from selfcare.adapters.memory.identity import (  # noqa: PLC0415
        MemoryCustomerDirectory,
        MemoryFeedbackInbox,
        RecordingNotifier,
    )
    from selfcare.identity.hashing import ScryptHasher  # noqa: PLC0415

    store = storage if storage is not None else memory_storage()
    rules = policies if policies is not None else Policies()
    now = clock if clock is not None else SystemClock()
    new_ids = ids if ids is not None else UuidIds()
    randomness = secrets if secrets is not None else SystemSecrets()
    directory = customers if customers is not None else MemoryCustomerDirectory()
    outbox = notifier if notifier is not None else RecordingNotifier()
    inbox = feedback_inbox if feedback_inbox is not None else MemoryFeedbackInbox()
    password_hasher = hasher if hasher is not None else ScryptHasher()
    code_key = OneTimeCodeKey(
        one_time_code_key if one_time_code_key is not None else os.urandom(32)
    )

    def assemble(units: Storage) -> App:
        identity = IdentityService(
            uow=units.identity,
            directory=directory,
            hasher=password_hasher,
            notifier=outbox,
            feedback_inbox=inbox,
            clock=now,
            ids=new_ids,
            secrets=randomness,
            registration_policy=rules.registration,
            login_policy=rules.login,
            breached_passwords=breached_passwords,
            second_factor_policy=rules.second_factor,
            recovery_policy=rules.recovery,
            terms_of_use=rules.terms_of_use,
            work_account_policy=rules.work_account,
        )
        people = accounts if accounts is not None else IdentityAccountDirectory(units.identity)
        authz = AuthzService(
            uow=units.authz,
            accounts=people,
            customers=directory,
            clock=now,
            ids=new_ids,
            secrets=randomness,
            invitation_policy=rules.invitation,
            role_model=rules.roles,
            registration_policy=rules.registration,
            notifier=outbox,
        )
        catalog = CatalogService(
            uow=units.catalog,
            clock=now,
            ids=new_ids,
            policy=rules.order,
            labels=rules.catalog_labels,
            notifier=outbox,
            accounts=people,
        )
        billing = BillingService(
            uow=units.billing,
            clock=now,
            ids=new_ids,
            vat_table=rules.vat_table,
            payment_days=rules.payment_days,
            zone=operator_zone(rules.order.timezone),
            seller=rules.seller,
            inventory=catalog,
            notifier=outbox,
            accounts=people,
        )
        privacy = PrivacyService(
            uow=units.privacy,
            clock=now,
            retention=rules.retention,
            authenticator=identity,
            notifier=outbox,
            registration_policy=rules.registration,
            role_model=rules.roles,
            closing_policy=rules.closing,
            zone=operator_zone(rules.order.timezone),
            login_policy=rules.login,
        )
        return App(
            identity=identity,
            authz=authz,
            catalog=catalog,
            billing=billing,
            privacy=privacy,
            storage=units,
            policies=rules,
            clock=now,
            notifier=outbox,
            customers=directory,
            feedback_inbox=inbox,
            one_time_code_key=code_key,
            rebuild=assemble,
        )

    return assemble(store)
