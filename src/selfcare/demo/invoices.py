"""How the demo's journeys print an invoice from the invoice run: the header with the
reference and due date, one line per charge, the VAT breakdown and the total."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only
    from selfcare.billing.invoices import Invoice
    from selfcare.demo.printer import Printer

__all__ = ["show_invoice"]


def show_invoice(out: Printer, invoice: Invoice) -> None:
    """Print ``invoice`` in the printer's language."""
    out.say(
        "invoice",
        number=invoice.invoice_id,
        month=out.month(invoice.period.year, invoice.period.month),
        issued=out.day(invoice.issued_on),
        due=out.day(invoice.due_on),
        reference=invoice.reference,
    )
    for charge in invoice.lines:
        out.line(
            f"- {charge.description} ({out.charge_kind(charge.kind.value)}): "
            f"{out.day(charge.supply_from)} - "
            f"{out.day(charge.supply_to)}  {out.money(charge.gross)}",
            2,
        )
    for row in invoice.vat_breakdown():
        out.say(
            "vat_row",
            indent=2,
            percent=row.vat_percent,
            net=out.money(row.net),
            vat=out.money(row.vat),
        )
    out.say("total", gross=out.money(invoice.gross_total), vat=out.money(invoice.vat_total))
