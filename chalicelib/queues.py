"""The SQS queues, defined once: the Chalice handlers, the local stack and the infra read this.

Each queue has a dead-letter queue named `<name>-dlq`; a message that fails
`max_receive_count` times lands there.

The timing arithmetic lives here, once, per queue: `record_seconds` is the longest one record
may take, so the consuming function's timeout is `batch_size x record_seconds` (the infra sets
it from here) and the visibility timeout six times that (AWS's advice for SQS event sources: a
batch Lambda retries after an error or throttle must not reappear while still in flight).
A batch that runs out of time fails every record in it, other tenants' included: that is what
the arithmetic prevents (tests/integration/test_infra_template.py checks the template).
"""

from __future__ import annotations

from chalicelib.kernel.domain.values import value
from chalicelib.webhooks.domain.webhooks import DELIVERY_DEADLINE_SECONDS

VISIBILITY_PER_TIMEOUT = 6


@value
class QueueSpec:
    name: str
    record_seconds: int = 3  # the longest one record may take
    batch_size: int = 10
    max_receive_count: int = 5
    # 0: VISIBILITY_PER_TIMEOUT x function_timeout (a test's throwaway queue may set less).
    visibility_timeout: int = 0
    # The most invocations its event source mapping runs at once (ScalingConfig, 2 to 1000);
    # 0: as many as Lambda scales to.
    max_concurrency: int = 0

    def __post_init__(self) -> None:
        if not self.visibility_timeout:
            derived = VISIBILITY_PER_TIMEOUT * self.function_timeout
            object.__setattr__(self, "visibility_timeout", derived)

    @property
    def function_timeout(self) -> int:
        """Seconds: the consuming function's timeout, a whole batch at its slowest."""
        return self.batch_size * self.record_seconds

    @property
    def dlq_name(self) -> str:
        return f"{self.name}-dlq"


# One sign-up at a time: CreateTable, waiting for ACTIVE (DynamoTenantTables allows 120 s),
# TTL, PITR, tags, the owner's login.
PROVISIONING = QueueSpec(name="reservoir-provisioning", record_seconds=150, batch_size=1)

# A hold's expiry is a message delayed until the hold ends (SQS delays up to 15 minutes;
# longer holds are re-sent with the rest of the delay).
HOLD_EXPIRY = QueueSpec(name="reservoir-hold-expiry", record_seconds=3, batch_size=10)
MAX_DELAY_SECONDS = 900

# Domain events from the relay (the tenant tables' change streams, pipeline/stream.py), one
# record per event, fanned out to one queue per consumer group (pipeline/groups.py), each with
# its own dispatcher function (pipeline/workers.py): this platform's own bookkeeping (hold
# expiry, the booking count, reminder schedules, webhook deliveries, the audit log), the
# customer's messages (SES, SNS), and money (Stripe). A slow or failing outside service then
# delays and retries only its own group's work.
EVENTS = QueueSpec(name="reservoir-events", record_seconds=6, batch_size=10)
MESSAGE_EVENTS = QueueSpec(name="reservoir-message-events", record_seconds=6, batch_size=10)
PAYMENT_EVENTS = QueueSpec(name="reservoir-payment-events", record_seconds=10, batch_size=5)
# Bulk events (an import's `CustomerImported`, one per row: a file of 100,000 rows is 100,000
# messages) in their own group, so that they never queue ahead of any business's bookings; at
# most 20 invocations at once, so that a big import cannot take the account's Lambda concurrency
# from the bookings' functions either (at an assumed ~50 ms a row, 400 rows a second).
BULK_EVENTS = QueueSpec(
    name="reservoir-bulk-events", record_seconds=6, batch_size=10, max_concurrency=20
)

# Where the relay's event source mappings send a batch of stream records that failed every
# retry (their on-failure destination): a record to look at, not one to consume.
RELAY_FAILURES = "reservoir-relay-failures"

# Reminders due now: EventBridge Scheduler's one-time schedules send here (local: worker loop).
REMINDERS = QueueSpec(name="reservoir-reminders", record_seconds=3, batch_size=10)

# Tenant webhook deliveries, one record per attempt: at most one POST under its whole-request
# deadline, plus the tenant-table and queue calls around it. A retry due later than SQS's
# 15-minute delay is a chain of delayed messages carrying `not_before`; a delivery that gives
# up after three days is sent to the dead-letter queue explicitly (the redrive policy only
# catches records that keep raising).
WEBHOOK_DELIVERIES = QueueSpec(
    name="reservoir-webhook-deliveries",
    record_seconds=DELIVERY_DEADLINE_SECONDS + 2,
    batch_size=5,
)

