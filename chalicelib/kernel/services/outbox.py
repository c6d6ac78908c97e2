"""The outbox relay that publishes the events of committed changes, and its sweeper.

The unit of work (kernel/services/unit_of_work.py) writes a change and its domain events in one
transaction (the events as unsent `EVT#` items: the outbox), then the relay sends each event
to the events queue. The event is marked sent by the dispatcher that takes it off the queue
(pipeline/workers.py), not on the request path: a booking then costs one transaction and one
SQS send, and an event that was sent but never taken is simply found again by the sweeper.
A process can die between the commit and the publish; nothing is lost, because:
1. before committing, the tenant is marked in the platform table (`mark_work("outbox")`),
   at most once every few minutes per container;
2. a sweeper every minute visits only marked tenants and republishes events still unsent
   after `SWEEP_AGE_SECONDS` (one Query per outbox shard), then unmarks tenants whose mark
   has run out;
3. consumers are idempotent by event id (see pipeline/consumers.py), so an event published
   twice (relay and sweeper racing, or a relay that died after sending but before marking)
   has its effect once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from chalicelib.kernel.domain.events import Record
from chalicelib.kernel.domain.timefmt import add_seconds, format_utc, parse
from chalicelib.kernel.services.context import KernelContext, system_context
from chalicelib.kernel.services.messaging_ports import MessageBus
from chalicelib.kernel.services.ports import Clock, IdFactory, TenantWork
from chalicelib.kernel.services.tenant_data_ports import DataFactory, KernelData
from chalicelib.kernel.services.work_marks import WorkMarks
from chalicelib.queues import EVENTS

WORK_KIND = "outbox"
MARK_SECONDS = 600  # a mark covers the commits of the next ten minutes...
REMARK_MARGIN_SECONDS = 300  # ...and is renewed once fewer than five are left
SWEEP_AGE_SECONDS = 30  # younger events are the relay's: it is probably still sending them
SWEEP_LIMIT = 200


@dataclass
class Relay:
    """What a context needs to publish its events: the queue and the platform marks."""

    bus: MessageBus
    platform: TenantWork
    marks: WorkMarks | None = None

    def mark(self, tenant_id: str, now: str) -> None:
        """Mark the tenant before its events are written, so the sweeper will visit it."""
        if self.marks is None:
            self.marks = WorkMarks(self.platform)
        self.marks.ensure(
            WORK_KIND,
            tenant_id,
            until=add_seconds(now, REMARK_MARGIN_SECONDS),
            slack_seconds=MARK_SECONDS - REMARK_MARGIN_SECONDS,
        )


def message(tenant_id: str, event: Record) -> dict[str, Any]:
    """The events queue's message: what consumers receive (pipeline/consumers.py)."""
    return {
        "tenant_id": tenant_id,
        "event": {
            "id": event.id,
            "name": event.name,
            "order_id": event.order_id,
            "at": event.at,
            "data": event.data,
        },
    }


def event_of(body: dict[str, Any]) -> Record:
    raw = body["event"]
    return Record(
        id=str(raw["id"]),
        name=str(raw["name"]),
        order_id=str(raw["order_id"]),
        at=str(raw["at"]),
        data=dict(raw.get("data") or {}),
    )


def publish(
    ctx: KernelContext, events: list[Record], bus: MessageBus, *, mark_sent: bool = True
) -> int:
    """Send each event (and, for the sweeper, mark it sent, so a stopped dispatcher does not
    make it republish the same events every minute); stop at the first failure."""
    from chalicelib.observability import logger

    sent = 0
    for event in events:
        try:
            bus.send(EVENTS.name, message(ctx.tenant.id, event))
            if mark_sent:
                ctx.data.outbox.mark_sent(event.id, ctx.now())
        except Exception:  # noqa: BLE001 - committed already; the sweeper republishes
            logger.warning(
                "event not published; the sweeper will",
                extra={"tenant_id": ctx.tenant.id, "event_id": event.id},
                exc_info=True,
            )
            break
        sent += 1
    return sent


def sweep(
    *,
    platform: TenantWork,
    data_factory: DataFactory[KernelData],
    bus: MessageBus,
    now: Clock,
    new_id: IdFactory,
) -> dict[str, int]:
    """Republish the events left unsent of every marked tenant; unmark run-out marks."""
    republished: dict[str, int] = {}
    for tenant_id, until in platform.tenants_with_work(WORK_KIND).items():
        tenant = platform.get_tenant(tenant_id)
        if tenant is None or not tenant.is_active:
            platform.clear_work(WORK_KIND, tenant_id, until)
            continue
        ctx = system_context(tenant, data_factory=data_factory, now=now, new_id=new_id)
        before = format_utc(parse(now()) - timedelta(seconds=SWEEP_AGE_SECONDS))
        stale = ctx.data.outbox.unsent(before, limit=SWEEP_LIMIT)
        sent = publish(ctx, stale, bus)
        republished[tenant_id] = sent
        # Every commit renews the mark to at least REMARK_MARGIN ahead, so once it has run
        # out every event of the tenant is older than the sweep age: none is left behind.
        if until < now() and sent == len(stale) < SWEEP_LIMIT:
            platform.clear_work(WORK_KIND, tenant_id, until)
    return republished
