"""The reference portal API, end to end through HTTP (httpx over the ASGI app):
registration, login, linking contracts, an invitation accepted by a new user, a
permission check and an order; refusals answered by kind in the caller's language; token
links that act only by POST; and an event loop that keeps answering while passwords are
hashed."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from portal_api.app import create_app, language_of

from selfcare.adapters.memory.identity import MemoryCustomerDirectory, RecordingNotifier
from selfcare.aio import AsyncApp
from selfcare.bootstrap import Policies, bootstrap, sqlite_storage
from selfcare.catalog.sample import sample_catalog
from selfcare.core.clock import SystemClock
from selfcare.identity import (
    AuthMethod,
    CustomerRecord,
    IdentityAssertion,
    LevelOfAssurance,
    ProfileDraft,
    RegistrationPolicy,
    ScryptHasher,
    parse_national_id,
)

ANNA = parse_national_id("131052-308T", "FI", today=date(2026, 3, 2))
PEKKA = parse_national_id("010380-123N", "FI", today=date(2026, 3, 2))
PASSWORD = "Kuusi7Sorsaa!"


class FakeBank:
    """The identification provider: tickets of finished bank logins, used once."""

    def __init__(self) -> None:
        self.tickets: dict[str, IdentityAssertion] = {}

    def login(self, ticket: str, national_id: Any, names: tuple[str, str]) -> str:
        self.tickets[ticket] = IdentityAssertion(
            method=AuthMethod.BANK,
            level=LevelOfAssurance.SUBSTANTIAL,
            national_id=national_id,
            given_names=names[0],
            surname=names[1],
            provider="nordea",
            issued_at=datetime.now(UTC),
        )
        return ticket

    def redeem(self, ticket: str) -> IdentityAssertion | None:
        return self.tickets.pop(ticket, None)


class SlowScrypt(ScryptHasher):
    """A cheap scrypt that takes as long as a production one (sleeping, like scrypt,
    lets other threads run)."""

    def verify(self, password: str, encoded: str) -> bool:
        time.sleep(0.3)
        return super().verify(password, encoded)


class Portal:
    """One test's API, its notifier and bank, and an HTTP client in :meth:`session`."""

    def __init__(self, api: FastAPI, notifier: RecordingNotifier, bank: FakeBank) -> None:
        self.api, self.notifier, self.bank = api, notifier, bank
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=api), base_url="http://portal"
        )

    async def register(self, national_id: Any, names: tuple[str, str], email: str) -> str:
        client = self.client
        started = await client.post("/registrations", json={"terms_version": "1"})
        assert started.status_code == 201, started.text
        rid = started.json()["id"]
        ticket = self.bank.login(f"ticket-{rid}", national_id, names)
        identified = await client.post(
            f"/registrations/{rid}/identification", json={"ticket": ticket}
        )
        assert identified.status_code == 200, identified.text
        profile = {"given_names": names[0], "surname": names[1], "email": email}
        assert (await client.post(f"/registrations/{rid}/profile", json=profile)).status_code == 200
        chosen = await client.post(f"/registrations/{rid}/password", json={"password": PASSWORD})
        assert chosen.status_code == 200, chosen.text
        token = self.notifier.last("registration.verify_email").secret
        done = await client.post(
            "/registration/verify", json={"registration_id": rid, "token": token}
        )
        assert done.status_code == 200, done.text
        return str(done.json()["account"])

    async def login(self, email: str) -> dict[str, str]:
        answer = await self.client.post("/login", json={"email": email, "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['session']}"}


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[Portal]:
    directory = MemoryCustomerDirectory(
        [
            CustomerRecord(
                customer_number="8100777",
                kind="broadband_tv",
                national_ids_on_file=(ANNA,),
                contact=ProfileDraft(given_names="Anna", surname="Virtanen"),
            )
        ]
    )
    notifier = RecordingNotifier()
    app = bootstrap(
        sqlite_storage(tmp_path / "portal.sqlite3", national_id_key=os.urandom(32)),
        clock=SystemClock(),
        customers=directory,
        notifier=notifier,
        hasher=SlowScrypt(n=2**10),
        policies=Policies(
            registration=RegistrationPolicy(terms_version="1", accepted_providers={"nordea"})
        ),
    )
    with app.storage.catalog as uow:
        for offering in sample_catalog().offerings:
            uow.catalog.add(offering)
        uow.commit()
    app.billing.add_billing_agreement(
        agreement_id="ba-1", payer="8100777", method="e_invoice", valid_from=date(2026, 1, 1)
    ).unwrap()
    workers, bank = AsyncApp(app), FakeBank()
    yield Portal(create_app(workers, bank), notifier, bank)
    workers.close()


def test_the_journeys_through_http(portal: Portal) -> None:
    async def main() -> None:
        client = portal.client
        anna = await portal.register(ANNA, ("Anna", "Virtanen"), "anna@example.fi")
        as_anna = await portal.login("anna@example.fi")
        again = portal.bank.login("ticket-again", ANNA, ("Anna", "Virtanen"))
        linked = (
            await client.post("/relationships/link", json={"ticket": again}, headers=as_anna)
        ).json()["linked"]
        (relationship,) = linked
        assert (await client.get("/relationships", headers=as_anna)).json() == {
            "relationships": linked
        }

        invited = await client.post(
            f"/relationships/{relationship}/invitations",
            headers=as_anna,
            json={
                "email": "pekka@example.fi",
                "first_name": "Pekka",
                "last_name": "Virtanen",
                "message": "Hei Pekka!",
                "roles": ["user"],
            },
        )
        assert invited.status_code == 201, invited.text
        mail = portal.notifier.last("authz.invitation")
        assert mail.params["inviter_name"] == "Anna Virtanen"
        assert mail.secret is not None
        assert mail.secret not in invited.text  # the token travels only by e-mail

        await portal.register(PEKKA, ("Pekka", "Virtanen"), "pekka@example.fi")
        as_pekka = await portal.login("pekka@example.fi")
        # The e-mail's link opens a page; only its POST accepts.
        page = await client.get(
            "/invitations/accept", params={"token": mail.secret}, headers=as_pekka
        )
        assert page.json() == {"action": "POST /invitations/accept", "token": mail.secret}
        check = f"/relationships/{relationship}/permissions/view_invoices"
        assert (await client.get(check, headers=as_pekka)).json()["allowed"] is False
        accepted = await client.post(
            "/invitations/accept", json={"token": mail.secret}, headers=as_pekka
        )
        assert accepted.status_code == 200, accepted.text
        assert accepted.json() == {"relationship": relationship, "roles": ["user"]}
        assert (await client.get(check, headers=as_pekka)).json()["allowed"] is True

        order = {"offering_id": "security_total", "idempotency_key": "form-1"}
        placed = await client.post(
            f"/relationships/{relationship}/orders", json=order, headers=as_anna
        )
        assert placed.status_code == 201, placed.text
        confirmation = portal.notifier.last("catalog.order_confirmation")
        assert confirmation.recipient == "anna@example.fi"
        # Pekka may see, not order: refused with 403, in his language
        refused = await client.post(
            f"/relationships/{relationship}/orders",
            json={**order, "idempotency_key": "form-2"},
            headers={**as_pekka, "Accept-Language": "fi-FI, en;q=0.5"},
        )
        assert refused.status_code == 403
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["type"] == "urn:selfcare:forbidden"
        assert anna != refused.json()["errors"][0]["message"]

    asyncio.run(main())


def test_refusals_are_answered_by_kind_in_the_callers_language(portal: Portal) -> None:
    async def main() -> None:
        client = portal.client
        await portal.register(ANNA, ("Anna", "Virtanen"), "anna@example.fi")
        wrong = await client.post(
            "/login",
            json={"email": "anna@example.fi", "password": "wrong"},
            headers={"Accept-Language": "sv"},
        )
        assert wrong.status_code == 401
        (error,) = wrong.json()["errors"]
        assert error["code"] == "login.invalid_credentials"
        assert "lösenord" in error["message"].lower()
        as_anna = await portal.login("anna@example.fi")
        unknown = await client.post(
            "/invitations/decline", json={"token": "x" * 43}, headers=as_anna
        )
        assert unknown.status_code == 404  # invitation.invalid_token is of kind not_found
        assert unknown.json()["errors"][0]["code"] == "invitation.invalid_token"
        no_session = await client.post("/relationships/link", json={"ticket": "x"})
        assert no_session.status_code == 401
        scanner = await client.post("/invitations/decline", json={"token": "x" * 43})
        assert scanner.status_code == 401  # a link scanner has no session: it cannot decline

    asyncio.run(main())


def test_the_verification_link_acts_only_by_post(portal: Portal) -> None:
    async def main() -> None:
        client = portal.client
        rid = (await client.post("/registrations", json={"terms_version": "1"})).json()["id"]
        page = await client.get("/registration/verify", params={"token": "tok"})
        assert page.json() == {"action": "POST /registration/verify", "token": "tok"}
        early = await client.post(
            "/registration/verify", json={"registration_id": rid, "token": "tok"}
        )
        assert early.status_code in {400, 409}

    asyncio.run(main())


def test_health_answers_while_passwords_are_hashed(portal: Portal) -> None:
    async def main() -> tuple[float, list[int]]:
        await portal.register(ANNA, ("Anna", "Virtanen"), "anna@example.fi")
        http = portal.client
        # Anna, and three unknown addresses (checked against a dummy hash, just as slow)
        emails = ["anna@example.fi", "x1@example.fi", "x2@example.fi", "x3@example.fi"]
        logins = [
            asyncio.create_task(http.post("/login", json={"email": e, "password": PASSWORD}))
            for e in emails
        ]
        await asyncio.sleep(0.05)  # the logins are hashing now
        start = time.perf_counter()
        health = await http.get("/health")
        took = time.perf_counter() - start
        assert health.json() == {"status": "ok"}
        statuses = [answer.status_code for answer in await asyncio.gather(*logins)]
        return took, statuses

    took, statuses = asyncio.run(main())
    assert statuses == [200, 401, 401, 401]
    assert took < 0.15, f"/health took {took * 1000:.0f} ms while logins hashed"


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("sv-FI, fi;q=0.8", "sv"),
        ("de, fi;q=0.5, sv;q=0.9", "sv"),
        ("no", "nb"),
        ("en-GB", "en"),
        ("de", "en"),
        ("", "en"),
        (None, "en"),
        ("fi;q=abc, sv;q=0", "en"),
    ],
)
def test_accept_language_picks_the_message_language(header: str | None, language: str) -> None:
    assert language_of(header) == language
