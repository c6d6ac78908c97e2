"""Marking what partners must hear about: the order events that move units, and catalog changes.

Each change marks, for every connection that wants updates (active, an `outbound_url`,
"availability" or "rates" among its events), the mapped resources it touched and its local dates,
in the connection's current window (channels/domain/outbound.py). The window's one message is
queued by the mark that opens it, delayed until the window is over; the sender
(outbound_delivery.py) then drains it into one update.

Events (the bookkeeping group's consumer `MarkChannelUpdates`): a room block's creation and
release (kernel/domain/block_events.py: the group's rooms off sale, then back), and the order
events that change units:
`OrderHeld` (units taken), `OrderCancelled` and `OrderExpired` (given back), `OrderRescheduled`
(moved: new dates or times, another room type, a longer or shorter stay) and `OrderConfirmed`
when it revives an expired hold (units taken again). A room given or moved within its type
(`OrderRoomAssigned`) changes no room type's count, nor does a check-in, a completion or a
no-show: they are not taken.

Catalog changes (a resource's capacity, hours, closures, overrides, rooms out of order, an
offering's price) are not domain events: the catalog's use cases tell the catalog cache that the
tenant's catalog changed (`CatalogCache.changed`), and the composition root hands the cache a
watcher (`catalog_watcher` below) that queues one message naming what changed; its handler
marks the mapped resources over the whole horizon. That message is sent after the catalog's
write: a process that dies in between loses it (the next change, or a sync, sends the state).

The business's closed dates (`opening_hours.closed_dates`: partners are sent them closed, a stop
sell) are the tenant's settings, not the catalog's: tenancy tells the watcher it is handed
(`closed_dates_watcher` below, through the composition root) the dates a change closed or
opened, once the change is saved; its message marks every mapped resource from the first of
those dates to the last (never before today), with the same loss as a catalog change's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any, Protocol

from chalicelib.booking.domain.orders import Order
from chalicelib.catalog.domain.catalog import MAX_NIGHTS, Resource
from chalicelib.catalog.services.catalog_view import CatalogCache, CatalogSnapshot
from chalicelib.channels.domain.connections import ChannelMapping, Connection
from chalicelib.channels.domain.outbound import (
    HORIZON_DAYS,
    UPDATE_EVENTS,
    Marks,
    drain_delay,
    marks_of_takes,
    needs_message,
    window_of,
)
from chalicelib.channels.services.connections import list_connections
from chalicelib.channels.services.outbound_ports import OutboundContext
from chalicelib.kernel.domain.block_events import RoomBlockCreated, RoomBlockReleased
from chalicelib.kernel.domain.calendar import local_date, parse_iso_utc
from chalicelib.kernel.domain.events import (
    OrderCancelled,
    OrderCompleted,
    OrderConfirmed,
    OrderEvent,
    OrderExpired,
    OrderHeld,
    OrderMarkedNoShow,
    OrderNoShowUndone,
    OrderRescheduled,
)
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.services.messaging_ports import MessageBus
from chalicelib.queues import CHANNEL_UPDATES

# A revival (payments: a late payment for an expired hold) takes the units again.
REVIVED_FROM = frozenset({"expired"})


class OutboundDeps(Protocol):
    @property
    def bus(self) -> MessageBus: ...
    @property
    def catalog_cache(self) -> CatalogCache: ...


class MarkChannelUpdates:
    """The bookkeeping group's consumer (pipeline/consumers.py) of the events that move units."""

    name = "channel_updates"
    events = (
        OrderHeld,
        OrderCancelled,
        OrderExpired,
        OrderRescheduled,
        OrderConfirmed,
        OrderCompleted,  # a table checked out early gives back its slots (turned_early.py)
        OrderMarkedNoShow,  # and so does a no-show's
        OrderNoShowUndone,  # which takes them again
        RoomBlockCreated,  # a group's rooms off sale
        RoomBlockReleased,  # what the group did not pick up, back on sale
    )
    # Marks are set additions, and the window's message is queued once per window (and again
    # only for a window whose opener died): running it again for an event changes nothing.
    repeatable = True
    # Lists the connections only while the tenant counts some (pipeline/event_data.py).
    reads_listeners = True

    def handle(
        self,
        ctx: OutboundContext,
        event: OrderEvent | RoomBlockCreated | RoomBlockReleased,
        deps: OutboundDeps,
    ) -> None:
        if isinstance(event, (RoomBlockCreated, RoomBlockReleased)):
            mark_block(ctx, event, deps)
            return
        if isinstance(event, OrderConfirmed) and event.previous_status not in REVIVED_FROM:
            return
        # The connections first (one Query): a tenant with no partner to update reads no order.
        connections = updating_connections(ctx)
        if not connections:
            return
        order = ctx.data.orders.get(event.order_id)
        if order is None:
            return
        tz = ctx.tenant.timezone
        if isinstance(event, (OrderCompleted, OrderMarkedNoShow, OrderNoShowUndone)):
            # The slots a check-out or a no-show gave back are no longer in its takes: the
            # lines name their resources and days (a reviewer's: partners kept the freed table
            # as sold).
            marks = _begun_slots(order)
            if marks is not None:
                mark_connections(ctx, deps.bus, deps.catalog_cache, marks, connections=connections)
            return
        also: list[date] = []
        if isinstance(event, OrderRescheduled):
            # The event does not say what the lines were: the old start's date, and as many
            # nights after it as a stay can have, for every mapped resource (the order may
            # have left a room type, or dropped nights at its end).
            before = local_date(parse_iso_utc(event.previous_start), tz)  # the compact UTC form
            also = [before, before + timedelta(days=MAX_NIGHTS)]
        marks = marks_of_takes(order.takes, tz, also=also)
        if marks is not None:
            mark_connections(
                ctx,
                deps.bus,
                deps.catalog_cache,
                marks,
                every_mapped=isinstance(event, OrderRescheduled),
                connections=connections,
            )


