"""Invoices and credit notes: documents the law keeps, drawn from an order's bill.

An invoice is a snapshot taken once and never changed: the seller as the business describes
itself at that moment (legal name, address, tax number), the buyer, the bill's lines with
their tax rates exactly as the order bills them (booking/domain/bill.py: prices are never
computed again here), the figures per tax rate, the totals, what was paid by then, the date
of issue in the business's own time zone and the language it is written in. A mistake or a
refund is put right by a credit note, a document of its own that names the invoice it
credits; the invoice itself stays as it was issued.

Numbers run per series and calendar year without a gap: `INV-2026-000001`, `CN-2026-000001`.
A number is taken in the same transaction as its document is written (services/issuing.py),
so none is ever taken without one.

An order has at most one LIVE invoice: one not fully credited. `OrderInvoicing` keeps which one,
and how much of it credit notes took back; another invoice for the order is refused (409
`already_invoiced`) until the live one is credited in full. A folio changed after an invoice (a
late minibar charge) is thus invoiced by crediting the first invoice and issuing a new one: an
issued invoice is never superseded silently.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from chalicelib.booking.domain.bill import BillLine, TaxBand, tax_bands
from chalicelib.booking.domain.order_money import due, received, refunded
from chalicelib.booking.domain.orders import BookingStatus, Order, status_words
from chalicelib.booking.domain.payment_records import Tender
from chalicelib.invoices.domain import credits
from chalicelib.invoices.domain.credits import credit_line, credited_with, left_per_rate, part_lines
from chalicelib.invoices.domain.stay_lines import invoice_lines
from chalicelib.kernel.domain.calendar import local_date
from chalicelib.kernel.domain.errors import Conflict, InvalidInput
from chalicelib.kernel.domain.money import amount_text
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.values import value

Lang = str  # "en" or "zh-Hans"
LANGUAGES = ("en", "zh-Hans")
_S = BookingStatus
INVOICEABLE = frozenset({_S.CONFIRMED, _S.CHECKED_IN, _S.COMPLETED, _S.NO_SHOW})


class DocKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    RECEIPT = "receipt"  # for one payment received: no lines, no tax of its own


SERIES = {DocKind.INVOICE: "INV", DocKind.CREDIT_NOTE: "CN", DocKind.RECEIPT: "RC"}


class AlreadyInvoiced(Conflict):
    code = "already_invoiced"


class NotInvoiceable(Conflict):
    code = "order_not_invoiceable"


class NothingToCredit(Conflict):
    code = "nothing_to_credit"


class CreditTooLarge(InvalidInput):
    code = "credit_too_large"


class NoSuchPayment(Conflict):
    code = "payment_not_received"


@value
class Party:
    """Who sells or buys, as printed on the document."""

    name: str
    email: str = ""
    company: str = ""
    address: tuple[str, ...] = ()  # printed lines: street lines, then postcode and city, country
    tax_id: str = ""
    phone: str = ""


@value
class Invoice:
    id: str
    kind: DocKind
    year: int
    sequence: int  # 0 until numbered, in the transaction that writes it
    order_id: str
    issued_at: str  # UTC
    issue_date: str  # the business's local date
    currency: str
    language: Lang
    seller: Party
    buyer: Party
    lines: tuple[BillLine, ...]
    bands: tuple[TaxBand, ...]
    total: int
    tax: int
    paid: int  # what the order had received less what went back, at issue; a note's is 0
    issued_by: str
    credits: str = ""  # a credit note: the invoice it credits
    credits_number: str = ""
    reason: str = ""
    payment_id: str = ""  # a receipt: the payment it acknowledges, its tender and reference
    method: str = ""
    reference: str = ""
    paid_on: str = ""  # a receipt: the business's local date of the payment
    tip: int = 0  # a receipt: the tip left with the payment (not billed, no tax: not `total`)

    @property
    def series(self) -> str:
        return SERIES[self.kind]

    @property
    def number(self) -> str:
        return number(self.series, self.year, self.sequence)


def number(series: str, year: int, sequence: int) -> str:
    return f"{series}-{year}-{sequence:06d}"


@value
class DocSummary:
    """One document of an order, as the order's list shows it."""

    id: str
    kind: DocKind
    number: str
    total: int
    issued_at: str


@value
class OrderInvoicing:
    """An order's documents: which invoice is live, how much credit notes took back from it
    (in all, and per tax rate: positive figures), and every document issued for the order.
    Changed only over the version it was read at."""

    order_id: str
    live: str = ""
    live_total: int = 0
    credited: int = 0
    credited_bands: tuple[TaxBand, ...] = ()
    docs: tuple[DocSummary, ...] = ()
    version: int = 0

    @property
    def creditable(self) -> int:
        return self.live_total - self.credited if self.live else 0


