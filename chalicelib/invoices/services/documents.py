"""Reading issued documents: a month's list, and a document's file through a link that
expires.

The file is drawn from the issued snapshot the first time a language is asked for and kept
(S3: `<tenant>/<document>/<language>.pdf`); every later download is that same file. The
link is a presigned address good for `LINK_SECONDS`: it can be handed to a browser or an
e-mail client without the caller's credentials, and it stops working after that.
"""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.invoices.domain.invoices import Invoice, Lang, language_of
from chalicelib.invoices.services.invoice_ports import DocumentFiles, InvoicesContext
from chalicelib.invoices.services.issuing import get_invoice
from chalicelib.kernel.domain.timefmt import add_seconds
from chalicelib.kernel.domain.values import value

LINK_SECONDS = 300
PDF = "application/pdf"
Render = Callable[[Invoice, Lang], bytes]


@value
class Download:
    url: str
    expires_at: str
    language: Lang
    filename: str


def file_key(tenant_id: str, doc: Invoice, lang: Lang) -> str:
    return f"{tenant_id}/{doc.id}/{lang}.pdf"


def document_file(
    ctx: InvoicesContext, files: DocumentFiles, render: Render, doc: Invoice, lang: Lang
) -> tuple[str, bytes | None]:
    """The document's file key, stored first if it was not yet (then its bytes too)."""
    key = file_key(ctx.tenant.id, doc, lang)
    if files.exists(key):
        return key, None
    body = render(doc, lang)
    files.put(key, body, PDF)
    return key, body


def download(
    ctx: InvoicesContext,
    files: DocumentFiles,
    render: Render,
    invoice_id: str,
    lang: str | None,
) -> Download:
    doc = get_invoice(ctx, invoice_id)
    chosen = language_of(lang, doc.language)
    key, _ = document_file(ctx, files, render, doc, chosen)
    filename = f"{doc.number}.pdf"
    return Download(
        url=files.link(key, filename, LINK_SECONDS),
        expires_at=add_seconds(ctx.now(), LINK_SECONDS),
        language=chosen,
        filename=filename,
    )


def month_documents(
    ctx: InvoicesContext, month: str, *, limit: int, cursor: str | None
) -> tuple[list[Invoice], str | None]:
    return ctx.data.invoices.month(month, limit=limit, after=cursor)
