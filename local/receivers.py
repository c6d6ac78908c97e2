"""The worker loop's receivers: one long-polling thread per queue, the handlers on one thread.

`WorkerLoop.run_round` (what the tests step through) receives from every queue in turn, and
only the round's last receive may wait, so a loop left running made about 17 receives a second
while nothing happened: an idle `make dev` stack, or each of the browser tier's two, spent 8
CPU-s a minute on it (moto 5.6, the loop 3.6). Here each queue has a thread that long-polls it
(`POLL_SECONDS`, as Lambda's pollers do): an idle queue costs a receive every few seconds, and a
message is taken as soon as it is sent instead of at the next round.

The handlers still run on the loop's one thread, as before (they share one batch processor):
a receiver hands its batch over and waits until it is handled before it receives again, so a
queue has at most one batch in flight, received messages are not left to outlive their
visibility timeout behind a long line, and the background queues' batches (`BACKGROUND_QUEUES`)
wait for every other queue's, as `in_round_order` has them. Between batches the loop's thread
reads the tables' streams and fires the schedules that are due (`WorkerLoop.pulse`); with
nothing to do, it waits for a batch up to `IDLE_SECONDS`, which is how often the streams are
read when idle.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from chalicelib.queues import BACKGROUND_QUEUES
from local.sqs_events import QueueHandler

if TYPE_CHECKING:
    from local.worker_loop import WorkerLoop

log = logging.getLogger("reservoir.local.worker")

POLL_SECONDS = 5  # a receiver's long poll; a stop is noticed within it
IDLE_SECONDS = 1.0  # the loop's wait for a batch when idle: how often the streams are read


@dataclass(order=True)
class Batch:
    """Received messages waiting for their handler; ordered background last, then FIFO."""

    background: bool
    order: int
    queue: QueueHandler = field(compare=False)
    messages: list[dict[str, Any]] = field(compare=False)
    handled: threading.Event = field(compare=False, default_factory=threading.Event)


class Receivers:
    """A long-polling thread per queue of `loop`, handing batches to the thread that calls
    `handle_ready`."""

    def __init__(
        self, loop: WorkerLoop, stop: threading.Event, *, poll_seconds: int = POLL_SECONDS
    ):
        self.loop = loop
        self.stop = stop
        self.poll_seconds = poll_seconds
        self.ready: queue.PriorityQueue[Batch] = queue.PriorityQueue()
        self._order = itertools.count()
        self._background = {spec.name for spec in BACKGROUND_QUEUES}
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
        """Handle the batches received, at most one per queue, best first; wait up to `wait`
        seconds for the first. Returns how many messages were handled."""
        try:
            batch = self.ready.get(timeout=wait) if wait > 0 else self.ready.get_nowait()
        except queue.Empty:
            return 0
        handled = 0
        for _ in self.threads:
            try:
                handled += self.loop.handle(batch.queue, batch.messages).received
            finally:
                batch.handled.set()
            try:
                batch = self.ready.get_nowait()
            except queue.Empty:
                break
        else:
            self.ready.put(batch)  # taken after the pass's last: the next pass's first
        return handled

    def _receive(self, q: QueueHandler) -> None:
        while not self.stop.is_set():
            try:
                if not self.loop.resolve(q):
                    self.stop.wait(1.0)
                    continue
                messages = self.loop.receive(q, self.poll_seconds, sqs=self.loop.receiving_sqs)
            except Exception:  # an emulator hiccup, or its stop at the end
                if not self.stop.is_set():
                    log.exception("receiving from %s failed; retrying", q.queue_name)
                self.stop.wait(1.0)
                continue
            if not messages:
                continue
            batch = Batch(q.queue_name in self._background, next(self._order), q, messages)
            self.ready.put(batch)
            while not batch.handled.wait(0.5):
                if self.stop.is_set():
                    return
