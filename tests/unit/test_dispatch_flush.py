"""A consumer's last mark is written when the next consumer starts (pipeline/dispatch.py). A
write that fails there (throttling) is the next consumer's failure, as any failure is: the
event's claim is released with the mark still to write and the record comes back, not left
pending until its lease runs out (an outside review found the write outside the try)."""

from __future__ import annotations

import json

from chalicelib.kernel.domain.events import OrderHeld
from chalicelib.kernel.services.context import system_context
from chalicelib.kernel.services.once import run_once
from chalicelib.pipeline.dispatch import ConsumersFailed, dispatch
from chalicelib.pipeline.groups import BOOKKEEPING
from chalicelib.pipeline.stream import event_of
from tests.stage import ADA, Stage


class OnePiece:
    name = "one_piece"
    events = (OrderHeld,)
    repeatable = True

    def handle(self, ctx, event, deps):
        run_once(ctx, "one_piece#mail", lambda: None)


class Later:
    name = "later"
    events = (OrderHeld,)
    repeatable = True
    ran = False

    def handle(self, ctx, event, deps):
        Later.ran = True


def test_a_failed_mark_fails_a_consumer_and_releases_the_claim():
    stage = Stage()
    stage.book(customer=ADA)
    [body] = stage.events_queue()
    body = json.loads(json.dumps(body))
    tenant = stage.c.platform.get_tenant(body["tenant_id"])
    ctx = system_context(
        tenant, data_factory=stage.c.tenant_data, now=stage.c.now, new_id=stage.c.new_id
    )
    event = event_of(body)
    ledger = ctx.data.ledger

    def broken_mark(event_id, key):
        raise RuntimeError("ProvisionedThroughputExceeded")

    ledger.mark = broken_mark
    raised = None
    try:
        dispatch(ctx, event, stage.c, BOOKKEEPING, consumers=[OnePiece(), Later()])
    except Exception as exc:  # noqa: BLE001
        raised = exc
    state = ledger.events[event.id]["state"]
    # The record comes back (released, not stuck pending); the later consumer runs then.
    assert (type(raised), state) == (ConsumersFailed, "released")
