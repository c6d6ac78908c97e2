"""Points a refund takes back: a booking earned points on what it billed (redemption_consumers
.earn); money refunded on it takes back the same share of those points.

The rule (customers/domain/loyalty.taken_back_due): what all the order's refunds so far are
due is its points times the refunded share of what it billed, rounded down, so several
partial refunds add up to no more than it earned, and refunding the whole bill takes all of
it. The earning's mark `ern_<order>` keeps the points and the bill it earned on; the order's
`tkn_<order>` keeps what its refunds were due so far. A refund's take-back is the new due less
that, in one transaction with: the refund's own mark `tkb_<order>_<refund>` (on condition that
it is new: a second delivery of the event changes nothing), `tkn_<order>` set on condition
that it is as read (two refunds' take-backs at once: one reads again), the debit (never below
zero, on condition of the balance), and a `taken_back` ledger entry. What the balance no longer
holds (spent already, or expired) stays spent: the entry takes what there is and says how
many it could not (`note`), and those are not asked again by a later refund.

A change of the bill after completion takes back the same way (probe: points stayed after a
discount or a void): a discount given (`ChargeAdded` of a negative amount) or a charge voided
(`ChargeVoided` of a positive one) bills less than the earning's bill. What the order's changes
have removed (`removed`) is what the bill lost plus the bill money refunded, where a refund
first uses up what was paid beyond the total: a discount and the refund of the money it left
overpaid remove the same euros, taken back once, whether the discount came before the earning
(the earning's bill has it off already: its refund takes nothing) or after it. Each
change is taken back once under its own mark (`tkb_<order>_add_<charge>`,
`tkb_<order>_void_<charge>`); a change that bills more (a charge added, a discount voided)
gives nothing back and is not read.

A refund made before the order earned (a goodwill refund before check-out) finds no earning
and does nothing; the earning then takes back the refunds' share at once
(`at_earning`). Marks sit where the earning's does (the id the order's e-mail names, which a
merge does not move); the points come off the live customer. An erased customer's order takes
nothing (their points went with them).
"""

from __future__ import annotations

from chalicelib.booking.domain.order_money import received, refunded
from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.loyalty import Earning, LedgerEntry, Movement, taken_back_due
from chalicelib.customers.services.loyalty import (
    AlreadyDone,
    OrdersAndLoyalty,
    current_balance,
    live_customer,
)
from chalicelib.customers.services.redemption_ports import (
    LedgerPut,
    LoyaltyMark,
    PointsMove,
    TakenBackCount,
)
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.events import ChargeAdded, ChargeVoided, RefundIssued
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.unit_of_work import UnitOfWork

Context = TenantContext[OrdersAndLoyalty]
TRIES = 3
# Refused because something moved since the read: another refund's take-back (the count), a
# spend or an expiry (the balance). Read again and decide again.
RACES = frozenset({"redemption_failed", "points_insufficient"})


def refund_mark(order_id: str, refund_id: str) -> str:
    return f"tkb_{order_id}_{refund_id}"


def change_mark(event: RefundIssued | ChargeAdded | ChargeVoided) -> str | None:
    """The mark of a change that bills less or gives money back; None: it removes nothing."""
    if isinstance(event, RefundIssued):
        return refund_mark(event.order_id, event.refund_id)
    if isinstance(event, ChargeAdded) and event.amount < 0:  # a discount
        return refund_mark(event.order_id, f"add_{event.charge_id}")
    if isinstance(event, ChargeVoided) and event.amount > 0:  # a charge voided
        return refund_mark(event.order_id, f"void_{event.charge_id}")
    return None


def removed(earning: Earning, order: Order) -> int:
    """What the order's changes since its bill removed from it: what the bill lost since the
    points were earned on it (discounts, voids after completion), plus the bill money given
    back. A refund first uses up what the customer paid beyond the total (the overpayment a
    discount left, before or after completion, is the same money as the discount, not more);
    only the rest of it is bill money given back. A charge added after completion and then
    refunded nets to nothing."""
    overpaid = max(0, received(order) - order.total)
    given_back = max(0, refunded(order) - overpaid)
    return max(0, earning.billed - order.total + given_back)


class TakeBackPoints:
    """Consumer of `RefundIssued`, and of a discount or void after completion: the share of
    the points the order earned that the change removed, taken back once."""

    name = "take_back_points"
    events = (RefundIssued, ChargeAdded, ChargeVoided)
    repeatable = True

    def handle(
        self, ctx: Context, event: RefundIssued | ChargeAdded | ChargeVoided, deps: object
    ) -> None:
        mark = change_mark(event)
        if mark is not None:
            take_back(ctx, event.order_id, mark)


def take_back(ctx: Context, order_id: str, mark: str) -> int:
    """The points taken back under `mark` (0: none due, none left, or done before)."""
    for attempt in range(TRIES):
        order = ctx.data.orders.get(order_id)
        if order is None or order.customer.erased or order.status is not BookingStatus.COMPLETED:
            return 0  # only a completed booking earned; an erased customer's points are gone
        try:
            return _take_back(ctx, order, mark)
        except AlreadyDone:
            return 0
        except Conflict as exc:
            if exc.code not in RACES or attempt == TRIES - 1:
                raise
    return 0


def _take_back(ctx: Context, order: Order, mark: str) -> int:
    store = ctx.data.loyalty
    named = customer_id_for(order.customer.email, order.customer.phone)
    earning = store.earning(named, order.id)
    if earning is None or store.has_mark(named, mark):
        return 0  # nothing earned yet (the earning takes back then), or done before
    so_far = store.taken_back(named, order.id)
    due = taken_back_due(earning, removed(earning, order)) - so_far
    if due <= 0:
        return 0
    live = live_customer(store, named)
    taken = min(due, current_balance(ctx, store, live).points)
    short = str(due - taken) if due > taken else ""
    entry = LedgerEntry(
        f"{mark}_{ctx.new_id()}", ctx.now(), Movement.TAKEN_BACK, taken, order.id, short
    )
    with UnitOfWork(ctx) as uow:
        uow.add(
            LoyaltyMark(named, mark),
            TakenBackCount(named, order.id, so_far, so_far + due),
            LedgerPut(live, entry),
        )
        if taken:
            uow.add(PointsMove(live, -taken))
        uow.commit()
    return taken
