"""The desk gives a stay its room, or moves the guest: to another room of the same type (a new
assignment from a night on, nothing else changes) or to a room of another type (the rest of
the stay is planned again on that type's buckets and priced by the offering that sells it).

Every move is one transaction with the order's version: the room's nights are written on the
condition that no stay has them (booking/domain/room_nights.py), so two desks giving room 204
away at once cannot both succeed (409 `room_taken` for the second), and the type's revision is
checked, so a room put out of order meanwhile is never assigned.

From which night: a guest not yet arrived moves for the whole stay (from check-in); a guest
in the house from tonight on, never for a night already begun; `from` may name a later night.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from chalicelib.booking.domain.orders import (
    STAY_CHANGEABLE,
    BookingStatus,
    IllegalTransition,
    Line,
    Order,
    OverbookingUnresolved,
    RoomStay,
    check_version,
    status_words,
)
from chalicelib.booking.domain.price_agreed import check_agreed_total
from chalicelib.booking.domain.room_nights import (
    check_room_stay,
    line_nights,
    rooms_from,
    stay_resource,
)
from chalicelib.booking.services.booking import order_facts
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.booking.services.order_unit_of_work import OrderUnitOfWork
from chalicelib.booking.services.orders import Replan, get_order, replan
from chalicelib.booking.services.room_release import clear_if_stale
from chalicelib.booking.services.stays import stay_input
from chalicelib.catalog.domain.catalog import Offering, Resource, ResourceKind
from chalicelib.catalog.services.catalog_view import CatalogCache, CatalogSnapshot
from chalicelib.kernel.domain.calendar import local_date
from chalicelib.kernel.domain.errors import Conflict, InvalidInput, NotFound, StaleCatalog
from chalicelib.kernel.domain.events import OrderRoomAssigned
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.values import value

CATALOG_RETRIES = 3
MAX_LINES = 20  # an order's lines (booking/services/line_planning.plan_lines)


@value
class RoomMove:
    """What the desk asked: line `line` sleeps in `room` from `from_night` (None: the first
    night it may still change), of type `resource_id` (None: the stay's own type), sold by
    `offering_id` (None: the stay's offering when it sells that type, or the one that does)."""

    line: int
    room: str
    resource_id: str | None = None
    offering_id: str | None = None
    from_night: date | None = None
    quote: bool = False  # answer the order as the move would make it; write nothing
    expected_total: int | None = None  # the quote's total: another is refused (price_agreed)


def move_room(
    ctx: BookingContext,
    cache: CatalogCache,
    order_id: str,
    move: RoomMove,
    *,
    expected_version: int | None,
) -> Order:
    order = get_order(ctx, order_id)
    check_version(order, expected_version)
    line = _stay_line(order, move.line)
    first = _first_night(ctx, order, line, move.from_night)
    current_type = stay_resource(line)
    if move.resource_id is None or move.resource_id == current_type:
        return _same_type(ctx, cache, order, move, first, expected_version)
    return _other_type(ctx, cache, order_id, move, first, expected_version)


def _stay_line(order: Order, index: int) -> Line:
    if not 0 <= index < len(order.lines):
        raise NotFound("The order has no such line.", code="line_not_found", line=index)
    if order.status not in STAY_CHANGEABLE:
        raise IllegalTransition(
            f"An order that is {status_words(order.status)} cannot be given a room.",
            code="not_reschedulable",
            status=order.status.value,
        )
    if order.overbooked:  # its nights hold no unit: a room is given by resolving it
        raise OverbookingUnresolved(
            "This overbooked guest holds no room yet: move them into one from Overbookings, "
            "or relocate them."
        )
    line = order.lines[index]
    if not line.nights or stay_resource(line) is None:
        raise InvalidInput("Only a stay is given a room.", code="not_a_stay")
    return line


def _first_night(ctx: BookingContext, order: Order, line: Line, asked: date | None) -> date:
    nights = [date.fromisoformat(n) for n in line_nights(line)]
    today = local_date(parse(ctx.now()), ctx.tenant.timezone)
    if order.status is BookingStatus.CHECKED_IN:
        earliest = max(nights[0], today)
    elif nights[0] < today:
        raise InvalidInput(
            "The stay began without a check-in: check the guest in first.", code="date_in_past"
        )
    else:
        earliest = nights[0]
    first = asked or earliest
    if first < earliest or first > nights[-1]:
        # Why the earliest is what it is: a night begun (in house), or the stay's first night
        # (an outside tester's future stay was told "earlier nights have begun").
        before = "earlier nights have begun" if earliest > nights[0] else "the stay starts then"
        raise InvalidInput(
            f"A room can change from the night of {earliest.isoformat()} to that of "
            f"{nights[-1].isoformat()}: {before}, and later nights are not the stay's.",
            code="invalid_from_night",
            earliest=earliest.isoformat(),
            last=nights[-1].isoformat(),
        )
    return first


def _same_type(
    ctx: BookingContext,
    cache: CatalogCache,
    read: Order,
    move: RoomMove,
    first: date,
    expected_version: int | None,
) -> Order:
    """`read`: the order as `move_room` read it, for the first attempt; a later one (the
    catalog changed, a stale night cleared) reads it again."""
    for attempt in range(CATALOG_RETRIES):
        order = read if attempt == 0 else get_order(ctx, read.id)
        check_version(order, expected_version)
        line = _stay_line(order, move.line)
        resource_id = stay_resource(line)
        assert resource_id is not None  # _stay_line refuses a line without a room type
        snapshot = cache.get(ctx.tenant.id, ctx.data.catalog, fresh=attempt > 0)
        resource = snapshot.resource(resource_id)
        rooms = rooms_from(line.rooms, first.isoformat(), move.room)
        if rooms == line.rooms:
            return order  # already there: nothing written, no event
        moved = replace(line, rooms=rooms)
        check_room_stay(resource, moved, first.isoformat())
        after = order.with_line(move.line, moved, at=ctx.now(), actor=ctx.actor.label)
        check_agreed_total(move.expected_total, after)  # the same type keeps the price
        if move.quote:  # the same price: only the room changes
            return replace(after, version=order.version, updated_at=order.updated_at)
        event = OrderRoomAssigned(
            **order_facts(ctx, after),
            line=move.line,
            resource_id=resource_id,
            room=move.room,
            from_night=first.isoformat(),
            previous_room=line.room_on(first.isoformat()),
        )
        try:
            with OrderUnitOfWork(ctx) as uow:
                uow.put_order(after, before=order)
                uow.check_revisions({resource_id: resource.rev})
                uow.record(event)
                uow.commit()
            return after
        except StaleCatalog:
            cache.invalidate(ctx.tenant.id)
        except Conflict as refused:
            # A night left behind by an order that no longer claims it is cleared, and the
            # move tried again (booking/services/room_release.py); a real stay's is the answer.
            night = str(refused.details.get("night", ""))
            if refused.code != "room_taken" or not clear_if_stale(
                ctx, resource_id, night, move.room
            ):
                raise
    raise StaleCatalog("The room type kept changing; try again.")


def _other_type(
    ctx: BookingContext,
    cache: CatalogCache,
    order_id: str,
    move: RoomMove,
    first: date,
    expected_version: int | None,
) -> Order:
    """The stay splits at `first`: the nights before stay on their line (its offering, its
    prices), the rest become a line of the other type, planned with the stay's units counted
    as its own (so a full house can still swap a guest into a free room of another type)."""
    assert move.resource_id is not None
    snapshot = cache.get(ctx.tenant.id, ctx.data.catalog)
    target = _room_type(snapshot, move.resource_id)

    def plan_for(order: Order) -> Replan:
        line = _stay_line(order, move.line)
        offering = _offering_for(snapshot, line, target, move.offering_id)
        check_in = date.fromisoformat(line.local_date)
        before = (first - check_in).days
        if before and len(order.lines) >= MAX_LINES:
            raise InvalidInput(
                f"An order has at most {MAX_LINES} lines; this move would split a stay into "
                "two: move it from its check-in, or book the rest as its own order.",
                code="too_many_lines",
            )
        rest = LineInput(
            offering.id,
            party=line.party,
            quantity=line.quantity,
            check_in=first,
            nights=line.nights - before,
            resource_ids={0: target.id},
            already_booked=True,
            answers=line.answers,
            answers_kept=True,
            rooms=(RoomStay(first.isoformat(), move.room),),
        )
        kept = [stay_input(line, before)] if before else []
        return Replan([*kept, rest], only_line=move.line)

    return replan(
        ctx,
        cache,
        order_id,
        plan_for,
        expected_version=expected_version,
        stay=True,
        quote=move.quote,
        check_after=lambda _, after: check_agreed_total(move.expected_total, after),
    )


def _room_type(snapshot: CatalogSnapshot, resource_id: str) -> Resource:
    resource = snapshot.resource(resource_id)
    if resource.kind is not ResourceKind.NIGHTLY or not resource.active:
        raise InvalidInput(
            "A guest moves to an active room type (a nightly resource).", code="not_a_room_type"
        )
    return resource


def _offering_for(
    snapshot: CatalogSnapshot, line: Line, target: Resource, asked: str | None
) -> Offering:
    """The offering that sells the rest of the stay on `target`."""
    if asked is not None:
        offering = snapshot.offering(asked)
        if not _sells(snapshot, offering, target):
            raise InvalidInput(
                "That offering does not sell this room type.", code="offering_mismatch"
            )
        return offering
    own = snapshot.offering(line.offering_id, include_inactive=True)
    if own.active and _sells(snapshot, own, target):
        return own
    selling = [o for o in snapshot.offerings.values() if o.active and _sells(snapshot, o, target)]
    if len(selling) != 1:
        raise InvalidInput(
            "Name the offering that sells the rest of the stay in that room type.",
            code="offering_required",
            offerings=[o.id for o in selling],
        )
    return selling[0]


def _sells(snapshot: CatalogSnapshot, offering: Offering, target: Resource) -> bool:
    if offering.kind is not ResourceKind.NIGHTLY:
        return False
    groups = snapshot.candidates(offering)
    return bool(groups) and any(r.id == target.id for r in groups[0])
