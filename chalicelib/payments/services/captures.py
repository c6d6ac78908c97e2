"""Capture of a card authorisation (at check-in or check-out, by staff or on check-in), and
what happens when the order is cancelled at the same moment.

A capture never stands on a cancelled order:
- cancelled before the capture reads it: refused, 409 `order_not_capturable`, Stripe not asked;
- cancelled while Stripe captures (the request already at Stripe): the cancellation's release
  of the authorisation and the capture are one intent's two ways out, which Stripe serialises.
  Released first: Stripe refuses the capture, nothing was charged, 409 `order_not_capturable`.
  Captured first: the release finds the intent captured and leaves it (refunds._cancel_open),
  and the capture, finding the order cancelled when it writes, records the payment refunded at
  once (`refunds.late_payment`, under the idempotency key Stripe's own event of the capture
  uses too, so only one refund is ever made): no `PaymentReceived`, one `RefundIssued` (the
  customer's refund message), and the answer is 409 `order_not_capturable` saying so.
"""

from __future__ import annotations

import time
from dataclasses import replace

from chalicelib.booking.domain.order_money import balance
from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.domain.payment_records import AttemptStatus, Payment
from chalicelib.booking.services.booking import order_facts
from chalicelib.booking.services.orders import get_order
from chalicelib.kernel.domain.errors import (
    Conflict,
    InvalidInput,
    TransientFailure,
    UpstreamRefused,
)
from chalicelib.kernel.domain.events import PaymentReceived
from chalicelib.kernel.domain.money import to_provider_amount
from chalicelib.kernel.services.rereads import after_loss
from chalicelib.payments.domain.payments import find_payment, intent_status, with_payment
from chalicelib.payments.services.payment_orders import (
    commit,
    connected_account,
    record_released,
)
from chalicelib.payments.services.payment_ports import (
    Intent,
    PaymentAccounts,
    PaymentGateway,
    PaymentsContext,
)
from chalicelib.payments.services.refunds import late_payment

S = BookingStatus
A = AttemptStatus
CAPTURABLE = (S.CONFIRMED, S.CHECKED_IN, S.COMPLETED)
CAPTURE_WAITS = (0.1, 0.2, 0.4, 0.8)  # seconds: another capture of this card landing


class NotCapturable(Conflict):
    """The order is not (or no longer) one whose card is captured."""

    code = "order_not_capturable"


def capture(
    ctx: PaymentsContext,
    order_id: str,
    *,
    amount: int | None,
    gateway: PaymentGateway,
    accounts: PaymentAccounts,
) -> Order:
    """Capture the authorisation (at check-in or check-out), all of it or less; without an
    amount, what the order now costs when that is less (a stay shortened after it was
    authorised), never more than was authorised."""
    order = get_order(ctx, order_id)
    if order.status not in CAPTURABLE:
        raise NotCapturable("Capture a confirmed or checked-in order.")
    held = next((p for p in order.payments if p.status is A.AUTHORISED), None)
    if held is None:
        raise Conflict("The order has no authorisation to capture.", code="nothing_to_capture")
    # What is still owed: money taken otherwise meanwhile (at the desk) is not taken again.
    owed = to_provider_amount(max(0, balance(order)), order.currency)
    account = connected_account(accounts, ctx.tenant.id)
    if amount is None and owed == 0:
        return _release(ctx, order, held, account, gateway, "Paid otherwise")
    take = min(held.amount, owed) if amount is None else amount
    check = to_provider_amount(take, order.currency)
    if not 0 < take <= min(held.amount, owed) or check != take:
        top = min(held.amount, owed)
        raise InvalidInput(  # the amount's rule, not the order's state: 422, as refunds'
            f"Capture 1 to {top} (in the currency's steps).",
            code="invalid_amount",
            field="amount",
            most=top,
        )
    try:
        intent = gateway.capture(
            account, held.id, amount=take, idempotency_key=f"{held.id}:capture"
        )
    except UpstreamRefused as refused:
        intent = _captured_meanwhile(ctx, order_id, held, account, gateway, refused)
    got = replace(
        held,
        status=intent_status(intent.status),
        received=intent.amount_received,
        updated_at=ctx.now(),
    )
    return _record_capture(ctx, order, got, account, gateway)


