"""Issuing invoices and credit notes: draw the document from what was read, take the series'
next number and write both, with the order's invoicing, in one transaction.

Numbers without a gap under concurrency: the counter's write is conditional on the number
read, and the document goes in the same transaction, so a lost race writes nothing. The
loser reads again and tries the next number (`MAX_TRIES`, with a short jittered pause that
grows, so many issuers at once spread out rather than spin: the integration test races
twenty); the order's invoicing and the order itself are conditions too, and a change of
either draws the document again from what is now there. A document's id comes from the
request's Idempotency-Key (or the refund it credits), so a retry after a commit finds the
first document instead of writing a second, and the same request twice at once (a receipt
asked for from two screens) answers the document the first wrote (PROBE 43: 409
`document_exists`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import replace

from chalicelib.booking.domain import order_money
from chalicelib.booking.domain.bill import TaxBand, bill_lines, tax_bands
from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.services.orders import get_order
from chalicelib.invoices.domain.invoices import (
    Invoice,
    NoSuchPayment,
    NothingToCredit,
    OrderInvoicing,
    Party,
    after_issue,
    draw_credit_note,
    draw_invoice,
    draw_receipt,
    language_of,
)
from chalicelib.invoices.services.invoice_items import (
    DocumentPut,
    InvoicingPut,
    NumberTake,
    OrderUnchanged,
)
from chalicelib.invoices.services.invoice_ports import InvoicesContext
from chalicelib.kernel.domain.calendar import local_date
from chalicelib.kernel.domain.errors import Conflict, NotFound, TransientFailure
from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.services.unit_of_work import UnitOfWork

MAX_TRIES = 100
# Refusals that mean "someone else wrote first": read again and draw again.
RACES = frozenset({"number_taken", "invoicing_changed", "version_mismatch"})
Draw = Callable[[Order | None, OrderInvoicing], Invoice]


def seller_of(tenant: Tenant) -> Party:
    """The business as it describes itself now (its legal name, else its name)."""
    b = tenant.settings.business
    place = " ".join(p for p in (b.address.postcode, b.address.city) if p)
    address = tuple(p for p in (*b.address.lines, place, b.address.country) if p)
    return Party(
        name=b.legal_name or tenant.name,
        email=b.email,
        address=address,
        tax_id=b.tax_id,
        phone=b.phone,
    )


def get_invoice(ctx: InvoicesContext, invoice_id: str) -> Invoice:
    doc = ctx.data.invoices.get(invoice_id)
    if doc is None:
        raise NotFound("No such invoice.", code="invoice_not_found", invoice_id=invoice_id)
    return doc


def order_invoicing(ctx: InvoicesContext, order_id: str) -> OrderInvoicing:
    get_order(ctx, order_id)  # 404 for an order that does not exist
    return ctx.data.invoices.invoicing(order_id)


def issue_invoice(
    ctx: InvoicesContext,
    order_id: str,
    *,
    invoice_id: str,
    buyer: Party | None = None,
    lang: str | None = None,
) -> Invoice:
    """The order's invoice (409 `already_invoiced` while another is live). `buyer`: what the
    buyer gave to be invoiced as (a company, its address and tax number); its name defaults
    to the customer's, its e-mail is the customer's."""
    done = _already(ctx, invoice_id, order_id)
    if done is not None:
        return done
    tenant = ctx.tenant

    def draw(order: Order | None, invoicing: OrderInvoicing) -> Invoice:
        assert order is not None
        now = ctx.now()  # each try's own: see _issue
        return draw_invoice(
            order,
            invoicing,
            invoice_id=invoice_id,
            seller=seller_of(tenant),
            buyer=replace(
                buyer or Party(name=""),
                name=(buyer.name if buyer else "") or order.customer.name,
                email=order.customer.email,
            ),
            issued_at=now,
            issue_date=_local_day(now, tenant.timezone),
            language=language_of(lang, order.customer.locale, tenant.locale),
            by=ctx.actor.email or ctx.actor.label,
        )

    return _issue(ctx, order_id, draw, read_order=True)


def issue_receipt(ctx: InvoicesContext, order_id: str, *, payment_id: str) -> Invoice:
    """The receipt of a payment the order received, in the `RC` series: one per payment (its
    id is the payment's, so asking again answers the same receipt). Another order's payment
    is one this order has not received, whether or not its own order has its receipt yet."""
    receipt_id = f"rc_{payment_id}"
    done = ctx.data.invoices.get(receipt_id)
    if done is not None and done.order_id != order_id:
        raise NoSuchPayment("The order has received no such payment.", payment_id=payment_id)
    if done is not None:
        return done
    tenant = ctx.tenant

    def draw(order: Order | None, _: OrderInvoicing) -> Invoice:
        assert order is not None
        now = ctx.now()  # each try's own: see _issue
        return draw_receipt(
            order,
            receipt_id=receipt_id,
            payment_id=payment_id,
            seller=seller_of(tenant),
            issued_at=now,
            issue_date=_local_day(now, tenant.timezone),
            language=language_of(None, order.customer.locale, tenant.locale),
            by=ctx.actor.email or ctx.actor.label,
            timezone=tenant.timezone,
        )

    return _issue(ctx, order_id, draw, read_order=True)


def credit_invoice(
    ctx: InvoicesContext,
    invoice_id: str,
    *,
    note_id: str,
    amount: int | None = None,
    reason: str = "",
    down_to: tuple[TaxBand, ...] | None = None,
) -> Invoice:
    """A credit note for the invoice, in full (`amount` None) or in part, or down to the
    order's bill per rate (`down_to`)."""
    invoice = get_invoice(ctx, invoice_id)
    done = _already(ctx, note_id, invoice.order_id)
    if done is not None:
        return done

    def draw(_: Order | None, invoicing: OrderInvoicing) -> Invoice:
        now = ctx.now()  # each try's own: see _issue
        return draw_credit_note(
            invoice,
            invoicing,
            note_id=note_id,
            amount=amount,
            reason=reason,
            issued_at=now,
            issue_date=_local_day(now, ctx.tenant.timezone),
            by=ctx.actor.email or ctx.actor.label,
            down_to=down_to,
        )

    return _issue(ctx, invoice.order_id, draw, read_order=False)


def credit_to_bill(
    ctx: InvoicesContext, order_id: str, *, note_id: str, reason: str, charge_id: str = ""
) -> Invoice | None:
    """The credit note that keeps an invoiced order's live invoice at what the order bills:
    after a discount, a void or a shorter stay, what is left above the bill at each rate;
    after a cancellation or a no-show, all of it above the fee it kept. Money given back
    without a change to the bill (change on an overpayment, a refund staff did not make a
    discount) credits nothing: an invoice states what was billed, the order's balance what is
    owed. None when there is nothing to credit or no live invoice. The note's id is the
    event's, so a retry finds the note it wrote."""
    invoicing = ctx.data.invoices.invoicing(order_id)
    if not invoicing.live:
        return None
    order = get_order(ctx, order_id)
    charge = next((c for c in order.charges if c.id == charge_id), None)
    if charge is not None:  # a discount's reason, a void's
        reason = charge.void_reason or charge.reason or charge.label or reason
    if order.status in (BookingStatus.CANCELLED, BookingStatus.NO_SHOW):
        fee = order_money.due(order)  # what the cancellation or the no-show keeps
        over = invoicing.creditable - fee
        if over <= 0:
            return None
        amount = None if fee == 0 and invoicing.credited == 0 else over
        return credit_invoice(ctx, invoicing.live, note_id=note_id, amount=amount, reason=reason)
    try:
        return credit_invoice(
            ctx,
            invoicing.live,
            note_id=note_id,
            reason=reason,
            down_to=tax_bands(bill_lines(order)),
        )
    except NothingToCredit:
        return None


def _already(ctx: InvoicesContext, doc_id: str, order_id: str) -> Invoice | None:
    doc = ctx.data.invoices.get(doc_id)
    if doc is not None and doc.order_id != order_id:
        raise Conflict(
            "This Idempotency-Key was used for another order's document.",
            code="idempotency_key_reused",
        )
    return doc


def _issue(ctx: InvoicesContext, order_id: str, draw: Draw, *, read_order: bool) -> Invoice:
    """Draw and number the document, again after a lost race. It is drawn at a moment after
    its number's counter was read, so a number taken after another's has a later `issued_at`
    too: twelve notes issued at once were listed CN-3, CN-11, CN-5, ... by their time (an
    outside tester's)."""
    store = ctx.data.invoices
    for attempt in range(MAX_TRIES):
        order = get_order(ctx, order_id) if read_order else None
        invoicing = store.invoicing(order_id)
        first = draw(order, invoicing)
        sequence = store.last_sequence(first.series, first.year) + 1
        doc = replace(draw(order, invoicing), sequence=sequence)  # its moment after the read
        if doc.year != first.year:
            continue  # the year turned between the two: its own series' number
        after = replace(after_issue(invoicing, doc), version=invoicing.version + 1)
        with UnitOfWork(ctx) as uow:
            uow.add(NumberTake(series=doc.series, year=doc.year, sequence=doc.sequence))
            uow.add(DocumentPut(doc), InvoicingPut(after, expected_version=invoicing.version))
            if order is not None:
                uow.add(OrderUnchanged(order_id=order.id, version=order.version))
            try:
                uow.commit()
                return doc
            except Conflict as exc:
                if exc.code == "document_exists":  # the same request beside this one, first
                    return _already(ctx, doc.id, order_id) or _raise(exc)
                if exc.code not in RACES:
                    raise
        time.sleep(random.uniform(0, 0.002 * 2 ** min(attempt, 5)))
    raise TransientFailure(
        "Too many documents were being numbered at once; try again.", code="numbers_busy"
    )


def _raise(exc: Conflict) -> Invoice:
    raise exc


def _local_day(now: str, timezone: str) -> str:
    return local_date(parse(now), timezone).isoformat()