def _begun_slots(order: Order) -> Marks | None:
    """The timed lines' resources and days: what a check-out may have given back."""
    timed = [line for line in order.lines if not line.nights]
    if not timed:
        return None
    days = [date.fromisoformat(line.local_date) for line in timed]
    resources = frozenset(a.resource_id for line in timed for a in line.allocations)
    return Marks(resources, min(days), max(days))


def mark_block(
    ctx: OutboundContext, event: RoomBlockCreated | RoomBlockReleased, deps: OutboundDeps
) -> None:
    """A block took its room type's units on its nights, or gave back what was not picked up:
    the partners that sell the type hear of those nights (no order to read)."""
    first = date.fromisoformat(event.first_night)
    last = first + timedelta(days=max(event.nights, 1) - 1)
    marks = Marks(frozenset({event.resource_id}), first, last)
    mark_connections(ctx, deps.bus, deps.catalog_cache, marks)


def wants_updates(connection: Connection) -> bool:
    return bool(
        connection.active
        and connection.outbound_url
        and UPDATE_EVENTS & frozenset(connection.events)
    )


def mapped_resources(connection: Connection, snapshot: CatalogSnapshot) -> dict[str, Resource]:
    """Every resource the connection's mappings sell: a mapping's own resource, or every
    resource that can serve its offering's first requirement."""
    out: dict[str, Resource] = {}
    for mapping in connection.mappings:
        for resource in served_by(mapping, snapshot):
            out[resource.id] = resource
    return out


def served_by(mapping: ChannelMapping, snapshot: CatalogSnapshot) -> list[Resource]:
    if mapping.resource_id:
        resource = snapshot.resources.get(mapping.resource_id)
        return [resource] if resource is not None else []
    offering = snapshot.offerings.get(mapping.offering_id)
    if offering is None or not offering.requirements:
        return []
    return snapshot.candidates(offering)[0]


def updating_connections(ctx: OutboundContext) -> list[Connection]:
    return [c for c in list_connections(ctx) if wants_updates(c)]


