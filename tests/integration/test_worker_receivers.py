"""The worker loop left running (`run_forever`, as `make dev` and the browser tier run it):
each queue long-polled on a thread of its own, every handler on the loop's one thread
(local/receivers.py). Against a real moto server, with a tiny app of the tests' own."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from chalice.app import Chalice, SQSEvent

from chalicelib.queues import BACKGROUND_QUEUES, QueueSpec
from local.receivers import Batch, Receivers
from local.resources import client, create_queues
from local.sqs_events import QueueHandler
from local.worker_loop import WorkerLoop


class Counting:
    """An SQS client that counts its receives."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.receives = 0

    def receive_message(self, **kwargs: Any) -> Any:
        self.receives += 1
        return self.real.receive_message(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@pytest.fixture
def sqs(moto_server: str) -> Any:
    return client("sqs", moto_server, connections=8)


def _queues(sqs: Any, n: int) -> list[QueueSpec]:
    specs = [QueueSpec(name=f"test-recv-{uuid.uuid4().hex[:8]}") for _ in range(n)]
    create_queues(sqs, specs)
    return specs


def _app(names: list[str], seen: list[tuple[str, str, str]]) -> Chalice:
    app = Chalice(app_name="receivers-test")
    for name in names:

        def handle(event: SQSEvent, queue: str = name) -> None:
            for record in event:
                seen.append((queue, record.body, threading.current_thread().name))

        app.on_sqs_message(queue=name, batch_size=10, name=f"h_{name.replace('-', '_')}")(handle)
    return app


@pytest.fixture
def running() -> Iterator[Callable[[WorkerLoop], threading.Thread]]:
    stop = threading.Event()
    threads: list[threading.Thread] = []

    def start(loop: WorkerLoop) -> threading.Thread:
        thread = threading.Thread(
            target=loop.run_forever, args=(stop,), name="the-loop", daemon=True
        )
        thread.start()
        threads.append(thread)
        return thread

    yield start
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
        assert not thread.is_alive(), "the loop did not stop"


def _until(done: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "not in time"
        time.sleep(0.05)


def test_messages_on_every_queue_are_handled_once_each_on_the_loops_thread(sqs, running):
    specs = _queues(sqs, 3)
    seen: list[tuple[str, str, str]] = []
    loop = WorkerLoop(_app([s.name for s in specs], seen), sqs, receiving_sqs=sqs)
    running(loop)
    sent = set()
    for n in range(4):
        for spec in specs:
            url = sqs.get_queue_url(QueueName=spec.name)["QueueUrl"]
            sqs.send_message(QueueUrl=url, MessageBody=f"m{n}")
            sent.add((spec.name, f"m{n}"))
        time.sleep(0.1)
    _until(lambda: len(seen) >= len(sent))
    time.sleep(1.0)  # nothing handled twice, nothing left
    assert sorted((q, body) for q, body, _ in seen) == sorted(sent)
    assert {thread for _, _, thread in seen} == {"the-loop"}
    for spec in specs:
        url = sqs.get_queue_url(QueueName=spec.name)["QueueUrl"]
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        assert attributes["ApproximateNumberOfMessages"] == "0"
        assert attributes["ApproximateNumberOfMessagesNotVisible"] == "0"


def test_an_idle_loop_long_polls_instead_of_asking_every_queue_each_second(sqs, running):
    specs = _queues(sqs, 4)
    counting = Counting(sqs)
    loop = WorkerLoop(_app([s.name for s in specs], []), counting, receiving_sqs=counting)
    running(loop)
    time.sleep(1.0)  # the receivers' first polls are under way
    before = counting.receives
    assert before >= len(specs)  # every queue is being polled
    time.sleep(4.0)
    # A round a second would have asked each queue four times; a long poll (5 s) at most once.
    assert counting.receives - before <= len(specs)


def test_a_stopped_loop_gives_back_what_it_received_for_the_next_loop(sqs, moto_server):
    (spec,) = _queues(sqs, 1)
    url = sqs.get_queue_url(QueueName=spec.name)["QueueUrl"]
    first_seen: list[tuple[str, str, str]] = []
    stop = threading.Event()
    first = WorkerLoop(_app([spec.name], first_seen), sqs, receiving_sqs=sqs)
    thread = threading.Thread(target=first.run_forever, args=(stop,), daemon=True)
    thread.start()
    time.sleep(1.0)  # its receiver is in a long poll
    stop.set()
    thread.join(timeout=10)
    sqs.send_message(QueueUrl=url, MessageBody="after the stop")  # its receiver may take it
    time.sleep(6.0)  # past its long poll: taken and given back, or never taken
    seen: list[tuple[str, str, str]] = []
    second_stop = threading.Event()
    second = WorkerLoop(_app([spec.name], seen), client("sqs", moto_server))
    threading.Thread(target=second.run_forever, args=(second_stop,), daemon=True).start()
    try:
        # Within seconds, not after the queue's visibility timeout (spec: 180 s).
        _until(lambda: bool(seen), seconds=10.0)
    finally:
        second_stop.set()
    assert first_seen == [] and [body for _, body, _ in seen] == ["after the stop"]


class FakeLoop:
    """What Receivers asks of the loop, recording the batches handled."""

    def __init__(self, queues: list[QueueHandler]) -> None:
        self.queues = queues
        self.receiving_sqs = None
        self.handled: list[str] = []

    def handle(self, queue: QueueHandler, messages: list[dict[str, Any]]) -> Any:
        self.handled += [m["Body"] for m in messages]
        return type("Result", (), {"received": len(messages)})()


def test_a_pass_takes_what_arrived_before_it_background_last_then_what_came_during_it():
    background = QueueHandler("bulk", BACKGROUND_QUEUES[0].name, 10, lambda e, c: None)
    booking = QueueHandler("events", "reservoir-events", 10, lambda e, c: None)
    loop = FakeLoop([background, booking])
    receivers = Receivers(loop, threading.Event())  # type: ignore[arg-type]

    def arrive(q: QueueHandler, body: str) -> Batch:
        batch = Batch(receivers.passes, q is background, len(loop.handled) + 100, q, [])
        batch.messages.append({"Body": body})
        receivers.ready.put(batch)
        return batch

    early = arrive(background, "import row")
    arrive(booking, "confirmation")
    assert receivers.handle_ready(0) == 2
    assert loop.handled == ["confirmation", "import row"]  # background last within the pass
    assert early.handled.is_set()
    later = arrive(background, "next import row")  # arrived in pass 1
    late_booking = Batch(receivers.passes + 1, False, 1, booking, [{"Body": "after"}])
    receivers.ready.put(late_booking)  # arrives during the pass: the next pass's
    assert receivers.handle_ready(0) == 1
    assert loop.handled[-1] == "next import row" and later.handled.is_set()
    assert not late_booking.handled.is_set()
    assert receivers.handle_ready(0) == 1 and loop.handled[-1] == "after"


def test_a_batch_is_handled_or_given_back_never_both():
    booking = QueueHandler("events", "reservoir-events", 10, lambda e, c: None)
    batch = Batch(0, False, 1, booking, [])
    assert batch.claim() is True
    assert batch.claim() is False
