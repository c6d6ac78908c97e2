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
`scheduler` client is given: see local/schedules.py.

Not run locally: S3, SNS, Kinesis, DynamoDB stream and `on_cw_event` handlers (logged at start).
"""

from __future__ import annotations

import base64
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from chalice.app import Chalice, ScheduledEventConfig, ScheduleExpression, SQSEventConfig

from local.schedules import OneTimeSchedules

log = logging.getLogger("reservoir.local.worker")

SQS_MAX_BATCH = 10  # ReceiveMessage returns at most 10 messages


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


# ---------------------------------------------------------------------------------------------
# Schedules


_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
_MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}
_WEEKDAYS = {d: i for i, d in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], 1)}
# (low, high, names) for minutes, hours, day of month, month, day of week (1 = Sunday), year.
_CRON_FIELDS: tuple[tuple[int, int, dict[str, int]], ...] = (
    (0, 59, {}),
    (0, 23, {}),
    (1, 31, {}),
    (1, 12, _MONTHS),
    (1, 7, _WEEKDAYS),
    (1970, 2199, {}),
)


def rate_seconds(expression: str) -> int | None:
    """Seconds between runs of `rate(N unit)`, or None if it is not a rate expression."""
    match = _RATE.match(expression.strip())
    if match is None:
        return None
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2).rstrip("s")]


def _cron_value(token: str, names: dict[str, int]) -> int:
    if token in names:
        return names[token]
    if token.isdigit():
        return int(token)
    raise ValueError(f"cron value {token!r} is not supported locally (L, W and # are not)")


def _cron_values(text: str, low: int, high: int, names: dict[str, int]) -> frozenset[int]:
    """One cron field (`*`, `?`, `5`, `1-5`, `MON-FRI`, `0/15`, `*/10`, lists) -> its values."""
    values: set[int] = set()
    for part in text.upper().split(","):
        span, _, step_text = part.partition("/")
        step = _cron_value(step_text, {}) if step_text else 1
        if span in ("*", "?"):
            first, last = low, high
        elif "-" in span:
            start, end = span.split("-", 1)
            first, last = _cron_value(start, names), _cron_value(end, names)
        else:
            first = _cron_value(span, names)
            last = high if step_text else first
        if not low <= first <= last <= high or step < 1:
            raise ValueError(f"cron field {part!r} is outside {low}-{high}")
        values.update(range(first, last + 1, step))
    return frozenset(values)


@dataclass(frozen=True)
class Cron:
    """An EventBridge `cron(min hour day-of-month month day-of-week year)`, in UTC."""

    fields: tuple[frozenset[int], ...]

    @classmethod
    def parse(cls, expression: str) -> Cron:
        inner = expression.strip()
        if not (inner.startswith("cron(") and inner.endswith(")")):
            raise ValueError(f"not a cron expression: {expression!r}")
        parts = inner[5:-1].split()
        if len(parts) != 6:
            raise ValueError(f"cron needs 6 fields, got {len(parts)}: {expression!r}")
        return cls(
            tuple(
                _cron_values(part, low, high, names)
                for part, (low, high, names) in zip(parts, _CRON_FIELDS, strict=True)
            )
        )

    def matches(self, moment: datetime) -> bool:
        weekday = (moment.weekday() + 1) % 7 + 1  # Python: Monday 0; EventBridge: Sunday 1
        wanted = (moment.minute, moment.hour, moment.day, moment.month, weekday, moment.year)
        return all(value in allowed for value, allowed in zip(wanted, self.fields, strict=True))


def _expression_text(expression: str | ScheduleExpression) -> str:
    return expression if isinstance(expression, str) else expression.to_string()


@dataclass
class ScheduledHandler:
    """One `@app.schedule` registration and when it next runs."""

    name: str
    expression: str
    handler: Callable[[dict[str, Any], Any], Any]
    interval: int | None = None  # seconds, for rate()
    cron: Cron | None = None
    next_due: float = 0.0  # rate: epoch seconds
    last_minute: int = 0  # cron: last whole minute (epoch // 60) already considered

    def start(self, now: float) -> None:
        # Like EventBridge, a rate schedule first fires one interval after it is created.
        self.next_due = now + (self.interval or 0)
        self.last_minute = int(now // 60)

    def due_times(self, now: float) -> list[float]:
        """The moments (epoch seconds) this schedule fires in (last check, now]."""
        if self.interval is not None:
            if now < self.next_due:
                return []
            fired = self.next_due
            # After a long pause (a suspended laptop) run once, not once per missed interval.
            self.next_due = max(self.next_due + self.interval, now + 1e-6)
            return [fired]
        assert self.cron is not None
        minute = int(now // 60)
        # At most an hour of catching up; matching minutes fire in order.
        first = max(self.last_minute + 1, minute - 59)
        self.last_minute = max(self.last_minute, minute)
        return [
            m * 60.0
            for m in range(first, minute + 1)
            if self.cron.matches(datetime.fromtimestamp(m * 60, UTC))
        ]


# ---------------------------------------------------------------------------------------------
# SQS


@dataclass
class QueueHandler:
    """One `@app.on_sqs_message` registration and its queue."""

    name: str
    queue_name: str
    batch_size: int
    handler: Callable[[dict[str, Any], Any], Any]
    queue_url: str | None = None
    queue_arn: str | None = None
    visibility_timeout: int = 30


def _queue_name(config: SQSEventConfig) -> str:
    if config.queue:
        return config.queue
    assert config.queue_arn, "chalice requires queue or queue_arn"
    return config.queue_arn.rsplit(":", 1)[-1]


def _lambda_message_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    """ReceiveMessage's MessageAttributes -> the camel-cased shape of Lambda's SQS records."""
    converted = {}
    for name, value in attributes.items():
        entry: dict[str, Any] = {
            "dataType": value["DataType"],
            "stringListValues": [],
            "binaryListValues": [],
        }
        if "StringValue" in value:
            entry["stringValue"] = value["StringValue"]
        if "BinaryValue" in value:
            entry["binaryValue"] = base64.b64encode(value["BinaryValue"]).decode("ascii")
        converted[name] = entry
    return converted


def sqs_record(message: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    """One message from ReceiveMessage as a record of Lambda's SQS event."""
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": dict(message.get("Attributes", {})),
        "messageAttributes": _lambda_message_attributes(message.get("MessageAttributes", {})),
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


