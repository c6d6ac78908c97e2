"""The local worker loop drives SQS and schedule handlers the way Lambda does.

The queue tests run against a real moto server (SQS visibility timeouts and redrive to the
dead-letter queue are moto's, not ours) with a tiny Chalice app of their own, so they pin down
the loop's behaviour whatever handlers the real app has today.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from chalice.app import Blueprint, Chalice, Cron, Rate, SQSEvent

from chalicelib.queues import QueueSpec
from local.resources import client, create_queues
from local.schedule_rules import Cron as CronSchedule
from local.sqs_events import failed_message_ids
from local.worker_loop import RoundResult, WorkerLoop

REPO_ROOT = Path(__file__).resolve().parents[2]
LAMBDA_SQS_RECORD_KEYS = {
    "messageId",
    "receiptHandle",
    "body",
    "attributes",
    "messageAttributes",
    "md5OfBody",
    "eventSource",
    "eventSourceARN",
    "awsRegion",
}


@pytest.fixture
def sqs(moto_server: str) -> Any:
    return client("sqs", moto_server)


@pytest.fixture
def queue(sqs: Any) -> QueueSpec:
    """A fresh queue (the moto server is shared) that redrives after two receives, fast."""
    spec = QueueSpec(
        name=f"test-orders-{uuid.uuid4().hex[:8]}", visibility_timeout=1, max_receive_count=2
    )
    create_queues(sqs, [spec])
    return spec


def _url(sqs: Any, name: str) -> str:
    return str(sqs.get_queue_url(QueueName=name)["QueueUrl"])


def _send(sqs: Any, queue: QueueSpec, *bodies: str) -> None:
    entries = [{"Id": str(i), "MessageBody": body} for i, body in enumerate(bodies)]
    sqs.send_message_batch(QueueUrl=_url(sqs, queue.name), Entries=entries)


def _messages_left(sqs: Any, name: str) -> int:
    attributes = sqs.get_queue_attributes(
        QueueUrl=_url(sqs, name),
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return sum(int(value) for value in attributes.values())


def _drain(sqs: Any, name: str) -> list[str]:
    response = sqs.receive_message(QueueUrl=_url(sqs, name), MaxNumberOfMessages=10)
    return [message["Body"] for message in response.get("Messages", [])]


def _run_until(loop: WorkerLoop, done: Callable[[], bool], seconds: float = 15.0) -> RoundResult:
    total = RoundResult()
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, f"gave up after {seconds} s: {total}"
        total += loop.run_round(wait_seconds=1)
    return total


def _orders_app(queue_name: str, seen: list[str], events: list[dict[str, Any]]) -> Chalice:
    """An app whose SQS handler, registered through a blueprint as the real app's are, uses
    Powertools' partial batch response and chokes on the body "poison"."""
    app = Chalice(app_name="worker-loop-test")
    workers = Blueprint(__name__)
    processor = BatchProcessor(event_type=EventType.SQS)

    def record_handler(record: SQSRecord) -> None:
        seen.append(record.body)
        if record.body == "poison":
            raise ValueError("cannot digest this message")

    @workers.on_sqs_message(queue=queue_name, batch_size=10)
    def handle_orders(event: SQSEvent) -> dict[str, Any]:
        events.append({"event": event.to_dict(), "context": event.context})
        return process_partial_response(
            event=event.to_dict(),
            record_handler=record_handler,
            processor=processor,
            context=event.context,
        )

    app.register_blueprint(workers)
    return app


def test_good_messages_are_deleted_and_the_poison_message_ends_in_the_dead_letter_queue(
    sqs: Any, queue: QueueSpec
) -> None:
    seen: list[str] = []
    events: list[dict[str, Any]] = []
    loop = WorkerLoop(_orders_app(queue.name, seen, events), sqs)
    _send(sqs, queue, "order-1", "poison", "order-2")

    # Until the dead-letter queue has it: moto redrives on the receive after the second failure.
    _run_until(loop, lambda: _messages_left(sqs, queue.dlq_name) == 1)

    assert sorted(b for b in seen if b != "poison") == ["order-1", "order-2"]
    assert seen.count("poison") == queue.max_receive_count
    assert _messages_left(sqs, queue.name) == 0
    assert _drain(sqs, queue.dlq_name) == ["poison"]


def test_the_handler_gets_lambdas_sqs_event_and_a_lambda_context(
    sqs: Any, queue: QueueSpec
) -> None:
    events: list[dict[str, Any]] = []
    loop = WorkerLoop(_orders_app(queue.name, [], events), sqs)
    _send(sqs, queue, "order-1")

    result = _run_until(loop, lambda: bool(events))

    assert result.deleted == 1
    (record,) = events[0]["event"]["Records"]
    assert set(record) == LAMBDA_SQS_RECORD_KEYS
    assert record["body"] == "order-1"
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"] == f"arn:aws:sqs:us-east-1:123456789012:{queue.name}"
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert record["attributes"]["SentTimestamp"].isdigit()
    context = events[0]["context"]
    assert context.function_name == "worker-loop-test-local-handle_orders"
    assert context.invoked_function_arn.endswith(":function:worker-loop-test-local-handle_orders")
    assert 0 < context.get_remaining_time_in_millis() <= queue.visibility_timeout * 1000


