"""Run the app's SQS and schedule handlers locally, the way Lambda would.

`chalice local` serves HTTP routes only. This loop fills the gap: it long-polls every queue an
`@app.on_sqs_message` handler listens to and ticks every `@app.schedule`, calling the very
functions Lambda calls (`app.handler_map[name]`, middleware included) with Lambda-shaped events
and a Lambda-like context.

SQS semantics kept on purpose, because handlers are written against them:
- a handler that returns `{"batchItemFailures": [{"itemIdentifier": id}, ...]}` (Powertools'
  `process_partial_response`) has only the other messages deleted; the listed ones become visible
  again after the queue's visibility timeout, and the queue's redrive policy moves them to the
  dead-letter queue after `maxReceiveCount` receives;
- an identifier that is empty or not in the batch fails the whole batch, as on AWS;
- a handler that raises has nothing deleted.
Deployed, partial responses need `ReportBatchItemFailures` on the event source mapping; the
infra switches it on, so this loop always honours them.

EventBridge Scheduler one-time schedules (`at(...)`, reminders) are fired each round when a
`scheduler` client is given: see local/schedules.py. The SQS records and partial batch
responses are local/sqs_events.py; the rate and cron rules of `@app.schedule`,
local/schedule_rules.py.

Tenant tables' streams are read when `dynamodb` and `dynamodb_streams` clients are given, and
their event records handed to the relay function (`pipeline.stream.RELAY_FUNCTION`), as the
event source mappings made at provisioning do on AWS: see local/streams.py.

Not run locally: S3, SNS, Kinesis, fixed-ARN DynamoDB stream and `on_cw_event` handlers (logged
at start).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chalice.app import Chalice, ScheduledEventConfig, SQSEventConfig

from chalicelib.pipeline.stream import RELAY_FUNCTION
from chalicelib.queues import BACKGROUND_NAMES, RELAY_FAILURES
from chalicelib.settings import from_environ
from local.receivers import IDLE_SECONDS, Receivers
from local.resources import Stack
from local.schedule_rules import (
    Cron,
    ScheduledHandler,
    expression_text,
    rate_seconds,
    scheduled_event,
)
from local.schedules import OneTimeSchedules
from local.sqs_events import SQS_MAX_BATCH, QueueHandler, failed_message_ids, queue_name, sqs_record
from local.streams import StreamReader, failure_message

log = logging.getLogger("reservoir.local.worker")
RECEIVING_CONNECTIONS = 32  # the receivers' client: a long poll per queue at once
STREAM_DRAIN_SECONDS = 2.0  # the longest a pass reads the streams before the queues' work


@dataclass
class LambdaContext:
    """The attributes of Lambda's context object that handlers and Powertools read."""

    function_name: str
    invoked_function_arn: str
    memory_limit_in_mb: int = 128
    timeout_seconds: float = 60.0
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = ""
    _started: float = field(default_factory=time.monotonic, repr=False)

    def get_remaining_time_in_millis(self) -> int:
        elapsed = time.monotonic() - self._started
        return max(0, int((self.timeout_seconds - elapsed) * 1000))


@dataclass
class RoundResult:
    """What one `run_round` did."""

    received: int = 0
    relayed: int = 0  # event records handed from the tables' streams to the relay
    deleted: int = 0
    failed: int = 0
    schedules_run: int = 0
    handler_errors: int = 0

    def __iadd__(self, other: RoundResult) -> RoundResult:
        self.received += other.received
        self.relayed += other.relayed
        self.deleted += other.deleted
        self.failed += other.failed
        self.schedules_run += other.schedules_run
        self.handler_errors += other.handler_errors
        return self


def discover(app: Chalice) -> tuple[list[QueueHandler], list[ScheduledHandler]]:
    """The app's SQS and schedule handlers (blueprints included: they register on the app)."""
    queues: list[QueueHandler] = []
    schedules: list[ScheduledHandler] = []
    for source in app.event_sources:
        handler = app.handler_map[source.name]
        if isinstance(source, SQSEventConfig):
            queues.append(QueueHandler(source.name, queue_name(source), source.batch_size, handler))
        elif isinstance(source, ScheduledEventConfig):
            text = expression_text(source.schedule_expression)
            interval = rate_seconds(text)
            cron = None if interval is not None else Cron.parse(text)
            schedules.append(ScheduledHandler(source.name, text, handler, interval, cron))
        else:
            log.warning("%s (%s) is not run by the local worker loop", source.name, type(source))
    return in_round_order(queues), schedules


def in_round_order(queues: list[QueueHandler]) -> list[QueueHandler]:
    """The order a round serves the queues in: the background queues (`BACKGROUND_QUEUES`: an
    import's customers, bulk jobs, campaigns...) after all the others. Each queue gets one
    receive a round, so however long the bulk events' queue is, a booking's events wait at most
    one batch of it, and the round serves them first. (A job's one record, an import's say, still
    holds the loop for as long as it runs: handlers share one batch processor, so they are not
    run on threads.)"""
    return sorted(queues, key=lambda queue: queue.queue_name in BACKGROUND_NAMES)


