"""The channels capability's blueprints, in the order app.py registers them."""

from __future__ import annotations

from chalicelib.channels.api import conflicts as conflict_routes
from chalicelib.channels.api import inbound as inbound_routes

BLUEPRINTS: tuple[object, ...] = (
    inbound_routes.bp,
    conflict_routes.bp,
)
