"""A reference self-service portal API: FastAPI over ``selfcare.bootstrap`` and SQLite.

What it shows, each in one place:

- **Nothing blocks the event loop**: every use case runs through
  :class:`selfcare.aio.AsyncApp` (``await portal.run(...)``) in a worker thread with its
  own units of work; ``/health`` answers at once while passwords are being hashed.
- **Refusals become HTTP answers by their kind** (:data:`selfcare.HTTP_STATUS`), as RFC
  9457 problem documents with every reason, in the language of ``Accept-Language``.
- **Token links act only by POST**: the links of the e-mails (confirm the address,
  accept or decline an invitation) open a GET that shows what will happen and changes
  nothing (mail scanners follow links); the page's button POSTs the token.
- **Identity facts come from trusted sources**: the bank's identification arrives as a
  ticket the server redeems with the bank (:class:`BankGateway`), never as a national
  id in the request; linking contracts uses the account's own identity code.

Run it (``pip install -e '.[examples]' uvicorn``) with your identification provider's
:class:`BankGateway`::

    api = from_environment(YourBank())   # then: uvicorn.run(api)
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Annotated, Any, Protocol, TypeVar

import attrs
from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from selfcare import HTTP_STATUS, ConcurrencyConflict, Decision, SelfcareError, StorageError
from selfcare.aio import AsyncApp
from selfcare.bootstrap import App, bootstrap, sqlite_storage
from selfcare.catalog.eligibility import EligibilityContext
from selfcare.catalog.orders import OrderItem
from selfcare.core.ids import AccountId, RelationshipId
from selfcare.core.messages import LANGUAGES
from selfcare.core.outcome import Outcome, Refused
from selfcare.identity import IdentityAssertion, ProfileDraft
from selfcare.identity.ids import LoginSource, RegistrationId

T = TypeVar("T")
PROBLEM = "application/problem+json"


class BankGateway(Protocol):
    """The strong-identification provider: redeems the ticket of a finished bank login
    for the identity it asserts (``None`` for an unknown or used ticket)."""

    def redeem(self, ticket: str) -> IdentityAssertion | None: ...


# -- languages and errors ----------------------------------------------------------------


def language_of(accept_language: str | None) -> str:
    """The first of the library's languages in ``Accept-Language`` by preference
    (``q``), English when none fits: ``"sv-FI, fi;q=0.8"`` -> ``"sv"``."""
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        primary = {"no": "nb", "nn": "nb"}.get(primary, primary)
        if primary in LANGUAGES and quality > 0:
            choices.append((-quality, index, primary))
    return min(choices)[2] if choices else "en"


class Problem(Exception):  # noqa: N818 - an HTTP answer, raised to leave the handler
    """An RFC 9457 problem answer."""

    def __init__(self, status: int, body: Mapping[str, Any]) -> None:
        super().__init__(status)
        self.status = status
        self.body = dict(body)


def problem_of(decision: Decision, lang: str) -> Problem:
    """The answer to a refusal: the status of its deciding kind, every reason."""
    status = HTTP_STATUS[decision.kind]
    return Problem(
        status,
        {
            "type": f"urn:selfcare:{decision.kind.value}",
            "status": status,
            "errors": [{"code": v.code, "message": v.message(lang)} for v in decision.violations],
        },
    )


def value_of(outcome: Outcome[T], lang: str) -> T:
    """The value of a ``Done``; a ``Refused`` leaves the handler as its problem."""
    if isinstance(outcome, Refused):
        raise problem_of(outcome.decision, lang)
    return outcome.value


def language_of_request(request: Request) -> str:
    """The message language of ``request`` (its ``Accept-Language``)."""
    return language_of(request.headers.get("accept-language"))


def account_of(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> AccountId:
    """The account of the request's session (``Authorization: Bearer ...``); 401 without
    one. A real portal keeps sessions in its own store, with expiry."""
    scheme, _, token = (authorization or "").partition(" ")
    sessions: dict[str, AccountId] = request.app.state.sessions
    account = sessions.get(token) if scheme.lower() == "bearer" else None
    if account is None:
        raise HTTPException(status_code=401, detail="log in first")
    return account


Lang = Annotated[str, Depends(language_of_request)]
User = Annotated[AccountId, Depends(account_of)]


# -- request bodies ----------------------------------------------------------------------


class StartRegistration(BaseModel):
    terms_version: str


class Identification(BaseModel):
    ticket: str


class Profile(BaseModel):
    given_names: str
    surname: str
    email: str
    phone: str = ""


class Password(BaseModel):
    password: str


class Verification(BaseModel):
    registration_id: str
    token: str


class Login(BaseModel):
    email: str
    password: str


class Invite(BaseModel):
    email: str
    first_name: str
    last_name: str
    message: str
    roles: list[str]


class Token(BaseModel):
    token: str


class Order(BaseModel):
    offering_id: str
    idempotency_key: str


# -- the application ---------------------------------------------------------------------


def create_app(portal: AsyncApp, bank: BankGateway) -> FastAPI:  # noqa: PLR0915 - one route per journey step
    """The API over ``portal`` (built once at start-up, closed at shutdown)."""
    sessions: dict[str, AccountId] = {}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await portal.aclose()

    api = FastAPI(title="Self-service portal (selfcare reference)", lifespan=lifespan)
    api.state.sessions = sessions

    @api.exception_handler(Problem)
    async def _problem(_: Request, error: Problem) -> JSONResponse:
        return JSONResponse(error.body, status_code=error.status, media_type=PROBLEM)

    @api.exception_handler(SelfcareError)
    async def _invalid(request: Request, error: SelfcareError) -> JSONResponse:
        # input that cannot be represented (a malformed address, a naive datetime)
        found = problem_of(Decision.deny(*error.violations), language_of_request(request))
        return await _problem(request, found)

    @api.exception_handler(ConcurrencyConflict)
    async def _conflict(_: Request, __: ConcurrencyConflict) -> JSONResponse:
        body = {"type": "urn:selfcare:conflict", "status": 409, "detail": "changed meanwhile"}
        return JSONResponse(body, status_code=409, media_type=PROBLEM)

    @api.exception_handler(StorageError)
    async def _unavailable(_: Request, __: StorageError) -> JSONResponse:
        body = {"type": "urn:selfcare:unavailable", "status": 503}
        return JSONResponse(body, status_code=503, media_type=PROBLEM)

    async def run(use_case: Callable[[App], Outcome[T]], lang: str) -> T:
        return value_of(await portal.run(use_case), lang)

    @api.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    # -- registration: terms, bank, contracts, profile, password, e-mail link ----------

    @api.post("/registrations", status_code=201)
    async def start(body: StartRegistration, lang: Lang) -> dict[str, str]:
        def use_case(a: App) -> Outcome[Any]:
            started = a.identity.start_registration(language=lang)
            if isinstance(started, Refused):
                return started
            return a.identity.accept_terms(started.value.id, terms_version=body.terms_version)

        registration = await run(use_case, lang)
        return {"id": registration.id, "state": registration.state.value}

    @api.post("/registrations/{registration_id}/identification")
    async def identify(registration_id: str, body: Identification, lang: Lang) -> dict[str, Any]:
        assertion = await portal.run(lambda _: bank.redeem(body.ticket))
        if assertion is None:
            raise HTTPException(status_code=401, detail="the identification did not succeed")
        rid = RegistrationId(registration_id)

        def use_case(a: App) -> Outcome[Any]:
            identified = a.identity.identify(rid, assertion)
            if isinstance(identified, Refused):
                return identified
            return a.identity.match_customers(rid)

        registration = await run(use_case, lang)
        prefill = registration.prefill
        return {
            "state": registration.state.value,
            "customers": [c.customer_number for c in registration.customers],
            "prefill": None if prefill is None else attrs.asdict(prefill),
        }

    @api.post("/registrations/{registration_id}/profile")
    async def profile(registration_id: str, body: Profile, lang: Lang) -> dict[str, str]:
        draft = ProfileDraft(**body.model_dump(), language=lang)
        rid = RegistrationId(registration_id)
        registration = await run(lambda a: a.identity.confirm_profile(rid, draft), lang)
        return {"state": registration.state.value}

    @api.post("/registrations/{registration_id}/password")
    async def password(registration_id: str, body: Password, lang: Lang) -> dict[str, str]:
        rid = RegistrationId(registration_id)

        def use_case(a: App) -> Outcome[Any]:
            chosen = a.identity.set_credentials(rid, body.password)
            if isinstance(chosen, Refused):
                return chosen
            return a.identity.confirm_registration(rid)  # the e-mail link goes out

        registration = await run(use_case, lang)
        return {"state": registration.state.value}

    @api.get("/registration/verify")
    async def verify_page(token: str) -> dict[str, str]:
        # A GET never acts: mail scanners and link previews follow links.
        return {"action": "POST /registration/verify", "token": token}

    @api.post("/registration/verify")
    async def verify(body: Verification, lang: Lang) -> dict[str, Any]:
        rid = RegistrationId(body.registration_id)
        done = await run(lambda a: a.identity.complete_registration(rid, body.token), lang)
        advice = [v.message(lang) for v in done.registration.advisories]
        return {"account": done.account.id, "advice": advice}

    # -- login and contracts -----------------------------------------------------------------

    @api.post("/login")
    async def login(body: Login, lang: Lang, request: Request) -> dict[str, str]:
        # Failed logins are counted per (account, source): the client's address here;
        # behind a proxy, take it from the proxy's trusted forwarding header instead.
        source = LoginSource(request.client.host if request.client else "unknown")
        account = await run(
            lambda a: a.identity.login(body.email, body.password, source=source), lang
        )
        session = secrets.token_urlsafe(32)
        sessions[session] = account.id
        return {"account": account.id, "session": session}

    @api.post("/relationships/link")
    async def link(body: Identification, user: User, lang: Lang) -> dict[str, list[str]]:
        # "Fetch other contracts": the user identifies with the bank again; authz links
        # only when that fresh identification names the account's own person.
        assertion = await portal.run(lambda _: bank.redeem(body.ticket))
        if assertion is None:
            raise HTTPException(status_code=401, detail="the identification did not succeed")
        grants = await run(lambda a: a.authz.link_customer_relationships(user, assertion), lang)
        return {"linked": [grant.relationship_id for grant in grants]}

    @api.get("/relationships")
    async def relationships(user: User, lang: Lang) -> dict[str, list[str]]:
        found = await run(lambda a: a.authz.relationships_of(user), lang)
        return {"relationships": sorted(found)}

    @api.get("/relationships/{relationship}/permissions/{permission}")
    async def permission(
        relationship: str, permission: str, user: User, lang: Lang
    ) -> dict[str, Any]:
        rel = RelationshipId(relationship)
        outcome = await portal.run(lambda a: a.authz.check(user, permission, rel))
        if isinstance(outcome, Refused):
            return {
                "allowed": False,
                "reasons": [v.message(lang) for v in outcome.decision.violations],
            }
        return {"allowed": True, "grant": outcome.value.id, "role": outcome.value.role}

    # -- invitations ----------------------------------------------------------------------

    @api.post("/relationships/{relationship}/invitations", status_code=201)
    async def invite(relationship: str, body: Invite, user: User, lang: Lang) -> dict[str, str]:
        rel = RelationshipId(relationship)
        issued = await run(
            lambda a: a.authz.invite(
                rel,
                body.email,
                first_name=body.first_name,
                last_name=body.last_name,
                message=body.message,
                roles=set(body.roles),
                inviter=user,
            ),
            lang,
        )
        # the e-mail with the token went to the notifier; the token is not answered
        invitation = issued.invitation
        return {"id": invitation.id, "valid_until": invitation.expires_at.isoformat()}

    @api.get("/invitations/accept")
    @api.get("/invitations/decline")
    async def invitation_page(request: Request, token: str) -> dict[str, str]:
        return {"action": f"POST {request.url.path}", "token": token}

    @api.post("/invitations/accept")
    async def accept(body: Token, user: User, lang: Lang) -> dict[str, Any]:
        acceptance = await run(lambda a: a.authz.accept(body.token, user), lang)
        return {
            "relationship": acceptance.invitation.relationship_id,
            "roles": sorted(grant.role for grant in acceptance.grants),
        }

    @api.post("/invitations/decline")
    async def decline(body: Token, user: User, lang: Lang) -> dict[str, str]:
        declined = await run(lambda a: a.authz.decline(body.token, user), lang)
        return {"status": declined.status.value}

    # -- ordering ------------------------------------------------------------------------

    def context_of(a: App, user: AccountId, rel: RelationshipId) -> EligibilityContext:
        with a.storage.authz as uow:
            found = uow.relationships.find(rel)
        payer = None if found is None else found.customer_number
        agreement = payer is not None and a.billing.check_billing_agreement(payer).ok
        return EligibilityContext(
            relationship_id=rel,
            relationship_active=found is not None,
            has_billing_agreement=agreement,
            permission=a.authz.check(user, "order_services", rel).decision,
        )

    @api.post("/relationships/{relationship}/orders", status_code=201)
    async def order(relationship: str, body: Order, user: User, lang: Lang) -> dict[str, Any]:
        rel = RelationshipId(relationship)

        def use_case(a: App) -> Outcome[Any]:
            context = context_of(a, user, rel)
            quote = a.catalog.quote_order(OrderItem.add(body.offering_id), context)
            if isinstance(quote, Refused):
                return quote
            return a.catalog.place_order(
                quote.value, context, idempotency_key=body.idempotency_key, placed_by=user
            )

        placed = await run(use_case, lang)
        return {"id": placed.id, "state": placed.state.value}

    return api


def from_environment(bank: BankGateway) -> FastAPI:
    """The API over the SQLite file ``SELFCARE_DB`` (``portal.sqlite3`` by default)
    with the operator key ``SELFCARE_NATIONAL_ID_KEY`` (hex) and the real clock, ids and
    secrets (see the "Production wiring" guide); ``bank`` is your identification
    provider."""
    storage = sqlite_storage(
        os.environ.get("SELFCARE_DB", "portal.sqlite3"),
        national_id_key=bytes.fromhex(os.environ["SELFCARE_NATIONAL_ID_KEY"]),
    )
    return create_app(AsyncApp(bootstrap(storage)), bank)
