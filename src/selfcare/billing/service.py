"""The use cases of billing: :class:`BillingService`.

Billing agreements (record one, end one, ask whether one is in force) and the invoice of
a month (charge the services, save the invoice). Every method returns an
:class:`~selfcare.core.outcome.Outcome`; a refusal (no agreement in force, no VAT rate
for a day of supply, an invoice number that no reference scheme takes) is a
:class:`~selfcare.core.outcome.Refused`, never an exception. Storage outcomes
(:class:`~selfcare.core.errors.AlreadyExists` for a taken invoice number,
:class:`~selfcare.core.errors.ConcurrencyConflict`) are raised.

>>> from datetime import UTC, date, datetime
>>> from selfcare import Money
>>> from selfcare.adapters.memory.billing import MemoryBillingUnitOfWork
>>> from selfcare.billing.charges import ChargeableService
>>> from selfcare.testing.fakes import SequentialIds, SteppableClock
>>> billing = BillingService(uow=MemoryBillingUnitOfWork(),
...     clock=SteppableClock(datetime(2026, 5, 1, 6, tzinfo=UTC)), ids=SequentialIds("ba"))
>>> tv = ChargeableService(service_id="tv", description="TV Mix",
...     monthly_price=Money("19.90", "EUR"), start=date(2026, 4, 16))
>>> def april_invoice(number: str) -> Outcome[Invoice]:
...     return billing.issue_invoice(invoice_number=number, payer="C-1",
...         period=BillingPeriod(2026, 4), services=[tv], country="FI", currency="EUR")
>>> april_invoice("2026050001").codes
('billing.no_valid_agreement',)
>>> billing.add_billing_agreement(payer="C-1", method="e_invoice",
...     valid_from=date(2026, 1, 1)).unwrap().agreement_id
'ba-1'
>>> issued = april_invoice("2026050002")
>>> str(issued.unwrap().gross_total), [event.name for event in issued.events]
('9.95 EUR', ['InvoiceIssued'])
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta, tzinfo

import attrs

from selfcare.authz.ports import AccountDirectory
from selfcare.billing._fields import require_type
from selfcare.billing.agreements import (
    BillingAgreement,
    BillingMethod,
    valid_billing_agreement,
)
from selfcare.billing.charges import ChargeableService, PlanChange, charges_for_period
from selfcare.billing.events import (
    BillingAgreementAdded,
    BillingAgreementEnded,
    DeductionStatementSent,
    InvoiceIssued,
)
from selfcare.billing.invoices import Invoice, InvoiceLine, Party, payment_reference
from selfcare.billing.ledger import invoice_lines
from selfcare.billing.periods import BillingPeriod
from selfcare.billing.ports import BillingUnitOfWork, ProductInventory
from selfcare.billing.salary_deduction import (
    DeductionStatement,
    MobilePolicy,
    deduction_statement,
)
from selfcare.billing.statement_mail import statement_message
from selfcare.billing.vat import NORDIC_VAT, VatTable
from selfcare.core.clock import Clock, local_date, operator_zone
from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import SelfcareError
from selfcare.core.ids import AccountId, CustomerNumber, IdSource, RelationshipId, UuidIds
from selfcare.core.money import Currency
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.core.ports import next_version
from selfcare.identity.ports import Notifier

__all__ = ["BillingService"]


@attrs.frozen
class _Heading:
    """Who an invoice is for, which period, its number and the reference's country."""

    number: str
    payer: CustomerNumber
    period: BillingPeriod
    country: str


def _refused(error: SelfcareError) -> Refused:
    return Refused(Decision.deny(*error.violations))


