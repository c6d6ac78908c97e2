"""Online payments for orders: start one for a held order, and bring an order in line with
what Stripe says about an intent (webhooks hand the intent id to the payments worker, which
fetches its current state: events may come in any order, twice, or not at all).

Invariants kept here:
- never a paid order without its inventory: money on a held order confirms it in the same
  transaction that records the payment; money on an expired order re-takes its units in one
  transaction, or is refunded (an authorisation released) with the reason on the order;
- every Stripe write has an idempotency key derived from the order and the attempt.
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.domain.payment_records import (
    AttemptStatus,
    CardOnFile,
    Payment,
    PaymentKind,
)
from chalicelib.booking.services.booking import order_facts, status_change
from chalicelib.booking.services.orders import get_order
from chalicelib.booking.services.own_orders import ManageTokenSecret, own_order_to_change
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.events import OrderConfirmed, PaymentFailed, PaymentStarted
from chalicelib.kernel.domain.values import value
from chalicelib.payments.domain.payments import (
    NothingToPay,
    ProviderError,
    due_online,
    find_payment,
    intent_status,
    next_attempt,
    open_attempt,
    overpaid,
    unpaid_to_confirm,
    with_card,
    with_payment,
)
from chalicelib.payments.services.collection import planned
from chalicelib.payments.services.gift_card_ports import SALE_KIND, GiftCardTender
from chalicelib.payments.services.gift_card_refunds import EXPIRED_REASON
from chalicelib.payments.services.overpaid import refund_overpaid
from chalicelib.payments.services.payment_orders import (
    amount_in,
    check_live_hold,
    commit,
    connected_account,
    money_in_event,
    order_policy,
    rereading,
)
from chalicelib.payments.services.payment_ports import (
    Intent,
    PaymentAccounts,
    PaymentGateway,
    PaymentsContext,
)
from chalicelib.payments.services.refunds import SHORT_OF_ORDER, give_back, late_payment
from chalicelib.tenancy.domain.plans import platform_fee

S = BookingStatus
A = AttemptStatus
SYNC_ATTEMPTS = 3


@value
class Started:
    order: Order
    payment: Payment
    client_secret: str | None
    account: str  # the tenant's connected Stripe account, which the widget collects on


@rereading  # two tabs of the manage page at once: the loser finds the winner's attempt
def start_payment(
    ctx: PaymentsContext,
    order_id: str,
    *,
    gateway: PaymentGateway,
    accounts: PaymentAccounts,
    cache: CatalogCache,
) -> Started:
    """What the widget needs to collect the money for a held order. An attempt the customer
    can still complete is reused; a new one gets the key `<order>:attempt:<n>`, so a retried
    request (even one whose first try died before recording) finds Stripe's first intent."""
    order = get_order(ctx, order_id)
    check_live_hold(ctx, order)
    account = connected_account(accounts, ctx.tenant.id)
    policy = order_policy(ctx, cache, order)
    due = due_online(order, manual_capture=policy.manual_capture, keep_card=policy.keep_card)
    if due is None:
        raise NothingToPay("Nothing is paid online for this booking: it is paid at the venue.")
    kind, amount = due
    existing = open_attempt(order, kind, amount)
    if existing is not None:
        intent = _fetch(gateway, account, existing)
        return Started(planned(ctx, cache, order), existing, intent.client_secret, account)
    attempt = next_attempt(order)
    key = f"{order.id}:attempt:{attempt}"
    metadata = {
        "tenant_id": ctx.tenant.id,
        "order_id": order.id,
        "attempt": str(attempt),
        "kind": kind.value,
        "save_card": "1" if policy.keep_card else "0",
    }
    customer = None
    if policy.keep_card:
        customer = gateway.create_customer(
            account=account,
            email=order.customer.email,
            name=order.customer.name,
            metadata={"tenant_id": ctx.tenant.id, "order_id": order.id},
            idempotency_key=f"{order.id}:customer",
        )
    fee = 0
    if kind is PaymentKind.CARD_ON_FILE:
        assert customer is not None
        intent = gateway.create_setup_intent(
            account=account, customer=customer, metadata=metadata, idempotency_key=key
        )
    else:
        fee = platform_fee(ctx.tenant.plan, amount)
        intent = gateway.create_payment_intent(
            account=account,
            amount=amount,
            currency=order.currency,
            application_fee=fee,
            manual_capture=kind is PaymentKind.AUTHORISATION,
            save_card=policy.keep_card,
            customer=customer,
            metadata=metadata,
            idempotency_key=key,
        )
    now = ctx.now()
    payment = Payment(
        id=intent.id,
        kind=kind,
        amount=amount,
        attempt=attempt,
        status=intent_status(intent.status, failed=intent.error_code is not None),
        fee=fee,
        created_at=now,
        updated_at=now,
    )
    after = with_payment(order, payment, now)
    started = PaymentStarted(**order_facts(ctx, after), payment_id=intent.id, amount=amount)
    commit(ctx, order, after, started)
    # With its plan, as the confirmation will store it: the payment step lists the dates.
    return Started(planned(ctx, cache, after), payment, intent.client_secret, account)


