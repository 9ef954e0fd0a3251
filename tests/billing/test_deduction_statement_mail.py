"""The salary deduction statement reaches the employee through the notifier (the
corporate mobile guide: payroll's monthly statement, by e-mail)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import Money
from selfcare.adapters.memory.authz import MemoryAccountDirectory
from selfcare.adapters.memory.billing import MemoryBillingUnitOfWork
from selfcare.adapters.memory.identity import RecordingNotifier
from selfcare.billing import (
    BillingPeriod,
    BillingService,
    ChargeKind,
    Invoice,
    InvoiceLine,
    MobilePolicy,
    PriceBasis,
)
from selfcare.billing.events import DeductionStatementSent
from selfcare.billing.statement_mail import DeductionLine
from selfcare.bootstrap import bootstrap, memory_storage
from selfcare.core.ids import AccountId
from selfcare.core.kinds import Kind
from selfcare.notifications import Renderer
from selfcare.notifications.content import ParamKind
from selfcare.notifications.params import TemplateParamsError, shown_params
from selfcare.serialization import structure, unstructure
from selfcare.testing.fakes import SteppableClock

NOW = datetime(2026, 5, 1, 6, tzinfo=UTC)
KARI = AccountId("kari")
POLICY = MobilePolicy(
    policy_id="mp-1",
    employer="Trøndelag fylkeskommune",
    monthly_allowance=Money("100", "NOK"),
    employer_paid={"plan"},
    employee_paid={"cloud"},
)


def _line(offering: str, amount: str) -> InvoiceLine:
    return InvoiceLine.build(
        service_id="sub-1",
        kind=ChargeKind.RECURRING,
        description=offering.title(),
        supply_from=date(2026, 4, 1),
        supply_to=date(2026, 4, 30),
        amount=Money(amount, "NOK"),
        price_basis=PriceBasis.GROSS,
        vat_percent=Decimal(25),
        offering_id=offering,
    )


def _invoice(*lines: InvoiceLine, currency: str = "NOK") -> Invoice:
    return Invoice(
        invoice_id="2026040001",
        payer="NO-991234567",
        currency=currency,
        period=BillingPeriod(2026, 4),
        issued_on=date(2026, 5, 1),
        due_on=date(2026, 5, 15),
        reference="20260400010",
        lines=lines,
    )


APRIL = _invoice(_line("plan", "449"), _line("extra", "149"), _line("cloud", "50"))


def _payroll(*invoices: Invoice, verified: bool = True) -> tuple[BillingService, RecordingNotifier]:
    people, outbox = MemoryAccountDirectory(), RecordingNotifier()
    people.register(
        KARI,
        "kari.nordmann@example.no",
        verified=verified,
        first_name="Kari",
        last_name="Nordmann",
        language="nb",
    )
    billing = BillingService(
        uow=MemoryBillingUnitOfWork(),
        clock=SteppableClock(NOW),
        notifier=outbox,
        accounts=people,
    )
    with billing.uow as uow:
        for invoice in invoices:
            uow.invoices.add(invoice)
        uow.commit()
    return billing, outbox


def test_the_statement_goes_to_the_employees_verified_address_in_their_language() -> None:
    billing, outbox = _payroll(APRIL)
    sent = billing.send_deduction_statement(invoice_id="2026040001", policy=POLICY, employee=KARI)
    statement = sent.unwrap()
    (message,) = outbox.sent
    assert message.template == "billing.deduction_statement"
    assert message.recipient == "kari.nordmann@example.no"
    assert message.language == "nb"
    assert message.params["employee"] == "Kari Nordmann"
    assert message.params["employer"] == "Trøndelag fylkeskommune"
    assert message.params["month"] == "2026-04"
    # the plan is the employer's; 100 of the extra data from the allowance; 49 + 50 deducted
    assert message.params["company_part"] == "549.00 NOK"
    assert message.params["employee_part"] == "99.00 NOK" == str(statement.total)
    assert message.params["allowance"] == "100.00 NOK"
    assert message.params["lines"] == (
        DeductionLine(description="Extra", msisdn=None, amount=Money("49", "NOK")),
        DeductionLine(description="Cloud", msisdn=None, amount=Money("50", "NOK")),
    )
    assert sent.events == (
        DeductionStatementSent(
            occurred_at=NOW,
            invoice_id="2026040001",
            employee=KARI,
            period=BillingPeriod(2026, 4),
            total=Money("99", "NOK"),
        ),
    )


@pytest.mark.parametrize("language", ["fi", "sv", "nb", "en"])
def test_the_sent_message_renders_in_every_language(language: str) -> None:
    billing, outbox = _payroll(APRIL)
    billing.send_deduction_statement(invoice_id="2026040001", policy=POLICY, employee=KARI).unwrap()
    message = outbox.sent[0]
    rendered = Renderer().render(
        type(message)(
            template=message.template,
            channel=message.channel,
            recipient=message.recipient,
            language=language,
            params=message.params,
        )
    )
    assert "Kari Nordmann" in rendered.text
    assert "Trøndelag fylkeskommune" in rendered.text
    assert "99,00" in rendered.text or "99.00" in rendered.text
    assert "2026" in rendered.subject


def test_the_message_is_text_and_its_rows_round_trip_through_serialization() -> None:
    billing, outbox = _payroll(APRIL)
    billing.send_deduction_statement(invoice_id="2026040001", policy=POLICY, employee=KARI).unwrap()
    message = outbox.sent[0]
    text_only = {k: v for k, v in message.params.items() if isinstance(v, str)}
    assert set(message.params) - set(text_only) == {"lines"}
    event = DeductionStatementSent(
        occurred_at=NOW,
        invoice_id="x",
        employee=KARI,
        period=BillingPeriod(2026, 4),
        total=Money("1", "NOK"),
    )
    assert structure(unstructure(event), DeductionStatementSent) == event


def test_every_refusal_has_its_code_and_kind_and_sends_nothing() -> None:
    billing, outbox = _payroll(APRIL)
    unknown_invoice = billing.send_deduction_statement(
        invoice_id="2026049999", policy=POLICY, employee=KARI
    )
    unknown_account = billing.send_deduction_statement(
        invoice_id="2026040001", policy=POLICY, employee=AccountId("nobody")
    )
    euro_policy = MobilePolicy(
        policy_id="mp-2", employer="Oy Ab", monthly_allowance=Money("10", "EUR")
    )
    other_currency = billing.send_deduction_statement(
        invoice_id="2026040001", policy=euro_policy, employee=KARI
    )
    unverified, unverified_outbox = _payroll(APRIL, verified=False)
    no_address = unverified.send_deduction_statement(
        invoice_id="2026040001", policy=POLICY, employee=KARI
    )
    bare = BillingService(uow=MemoryBillingUnitOfWork(), clock=SteppableClock(NOW))
    unwired = bare.send_deduction_statement(invoice_id="2026040001", policy=POLICY, employee=KARI)
    assert unknown_invoice.codes == ("billing.unknown_invoice",)
    assert unknown_invoice.kind is Kind.NOT_FOUND
    assert unknown_account.codes == ("billing.unknown_account",)
    assert unknown_account.kind is Kind.NOT_FOUND
    assert other_currency.codes == ("money.currency_mismatch",)
    assert no_address.codes == ("billing.no_verified_address",)
    assert no_address.kind is Kind.CONFLICT
    assert unwired.codes == ("billing.no_notifier",)
    assert unwired.kind is Kind.UNAVAILABLE
    assert outbox.sent == []
    assert unverified_outbox.sent == []


def test_an_unknown_invoice_number_is_echoed_cut_to_64_characters() -> None:
    billing, _ = _payroll(APRIL)
    refused = billing.send_deduction_statement(invoice_id="9" * 5000, policy=POLICY, employee=KARI)
    assert refused.codes == ("billing.unknown_invoice",)
    assert refused.decision.violations[0].params == {"invoice_id": "9" * 64}


def test_a_policy_of_the_wrong_type_is_a_type_error() -> None:
    billing, _ = _payroll(APRIL)
    with pytest.raises(TypeError):
        billing.send_deduction_statement(
            invoice_id="2026040001",
            policy="mp-1",  # type: ignore[arg-type]
            employee=KARI,
        )


def test_bootstrap_wires_the_notifier_and_the_account_directory() -> None:
    outbox = RecordingNotifier()
    app = bootstrap(memory_storage(), clock=SteppableClock(NOW), notifier=outbox)
    assert app.billing.notifier is outbox
    assert app.billing.accounts is not None
    refused = app.billing.send_deduction_statement(
        invoice_id="2026040001", policy=POLICY, employee=KARI
    )
    assert refused.codes == ("billing.unknown_invoice",)


@given(
    st.lists(
        st.tuples(st.sampled_from(["plan", "cloud", "extra", "tv"]), st.integers(0, 900)),
        min_size=1,
        max_size=6,
    )
)
def test_company_part_and_deductions_add_up_to_the_invoice(
    lines: list[tuple[str, int]],
) -> None:
    invoice = _invoice(*(_line(offering, str(amount)) for offering, amount in lines))
    billing, outbox = _payroll(invoice)
    statement = billing.send_deduction_statement(
        invoice_id="2026040001", policy=POLICY, employee=KARI
    ).unwrap()
    params = outbox.sent[0].params
    company = Money(*str(params["company_part"]).split(" "))
    employee = Money(*str(params["employee_part"]).split(" "))
    assert company + employee == invoice.gross_total == statement.invoice_total
    rows = params["lines"]
    assert isinstance(rows, tuple)
    listed = [row.amount for row in rows if isinstance(row, DeductionLine)]
    assert sum(listed, Money.zero("NOK")) == employee
    assert all(amount.amount > 0 for amount in listed)


def test_a_money_parameter_given_as_text_must_be_an_amount_and_a_currency() -> None:
    kinds = {"amount": ParamKind.MONEY}
    shown = shown_params(kinds, ["amount"], {"amount": "149.00 NOK"}, "nb", zone="Europe/Oslo")
    assert str(shown["amount"]).replace("\xa0", " ") == "149,00 kr"
    for bad in ("149", "NOK", "abc NOK", "149.00 XXX-" + "9" * 5000, ""):
        with pytest.raises(TemplateParamsError):
            shown_params(kinds, ["amount"], {"amount": bad}, "nb", zone="Europe/Oslo")
