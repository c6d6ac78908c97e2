"""The booking capability's blueprints, in the order app.py registers them: availability and orders
for staff and servers, the widget's public routes, calendar feeds; the hold worker."""

from __future__ import annotations

from chalicelib.booking.api import calendar_feeds, order_lists, orders, public, rooms
from chalicelib.booking.workers import holds

BLUEPRINTS = (orders.bp, order_lists.bp, rooms.bp, public.bp, calendar_feeds.bp, holds.bp)
