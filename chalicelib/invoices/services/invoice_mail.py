"""E-mailing a document: its PDF attached (the same file the download link gives), to the
customer or an address staff give, in the document's language unless another is asked for.
From the platform's sender in the business's name; replies go to the business's contact
e-mail when it has one."""

from __future__ import annotations

from html import escape

from chalicelib.invoices.domain.invoices import DocKind, Invoice, Lang, language_of
from chalicelib.invoices.services.documents import PDF, Render, document_file
from chalicelib.invoices.services.invoice_ports import DocumentFiles, InvoicesContext
from chalicelib.invoices.services.issuing import get_invoice
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.services.messaging_ports import Attachment, Email, Mailer

SUBJECTS = {
    ("en", DocKind.INVOICE): "Your invoice {number} from {seller}",
    ("en", DocKind.CREDIT_NOTE): "Your credit note {number} from {seller}",
    ("zh-Hans", DocKind.INVOICE): "{seller} 的发票 {number}",
    ("zh-Hans", DocKind.CREDIT_NOTE): "{seller} 的贷项通知单 {number}",
    ("en", DocKind.RECEIPT): "Your receipt {number} from {seller}",
    ("zh-Hans", DocKind.RECEIPT): "{seller} 的收据 {number}",
}
TEXTS = {
    "en": "Please find attached {number} of {date} for your order {order}.\n\n{seller}\n",
    "zh-Hans": "附件为您订单 {order} 的单据 {number}（{date}）。\n\n{seller}\n",
}


def email_document(
    ctx: InvoicesContext,
    *,
    mailer: Mailer,
    files: DocumentFiles,
    render: Render,
    sender: str,
    invoice_id: str,
    to: str | None = None,
    lang: str | None = None,
) -> str:
    """Send the document; the address it went to. A buyer without an e-mail and no address
    given: 422 `no_email_address`."""
    doc = get_invoice(ctx, invoice_id)
    address = to or doc.buyer.email
    if not address:
        raise InvalidInput(
            "The buyer has no e-mail address: give one.", code="no_email_address", field="to"
        )
    chosen = language_of(lang, doc.language)
    _, body = document_file(ctx, files, render, doc, chosen)
    mailer.send(_email(ctx, doc, chosen, address, sender, body or render(doc, chosen)))
    return address


def _email(
    ctx: InvoicesContext, doc: Invoice, lang: Lang, to: str, sender: str, pdf: bytes
) -> Email:
    words = {"number": doc.number, "seller": doc.seller.name, "order": doc.order_id}
    text = TEXTS[lang].format(date=doc.issue_date, **words)
    return Email(
        to=to,
        subject=SUBJECTS[(lang, doc.kind)].format(**words),
        text=text,
        html="".join(f"<p>{escape(part)}</p>" for part in text.split("\n\n") if part.strip()),
        sender=sender,
        sender_name=ctx.tenant.name,
        reply_to=ctx.tenant.settings.business.email or None,
        attachments=(Attachment(f"{doc.number}.pdf", PDF, pdf),),
        tags={"tenant": ctx.tenant.id, "kind": doc.kind.value},
    )