def draw_invoice(
    order: Order,
    invoicing: OrderInvoicing,
    *,
    invoice_id: str,
    seller: Party,
    buyer: Party,
    issued_at: str,
    issue_date: str,
    language: Lang,
    by: str,
) -> Invoice:
    """The order's invoice as of now (numbered later). Refused for an order with a live
    invoice, and for one that bills nothing yet or any more (held, expired, cancelled)."""
    if invoicing.live:
        live = next((d for d in invoicing.docs if d.id == invoicing.live), None)
        raise AlreadyInvoiced(
            "The order has an invoice; credit it in full before invoicing it again.",
            invoice_id=invoicing.live,
            number=live.number if live else "",
            # What the invoice states now is its total less the notes that credited it: a bill
            # that fell and rose again differs from it though it equals the invoice's total.
            order_changed=order.total != invoicing.creditable,
        )
    if order.status not in INVOICEABLE:
        raise NotInvoiceable(
            f"An order that is {status_words(order.status)} is not invoiced.",
            status=order.status.value,
        )
    lines = invoice_lines(order, language)  # a stay's line names its nights and dates
    if not lines:
        raise NotInvoiceable("A no-show that keeps no fee bills nothing.", status="no_show")
    return Invoice(
        id=invoice_id,
        kind=DocKind.INVOICE,
        year=int(issue_date[:4]),
        sequence=0,
        order_id=order.id,
        issued_at=issued_at,
        issue_date=issue_date,
        currency=order.currency,
        language=language,
        seller=seller,
        buyer=buyer,
        lines=lines,
        bands=tax_bands(lines),
        total=sum(line.total for line in lines),  # the order's, or a no-show's fee
        tax=sum(line.tax for line in lines),
        paid=received(order) - refunded(order),
        issued_by=by,
    )


def draw_credit_note(
    invoice: Invoice,
    invoicing: OrderInvoicing,
    *,
    note_id: str,
    amount: int | None,
    reason: str,
    issued_at: str,
    issue_date: str,
    by: str,
    down_to: tuple[TaxBand, ...] | None = None,
) -> Invoice:
    """A credit note for `amount` of the live invoice (None: all that is left of it), or
    (`down_to`: what the order bills now, per rate) for what is left above it at each rate. In
    full, it repeats the invoice's lines with the signs turned; in part, it takes the amount
    off each tax rate in proportion to what is left of the invoice at that rate, and the part
    that brings it to zero takes exactly what is left at each rate (credits.py), so the tax
    the notes give back is the tax that was charged, to the cent, rate by rate."""
    if invoice.kind is not DocKind.INVOICE or invoicing.live != invoice.id:
        raise NothingToCredit("Only an order's live invoice is credited.", invoice_id=invoice.id)
    if down_to is not None:
        return _down_to(invoice, invoicing, down_to, note_id, reason, issued_at, issue_date, by)
    left = invoicing.creditable
    amount = left if amount is None else amount
    whole = invoicing.credited == 0 and amount == invoice.total
    if not whole and (amount <= 0 or amount > left):
        raise CreditTooLarge(
            f"At most {amount_text(left, invoice.currency)} of this invoice is left to credit.",
            creditable=left,
            field="amount",
        )
    if whole:  # also an invoice of nothing (all discounted), so the order may be invoiced again
        lines = tuple(replace(line, tax=-line.tax, total=-line.total) for line in invoice.lines)
    else:
        lines = part_lines(left_per_rate(invoice.bands, invoicing.credited_bands), amount)
    return _note(invoice, lines, note_id, reason, issued_at, issue_date, by)


def _note(
    invoice: Invoice,
    lines: tuple[BillLine, ...],
    note_id: str,
    reason: str,
    issued_at: str,
    issue_date: str,
    by: str,
) -> Invoice:
    return replace(
        invoice,
        id=note_id,
        kind=DocKind.CREDIT_NOTE,
        paid=0,  # a note acknowledges no payment: the invoice's figure counted twice
        year=int(issue_date[:4]),
        sequence=0,
        issued_at=issued_at,
        issue_date=issue_date,
        lines=credits.named(lines, invoice.language),
        bands=tax_bands(lines),
        total=sum(line.total for line in lines),
        tax=sum(line.tax for line in lines),
        issued_by=by,
        credits=invoice.id,
        credits_number=invoice.number,
        reason=reason,
    )