# Stripe webhook events, verified and de-duplicated by the API: the payments worker fetches
# the object's current state from Stripe and brings the order, account or plan in line.
PAYMENTS = QueueSpec(name="reservoir-payments", record_seconds=5, batch_size=10)

# Bulk jobs (booking/services/bulk_jobs.py): one job a record, worked through order by order
# for at most `BULK_BUDGET_SECONDS`, the rest sent on as a new record.
BULK_BUDGET_SECONDS = 240
BULK_JOBS = QueueSpec(name="reservoir-bulk-jobs", record_seconds=300, batch_size=1)

# Imports (customers/services/import_runs.py): one import a record, worked through row by row
# for at most `IMPORT_BUDGET_SECONDS`, the rest sent on as a new record.
IMPORT_BUDGET_SECONDS = 240
IMPORTS = QueueSpec(name="reservoir-imports", record_seconds=300, batch_size=1)
# Campaigns (customers/services/campaign_send.py): one campaign a record, its customers walked
# for at most `CAMPAIGN_BUDGET_SECONDS`, the rest sent on as a new record.
CAMPAIGN_BUDGET_SECONDS = 240
CAMPAIGNS = QueueSpec(name="reservoir-campaigns", record_seconds=300, batch_size=1)

# Morning summaries (reports/services/summaries.py): one record per tenant due, sent by the
# quarter-hourly run; each reads a day's figures and sends a handful of e-mails.
SUMMARIES = QueueSpec(name="reservoir-summaries", record_seconds=10, batch_size=5)
# Rebuilds of the daily figures (reports/services/rebuild.py): one job a record; a job that
# dies is run again from its phase (each phase writes values, never additions).
REBUILDS = QueueSpec(name="reservoir-report-rebuilds", record_seconds=600, batch_size=1)
# The mail service's bounce and complaint notifications (customers/workers/mail_feedback.py):
# SES publishes them through the sends' configuration set to an SNS topic, which this queue is
# subscribed to (the SNS envelope kept: not raw delivery).
MAIL_FEEDBACK = QueueSpec(name="reservoir-mail-feedback", record_seconds=3, batch_size=10)
# Report exports (reports/services/export_runs.py): one export a record, written in one go
# within Lambda's 15 minutes (a million orders take a fraction of it: bench/report_exports.py);
# a passing failure is tried again, twice.
EXPORTS = QueueSpec(name="reservoir-exports", record_seconds=900, batch_size=1, max_receive_count=3)

# Availability and rate updates to channel partners (channels/services/outbound_delivery.py):
# a window's drain, an update's attempt (one POST under the webhooks' deadline, plus a Query
# per mapped resource to compute it), or a catalog change to mark. Retries are chains of
# delayed messages, as for webhooks; an update that gives up is sent to the dead-letter queue.
CHANNEL_UPDATES = QueueSpec(
    name="reservoir-channel-updates",
    record_seconds=DELIVERY_DEADLINE_SECONDS + 5,
    batch_size=5,
)

ALL_QUEUES: tuple[QueueSpec, ...] = (
    PROVISIONING,
    HOLD_EXPIRY,
    EVENTS,
    MESSAGE_EVENTS,
    PAYMENT_EVENTS,
    BULK_EVENTS,
    REMINDERS,
    WEBHOOK_DELIVERIES,
    PAYMENTS,
    BULK_JOBS,
    IMPORTS,
    CAMPAIGNS,
    SUMMARIES,
    REBUILDS,
    MAIL_FEEDBACK,
    EXPORTS,
    CHANNEL_UPDATES,
)

# Work a person started and waits for in minutes, not seconds (an import's rows, bulk jobs,
# campaigns, rebuilds, exports): the local worker loop serves these queues after the others in
# each round (local/worker_loop.py), one batch each, so however long they are, a booking's
# events wait at most one batch of each (but a job's one record holds the loop while it runs, up
# to its budget). On AWS each queue has its own function, and nothing waits behind another queue.
BACKGROUND_QUEUES: tuple[QueueSpec, ...] = (
    BULK_EVENTS,
    BULK_JOBS,
    IMPORTS,
    CAMPAIGNS,
    REBUILDS,
    EXPORTS,
)
BACKGROUND_NAMES = frozenset(spec.name for spec in BACKGROUND_QUEUES)
