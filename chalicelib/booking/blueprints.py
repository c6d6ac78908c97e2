"""The booking capability's blueprints, in the order app.py registers them: availability and
orders for staff and servers, rooms, room blocks, bulk jobs, the widget's public routes,
calendar feeds; the hold and bulk workers."""

from __future__ import annotations

from chalicelib.booking.api import (
    blocks,
    bulk,
    calendar_feeds,
    order_lists,
    orders,
    print_routes,
    public,
    rooms,
)
from chalicelib.booking.workers import bulk as bulk_worker
from chalicelib.booking.workers import holds

BLUEPRINTS = (
    orders.bp,
    order_lists.bp,
    print_routes.bp,
    rooms.bp,
    blocks.bp,
    bulk.bp,
    public.bp,
    calendar_feeds.bp,
    holds.bp,
    bulk_worker.bp,
)
