"""A connection edited or mapped so that what its partner holds may be wrong or empty (it
now gets updates, or its address, events, mappings or status changed) is sent a full update
at once: a partner newly connected sees the whole picture without waiting for the next
booking, and one whose mappings changed drops what it no longer sells.

Only when the connection wants updates (active, an address, "availability" or "rates") and has
a secret to sign them with (a partner is never sent an unsigned update); a connection that
maps nothing yet is sent nothing. The full update is the manual sync's
(outbound_updates.request_sync), keyed by the connection's new version, so the same change
never queues two.
"""

from __future__ import annotations

from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.channels.domain.connections import ChannelMapping, Connection
from chalicelib.channels.services.connections import (
    ConnectionFields,
    edit_connection,
    get_connection,
    set_mappings,
)
from chalicelib.channels.services.outbound_marks import wants_updates
from chalicelib.channels.services.outbound_ports import OutboundContext
from chalicelib.channels.services.outbound_updates import NoUpdatesWanted, request_sync
from chalicelib.kernel.services.messaging_ports import MessageBus
from chalicelib.webhooks.services.webhooks import UrlPolicy


def edit_and_sync(
    ctx: OutboundContext,
    policy: UrlPolicy,
    bus: MessageBus,
    cache: CatalogCache,
    connection_id: str,
    fields: ConnectionFields,
    *,
    expected_version: int | None = None,
) -> Connection:
    before = get_connection(ctx, connection_id)
    after = edit_connection(ctx, policy, connection_id, fields, expected_version=expected_version)
    _sync_if_changed(ctx, bus, cache, before, after)
    return after


def map_and_sync(
    ctx: OutboundContext,
    bus: MessageBus,
    cache: CatalogCache,
    connection_id: str,
    mappings: list[ChannelMapping],
    *,
    expected_version: int | None = None,
) -> Connection:
    before = get_connection(ctx, connection_id)
    after = set_mappings(ctx, connection_id, mappings, expected_version=expected_version)
    _sync_if_changed(ctx, bus, cache, before, after)
    return after


def _what_the_partner_holds(c: Connection) -> tuple[object, ...]:
    return (c.status, c.outbound_url, tuple(sorted(c.events)), c.mappings)


def _sync_if_changed(
    ctx: OutboundContext,
    bus: MessageBus,
    cache: CatalogCache,
    before: Connection,
    after: Connection,
) -> None:
    if _what_the_partner_holds(before) == _what_the_partner_holds(after):
        return
    if not (wants_updates(after) and after.secret_set):
        return
    try:
        request_sync(ctx, bus, cache, after.id, f"v{after.version}")
    except NoUpdatesWanted:  # it maps none of the catalog's resources yet
        return
