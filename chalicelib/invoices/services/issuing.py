"""Issuing invoices and credit notes: draw the document from what was read, take the series'
next number and write both, with the order's invoicing, in one transaction.

Numbers without a gap under concurrency: the counter's write is conditional on the number
read, and the document goes in the same transaction, so a lost race writes nothing. The
loser reads again and tries the next number (`MAX_TRIES`, with a short jittered pause that
grows, so fifty issuers at once spread out rather than spin); the order's invoicing and the
order itself are conditions too, and a change of either draws the document again from what
is now there. A document's id comes from the request's Idempotency-Key (or the refund it
credits), so a retry after a commit finds the first document instead of writing a second.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import replace

from chalicelib.booking.domain import order_money
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.services.orders import get_order
from chalicelib.invoices.domain.invoices import (
    Invoice,
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
    now = ctx.now()
    tenant = ctx.tenant

    def draw(order: Order | None, invoicing: OrderInvoicing) -> Invoice:
        assert order is not None
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
    id is the payment's, so asking again answers the same receipt)."""
    receipt_id = f"rc_{payment_id}"
    done = _already(ctx, receipt_id, order_id)
    if done is not None:
        return done
    now = ctx.now()
    tenant = ctx.tenant

    def draw(order: Order | None, _: OrderInvoicing) -> Invoice:
        assert order is not None
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
) -> Invoice:
    """A credit note for the invoice, in full (`amount` None) or in part."""
    invoice = get_invoice(ctx, invoice_id)
    done = _already(ctx, note_id, invoice.order_id)
    if done is not None:
        return done
    now = ctx.now()

    def draw(_: Order | None, invoicing: OrderInvoicing) -> Invoice:
        return draw_credit_note(
            invoice,
            invoicing,
            note_id=note_id,
            amount=amount,
            reason=reason,
            issued_at=now,
            issue_date=_local_day(now, ctx.tenant.timezone),
            by=ctx.actor.email or ctx.actor.label,
        )

    return _issue(ctx, invoice.order_id, draw, read_order=False)


def credit_refund(
    ctx: InvoicesContext, order_id: str, *, refund_id: str, amount: int, reason: str
) -> Invoice | None:
    """The credit note a refund of an invoiced order issues: the part of the refund that
    takes what the customer keeps below what is still invoiced (a cancellation's refund beyond
    its fee, money back for broken heating, money back after a discount lowered the bill);
    none for money back that was never billed (change on an overpayment, a payment recorded
    twice by mistake), and none for an order without a live invoice. Its id is the refund's,
    so the same refund never credits twice."""
    invoicing = ctx.data.invoices.invoicing(order_id)
    if not invoicing.live:
        return None
    order = get_order(ctx, order_id)
    after = order_money.received(order) - order_money.refunded(order)  # kept, this refund made
    before = after + amount
    credit = max(0, min(amount, min(before, invoicing.creditable) - after))
    if credit <= 0:
        return None
    return credit_invoice(
        ctx, invoicing.live, note_id=f"cn_{refund_id}", amount=credit, reason=reason
    )


def _already(ctx: InvoicesContext, doc_id: str, order_id: str) -> Invoice | None:
    doc = ctx.data.invoices.get(doc_id)
    if doc is not None and doc.order_id != order_id:
        raise Conflict(
            "This Idempotency-Key was used for another order's document.",
            code="idempotency_key_reused",
        )
    return doc


def _issue(ctx: InvoicesContext, order_id: str, draw: Draw, *, read_order: bool) -> Invoice:
    store = ctx.data.invoices
    for attempt in range(MAX_TRIES):
        order = get_order(ctx, order_id) if read_order else None
        invoicing = store.invoicing(order_id)
        doc = draw(order, invoicing)
        doc = replace(doc, sequence=store.last_sequence(doc.series, doc.year) + 1)
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
                if exc.code not in RACES:
                    raise
        time.sleep(random.uniform(0, 0.002 * 2 ** min(attempt, 5)))
    raise TransientFailure(
        "Too many documents were being numbered at once; try again.", code="numbers_busy"
    )


def _local_day(now: str, timezone: str) -> str:
    return local_date(parse(now), timezone).isoformat()
