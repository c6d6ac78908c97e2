"""The SQS queues, defined once: the Chalice handlers, the local stack and the infra read this.

Each queue has a dead-letter queue named `<name>-dlq`; a message that fails
`max_receive_count` times lands there.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QueueSpec:
    name: str
    visibility_timeout: int = 60  # seconds; at least the handler's timeout
    max_receive_count: int = 5
    batch_size: int = 10

    @property
    def dlq_name(self) -> str:
        return f"{self.name}-dlq"


PROVISIONING = QueueSpec(name="reservoir-provisioning", visibility_timeout=180, batch_size=1)

# A hold's expiry is a message delayed until the hold ends (SQS delays up to 15 minutes;
# longer holds are re-sent with the rest of the delay).
HOLD_EXPIRY = QueueSpec(name="reservoir-hold-expiry", visibility_timeout=60, batch_size=10)
MAX_DELAY_SECONDS = 900

# Domain events from the outbox relay, one record per event, to the event dispatcher
# (workers/events.py) which runs every consumer (notifications, reminders, webhooks).
EVENTS = QueueSpec(name="reservoir-events", visibility_timeout=120, batch_size=10)

# Reminders due now: EventBridge Scheduler's one-time schedules send here (local: worker loop).
REMINDERS = QueueSpec(name="reservoir-reminders", visibility_timeout=60, batch_size=10)

# Tenant webhook deliveries, one record per attempt. Five records of at most 10 s each fit in
# the visibility timeout. A retry due later than SQS's 15-minute delay is a chain of delayed
# messages carrying `not_before`; a delivery that gives up after three days is sent to the
# dead-letter queue explicitly (the redrive policy only catches records that keep raising).
WEBHOOK_DELIVERIES = QueueSpec(
    name="reservoir-webhook-deliveries", visibility_timeout=90, batch_size=5
)

# Stripe webhook events, verified and de-duplicated by the API: the payments worker fetches
# the object's current state from Stripe and brings the order, account or plan in line.
PAYMENTS = QueueSpec(name="reservoir-payments", visibility_timeout=60, batch_size=10)

ALL_QUEUES: tuple[QueueSpec, ...] = (
    PROVISIONING,
    HOLD_EXPIRY,
    EVENTS,
    REMINDERS,
    WEBHOOK_DELIVERIES,
    PAYMENTS,
)
