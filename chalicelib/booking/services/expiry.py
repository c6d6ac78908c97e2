"""Holds that run out give their units back within seconds of their end.

Per hold: one message, sent by the `hold_expiry` consumer of the hold's `OrderHeld` event (so
the booking request itself sends nothing but its event), on the reminders queue a minute on
(`hold_check`): the "held" notice, which the reminders worker sends only if the order is still
held (notifications/services/reminders.py), and which then passes the hold on to its expiry
message, delayed until the hold ends (SQS allows 15 minutes; a longer hold is re-sent with the
rest). Most holds are confirmed within that minute: their one message finds the order
confirmed and ends there, where a notice and an expiry message of their own took two messages,
two invocations and two reads. Backstop, for a hold whose message was lost (or whose notice
the reminders worker could not take): the booking request marks its tenant in the platform
table (once per ten minutes per container), and a sweeper that runs every minute looks at a
marked tenant (never every tenant) only when it is due (`sweep_due`: once its mark has passed,
and every half hour while it lasts), and expires what is overdue: such a hold ends at most ten
minutes late at a quiet business, half an hour at a busy one, and it does not depend on the
event pipeline. A look at a mark reads the part of its tenant's open holds' index its holds
were marked in (one shard of eight), in the table the tenant's id names, and reads the
tenant's record only when a hold there is overdue: looking at all eight shards every minute
cost a quiet business's booking 225 reads; now one or two.
Expiry is conditional on the order still being held, so a late or repeated message, or a
payment confirming at the same moment, changes nothing twice.
"""

from __future__ import annotations

import math
import zlib
from typing import Any, Protocol

from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.order_look import Look
from chalicelib.booking.services.order_ports import BookingContext, BookingData
from chalicelib.kernel.domain.errors import TenantNotReady
from chalicelib.kernel.domain.events import OrderHeld
from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.services.context import system_context
from chalicelib.kernel.services.messaging_ports import MessageBus
from chalicelib.kernel.services.ports import Clock, IdFactory, WorkMark
from chalicelib.kernel.services.tenant_data_ports import DataFactory
from chalicelib.kernel.services.work_marks import WorkMarks
from chalicelib.queues import HOLD_EXPIRY, MAX_DELAY_SECONDS, REMINDERS
from chalicelib.settings import Settings
from chalicelib.tenancy.services.platform_ports import PlatformRepository

WORK_KIND = "holds"
MARK_SLACK_SECONDS = 600  # one mark covers the holds of the next ten minutes
# While its mark lasts, the sweeper looks at a tenant this often: a quiet tenant's mark (its
# hold and ten minutes) has passed before its first such look, and is looked at once, when it
# has; a busy tenant, whose mark moves on with every new hold, every half hour.
SWEEP_EVERY_MINUTES = 30


def sweep_due(tenant_id: str, until: str, now: str) -> bool:
    """Whether the sweeper looks at a marked tenant now: once its mark has passed (every hold
    it covers has ended: the last look, then the mark goes), and, while new holds keep moving
    the mark on, every `SWEEP_EVERY_MINUTES` at a minute of its own (tenants spread over the
    minutes by their id)."""
    if until <= now:
        return True
    minute = int(parse(now).timestamp()) // 60
    return (minute + zlib.crc32(tenant_id.encode())) % SWEEP_EVERY_MINUTES == 0


def schedule_expiry(ctx: BookingContext, order: Order, *, bus: MessageBus) -> None:
    """The hold's delayed expiry message."""
    assert order.hold_expires_at is not None
    send_expiry(ctx, order.id, order.hold_expires_at, bus=bus)


def _seconds_to(expires_at: str, now: str) -> float:
    return (parse(expires_at) - parse(now)).total_seconds()


def send_expiry(ctx: BookingContext, order_id: str, expires_at: str, *, bus: MessageBus) -> None:
    send_expiry_of(bus, ctx.tenant.id, order_id, expires_at, now=ctx.now())


def send_expiry_of(
    bus: MessageBus, tenant_id: str, order_id: str, expires_at: str, *, now: str
) -> None:
    # Rounded up: a delay rounded down brings the message up to a second before the hold
    # ends, when there is nothing to expire yet (then it comes again, handle_expiry).
    left = max(0, math.ceil(_seconds_to(expires_at, now)))
    bus.send(
        HOLD_EXPIRY.name,
        {"tenant_id": tenant_id, "order_id": order_id, "expires_at": expires_at},
        delay_seconds=min(MAX_DELAY_SECONDS, left),
    )


def hold_check(tenant_id: str, order_id: str, event_id: str, expires_at: str) -> dict[str, str]:
    """The reminders queue's message a minute after a hold: the "held" notice (`kind`, `id`,
    `event_id`, as notices were) that also carries the hold's end, which the reminders worker
    passes on to the hold's expiry message while the order is still held (`pass_on`). A
    notice without `expires_at` (sent before) had its expiry message sent beside it."""
    return {
        "kind": "held",
        "tenant_id": tenant_id,
        "order_id": order_id,
        "id": f"held-{event_id}",
        "event_id": event_id,
        "expires_at": expires_at,
    }


def pass_on(bus: MessageBus, payload: dict[str, Any], order: Order | None, *, now: str) -> bool:
    """The hold check came: while the order is still held, send its expiry message (delayed
    until the hold ends, as the order says now: an extended hold's later end). Before the
    "held" notice is sent, so a notice that fails is retried with its expiry already on its
    way (a second expiry message changes nothing). Whether one was sent."""
    if "expires_at" not in payload or order is None or order.status is not BookingStatus.HELD:
        return False
    if order.hold_expires_at is None:
        return False
    send_expiry_of(bus, str(payload["tenant_id"]), order.id, order.hold_expires_at, now=now)
    return True


