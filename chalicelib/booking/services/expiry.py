"""Holds that run out give their units back within a minute.

Per hold: a message delayed until the hold ends (SQS allows 15 minutes; a longer hold is
re-sent with the rest), sent by the `hold_expiry` consumer of the hold's `OrderHeld` event,
so the booking request itself sends nothing but its event. Backstop: the booking request
marks its tenant in the platform table (once per ten minutes per container), and a sweeper
every minute visits only marked tenants (never every tenant) and expires what is overdue —
it does not depend on the event pipeline.
Expiry is conditional on the order still being held, so a late or repeated message, or a
payment confirming at the same moment, changes nothing twice.
"""

from __future__ import annotations

import math
from typing import Protocol

from chalicelib.booking.domain.orders import Order
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.order_look import Look
from chalicelib.booking.services.order_ports import BookingContext, BookingData
from chalicelib.kernel.domain.events import OrderHeld
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.services.context import system_context
from chalicelib.kernel.services.messaging_ports import MessageBus
from chalicelib.kernel.services.ports import Clock, IdFactory
from chalicelib.kernel.services.tenant_data_ports import DataFactory
from chalicelib.kernel.services.work_marks import WorkMarks
from chalicelib.queues import HOLD_EXPIRY, MAX_DELAY_SECONDS
from chalicelib.tenancy.services.platform_ports import PlatformRepository

WORK_KIND = "holds"
MARK_SLACK_SECONDS = 600  # one mark covers the holds of the next ten minutes


def schedule_expiry(ctx: BookingContext, order: Order, *, bus: MessageBus) -> None:
    """The hold's delayed expiry message."""
    assert order.hold_expires_at is not None
    send_expiry(ctx, order.id, order.hold_expires_at, bus=bus)


def _seconds_to(expires_at: str, now: str) -> float:
    return (parse(expires_at) - parse(now)).total_seconds()


def send_expiry(ctx: BookingContext, order_id: str, expires_at: str, *, bus: MessageBus) -> None:
    # Rounded up: a delay rounded down brings the message up to a second before the hold
    # ends, when there is nothing to expire yet (then the sweeper, a minute later, does it).
    left = max(0, math.ceil(_seconds_to(expires_at, ctx.now())))
    bus.send(
        HOLD_EXPIRY.name,
        {"tenant_id": ctx.tenant.id, "order_id": order_id, "expires_at": expires_at},
        delay_seconds=min(MAX_DELAY_SECONDS, left),
    )


class BusDeps(Protocol):
    @property
    def bus(self) -> MessageBus: ...


class ScheduleExpiry:
    """Consumer of `OrderHeld` (pipeline/consumers.py): sends the hold's expiry message."""

    name = "hold_expiry"
    events = (OrderHeld,)
    # A second expiry message is harmless: the expiry looks at the order when it arrives.
    repeatable = True

    def handle(self, ctx: BookingContext, event: OrderHeld, deps: BusDeps) -> None:
        # From the event, without reading the order: the expiry looks at the order when its
        # message arrives, so a message for an order confirmed meanwhile (events behind)
        # changes nothing, and the usual one (the event handled within a second) costs no read.
        send_expiry(ctx, event.order_id, event.hold_expires_at, bus=deps.bus)


def mark_hold(marks: WorkMarks, tenant_id: str, expires_at: str) -> None:
    """After a hold commits: make sure the sweeper will visit this tenant."""
    marks.ensure(WORK_KIND, tenant_id, until=expires_at, slack_seconds=MARK_SLACK_SECONDS)


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


def sweep(
    *,
    platform: PlatformRepository,
    data_factory: DataFactory[BookingData],
    now: Clock,
    new_id: IdFactory,
) -> dict[str, int]:
    """Expire overdue holds of the marked tenants; unmark tenants whose mark has passed."""
    expired: dict[str, int] = {}
    for tenant_id, until in platform.tenants_with_work(WORK_KIND).items():
        tenant = platform.get_tenant(tenant_id)
        if tenant is None or not tenant.is_active:
            platform.clear_work(WORK_KIND, tenant_id, until)
            continue
        ctx = system_context(tenant, data_factory=data_factory, now=now, new_id=new_id)
        count = 0
        for order_id in ctx.data.orders.expired_holds(now()):
            if order_service.expire(ctx, order_id) is not None:
                count += 1
        expired[tenant_id] = count
        if until < now():
            platform.clear_work(WORK_KIND, tenant_id, until)
    return expired
