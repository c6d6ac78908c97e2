"""The order side of online money, shared by payments (money in) and refunds (money back):
the tenant's connected account, the payment policy of an order, the commit of an order change
with its events, the event of money in, and the revival of an expired hold whose money arrived
late. Both use-case modules build on this one, and payments hands a late payment to refunds:
this module is what keeps that one-way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import wraps
from typing import ParamSpec, TypeVar

from chalicelib.booking.domain.orders import BookingStatus, Order, status_words
from chalicelib.booking.domain.payment_records import Payment, PaymentKind
from chalicelib.booking.services.booking import current_takes, order_facts, status_change
from chalicelib.booking.services.order_unit_of_work import OrderUnitOfWork
from chalicelib.booking.services.orders import get_order
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.errors import Conflict, HoldExpired
from chalicelib.kernel.domain.events import (
    CardSaved,
    DomainEvent,
    OrderConfirmed,
    PaymentAuthorised,
    PaymentReceived,
    PaymentReleased,
)
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.rereads import after_loss, decide_again
from chalicelib.kernel.services.transaction_ports import TransactionItem
from chalicelib.payments.domain.payments import (
    PaymentsNotEnabled,
    intent_status,
    with_payment,
    with_refund,
)
from chalicelib.payments.services.payment_ports import PaymentAccounts, PaymentsContext

T = TypeVar("T")
P = ParamSpec("P")
MoneyIn = type[PaymentReceived] | type[PaymentAuthorised] | type[CardSaved]
RECEIVED_EVENTS: dict[PaymentKind, MoneyIn] = {
    PaymentKind.AUTHORISATION: PaymentAuthorised,
    PaymentKind.CARD_ON_FILE: CardSaved,
}


@value
class Policy:
    manual_capture: bool
    no_show_fee: int
    collects_later: bool = False  # a balance or instalments charged when due

    @property
    def keep_card(self) -> bool:
        """The card paid with is saved for a later charge (off-session)."""
        return self.no_show_fee > 0 or self.collects_later


def check_live_hold(ctx: PaymentsContext, order: Order) -> None:
    """Only a hold not yet run out is paid for online or settled: 409 `order_not_held`, else
    409 `hold_expired`."""
    if order.status is not BookingStatus.HELD:
        raise Conflict(
            f"Only a held order is paid online; this one is {status_words(order.status)}.",
            code="order_not_held",
        )
    if order.hold_expires_at and order.hold_expires_at <= ctx.now():
        raise HoldExpired("The hold has run out; book again.")


def takes_online(accounts: PaymentAccounts, tenant_id: str) -> bool:
    """The business can charge a card now (what `connected_account` would not refuse)."""
    link = accounts.get(tenant_id)
    return bool(link.account_id and link.charges_enabled)


def connected_account(accounts: PaymentAccounts, tenant_id: str) -> str:
    link = accounts.get(tenant_id)
    if not link.account_id or not link.charges_enabled:
        raise PaymentsNotEnabled(
            "This business takes no online payments yet: book and pay at the venue.",
            connected=bool(link.account_id),
        )
    return link.account_id


def order_policy(ctx: PaymentsContext, cache: CatalogCache, order: Order) -> Policy:
    """The strictest policy among the order's offerings (a removed offering counts as none)."""
    snapshot = cache.get(ctx.tenant.id, ctx.data.catalog)
    manual, fee, later = False, 0, False
    for line in order.lines:
        offering = snapshot.offerings.get(line.offering_id)
        if offering is not None:
            manual = manual or offering.deposit.manual_capture
            fee = max(fee, offering.deposit.no_show_fee)
            later = later or offering.deposit.collects_later
    return Policy(manual, fee, later)


def commit(
    ctx: PaymentsContext,
    before: Order,
    after: Order,
    *events: DomainEvent,
    items: Sequence[TransactionItem] = (),
) -> Order:
    """The order over the version it was read at, its events and any other `items` (a desk
    record's takings entry), in one transaction."""
    with OrderUnitOfWork(ctx) as uow:
        uow.put_order(after, before=before)
        uow.add(*items)
        uow.record(*events)
        uow.commit()
    return after


def record_made(
    ctx: PaymentsContext,
    before: Order,
    after: Order,
    events: Callable[[Order], Sequence[DomainEvent]],
    *,
    items: Sequence[TransactionItem] = (),
) -> Order:
    """Commit what already happened at Stripe (a capture, a refund, a charge, a release):
    over the version read; when the order changed meanwhile, the same payment and refund
    records are written onto the order as it now is (read again), never dropped with a 409
    while the money has moved (one that keeps losing is a 503: the retry, or Stripe's event
    of it, records it once). `events` makes the events for the order as written."""
    attempt = 0
    while True:
        try:
            return commit(ctx, before, after, *events(after), items=items)
        except Conflict as exc:
            after_loss(exc, attempt)
            attempt += 1
        fresh = get_order(ctx, before.id)
        after, before = replayed(before, after, fresh, ctx.now()), fresh
        if after is fresh:  # recorded meanwhile (Stripe's event, a retry): nothing to write
            return fresh


