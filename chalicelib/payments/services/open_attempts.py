"""Staff cancel the customer's open online payment of an order (the manage page's card form
for the balance or an instalment, left unpaid), so that the money can be taken at the desk
instead (desk.py refuses while one is open: 409 `online_payment_open`).

Stripe cancels an intent only while nobody is paying it: one being paid (processing,
succeeded a second ago) is refused (409 `online_payment_under_way`) and its webhook records
it. The attempt is recorded `canceled` with a `PaymentReleased` (the audit log's entry).
"""

from __future__ import annotations

from chalicelib.booking.domain.orders import Order
from chalicelib.booking.services.orders import get_order
from chalicelib.kernel.domain.errors import Conflict, NotFound
from chalicelib.payments.domain.collection import open_online
from chalicelib.payments.domain.payments import ProviderError
from chalicelib.payments.services.payment_orders import connected_account, record_released
from chalicelib.payments.services.payment_ports import (
    PaymentAccounts,
    PaymentGateway,
    PaymentsContext,
)

CANCELLED_BY_STAFF = "Cancelled by staff, to take the money at the desk"


def cancel_attempt(
    ctx: PaymentsContext,
    order_id: str,
    payment_id: str,
    *,
    gateway: PaymentGateway,
    accounts: PaymentAccounts,
) -> Order:
    order = get_order(ctx, order_id)
    if not any(p.id == payment_id for p in order.payments):
        raise NotFound("The order has no such payment.", code="payment_not_found")
    held = next((p for p in open_online(order) if p.id == payment_id), None)
    if held is None:
        raise Conflict(
            "That payment is not an open online payment of the balance.", code="payment_not_open"
        )
    account = connected_account(accounts, ctx.tenant.id)
    try:
        intent = gateway.cancel(account, payment_id, idempotency_key=f"{payment_id}:staff-cancel")
    except ProviderError:
        intent = None
    if intent is None or intent.status != "canceled":
        raise Conflict(
            "The customer is paying it right now: wait for the payment to be recorded.",
            code="online_payment_under_way",
            payment_id=payment_id,
        )
    return record_released(ctx, order, held, intent.status, CANCELLED_BY_STAFF)