def _captured_meanwhile(
    ctx: PaymentsContext,
    order_id: str,
    held: Payment,
    account: str,
    gateway: PaymentGateway,
    refused: UpstreamRefused,
) -> Intent:
    """Stripe refused the capture: released by the order's cancellation (409, nothing was
    charged), or another request's capture of the same authorisation (two staff at once: an
    outside tester's 502). Stripe refuses the second while the first is still under way (one
    idempotency key per authorisation), so the intent is read again, a little later each time
    (`CAPTURE_WAITS`), until that capture has landed: recorded as Stripe has it, once. Still
    under way then (Stripe said 409): 503, retry. Anything else is Stripe's refusal (502)."""
    if get_order(ctx, order_id).status is S.CANCELLED:  # released by its cancellation
        raise NotCapturable(
            "The order was cancelled meanwhile and its authorisation released: nothing was charged."
        ) from None
    intent = gateway.get_payment_intent(account, held.id)
    for wait in CAPTURE_WAITS:
        if intent_status(intent.status) is not A.AUTHORISED:
            break
        time.sleep(wait)
        intent = gateway.get_payment_intent(account, held.id)
    status = intent_status(intent.status)
    if status is A.SUCCEEDED:
        return intent
    if status is A.AUTHORISED and refused.details.get("provider_status") == 409:
        raise TransientFailure("Another capture of this card is under way; retry.") from refused
    raise refused


def _record_capture(
    ctx: PaymentsContext, order: Order, got: Payment, account: str, gateway: PaymentGateway
) -> Order:
    """What Stripe captured, written over the order as read; when the order changed meanwhile,
    onto the order as it now is (read again), never dropped while the money has moved. On an
    order cancelled meanwhile it is a payment refunded at once, and the capture is refused."""
    attempt = 0
    while True:
        recorded = find_payment(order, got.id)
        if order.status is S.CANCELLED:
            _refund_at_once(ctx, order, got, recorded, account, gateway)
        if recorded is not None and recorded.status is A.SUCCEEDED:
            return order  # recorded meanwhile (Stripe's event of it, a second capture)
        try:
            after = with_payment(order, got, ctx.now())
            event = PaymentReceived(
                **order_facts(ctx, after), payment_id=got.id, amount=got.received
            )
            return commit(ctx, order, after, event)
        except Conflict as exc:
            after_loss(exc, attempt)
            attempt += 1
        order = get_order(ctx, order.id)


def _refund_at_once(
    ctx: PaymentsContext,
    order: Order,
    got: Payment,
    recorded: Payment | None,
    account: str,
    gateway: PaymentGateway,
) -> None:
    """The capture landed on an order cancelled while Stripe captured: the money goes back at
    once (late_payment; nothing to do when Stripe's event of the capture recorded it already,
    and refunded it, on the cancelled order), and the capture is refused with what was
    refunded. Whatever else the order says of the attempt (authorised; or released, had a
    stand-in for Stripe let a captured intent be cancelled), Stripe has just captured it."""
    if got.status is A.SUCCEEDED and (recorded is None or recorded.status is not A.SUCCEEDED):
        late_payment(
            ctx,
            order,
            with_payment(order, got, ctx.now()),
            got,
            account=account,
            gateway=gateway,
        )
    raise NotCapturable(
        "The order was cancelled while its card was being captured: what was captured "
        "was refunded at once.",
        refunded=got.received,
    )


def _release(
    ctx: PaymentsContext,
    order: Order,
    held: Payment,
    account: str,
    gateway: PaymentGateway,
    reason: str,
) -> Order:
    """Let an authorisation go uncaptured (the order was paid otherwise)."""
    intent = gateway.cancel(account, held.id, idempotency_key=f"{held.id}:release")
    return record_released(ctx, order, held, intent.status, reason)
