"""A refund by staff through Stripe, decided on the order before Stripe is asked.

Three steps, each a conditional write of the order or a call Stripe de-duplicates:

1. claim: the order as it is now is checked (what its online payments have left), the amount
   is spread over its payments, and one record per payment is written with the status
   `requested` (counted as refunded, so two desks refunding at once are decided here, on the
   order's version, and the second refused 422 before Stripe is asked); a claim that lost a
   race reads the order again and decides again;
2. Stripe refunds each record's amount with the record's id as its idempotency key and in its
   metadata (`record`): a key is only ever used with the amount written beside it;
3. settle: each record takes Stripe's answer (status, RefundIssued), on the order as it is
   then (re-read on a conflict): a refund Stripe made is always recorded.

A crash between the steps loses nothing: a retry of the request (same Idempotency-Key, same
record ids) finishes its own records; Stripe's refund events (`sync_refunds`) record a refund
by the record its metadata names; and a record still `requested` after `LEASE_SECONDS` (no
request can still be asking Stripe for it: the API's functions time out long before) is
settled from what Stripe has for it: recorded if Stripe made it, `canceled` if not. That check
runs on the next refund of the order, on a refund event of the payment, and on a retry.
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.domain.orders import Order
from chalicelib.booking.domain.payment_records import Refund
from chalicelib.booking.services.booking import order_facts
from chalicelib.booking.services.orders import get_order
from chalicelib.kernel.domain.errors import UpstreamRefused
from chalicelib.kernel.domain.events import RefundIssued, RefundsUpdated
from chalicelib.kernel.domain.timefmt import add_seconds
from chalicelib.payments.domain.payments import check_refund, refund_split, with_refund
from chalicelib.payments.services.payment_orders import commit, connected_account, reread
from chalicelib.payments.services.payment_ports import (
    PaymentAccounts,
    PaymentGateway,
    PaymentsContext,
    ProviderRefund,
)

REQUESTED = "requested"  # on the order, Stripe not known to have answered yet
LEASE_SECONDS = 300  # well past the API function's timeout (30 s) and Stripe's client retries


def refund_order(
    ctx: PaymentsContext,
    order_id: str,
    *,
    amount: int,
    reason: str,
    key: str,
    gateway: PaymentGateway,
    accounts: PaymentAccounts,
) -> Order:
    """A refund by staff: any amount up to what the online payments have left, with a
    reason; `key` (from the Idempotency-Key) names the request's records."""
    order = get_order(ctx, order_id)
    for intent_id in stale_intents(ctx, order):  # records past their lease: settled first
        account = connected_account(accounts, ctx.tenant.id)
        settle_stale(ctx, order_id, account, intent_id, gateway=gateway)
        order = get_order(ctx, order_id)
    if not _mine(order, key):
        check_refund(order, amount)  # more than is left: refused, whatever the account
    account = connected_account(accounts, ctx.tenant.id)
    claimed = reread(lambda: _claim(ctx, order_id, amount, reason, key))
    for record in claimed:
        if record.status == REQUESTED and not is_stale(ctx, record):
            _ask_stripe(ctx, order_id, account, record, gateway)
        elif record.status == REQUESTED:  # a retry long after: Stripe says what it made
            settle_stale(ctx, order_id, account, record.payment_id, gateway=gateway)
    return get_order(ctx, order_id)


def _mine(order: Order, key: str) -> list[Refund]:
    return [r for r in order.refunds if r.id.startswith(f"{key}:")]


def _claim(ctx: PaymentsContext, order_id: str, amount: int, reason: str, key: str) -> list[Refund]:
    """Step 1: this request's records on the order (written now, or by an earlier try)."""
    order = get_order(ctx, order_id)
    mine = _mine(order, key)
    if mine:
        return mine
    check_refund(order, amount)
    now = ctx.now()
    after = order
    for payment, part in refund_split(order, amount):
        record = Refund(
            id=f"{key}:{payment.id}",  # also Stripe's idempotency key for this part
            payment_id=payment.id,
            amount=part,
            reason=reason[:300],
            status=REQUESTED,
            at=now,
            taken_by=ctx.actor.email or ctx.actor.label,
        )
        after = with_refund(after, record, now)
    commit(ctx, order, after)
    return _mine(after, key)


