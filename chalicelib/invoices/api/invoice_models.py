"""Request and response models of the invoices routes."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from chalicelib.booking.domain.bill import BillLine, TaxBand
from chalicelib.invoices.domain.invoices import (
    DocKind,
    DocSummary,
    Invoice,
    OrderInvoicing,
    Party,
)
from chalicelib.invoices.services.documents import Download
from chalicelib.web.cursors import CursorShape
from chalicelib.web.models import Body, Email, Name, OneLine, Out, Query

Language = Literal["en", "zh-Hans"]
Kind = Literal["invoice", "credit_note", "receipt"]
KINDS: dict[DocKind, Kind] = {
    DocKind.INVOICE: "invoice",
    DocKind.CREDIT_NOTE: "credit_note",
    DocKind.RECEIPT: "receipt",
}
Text = Annotated[str, Field(max_length=120), OneLine]
Month = Annotated[str, Field(pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])$")]
Cursor = Annotated[str, CursorShape(r"^[A-Za-z0-9_-]+$", 1000)]


class BuyerIn(Body):
    name: Name | None = Field(default=None, description="By default the order's customer.")
    company: Text = ""
    address: list[Text] = Field(default_factory=list, max_length=5)
    tax_id: Annotated[str, Field(max_length=40), OneLine] = ""


class InvoiceIn(Body):
    lang: Language | None = Field(
        default=None,
        description="The document's language; by default the customer's, else the business's.",
    )
    buyer: BuyerIn | None = Field(
        default=None, description="A company and tax number to invoice, if the buyer gives one."
    )


class ReceiptIn(Body):
    payment_id: Annotated[str, Field(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9_-]+$")]


class CreditNoteIn(Body):
    amount: Annotated[int, Field(gt=0, le=100_000_000_000)] | None = Field(
        default=None,
        description="Minor units to credit; left out: all that is left of the invoice.",
    )
    reason: Annotated[str, Field(min_length=1, max_length=300), OneLine]


class PdfQueryIn(Query):
    lang: Language | None = Field(
        default=None, description="The file's language; by default the document's own."
    )


class MonthQueryIn(Query):
    month: Month = Field(description="The month of issue in the business's time zone, YYYY-MM.")
    limit: Annotated[int, Field(ge=1, le=100)] = 50
    cursor: Cursor | None = Field(default=None, description="`next_cursor` of the previous page.")


class PartyOut(Out):
    name: str
    email: str
    company: str
    address: list[str]
    tax_id: str
    phone: str

    @classmethod
    def of(cls, p: Party) -> PartyOut:
        return cls(
            name=p.name,
            email=p.email,
            company=p.company,
            address=list(p.address),
            tax_id=p.tax_id,
            phone=p.phone,
        )


class InvoiceLineOut(Out):
    kind: str
    label: str
    quantity: int
    unit_amount: int
    tax_rate_bp: int
    tax: int
    total: int
    local_date: str

    @classmethod
    def of(cls, line: BillLine) -> InvoiceLineOut:
        return cls(
            kind=line.kind.value,
            label=line.label,
            quantity=line.quantity,
            unit_amount=line.unit_amount,
            tax_rate_bp=line.tax_bp,
            tax=line.tax,
            total=line.total,
            local_date=line.local_date,
        )


class InvoiceBandOut(Out):
    tax_rate_bp: int
    net: int
    tax: int
    total: int

    @classmethod
    def of(cls, band: TaxBand) -> InvoiceBandOut:
        return cls(tax_rate_bp=band.tax_bp, net=band.net, tax=band.tax, total=band.total)


class InvoiceOut(Out):
    id: str
    kind: Kind
    number: str
    order_id: str
    issued_at: str
    issue_date: str = Field(description="In the business's time zone.")
    currency: str
    language: Language
    seller: PartyOut
    buyer: PartyOut
    lines: list[InvoiceLineOut]
    tax_bands: list[InvoiceBandOut]
    total: int
    tax: int
    paid: int = Field(
        description="An invoice: received less given back when it was issued. A receipt: the "
        "payment. A credit note: 0 (it acknowledges no payment)."
    )
    issued_by: str
    credits: str = Field(description="A credit note: the invoice it credits.")
    credits_number: str
    reason: str
    payment_id: str = Field(description="A receipt: the payment it acknowledges.")
    method: str = Field(description="A receipt: how it was paid (online, cash, ...).")
    reference: str
    paid_on: str = Field(description="A receipt: the business's local date of the payment.")
    tip: int = Field(
        default=0,
        description="A receipt: the tip left with the payment, on top of `total` (the staff's:"
        " not billed, no tax).",
    )

    @classmethod
    def of(cls, doc: Invoice) -> InvoiceOut:
        return cls(
            id=doc.id,
            kind=KINDS[doc.kind],
            number=doc.number,
            order_id=doc.order_id,
            issued_at=doc.issued_at,
            issue_date=doc.issue_date,
            currency=doc.currency,
            language=doc.language,  # type: ignore[arg-type]
            seller=PartyOut.of(doc.seller),
            buyer=PartyOut.of(doc.buyer),
            lines=[InvoiceLineOut.of(line) for line in doc.lines],
            tax_bands=[InvoiceBandOut.of(band) for band in doc.bands],
            total=doc.total,
            tax=doc.tax,
            paid=doc.paid,
            issued_by=doc.issued_by,
            credits=doc.credits,
            credits_number=doc.credits_number,
            reason=doc.reason,
            payment_id=doc.payment_id,
            method=doc.method,
            reference=doc.reference,
            paid_on=doc.paid_on,
            tip=doc.tip,
        )


class DocSummaryOut(Out):
    id: str
    kind: Kind
    number: str
    total: int
    issued_at: str


class OrderInvoicesOut(Out):
    order_id: str
    live_invoice: str | None = Field(description="The invoice not yet fully credited, if any.")
    creditable: int = Field(description="What credit notes may still take back from it.")
    documents: list[DocSummaryOut]

    @classmethod
    def of(cls, invoicing: OrderInvoicing) -> OrderInvoicesOut:
        return cls(
            order_id=invoicing.order_id,
            live_invoice=invoicing.live or None,
            creditable=invoicing.creditable,
            documents=[_summary(d) for d in invoicing.docs],
        )


def _summary(d: DocSummary) -> DocSummaryOut:
    return DocSummaryOut(
        id=d.id,
        kind=KINDS[d.kind],
        number=d.number,
        total=d.total,
        issued_at=d.issued_at,
    )


class InvoicePageOut(Out):
    month: str
    invoices: list[InvoiceOut]
    next_cursor: str | None


class DownloadOut(Out):
    url: str = Field(description="A GET of the PDF file; it stops working at `expires_at`.")
    expires_at: str
    language: Language
    filename: str

    @classmethod
    def of(cls, d: Download) -> DownloadOut:
        return cls(
            url=d.url,
            expires_at=d.expires_at,
            language=d.language,  # type: ignore[arg-type]
            filename=d.filename,
        )


class EmailIn(Body):
    to: Email | None = Field(default=None, description="By default the buyer's e-mail.")
    lang: Language | None = Field(
        default=None, description="The attached file's language; by default the document's."
    )


class EmailedOut(Out):
    invoice_id: str
    sent_to: str