class WorkerLoop:
    """Polls the queues and ticks the schedules of one Chalice app.

    `sqs` is a boto3 SQS client for moto server. `wait_seconds` is `run_round`'s long-poll
    wait (its last receive, when the round found nothing). `run_forever` long-polls each queue
    on a thread of its own instead (local/receivers.py), through `receiving_sqs`.
    """

    def __init__(
        self,
        app: Chalice,
        sqs: Any,
        *,
        region: str = "us-east-1",
        account_id: str = "123456789012",
        stage: str = "local",
        wait_seconds: int = 1,
        clock: Callable[[], float] = time.time,
        scheduler: Any = None,
        schedule_group: str = "reservoir-reminders",
        dynamodb: Any = None,
        dynamodb_streams: Any = None,
        tenant_table_prefix: str = "reservoir-tenant-",
        tables: Callable[[str], bool] | None = None,
        replay_existing: bool = True,
        receiving_sqs: Any = None,
    ) -> None:
        self.app = app
        self.sqs = sqs
        # The receivers' client (local/receivers.py): one connection per queue's long poll.
        self.receiving_sqs = sqs if receiving_sqs is None else receiving_sqs
        self.region = region
        self.account_id = account_id
        self.stage = stage
        self.wait_seconds = wait_seconds
        self.clock = clock
        self.queues, self.schedules = discover(app)
        # EventBridge Scheduler's one-time schedules (reminders): moto keeps, this fires them.
        self.one_time = (
            None
            if scheduler is None
            else OneTimeSchedules(scheduler, sqs, group=schedule_group, clock=clock)
        )
        self.streams = (
            None
            if dynamodb is None or dynamodb_streams is None
            else StreamReader(
                dynamodb,
                dynamodb_streams,
                prefix=tenant_table_prefix,
                handler=app.handler_map[RELAY_FUNCTION],
                context=lambda: self._context(RELAY_FUNCTION, 60.0),
                on_failure=self._give_up,
                region=region,
                tables=tables,
                replay_existing=replay_existing,
            )
        )
        now = clock()
        for schedule in self.schedules:
            schedule.start(now)

    @classmethod
    def for_stack(
        cls,
        app: Chalice,
        stack: Stack,
        *,
        wait_seconds: int = 1,
        tables: Callable[[str], bool] | None = None,
        replay_existing: bool = True,
    ) -> WorkerLoop:
        """The loop `make dev` runs on a local stack: its queues, its one-time schedules and
        its tenant tables' streams (`tables`: only those, e.g. one test's own tenants;
        `replay_existing`: see local/streams.py)."""
        return cls(
            app,
            stack.client("sqs"),
            wait_seconds=wait_seconds,
            scheduler=stack.client("scheduler"),
            dynamodb=stack.client("dynamodb"),
            dynamodb_streams=stack.client("dynamodbstreams"),
            tenant_table_prefix=from_environ(stack.env).tenant_table_prefix,
            tables=tables,
            replay_existing=replay_existing,
            receiving_sqs=stack.client("sqs", connections=RECEIVING_CONNECTIONS),
        )

    def run_round(self, wait_seconds: int | None = None) -> RoundResult:
        """The streams, one receive per queue (the background queues last: `in_round_order`),
        then every schedule that has come due.

        Only the round's last receive long-polls (`wait_seconds`), and only when the round has
        found nothing so far: an idle round waits once, not once per queue, and a busy one not
        at all, so an event goes from its commit through the stream, the relay and the events
        queue to its consumers within a round or two."""
        wait = self.wait_seconds if wait_seconds is None else wait_seconds
        result = self._schedules_and_streams()
        for n, queue in enumerate(self.queues):
            last = n == len(self.queues) - 1
            idle = result.received == 0 and result.relayed == 0 and result.schedules_run == 0
            result += self._poll(queue, wait if last and idle else 0)
        result += self._tick(self.clock())
        return result

    def pulse(self) -> RoundResult:
        """A round without the queues: the one-time schedules due, the streams, the rules due."""
        result = self._schedules_and_streams()
        result += self._tick(self.clock())
        return result

    def _schedules_and_streams(self) -> RoundResult:
        """What every round starts with, queues or not: the one-time schedules that have come
        due (a reminder's message is then in its queue for this round), then the streams."""
        result = RoundResult()
        if self.one_time is not None:
            result.schedules_run += self.one_time.fire_due()
        if self.streams is not None:
            # On AWS the streams' mappings run beside the consumers, not between their
            # batches: a full batch read means more is waiting, so read on (within a budget).
            # One batch a pass kept a tenant's next booking minutes behind its 3,000-row
            # import's events while the bulk consumers worked (an outside tester's finding).
            until = time.monotonic() + STREAM_DRAIN_SECONDS
            while True:
                result.relayed += self.streams.poll()
                if not self.streams.backlog or time.monotonic() >= until:
                    break
        return result

    def run_forever(self, stop_event: threading.Event) -> None:
        """Until `stop_event`: each queue long-polled on a thread of its own, every handler on
        this one (local/receivers.py), the streams and schedules between batches."""
        log.info(
            "worker loop: queues %s; schedules %s",
            [q.queue_name for q in self.queues] or "none",
            [f"{s.name} {s.expression}" for s in self.schedules] or "none",
        )
        receivers = Receivers(self, stop_event).start()
        while not stop_event.is_set():
            try:
                busy = self.pulse()
                receivers.handle_ready(0 if busy.relayed or busy.schedules_run else IDLE_SECONDS)
            except Exception:  # an emulator hiccup must not end local development
                log.exception("worker loop round failed; retrying")
                stop_event.wait(1.0)
        receivers.give_back_waiting()

    # -- internals ------------------------------------------------------------------------

    def _context(self, name: str, timeout: float) -> LambdaContext:
        function = f"{self.app.app_name}-{self.stage}-{name}"
        arn = f"arn:aws:lambda:{self.region}:{self.account_id}:function:{function}"
        return LambdaContext(
            function_name=function, invoked_function_arn=arn, timeout_seconds=timeout
        )

    def _give_up(self, records: list[dict[str, Any]]) -> None:
        """The relay's on-failure destination: the records, on the failure queue."""
        url = self.sqs.get_queue_url(QueueName=RELAY_FAILURES)["QueueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody=failure_message(records))

    def resolve(self, queue: QueueHandler, *, sqs: Any = None) -> bool:
        """Learn the queue's URL, ARN and visibility timeout (once it exists)."""
        if queue.queue_url is not None:
            return True
        sqs = sqs or self.sqs
        try:
            url = sqs.get_queue_url(QueueName=queue.queue_name)["QueueUrl"]
        except sqs.exceptions.QueueDoesNotExist:
            log.warning("queue %s does not exist (yet); %s waits", queue.queue_name, queue.name)
            return False
        attributes = sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=["QueueArn", "VisibilityTimeout"]
        )["Attributes"]
        queue.queue_url, queue.queue_arn = url, attributes["QueueArn"]
        queue.visibility_timeout = int(attributes["VisibilityTimeout"])
        return True

    def _poll(self, queue: QueueHandler, wait_seconds: int) -> RoundResult:
        if not self.resolve(queue):
            return RoundResult()
        return self.handle(queue, self.receive(queue, wait_seconds))

    def receive(
        self, queue: QueueHandler, wait_seconds: int, *, sqs: Any = None
    ) -> list[dict[str, Any]]:
        """One receive from a resolved queue: up to its batch size."""
        return list(
            (sqs or self.sqs)
            .receive_message(
                QueueUrl=queue.queue_url,
                MaxNumberOfMessages=min(queue.batch_size, SQS_MAX_BATCH),
                WaitTimeSeconds=wait_seconds,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            )
            .get("Messages", [])
        )

    def handle(self, queue: QueueHandler, messages: list[dict[str, Any]]) -> RoundResult:
        """Call the queue's handler with the batch as Lambda would, and delete what it did not
        report failed."""
        if not messages:
            return RoundResult()
        assert queue.queue_arn is not None
        event = {"Records": [sqs_record(m, queue.queue_arn, self.region) for m in messages]}
        ids = [m["MessageId"] for m in messages]
        context = self._context(queue.name, queue.visibility_timeout)
        try:
            failed = failed_message_ids(queue.handler(event, context), ids)
        except Exception:
            # Lambda retries the whole batch: delete nothing, let visibility run out.
            log.exception(
                "%s raised on %d message(s) of %s", queue.name, len(ids), queue.queue_name
            )
            return RoundResult(received=len(ids), failed=len(ids), handler_errors=1)
        done = [m for m in messages if m["MessageId"] not in failed]
        self._delete(queue, done)
        if failed:
            log.warning("%s: %d of %d message(s) failed", queue.name, len(failed), len(ids))
        return RoundResult(received=len(ids), deleted=len(done), failed=len(failed))

    def _delete(self, queue: QueueHandler, messages: list[dict[str, Any]]) -> None:
        if not messages:
            return
        entries = [
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)
        ]
        response = self.sqs.delete_message_batch(QueueUrl=queue.queue_url, Entries=entries)
        for failure in response.get("Failed", []):
            log.warning("could not delete a message from %s: %s", queue.queue_name, failure)

    def _tick(self, now: float) -> RoundResult:
        result = RoundResult()
        for schedule in self.schedules:
            for moment in schedule.due_times(now):
                rule = f"{self.app.app_name}-{self.stage}-{schedule.name}-event"
                rule_arn = f"arn:aws:events:{self.region}:{self.account_id}:rule/{rule}"
                event = scheduled_event(rule_arn, moment, self.account_id, self.region)
                result.schedules_run += 1
                try:
                    schedule.handler(event, self._context(schedule.name, 60.0))
                except Exception:
                    log.exception("schedule %s raised", schedule.name)
                    result.handler_errors += 1
        return result
