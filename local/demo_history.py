"""A few weeks of PAST bookings for the demo tenants, so the console's dashboard has history.

They are made through the booking engine itself (hold, confirm, a desk payment, some checked
in and out, some cancelled), in this process, with a context whose clock is set in the past:
each booking at its own moment a few days before its service. Their events are written with
those moments and travel the usual way (the table's stream, the worker loop, the bookkeeping
consumers), so the daily figures (reports/services/figures.py) count them as they would have
been counted then. Nothing here writes a figure itself. Runs after the API seeding (local/
dev.py), once per fresh tenant.

Nothing is dated after the real moment of seeding (`now`): "today" is the tenant's local
date, and a step whose moment has not come yet is not taken. A stay that began a night or
two ago is left checked in (the guest is still there), a booking served later today is left
confirmed: no check-out, audit entry or event from the future.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from chalicelib.booking.domain.orders import Channel, Customer
from chalicelib.booking.domain.payment_records import Tender
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.catalog.domain.catalog import Offering, ResourceKind
from chalicelib.kernel.domain.calendar import local_date, zone
from chalicelib.kernel.domain.errors import DomainError
from chalicelib.kernel.services.context import system_context
from chalicelib.payments.services import desk

log = logging.getLogger("reservoir.local")

DAYS = 28  # how far back the history goes
PER_DAY = 1  # bookings tried per offering and day
# The free plan allows 100 bookings a month (tenancy/services/plan_limits.py); the history's
# bookings are made through the services, not the hold's request, so they are not counted
# against it, and it makes at most this many in the current month all the same. The newest
# days are booked first, so the last week is the one that has them.
THIS_MONTH_BUDGET = 30
GUESTS = [
    Customer("Mina Park", "mina@example.com", None, "en"),
    Customer("Tom Weber", "tom@example.com", None, "de"),
    Customer("Lea Rossi", "lea@example.com", None, "it"),
    Customer("Omar Haddad", "omar@example.com", None, "en"),
    Customer("Ines Costa", "ines@example.com", None, "pt"),
]
HOURS = (10, 11, 14, 15, 16)


class PastClock:
    """A clock the seeding sets: `ctx.now()` answers the moment it was set to."""

    def __init__(self) -> None:
        self.at = datetime.now(UTC)

    def set(self, local: datetime, tz: str) -> None:
        self.at = local.replace(tzinfo=zone(tz)).astimezone(UTC)

    def __call__(self) -> str:
        return self.at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _line(offering: Offering, day: date, n: int, sessions: tuple[int, ...]) -> LineInput:
    if offering.kind is ResourceKind.NIGHTLY:
        return LineInput(offering.id, check_in=day, nights=1 + n % 3, party=1 + n % 2)
    if offering.kind is ResourceKind.SESSION and sessions:
        minute = sessions[n % len(sessions)]
        start = datetime.combine(day, time(minute // 60, minute % 60))
        return LineInput(offering.id, start=start, party=1 + n % 3)
    return LineInput(offering.id, start=datetime.combine(day, time(HOURS[n % len(HOURS)])))


def _sessions(offering: Offering, resources: dict[str, Any], day: date) -> tuple[int, ...]:
    for r in resources.values():
        if r.kind is ResourceKind.SESSION and any(
            r.matches(q.selector) for q in offering.requirements
        ):
            return tuple(r.sessions_on(day))
    return ()


def _book_one(
    ctx: Any, cache: Any, clock: PastClock, tz: str, line: LineInput, n: int, now: datetime
) -> None:
    """One booking's life, each step at its moment while that moment is not after `now`
    (raises DomainError when refused)."""
    order = hold_order(
        ctx,
        cache,
        HoldInput(GUESTS[n % len(GUESTS)], [line], (Channel.WIDGET, Channel.STAFF)[n % 2]),
        order_id=f"ord_hist{ctx.new_id()}",
    )
    order = order_service.confirm(ctx, order.id)
    if n % 5 == 4:
        order_service.cancel(ctx, cache, order.id, reason="Plans changed")
        return
    method = (Tender.CASH, Tender.CARD_TERMINAL, Tender.BANK_TRANSFER)[n % 3]
    desk.record_payment(
        ctx, order.id, record_id=f"dpay_hist{ctx.new_id()}", amount=order.total, method=method
    )
    served = datetime.combine(date.fromisoformat(order.lines[0].local_date), time(18))
    if not _reached(clock, served, tz, now):
        return  # not served yet
    order_service.check_in(ctx, order.id, early=False)
    if not _reached(clock, served + timedelta(days=order.lines[0].nights), tz, now):
        return  # a stay that has not ended yet: the guest is still in
    order_service.complete(ctx, order.id, leave_balance_open=True)


def _reached(clock: PastClock, local: datetime, tz: str, now: datetime) -> bool:
    """Set the clock to `local` if that moment has come by `now` (else leave it)."""
    if local.replace(tzinfo=zone(tz)) > now:
        return False
    clock.set(local, tz)
    return True


def seed_history(
    tenant_ids: list[str], *, now: datetime | None = None, days: int = DAYS, per_day: int = PER_DAY
) -> list[str]:
    """Past bookings for each tenant (module docstring); the problems met, one line each."""
    from chalicelib import bootstrap

    c = bootstrap.container()
    problems: list[str] = []
    for tenant_id in tenant_ids:
        tenant = c.platform.get_tenant(tenant_id)
        if tenant is None:
            continue
        clock = PastClock()
        ctx = system_context(tenant, data_factory=c.tenant_data, now=clock, new_id=c.new_id)
        made = _history(
            ctx, c.catalog_cache, clock, (now or datetime.now(UTC), days, per_day), tenant.timezone
        )
        log.info("past bookings of %s: %d", tenant.slug, made)
        if not made:
            problems.append(f"{tenant.slug}: no past booking could be made")
    return problems


def _history(
    ctx: Any, cache: Any, clock: PastClock, span: tuple[datetime, int, int], tz: str
) -> int:
    """`span`: (the real moment, an aware datetime; days back; bookings per offering a day)."""
    now, days, per_day = span
    today = local_date(now, tz)  # the tenant's today, not the machine's
    snapshot = cache.get(ctx.tenant.id, ctx.data.catalog)
    offerings = [o for o in snapshot.offerings.values() if o.active][:3]
    made = 0
    this_month = 0
    n = 0
    for back in range(1, days + 1):
        day = today - timedelta(days=back)
        for offering in offerings:
            sessions = _sessions(offering, snapshot.resources, day)
            for _ in range(per_day):
                n += 1
                lead = 1 + n % 9  # booked one to nine days ahead, in the morning
                booked = day - timedelta(days=lead)
                current = (booked.year, booked.month) == (today.year, today.month)
                if current and this_month >= THIS_MONTH_BUDGET:
                    continue
                clock.set(datetime.combine(booked, time(9, n % 50)), tz)
                try:
                    _book_one(ctx, cache, clock, tz, _line(offering, day, n, sessions), n, now)
                    made += 1
                    this_month += current
                except DomainError:
                    continue  # full, closed that day, not a start time: the next one
    return made