def pay_own_order(
    ctx: PaymentsContext,
    secrets: ManageTokenSecret,
    order_id: str,
    token: str | None,
    *,
    gateway: PaymentGateway,
    accounts: PaymentAccounts,
    cache: CatalogCache,
) -> Started:
    """The customer pays for their held booking, reached with its manage token
    (booking/services/own_orders.py checks the token)."""
    order = own_order_to_change(ctx, secrets, order_id, token)
    return start_payment(ctx, order.id, gateway=gateway, accounts=accounts, cache=cache)


def _fetch(gateway: PaymentGateway, account: str, payment: Payment) -> Intent:
    if payment.id.startswith("seti_"):
        return gateway.get_setup_intent(account, payment.id)
    return gateway.get_payment_intent(account, payment.id)


# -- what Stripe says now --------------------------------------------------------------------


def sync_intent(
    ctx: PaymentsContext,
    account: str,
    intent_id: str,
    *,
    gateway: PaymentGateway,
    sales: GiftCardTender | None = None,
) -> str:
    """Fetch the intent and make the order agree with it (or, for an intent that sold a gift
    card, hand it to `sales`, which issues the card). Returns what happened."""
    try:
        intent = (
            gateway.get_setup_intent(account, intent_id)
            if intent_id.startswith("seti_")
            else gateway.get_payment_intent(account, intent_id)
        )
    except ProviderError as exc:
        if exc.details.get("provider_status") == 404:
            return "not_ours"  # not an intent of this account: nothing to retry
        raise
    if intent.metadata.get("tenant_id") != ctx.tenant.id:
        return "not_ours"  # an intent of the account that this platform did not make
    if intent.metadata.get("kind") == SALE_KIND:
        return sales.settle_sale(ctx, intent) if sales is not None else "ignored"
    for _ in range(SYNC_ATTEMPTS):
        order = ctx.data.orders.get(intent.metadata.get("order_id", ""))
        if order is None:
            return "unknown_order"
        try:
            return _apply(ctx, order, intent, account, gateway)
        except Conflict:
            continue  # the order changed meanwhile (expired, cancelled): decide again
    raise Conflict("The order kept changing while recording its payment.", code="busy")


def _recorded(order: Order, intent: Intent, now: str) -> Payment:
    known = find_payment(order, intent.id)
    if known is not None:
        return known
    # Created at Stripe, but the process died before the order recorded it (or an off-session
    # charge): rebuild the attempt from the intent's own metadata.
    meta = intent.metadata
    return Payment(
        id=intent.id,
        kind=PaymentKind(meta.get("kind", PaymentKind.FULL.value)),
        amount=intent.amount,
        attempt=int(meta.get("attempt") or next_attempt(order)),
        status=A.PENDING,
        created_at=now,
        updated_at=now,
    )