def test_a_handler_that_raises_has_the_whole_batch_retried(sqs: Any, queue: QueueSpec) -> None:
    seen: list[str] = []
    app = Chalice(app_name="worker-loop-test")

    @app.on_sqs_message(queue=queue.name, batch_size=10)
    def flaky(event: SQSEvent) -> None:
        bodies = [record.body for record in event]
        seen.extend(bodies)
        if len(seen) == len(bodies):  # the first delivery fails outright
            raise RuntimeError("the database is down")

    loop = WorkerLoop(app, sqs)
    _send(sqs, queue, "a", "b")

    first = _run_until(loop, lambda: len(seen) >= 2)
    assert (first.handler_errors, first.deleted) == (1, 0)
    _run_until(loop, lambda: _messages_left(sqs, queue.name) == 0)

    assert sorted(seen) == ["a", "a", "b", "b"]
    assert _messages_left(sqs, queue.dlq_name) == 0


def test_a_failure_naming_a_message_outside_the_batch_fails_the_whole_batch() -> None:
    batch = ["m-1", "m-2"]
    assert failed_message_ids({"batchItemFailures": [{"itemIdentifier": "m-2"}]}, batch) == {"m-2"}
    assert failed_message_ids({"batchItemFailures": [{"itemIdentifier": "x"}]}, batch) == {
        "m-1",
        "m-2",
    }
    assert failed_message_ids({"batchItemFailures": [{"itemIdentifier": ""}]}, batch) == {
        "m-1",
        "m-2",
    }
    assert failed_message_ids(None, batch) == set()
    assert failed_message_ids({"batchItemFailures": []}, batch) == set()


class FakeClock:
    def __init__(self, iso: str) -> None:
        self.now = datetime.fromisoformat(iso).replace(tzinfo=UTC).timestamp()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def _scheduled_app(expression: Any, fired: list[dict[str, Any]]) -> Chalice:
    app = Chalice(app_name="worker-loop-test")

    @app.schedule(expression)
    def tick(event: Any) -> None:
        fired.append(event.to_dict())

    return app


def test_a_rate_schedule_first_fires_one_interval_after_start_then_every_interval() -> None:
    fired: list[dict[str, Any]] = []
    clock = FakeClock("2026-11-24T10:00:00")
    loop = WorkerLoop(_scheduled_app(Rate(5, unit=Rate.MINUTES), fired), sqs=None, clock=clock)

    assert loop.run_round().schedules_run == 0
    clock.advance(299)
    assert loop.run_round().schedules_run == 0
    clock.advance(1)
    assert loop.run_round().schedules_run == 1
    assert loop.run_round().schedules_run == 0  # not twice for the same interval
    clock.advance(300)
    assert loop.run_round().schedules_run == 1

    event = fired[0]
    assert event["detail-type"] == "Scheduled Event"
    assert event["source"] == "aws.events"
    assert event["time"] == "2026-11-24T10:05:00Z"
    assert event["resources"] == [
        "arn:aws:events:us-east-1:123456789012:rule/worker-loop-test-local-tick-event"
    ]
    assert event["detail"] == {}


def test_a_cron_schedule_fires_on_matching_minutes_in_utc() -> None:
    fired: list[dict[str, Any]] = []
    clock = FakeClock("2026-11-24T10:07:30")  # a Tuesday
    loop = WorkerLoop(_scheduled_app("cron(0/15 * * * ? *)", fired), sqs=None, clock=clock)

    clock.advance(60 * 8)  # 10:15:30
    assert loop.run_round().schedules_run == 1
    clock.advance(60)
    assert loop.run_round().schedules_run == 0
    clock.advance(60 * 30)  # 10:46:30, after a long pause: 10:30 and 10:45 both fire
    assert loop.run_round().schedules_run == 2
    assert [event["time"] for event in fired] == [
        "2026-11-24T10:15:00Z",
        "2026-11-24T10:30:00Z",
        "2026-11-24T10:45:00Z",
    ]


def test_cron_weekdays_follow_eventbridge_where_sunday_is_one() -> None:
    weekday_mornings = CronSchedule.parse(Cron(0, 9, "?", "*", "MON-FRI", "*").to_string())
    assert weekday_mornings.matches(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))  # Monday
    assert not weekday_mornings.matches(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))  # Sunday
    sundays = CronSchedule.parse("cron(30 6 ? * 1 *)")
    assert sundays.matches(datetime(2026, 11, 22, 6, 30, tzinfo=UTC))
    with pytest.raises(ValueError, match="not supported"):
        CronSchedule.parse("cron(0 0 L * ? *)")


def test_every_queue_the_real_app_listens_to_is_created_by_the_local_stack() -> None:
    """The worker loop can only poll queues that local/resources.py created from ALL_QUEUES."""
    if not (REPO_ROOT / "app.py").exists():
        pytest.skip("app.py does not exist yet")
    from app import app
    from chalicelib.queues import ALL_QUEUES

    loop = WorkerLoop(app, sqs=None)  # also parses every schedule expression, or raises
    assert {queue.queue_name for queue in loop.queues} <= {spec.name for spec in ALL_QUEUES}
