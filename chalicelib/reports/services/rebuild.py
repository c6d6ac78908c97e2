"""The rebuild: the daily figures of a date range recomputed from the orders (their payments
and refunds are on them; whether each was its customer's first booking from the customer's
orders), as a job on the rebuilds queue, after a bug fix or to fill the figures of orders
from before the figures existed.

It applies the live figures' own rule (reports/domain/figures.py: an order's contribution)
to every order that can touch the range: every order created from `LOOKBACK_DAYS` before
the range's first day until now (an order is made at most a booking window ahead of its
service, and its money moves after it is made). Then, in two phases, each writing values and
never additions, so a job that dies is run again from its phase (the queue's redelivery) with
the same result:
1. `counted`: each order's contribution becomes its recomputed part inside the range and
   what it had counted outside it, so the live consumer's next difference starts from what
   the day items now hold;
2. `days`: every day item of the range of each basis is put whole (a day without figures
   is deleted).
The answers then equal the live figures' (tests/unit/test_report_figures.py holds it).
Events of the same days handled while a rebuild runs may be overwritten by it: run a rebuild
of a range that is quiet, or again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from chalicelib.booking.domain.order_search import ByCreated
from chalicelib.booking.domain.orders import Order
from chalicelib.kernel.domain.calendar import day_bounds, iso_utc
from chalicelib.kernel.domain.errors import DomainError, InvalidInput, NotFound, TransientFailure
from chalicelib.kernel.domain.timefmt import add_seconds
from chalicelib.kernel.services.messaging_ports import MessageBus
from chalicelib.observability import logger
from chalicelib.queues import REBUILDS
from chalicelib.reports.domain.figures import (
    BASES,
    Contribution,
    contribution,
    total_of,
    was_booked,
)
from chalicelib.reports.domain.figures_report import DayFigures, RangeTooLong
from chalicelib.reports.domain.rebuilds import MAX_REBUILD_DAYS, Rebuild
from chalicelib.reports.services.figures import first_booking
from chalicelib.reports.services.figures_ports import Counted, ReportsContext

LOOKBACK_DAYS = 731
PAGE = 100


def start_rebuild(
    ctx: ReportsContext, first: date, last: date, rebuild_id: str, bus: MessageBus
) -> Rebuild:
    """Queue a rebuild of `first`..`last` (local dates, inclusive); the same id (an
    idempotent retry) answers the job already made."""
    if first > last:
        raise InvalidInput("from is after to.", code="report_invalid", field="from")
    if (last - first).days + 1 > MAX_REBUILD_DAYS:
        raise RangeTooLong(f"A rebuild covers at most {MAX_REBUILD_DAYS} days.", field="to")
    known = ctx.data.figures.get_rebuild(rebuild_id)
    if known is not None:
        return known
    now = ctx.now()
    job = Rebuild(rebuild_id, first.isoformat(), last.isoformat(), "queued", now, now)
    ctx.data.figures.put_rebuild(job)
    bus.send(REBUILDS.name, {"tenant_id": ctx.tenant.id, "rebuild_id": rebuild_id})
    return job


def rebuild_status(ctx: ReportsContext, rebuild_id: str) -> Rebuild:
    job = ctx.data.figures.get_rebuild(rebuild_id)
    if job is None:
        raise NotFound("No such rebuild.", code="rebuild_not_found", rebuild_id=rebuild_id)
    return job


def orders_touching(ctx: ReportsContext, first: date) -> list[Order]:
    """Every order created from LOOKBACK_DAYS before `first` until now."""
    low = iso_utc(day_bounds(first - timedelta(days=LOOKBACK_DAYS), ctx.tenant.timezone)[0])
    index = ByCreated(low, add_seconds(ctx.now(), 1))
    out: list[Order] = []
    after: str | None = None
    while True:
        page = ctx.data.orders.index_page(index, after=after, descending=False, limit=PAGE)
        found = ctx.data.orders.get_many([e.order_id for e in page.entries])
        out += [found[e.order_id] for e in page.entries if e.order_id in found]
        if page.next is None:
            return list({o.id: o for o in out}.values())
        after = page.next


def _inside(c: Contribution, first: str, last: str) -> Contribution:
    return {slot: n for slot, n in c.items() if first <= slot[1] <= last}


def _outside(c: Contribution, first: str, last: str) -> Contribution:
    return {slot: n for slot, n in c.items() if not first <= slot[1] <= last}


def recount(
    ctx: ReportsContext, orders: list[Order], first: str, last: str
) -> tuple[dict[str, tuple[Contribution, bool | None]], Contribution]:
    """Each order's recomputed contribution inside the range (with its first-booking flag),
    and their sum: what the day items of the range hold."""
    parts: dict[str, tuple[Contribution, bool | None]] = {}
    for order in orders:
        flag = _first(ctx, order)
        c = contribution(order, ctx.tenant.timezone, first_booking=bool(flag))
        parts[order.id] = (_inside(c, first, last), flag)
    return parts, total_of(p for p, _ in parts.values())


def _first(ctx: ReportsContext, order: Order) -> bool | None:
    """Whether the order was its customer's first booking, by the live rule; for an erased
    customer's order, as it was decided while they were known: the erase gives each of their
    orders an address of its own, so a rebuild would count each as a new customer's (an
    outside tester's rebuild after an erase turned 14 returning customers into 12)."""
    if not was_booked(order):
        return None
    if order.customer.erased:
        kept = ctx.data.figures.counted(order.id).first_booking
        if kept is not None:
            return kept
    return first_booking(ctx, order)


