"""The catalog capability's blueprints, in the order app.py registers them: resources, offerings and
their calendars."""

from __future__ import annotations

from chalicelib.catalog.api import catalog, rooms

BLUEPRINTS = (catalog.bp, rooms.bp)
