"""The outbound updates' use cases for the routes: a connection's delivery log, and a full
update sent now (a sync: every mapped resource, over the horizon)."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.channels.domain.outbound import (
    HORIZON_DAYS,
    OutboundDelivery,
    UpdateReason,
    sync_delivery_id,
)
from chalicelib.channels.services.connections import active_connection, get_connection
from chalicelib.channels.services.outbound_delivery import queue_attempt
from chalicelib.channels.services.outbound_marks import mapped_resources, wants_updates
from chalicelib.channels.services.outbound_ports import OutboundContext
from chalicelib.kernel.domain.calendar import local_date
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.services.messaging_ports import MessageBus

DELIVERY_LOG_LIMIT = 50


class NoUpdatesWanted(InvalidInput):
    code = "connection_takes_no_updates"


def list_deliveries(ctx: OutboundContext, connection_id: str) -> list[OutboundDelivery]:
    """The connection's updates, newest first (404 for an unknown connection)."""
    connection = get_connection(ctx, connection_id)
    return ctx.data.channel_outbound.deliveries(connection.id, limit=DELIVERY_LOG_LIMIT)


def request_sync(
    ctx: OutboundContext, bus: MessageBus, cache: CatalogCache, connection_id: str, suffix: str
) -> OutboundDelivery:
    """Record a full update of every mapped resource over the horizon and queue its first
    attempt now. `suffix`: the request's stable id (an idempotent retry finds the same update).
    A disabled connection is 403 `connection_disabled`; one with no `outbound_url`, no
    "availability" nor "rates" among its events, or no mapping: 422."""
    connection = active_connection(ctx, connection_id)
    if not wants_updates(connection):
        raise NoUpdatesWanted(
            'The connection needs an outbound_url and "availability" or "rates" among its'
            " events to receive updates.",
            connection_id=connection.id,
        )
    snapshot = cache.get(ctx.tenant.id, ctx.data.catalog, fresh=True)
    resources = mapped_resources(connection, snapshot)
    if not resources:
        raise NoUpdatesWanted(
            "The connection maps none of the catalog's resources: nothing to send.",
            code="connection_maps_nothing",
            connection_id=connection.id,
        )
    now = ctx.now()
    today = local_date(parse(now), ctx.tenant.timezone)
    reach = max(HORIZON_DAYS[r.kind] for r in resources.values())
    delivery = ctx.data.channel_outbound.create_delivery(
        OutboundDelivery(
            id=sync_delivery_id(now, suffix),
            connection_id=connection.id,
            reason=UpdateReason.SYNC,
            resources=tuple(sorted(resources)),
            first=today.isoformat(),
            last=(today + timedelta(days=reach)).isoformat(),
            created_at=now,
        )
    )
    if delivery.attempts == 0:
        queue_attempt(bus, ctx.tenant.id, delivery, 1, now)
    return delivery
