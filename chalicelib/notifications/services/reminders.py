"""Reminders before a confirmed booking, at offsets the tenant chooses (default 24 h and 2 h).

One EventBridge Scheduler one-time schedule per reminder (no table is swept for due
reminders); it puts `{tenant_id, order_id, start, offset_minutes, id, due, begins}` on the
reminders queue.
- Created when an order is confirmed (or moved), for every reminder due after that change.
  One already due when the change is handled (the events were behind) is late, not lost:
  the latest such reminder goes on the reminders queue at once, if the booking has not
  started; a reminder due before the change itself (booked too late for it) is not sent.
- on a move, the old ones are deleted and new ones made
  for the new start; on a cancel or no-show they are deleted. Deleting is best-effort:
- correctness never depends on it: when a reminder fires, it is sent only if the order is
  still confirmed and still starts at the instant it was planned for, and at most once per
  reminder id (the ledger), however often the schedule or the queue delivers it.
- Offsets in whole days count on the tenant's wall clock ("the day before at the same time",
  also across a daylight-saving change); other offsets are elapsed time ("2 hours before").
- They count from the booking's arrival (arrival.py): a timed booking's start, a stay's
  check-in time on its first day (15:00), not the local midnight a stay's line starts at. The
  payload carries it as `begins` (a payload without it, made before: the order's start).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any, Protocol, cast

from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.services.order_look import Look
from chalicelib.kernel.domain.calendar import local_instant, to_local
from chalicelib.kernel.domain.events import (
    OrderCancelled,
    OrderConfirmed,
    OrderEvent,
    OrderMarkedNoShow,
    OrderRescheduled,
)
from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.domain.timefmt import format_utc, parse
from chalicelib.kernel.services.messaging_ports import MessageBus, ReminderScheduler
from chalicelib.notifications.services.arrival import arrival
from chalicelib.notifications.services.content_times import instant_of
from chalicelib.notifications.services.send import notify
from chalicelib.notifications.services.template_ports import (
    KnownTemplates,
    NotificationsContext,
    NotificationsData,
)
from chalicelib.queues import REMINDERS

DEFAULT_OFFSETS = (1440, 120)
ON_TIME_MINUTES = 5
MINUTES_PER_DAY = 1440


def reminder_id(tenant_id: str, order_id: str, start: str, offset_minutes: int) -> str:
    """Stable per (order, start, offset): a moved booking's reminders get new ids."""
    digest = hashlib.sha256(f"{tenant_id}|{order_id}|{start}|{offset_minutes}".encode())
    return f"rem-{digest.hexdigest()[:40]}"


