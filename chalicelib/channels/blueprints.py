"""The channels capability's blueprints, in the order app.py registers them: connections,
their credentials, partners' orders and statements, the partner's own routes; the channel
managers' webhooks and the overbooking conflicts."""

from __future__ import annotations

from chalicelib.channels.api import conflicts as conflict_routes
from chalicelib.channels.api import (
    connection_credentials,
    connections,
    octo,
    partner_routes,
    statement_routes,
)
from chalicelib.channels.api import inbound as inbound_routes
from chalicelib.channels.api import outbound as outbound_routes
from chalicelib.channels.workers import outbound as outbound_worker

BLUEPRINTS: tuple[object, ...] = (
    connections.bp,
    connection_credentials.bp,
    statement_routes.bp,
    partner_routes.bp,
    inbound_routes.bp,
    conflict_routes.bp,
    # Availability and rate updates to partners: the delivery log and sync routes, the sender.
    outbound_routes.bp,
    outbound_worker.bp,
    octo.bp,
)
