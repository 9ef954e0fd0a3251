"""The services hand every message of the portal journeys to the one Notifier that
bootstrap wires: identity's, authz's invitation, the catalog's order confirmation and
billing's salary deduction statement;
and a user who registers through identity accepts an invitation through authz."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from selfcare import Money
from selfcare.adapters.memory.identity import MemoryCustomerDirectory, RecordingNotifier
from selfcare.authz.model import USER
from selfcare.billing import (
    BillingPeriod,
    ChargeKind,
    Invoice,
    InvoiceLine,
    MobilePolicy,
    PriceBasis,
)
from selfcare.bootstrap import App, Policies, bootstrap, memory_storage, sqlite_storage
from selfcare.catalog.eligibility import EligibilityContext
from selfcare.catalog.orders import OrderItem
from selfcare.catalog.sample import sample_catalog
from selfcare.core.decision import Decision
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import AccountId, RelationshipId
from selfcare.core.messages import LANGUAGES
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
from selfcare.identity.ports import OutgoingMessage
from selfcare.notifications import Renderer
from selfcare.testing.fakes import (
    CountingSecrets,
    SequentialIds,
    SteppableClock,
    bank_identification,
)

T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
PASSWORD = "Kuusi7Sorsaa!"
ANNA_ID = parse_national_id("131052-308T", "FI", today=date(2026, 3, 2))
PEKKA_ID = parse_national_id("010380-123N", "FI", today=date(2026, 3, 2))


@pytest.fixture(params=["memory", "sqlite"])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[App]:
    storage = (
        memory_storage()
        if request.param == "memory"
        else sqlite_storage(tmp_path / "db.sqlite3", national_id_key=os.urandom(32))
    )
    directory = MemoryCustomerDirectory(
        [
            CustomerRecord(
                customer_number="8100777",
                kind="broadband_tv",
                national_ids_on_file=(ANNA_ID,),
                contact=ProfileDraft(given_names="Anna", surname="Virtanen"),
            )
        ]
    )
    built = bootstrap(
        storage,
        clock=SteppableClock(T0),
        ids=SequentialIds("t"),
        secrets=CountingSecrets(),
        customers=directory,
        hasher=ScryptHasher(n=2**4),
        policies=Policies(
            registration=RegistrationPolicy(terms_version="1", accepted_providers={"nordea"})
        ),
    )
    with built.storage.catalog as uow:
        for offering in sample_catalog().offerings:
            uow.catalog.add(offering)
        uow.commit()
    yield built
    built.close()


def _notifier(app: App) -> RecordingNotifier:
    assert isinstance(app.notifier, RecordingNotifier)
    return app.notifier


def register(
    app: App, national_id: object, names: tuple[str, str], email: str, lang: str
) -> AccountId:
    """The registration journey through the identity service, as a portal runs it."""
    identity = app.identity
    r = identity.start_registration(language=lang).unwrap()
    r = identity.accept_terms(r.id, terms_version="1").unwrap()
    assertion = IdentityAssertion(
        method=AuthMethod.BANK,
        level=LevelOfAssurance.SUBSTANTIAL,
        national_id=national_id,  # type: ignore[arg-type]
        given_names=names[0],
        surname=names[1],
        provider="nordea",
        issued_at=app.clock.now(),
    )
    r = identity.identify(r.id, assertion).unwrap()
    r = identity.match_customers(r.id).unwrap()
    draft = ProfileDraft(given_names=names[0], surname=names[1], email=email, language=lang)
    r = identity.confirm_profile(r.id, draft).unwrap()
    r = identity.set_credentials(r.id, PASSWORD).unwrap()
    r = identity.confirm_registration(r.id).unwrap()
    token = _notifier(app).last("registration.verify_email").secret
    assert token is not None
    return identity.complete_registration(r.id, token).unwrap().account.id


def _anna_with_relationship(app: App) -> tuple[AccountId, RelationshipId]:
    anna = register(app, ANNA_ID, ("Anna", "Virtanen"), "anna@example.fi", "sv")
    again = bank_identification(ANNA_ID, at=app.clock.now(), provider="nordea")
    (grant,) = app.authz.link_customer_relationships(anna, again).unwrap()
    return anna, grant.relationship_id


def _invite(app: App, anna: AccountId, relationship: RelationshipId) -> OutgoingMessage:
    app.authz.invite(
        relationship,
        "Pekka@Example.fi",
        first_name="Pekka",
        last_name="Virtanen",
        message="Hej Pekka! <b>Välkommen</b>",
        roles={USER},
        inviter=anna,
    ).unwrap()
    return _notifier(app).last("authz.invitation")


def test_a_real_user_accepts_an_invitation_through_bootstrap(app: App) -> None:
    anna, relationship = _anna_with_relationship(app)
    mail = _invite(app, anna, relationship)
    app.clock.advance(timedelta(days=2))  # type: ignore[attr-defined]
    pekka = register(app, PEKKA_ID, ("Pekka", "Virtanen"), "pekka@example.fi", "fi")
    assert mail.secret is not None
    accepted = app.authz.accept(mail.secret, pekka)
    assert accepted.ok, accepted.codes
    assert app.authz.check(pekka, "view_invoices", relationship).ok


def test_the_invitation_email_carries_the_inviter_message_and_expiry(app: App) -> None:
    anna, relationship = _anna_with_relationship(app)
    mail = _invite(app, anna, relationship)
    assert (mail.template, mail.recipient, mail.language.value) == (
        "authz.invitation",
        "Pekka@example.fi",
        "sv",  # the invitee has no account yet: the inviter's language
    )
    assert mail.params == {
        "first_name": "Pekka",
        "inviter_name": "Anna Virtanen",
        "cover_message": "Hej Pekka! <b>Välkommen</b>",
        "valid_until": (T0 + timedelta(days=7)).isoformat(),
    }
    # the token is the secret only: in no parameter, and only in the links
    assert mail.secret is not None
    assert all(mail.secret not in str(value) for value in mail.params.values())
    rendered = Renderer().render(mail)
    assert mail.secret not in (rendered.subject or "")
    assert f"/invitations/accept?token={mail.secret}" in rendered.text
    assert f"/invitations/decline?token={mail.secret}" in rendered.text
    assert "&lt;b&gt;Välkommen&lt;/b&gt;" in (rendered.html or "")
    assert "9 mars 2026" in rendered.text


def test_a_resent_invitation_goes_out_with_the_new_token(app: App) -> None:
    anna, relationship = _anna_with_relationship(app)
    first = _invite(app, anna, relationship)
    with app.storage.authz as uow:
        (invitation,) = uow.invitations.for_relationship(relationship)
    app.authz.resend_invitation(invitation.id, by=anna).unwrap()
    again = _notifier(app).last("authz.invitation")
    assert again.secret not in (None, first.secret)
    assert not app.authz.accept(first.secret or "", anna).ok


def test_a_registered_invitee_gets_the_invitation_in_their_language(app: App) -> None:
    anna, relationship = _anna_with_relationship(app)
    register(app, PEKKA_ID, ("Pekka", "Virtanen"), "pekka@example.fi", "fi")
    assert _invite(app, anna, relationship).language.value == "fi"


def test_a_refused_invitation_sends_nothing(app: App) -> None:
    anna, relationship = _anna_with_relationship(app)
    before = len(_notifier(app).sent)
    refused = app.authz.invite(
        relationship, "pekka@example.fi", first_name="Pekka", last_name="Virtanen",
        message="   ", roles={USER}, inviter=anna,
    )  # fmt: skip
    assert not refused.ok
    assert len(_notifier(app).sent) == before


def _context(relationship: RelationshipId) -> EligibilityContext:
    return EligibilityContext(
        relationship_id=relationship,
        relationship_active=True,
        has_billing_agreement=True,
        permission=Decision.allow("grant:test"),
    )


def test_an_order_confirmation_lists_the_security_software_with_its_links(app: App) -> None:
    anna, relationship = _anna_with_relationship(app)
    context = _context(relationship)
    quote = app.catalog.quote_order(OrderItem.add("security_total"), context).unwrap()
    order = app.catalog.place_order(quote, context, idempotency_key="k1", placed_by=anna).unwrap()
    mail = _notifier(app).last()
    assert (mail.template, mail.recipient, mail.language.value) == (
        "catalog.order_confirmation",
        "anna@example.fi",
        "sv",
    )
    (line,) = mail.params["items"]
    assert line.name == "Internetsäkerhet Total (5 enheter)"  # type: ignore[attr-defined]
    for lang in LANGUAGES:
        rendered = Renderer().render_template(mail.template, language=lang, params=mail.params)
        assert order.id in (rendered.subject or "")
        assert "https://security.example.fi/activate/security-total" in rendered.text
        assert "https://security.example.fi/download" in (rendered.html or "")
    # a double submit places one order and sends one confirmation
    sent = len(_notifier(app).sent)
    app.catalog.place_order(quote, context, idempotency_key="k1", placed_by=anna).unwrap()
    assert len(_notifier(app).sent) == sent


def test_no_confirmation_without_who_placed_the_order(app: App) -> None:
    _, relationship = _anna_with_relationship(app)
    context = _context(relationship)
    quote = app.catalog.quote_order(OrderItem.add("security_vpn"), context).unwrap()
    sent = len(_notifier(app).sent)
    app.catalog.place_order(quote, context, idempotency_key="k2").unwrap()
    assert len(_notifier(app).sent) == sent


def test_a_registered_user_gets_the_salary_deduction_statement(app: App) -> None:
    anna, _ = _anna_with_relationship(app)
    invoice = Invoice(
        invoice_id="2026020001",
        payer="8100777",
        currency="EUR",
        period=BillingPeriod(2026, 2),
        issued_on=date(2026, 3, 1),
        due_on=date(2026, 3, 15),
        reference="20260200016",
        lines=[
            InvoiceLine.build(
                service_id="sub-1",
                kind=ChargeKind.RECURRING,
                description="Puhe+ 10 GB",
                supply_from=date(2026, 2, 1),
                supply_to=date(2026, 2, 28),
                amount=Money("29.90", "EUR"),
                price_basis=PriceBasis.GROSS,
                vat_percent=Decimal("25.5"),
                offering_id="puhe_10gb",
            )
        ],
    )
    with app.storage.billing as uow:
        uow.invoices.add(invoice)
        uow.commit()
    policy = MobilePolicy(
        policy_id="mp-1", employer="Oy Esimerkki Ab", monthly_allowance=Money("20", "EUR")
    )
    statement = app.billing.send_deduction_statement(
        invoice_id="2026020001", policy=policy, employee=anna
    ).unwrap()
    mail = _notifier(app).last()
    assert (mail.template, mail.recipient, mail.language.value) == (
        "billing.deduction_statement",
        "anna@example.fi",
        "sv",
    )
    assert str(statement.total) == mail.params["employee_part"] == "9.90 EUR"
    rendered = Renderer().render(mail)
    assert "Anna Virtanen" in rendered.text
    assert "9,90" in rendered.text


@pytest.mark.parametrize(
    "url",
    ["http://security.example.fi/x", "https://", "https://a b", "https://x\x00", "x" * 3000, 12],
)
def test_an_offering_link_must_be_an_https_address(url: object) -> None:
    import attrs  # noqa: PLC0415

    offering = sample_catalog().find("security_vpn")
    assert offering is not None
    with pytest.raises(SelfcareError) as caught:
        attrs.evolve(offering, activation_url=url)
    assert caught.value.violations[0].code == "catalog.invalid_url"
