"""The invoices routes: issue an order's invoice, credit it, list and read documents, and
download a document's PDF through a link that expires."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.invoices.domain.invoices import (
    AlreadyInvoiced,
    CreditTooLarge,
    NoSuchPayment,
    NothingToCredit,
    NotInvoiceable,
    Party,
)
from chalicelib.invoices.services import documents, issuing
from chalicelib.kernel.domain.errors import NotFound
from chalicelib.tenancy.domain.staff import MANAGE, OPERATE, READ
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.invoices.api.invoice_models import (
        DownloadOut,
        EmailedOut,
        InvoiceOut,
        InvoicePageOut,
        OrderInvoicesOut,
    )

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/orders/{order_id}/invoices",
    "POST",
    summary="Issue the order's invoice (numbered, never changed after)",
    tag="invoices",
    roles=OPERATE,
    body="chalicelib.invoices.api.invoice_models:InvoiceIn",
    response="chalicelib.invoices.api.invoice_models:InvoiceOut",
    status=201,
    raises=(NotFound, AlreadyInvoiced, NotInvoiceable),
)
def post_invoice(call: Call) -> InvoiceOut:
    """The order's bill as it stands (its lines, folio charges and discounts, tax per rate),
    the business's legal details and the buyer's, numbered in the `INV` series of the year.
    An order has one live invoice: another is 409 `already_invoiced` (with `order_changed`
    when the bill moved since) until a credit note takes the first back in full. Send an
    Idempotency-Key: a retried request then issues nothing twice."""
    from chalicelib.invoices.api.invoice_models import InvoiceIn, InvoiceOut

    body: InvoiceIn = call.body
    given = body.buyer
    buyer = None
    if given is not None:
        address = tuple(a for a in given.address if a)
        buyer = Party(
            name=given.name or "", company=given.company, address=address, tax_id=given.tax_id
        )
    doc = issuing.issue_invoice(
        call.ctx,
        call.path["order_id"],
        invoice_id=call.stable_id("inv_"),
        buyer=buyer,
        lang=body.lang,
    )
    return InvoiceOut.of(doc)


@route(
    bp,
    "/v1/orders/{order_id}/receipts",
    "POST",
    summary="Issue the receipt of a payment the order received",
    tag="invoices",
    roles=OPERATE,
    body="chalicelib.invoices.api.invoice_models:ReceiptIn",
    response="chalicelib.invoices.api.invoice_models:InvoiceOut",
    status=201,
    raises=(NotFound, NoSuchPayment),
)
def post_receipt(call: Call) -> InvoiceOut:
    """One receipt per payment, in the `RC` series: the amount, how and when it was paid, its
    reference (online or at the desk). Asking again answers the same receipt; a payment the
    order has not received is 409 `payment_not_received`."""
    from chalicelib.invoices.api.invoice_models import InvoiceOut, ReceiptIn

    body: ReceiptIn = call.body
    doc = issuing.issue_receipt(call.ctx, call.path["order_id"], payment_id=body.payment_id)
    return InvoiceOut.of(doc)


@route(
    bp,
    "/v1/orders/{order_id}/invoices",
    "GET",
    summary="An order's invoices and credit notes",
    tag="invoices",
    roles=READ,
    response="chalicelib.invoices.api.invoice_models:OrderInvoicesOut",
    raises=(NotFound,),
)
def get_order_invoices(call: Call) -> OrderInvoicesOut:
    from chalicelib.invoices.api.invoice_models import OrderInvoicesOut

    return OrderInvoicesOut.of(issuing.order_invoicing(call.ctx, call.path["order_id"]))


@route(
    bp,
    "/v1/invoices",
    "GET",
    summary="The invoices and credit notes issued in a month",
    tag="invoices",
    roles=READ,
    query="chalicelib.invoices.api.invoice_models:MonthQueryIn",
    response="chalicelib.invoices.api.invoice_models:InvoicePageOut",
)
def get_invoices(call: Call) -> InvoicePageOut:
    """Oldest first, `limit` a page; `next_cursor` continues. The month is the business's
    (the date of issue in its time zone)."""
    from chalicelib.invoices.api.invoice_models import InvoiceOut, InvoicePageOut

    q = call.query
    docs, cursor = documents.month_documents(call.ctx, q.month, limit=q.limit, cursor=q.cursor)
    return InvoicePageOut(
        month=q.month, invoices=[InvoiceOut.of(d) for d in docs], next_cursor=cursor
    )


@route(
    bp,
    "/v1/invoices/{invoice_id}",
    "GET",
    summary="An invoice or credit note",
    tag="invoices",
    roles=READ,
    response="chalicelib.invoices.api.invoice_models:InvoiceOut",
    raises=(NotFound,),
)
def get_invoice(call: Call) -> InvoiceOut:
    from chalicelib.invoices.api.invoice_models import InvoiceOut

    return InvoiceOut.of(issuing.get_invoice(call.ctx, call.path["invoice_id"]))


@route(
    bp,
    "/v1/invoices/{invoice_id}/pdf",
    "GET",
    summary="A link to the document's PDF file that expires in 5 minutes",
    tag="invoices",
    roles=READ,
    query="chalicelib.invoices.api.invoice_models:PdfQueryIn",
    response="chalicelib.invoices.api.invoice_models:DownloadOut",
    raises=(NotFound,),
)
def get_invoice_pdf(call: Call) -> DownloadOut:
    """The file in English or Chinese (`lang`; by default the document's language), its font
    embedded; kept once drawn. The `url` needs no credentials and stops working at
    `expires_at`: ask again for a new one."""
    from chalicelib.invoices.api.invoice_models import DownloadOut
    from chalicelib.invoices.services.invoice_pdf import render

    got = documents.download(
        call.ctx, call.container.document_files, render, call.path["invoice_id"], call.query.lang
    )
    return DownloadOut.of(got)


@route(
    bp,
    "/v1/invoices/{invoice_id}/credit-note",
    "POST",
    summary="Credit an invoice, in full or in part",
    tag="invoices",
    roles=MANAGE,
    body="chalicelib.invoices.api.invoice_models:CreditNoteIn",
    response="chalicelib.invoices.api.invoice_models:InvoiceOut",
    status=201,
    raises=(NotFound, NothingToCredit, CreditTooLarge),
)
def post_credit_note(call: Call) -> InvoiceOut:
    """A credit note in the `CN` series naming the invoice: in full (no `amount`) it repeats
    the invoice's lines with the signs turned, and the order may be invoiced again; in part,
    the amount is taken off each tax rate in proportion. Only the order's live invoice is
    credited (409 `nothing_to_credit`), at most what is left of it (422 `credit_too_large`).
    Send an Idempotency-Key."""
    from chalicelib.invoices.api.invoice_models import CreditNoteIn, InvoiceOut

    body: CreditNoteIn = call.body
    note = issuing.credit_invoice(
        call.ctx,
        call.path["invoice_id"],
        note_id=call.stable_id("cn_"),
        amount=body.amount,
        reason=body.reason,
    )
    return InvoiceOut.of(note)


@route(
    bp,
    "/v1/invoices/{invoice_id}/email",
    "POST",
    summary="E-mail the document's PDF to the buyer or a given address",
    tag="invoices",
    roles=OPERATE,
    body="chalicelib.invoices.api.invoice_models:EmailIn",
    response="chalicelib.invoices.api.invoice_models:EmailedOut",
    raises=(NotFound,),
)
def post_invoice_email(call: Call) -> EmailedOut:
    """The PDF attached, in the document's language unless `lang` says otherwise. Send an
    Idempotency-Key: a retried request then sends nothing twice."""
    from chalicelib.invoices.api.invoice_models import EmailedOut, EmailIn
    from chalicelib.invoices.services.invoice_mail import email_document
    from chalicelib.invoices.services.invoice_pdf import render

    body: EmailIn = call.body
    c = call.container
    sent_to = email_document(
        call.ctx,
        mailer=c.mailer,
        files=c.document_files,
        render=render,
        sender=c.settings.mail_from,
        invoice_id=call.path["invoice_id"],
        to=body.to,
        lang=body.lang,
    )
    return EmailedOut(invoice_id=call.path["invoice_id"], sent_to=sent_to)
