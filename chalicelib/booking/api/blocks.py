"""Room blocks: a group's allotment of a room type, its guests picked up from it, released at
its cut-off date (booking/services/blocks.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.booking.api.order_replies import customer_of, reply
from chalicelib.booking.domain.blocks import RoomBlock
from chalicelib.booking.services import blocks
from chalicelib.tenancy.domain.staff import MANAGE, OPERATE, READ
from chalicelib.web.route_spec import BOOKINGS
from chalicelib.web.routing import Call, Reply, route

if TYPE_CHECKING:
    from chalicelib.booking.api.block_models import BlockListOut, BlockOut, RoomingListOut

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/blocks",
    "POST",
    summary="Hold a room block for a group",
    tag="orders",
    roles=MANAGE,
    body="chalicelib.booking.api.block_models:BlockIn",
    response="chalicelib.booking.api.block_models:BlockOut",
    status=201,
)
def create_block(call: Call) -> Reply:
    """`rooms` of a room type held every night from `from` for `nights`, all nights or none
    (409 `unavailable` naming the night short of rooms), until `release_on`."""
    from chalicelib.booking.api.block_models import BlockIn, BlockOut

    body: BlockIn = call.body
    ctx = call.ctx
    block = RoomBlock(
        id=call.stable_id("blk_"),  # a retried request finds its block, never holds twice
        name=body.name,
        resource_id=body.resource_id,
        offering_id=body.offering_id,
        first_night=body.first_night,
        nights=body.nights,
        rooms=body.rooms,
        release_at=blocks.release_time(body.release_on, ctx.tenant.timezone),
        created_at=ctx.now(),
        created_by=ctx.actor.label,
    )
    made = blocks.create_block(
        ctx, call.container.catalog_cache, block, scheduler=call.container.reminders
    )
    return Reply(BlockOut.of(made), 201, {"Location": f"/v1/blocks/{made.id}"})


@route(
    bp,
    "/v1/blocks",
    "GET",
    summary="The room blocks",
    tag="orders",
    roles=READ,
    scopes=BOOKINGS,
    response="chalicelib.booking.api.block_models:BlockListOut",
)
def list_blocks(call: Call) -> BlockListOut:
    from chalicelib.booking.api.block_models import BlockListOut, BlockOut

    return BlockListOut(data=[BlockOut.of(b) for b in blocks.list_blocks(call.ctx)])


@route(
    bp,
    "/v1/blocks/{block_id}",
    "GET",
    summary="A room block: rooms held, picked up and left each night",
    tag="orders",
    roles=READ,
    scopes=BOOKINGS,
    response="chalicelib.booking.api.block_models:BlockOut",
)
def get_block(call: Call) -> BlockOut:
    from chalicelib.booking.api.block_models import BlockOut

    return BlockOut.of(blocks.get_block(call.ctx, call.path["block_id"]))


@route(
    bp,
    "/v1/blocks/{block_id}/guests",
    "GET",
    summary="A room block's rooming list: the guests booked from it",
    tag="orders",
    roles=READ,
    scopes=BOOKINGS,
    response="chalicelib.booking.api.block_models:RoomingListOut",
)
def block_guests(call: Call) -> RoomingListOut:
    """Each guest booked from the block, with their nights, party, rooms and money, by
    arrival; cancelled ones are left out."""
    from chalicelib.booking.api.block_models import BlockGuestOut, RoomingListOut
    from chalicelib.booking.services.rooming_list import rooming_list

    found = rooming_list(call.ctx, call.path["block_id"])
    return RoomingListOut(data=[BlockGuestOut.of(g) for g in found.guests], complete=found.complete)


@route(
    bp,
    "/v1/blocks/{block_id}/pickups",
    "POST",
    summary="Book a guest of the group's rooming list from the block",
    tag="orders",
    roles=OPERATE,
    scopes=BOOKINGS,
    body="chalicelib.booking.api.block_models:PickupIn",
    response="chalicelib.booking.api.booking_models:OrderOut",
    status=201,
)
def pick_up(call: Call) -> Reply:
    """A confirmed order of one room of the block's type, for the block's nights or some of
    them, at its offering's prices (and the room assigned, when named). 409 `block_full` when
    one of the nights has no room left in the block, `block_released` after its cut-off."""
    from chalicelib.booking.api.block_models import PickupIn

    body: PickupIn = call.body
    order = blocks.pick_up(
        call.ctx,
        call.container.catalog_cache,
        call.path["block_id"],
        customer_of(call, body.customer),
        order_id=call.stable_id("ord_"),
        check_in=body.check_in,
        nights=body.nights,
        party=body.party,
        answers=body.answers.to_domain() if body.answers is not None else None,
        room=body.room,
    )
    answer = reply(call, order, status=201)
    answer.headers["Location"] = f"/v1/orders/{order.id}"
    return answer


@route(
    bp,
    "/v1/blocks/{block_id}/release",
    "POST",
    summary="Release a room block now",
    tag="orders",
    roles=MANAGE,
    body="chalicelib.booking.api.booking_models:ActionIn",
    response="chalicelib.booking.api.block_models:BlockOut",
)
def release_block(call: Call) -> BlockOut:
    """The rooms not picked up go back on sale now (as at the cut-off date); a released block
    is answered as it is."""
    from chalicelib.booking.api.block_models import BlockOut

    return BlockOut.of(blocks.release_block(call.ctx, call.path["block_id"]))
