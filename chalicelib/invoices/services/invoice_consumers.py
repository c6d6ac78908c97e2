"""The invoices' consumers of domain events (pipeline/consumers.py registers them)."""

from __future__ import annotations

from chalicelib.invoices.services.invoice_ports import InvoicesContext
from chalicelib.invoices.services.issuing import credit_refund
from chalicelib.kernel.domain.events import RefundIssued


class CreditRefunds:
    """Consumer of `RefundIssued`: a refund of an invoiced order issues a credit note for the
    amount given back (at most what is left of the live invoice), whether Stripe or the desk
    gave it. An order without a live invoice gets none. The note's id is the refund's, so a
    retry finds the note it wrote and writes nothing more."""

    name = "invoice_credit_refund"
    events = (RefundIssued,)
    repeatable = True

    def handle(self, ctx: InvoicesContext, event: RefundIssued, deps: object) -> None:
        credit_refund(
            ctx,
            event.order_id,
            refund_id=event.refund_id,
            amount=event.amount,
            reason=event.reason,
        )
