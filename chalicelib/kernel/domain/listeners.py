"""How many webhook endpoints and channel connections a tenant has: the event consumers that
deliver to them (webhooks' fan-out, the channels' availability marks) skip their Query when
there are none, which is most small businesses' every event.

The counts are exact: each is moved in the same transaction as the item it counts is created or
deleted (kernel/adapters/listener_counts.py), so they never say "none" while one exists. A
tenant whose table is from before the counts has none (`Listeners` unknown: None): its
consumers query as they always did.
"""

from __future__ import annotations

from chalicelib.kernel.domain.values import value

WEBHOOK_ENDPOINTS = "webhook_endpoints"
CHANNEL_CONNECTIONS = "channel_connections"


@value
class Listeners:
    webhook_endpoints: int = 0
    channel_connections: int = 0
