"""An online payment that lands on an order that no longer owes it (the desk took the balance
while the customer's card payment was open, and the customer paid too): what it brings
beyond what was owed goes straight back through Stripe, recorded with the payment in one
order write, as a late payment on a hold that was taken is.

The refund's Stripe key is the payment's (`{intent}:overpaid`): Stripe's webhook delivered
again after a crash asks Stripe again and gets the same refund; a webhook of the refund
itself records it in any case (refunds.sync_refunds)."""

from __future__ import annotations

from chalicelib.booking.domain.orders import Order
from chalicelib.booking.domain.payment_records import Payment, Refund
from chalicelib.booking.services.booking import order_facts
from chalicelib.kernel.domain.events import RefundIssued
from chalicelib.payments.domain.payments import with_refund
from chalicelib.payments.services.payment_orders import money_in_event, record_made
from chalicelib.payments.services.payment_ports import PaymentGateway, PaymentsContext

OVERPAID = "Paid online after the money was taken otherwise: the surplus goes back"


def refund_overpaid(
    ctx: PaymentsContext,
    order: Order,
    after: Order,
    payment: Payment,
    surplus: int,
    *,
    account: str,
    gateway: PaymentGateway,
) -> str:
    """`after` (the order with `payment` recorded) with `surplus` of it refunded."""
    r = gateway.refund(
        account=account,
        intent_id=payment.id,
        amount=surplus,
        reason=OVERPAID,
        idempotency_key=f"{payment.id}:overpaid",
    )
    refund = Refund(r.id, payment.id, r.amount, OVERPAID, r.status, ctx.now())
    refunded = with_refund(after, refund, ctx.now())
    record_made(
        ctx,
        order,
        refunded,
        lambda o: [
            money_in_event(ctx, o, payment),
            RefundIssued(**order_facts(ctx, o), refund_id=r.id, amount=r.amount, reason=OVERPAID),
        ],
    )
    return "refunded_overpaid"
