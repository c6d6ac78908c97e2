"""How many webhook endpoints, channel connections, message templates of its own and staff alert
choices a tenant has: the consumers that would look for them (webhooks' fan-out, the channels'
availability marks, a message's or a reminder's templates, the staff alerts) skip their Query
when there are none, which is most small businesses' every event.

A count goes up before the item it counts is created and down after a delete that removed it
(kernel/adapters/listener_counts.py), so it never says "none" while one exists; a process that
dies between the two writes leaves it one too high (a Query per event, nothing else). A tenant
whose table is from before the counts has none (`Listeners` unknown: None), and a count that
was never started is None too (a table started before it was counted): its readers query as
they always did.
"""

from __future__ import annotations

from chalicelib.kernel.domain.values import value

WEBHOOK_ENDPOINTS = "webhook_endpoints"
CHANNEL_CONNECTIONS = "channel_connections"
TEMPLATES = "templates"
ALERT_PREFS = "alert_prefs"  # staff members' alert choices (`ALERTS`/`USER#<id>`)
COUNTS = (WEBHOOK_ENDPOINTS, CHANNEL_CONNECTIONS, TEMPLATES, ALERT_PREFS)


@value
class Listeners:
    """Each count, or None where it is not kept (unknown: query)."""

    webhook_endpoints: int | None = 0
    channel_connections: int | None = 0
    templates: int | None = 0
    alert_prefs: int | None = 0
