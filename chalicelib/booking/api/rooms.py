"""Rooms at the desk: a room type's board for a night, and giving a stay its room or moving
the guest (booking/services/room_moves.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.booking.api.order_replies import IF_MATCH, if_match, reply
from chalicelib.booking.domain.price_agreed import PriceChanged
from chalicelib.booking.services.room_board import room_board
from chalicelib.booking.services.room_moves import RoomMove, move_room
from chalicelib.tenancy.domain.staff import OPERATE, READ
from chalicelib.web.route_spec import BOOKINGS
from chalicelib.web.routing import Call, Reply, route

if TYPE_CHECKING:
    from chalicelib.booking.api.room_models import RoomBoardOut

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/resources/{resource_id}/rooms",
    "GET",
    summary="A room type's rooms on a night: housekeeping, occupants, free rooms",
    tag="orders",
    roles=READ,
    scopes=BOOKINGS,
    query="chalicelib.booking.api.room_models:RoomBoardQueryIn",
    response="chalicelib.booking.api.room_models:RoomBoardOut",
)
def get_room_board(call: Call) -> RoomBoardOut:
    """Each room's housekeeping status, outage, guest that night and guest leaving that day,
    and whether it is free for `nights` nights from `date`; and the stays without a room."""
    from chalicelib.booking.api.room_models import RoomBoardOut

    q = call.query
    return RoomBoardOut.of(room_board(call.ctx, call.path["resource_id"], q.day, q.nights))


@route(
    bp,
    "/v1/orders/{order_id}/room",
    "POST",
    summary="Give a stay its room, or move the guest to another room",
    tag="orders",
    roles=OPERATE,
    scopes=BOOKINGS,
    body="chalicelib.booking.api.room_models:RoomMoveIn",
    response="chalicelib.booking.api.booking_models:OrderOut",
    headers=(IF_MATCH,),
    raises=(PriceChanged,),
)
def assign_room(call: Call) -> Reply:
    """A room of the stay's type from a night on (`OrderRoomAssigned`), or of another type
    (`resource_id`): the rest of the stay is planned again on that type and priced by the
    offering that sells it (`OrderRescheduled`). 409 `room_taken` when another stay has the
    room on one of the nights, `room_out_of_order`, `unavailable` when the other type is
    full; nothing changes then. `expected_total` (the quote's total) refuses a move that
    would cost another, 409 `price_changed`."""
    from chalicelib.booking.api.room_models import RoomMoveIn

    body: RoomMoveIn = call.body
    move = RoomMove(
        line=body.line,
        room=body.room,
        resource_id=body.resource_id,
        offering_id=body.offering_id,
        from_night=body.from_night,
        quote=body.quote,
        expected_total=body.expected_total,
    )
    order = move_room(
        call.ctx,
        call.container.catalog_cache,
        call.path["order_id"],
        move,
        expected_version=if_match(call),
    )
    return reply(call, order)
