"""A room type's rooms: out of order for some nights (managers: it changes what is sold, so
it is conditional on the type's revision like any catalog write) and housekeeping (any staff
member: clean, dirty, inspected)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.catalog.api.catalog_http import (
    IF_MATCH,
    IF_MATCH_HEADER,
    expected_rev,
    path_date,
    resource_reply,
)
from chalicelib.catalog.services import rooms
from chalicelib.tenancy.domain.staff import MANAGE, OPERATE
from chalicelib.web.route_spec import BOOKINGS
from chalicelib.web.routing import Call, Reply, route

if TYPE_CHECKING:
    from chalicelib.catalog.api.resource_models import HousekeepingOut

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/resources/{resource_id}/outages",
    "POST",
    summary="Put a room out of order",
    tag="catalog",
    roles=MANAGE,
    body="chalicelib.catalog.api.resource_models:OutageIn",
    response="chalicelib.catalog.api.resource_models:ResourceOut",
    description=(
        "The room cannot be sold or assigned from the night of `from` to that of `to`: the "
        "type sells one room fewer on those nights. Refused with 409 `capacity_below_sold` "
        "(naming the orders) when the nights are sold out, 409 `room_assigned` when a stay "
        "sleeps in the room then, 422 `outage_overlaps` when the room is out of order then "
        "already. " + IF_MATCH
    ),
    headers=(IF_MATCH_HEADER,),
)
def put_out_of_order(call: Call) -> Reply:
    from chalicelib.catalog.api.resource_models import OutageIn

    body: OutageIn = call.body
    r = rooms.put_out_of_order(
        call.ctx,
        call.container.catalog_cache,
        call.path["resource_id"],
        body.to_domain(),
        expected_rev(call),
    )
    return resource_reply(r)


@route(
    bp,
    "/v1/resources/{resource_id}/outages/{room}/{date}",
    "DELETE",
    summary="Put a room back in order",
    tag="catalog",
    roles=MANAGE,
    response="chalicelib.catalog.api.resource_models:ResourceOut",
    description="Ends the room's outage that begins on `date`; the type sells it again. "
    + IF_MATCH,
    headers=(IF_MATCH_HEADER,),
)
def back_in_order(call: Call) -> Reply:
    r = rooms.back_in_order(
        call.ctx,
        call.container.catalog_cache,
        call.path["resource_id"],
        call.path["room"],
        path_date(call),
        expected_rev(call),
    )
    return resource_reply(r)


@route(
    bp,
    "/v1/resources/{resource_id}/rooms/{room}/housekeeping",
    "PUT",
    summary="Set a room's housekeeping status",
    tag="catalog",
    roles=OPERATE,
    scopes=BOOKINGS,
    body="chalicelib.catalog.api.resource_models:HousekeepingIn",
    response="chalicelib.catalog.api.resource_models:HousekeepingOut",
)
def set_housekeeping(call: Call) -> HousekeepingOut:
    """Clean, dirty or inspected; who set it and when are kept. It sells nothing, so no
    If-Match: the last word wins."""
    from chalicelib.catalog.api.resource_models import HousekeepingIn, HousekeepingOut

    body: HousekeepingIn = call.body
    done = rooms.set_housekeeping(
        call.ctx, call.path["resource_id"], call.path["room"], body.status
    )
    return HousekeepingOut(room=done.room, status=done.status.value, at=done.at, by=done.by)
