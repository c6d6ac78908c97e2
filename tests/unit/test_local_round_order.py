"""The local worker loop's round (local/worker_loop.py): every queue a handler listens to is
served once a round, the bulk events' among them, and the background queues (an import's rows,
bulk jobs, campaigns...) after every other, so a booking's events never wait behind them."""

from __future__ import annotations

from chalicelib.queues import ALL_QUEUES, BACKGROUND_QUEUES, BULK_EVENTS, EVENTS
from local.worker_loop import discover


def test_the_background_queues_come_last_in_a_round_and_the_bulk_events_are_served():
    from app import app

    queues, _ = discover(app)
    order = [q.queue_name for q in queues]
    background = {spec.name for spec in BACKGROUND_QUEUES}
    assert BULK_EVENTS.name in order and order.index(EVENTS.name) < order.index(BULK_EVENTS.name)
    first_background = min(order.index(name) for name in background)
    assert all(name in background for name in order[first_background:])
    # Every background queue is a queue of the stack, with a handler that takes it.
    assert background <= set(order) <= {spec.name for spec in ALL_QUEUES}


class _Streams:
    """Stands in for local/streams.StreamReader: each poll hands on the next page."""

    def __init__(self, pages: list[int]) -> None:
        self.pages, self.backlog, self.polls = pages, False, 0

    def poll(self) -> int:
        self.polls += 1
        handed = self.pages.pop(0) if self.pages else 0
        self.backlog = handed >= 100
        return handed


def test_a_pass_reads_the_streams_on_while_a_shard_gives_full_pages():
    """An outside tester's 3,000-row import kept the same tenant's next booking minutes
    behind: one page of the stream a pass, between the bulk consumers' batches."""
    from local.worker_loop import WorkerLoop

    loop = WorkerLoop.__new__(WorkerLoop)  # its streams and schedules alone
    loop.one_time, loop.streams = None, _Streams([100, 100, 37, 100])
    assert loop._schedules_and_streams().relayed == 237
    assert loop.streams.polls == 3  # stops at the page that was not full
