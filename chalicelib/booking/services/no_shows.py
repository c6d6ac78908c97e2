"""Marking a no-show, and taking one back (booking/domain/no_show.py). The mark gives back the
slots of its timed lines not yet over (turned_early.py), so the table can be given to a
walk-in. The undo: the guest came after all. One transaction over the order as read (its
version), with `OrderNoShowUndone`, taking those slots again on condition that they are still
free; rooms and nights never left it. A retry, or two desks at once, undo once: an order
already confirmed is answered as it is."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.domain.no_show import check_no_show_time, no_show_undone, taken_again
from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.domain.turned_early import turned_early
from chalicelib.booking.services.booking import status_change
from chalicelib.booking.services.cancellation_terms import stored_stamp
from chalicelib.booking.services.no_show_terms import no_show_fee_of
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.booking.services.orders import _commit, _decided
from chalicelib.catalog.domain.capacity import capacity_for
from chalicelib.catalog.domain.inventory import Take
from chalicelib.kernel.domain.errors import Conflict, InvalidInput, SlotUnavailable
from chalicelib.kernel.domain.events import OrderMarkedNoShow, OrderNoShowUndone
from chalicelib.kernel.domain.timefmt import parse


class NoShowPlaceTaken(Conflict):
    code = "no_show_place_taken"


def undo_no_show(
    ctx: BookingContext, order_id: str, *, expected_version: int | None = None
) -> Order:
    def decide(order: Order) -> Order:
        undone = no_show_undone(order, at=ctx.now(), actor=ctx.actor.label)
        after, again = taken_again(undone)
        again = _as_now(ctx, again)
        event = OrderNoShowUndone(**status_change(ctx, order, after))
        try:
            return _commit(ctx, order, after, event, taken=again)
        except SlotUnavailable as taken:
            raise NoShowPlaceTaken(
                "Another booking has the guest's place since the no-show gave it back: "
                "book the guest again at a free time.",
                resource_id=taken.details.get("resource_id"),
            ) from taken

    return _decided(ctx, order_id, BookingStatus.CONFIRMED, expected_version, decide)


def no_show(ctx: BookingContext, order_id: str, *, expected_version: int | None = None) -> Order:
    """The guest did not come: once the booking started, and for a stay once its arrival day's
    check-in time passed; the order then asks only its no-show fee (domain/no_show.py)."""

    def decide(order: Order) -> Order:
        at, business = ctx.now(), ctx.tenant.settings.business
        # An order that can never be a no-show (checked in, cancelled) is told so first: a
        # tester's checked-in guest was "still arriving today", to be tried again at 15:00.
        order.transition(BookingStatus.NO_SHOW, at=at, actor=ctx.actor.label)
        if parse(at) < parse(stored_stamp(order.start)):
            raise InvalidInput(
                "A guest is a no-show only once the booking has started.", code="not_started"
            )
        check_no_show_time(order, at, ctx.tenant.timezone, business.check_in)
        fee = no_show_fee_of(ctx, order)
        marked = order.transition(
            BookingStatus.NO_SHOW, at=at, actor=ctx.actor.label, no_show_fee=fee
        )
        after, freed = turned_early(marked, at, remembered=True)  # the table is free again
        event = OrderMarkedNoShow(**status_change(ctx, order, after))
        return _commit(ctx, order, after, event, freed=freed)

    return _decided(ctx, order_id, BookingStatus.NO_SHOW, expected_version, decide)


def _as_now(ctx: BookingContext, takes: list[Take]) -> list[Take]:
    """The slots to take again within what their resource offers now, not when booked (a
    reviewer's: a chair's capacity lowered since the no-show, and someone booked the one
    left, was overbooked by the undo). A slot the resource no longer has at all (a closure
    since) is taken within what it offered then: left as known (README)."""
    resources = {t.bucket.resource_id for t in takes}
    now = {rid: ctx.data.catalog.get_resource(rid) for rid in sorted(resources)}
    out = []
    for take in takes:
        resource = now[take.bucket.resource_id]
        offered = capacity_for(resource, take.bucket.key, ctx.tenant.timezone) if resource else 0
        ceiling = take.capacity if offered is None else min(take.capacity, offered)
        out.append(replace(take, capacity=ceiling))
    return out