def scheduled_event(rule_arn: str, moment: float, account: str, region: str) -> dict[str, Any]:
    """An EventBridge scheduled event, as Lambda receives it."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": account,
        "time": datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [rule_arn],
        "detail": {},
    }


def failed_message_ids(response: Any, batch_ids: Iterable[str]) -> set[str]:
    """Which messages of a batch failed, read from a handler's return value like Lambda does."""
    batch = set(batch_ids)
    if not isinstance(response, dict) or not response.get("batchItemFailures"):
        return set()
    failed = set()
    for failure in response["batchItemFailures"]:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if not identifier or identifier not in batch:
            log.warning("batchItemFailures names %r, not in the batch: the batch fails", identifier)
            return batch
        failed.add(identifier)
    return failed


# ---------------------------------------------------------------------------------------------
# The loop


@dataclass
class RoundResult:
    """What one `run_round` did."""

    received: int = 0
    deleted: int = 0
    failed: int = 0
    schedules_run: int = 0
    handler_errors: int = 0

    def __iadd__(self, other: RoundResult) -> RoundResult:
        self.received += other.received
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
            queues.append(
                QueueHandler(source.name, _queue_name(source), source.batch_size, handler)
            )
        elif isinstance(source, ScheduledEventConfig):
            text = _expression_text(source.schedule_expression)
            interval = rate_seconds(text)
            cron = None if interval is not None else Cron.parse(text)
            schedules.append(ScheduledHandler(source.name, text, handler, interval, cron))
        else:
            log.warning("%s (%s) is not run by the local worker loop", source.name, type(source))
    return queues, schedules


class WorkerLoop:
    """Polls the queues and ticks the schedules of one Chalice app.

    `sqs` is a boto3 SQS client for moto server. `wait_seconds` is the long-poll wait per queue:
    short, so that a stop request is noticed quickly.
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
    ) -> None:
        self.app = app
        self.sqs = sqs
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
        now = clock()
        for schedule in self.schedules:
            schedule.start(now)

    def run_round(self, wait_seconds: int | None = None) -> RoundResult:
        """One receive per queue, then every schedule that has come due."""
        result = RoundResult()
        if self.one_time is not None:
            result.schedules_run += self.one_time.fire_due()
        for queue in self.queues:
            result += self._poll(queue, self.wait_seconds if wait_seconds is None else wait_seconds)
        result += self._tick(self.clock())
        return result

    def run_forever(self, stop_event: threading.Event) -> None:
        log.info(
            "worker loop: queues %s; schedules %s",
            [q.queue_name for q in self.queues] or "none",
            [f"{s.name} {s.expression}" for s in self.schedules] or "none",
        )
        while not stop_event.is_set():
            try:
                self.run_round()
            except Exception:  # an emulator hiccup must not end local development
                log.exception("worker loop round failed; retrying")
                stop_event.wait(1.0)
            if not self.queues:
                stop_event.wait(1.0)  # nothing blocks in a long poll: do not spin

    # -- internals ------------------------------------------------------------------------

    def _context(self, name: str, timeout: float) -> LambdaContext:
        function = f"{self.app.app_name}-{self.stage}-{name}"
        arn = f"arn:aws:lambda:{self.region}:{self.account_id}:function:{function}"
        return LambdaContext(
            function_name=function, invoked_function_arn=arn, timeout_seconds=timeout
        )

    def _resolve(self, queue: QueueHandler) -> bool:
        if queue.queue_url is not None:
            return True
        try:
            url = self.sqs.get_queue_url(QueueName=queue.queue_name)["QueueUrl"]
        except self.sqs.exceptions.QueueDoesNotExist:
            log.warning("queue %s does not exist (yet); %s waits", queue.queue_name, queue.name)
            return False
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=["QueueArn", "VisibilityTimeout"]
        )["Attributes"]
        queue.queue_url, queue.queue_arn = url, attributes["QueueArn"]
        queue.visibility_timeout = int(attributes["VisibilityTimeout"])
        return True

    def _poll(self, queue: QueueHandler, wait_seconds: int) -> RoundResult:
        if not self._resolve(queue):
            return RoundResult()
        messages = self.sqs.receive_message(
            QueueUrl=queue.queue_url,
            MaxNumberOfMessages=min(queue.batch_size, SQS_MAX_BATCH),
            WaitTimeSeconds=wait_seconds,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
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
