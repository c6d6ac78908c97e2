"""Money taken and handed back at the desk: cash, a card terminal, a bank transfer, a gift card
or another tender, recorded by staff on the order. Nothing goes through Stripe; the order's
payment status and balance follow these records as they follow online ones (order_money.py),
in the same order write with its event (PaymentReceived, RefundIssued: the customer's receipt,
the tenant's webhooks and the audit log, as for money online).

A record's id comes from the request's Idempotency-Key (`dpay_`/`dref_`), and an order keeps
one record per id: a retried request that died after its write records nothing twice.

Each record is also an entry on the day's takings, written in the same transaction, which is
refused (409 `day_closed`, nothing written) when the day is closed (services/takings.py).
"""

from __future__ import annotations

from chalicelib.booking.domain.orders import Order
from chalicelib.booking.domain.payment_records import (
    AttemptStatus,
    Payment,
    PaymentKind,
    Refund,
    Tender,
)
from chalicelib.booking.services.booking import order_facts
from chalicelib.booking.services.orders import get_order
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.events import PaymentReceived, RefundIssued
from chalicelib.payments.domain.payments import (
    check_desk_payment,
    check_refund,
    find_payment,
    next_attempt,
    with_payment,
    with_refund,
)
from chalicelib.payments.domain.takings import Direction
from chalicelib.payments.services.payment_orders import commit
from chalicelib.payments.services.payment_ports import PaymentsContext
from chalicelib.payments.services.takings import entry_items


def _at_the_desk(method: Tender) -> Tender:
    if method is Tender.ONLINE:
        raise InvalidInput(
            "Money online goes through Stripe: record cash, a card terminal, a transfer, a"
            " gift card or other.",
            code="invalid_tender",
            field="method",
        )
    return method


def record_payment(
    ctx: PaymentsContext,
    order_id: str,
    *,
    record_id: str,
    amount: int,
    method: Tender,
    reference: str = "",
) -> Order:
    order = get_order(ctx, order_id)
    if find_payment(order, record_id) is not None:
        return order  # recorded by an earlier try of this request
    _at_the_desk(method)
    check_desk_payment(order, amount)
    now = ctx.now()
    payment = Payment(
        id=record_id,
        kind=PaymentKind.DESK,
        amount=amount,
        attempt=next_attempt(order),
        status=AttemptStatus.SUCCEEDED,
        received=amount,
        created_at=now,
        updated_at=now,
        method=method,
        reference=reference,
        taken_by=ctx.actor.email or ctx.actor.label,  # a login by its e-mail, a key by its id
    )
    after = with_payment(order, payment, now)
    received = PaymentReceived(**order_facts(ctx, after), payment_id=record_id, amount=amount)
    entry = entry_items(
        ctx,
        record_id=record_id,
        direction=Direction.IN,
        method=method.value,
        amount=amount,
        order_id=order.id,
        reference=reference,
    )
    return commit(ctx, order, after, received, items=entry)


def record_refund(
    ctx: PaymentsContext,
    order_id: str,
    *,
    record_id: str,
    amount: int,
    method: Tender,
    reason: str,
) -> Order:
    """Money handed back at the desk, up to what the order has received and not given back
    (whichever way it came: a card payment may be settled in cash)."""
    order = get_order(ctx, order_id)
    if any(r.id == record_id for r in order.refunds):
        return order
    _at_the_desk(method)
    check_refund(order, amount, online=False)
    now = ctx.now()
    desk = [p for p in order.payments if p.kind is PaymentKind.DESK]
    refund = Refund(
        id=record_id,
        payment_id=desk[-1].id if desk else "",
        amount=amount,
        reason=reason[:300],
        status="succeeded",
        at=now,
        method=method,
        taken_by=ctx.actor.email or ctx.actor.label,  # a login by its e-mail, a key by its id
    )
    after = with_refund(order, refund, now)
    issued = RefundIssued(
        **order_facts(ctx, after), refund_id=record_id, amount=amount, reason=reason
    )
    entry = entry_items(
        ctx,
        record_id=record_id,
        direction=Direction.OUT,
        method=method.value,
        amount=amount,
        order_id=order.id,
        reference=refund.reason,
    )
    return commit(ctx, order, after, issued, items=entry)
