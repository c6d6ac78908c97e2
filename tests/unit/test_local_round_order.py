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