FAILED = "The figures could not be rebuilt; ask for the rebuild again."


def run_rebuild(ctx: ReportsContext, rebuild_id: str) -> Rebuild:
    """Run (or run again) the rebuild's job; answers it as it ended. A passing failure
    (throttling) raises, so the queue tries again, until its last try; then, or on anything
    else, the job says `failed` with why: never `running` for good."""
    job = ctx.data.figures.get_rebuild(rebuild_id)
    if job is None or job.status in ("done", "failed"):
        return rebuild_status(ctx, rebuild_id) if job else _gone(rebuild_id)
    job = _save(ctx, job, status="running", attempts=job.attempts + 1)
    try:
        return _run(ctx, job)
    except TransientFailure as exc:
        if job.attempts < REBUILDS.max_receive_count:
            raise
        return _save(ctx, job, status="failed", error=exc.message, finished_at=ctx.now())
    except DomainError as exc:
        return _save(ctx, job, status="failed", error=exc.message, finished_at=ctx.now())
    except Exception:  # noqa: BLE001 - the job's reason; logged with its trace
        logger.exception("rebuild failed", extra={"rebuild_id": job.id})
        return _save(ctx, job, status="failed", error=FAILED, finished_at=ctx.now())


def _run(ctx: ReportsContext, job: Rebuild) -> Rebuild:
    orders = orders_touching(ctx, date.fromisoformat(job.first))
    parts, sums = recount(ctx, orders, job.first, job.last)
    if job.phase == "":
        for order_id, (inside, flag) in parts.items():
            stored = ctx.data.figures.counted(order_id)
            whole = {**_outside(stored.contribution, job.first, job.last), **inside}
            if whole != stored.contribution or flag != stored.first_booking:
                ctx.data.figures.put_counted(order_id, Counted(whole, flag, stored.version + 1))
        job = _save(ctx, job, phase="counted", orders=len(orders))
    now = ctx.now()
    written = 0
    for basis in BASES:
        days = [
            DayFigures(day, counters, now)
            for (b, day), counters in sorted(sums.items())
            if b == basis
        ]
        ctx.data.figures.replace_days(basis, job.first, job.last, days)
        written += len(days)
    return _save(ctx, job, phase="days", status="done", days=written, finished_at=now)


def _gone(rebuild_id: str) -> Rebuild:
    raise NotFound("No such rebuild.", code="rebuild_not_found", rebuild_id=rebuild_id)


def _save(ctx: ReportsContext, job: Rebuild, **changes: object) -> Rebuild:
    after = replace(job, updated_at=ctx.now(), **changes)  # type: ignore[arg-type]
    ctx.data.figures.put_rebuild(after)
    return after
