"""Overbooking conflicts (channels/domain/conflict.py): making one, listing the open ones, and
resolving one.

- `book_unplaced`: a partner's new reservation that found no free unit becomes a confirmed
  order holding none, with `OrderHeld`, `OrderConfirmed` and `OrderOverbooked` (the staff
  alert) in its one transaction; its reference's entry (core's PREF# item) comes with it, so a
  retry of the reservation finds it.
- `unplace`: an order whose partner moved it to dates with no free unit gives its units back
  and becomes a conflict on the new dates (`OrderRescheduled`, `OrderOverbooked`).
- `place`: a conflict takes units (on the resource staff chose, or any free one that can
  serve it) in one transaction, with the order's version as its condition: 409
  `no_free_unit` when none is free, and nothing changes.
- The open list: `pk=OVERBOOKED`, one item per conflict, written before the order (so a
  conflict is never missing from it) and deleted after it is resolved; the list reads the
  orders it names and shows only those still overbooked and live (an item a crash left behind
  is skipped, and deleted).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from chalicelib.booking.domain.orders import (
    BookingStatus,
    CancelledBy,
    Channel,
    Customer,
    Line,
    Order,
    PaymentStatus,
)
from chalicelib.booking.domain.partner_refs import PartnerRef
from chalicelib.booking.services.booking import order_facts, status_change
from chalicelib.booking.services.line_planning import LineInput, plan_lines
from chalicelib.booking.services.order_unit_of_work import OrderUnitOfWork
from chalicelib.booking.services.orders import cancel, get_order
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.channels.domain.conflict import PartnerStay, kept_price
from chalicelib.channels.services.conflict_lines import unplaced_line
from chalicelib.channels.services.inbound_ports import InboundContext
from chalicelib.kernel.domain.errors import (
    Conflict,
    InvalidInput,
    SlotUnavailable,
    TransientFailure,
)
from chalicelib.kernel.domain.events import OrderConfirmed, OrderHeld, OrderRescheduled
from chalicelib.kernel.domain.inbound_events import OrderOverbooked
from chalicelib.tenancy.services import plan_limits

RESOLVE_REREADS = 3  # a resolution that lost a race to another change decides again


class NoFreeUnit(Conflict):
    code = "no_free_unit"


class NotOverbooked(Conflict):
    code = "not_overbooked"


def _line(ctx: InboundContext, cache: CatalogCache, stay: PartnerStay) -> Line:
    snapshot = cache.get(ctx.tenant.id, ctx.data.catalog)
    offering = snapshot.offering(stay.offering_id)
    return unplaced_line(offering, snapshot.candidates(offering), stay, ctx.tenant.timezone)


def _alert(ctx: InboundContext, order: Order) -> OrderOverbooked:
    partner = order.partner
    return OrderOverbooked(
        **order_facts(ctx, order),
        connection_id=partner.connection_id if partner else "",
        reference=partner.reference if partner else "",
    )


def book_unplaced(
    ctx: InboundContext,
    cache: CatalogCache,
    stay: PartnerStay,
    *,
    customer: Customer,
    partner: PartnerRef,
    note: str,
    order_id: str,
) -> Order:
    """A new reservation without units (see the module's docstring). PartnerReferenceTaken
    when the partner's reference already names an order."""
    at, actor = ctx.now(), ctx.actor.label
    held = Order(
        id=order_id,
        status=BookingStatus.HELD,
        payment_status=PaymentStatus.UNPAID,
        customer=customer,
        channel=Channel.PARTNER,
        currency=ctx.tenant.currency,
        lines=(_line(ctx, cache, stay),),
        created_at=at,
        updated_at=at,
        hold_expires_at=at,
        note=note,
        history=((at, BookingStatus.HELD.value, actor),),
        partner=partner,
        overbooked=True,
    )
    order = held.transition(BookingStatus.CONFIRMED, at=at, actor=actor)
    ctx.data.inbound.add_conflict(order.id, at)  # first: a conflict is never off the list
    with OrderUnitOfWork(ctx) as uow:
        uow.put_order(order, before=None)
        uow.record(OrderHeld(**order_facts(ctx, held), hold_expires_at=at))
        uow.record(OrderConfirmed(**status_change(ctx, held, order)))
        uow.record(_alert(ctx, order))
        uow.commit()
    plan_limits.count_made(ctx, order.id)  # a partner's booking counts in the month
    return order


def unplace(ctx: InboundContext, cache: CatalogCache, order: Order, stay: PartnerStay) -> Order:
    """The order on `stay`'s dates without units: its old units given back (see above)."""
    lines = (_line(ctx, cache, stay),)
    after = replace(order.rescheduled(lines, at=ctx.now(), actor=ctx.actor.label), overbooked=True)
    ctx.data.inbound.add_conflict(order.id, ctx.now())
    with OrderUnitOfWork(ctx) as uow:
        uow.put_order(after, before=order)
        uow.release(order.takes)
        uow.record(OrderRescheduled(**order_facts(ctx, after), previous_start=order.start))
        uow.record(_alert(ctx, after))
        uow.commit()
    return after


def revive(ctx: InboundContext, cache: CatalogCache, order: Order) -> Order:
    """A partner's order whose creation stopped between its hold and its confirmation, and
    whose hold ran out meanwhile (its units given back): the partner's retry finds it expired.
    The guest is still coming, so it is confirmed again as a conflict holding no units (its
    lines as they were, their takes dropped), then given units at once if some are free."""
    lines = tuple(
        replace(line, allocations=tuple(replace(a, takes=()) for a in line.allocations))
        for line in order.lines
    )
    revived = order.revived(at=ctx.now(), actor=ctx.actor.label)
    after = replace(revived, lines=lines, overbooked=True)
    ctx.data.inbound.add_conflict(order.id, ctx.now())
    with OrderUnitOfWork(ctx) as uow:
        uow.put_order(after, before=order)
        uow.record(OrderConfirmed(**status_change(ctx, order, after)))
        uow.record(_alert(ctx, after))
        uow.commit()
    try:
        return place(ctx, cache, after)
    except NoFreeUnit:
        return after


def fresh(ctx: InboundContext, order_id: str) -> Order:
    """The order as it is now (after a change that failed, it may have moved on)."""
    return get_order(ctx, order_id)


def _inputs(order: Order, stay: PartnerStay | None, resource_id: str | None) -> list[LineInput]:
    if stay is not None:
        return [line_input(stay, resource_id or stay.resource_id)]
    line = order.lines[0]
    return [
        line_input(
            PartnerStay(
                offering_id=line.offering_id,
                check_in=date.fromisoformat(line.local_date),
                nights=line.nights,
                party=line.party,
                quantity=line.quantity,
            ),
            resource_id,
        )
    ]


def line_input(stay: PartnerStay, resource_id: str | None = None) -> LineInput:
    """The stay as the engine plans it (on the mapped resource, or `resource_id`)."""
    resource_id = resource_id or stay.resource_id
    return LineInput(
        stay.offering_id,
        party=stay.party,
        quantity=stay.quantity,
        check_in=stay.check_in,
        nights=stay.nights,
        resource_ids={0: resource_id} if resource_id else {},
        already_booked=True,  # sold by the partner: no notice or advance rule
    )


def place(
    ctx: InboundContext,
    cache: CatalogCache,
    order: Order,
    *,
    stay: PartnerStay | None = None,
    resource_id: str | None = None,
) -> Order:
    """The conflict `order` takes units: for `stay` (a partner's modification, at the new
    price) or for its own line (staff's move, at the price the guest booked), on
    `resource_id` if given. NoFreeUnit (409) when none is free; nothing changes then."""
    if not order.overbooked or not order.holds_inventory:
        raise NotOverbooked("The order is not an open overbooking.", order_id=order.id)
    if len(order.lines) != 1:
        raise InvalidInput("A conflict is one stay.", code="not_a_stay")
    snapshot = cache.get(ctx.tenant.id, ctx.data.catalog, fresh=True)
    try:
        planned, revs = plan_lines(
            ctx, snapshot, _inputs(order, stay, resource_id), consistent=True
        )
    except SlotUnavailable as exc:
        raise NoFreeUnit("No unit is free for every night of the stay.") from exc
    lines = tuple(planned) if stay is not None else (kept_price(planned[0], order.lines[0]),)
    moved = order.rescheduled(lines, at=ctx.now(), actor=ctx.actor.label)
    after = replace(moved, overbooked=False)
    try:
        with OrderUnitOfWork(ctx) as uow:
            uow.put_order(after, before=order)
            uow.take(after.takes)
            uow.check_revisions(revs)
            uow.record(OrderRescheduled(**order_facts(ctx, after), previous_start=order.start))
            uow.commit()
    except SlotUnavailable as exc:  # taken between our read and our write
        raise NoFreeUnit("The unit was taken meanwhile; none is free now.") from exc
    ctx.data.inbound.drop_conflict(order.id)
    return after


def open_conflicts(ctx: InboundContext) -> list[Order]:
    """The open conflicts, by arrival: one Query of the list, one BatchGetItem of the orders."""
    ids = ctx.data.inbound.conflicts()
    orders = ctx.data.orders.get_many(ids) if ids else {}
    out = []
    for order_id in ids:
        order = orders.get(order_id)
        if order is None or not (order.overbooked and order.holds_inventory):
            ctx.data.inbound.drop_conflict(order_id)  # resolved, or a write that failed
            continue
        out.append(order)
    return sorted(out, key=lambda o: (o.start, o.id))


def resolve(
    ctx: InboundContext,
    cache: CatalogCache,
    order_id: str,
    *,
    action: str,
    resource_id: str | None = None,
    note: str = "",
) -> Order:
    """`move`: the guest gets a free unit now (`place`); `relocate`: the guest was placed
    elsewhere, the order is cancelled by the business (no fee) and its partner told. Either
    on condition of the order's version read: two resolutions at once write once, and the
    other decides again on the order as the first left it (409 `not_overbooked`)."""
    for _ in range(RESOLVE_REREADS):
        order = get_order(ctx, order_id)
        if not order.overbooked or not order.holds_inventory:
            raise NotOverbooked("The order is not an open overbooking.", order_id=order_id)
        try:
            if action == "move":
                return place(ctx, cache, order, resource_id=resource_id)
            reason = "Relocated: the guest was placed elsewhere" + (f" ({note})" if note else "")
            after = cancel(
                ctx,
                cache,
                order_id,
                reason=reason,
                by=CancelledBy.BUSINESS,
                expected_version=order.version,
            )
        except Conflict as exc:
            if exc.code != "version_mismatch":
                raise
            continue  # changed meanwhile: decide again on the order as it now is
        ctx.data.inbound.drop_conflict(order_id)
        return after
    raise TransientFailure("The order keeps changing; try again.", code="order_busy")