class ExpiryDeps(Protocol):
    @property
    def bus(self) -> MessageBus: ...
    @property
    def settings(self) -> Settings: ...


class ScheduleExpiry:
    """Consumer of `OrderHeld` (pipeline/consumers.py): sends the hold check (`hold_check`),
    the hold's one message: its "held" notice a minute on, which passes the hold on to its
    expiry message if it is still held then."""

    name = "hold_expiry"
    events = (OrderHeld,)
    # A second check is harmless: its notice goes once (reminders.send_reminder, by its id),
    # and a second expiry message looks at the order when it arrives.
    repeatable = True

    def handle(self, ctx: BookingContext, event: OrderHeld, deps: ExpiryDeps) -> None:
        # From the event, without reading the order: the check looks at the order when it
        # arrives, so one for an order confirmed meanwhile (events behind) changes nothing,
        # and the usual one (the event handled within a second) costs no read. A hold shorter
        # than the notice's minute is checked when it ends (then no notice, its expiry at once).
        left = max(0, math.ceil(_seconds_to(event.hold_expires_at, ctx.now())))
        delay = min(deps.settings.held_notice_seconds, left, MAX_DELAY_SECONDS)
        check = hold_check(ctx.tenant.id, event.order_id, event.id, event.hold_expires_at)
        deps.bus.send(REMINDERS.name, check, delay_seconds=delay)


def mark_hold(marks: WorkMarks, ctx: BookingContext, order_id: str, expires_at: str) -> None:
    """After a hold commits: make sure the sweeper will visit this tenant, in the part of
    the open holds' index that lists the order (one shard to read, not all eight)."""
    part = ctx.data.orders.hold_part(order_id)
    marks.ensure(
        WORK_KIND, ctx.tenant.id, until=expires_at, slack_seconds=MARK_SLACK_SECONDS, part=part
    )


def has_hold(order: Order | None) -> bool:
    """Whether the order may still have a hold to expire (a confirmed or gone one has not)."""
    return order is not None and order.hold_expires_at is not None


def handle_expiry(
    ctx: BookingContext, order_id: str, *, bus: MessageBus, look: Look | None = None
) -> str:
    """One expiry message: expire the hold, or re-send when it is not due yet. `look`: the
    order as the worker read it before the tenant (order_look.py), not read again."""
    order = look.order if look is not None and look.seen else ctx.data.orders.get(order_id)
    if order is None or order.hold_expires_at is None:
        return "gone"
    left = _seconds_to(order.hold_expires_at, ctx.now())
    if order_service.expire(ctx, order_id, order=order) is not None:
        return "expired"
    if left > 0 and order.status.value == "held":  # early, if only by a fraction: again
        send_expiry(ctx, order_id, order.hold_expires_at, bus=bus)
        return "rescheduled"
    return "unchanged"


class SweptTables(DataFactory[BookingData], Protocol):
    """Tenant data by the tenant's record, or by its id alone (the table's name at sign-up,
    the only one its credentials reach: order_look.py); TenantNotReady when it is not there."""

    def for_tenant_id(self, tenant_id: str) -> BookingData: ...


def sweep(
    *,
    platform: PlatformRepository,
    data_factory: SweptTables,
    now: Clock,
    new_id: IdFactory,
) -> dict[str, int]:
    """Look at the marks that are due (`sweep_due`): how many holds each tenant expired."""
    expired: dict[str, int] = {}
    tenants: dict[str, Tenant | None] = {}  # read once per run, however many parts are due
    for mark in platform.marked(WORK_KIND):
        if sweep_due(mark.tenant_id, mark.until, now()):
            count = look_at(mark, platform, data_factory, now=now, new_id=new_id, tenants=tenants)
            if count is not None:
                expired[mark.tenant_id] = expired.get(mark.tenant_id, 0) + count
    return expired


def look_at(
    mark: WorkMark,
    platform: PlatformRepository,
    data_factory: SweptTables,
    *,
    now: Clock,
    new_id: IdFactory,
    tenants: dict[str, Tenant | None] | None = None,
) -> int | None:
    """Expire the overdue holds the mark covers (its part of the index; a mark without a
    part, all of it), and clear the mark once it has passed; None: the tenant is gone or not
    active. The part is read first, in the table the tenant's id names: most looks find
    nothing overdue (the holds were confirmed or their messages expired them) and read no
    tenant record; `tenants`, the records this run read already."""
    overdue = _overdue(data_factory, mark, now())
    if overdue == []:
        if mark.until <= now():
            platform.clear_work(WORK_KIND, mark.tenant_id, mark.until, mark.part)
        return 0
    tenants = {} if tenants is None else tenants
    if mark.tenant_id not in tenants:
        tenants[mark.tenant_id] = platform.get_tenant(mark.tenant_id)
    tenant = tenants[mark.tenant_id]
    if tenant is None or not tenant.is_active:
        platform.clear_work(WORK_KIND, mark.tenant_id, mark.until, mark.part)
        return None
    ctx = system_context(tenant, data_factory=data_factory, now=now, new_id=new_id)
    if overdue is None:  # the table by its id could not be read: by the tenant's record
        overdue = ctx.data.orders.expired_holds(now(), part=mark.part)
    count = 0
    for order_id in overdue:
        if order_service.expire(ctx, order_id) is not None:
            count += 1
    if mark.until <= now():
        platform.clear_work(WORK_KIND, mark.tenant_id, mark.until, mark.part)
    return count


def _overdue(data_factory: SweptTables, mark: WorkMark, now: str) -> list[str] | None:
    """The overdue holds of the mark's part, read by the tenant's id; None: not readable so."""
    try:
        return data_factory.for_tenant_id(mark.tenant_id).orders.expired_holds(now, part=mark.part)
    except TenantNotReady:
        return None
