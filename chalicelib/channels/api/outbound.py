"""A connection's availability and rate updates: the delivery log, and a full update now."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.channels.services import outbound_updates
from chalicelib.tenancy.domain.staff import MANAGE, READ
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.channels.api.outbound_models import UpdateListOut, UpdateOut

bp = Blueprint(__name__)
TAG = "channels"
ONE = "/v1/channels/{connection_id}"


@route(
    bp,
    ONE + "/deliveries",
    "GET",
    summary="The availability and rate updates sent to a partner, newest first",
    tag=TAG,
    roles=READ,
    response="chalicelib.channels.api.outbound_models:UpdateListOut",
)
def list_updates(call: Call) -> UpdateListOut:
    """The last 50 updates (kept 30 days): what each covered, its status and attempts, the
    partner's last answer."""
    from chalicelib.channels.api.outbound_models import UpdateListOut, UpdateOut

    found = outbound_updates.list_deliveries(call.ctx, call.path["connection_id"])
    return UpdateListOut(data=[UpdateOut.of(d) for d in found])


@route(
    bp,
    ONE + "/sync",
    "POST",
    summary="Send the partner a full availability and rate update now",
    tag=TAG,
    roles=MANAGE,
    body="chalicelib.channels.api.outbound_models:SyncIn",
    response="chalicelib.channels.api.outbound_models:UpdateOut",
    status=202,
    raises=(outbound_updates.NoUpdatesWanted,),
)
def sync(call: Call) -> UpdateOut:
    """Every mapped resource over the horizon (a year of nights, half a year of sessions, a
    month of slots), queued now and retried like any update."""
    from chalicelib.channels.api.outbound_models import UpdateOut

    c = call.container
    delivery = outbound_updates.request_sync(
        call.ctx, c.bus, c.catalog_cache, call.path["connection_id"], call.stable_id("s")
    )
    return UpdateOut.of(delivery)