def _down_to(
    invoice: Invoice,
    invoicing: OrderInvoicing,
    bill: tuple[TaxBand, ...],
    note_id: str,
    reason: str,
    issued_at: str,
    issue_date: str,
    by: str,
) -> Invoice:
    """What is left of the invoice above the order's bill, rate by rate: a bill that fell (a
    discount, a void, a shorter stay, a cancellation's fee) is followed down to the cent of
    tax. A bill that rose at some rate is not credited here: the invoice is out of date the
    other way, and staff (or check-out) credit it and issue a new one."""
    if invoice.kind is not DocKind.INVOICE or invoicing.live != invoice.id:
        raise NothingToCredit("Only an order's live invoice is credited.", invoice_id=invoice.id)
    now = {b.tax_bp: b for b in bill}
    left = {b.tax_bp: b for b in left_per_rate(invoice.bands, invoicing.credited_bands)}
    lines = []
    for rate in sorted(set(now) | set(left)):
        keep = now.get(rate, TaxBand(tax_bp=rate, net=0, tax=0, total=0))
        had = left.get(rate, TaxBand(tax_bp=rate, net=0, tax=0, total=0))
        total, tax = had.total - keep.total, had.tax - keep.tax
        if total < 0 or (total == 0 and tax < 0):
            raise NothingToCredit("The order bills more than its invoice at a rate.", rate=rate)
        if total or tax:
            lines.append(credit_line(rate, total, max(0, tax)))
    if sum(line.total for line in lines) >= 0:
        raise NothingToCredit("The order bills what its invoice does.", invoice_id=invoice.id)
    return _note(invoice, tuple(lines), note_id, reason, issued_at, issue_date, by)


def draw_receipt(
    order: Order,
    *,
    receipt_id: str,
    payment_id: str,
    seller: Party,
    issued_at: str,
    issue_date: str,
    language: Lang,
    by: str,
    timezone: str,
) -> Invoice:
    """A receipt for one payment the order received (online or at the desk): the amount, how
    and when it was paid, and its reference. Refused for a payment the order has not received
    (409 `payment_not_received`)."""
    payment = next((p for p in order.payments if p.id == payment_id and p.received > 0), None)
    if payment is None:
        raise NoSuchPayment("The order has received no such payment.", payment_id=payment_id)
    return Invoice(
        id=receipt_id,
        kind=DocKind.RECEIPT,
        year=int(issue_date[:4]),
        sequence=0,
        order_id=order.id,
        issued_at=issued_at,
        issue_date=issue_date,
        currency=order.currency,
        language=language,
        seller=seller,
        buyer=Party(name=order.customer.name, email=order.customer.email),
        lines=(),
        bands=(),
        total=payment.received,
        tax=0,
        paid=payment.received,
        issued_by=by,
        payment_id=payment.id,
        method=payment.method.value,
        # A gift card's payment keeps the card's id as its reference (what a refund puts
        # money back on): the customer's receipt says "gift card" and shows no id of ours.
        reference="" if payment.method is Tender.GIFT_CARD else payment.reference,
        paid_on=_local_day(payment.updated_at or payment.created_at, timezone) or issue_date,
        tip=payment.tip,
    )


def _local_day(stamp: str, timezone: str) -> str:
    try:
        return local_date(parse(stamp), timezone).isoformat()
    except ValueError:  # a record from before payments carried their time
        return ""


def after_issue(invoicing: OrderInvoicing, doc: Invoice) -> OrderInvoicing:
    """The order's documents once `doc` is issued (a receipt changes nothing else)."""
    summary = DocSummary(
        id=doc.id, kind=doc.kind, number=doc.number, total=doc.total, issued_at=doc.issued_at
    )
    docs = (*invoicing.docs, summary)
    if doc.kind is DocKind.RECEIPT:
        return replace(invoicing, docs=docs)
    if doc.kind is DocKind.INVOICE:
        return replace(
            invoicing, live=doc.id, live_total=doc.total, credited=0, credited_bands=(), docs=docs
        )
    credited = invoicing.credited - doc.total  # a credit note's total is negative
    if credited >= invoicing.live_total:
        return replace(invoicing, live="", live_total=0, credited=0, credited_bands=(), docs=docs)
    bands = credited_with(invoicing.credited_bands, doc.bands)
    return replace(invoicing, credited=credited, credited_bands=bands, docs=docs)


def outdated(invoice: Invoice, order: Order, invoicing: OrderInvoicing) -> bool:
    """The invoice alone no longer states the order: its bill's total changed since (a charge,
    a discount), what the customer has paid (a payment, a refund), or a credit note took part
    of it back (the bill fell after it was issued: even if it rose again since, the invoice
    and its note together say less than the bill, and a document sent on its own must say
    the bill)."""
    return (
        invoicing.credited > 0
        or invoice.total != due(order)
        or invoice.paid != received(order) - refunded(order)
    )


def language_of(asked: str | None, *candidates: str | None) -> Lang:
    """The document's language: the one asked for, else the customer's, else the business's."""
    for tag in (asked, *candidates):
        if tag:
            return "zh-Hans" if tag.lower().startswith("zh") else "en"
    return "en"
