"""A room type's rooms on a night, as the desk and housekeeping see them: each room's
housekeeping status, whether it is out of order, who sleeps there tonight, who leaves it
today, and whether it is free for the next `nights` nights (the rooms a move or an
assignment can choose from); the stays of the type that have no room yet; and the stays
that hold a night of the type tonight although their guest is not there (`held`: checked out
before their last night, or a no-show), which keep their rooms and units until the nights are
given back (a shorter stay, `POST /v1/orders/{id}/stay`) or the no-show cancelled.

Reads: the type's day sheet (booking/services/day_sheet.py: one Query of its index and the
orders), its housekeeping items (one Query), its rooms' nights over the window (one Query) and
the window's night buckets (one BatchGetItem: how many of the type are still for sale).
"""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib.booking.domain.orders import BookingStatus, Line, Order
from chalicelib.booking.services.day_sheet import DayLine, resource_day
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.catalog.domain.catalog import Resource, ResourceKind
from chalicelib.catalog.domain.inventory import night_key
from chalicelib.catalog.domain.rooms import Outage, RoomStatus, rooms_out
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.values import value

MAX_WINDOW = 30  # nights a free-room question may span (a stay's longest)


@value
class Stay:
    order: Order
    line_index: int

    @property
    def line(self) -> Line:
        return self.order.lines[self.line_index]


@value
class BoardRoom:
    room: str
    housekeeping: RoomStatus | None
    out_of_order: Outage | None  # covering the night of the board's date
    occupant: Stay | None  # sleeps here tonight
    departing: Stay | None  # slept here last night and leaves today
    held: Stay | None  # holds the room tonight, its guest gone (left early) or never come
    free: bool  # neither assigned nor out of order on any of the window's nights


@value
class RoomBoard:
    resource: Resource
    day: date
    nights: int
    rooms: tuple[BoardRoom, ...]
    unassigned: tuple[Stay, ...]  # stays of the type tonight without a room
    complete: bool
    held: tuple[Stay, ...] = ()  # stays holding tonight without their guest, room or not
    # Units of the type still for sale on every night of the window: a move from another type
    # needs one, though a room is free, when the type is sold to stays that have no room yet.
    for_sale: int = 0


def room_board(ctx: BookingContext, resource_id: str, day: date, nights: int = 1) -> RoomBoard:
    if not 1 <= nights <= MAX_WINDOW:
        raise InvalidInput(f"nights is 1 to {MAX_WINDOW}.", code="invalid_nights", field="nights")
    sheet = resource_day(ctx, resource_id, day)
    resource = sheet.resource
    if resource.kind is not ResourceKind.NIGHTLY:
        raise InvalidInput("Only a room type (nightly) has rooms.", code="not_for_kind")
    tonight, last_night = day.isoformat(), (day - timedelta(days=1)).isoformat()
    window = [(day + timedelta(days=n)).isoformat() for n in range(nights)]
    assigned = ctx.data.orders.room_nights(resource.id, window[0], window[-1])
    for_sale = _for_sale(ctx, resource, [day + timedelta(days=n) for n in range(nights)])
    busy = {n.room for n in assigned}
    busy |= {r for night in window for r in rooms_out(resource.outages, date.fromisoformat(night))}
    statuses = ctx.data.catalog.housekeeping(resource.id)
    here = [dl for dl in sheet.lines if dl.role in ("arrival", "in_house")]
    staying = [dl for dl in here if dl.order.status is not BookingStatus.NO_SHOW]
    never_came = [dl for dl in here if dl.order.status is BookingStatus.NO_SHOW]
    held = never_came + [dl for dl in sheet.lines if dl.role == "left"]
    leaving = [dl for dl in sheet.lines if dl.role == "departure"]
    return RoomBoard(
        resource=resource,
        day=day,
        nights=nights,
        rooms=tuple(
            BoardRoom(
                room=room,
                housekeeping=statuses.get(room),
                out_of_order=next(
                    (o for o in resource.outages if o.room == room and o.covers(day)), None
                ),
                occupant=_in_room(staying, room, tonight),
                departing=_in_room(leaving, room, last_night),
                held=_in_room(held, room, tonight),
                free=room not in busy,
            )
            for room in resource.rooms
        ),
        unassigned=tuple(_stay(dl) for dl in staying if dl.line.room_on(tonight) is None),
        complete=sheet.complete,
        held=tuple(_stay(dl) for dl in held),
        for_sale=for_sale,
    )


def _for_sale(ctx: BookingContext, resource: Resource, nights: list[date]) -> int:
    sold = ctx.data.orders.used_at(resource.id, [night_key(n) for n in nights])
    # A night the type is closed (a closure, a weekday it does not sell) sells nothing.
    left = min(
        (resource.capacity_on(n) if resource.night_open(n) else 0) - sold.get(night_key(n), 0)
        for n in nights
    )
    return max(0, left)


def _outage(resource: Resource, room: str, day: date) -> Outage | None:
    return next((o for o in resource.outages if o.room == room and o.covers(day)), None)


def _stay(dl: DayLine) -> Stay:
    return Stay(dl.order, dl.index)


def _in_room(lines: list[DayLine], room: str, night: str) -> Stay | None:
    return next((_stay(dl) for dl in lines if dl.line.room_on(night) == room), None)