class BillingService:
    """The use cases of billing over one :class:`~selfcare.billing.ports.BillingUnitOfWork`.

    Args:
        uow: the billing repositories.
        clock: today's date, in ``zone``, dates invoices and decides which agreements
            are in force.
        ids: ids of new billing agreements (random UUIDs by default).
        vat_table: the VAT rates charged (:data:`~selfcare.billing.vat.NORDIC_VAT`).
        payment_days: days from an invoice's date to its due date.
        zone: the operator's time zone (``Europe/Helsinki`` by default).
        seller: the operator as the seller on its invoices (EN 16931 BG-4).
        inventory: the product inventory the invoice run charges from (the catalog's
            :class:`~selfcare.catalog.service.CatalogService`).
        notifier: receives the salary deduction statements
            (``billing.deduction_statement``).
        accounts: where a statement goes: the employee account's verified address and
            language.
    """

    def __init__(
        self,
        *,
        uow: BillingUnitOfWork,
        clock: Clock,
        ids: IdSource | None = None,
        vat_table: VatTable = NORDIC_VAT,
        payment_days: int = 14,
        zone: tzinfo | None = None,
        seller: Party | None = None,
        inventory: ProductInventory | None = None,
        notifier: Notifier | None = None,
        accounts: AccountDirectory | None = None,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.ids: IdSource = ids if ids is not None else UuidIds()
        self.vat_table = vat_table
        self.payment_days = payment_days
        self.zone: tzinfo = zone if zone is not None else operator_zone()
        self.seller: Party | None = seller
        self.inventory: ProductInventory | None = inventory
        self.notifier: Notifier | None = notifier
        self.accounts: AccountDirectory | None = accounts

    def _today(self) -> date:
        return local_date(self.clock.now(), self.zone)

    # -- billing agreements -----------------------------------------------------------

    def add_billing_agreement(
        self,
        *,
        payer: CustomerNumber | str,
        method: BillingMethod | str,
        valid_from: date,
        valid_to: date | None = None,
        agreement_id: str | None = None,
    ) -> Outcome[BillingAgreement]:
        """Record a billing agreement of ``payer`` (made with the bank or in the
        operator's customer system).

        Args:
            payer: the customer number that pays.
            method: how invoices are delivered.
            valid_from: the first day in force.
            valid_to: the last day in force, or ``None`` until further notice.
            agreement_id: the operator's id of the agreement; a new id by default.

        Returns:
            The agreement and :class:`~selfcare.billing.events.BillingAgreementAdded`, or
            a refusal with ``billing.invalid_text``, ``billing.invalid_choice`` or
            ``billing.invalid_agreement_dates``.

        Raises:
            AlreadyExists: ``agreement_id`` is taken.
        """
        try:
            agreement = BillingAgreement(
                agreement_id=agreement_id if agreement_id is not None else self.ids.new_id(),
                payer=CustomerNumber(payer),
                method=method,
                valid_from=valid_from,
                valid_to=valid_to,
            )
        except SelfcareError as error:
            return _refused(error)
        with self.uow as uow:
            uow.agreements.add(agreement)
            uow.commit()
        added = BillingAgreementAdded(
            occurred_at=self.clock.now(),
            agreement_id=agreement.agreement_id,
            payer=agreement.payer,
            method=agreement.method,
            valid_from=agreement.valid_from,
            valid_to=agreement.valid_to,
        )
        return Done(agreement, [added])

    def end_billing_agreement(
        self, agreement_id: str, *, last_day: date
    ) -> Outcome[BillingAgreement]:
        """End an agreement on ``last_day`` (inclusive).

        Returns:
            The ended agreement and :class:`~selfcare.billing.events.BillingAgreementEnded`,
            or a refusal with ``billing.unknown_agreement`` or
            ``billing.invalid_agreement_dates`` (``last_day`` before the agreement
            starts).

        Raises:
            ConcurrencyConflict: the agreement changed meanwhile.
        """
        with self.uow as uow:
            agreement = uow.agreements.find(agreement_id)
            if agreement is None:
                return Refused.because(
                    Violation("billing.unknown_agreement", {"agreement_id": agreement_id[:64]})
                )
            try:
                ended = next_version(agreement, valid_to=last_day)
            except SelfcareError as error:
                return _refused(error)
            uow.agreements.update(ended)
            uow.commit()
        event = BillingAgreementEnded(
            occurred_at=self.clock.now(),
            agreement_id=ended.agreement_id,
            payer=ended.payer,
            last_day=last_day,
        )
        return Done(ended, [event])

    def billing_agreements_of(
        self, payer: CustomerNumber | str
    ) -> Outcome[tuple[BillingAgreement, ...]]:
        """Every agreement of ``payer``, in force or not, oldest ``valid_from`` first.

        Returns:
            The agreements (never refused).
        """
        with self.uow as uow:
            return Done(tuple(uow.agreements.for_payer(payer)))

    def check_billing_agreement(self, payer: CustomerNumber | str) -> Outcome[BillingAgreement]:
        """The agreement of ``payer`` in force today (the telecom ordering guide: ordering needs
        one; the catalog's eligibility asks ``check_billing_agreement(payer).ok``).

        Returns:
            The agreement, or a refusal with ``billing.no_valid_agreement``.
        """
        with self.uow as uow:
            agreements = uow.agreements.for_payer(payer)
        agreement = valid_billing_agreement(agreements, payer, today=self._today())
        if agreement is None:
            return Refused.because(Violation("billing.no_valid_agreement", {}))
        return Done(agreement)

    # -- invoices ---------------------------------------------------------------------

    def issue_invoice(
        self,
        *,
        invoice_number: str,
        payer: CustomerNumber | str,
        period: BillingPeriod,
        services: Iterable[ChargeableService],
        country: str,
        currency: Currency | str,
        plan_changes: Iterable[PlanChange] = (),
    ) -> Outcome[Invoice]:
        """Charge ``services`` for ``period`` on a new invoice of ``payer`` and save it.

        The payer must have a billing agreement in force (the telecom ordering guide); the invoice
        is dated today in the operator's zone and due ``payment_days`` later; its payment
        reference comes from :func:`~selfcare.billing.invoices.payment_reference`.

        Returns:
            The invoice and :class:`~selfcare.billing.events.InvoiceIssued`, or a refusal
            with ``billing.no_valid_agreement``; the codes of
            :func:`~selfcare.billing.charges.charges_for_period` (``vat.no_rate``,
            ``vat.invalid_country``, ``billing.unknown_plan_change``,
            ``money.currency_mismatch``); the ``reference.*`` codes of the country's
            scheme for an invoice number it cannot take; ``billing.invalid_text``,
            ``billing.invalid_invoice_dates``, ``money.unsupported_currency``.

        Raises:
            AlreadyExists: the invoice number or its reference is taken.
        """
        today = self._today()
        customer = CustomerNumber(payer)
        with self.uow as uow:
            agreements = uow.agreements.for_payer(customer)
            if valid_billing_agreement(agreements, customer, today=today) is None:
                return Refused.because(Violation("billing.no_valid_agreement", {}))
            try:
                lines = charges_for_period(
                    services,
                    period,
                    country=country,
                    vat_table=self.vat_table,
                    plan_changes=plan_changes,
                )
                invoice = self._compose_invoice(
                    _Heading(number=invoice_number, payer=customer, period=period, country=country),
                    lines,
                    currency=currency,
                    today=today,
                )
            except SelfcareError as error:
                return _refused(error)
            uow.invoices.add(invoice)
            uow.commit()
        return Done(invoice, [self._issued_event(invoice)])

    def _compose_invoice(
        self,
        heading: _Heading,
        lines: tuple[InvoiceLine, ...],
        *,
        currency: Currency | str,
        today: date,
        buyer: Party | None = None,
        relationship_id: RelationshipId | None = None,
    ) -> Invoice:
        return Invoice(
            invoice_id=heading.number,
            payer=heading.payer,
            period=heading.period,
            currency=currency,
            issued_on=today,
            due_on=today + timedelta(days=self.payment_days),
            reference=payment_reference(heading.country, heading.number),
            lines=lines,
            seller=self.seller,
            buyer=buyer,
            relationship_id=relationship_id,
        )

    def run_invoice(
        self,
        *,
        relationship_id: RelationshipId,
        payer: CustomerNumber | str,
        period: BillingPeriod,
        invoice_number: str,
        country: str,
        buyer: Party | None = None,
        lang: str = "fi",
    ) -> Outcome[Invoice]:
        """The invoice run of one customer relationship for one ended ``period``: every
        charge comes from the product inventory's history
        (:func:`~selfcare.billing.ledger.invoice_lines`), pro-rated by day in the
        operator's zone, at the VAT rate of each day of supply; the invoice carries
        the seller, the ``buyer``, the payment reference of ``invoice_number`` in
        ``country`` and the due date (EN 16931).

        The run is idempotent: a period the relationship was already invoiced for
        returns that invoice, with no events, and charges nothing again.

        Returns:
            The invoice and :class:`~selfcare.billing.events.InvoiceIssued`; the
            invoice already issued (no events); or a refusal with
            ``billing.no_inventory`` (the service was built without one),
            ``billing.period_not_ended`` (the period's last day is not over),
            ``billing.no_valid_agreement``, ``billing.nothing_to_invoice`` (no charge
            in the period), ``vat.no_rate``, ``vat.invalid_country``,
            ``money.currency_mismatch``, the ``reference.*`` codes of the country's
            scheme, ``billing.invalid_text``.

        Raises:
            AlreadyExists: ``invoice_number`` or its reference is another invoice's.
            TypeError: ``period`` is not a :class:`~selfcare.billing.periods.BillingPeriod`.
        """
        require_type(period, BillingPeriod, "period")
        if self.inventory is None:
            return Refused.because(Violation("billing.no_inventory", {}))
        today = self._today()
        if today <= period.last_day:
            return Refused.because(Violation("billing.period_not_ended", {"period": str(period)}))
        customer = CustomerNumber(payer)
        issued = self._issued(customer, relationship_id, period)
        if issued is not None:
            return Done(issued)
        products = self.inventory.products_of(relationship_id).unwrap()
        catalog = self.inventory.published_catalog().unwrap()
        with self.uow as uow:
            agreements = uow.agreements.for_payer(customer)
            if valid_billing_agreement(agreements, customer, today=today) is None:
                return Refused.because(Violation("billing.no_valid_agreement", {}))
            try:
                lines = invoice_lines(
                    products,
                    catalog,
                    period,
                    zone=self.zone,
                    country=country,
                    vat_table=self.vat_table,
                    lang=lang,
                )
                if not lines:
                    return Refused.because(
                        Violation("billing.nothing_to_invoice", {"period": str(period)})
                    )
                invoice = self._compose_invoice(
                    _Heading(number=invoice_number, payer=customer, period=period, country=country),
                    lines,
                    currency=lines[0].amount.currency,
                    today=today,
                    buyer=buyer,
                    relationship_id=relationship_id,
                )
            except SelfcareError as error:
                return _refused(error)
            uow.invoices.add(invoice)
            uow.commit()
        return Done(invoice, [self._issued_event(invoice)])

    def send_deduction_statement(
        self, *, invoice_id: str, policy: MobilePolicy, employee: AccountId
    ) -> Outcome[DeductionStatement]:
        """Send ``employee`` the salary deduction statement of the company phone's
        invoice ``invoice_id`` under the employer's ``policy`` (the corporate mobile
        guide): the statement of :func:`~selfcare.billing.salary_deduction.deduction_statement`,
        as the ``billing.deduction_statement`` e-mail to the account's verified address,
        in its language, with the employee's name on it.

        Whether ``employee`` is the phone's user is yours to decide (the permission
        check of the portal); each call sends the message again.

        Returns:
            The statement and :class:`~selfcare.billing.events.DeductionStatementSent`,
            or a refusal with ``billing.no_notifier`` (the service was built without a
            notifier or an account directory), ``billing.unknown_invoice``,
            ``billing.unknown_account``, ``billing.no_verified_address`` (the account
            has not verified an e-mail address), ``money.currency_mismatch`` (an
            invoice in another currency than the policy's allowance).

        Raises:
            TypeError: ``policy`` is not a
                :class:`~selfcare.billing.salary_deduction.MobilePolicy`.
        """
        require_type(policy, MobilePolicy, "policy")
        if self.notifier is None or self.accounts is None:
            return Refused.because(Violation("billing.no_notifier", {}))
        with self.uow as uow:
            invoice = uow.invoices.find(invoice_id)
        if invoice is None:
            known = {"invoice_id": invoice_id[:64]}  # echoed, so bounded as other ids are
            return Refused.because(Violation("billing.unknown_invoice", known))
        contact = self.accounts.find(employee)
        if contact is None:
            return Refused.because(Violation("billing.unknown_account", {}))
        if contact.email is None:
            return Refused.because(Violation("billing.no_verified_address", {}))
        name = contact.full_name or str(employee)
        try:
            statement = deduction_statement(invoice, policy, employee=name)
        except SelfcareError as error:
            return _refused(error)
        self.notifier.send(
            statement_message(
                statement, policy, recipient=contact.email.value, language=contact.language
            )
        )
        sent = DeductionStatementSent(
            occurred_at=self.clock.now(),
            invoice_id=invoice.invoice_id,
            employee=employee,
            period=invoice.period,
            total=statement.total,
        )
        return Done(statement, [sent])

    def _issued(
        self, payer: CustomerNumber, relationship_id: RelationshipId, period: BillingPeriod
    ) -> Invoice | None:
        with self.uow as uow:
            for invoice in uow.invoices.for_payer(payer, period):
                if invoice.period == period and invoice.relationship_id == relationship_id:
                    return invoice
        return None

    def _issued_event(self, invoice: Invoice) -> InvoiceIssued:
        return InvoiceIssued(
            occurred_at=self.clock.now(),
            invoice_id=invoice.invoice_id,
            payer=invoice.payer,
            period=invoice.period,
            reference=invoice.reference,
            issued_on=invoice.issued_on,
            due_on=invoice.due_on,
            gross_total=invoice.gross_total,
        )
