"""Overbooking conflicts (channels/services/conflicts.py): the open ones, and resolving one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.booking.api.order_replies import reply
from chalicelib.channels.services import conflicts
from chalicelib.kernel.domain.errors import Conflict, NotFound, TransientFailure
from chalicelib.tenancy.domain.staff import OPERATE, READ
from chalicelib.web.routing import Call, Reply, route

if TYPE_CHECKING:
    from chalicelib.channels.api.conflict_models import OverbookingListOut

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/overbookings",
    "GET",
    summary="The open overbooking conflicts",
    tag="channels",
    roles=READ,
    response="chalicelib.channels.api.conflict_models:OverbookingListOut",
)
def list_overbookings(call: Call) -> OverbookingListOut:
    from chalicelib.booking.api.booking_models import order_out
    from chalicelib.channels.api.conflict_models import OverbookingListOut

    tz = call.ctx.tenant.timezone
    found = conflicts.open_conflicts(call.ctx)
    return OverbookingListOut(data=[order_out(order, tz) for order in found])


@route(
    bp,
    "/v1/overbookings/{order_id}/resolve",
    "POST",
    summary="Move or relocate an overbooked guest",
    tag="channels",
    roles=OPERATE,
    body="chalicelib.channels.api.conflict_models:ResolveIn",
    response="chalicelib.booking.api.booking_models:OrderOut",
    raises=(NotFound, Conflict, TransientFailure),
)
def resolve_overbooking(call: Call) -> Reply:
    """`move` takes units now, in one transaction (409 `no_free_unit` when none is free);
    `relocate` cancels the order by the business (it costs the guest nothing)."""
    from chalicelib.channels.api.conflict_models import ResolveIn

    body: ResolveIn = call.body
    order = conflicts.resolve(
        call.ctx,
        call.container.catalog_cache,
        call.path["order_id"],
        action=body.action,
        resource_id=body.resource_id,
        note=body.note,
    )
    return reply(call, order)
