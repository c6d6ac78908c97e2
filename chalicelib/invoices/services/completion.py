"""The invoice a check-out sends (a business's `invoice_at_completion`): the order's bill as it
stands at the end of the visit, never an earlier invoice that no longer says it.

An invoice staff issued before (at check-in, say) is sent as it is only while it still states
the bill's total and what the customer had paid, and no credit note took part of it back.
Otherwise (a minibar charge since, a payment at the desk since, a stay shortened and then
extended again) it is credited in full, the note's reason "reissued at check-out", and a new
invoice is issued from the order as it is now: a document that asks for money already paid is
never sent. (An old invoice with a receipt of the payments since was the other way; it was not
taken because the old invoice itself would still print a balance due that is no longer owed.)

Once per event: the new invoice's id is the event's and the note's is the invoice's it
credits, so a redelivery (or a retry after a crash between the two) finds what was written.
"""

from __future__ import annotations

from chalicelib.booking.services.orders import get_order
from chalicelib.invoices.domain import credit_reasons
from chalicelib.invoices.domain.invoices import Invoice, outdated
from chalicelib.invoices.services.invoice_ports import InvoicesContext
from chalicelib.invoices.services.issuing import credit_invoice, get_invoice, issue_invoice

REISSUE_REASON = credit_reasons.REISSUED


def invoice_at_completion(ctx: InvoicesContext, order_id: str, *, event_id: str) -> Invoice:
    """The invoice to send at the order's completion: the live one if it still states the
    bill and what was paid, else a new one issued after crediting it in full."""
    ours = f"inv_{event_id}"  # a retry finds the invoice it issued
    invoicing = ctx.data.invoices.invoicing(order_id)
    live_id = invoicing.live
    if live_id and live_id != ours:  # staff invoiced it before the check-out
        live = get_invoice(ctx, live_id)
        if not outdated(live, get_order(ctx, order_id), invoicing):
            return live
        credit_invoice(ctx, live.id, note_id=f"cn_reissue_{live.id}", reason=REISSUE_REASON)
    return issue_invoice(ctx, order_id, invoice_id=ours)
