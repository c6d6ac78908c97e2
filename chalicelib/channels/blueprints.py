"""The channels capability's blueprints, in the order app.py registers them."""

from __future__ import annotations

from chalicelib.channels.api import outbound as outbound_routes
from chalicelib.channels.workers import outbound as outbound_worker

BLUEPRINTS: tuple[object, ...] = ()
# Availability and rate updates to partners: the delivery log and sync routes, the sender.
BLUEPRINTS += (outbound_routes.bp, outbound_worker.bp)
