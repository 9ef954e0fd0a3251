"""Password hashing, login and the registration journey, each beside a baseline.

- ``ScryptHasher`` with OWASP's parameters against Django's ``ScryptPasswordHasher``
  set to the same parameters (bench baseline from ``bench/requirements.txt``) and
  against bare ``hashlib.scrypt``: what the encoding costs.
- Login with an unknown e-mail address against login with a wrong password: the two
  must cost about the same (ratio near 1.00x), or timing would tell who is registered.
- A whole registration (nine use cases on the in-memory adapters, cheap scrypt) against
  one ``check_password`` call, the most expensive rule in it.
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, date, datetime

from harness import Report, median_of

from selfcare import FixedClock
from selfcare.adapters.memory import MemoryDatabase
from selfcare.adapters.memory.identity import (
    MemoryCustomerDirectory,
    MemoryFeedbackInbox,
    MemoryIdentityUnitOfWork,
    RecordingNotifier,
)
from selfcare.core.ids import SequentialIds, SystemSecrets
from selfcare.identity import (
    AuthMethod,
    CustomerRecord,
    IdentityAssertion,
    IdentityService,
    LevelOfAssurance,
    PasswordPolicy,
    ProfileDraft,
    ScryptHasher,
    check_password,
    parse_national_id,
)

PASSWORD = "Kuusi7Sorsaa!"  # noqa: S105 - a demo password


def _django_scrypt() -> object | None:
    try:
        from django.conf import settings  # noqa: PLC0415 - bench-only baseline
    except ImportError:
        return None
    if not settings.configured:
        settings.configure()
    from django.contrib.auth.hashers import ScryptPasswordHasher  # noqa: PLC0415

    class OwaspScrypt(ScryptPasswordHasher):
        work_factor = 2**17
        block_size = 8
        parallelism = 1
        maxmem = 256 * 1024 * 1024

    return OwaspScrypt()


def _service(
    hasher: ScryptHasher, clock: FixedClock, records: list[CustomerRecord]
) -> IdentityService:
    return IdentityService(
        uow=MemoryIdentityUnitOfWork(MemoryDatabase()),
        directory=MemoryCustomerDirectory(records),
        hasher=hasher,
        notifier=RecordingNotifier(),
        feedback_inbox=MemoryFeedbackInbox(),
        clock=clock,
        ids=SequentialIds("id"),
        secrets=SystemSecrets(),
    )


def _bench_hashing(report: Report) -> None:
    report.heading("password hashing (scrypt N=2**17, r=8, p=1)")
    ours = ScryptHasher()
    encoded = ours.hash(PASSWORD)
    ours_hash = median_of(lambda: ours.hash(PASSWORD), repeat=5)
    salt = os.urandom(16)
    bare = median_of(
        lambda: hashlib.scrypt(
            PASSWORD.encode(), salt=salt, n=2**17, r=8, p=1, maxmem=2**28, dklen=32
        ),
        repeat=5,
    )
    report.ratio("ScryptHasher.hash", ours_hash, bare, "hashlib.scrypt")
    ours_verify = median_of(lambda: ours.verify(PASSWORD, encoded), repeat=5)
    report.ratio("ScryptHasher.verify", ours_verify, bare, "hashlib.scrypt")
    django = _django_scrypt()
    if django is None:
        report.figure("Django ScryptPasswordHasher", "not installed", "pip install django")
        return
    django_hash = median_of(lambda: django.encode(PASSWORD, django.salt()), repeat=5)  # type: ignore[attr-defined]
    report.ratio("ScryptHasher.hash", ours_hash, django_hash, "Django ScryptPasswordHasher")


def _bench_login(report: Report) -> None:
    report.heading("login: unknown e-mail vs wrong password (OWASP scrypt)")
    clock = FixedClock(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    service = _service(ScryptHasher(), clock, [])
    anna = parse_national_id("131052-308T", "FI", today=date(2026, 3, 2))
    _register(service, clock, anna)
    service.login("nobody@example.fi", "x")  # builds the dummy hash once
    wrong = median_of(lambda: service.login("anna@example.fi", "Wrong7Password"), repeat=4)
    # Reset the failure count so that the lock never kicks in during the run.
    service.login("anna@example.fi", PASSWORD)
    unknown = median_of(lambda: service.login("nobody@example.fi", "Wrong7Password"), repeat=4)
    report.ratio("login, unknown e-mail", unknown, wrong, "login, wrong password")


def _register(service: IdentityService, clock: FixedClock, person: object) -> None:
    reg = service.start_registration().unwrap()
    service.accept_terms(reg.id, terms_version="1").unwrap()
    service.identify(
        reg.id,
        IdentityAssertion(
            method=AuthMethod.BANK,
            level=LevelOfAssurance.SUBSTANTIAL,
            national_id=person,  # type: ignore[arg-type]
            given_names="Anna",
            surname="Virtanen",
            provider="nordea",
            issued_at=clock.now(),
        ),
    ).unwrap()
    reg = service.match_customers(reg.id).unwrap()
    draft = reg.prefill
    assert draft is not None
    from attrs import evolve  # noqa: PLC0415

    service.confirm_profile(
        reg.id, evolve(draft, email="anna@example.fi", given_names="Anna", surname="Virtanen")
    ).unwrap()
    service.set_credentials(reg.id, PASSWORD).unwrap()
    service.confirm_registration(reg.id).unwrap()
    notifier = service._notifier  # the bench reads its own fake
    token = notifier.last("registration.verify_email").secret  # type: ignore[attr-defined]
    service.complete_registration(reg.id, token).unwrap()


def _bench_journey(report: Report) -> None:
    report.heading("registration journey (in-memory, scrypt N=2**4)")
    clock = FixedClock(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    anna = parse_national_id("131052-308T", "FI", today=date(2026, 3, 2))
    records = [
        CustomerRecord(
            customer_number="6001234",
            kind="electricity",
            national_ids_on_file=(anna,),
            contact=ProfileDraft(given_names="Anna", surname="Virtanen"),
        )
    ]

    def journey() -> None:
        _register(_service(ScryptHasher(n=2**4), clock, records), clock, anna)

    journey()  # warm caches (zxcvbn dictionaries, phonenumbers metadata)
    whole = median_of(journey, repeat=7)
    policy = PasswordPolicy()
    one_check = median_of(
        lambda: check_password(PASSWORD, policy, personal=("Anna", "Virtanen", "anna@example.fi")),
        repeat=7,
        number=5,
    )
    report.ratio("start .. complete_registration", whole, one_check, "one check_password")


def run(report: Report) -> None:
    _bench_hashing(report)
    _bench_login(report)
    _bench_journey(report)
