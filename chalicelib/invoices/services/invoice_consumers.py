"""The invoices' consumers of domain events (pipeline/consumers.py registers them)."""

from __future__ import annotations

from typing import Protocol

from chalicelib.invoices.domain import credit_reasons as reasons
from chalicelib.invoices.services.completion import invoice_at_completion
from chalicelib.invoices.services.invoice_mail import email_document
from chalicelib.invoices.services.invoice_pdf import render
from chalicelib.invoices.services.invoice_ports import DocumentFiles, InvoicesContext
from chalicelib.invoices.services.issuing import credit_to_bill
from chalicelib.kernel.domain.customer_ids import deliverable
from chalicelib.kernel.domain.events import (
    ChargeAdded,
    ChargeVoided,
    OrderCancelled,
    OrderCompleted,
    OrderEvent,
    OrderMarkedNoShow,
    OrderRescheduled,
    RefundIssued,
)
from chalicelib.kernel.services.messaging_ports import Mailer
from chalicelib.kernel.services.once import run_once
from chalicelib.settings import Settings


class CreditToBill:
    """Consumer of the events that can lower an order's bill or its money (a refund, a
    cancellation, a no-show, a discount or a void, a shorter stay): an invoiced order's live
    invoice is credited down to what the order now bills (issuing.credit_to_bill). The note's
    id is the event's, so a retry finds the note it wrote and writes nothing more."""

    name = "invoice_credit_refund"  # the ledger's name since the first version: kept
    events = (
        RefundIssued,
        OrderCancelled,
        OrderMarkedNoShow,
        ChargeAdded,
        ChargeVoided,
        OrderRescheduled,
    )
    repeatable = True

    def handle(self, ctx: InvoicesContext, event: OrderEvent, deps: object) -> None:
        reason = getattr(event, "reason", "") or credit_reason(event)
        credit_to_bill(
            ctx,
            event.order_id,
            note_id=f"cn_{event.id}",
            reason=reason,
            charge_id=getattr(event, "charge_id", ""),
        )


def credit_reason(event: OrderEvent) -> str:
    """The credit note's reason as its customer reads it, where the event carries none of its
    own: the event's summary was printed there, a sentence for developers ("... its units
    given back; the fee is by its policy ...": an outside tester's credit note)."""
    if isinstance(event, OrderCancelled):
        return reasons.CANCELLED_FEE_KEPT if event.fee else reasons.CANCELLED
    if isinstance(event, OrderMarkedNoShow):
        return reasons.NO_SHOW
    if isinstance(event, ChargeAdded):
        return reasons.DISCOUNT + event.label if event.kind == "discount" else reasons.CHARGE_ADDED
    if isinstance(event, ChargeVoided):
        return reasons.CHARGE_REMOVED
    if isinstance(event, OrderRescheduled):
        return reasons.CHANGED
    return reasons.REFUND


class MailDeps(Protocol):
    @property
    def mailer(self) -> Mailer: ...
    @property
    def document_files(self) -> DocumentFiles: ...
    @property
    def settings(self) -> Settings: ...


class InvoiceAtCompletion:
    """Consumer of `OrderCompleted` (a hotel's check-out, the end of a visit) for a business
    that asks for it (`invoice_at_completion`): the order's invoice is issued, unless staff
    issued one that still states the bill and what was paid (else that one is credited in
    full and a new one issued: services/completion.py), and e-mailed to the customer. The
    invoice's id is the event's, so a retry finds it; the e-mail is marked on the event
    (`run_once`), so it goes once. An order that cannot be invoiced gets nothing (a refusal is
    the business's rule, not a failure)."""

    name = "invoice_at_completion"
    events = (OrderCompleted,)
    repeatable = True

    def handle(self, ctx: InvoicesContext, event: OrderCompleted, deps: MailDeps) -> None:
        if not ctx.tenant.settings.invoice_at_completion:
            return
        doc = invoice_at_completion(ctx, event.order_id, event_id=event.id)
        if not deliverable(doc.buyer.email):
            return  # nobody to write to (an erased customer's order keeps no address)
        run_once(
            ctx,
            f"invoice-mail#{doc.id}",
            lambda: email_document(
                ctx,
                mailer=deps.mailer,
                files=deps.document_files,
                render=render,
                sender=deps.settings.mail_from,
                invoice_id=doc.id,
            ),
        )
