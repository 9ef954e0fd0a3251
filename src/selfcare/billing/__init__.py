"""selfcare.billing: VAT, the charges of a month, billing agreements, reference numbers,
invoices and the employer's mobile policy (salary deduction).

One module per topic, each holding its values and pure rules:

- :mod:`~selfcare.billing.agreements` - billing agreements and whether one is in force;
- :mod:`~selfcare.billing.periods` - the billing month;
- :mod:`~selfcare.billing.vat` - VAT rates and net/VAT/gross;
- :mod:`~selfcare.billing.charges` - chargeable services, plan changes, pro-rating and
  the invoice lines of a month;
- :mod:`~selfcare.billing.ledger` - what the inventory's products cost in a period,
  from their price history (the invoice run's lines);
- :mod:`~selfcare.billing.invoices` - invoices, their lines and payment reference;
- :mod:`~selfcare.billing.references` - one module per payment reference scheme;
- :mod:`~selfcare.billing.salary_deduction` - the employer's mobile policy and the
  payer split;
- :mod:`~selfcare.billing.statement_mail` - the salary deduction statement as a message;
- :mod:`~selfcare.billing.events`, :mod:`~selfcare.billing.ports` and
  :mod:`~selfcare.billing.service` (:class:`BillingService`, the use cases).

:class:`~selfcare.core.money.Money` and :class:`~selfcare.core.money.Currency` live in the
core (the catalog prices with them) and are re-exported here.
"""

from selfcare.billing.agreements import (
    BillingAgreement,
    BillingMethod,
    check_billing_agreement,
    has_valid_billing_agreement,
    valid_billing_agreement,
)
from selfcare.billing.charges import ChargeableService, PlanChange, charges_for_period, prorate
from selfcare.billing.events import (
    BillingAgreementAdded,
    BillingAgreementEnded,
    DeductionStatementSent,
    InvoiceIssued,
)
from selfcare.billing.invoices import (
    ChargeKind,
    Invoice,
    InvoiceLine,
    Party,
    PaymentTerms,
    VatBreakdownRow,
    payment_reference,
)
from selfcare.billing.ledger import PriceRun, invoice_lines, price_runs
from selfcare.billing.periods import BillingPeriod
from selfcare.billing.ports import (
    BillingAgreementRepository,
    BillingUnitOfWork,
    InvoiceRepository,
    ProductInventory,
)
from selfcare.billing.references import KidMethod, fi_reference, kid, ocr_reference, rf_reference
from selfcare.billing.salary_deduction import (
    DeductionEntry,
    DeductionStatement,
    MobilePolicy,
    PayerSplit,
    QuotedCharge,
    SplitLine,
    deduction_statement,
    payer_split,
    quoted_charges,
)
from selfcare.billing.service import BillingService
from selfcare.billing.vat import (
    NORDIC_VAT,
    PriceBasis,
    VatAmounts,
    VatCategory,
    VatRate,
    VatTable,
    split_vat,
)
from selfcare.core.money import Currency, Money

__all__ = [
    "NORDIC_VAT",
    "BillingAgreement",
    "BillingAgreementAdded",
    "BillingAgreementEnded",
    "BillingAgreementRepository",
    "BillingMethod",
    "BillingPeriod",
    "BillingService",
    "BillingUnitOfWork",
    "ChargeKind",
    "ChargeableService",
    "Currency",
    "DeductionEntry",
    "DeductionStatement",
    "DeductionStatementSent",
    "Invoice",
    "InvoiceIssued",
    "InvoiceLine",
    "InvoiceRepository",
    "KidMethod",
    "MobilePolicy",
    "Money",
    "Party",
    "PayerSplit",
    "PaymentTerms",
    "PlanChange",
    "PriceBasis",
    "PriceRun",
    "ProductInventory",
    "QuotedCharge",
    "SplitLine",
    "VatAmounts",
    "VatBreakdownRow",
    "VatCategory",
    "VatRate",
    "VatTable",
    "charges_for_period",
    "check_billing_agreement",
    "deduction_statement",
    "fi_reference",
    "has_valid_billing_agreement",
    "invoice_lines",
    "kid",
    "ocr_reference",
    "payer_split",
    "payment_reference",
    "price_runs",
    "prorate",
    "quoted_charges",
    "rf_reference",
    "split_vat",
    "valid_billing_agreement",
]