def record_released(
    ctx: PaymentsContext, order: Order, held: Payment, provider_status: str, reason: str
) -> Order:
    """An attempt Stripe cancelled (an authorisation let go, an open payment cancelled),
    recorded with its `PaymentReleased` (record_made: onto the order as it now is)."""
    gone = replace(held, status=intent_status(provider_status), updated_at=ctx.now())
    after = with_payment(order, gone, ctx.now())
    return record_made(
        ctx,
        order,
        after,
        lambda o: [PaymentReleased(**order_facts(ctx, o), payment_id=held.id, reason=reason)],
    )


def replayed(before: Order, after: Order, fresh: Order, at: str) -> Order:
    """`fresh` with the payment and refund records `after` changed or added since `before`
    (each as `after` has it, unless `fresh` has it so already). "So already" is the record's
    money and state, not when it was written: two captures of one authorisation at once (Stripe
    captures once, under one idempotency key) stamp their records at different instants, and
    the loser of the commit found the winner's record "different" and wrote the payment, and
    its `PaymentReceived` (an e-mail, a webhook), a second time."""
    was_p = {p.id: _timeless(p) for p in before.payments}
    now_p = {p.id: _timeless(p) for p in fresh.payments}
    for p in after.payments:
        if _timeless(p) not in (was_p.get(p.id), now_p.get(p.id)):
            fresh = with_payment(fresh, p, at)
    was_r = {r.id: replace(r, at="") for r in before.refunds}
    now_r = {r.id: replace(r, at="") for r in fresh.refunds}
    for r in after.refunds:
        if replace(r, at="") not in (was_r.get(r.id), now_r.get(r.id)):
            fresh = with_refund(fresh, r, at)
    return fresh


def _timeless(p: Payment) -> Payment:
    return replace(p, updated_at="")


def reread(change: Callable[[], T]) -> T:
    """Run a read-decide-commit `change` again when its commit lost a race (409
    `version_mismatch` from the order's conditional write): the caller sent no version, so it
    is decided again on the order as it now is, never answered with a version it never saw
    (kernel/services/rereads.py: a pause between tries, and 503 to one that keeps losing)."""
    return decide_again(change)


def rereading(use_case: Callable[P, T]) -> Callable[P, T]:
    """A read-decide-commit use case run again, whole, when its commit lost a race (`reread`)."""

    @wraps(use_case)
    def again(*args: P.args, **kwargs: P.kwargs) -> T:
        return reread(lambda: use_case(*args, **kwargs))

    return again


def amount_in(payment: Payment) -> int:
    """What a payment brought in: what was received, else what was asked."""
    return payment.received or payment.amount


def money_in_event(
    ctx: PaymentsContext, order: Order, payment: Payment
) -> PaymentReceived | PaymentAuthorised | CardSaved:
    """The event of money in: received, authorised, or a card saved (by the payment's kind)."""
    event = RECEIVED_EVENTS.get(payment.kind, PaymentReceived)
    return event(**order_facts(ctx, order), payment_id=payment.id, amount=amount_in(payment))


def revive(ctx: PaymentsContext, order: Order, after: Order, payment: Payment) -> Order:
    """An expired hold whose payment arrived: re-take its units (and what it redeemed) and
    confirm, in one transaction. Raises SlotUnavailable when someone else has them now, a
    Conflict of `REDEMPTION_REFUSALS` when its coupon's use or points are gone."""
    revived = after.revived(at=ctx.now(), actor=ctx.actor.label)
    # Checked against the resources as they are now: capacity may have been lowered, or the
    # day closed, since the hold expired and gave its units back.
    takes, revs = current_takes(ctx, order.takes)
    # Its coupon's use and its points, which its expiry gave back (or is about to).
    kept = ctx.data.redeemer.retake(ctx, order) if order.redemptions else ()
    with OrderUnitOfWork(ctx) as uow:
        uow.put_order(revived, before=order)
        uow.take(takes)
        uow.check_revisions(revs)
        uow.add(*kept)
        uow.record(
            money_in_event(ctx, revived, payment),
            OrderConfirmed(**status_change(ctx, order, revived), by="payment"),
        )
        uow.commit()
    return revived