def mark_connections(
    ctx: OutboundContext,
    bus: MessageBus,
    cache: CatalogCache,
    marks: Marks,
    *,
    every_mapped: bool = False,
    pick: Callable[[Connection, CatalogSnapshot], Iterable[str]] | None = None,
    connections: list[Connection] | None = None,
) -> list[str]:
    """Mark the change for every connection that sells one of its resources; the ids of the
    connections marked."""
    if connections is None:
        connections = updating_connections(ctx)
    if not connections:
        return []
    snapshot = cache.get(ctx.tenant.id, ctx.data.catalog)
    marked = []
    for connection in connections:
        mapped = set(mapped_resources(connection, snapshot))
        if pick is not None:
            resources = mapped & set(pick(connection, snapshot))
        elif every_mapped:
            resources = mapped
        else:
            resources = mapped & set(marks.resources)
        if resources:
            mark_one(ctx, bus, connection.id, Marks(frozenset(resources), marks.first, marks.last))
            marked.append(connection.id)
    return marked


def mark_one(ctx: OutboundContext, bus: MessageBus, connection_id: str, marks: Marks) -> int:
    """Mark one connection's current window; queue the window's message if this mark opened
    it (or its opener died before queuing it). The window that took the marks."""
    now = ctx.now()
    result = ctx.data.channel_outbound.mark(connection_id, window_of(now), marks, now=now)
    if needs_message(result, now):
        message = {
            "kind": "window",
            "tenant_id": ctx.tenant.id,
            "connection_id": connection_id,
            "window": result.window,
        }
        bus.send(CHANNEL_UPDATES.name, message, delay_seconds=drain_delay(result.window, now))
        ctx.data.channel_outbound.note_scheduled(connection_id, result.window)
    return result.window


# -- catalog changes -------------------------------------------------------------------------


def catalog_watcher(bus: Callable[[], MessageBus]) -> Callable[[str, list[str], list[str]], None]:
    """What the composition root hands `CatalogCache`: one message per catalog change."""

    def changed(tenant_id: str, resource_ids: list[str], offering_ids: list[str]) -> None:
        message = {
            "kind": "catalog",
            "tenant_id": tenant_id,
            "resource_ids": sorted(resource_ids),
            "offering_ids": sorted(offering_ids),
        }
        bus().send(CHANNEL_UPDATES.name, message)

    return changed


def closed_dates_watcher(bus: Callable[[], MessageBus]) -> Callable[[str, list[date]], None]:
    """What the composition root hands tenancy: one message per change of the closed dates."""

    def changed(tenant_id: str, dates: list[date]) -> None:
        message = {
            "kind": "closed_dates",
            "tenant_id": tenant_id,
            "first": min(dates).isoformat(),
            "last": max(dates).isoformat(),
        }
        bus().send(CHANNEL_UPDATES.name, message)

    return changed


def mark_closed_dates(
    ctx: OutboundContext, bus: MessageBus, cache: CatalogCache, message: dict[str, Any]
) -> list[str]:
    """Dates were closed or opened: every mapped resource, from the first to the last of them
    (today on); the ids of the connections marked."""
    today = local_date(parse(ctx.now()), ctx.tenant.timezone)
    first = max(date.fromisoformat(str(message["first"])), today)
    last = date.fromisoformat(str(message["last"]))
    if last < first:
        return []  # only past dates changed: nothing a partner still sells
    return mark_connections(ctx, bus, cache, Marks(frozenset(), first, last), every_mapped=True)


def mark_catalog_change(
    ctx: OutboundContext, bus: MessageBus, cache: CatalogCache, message: dict[str, Any]
) -> list[str]:
    """A resource or an offering changed: its mapped resources, over the whole horizon."""
    resource_ids = set(message.get("resource_ids") or [])
    offering_ids = set(message.get("offering_ids") or [])

    def pick(connection: Connection, snapshot: CatalogSnapshot) -> Iterable[str]:
        for mapping in connection.mappings:
            served = served_by(mapping, snapshot)
            if mapping.offering_id in offering_ids or any(r.id in resource_ids for r in served):
                yield from (r.id for r in served)

    today = local_date(parse(ctx.now()), ctx.tenant.timezone)
    last = today + timedelta(days=max(HORIZON_DAYS.values()))
    cache.invalidate(ctx.tenant.id)
    return mark_connections(ctx, bus, cache, Marks(frozenset(), today, last), pick=pick)
