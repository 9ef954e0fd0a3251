"""Strategies for the values of :mod:`selfcare.billing`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from selfcare.billing import (
    BillingAgreement,
    BillingAgreementAdded,
    BillingAgreementEnded,
    BillingMethod,
    BillingPeriod,
    ChargeableService,
    ChargeKind,
    DeductionEntry,
    DeductionStatement,
    DeductionStatementSent,
    Invoice,
    InvoiceIssued,
    InvoiceLine,
    MobilePolicy,
    PayerSplit,
    PlanChange,
    QuotedCharge,
    SplitLine,
    VatBreakdownRow,
)
from selfcare.billing.invoices import Party, PaymentTerms
from selfcare.billing.ledger import PriceRun
from selfcare.billing.vat import PriceBasis, VatAmounts, VatCategory, VatRate, VatTable, split_vat
from selfcare.core.ids import AccountId, CustomerNumber, RelationshipId
from selfcare.core.money import Currency, Money
from selfcare.testing.strategies._catalog import product_instances, product_prices
from selfcare.testing.strategies._core import aware_datetimes, currencies

__all__ = [
    "ENTITIES",
    "billing_agreements",
    "billing_periods",
    "chargeable_services",
    "invoice_lines",
    "invoices",
    "mobile_policies",
    "quoted_charges",
    "vat_percents",
]

_IDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
_TEXT = st.text(min_size=1, max_size=30).filter(lambda s: s.strip() != "")
_DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


def vat_percents() -> st.SearchStrategy[Decimal]:
    """VAT percentages with up to one decimal, 0 to 30 (25.5 and 13.5 included)."""
    return st.integers(min_value=0, max_value=300).map(lambda tenths: Decimal(tenths) / 10)


def _money(currency: Currency, max_cents: int = 10**7) -> st.SearchStrategy[Money]:
    return st.integers(min_value=0, max_value=max_cents).map(
        lambda cents: Money(Decimal(cents).scaleb(-2), currency)
    )


def billing_periods() -> st.SearchStrategy[BillingPeriod]:
    """Any month of 2000-2099."""
    return st.builds(
        BillingPeriod,
        st.integers(min_value=2000, max_value=2099),
        st.integers(1, 12),
        st.just(1) | st.integers(1, 28),
    )


@st.composite
def _validity(draw: st.DrawFn) -> tuple[date, date | None]:
    start = draw(_DAYS)
    end = draw(st.none() | st.dates(min_value=start, max_value=date(2099, 12, 31)))
    return start, end


@st.composite
def billing_agreements(draw: st.DrawFn) -> BillingAgreement:
    """Agreements with any method and validity."""
    start, end = draw(_validity())
    return BillingAgreement(
        agreement_id=draw(_IDS),
        payer=CustomerNumber(draw(_IDS)),
        method=draw(st.sampled_from(BillingMethod)),
        valid_from=start,
        valid_to=end,
        version=draw(st.integers(1, 100)),
    )


@st.composite
def chargeable_services(draw: st.DrawFn, currency: Currency | None = None) -> ChargeableService:
    """Services with a price, a validity and maybe a one-time fee."""
    cur = currency or draw(currencies())
    start, end = draw(_validity())
    return ChargeableService(
        service_id=draw(_IDS),
        description=draw(_TEXT),
        monthly_price=draw(_money(cur)),
        start=start,
        end=end,
        one_time_fee=draw(st.none() | _money(cur)),
        price_basis=draw(st.sampled_from(PriceBasis)),
        vat_category=draw(st.sampled_from(VatCategory)),
    )


@st.composite
def invoice_lines(draw: st.DrawFn, currency: Currency | None = None) -> InvoiceLine:
    """Lines whose net, VAT and gross follow from their amount and rate."""
    cur = currency or draw(currencies())
    start, end = draw(_validity())
    kind = draw(st.sampled_from(ChargeKind))
    amount = draw(_money(cur))
    return InvoiceLine.build(
        service_id=draw(_IDS),
        kind=kind,
        description=draw(_TEXT),
        supply_from=start,
        supply_to=end or start,
        amount=-amount if kind is ChargeKind.CREDIT else amount,
        price_basis=draw(st.sampled_from(PriceBasis)),
        vat_percent=draw(vat_percents()),
        offering_id=draw(st.none() | _IDS),
        vat_category=draw(st.sampled_from(VatCategory)),
    )


def parties() -> st.SearchStrategy[Party]:
    """Sellers and buyers, with or without identifiers."""
    return st.builds(
        Party,
        name=_TEXT,
        country=st.sampled_from(["FI", "SE", "NO", "DK"]),
        vat_id=st.none() | st.text(alphabet="FINO0123456789", min_size=4, max_size=14),
        identifier=st.none() | _IDS,
    )


@st.composite
def invoices(draw: st.DrawFn) -> Invoice:
    """Invoices of 0-5 lines in one currency."""
    cur = draw(currencies())
    issued = draw(_DAYS)
    return Invoice(
        invoice_id=draw(_IDS),
        payer=CustomerNumber(draw(_IDS)),
        period=draw(billing_periods()),
        currency=cur,
        issued_on=issued,
        due_on=draw(st.dates(min_value=issued, max_value=date(2099, 12, 31))),
        reference=draw(st.text(alphabet="0123456789", min_size=4, max_size=20)),
        lines=draw(st.lists(invoice_lines(cur), max_size=5)),
        seller=draw(st.none() | parties()),
        buyer=draw(st.none() | parties()),
        relationship_id=draw(st.none() | _IDS.map(RelationshipId)),
        version=draw(st.integers(1, 100)),
    )


@st.composite
def mobile_policies(draw: st.DrawFn) -> MobilePolicy:
    """Policies with disjoint employer- and employee-paid offerings."""
    offerings = draw(st.lists(_IDS, unique=True, max_size=6))
    cut = draw(st.integers(0, len(offerings)))
    return MobilePolicy(
        policy_id=draw(_IDS),
        employer=draw(_TEXT),
        monthly_allowance=draw(_money(draw(currencies()), 100_000)),
        employer_paid=frozenset(offerings[:cut]),
        employee_paid=frozenset(offerings[cut:]),
        version=draw(st.integers(1, 100)),
    )


@st.composite
def quoted_charges(draw: st.DrawFn, currency: Currency | None = None) -> QuotedCharge:
    """A priced product of an order quote."""
    cur = currency or draw(currencies())
    return QuotedCharge(
        offering_id=draw(_IDS),
        description=draw(_TEXT),
        msisdn=draw(st.none() | st.just("+4791234567")),
        amount=draw(_money(cur, 100_000)),
    )


@st.composite
def _vat_rates(draw: st.DrawFn) -> VatRate:
    start, end = draw(_validity())
    return VatRate(
        country=draw(st.sampled_from(["FI", "SE", "NO", "DK"])),
        category=draw(st.sampled_from(VatCategory)),
        percent=draw(vat_percents()),
        valid_from=start,
        valid_to=end,
    )


@st.composite
def _vat_amounts(draw: st.DrawFn) -> VatAmounts:
    cur = draw(currencies())
    return split_vat(draw(_money(cur)), draw(vat_percents()), draw(st.sampled_from(PriceBasis)))


@st.composite
def _split_lines(draw: st.DrawFn) -> SplitLine:
    charge = draw(quoted_charges())
    cents = int(charge.amount.amount * 100)
    employer = Money(Decimal(draw(st.integers(0, cents))).scaleb(-2), charge.amount.currency)
    return SplitLine(charge=charge, employer=employer, employee=charge.amount - employer)


@st.composite
def _payer_splits(draw: st.DrawFn) -> PayerSplit:
    lines = draw(st.lists(_split_lines(), max_size=3))
    cur = lines[0].charge.amount.currency if lines else Currency.NOK
    zero = Money.zero(cur)
    return PayerSplit(
        lines=[line for line in lines if line.charge.amount.currency is cur],
        employer_total=draw(_money(cur)),
        salary_deduction=zero,
        allowance_left=zero,
    )


@st.composite
def _deduction_entries(draw: st.DrawFn) -> DeductionEntry:
    return DeductionEntry(
        day=draw(_DAYS),
        offering_id=draw(_IDS),
        description=draw(_TEXT),
        msisdn=draw(st.none() | st.just("+4791234567")),
        charged=draw(_money(Currency.NOK)),
        employer=draw(_money(Currency.NOK)),
        amount=draw(_money(Currency.NOK)),
    )


@st.composite
def _deduction_statements(draw: st.DrawFn) -> DeductionStatement:
    return DeductionStatement(
        employee=draw(_TEXT),
        period=draw(billing_periods()),
        entries=draw(st.lists(_deduction_entries(), max_size=3)),
        employer_total=draw(_money(Currency.NOK)),
        total=draw(_money(Currency.NOK)),
        invoice_total=draw(_money(Currency.NOK)),
    )


@st.composite
def _breakdown_rows(draw: st.DrawFn) -> VatBreakdownRow:
    amounts = draw(_vat_amounts())
    return VatBreakdownRow(
        vat_percent=amounts.percent,
        net=amounts.net,
        vat=amounts.vat,
        gross=amounts.gross,
        category=draw(st.sampled_from(VatCategory)),
    )


@st.composite
def _plan_changes(draw: st.DrawFn) -> PlanChange:
    return PlanChange(
        service_id=draw(_IDS),
        on=draw(_DAYS),
        description=draw(_TEXT),
        monthly_price=draw(_money(draw(currencies()))),
    )


@st.composite
def _agreements_added(draw: st.DrawFn) -> BillingAgreementAdded:
    agreement = draw(billing_agreements())
    return BillingAgreementAdded(
        occurred_at=draw(aware_datetimes()),
        agreement_id=agreement.agreement_id,
        payer=agreement.payer,
        method=agreement.method,
        valid_from=agreement.valid_from,
        valid_to=agreement.valid_to,
    )


@st.composite
def _agreements_ended(draw: st.DrawFn) -> BillingAgreementEnded:
    return BillingAgreementEnded(
        occurred_at=draw(aware_datetimes()),
        agreement_id=draw(_IDS),
        payer=CustomerNumber(draw(_IDS)),
        last_day=draw(_DAYS),
    )


@st.composite
def _invoices_issued(draw: st.DrawFn) -> InvoiceIssued:
    invoice = draw(invoices())
    return InvoiceIssued(
        occurred_at=draw(aware_datetimes()),
        invoice_id=invoice.invoice_id,
        payer=invoice.payer,
        period=invoice.period,
        reference=invoice.reference,
        issued_on=invoice.issued_on,
        due_on=invoice.due_on,
        gross_total=invoice.gross_total,
    )


@st.composite
def _deduction_statements_sent(draw: st.DrawFn) -> DeductionStatementSent:
    return DeductionStatementSent(
        occurred_at=draw(aware_datetimes()),
        invoice_id=draw(st.text(alphabet="0123456789", min_size=1, max_size=20)),
        employee=AccountId(draw(st.text(min_size=1, max_size=40))),
        period=draw(billing_periods()),
        total=draw(_money(draw(currencies()))),
    )


ENTITIES: dict[type, st.SearchStrategy[Any]] = {
    BillingAgreement: billing_agreements(),
    BillingPeriod: billing_periods(),
    ChargeableService: chargeable_services(),
    PlanChange: _plan_changes(),
    InvoiceLine: invoice_lines(),
    Invoice: invoices(),
    Party: parties(),
    PriceRun: st.builds(
        PriceRun,
        product=product_instances(),
        price=product_prices(),
        first=_DAYS,
        last=st.none() | _DAYS,
    ),
    PaymentTerms: st.builds(
        PaymentTerms,
        due_on=_DAYS,
        reference=st.text(alphabet="0123456789", min_size=4, max_size=20),
        payment_days=st.integers(0, 90),
    ),
    VatBreakdownRow: _breakdown_rows(),
    VatRate: _vat_rates(),
    VatTable: st.lists(_vat_rates(), max_size=1).map(VatTable),
    VatAmounts: _vat_amounts(),
    MobilePolicy: mobile_policies(),
    QuotedCharge: quoted_charges(),
    SplitLine: _split_lines(),
    PayerSplit: _payer_splits(),
    DeductionEntry: _deduction_entries(),
    DeductionStatement: _deduction_statements(),
    BillingAgreementAdded: _agreements_added(),
    BillingAgreementEnded: _agreements_ended(),
    InvoiceIssued: _invoices_issued(),
    DeductionStatementSent: _deduction_statements_sent(),
}
