"""The day's takings: the entry each desk payment and refund writes with its order, a day's
figures per method and per staff member, a range of days, and the close.

Why a close cannot miss a payment: a payment's transaction adds its entry and counts it on its
day on condition that the day is not closed (takings_ports.DayCount); the close reads the day
(its count and totals in one item, strongly consistent), computes the figures, and stores them
on condition that the day is still not closed and still has the count it read. A payment that
commits in between moves the count, the close is refused and computed again (`CLOSE_TRIES`);
a payment after the close is refused with 409 `day_closed`. Either way the close's figures are
exactly the entries it counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from chalicelib.kernel.domain.calendar import local_date
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.transaction_ports import TransactionItem
from chalicelib.payments.domain import takings as rules
from chalicelib.payments.domain.takings import (
    Close,
    CloseRequest,
    Day,
    Direction,
    Entry,
    Figures,
)
from chalicelib.payments.services.payment_ports import PaymentsContext
from chalicelib.payments.services.takings_ports import DayCount, EntryPut, TakingsContext

CLOSE_TRIES = 3
CASH = "cash"
MAX_ENTRIES = 5000  # a day's entries read for its figures (a desk records far fewer)
FLOAT_LOOKBACK_DAYS = 62  # the opening float comes from a day closed at most this long before


def entry_items(
    ctx: PaymentsContext,
    *,
    record_id: str,
    direction: Direction,
    method: str,
    amount: int,
    order_id: str,
    reference: str,
    taken_by: str = "",
    tip: int = 0,
) -> list[TransactionItem]:
    """The items a desk record adds to its order's transaction: its entry on today's takings
    (the tenant's local date now) and the day's count, refused when the day is closed. Once
    today is closed (the desk cashed up early), what comes after goes on the next day: a late
    check-out still pays, and a correction has an open day to go on."""
    now = ctx.now()
    day = rules.day_of(parse(now), ctx.tenant.timezone)
    if ctx.data.takings.day(day).closed:
        day = (date.fromisoformat(day) + timedelta(days=1)).isoformat()  # not closable yet
    entry = Entry(
        id=record_id,
        day=day,
        at=now,
        direction=direction,
        method=method,
        amount=amount,
        # a login by its e-mail, a key by its id; `taken_by`: whose doing a consumer records
        taken_by=taken_by or ctx.actor.email or ctx.actor.label,
        order_id=order_id,
        reference=reference,
        tip=tip,
    )
    return [EntryPut(entry), DayCount(entry)]


def today(ctx: TakingsContext) -> date:
    return local_date(parse(ctx.now()), ctx.tenant.timezone)


def opening_float(ctx: TakingsContext, day: str) -> tuple[int, str | None]:
    """The cash in the drawer when `day` opens: what the last closed day before it left
    (`float_left`), plus the cash taken less given back on every day after that one that
    nobody closed (it is still in the drawer), and that closed day (None: no day closed in the
    `FLOAT_LOOKBACK_DAYS` before it; the open days' cash counts all the same). One Query."""
    before = date.fromisoformat(day) - timedelta(days=1)
    first = before - timedelta(days=FLOAT_LOOKBACK_DAYS - 1)
    days = ctx.data.takings.days(first.isoformat(), before.isoformat())
    start, source = 0, None
    for d in days:
        if d.close is not None:
            start, source = d.close.float_left, d.day
        else:
            start += d.net(CASH)
    return start, source


@value
class DayView:
    day: Day
    opening_float: int
    float_from: str | None
    figures: tuple[Figures, ...]
    staff: Mapping[str, Mapping[str, tuple[int, int, int]]]  # who -> method -> in, out, tips
    entries: tuple[Entry, ...]  # the page asked for
    next_after: str | None  # the cursor of the next page of entries
    complete: bool  # False: more entries than MAX_ENTRIES; the staff figures count those read


def day_view(
    ctx: TakingsContext, day: str, *, after: str | None = None, limit: int = 100
) -> DayView:
    """A day's takings: per method (as closed, once closed), per staff member, its entries
    from `after` (an entry's cursor: `<at>#<id>`), `limit` of them."""
    store = ctx.data.takings
    current = store.day(day)
    if current.close is not None:
        start, source = current.close.opening_float, None
    else:
        start, source = opening_float(ctx, day)
    entries, complete = store.entries(day, limit=MAX_ENTRIES)
    cursors = [f"{e.at}#{e.id}" for e in entries]
    first = 0 if after is None else sum(1 for c in cursors if c <= after)
    page = entries[first : first + limit]
    more = first + limit < len(entries)
    return DayView(
        day=current,
        opening_float=start,
        float_from=source,
        figures=tuple(rules.figures(current, start)),
        staff=rules.per_staff(entries),
        entries=tuple(page),
        next_after=cursors[first + limit - 1] if more else None,
        complete=complete,
    )


@value
class TakingsLine:
    day: Day
    figures: tuple[Figures, ...]


def days(ctx: TakingsContext, first: date, last: date) -> list[TakingsLine]:
    """The days with takings or a close between `first` and `last`, with their totals per
    method (expected cash without the opening float, except on a closed day: as closed)."""
    rules.check_range(first, last)
    found = ctx.data.takings.days(first.isoformat(), last.isoformat())
    return [TakingsLine(d, tuple(rules.figures(d, 0))) for d in found]


def close_day(ctx: TakingsContext, day: str, request: CloseRequest, *, close_id: str) -> DayView:
    """Close the day with what was counted. The same request again (the same Idempotency-Key)
    answers the day as closed; any other close of a closed day is 409 `day_already_closed`."""
    store = ctx.data.takings
    for attempt in range(CLOSE_TRIES):
        current = store.day(day)
        if current.close is not None and current.close.close_id == close_id:
            return day_view(ctx, day)
        start, _ = (0, None) if current.close else opening_float(ctx, day)
        closed = rules.close(
            current,
            request,
            opening_float=start,
            today=today(ctx),
            closed_by=ctx.actor.email or ctx.actor.label,
            closed_at=ctx.now(),
            close_id=close_id,
        )
        try:
            store.close(day, closed)
        except Conflict:
            if attempt == CLOSE_TRIES - 1:
                raise
            continue  # a payment landed, or another close: read the day again
        _audit(ctx, day, closed)
        return day_view(ctx, day)
    raise AssertionError("unreachable")


def _audit(ctx: TakingsContext, day: str, closed: Close) -> None:
    ctx.audit(
        "takings.closed",
        f"takings:{day}",
        entries=closed.entries,
        counted=dict(closed.counted),
        expected=dict(closed.expected),
        float_left=closed.float_left,
    )
