"""The catalog capability's blueprints, in the order app.py registers them: resources, offerings and
their calendars, the price list."""

from __future__ import annotations

from chalicelib.catalog.api import catalog, price_list, rooms

BLUEPRINTS = (catalog.bp, rooms.bp, price_list.bp)