def fire_at(start: str, offset_minutes: int, tz: str) -> datetime:
    """When the reminder `offset_minutes` before `start` is due (UTC)."""
    begins = instant_of(start)
    if offset_minutes % MINUTES_PER_DAY == 0:
        local = to_local(begins, tz)
        day = local.date() - timedelta(days=offset_minutes // MINUTES_PER_DAY)
        same_clock = local_instant(day, local.hour * 60 + local.minute, tz)
        if same_clock is not None:  # None: that wall time does not exist on that day
            return same_clock
    return begins - timedelta(minutes=offset_minutes)


def offsets_of(tenant: Tenant) -> tuple[int, ...]:
    return tuple(getattr(tenant.settings, "reminder_offsets_minutes", DEFAULT_OFFSETS))


def planned(tenant: Tenant, order: Order, now: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(schedule name, due instant, payload) of each reminder still ahead of `now`."""
    out = []
    begins = format_utc(arrival(order, tenant))
    for offset in sorted(set(offsets_of(tenant)), reverse=True):
        due = format_utc(fire_at(begins, offset, tenant.timezone))
        if due <= now:
            continue  # booked too late for this one
        rid = reminder_id(tenant.id, order.id, order.start, offset)
        payload = {
            "tenant_id": tenant.id,
            "order_id": order.id,
            "start": order.start,
            "offset_minutes": offset,
            "id": rid,
            "due": due,
            "begins": begins,
        }
        out.append((rid, due, payload))
    return out


def schedule(ctx: NotificationsContext, order: Order, deps: ReminderDeps, *, since: str) -> int:
    """The reminders due after `since` (the change that calls for them): each ahead gets its
    schedule; of those already due, the latest goes now (see above). How many."""
    now = ctx.now()
    reminders = planned(ctx.tenant, order, since)
    ahead = [r for r in reminders if r[1] > now]
    late = [r for r in reminders if r[1] <= now]
    for name, due, payload in ahead:
        deps.reminders.schedule(name, due, payload)
    if late and parse(now) < arrival(order, ctx.tenant):
        _, _, payload = late[-1]  # the one closest to the start
        deps.bus.send(REMINDERS.name, payload)
        return len(ahead) + 1
    return len(ahead)


def unschedule(
    ctx: NotificationsContext, order_id: str, start: str, scheduler: ReminderScheduler
) -> None:
    """Best-effort: a schedule left behind finds the order changed and sends nothing."""
    from chalicelib.observability import logger

    offsets = set(offsets_of(ctx.tenant)) | set(DEFAULT_OFFSETS)
    for offset in offsets:
        try:
            scheduler.cancel(reminder_id(ctx.tenant.id, order_id, start, offset))
        except Exception:  # noqa: BLE001 - deletion is an optimisation, not a guarantee
            logger.warning("reminder not deleted", extra={"order_id": order_id}, exc_info=True)


class ReminderDeps(Protocol):
    @property
    def reminders(self) -> ReminderScheduler: ...
    @property
    def bus(self) -> MessageBus: ...


class Reminders:
    """The consumer: keeps an order's reminder schedules in step with its state and time."""

    name = "reminders"
    events = (OrderConfirmed, OrderRescheduled, OrderCancelled, OrderMarkedNoShow)
    # Schedules are named by order, start and offset: making one again keeps the one there.
    repeatable = True

    def handle(self, ctx: NotificationsContext, event: OrderEvent, deps: ReminderDeps) -> None:
        order = ctx.data.orders.get(event.order_id)
        if order is None:
            return
        if isinstance(event, OrderRescheduled) and event.previous_start:
            unschedule(ctx, order.id, event.previous_start, deps.reminders)
        if isinstance(event, (OrderCancelled, OrderMarkedNoShow)):
            unschedule(ctx, order.id, event.start or order.start, deps.reminders)
            return
        if order.status is BookingStatus.CONFIRMED:
            schedule(ctx, order, deps, since=event.at)


def send_reminder(
    ctx: NotificationsContext, payload: dict[str, Any], deps: Any, *, look: Look | None = None
) -> str:
    """A reminder that fired (or a hold's delayed "held" message, booking/services/expiry.py
    `hold_check`): send it if it still applies; the outcome, for the logs. Its e-mail and text
    are marked on one claim of the reminder (`run_claimed`), however often it is delivered.
    `look`: the order as the worker read it before the tenant (booking/services/order_look.py),
    not read again. A hold check first hands a hold still held on to its expiry message (the
    worker does that itself after its look, and hands on the notice alone)."""
    from chalicelib.kernel.services.once import run_claimed

    if payload.get("kind") == "held" and "expires_at" in payload:
        from chalicelib.booking.services.expiry import pass_on

        if look is None or not look.seen:
            look = Look(seen=True, order=ctx.data.orders.get(str(payload["order_id"])))
        pass_on(deps.bus, payload, look.order, now=ctx.now())
    if look is not None and look.seen and look.listeners is not None:
        # The counts came with the order: no templates' Query while the tenant has none.
        counts = look.listeners
        templates = KnownTemplates(ctx.data.templates, lambda: counts)
        ctx = ctx.with_data(cast(NotificationsData, _WithTemplates(ctx.data, templates)))
    return run_claimed(
        ctx,
        ctx.data.ledger,
        f"reminder#{payload['id']}",
        lambda c: _send(c, payload, deps, look),
    )


class _WithTemplates:
    """`data` with its templates read through `templates`."""

    def __init__(self, data: NotificationsData, templates: KnownTemplates) -> None:
        self._data = data
        self.templates = templates

    def __getattr__(self, name: str) -> Any:
        return getattr(self._data, name)


def nothing_to_send(payload: dict[str, Any], order: Order | None, now: str) -> str | None:
    """Why a reminder or a "held" notice that fired has nothing to send now (the outcome), or
    None: the order confirmed within the minute (or gone) has no "held" notice; a reminder
    only for an order still confirmed, still starting when it was planned for, not begun."""
    if payload.get("kind") == "held":
        if order is not None and order.partner is not None:
            return "partners"  # a partner's hold is its cart, not the customer's to settle
        return "not_held" if order is None or order.status is not BookingStatus.HELD else None
    if order is None or order.status is not BookingStatus.CONFIRMED:
        return "not_confirmed"
    if order.start != payload["start"]:
        return "moved"
    if parse(now) >= instant_of(begins_of(payload, order)):
        return "too_late"
    return None


def _send(ctx: NotificationsContext, payload: dict[str, Any], deps: Any, look: Look | None) -> str:
    order_id = str(payload["order_id"])
    order = look.order if look is not None and look.seen else ctx.data.orders.get(order_id)
    why_not = nothing_to_send(payload, order, ctx.now())
    if why_not is not None:
        return why_not
    assert order is not None
    if payload.get("kind") == "held":
        if order.hold_expires_at and parse(order.hold_expires_at) <= parse(ctx.now()):
            return "hold_ended"  # a hold shorter than the notice's minute: no "held until"
        sent = notify(ctx, deps, order, "held", key=f"notifications#{payload['event_id']}")
        return "sent" if any(sent.values()) else "duplicate"
    sent = notify(
        ctx,
        deps,
        order,
        "reminder",
        key=f"reminder#{payload['id']}",
        data={"offset_minutes": minutes_ahead(ctx.now(), begins_of(payload, order), payload)},
    )
    return "sent" if any(sent.values()) else "duplicate"


def begins_of(payload: dict[str, Any], order: Order) -> str:
    """The instant the reminder counts to: its `begins`, or the order's start (made before)."""
    return str(payload.get("begins", order.start))


def minutes_ahead(now: str, start: str, payload: dict[str, Any]) -> int:
    """What the reminder says ("in 1 day"): its offset when it comes on time (a schedule fires
    within a minute or so of its due time; a day-before reminder across a daylight-saving
    change is due 23 or 25 hours ahead and still says "1 day"), the time really left when it
    comes late."""
    offset = int(payload["offset_minutes"])
    late = (parse(now) - parse(str(payload["due"]))).total_seconds() / 60 if "due" in payload else 0
    if late <= ON_TIME_MINUTES:
        return offset
    return round((instant_of(start) - parse(now)).total_seconds() / 60)