def _apply(
    ctx: PaymentsContext, order: Order, intent: Intent, account: str, gateway: PaymentGateway
) -> str:
    now = ctx.now()
    before = _recorded(order, intent, now)
    status = intent_status(intent.status, failed=intent.error_code is not None)
    setup = intent.id.startswith("seti_")
    payment = replace(
        before,
        status=status,
        received=intent.amount_received if status is A.SUCCEEDED and not setup else 0,
        error=intent.error_code if status is A.FAILED else None,
    )
    money_in = status in (A.SUCCEEDED, A.AUTHORISED)
    if payment == before and find_payment(order, intent.id) is not None:
        # Nothing new: money is only ever recorded together with its consequence (the
        # confirmation, the re-take or the refund), so there is nothing left to do.
        return "unchanged"
    after = with_payment(order, replace(payment, updated_at=now), now)
    if money_in and intent.customer and intent.payment_method and (setup or _saves(intent)):
        after = with_card(after, CardOnFile(intent.customer, intent.payment_method), now)
    if money_in:
        return _money_in(ctx, order, after, payment, intent, account=account, gateway=gateway)
    if status is A.FAILED and before.status is not A.FAILED:
        failed = PaymentFailed(
            **order_facts(ctx, after),
            payment_id=payment.id,
            amount=amount_in(payment),
            code=payment.error,
        )
        commit(ctx, order, after, failed)
        return "failed"
    commit(ctx, order, after)
    return "updated"


def _money_in(
    ctx: PaymentsContext,
    order: Order,
    after: Order,
    payment: Payment,
    intent: Intent,
    *,
    account: str,
    gateway: PaymentGateway,
) -> str:
    """Money in (received or authorised) for `order` as read; `after` records it. A payment
    that no longer covers what confirming the order asks (it was started before the customer
    made the held order bigger) confirms or revives nothing and goes back (refunds.give_back:
    refunded, or an authorisation released), and the widget's next payment asks what the hold
    asks now."""
    if order.status in (S.HELD, S.EXPIRED) and _short(order, after, payment):
        return give_back(
            ctx, order, after, payment, SHORT_OF_ORDER, account=account, gateway=gateway
        )
    if order.status is S.HELD:
        return _confirm(ctx, order, after, payment, intent)
    if order.status in (S.EXPIRED, S.CANCELLED):
        return late_payment(ctx, order, after, payment, account=account, gateway=gateway)
    surplus = overpaid(order, payment)
    if surplus > 0:
        return refund_overpaid(
            ctx, order, after, payment, surplus, account=account, gateway=gateway
        )
    commit(ctx, order, after, money_in_event(ctx, after, payment))
    return "recorded"


def _short(order: Order, after: Order, payment: Payment) -> bool:
    """Whether the order, with this payment recorded, still lacks what confirming it asks
    online (an authorisation is measured against the total, anything else the deposit). An
    expired hold counts what its expiry gave back as kept (its gift card's part: the late
    card payment revives it, owing that part, as before), but not what was given back for
    falling short of it before (`SHORT_OF_ORDER`)."""
    manual = payment.kind is PaymentKind.AUTHORISATION
    if order.status is S.EXPIRED:  # the expiry's give-back, not an earlier short payment's
        after = replace(
            after, refunds=tuple(r for r in after.refunds if r.reason != EXPIRED_REASON)
        )
    return unpaid_to_confirm(after, manual_capture=manual) > 0


def _saves(intent: Intent) -> bool:
    return intent.metadata.get("save_card") == "1"


def _confirm(
    ctx: PaymentsContext, order: Order, after: Order, payment: Payment, intent: Intent
) -> str:
    """Money for a held order: record it and confirm the order in one transaction."""
    confirmed = after.transition(S.CONFIRMED, at=ctx.now(), actor=ctx.actor.label)
    commit(
        ctx,
        order,
        confirmed,
        money_in_event(ctx, confirmed, payment),
        OrderConfirmed(**status_change(ctx, order, confirmed), by="payment"),
    )
    return "confirmed"
