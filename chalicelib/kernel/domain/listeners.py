"""How many webhook endpoints and channel connections a tenant has: the event consumers that
deliver to them (webhooks' fan-out, the channels' availability marks) skip their Query when
there are none, which is most small businesses' every event.

A count goes up before the item it counts is created and down after a delete that removed it
(kernel/adapters/listener_counts.py), so it never says "none" while one exists; a process that
dies between the two writes leaves it one too high (a Query per event, nothing else). A tenant
whose table is from before the counts has none (`Listeners` unknown: None): its consumers query
as they always did.
"""

from __future__ import annotations

from chalicelib.kernel.domain.values import value

WEBHOOK_ENDPOINTS = "webhook_endpoints"
CHANNEL_CONNECTIONS = "channel_connections"


@value
class Listeners:
    webhook_endpoints: int = 0
    channel_connections: int = 0
