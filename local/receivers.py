"""The worker loop's receivers: one long-polling thread per queue, the handlers on one thread.

`WorkerLoop.run_round` (what the tests step through) receives from every queue in turn, and
only the round's last receive may wait, so a loop left running made about 17 receives a second
while nothing happened: an idle `make dev` stack, or each of the browser tier's two, spent 8.9
CPU-s a minute on it (5.6 in moto's server, 3.5 in the loop). Here each queue has a thread that
long-polls it (`POLL_SECONDS`, as Lambda's pollers do): an idle queue costs a receive every few
seconds, and a message is taken as soon as it is sent instead of at the next round.

The handlers still run on the loop's one thread, as before (they share one batch processor):
a receiver hands its batch over and waits until it is handled before it receives again, so a
queue has at most one batch in flight. The loop takes batches pass by pass, as the rounds did:
a batch that arrived before a pass began goes before any that arrived after, and within a pass
the background queues' batches (`BACKGROUND_QUEUES`) go after every other queue's. Between
passes the loop's thread reads the tables' streams and fires the schedules that are due
(`WorkerLoop.pulse`); with nothing to do, it waits for a batch up to `IDLE_SECONDS`, which is
how often the streams are read when idle.

A stopped loop gives back what it received and did not handle (its visibility set to 0), so
that the next loop on the same queues (each e2e module starts its own) takes it at once
instead of after the queue's visibility timeout. A batch is either handled or given back,
never both: whoever claims it first.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.queues import BACKGROUND_NAMES
from local.sqs_events import QueueHandler

if TYPE_CHECKING:
    from local.worker_loop import WorkerLoop

log = logging.getLogger("reservoir.local.worker")

POLL_SECONDS = 5  # a receiver's long poll; a stop is noticed within it
IDLE_SECONDS = 1.0  # the loop's wait for a batch when idle: how often the streams are read


@dataclass(order=True)
class Batch:
    """Received messages waiting for their handler: by the pass they arrived in, then
    background last, then first come."""

    arrived: int  # the loop's pass when the batch was put
    background: bool
    order: int
    queue: QueueHandler = field(compare=False)
    messages: list[dict[str, Any]] = field(compare=False)
    handled: threading.Event = field(compare=False, default_factory=threading.Event)
    _lock: threading.Lock = field(compare=False, default_factory=threading.Lock, repr=False)
    _claimed: bool = field(compare=False, default=False, repr=False)

    def claim(self) -> bool:
        """True for the first caller only: the one that handles or gives back the batch."""
        with self._lock:
            first, self._claimed = not self._claimed, True
            return first


class Receivers:
    """A long-polling thread per queue of `loop`, handing batches to the thread that calls
    `handle_ready`."""

    def __init__(
        self, loop: WorkerLoop, stop: threading.Event, *, poll_seconds: int = POLL_SECONDS
    ) -> None:
        self.loop = loop
        self.stop = stop
        self.poll_seconds = poll_seconds
        self.ready: queue.PriorityQueue[Batch] = queue.PriorityQueue()
        self.passes = 0
        self._order = itertools.count()
        self.threads = [
            threading.Thread(
                target=self._receive, args=(q,), name=f"receive-{q.queue_name}", daemon=True
            )
            for q in loop.queues
        ]

    def start(self) -> Receivers:
        for thread in self.threads:
            thread.start()
        return self

    def handle_ready(self, wait: float) -> int:
        """One pass: the batches that arrived before it, best first (at most one a receiver);
        waits up to `wait` seconds for the first. Returns how many messages were handled."""
        try:
            batch = self.ready.get(timeout=wait) if wait > 0 else self.ready.get_nowait()
        except queue.Empty:
            return 0
        this_pass, self.passes = self.passes, self.passes + 1
        handled = 0
        while batch.arrived <= this_pass:
            if batch.claim():
                try:
                    handled += self.loop.handle(batch.queue, batch.messages).received
                finally:
                    batch.handled.set()
            try:
                batch = self.ready.get_nowait()
            except queue.Empty:
                return handled
        self.ready.put(batch)  # arrived during this pass: the next one's
        return handled

    def give_back_waiting(self) -> None:
        """After the loop's last pass: every batch still waiting goes back to its queue."""
        while True:
            try:
                batch = self.ready.get_nowait()
            except queue.Empty:
                return
            if batch.claim():
                self._give_back(batch.queue, batch.messages)
            batch.handled.set()

    def _receive(self, q: QueueHandler) -> None:
        sqs = self.loop.receiving_sqs
        while not self.stop.is_set():
            try:
                if not self.loop.resolve(q, sqs=sqs):
                    self.stop.wait(1.0)
                    continue
                messages = self.loop.receive(q, self.poll_seconds, sqs=sqs)
            except Exception:  # an emulator hiccup, or its stop at the end
                if not self.stop.is_set():
                    log.exception("receiving from %s failed; retrying", q.queue_name)
                self.stop.wait(1.0)
                continue
            if not messages:
                continue
            if self.stop.is_set():  # the loop stopped while this receive waited
                self._give_back(q, messages)
                return
            batch = Batch(
                self.passes, q.queue_name in BACKGROUND_NAMES, next(self._order), q, messages
            )
            self.ready.put(batch)
            while not batch.handled.wait(0.5):
                if self.stop.is_set() and batch.claim():
                    self._give_back(q, messages)  # the loop has stopped: not handled
                    return

    def _give_back(self, q: QueueHandler, messages: list[dict[str, Any]]) -> None:
        entries = [
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
            for i, m in enumerate(messages)
        ]
        try:
            answer = self.loop.receiving_sqs.change_message_visibility_batch(
                QueueUrl=q.queue_url, Entries=entries
            )
        except (BotoCoreError, ClientError):  # moto stopped: back after their timeout
            log.info("%d message(s) of %s not given back", len(messages), q.queue_name)
            return
        if answer.get("Failed"):  # e.g. deleted meanwhile: back after their timeout, if at all
            codes = sorted({f.get("Code", "?") for f in answer["Failed"]})
            log.info(
                "%d message(s) of %s not given back: %s", len(answer["Failed"]), q.queue_name, codes
            )
