"""A refund by staff through Stripe, decided on the order before Stripe is asked.

Three steps, each a conditional write of the order or a call Stripe de-duplicates:

1. claim: the order as it is now is checked (what its online payments have left), the amount
   is spread over its payments, and one record per payment is written with the status
   `requested` (counted as refunded, so two desks refunding at once are decided here, on the
   order's version, and the second refused 422 before Stripe is asked); a claim that lost a
   race reads the order again and decides again;
2. Stripe refunds each record's amount with the record's `request` (`{key}:{payment id}`) as
   its idempotency key and in its metadata (`record`): a key is only ever used with the
   amount written beside it;
3. settle: each record takes Stripe's answer (its refund's `re_` id and status, with a
   RefundIssued; it keeps its `request`), on the order as it is then (re-read on a
   conflict): a refund Stripe made is always recorded.

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
from chalicelib.kernel.domain.events import RefundFailed, RefundIssued, RefundsUpdated
from chalicelib.kernel.domain.timefmt import add_seconds
from chalicelib.payments.domain.payments import (
    check_owed_back,
    check_refund,
    refund_split,
    with_refund,
)
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
    owed_back: int | None = None,
) -> Order:
    """A refund by staff: any amount up to what the online payments have left, with a
    reason; `key` (from the Idempotency-Key) names the request's records. `owed_back` (what
    the desk's page said the order owed) is checked on the order each claim reads, so the
    claim's conditional write carries it: two desks' refunds of one amount owed claim once."""
    order = get_order(ctx, order_id)
    for intent_id in stale_intents(ctx, order):  # records past their lease: settled first
        account = connected_account(accounts, ctx.tenant.id)
        settle_stale(ctx, order_id, account, intent_id, gateway=gateway)
        order = get_order(ctx, order_id)
    if not mine_of(order, key):
        check_owed_back(order, owed_back)  # the page's figure first: it says why the rest
        check_refund(order, amount)  # more than is left: refused, whatever the account
    account = connected_account(accounts, ctx.tenant.id)
    claimed = reread(lambda: _claim(ctx, order_id, amount, reason, key, owed_back))
    finish(ctx, order_id, account, claimed, gateway)
    return get_order(ctx, order_id)


def finish(
    ctx: PaymentsContext,
    order_id: str,
    account: str,
    records: list[Refund],
    gateway: PaymentGateway,
) -> None:
    """Steps 2 and 3 for claimed `records`: Stripe asked for each still `requested` (one past
    its lease: Stripe's list of the payment's refunds says what it made instead)."""
    for record in records:
        if record.status == REQUESTED and not is_stale(ctx, record):
            _ask_stripe(ctx, order_id, account, record, gateway)
        elif record.status == REQUESTED:  # a retry long after: Stripe says what it made
            settle_stale(ctx, order_id, account, record.payment_id, gateway=gateway)


def mine_of(order: Order, key: str) -> list[Refund]:
    """The records request `key` wrote (asked of Stripe or not yet)."""
    return [r for r in order.refunds if r.request.startswith(f"{key}:")]


def _claim(
    ctx: PaymentsContext, order_id: str, amount: int, reason: str, key: str, owed_back: int | None
) -> list[Refund]:
    """Step 1: this request's records on the order (written now, or by an earlier try)."""
    order = get_order(ctx, order_id)
    mine = mine_of(order, key)
    if mine:
        return mine
    check_owed_back(order, owed_back)
    check_refund(order, amount)
    after = with_claims(ctx, order, amount, reason, key)
    commit(ctx, order, after)
    return mine_of(after, key)


def with_claims(ctx: PaymentsContext, order: Order, amount: int, reason: str, key: str) -> Order:
    """Step 1's records: `amount` spread over the order's online payments, one `requested`
    record per payment, its id `{key}:{payment}` (also Stripe's idempotency key for it)."""
    now = ctx.now()
    after = order
    for payment, part in refund_split(order, amount):
        record = Refund(
            id=f"{key}:{payment.id}",
            payment_id=payment.id,
            request=f"{key}:{payment.id}",
            amount=part,
            reason=reason[:300],
            status=REQUESTED,
            at=now,
            taken_by=ctx.actor.email or ctx.actor.label,
        )
        after = with_refund(after, record, now)
    return after


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
            idempotency_key=record.request,
            record=record.request,
        )
    except UpstreamRefused:
        reread(lambda: _settle(ctx, order_id, record.request, None))
        raise
    reread(lambda: _settle(ctx, order_id, record.request, made))