def _ask_stripe(
    ctx: PaymentsContext, order_id: str, account: str, record: Refund, gateway: PaymentGateway
) -> None:
    """Step 2 and 3. A refusal (Stripe answered no) marks the record failed and is raised; a
    failure that leaves Stripe's answer unknown (busy, timed out) leaves it `requested` for a
    retry or the lease to settle."""
    try:
        made = gateway.refund(
            account=account,
            intent_id=record.payment_id,
            amount=record.amount,
            reason=record.reason,
            idempotency_key=record.id,
            record=record.id,
        )
    except UpstreamRefused:
        reread(lambda: _settle(ctx, order_id, record.id, None))
        raise
    reread(lambda: _settle(ctx, order_id, record.id, made))


def _settle(
    ctx: PaymentsContext, order_id: str, record_id: str, made: ProviderRefund | None
) -> Order:
    """Step 3: the record takes Stripe's answer (its status; `failed` when it refused). Done
    already (by the refund event's sync, or an earlier try): nothing is written."""
    order = get_order(ctx, order_id)
    record = next((r for r in order.refunds if r.id == record_id), None)
    status = made.status if made is not None else "failed"
    if record is None or record.status == status:
        return order
    after = with_refund(order, replace(record, status=status), ctx.now())
    if made is None:
        return commit(ctx, order, after)
    issued = RefundIssued(
        **order_facts(ctx, after), refund_id=record.id, amount=record.amount, reason=record.reason
    )
    return commit(ctx, order, after, issued)


def is_stale(ctx: PaymentsContext, record: Refund) -> bool:
    return record.status == REQUESTED and record.at < add_seconds(ctx.now(), -LEASE_SECONDS)


def stale_intents(ctx: PaymentsContext, order: Order) -> list[str]:
    """The payments with a record no request can still be asking Stripe for."""
    return sorted({r.payment_id for r in order.refunds if is_stale(ctx, r)})


def settle_stale(
    ctx: PaymentsContext, order_id: str, account: str, intent_id: str, *, gateway: PaymentGateway
) -> None:
    """The refunds of `intent_id` as Stripe has them now, recorded (`as_stripe_has_them`)."""
    made = gateway.refunds_of(account, intent_id)
    reread(lambda: _settle_stale(ctx, order_id, intent_id, made))


def _settle_stale(
    ctx: PaymentsContext, order_id: str, intent_id: str, made: list[ProviderRefund]
) -> Order:
    order = get_order(ctx, order_id)
    after = as_stripe_has_them(ctx, order, intent_id, made)
    if after is order:
        return order
    updated = RefundsUpdated(**order_facts(ctx, after), payment_id=intent_id)
    return commit(ctx, order, after, updated)


def as_stripe_has_them(
    ctx: PaymentsContext, order: Order, intent_id: str, made: list[ProviderRefund]
) -> Order:
    """The order with every refund Stripe `made` of `intent_id` recorded as Stripe has it: one
    made here by the order record its metadata names, one made elsewhere (the dashboard) by
    its own id; and a record of the intent still `requested` past its lease that no refund
    names is `canceled` (Stripe never made it)."""
    after = order
    known = {r.id: r for r in order.refunds}
    for r in made:
        mine = known.get(r.record or r.id)
        if mine is not None:
            refund = replace(mine, amount=r.amount, status=r.status)
        else:
            reason = r.reason or "Refunded in Stripe"
            refund = Refund(r.record or r.id, intent_id, r.amount, reason, r.status, ctx.now())
        if mine != refund:
            after = with_refund(after, refund, ctx.now())
    named = {r.record for r in made}
    for kept in order.refunds:
        if kept.payment_id == intent_id and is_stale(ctx, kept) and kept.id not in named:
            after = with_refund(after, replace(kept, status="canceled"), ctx.now())
    return after
