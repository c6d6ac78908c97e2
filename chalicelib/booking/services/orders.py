"""What happens to an order after the hold: confirm, cancel (fee by policy), reschedule,
check in, complete, no-show, and the expiry of a hold. Each is one transaction that checks
the version and status it read, so two staff cannot both apply a change."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from chalicelib.booking.domain import order_money
from chalicelib.booking.domain.booked_nights import keep_booked_nights
from chalicelib.booking.domain.folio_changes import check_bands
from chalicelib.booking.domain.order_money import outstanding, refund_on_cancellation
from chalicelib.booking.domain.orders import BookingStatus, CancelledBy, Order, check_version
from chalicelib.booking.domain.split_stays import check_parts_apart
from chalicelib.booking.domain.turned_early import turned_early
from chalicelib.booking.services.booking import order_facts, status_change
from chalicelib.booking.services.cancellation_terms import (
    cancellation_policies as cancellation_policies,
)
from chalicelib.booking.services.cancellation_terms import cancellation_terms as cancellation_terms
from chalicelib.booking.services.cancellation_terms import (
    check_fee_kept,
    refund_ways_now,
    terms_for,
    with_booked_terms,
)
from chalicelib.booking.services.cancellation_terms import stay_clock as stay_clock
from chalicelib.booking.services.kept_lines import kept_line
from chalicelib.booking.services.line_planning import LineInput, candidate_count, plan_lines
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.booking.services.order_unit_of_work import OrderUnitOfWork
from chalicelib.booking.services.replanning import Replanning
from chalicelib.booking.services.repricing import repriced
from chalicelib.booking.services.same_lines import same_lines
from chalicelib.catalog.domain.inventory import Take
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.calendar import local_date
from chalicelib.kernel.domain.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    SlotUnavailable,
    StaleCatalog,
)
from chalicelib.kernel.domain.events import (
    OrderCancelled,
    OrderCheckedIn,
    OrderCompleted,
    OrderConfirmed,
    OrderExpired,
    OrderRescheduled,
    OrderStatusChanged,
)
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.rereads import after_loss, decide_again

S = BookingStatus


def get_order(ctx: BookingContext, order_id: str) -> Order:
    order = ctx.data.orders.get(order_id)
    if order is None:
        raise NotFound("No such order.", code="order_not_found", order_id=order_id)
    return order


def requests_of(ctx: BookingContext, order_id: str) -> tuple[str, ...] | None:
    """The requests an order remembers (its Idempotency-Keys' marks); None: no such order."""
    order = ctx.data.orders.get(order_id)
    return None if order is None else order.request_keys


def _commit(
    ctx: BookingContext,
    before: Order,
    after: Order,
    event: OrderStatusChanged,
    *,
    release: bool = False,
    freed: Sequence[Take] = (),
    taken: Sequence[Take] = (),
) -> Order:
    after = replace(after, payment_status=order_money.payment_status_of(after))  # asks the fee
    with OrderUnitOfWork(ctx) as uow:
        uow.put_order(after, before=before)
        if release:
            uow.release(before.takes)
        uow.release(freed)
        uow.take(taken)
        uow.record(event)
        uow.commit()
    return after


def _decided(
    ctx: BookingContext,
    order_id: str,
    target: BookingStatus,
    expected_version: int | None,
    decide: Callable[[Order], Order],
) -> Order:
    """Read the order, check If-Match, and let `decide` change and commit it.

    An order already in `target` is answered as it is: nothing is written and no second
    event goes out (two clicks on "cancel", or a retry, cancel once). With If-Match, a
    change that lands between our read and our commit is the caller's to resolve (409
    `version_mismatch`). Without it the caller asked for an outcome, not a version: read
    again and decide again on the order as it now is (the same change: answered as above;
    another: the transition from the new status is allowed or refused on its own terms;
    kernel/services/rereads.py: a pause between tries, and 503 to one that keeps losing)."""

    def decided() -> Order:
        order = get_order(ctx, order_id)
        check_version(order, expected_version)
        return order if order.status is target else decide(order)

    return decided() if expected_version is not None else decide_again(decided)


def _move(
    ctx: BookingContext,
    order_id: str,
    target: BookingStatus,
    event: type[OrderStatusChanged],
    expected_version: int | None,
    check: Callable[[Order], None] = lambda order: None,
) -> Order:
    def decide(order: Order) -> Order:
        after = order.transition(target, at=ctx.now(), actor=ctx.actor.label)
        check(order)  # on the order as read for this write: a charge made since is seen
        return _commit(ctx, order, after, event(**status_change(ctx, order, after)))

    return _decided(ctx, order_id, target, expected_version, decide)


def confirm(ctx: BookingContext, order_id: str, *, expected_version: int | None = None) -> Order:
    """Confirm a hold (pay at the venue, or staff confirming; online payment confirms
    through the payments module)."""
    return _move(ctx, order_id, S.CONFIRMED, OrderConfirmed, expected_version)


def check_in(
    ctx: BookingContext,
    order_id: str,
    *,
    expected_version: int | None = None,
    early: bool = False,
) -> Order:
    """Check the guest in, from the local day of the booking on (`early`: staff say the
    guest is here before that day)."""

    def decide(order: Order) -> Order:
        after = order.checked_in(
            at=ctx.now(), actor=ctx.actor.label, tz=ctx.tenant.timezone, early=early
        )
        return _commit(
            ctx, order, after, OrderCheckedIn(**status_change(ctx, order, after), early=early)
        )

    return _decided(ctx, order_id, S.CHECKED_IN, expected_version, decide)


class BalanceOutstanding(Conflict):
    code = "balance_outstanding"


class RefundDue(Conflict):
    code = "refund_due"


def complete(
    ctx: BookingContext,
    order_id: str,
    *,
    expected_version: int | None = None,
    leave_balance_open: bool = False,
) -> Order:
    """Check out: with the balance settled, or (`leave_balance_open`) staff saying that it
    stays open (an invoice to a company, a guest who pays by transfer, money to send back
    later): a check-out never forgets money either way by accident."""

    def settled(order: Order) -> None:
        owed = outstanding(order)
        if owed > 0 and not leave_balance_open:
            raise BalanceOutstanding(
                "The guest still owes money: take the balance, or check out leaving it open"
                " (send `leave_balance_open: true`).",
                balance=owed,
                currency=order.currency,
            )
        if owed < 0 and not leave_balance_open:
            raise RefundDue(
                "The guest is owed money back: give it back, or check out leaving it open"
                " (send `leave_balance_open: true`).",
                balance=owed,
                currency=order.currency,
            )

    def decide(order: Order) -> Order:
        done = order.transition(S.COMPLETED, at=ctx.now(), actor=ctx.actor.label)
        settled(order)  # on the order as read for this write: a charge made since is seen
        after, freed = turned_early(done, ctx.now())  # a table turned early is free again
        event = OrderCompleted(**status_change(ctx, order, after))
        return _commit(ctx, order, after, event, freed=freed)

    return _decided(ctx, order_id, S.COMPLETED, expected_version, decide)


def cancel(
    ctx: BookingContext,
    cache: CatalogCache,
    order_id: str,
    *,
    reason: str = "",
    expected_version: int | None = None,
    by: CancelledBy = CancelledBy.CUSTOMER,
    quote: bool = False,
    waive_fee: bool = True,
) -> Order:
    """Cancel and give the units back. `by`: the business waives the fee (and must say
    why; `waive_fee`: false keeps the policy's fee, and only managers waive one: terms_for);
    the event carries who cancelled, for the refund and the customer's message.
    `quote`: answer the order as the cancellation would make it (its `cancellation`: fee,
    refundable, refund), with its same version, and write nothing."""
    if by is CancelledBy.BUSINESS and not reason.strip() and not quote:  # a quote: no reason yet
        raise InvalidInput(
            "Say why the business cancels (the customer is told it was not their doing).",
            code="reason_required",
        )

    def decide(order: Order) -> Order:
        at = ctx.now()
        terms = terms_for(ctx, cache, order, at, by, waive_fee=waive_fee)
        # Recorded for the answer and the message: `refund` (paid beyond the fee, as the refund
        # consumer gives back), `refundable` and `card_back`/`desk_back` (refund_ways_now).
        refund = refund_on_cancellation(order, terms["fee"])
        who = {"cancelled_by": by.value}
        record = {"at": at, "by": ctx.actor.label, "reason": reason[:500], **terms, **who}
        after = order.transition(
            S.CANCELLED,
            at=at,
            actor=ctx.actor.label,
            cancellation={**record, "refund": refund, **refund_ways_now(ctx, order, refund)},
        )
        if quote:
            status = order_money.payment_status_of(after)
            return replace(after, version=order.version, payment_status=status)
        cancelled = OrderCancelled(
            **status_change(ctx, order, after),
            fee=terms["fee"],
            refundable=terms["refundable"],
            cancelled_by=by.value,
            refund=refund,
        )
        return _commit(ctx, order, after, cancelled, release=True)

    return _decided(ctx, order_id, S.CANCELLED, expected_version, decide)


def expire(ctx: BookingContext, order_id: str, *, order: Order | None = None) -> Order | None:
    """Give back the units of a hold that ran out; nothing when it was confirmed, cancelled
    or already expired (a repeated or late message changes nothing). `order`: the order as
    just read by the caller (saves a read; the commit's condition on its version and status
    still refuses a stale one)."""
    order = order if order is not None else ctx.data.orders.get(order_id)
    if order is None or order.status is not S.HELD:
        return None
    if not order.hold_expires_at or order.hold_expires_at > ctx.now():
        return None
    after = order.transition(S.EXPIRED, at=ctx.now(), actor=ctx.actor.label)
    try:
        event = OrderExpired(**status_change(ctx, order, after))
        return _commit(ctx, order, after, event, release=True)
    except Conflict:
        return None  # confirmed or cancelled at the same moment: the other change won


def reschedule(
    ctx: BookingContext,
    cache: CatalogCache,
    order_id: str,
    lines: Sequence[LineInput],
    *,
    expected_version: int | None,
    check: Callable[[Order], None] = lambda order: None,
    check_after: Callable[[Order, Order], None] | None = None,
    quote: bool = False,
    notice: bool = True,
) -> Order:
    """Move or change the lines: the old buckets back, the new taken, in one transaction
    (`kept_line`: what a line keeps of the old). `check` refuses a move (order read), `check_after`
    on (the order read, the order as moved), before any write; `quote`: the order as moved,
    nothing written. A move to what the order has is no change (same_lines.py)."""

    def plan_for(order: Order) -> Replan | None:
        check(order)
        old = order.lines
        if same_lines(old, lines, ctx.tenant.timezone) and not order.overbooked:  # no move
            order.rescheduled(old, at=order.updated_at, actor=ctx.actor.label)
            return None
        check_parts_apart(old, [(ln.check_in, ln.nights) if ln.check_in else None for ln in lines])
        kept = [kept_line(ln, old[i], notice) if i < len(old) else ln for i, ln in enumerate(lines)]
        return Replan(kept, notice=notice)  # `notice`: false for the desk's move

    def checked(before: Order, after: Order) -> None:
        check_fee_kept(ctx, cache, before, after)  # smaller inside the tiers: a manager's
        if check_after is not None:
            check_after(before, after)

    return replan(
        ctx, cache, order_id, plan_for, expected_version=expected_version, quote=quote,
        check_after=checked,
    )  # fmt: skip


@value
class Replan:
    """What to plan again: every line (`only_line` None), or one line, the others kept as
    they are (their prices, their resources, their takes)."""

    inputs: Sequence[LineInput]
    only_line: int | None = None
    notice: bool = True  # held to the offering's notice: false for a move at the desk


def replan(
    ctx: BookingContext,
    cache: CatalogCache,
    order_id: str,
    plan_for: Callable[[Order], Replan | None],
    *,
    expected_version: int | None,
    stay: bool = False,
    quote: bool = False,
    check_after: Callable[[Order, Order], None] | None = None,
) -> Order:
    """Plan the lines again as `plan_for(order)` says (None: no change), their units counted
    as their own; commit old and new in one transaction, the payment status following the
    total (`stay`: only a stay's length changes; `quote`: answer it, write nothing;
    `check_after(order, after)`: may refuse the order as planned, on each reread). Without
    If-Match (the widget's move), a change landing first is planned again, as in `_decided`."""
    tries = Replanning("rescheduling")
    rereads = 0
    while True:
        order = get_order(ctx, order_id)
        check_version(order, expected_version)
        todo = plan_for(order)
        if todo is None:
            return order
        only = todo.only_line
        own = order.takes if only is None else order.lines[only].takes
        snapshot = cache.get(ctx.tenant.id, ctx.data.catalog, fresh=tries.consistent)
        planned, revs = plan_lines(
            ctx,
            snapshot,
            todo.inputs,
            consistent=tries.consistent,
            own=own,
            avoid=tries.avoid,
            notice=todo.notice,
        )
        planned = with_booked_terms(order.lines, planned)
        # A stay made longer or shorter keeps its nights' booked prices (booked_nights.py).
        offerings = {ln.offering_id for ln in planned}
        deposits = {o: snapshot.offering(o, include_inactive=True).deposit for o in offerings}
        today = local_date(parse(ctx.now()), ctx.tenant.timezone)
        planned = keep_booked_nights(order.lines[only or 0 :], planned, deposits, today)
        lines = (
            planned if only is None else [*order.lines[:only], *planned, *order.lines[only + 1 :]]
        )
        after = order.rescheduled(tuple(lines), at=ctx.now(), actor=ctx.actor.label, stay=stay)
        after, repricing = repriced(ctx, after, stay=stay)  # a moved coupon's discount
        check_bands(after)  # a shorter stay cannot leave its discounts bigger than its lines
        if check_after is not None:  # on the order as read for this write, and as moved
            check_after(order, after)
        if quote:  # the same version: a move sent with it is refused if the order changed
            return replace(after, version=order.version, updated_at=order.updated_at)
        event = OrderRescheduled(**order_facts(ctx, after), previous_start=order.start)
        try:
            with OrderUnitOfWork(ctx) as uow:
                uow.put_order(after, before=order)
                uow.take(after.takes)
                uow.release(order.takes)
                uow.check_revisions(revs)
                uow.record(event, *repricing)
                uow.commit()
            return after
        except StaleCatalog:
            cache.invalidate(ctx.tenant.id)
            tries.catalog_changed()
        except SlotUnavailable as exc:
            tries.lost(exc, candidate_count(snapshot, todo.inputs))
        except Conflict as exc:  # without If-Match, a change that landed first: plan again
            if expected_version is not None:
                raise
            after_loss(exc, rereads)
            rereads += 1