def _settle(
    ctx: PaymentsContext, order_id: str, request: str, made: ProviderRefund | None
) -> Order:
    """Step 3: the record takes Stripe's answer: its refund's id and status (`failed`, under
    its own id, when Stripe refused). Done already (by the refund event's sync, or an earlier
    try): nothing is written."""
    order = get_order(ctx, order_id)
    record = next((r for r in order.refunds if r.request == request), None)
    if record is None:
        return order
    done = _as_made(record, made) if made is not None else replace(record, status="failed")
    if done == record:
        return order
    after = _swapped(order, record, done, ctx.now())
    if made is None:
        return commit(ctx, order, after)
    issued = RefundIssued(
        **order_facts(ctx, after), refund_id=done.id, amount=done.amount, reason=done.reason
    )
    return commit(ctx, order, after, issued)


def _as_made(record: Refund, made: ProviderRefund) -> Refund:
    return replace(record, id=made.id, amount=made.amount, status=made.status)


def _swapped(order: Order, old: Refund, new: Refund, at: str) -> Order:
    """`order` with the record `old` replaced by `new` (which may carry another id)."""
    others = tuple(r for r in order.refunds if r.id != old.id)
    return with_refund(replace(order, refunds=others), new, at)


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
    return commit(ctx, order, after, updated, *refund_changes(ctx, order, after))


MADE = frozenset({"pending", "succeeded"})
UNDONE = frozenset({"failed", "canceled"})  # by Stripe, after it was made


def newly_issued(ctx: PaymentsContext, before: Order, after: Order) -> list[RefundIssued]:
    """A `RefundIssued` for each refund `after` records as made at Stripe that `before` did not
    (one made in Stripe's dashboard, or a `requested` record that takes its `re_` id here,
    before the request that asked for it settles it): every refund recorded, whatever path
    recorded it, is announced once (the customer's refund message, the points taken back)."""
    known = {r.id for r in before.refunds if r.status in MADE}
    return [
        RefundIssued(**order_facts(ctx, after), refund_id=r.id, amount=r.amount, reason=r.reason)
        for r in after.refunds
        if r.status in MADE and r.id not in known
    ]


def newly_failed(ctx: PaymentsContext, before: Order, after: Order) -> list[RefundFailed]:
    """A `RefundFailed` for each refund `before` recorded as made that `after` records as
    failed or canceled at Stripe (a refund.failed days later: a closed card, a returned
    transfer): the customer told of it is corrected, the staff are alerted. Once: the
    record stays failed, and Stripe never makes a failed refund again."""
    made = {r.id: r for r in before.refunds if r.status in MADE}
    return [
        RefundFailed(
            **order_facts(ctx, after),
            payment_id=r.payment_id,
            refund_id=r.id,
            amount=made[r.id].amount,
            refund_status=r.status,
        )
        for r in after.refunds
        if r.id in made and r.status in UNDONE
    ]


def refund_changes(
    ctx: PaymentsContext, before: Order, after: Order
) -> list[RefundIssued | RefundFailed]:
    """What recording Stripe's refunds changed, as events: the refunds newly made, and those
    made before that failed since."""
    return [*newly_issued(ctx, before, after), *newly_failed(ctx, before, after)]


def as_stripe_has_them(
    ctx: PaymentsContext, order: Order, intent_id: str, made: list[ProviderRefund]
) -> Order:
    """The order with every refund Stripe `made` of `intent_id` recorded as Stripe has it: one
    made here by the order record its metadata names, one made elsewhere (the dashboard) by
    its own id; and a record of the intent still `requested` past its lease that no refund
    names is `canceled` (Stripe never made it)."""
    after = order
    known = {r.id: r for r in order.refunds}
    asked = {r.request: r for r in order.refunds if r.request}
    for r in made:
        mine = asked.get(r.record) if r.record else None
        mine = mine or known.get(r.id)
        if mine is not None:
            refund = _as_made(mine, r)
        else:
            reason = r.reason or "Refunded in Stripe"
            refund = Refund(
                r.id, intent_id, r.amount, reason, r.status, ctx.now(), request=r.record
            )
        if mine != refund:
            after = (
                _swapped(after, mine, refund, ctx.now())
                if mine
                else with_refund(after, refund, ctx.now())
            )
    named = {r.record for r in made}
    for kept in order.refunds:
        if kept.payment_id == intent_id and is_stale(ctx, kept) and kept.request not in named:
            after = with_refund(after, replace(kept, status="canceled"), ctx.now())
    return after
