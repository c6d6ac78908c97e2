"""A resource's day, as the desk works it: a room type's arrivals, departures and guests
staying on; a stylist's or a table's appointments; a departure's manifest.

One Query of the resource's index (`RESORD#<resource>`, one entry per order line, written
with the order; a sharded session: one per shard) over the lines that start before the day
ends and end after it begins (a stay touches a day it started up to `MAX_NIGHTS` nights
before), and BatchGetItem of their orders (100 a request). Orders that are cancelled or
expired hold nothing and are left out. A sheet holds at most `MAX_LINES` lines; past that it
says it is incomplete.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from chalicelib.booking.domain.order_search import local_midnight
from chalicelib.booking.domain.orders import BookingStatus, Line, Order
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.catalog.domain.catalog import MAX_NIGHTS, Resource, ResourceKind
from chalicelib.catalog.domain.inventory import split_shard
from chalicelib.kernel.domain.calendar import iso_utc, local_instant, parse_iso_utc, to_local, zone
from chalicelib.kernel.domain.errors import NotFound
from chalicelib.kernel.domain.values import value

GONE = frozenset({BookingStatus.CANCELLED, BookingStatus.EXPIRED})
MAX_LINES = 5000  # more than a small business's resource serves in a day


@value
class DayLine:
    """One order line on the resource that day, and what it is to the desk."""

    order: Order
    line: Line
    role: str  # arrival, departure, in_house, left (nightly); appointment, carried; session
    units: int  # units of this resource the line takes (rooms a night, seats, 1 for a slot)
    index: int = 0  # the line's place in its order (two equal lines are two stays)


@value
class Session:
    start: str  # UTC instant
    local_start: str
    local_end: str  # the start plus the resource's session length, in real minutes
    capacity: int
    booked: int
    lines: tuple[DayLine, ...]


@value
class DaySheet:
    resource: Resource
    day: date
    lines: tuple[DayLine, ...]
    sessions: tuple[Session, ...] = ()
    complete: bool = True
    late_until: int = 0  # minutes past the next midnight its hours run on to (`late_until`)


def resource_day(
    ctx: BookingContext, resource_id: str, day: date, *, consistent: bool = False
) -> DaySheet:
    """The resource's bookings that day (`consistent`: read strongly, for a choice that must
    see every booking committed before it, as a bulk job's after a session is called off)."""
    resource = ctx.data.catalog.get_resource(resource_id)
    if resource is None:
        raise NotFound("No such resource.", code="resource_not_found", resource_id=resource_id)
    tz = ctx.tenant.timezone
    # a stay touches a day it began up to MAX_NIGHTS before; an appointment one it began the
    # day before (23:30 to 00:30 still takes the chair at midnight: `carried`)
    back = {ResourceKind.NIGHTLY: MAX_NIGHTS, ResourceKind.TIMED: 1}.get(resource.kind, 0)
    begins = iso_utc(local_midnight(day, tz))
    late = late_until(resource, day)
    # The evening before's bookings still running at midnight, unless that evening runs on
    # into this day's small hours: then they are the evening's (a bar's), as its sheet says.
    running_on = late_until(resource, day - timedelta(days=1))
    carried_from = begins if resource.kind is ResourceKind.TIMED and not running_on else ""
    entries, complete = ctx.data.orders.resource_lines(
        resource.id,
        resource.shards,
        low=iso_utc(local_midnight(day - timedelta(days=back), tz)),
        high=iso_utc(_late_end(day + timedelta(days=1), late, tz)),
        # a departure's line ends at its check-out day's start: it still touches that day
        ends_after=begins if resource.kind is not ResourceKind.NIGHTLY else _before(begins),
        limit=MAX_LINES,
        consistent=consistent,
    )
    orders = ctx.data.orders.get_many([e.order_id for e in entries], consistent=consistent)
    lines = sorted(
        (
            dl
            for order in orders.values()
            if order.status not in GONE
            for dl in _lines_on(order, resource, day, late, carried_from)
        ),
        key=lambda dl: (dl.line.start, dl.order.customer.name, dl.order.id),
    )
    sessions: tuple[Session, ...] = ()
    if resource.kind is ResourceKind.SESSION:
        sessions = _sessions(resource, day, tz, lines)
    return DaySheet(resource, day, tuple(lines), sessions, complete, late)


def late_until(resource: Resource, day: date) -> int:
    """How far past the next midnight the day's hours run on (minutes): a bar open 18:00-24:00
    and the next day 00:00-02:00 serves its evening to 02:00 (catalog/domain/open_hours.py),
    and the evening's sheet lists the bookings of those small hours too. 0 when the hours stop
    before midnight, and for a next day open from 00:00 till noon or later (a business open
    round the clock has no evening running on)."""
    if resource.kind is not ResourceKind.TIMED:
        return 0
    evening = resource.hours_on(day)
    if not evening or max(b for _, b in evening) < 24 * 60:
        return 0
    end = 0
    for a, b in sorted(resource.hours_on(day + timedelta(days=1))):
        if a > end:
            break
        end = max(end, b)
    return end if end < 12 * 60 else 0


def _late_end(next_day: date, late: int, tz: str) -> datetime:
    """The instant `next_day`'s wall clock reads `late` minutes (midnight when 0): a wall
    time, not minutes after midnight, which the night the clocks go back is an hour later (a
    reviewer's 03:15 table was not read). Of a time read twice or skipped, the later instant."""
    if not late:
        return local_midnight(next_day, tz)
    wall = datetime.combine(next_day, time(late // 60, late % 60), zone(tz))
    return max(wall.replace(fold=fold).astimezone(UTC) for fold in (0, 1))


def _before(instant: str) -> str:
    """A key just below `instant` (`2026-12-10T00:00Z` -> `2026-12-10T00:00Y`), so a line
    ending exactly at it is kept by a strict `end > :after`."""
    return instant[:-1] + chr(ord(instant[-1]) - 1)


def _units(line: Line, resource_id: str) -> int:
    """Units of the resource the line holds at once: per bucket (a night, a slot, a session;
    a sharded session's shards added up), the most of any one."""
    per_bucket: dict[str, int] = {}
    for a in line.allocations:
        if a.resource_id == resource_id:
            for t in a.takes:
                base = split_shard(t.bucket.key)[0]
                per_bucket[base] = per_bucket.get(base, 0) + t.units
    return max(per_bucket.values(), default=0)


def _lines_on(
    order: Order, resource: Resource, day: date, late: int = 0, carried_from: str = ""
) -> list[DayLine]:
    """The order's lines on the resource that day, each with its role. An appointment begun
    the day before that still runs at midnight is `carried`: the sheet shows it among the
    day's appointments (a time-zone tester's 24-hour chair showed free from 00:00 to 00:30
    on the sheet while the report counted it), but a choice of "the day's bookings" (a
    bulk job) leaves it to its own day. `carried_from`: the day's first instant, or "" when
    nothing is carried (a sheet of another kind; an evening before that runs on)."""
    out = []
    for index, line in enumerate(order.lines):
        if not any(a.resource_id == resource.id for a in line.allocations):
            continue
        first = date.fromisoformat(line.local_date)
        units = _units(line, resource.id)
        if resource.kind is ResourceKind.NIGHTLY:
            last = first + timedelta(days=line.nights)  # the departure date
            # A stay checked out before its last night keeps its nights, but the guest has
            # left: it is neither arriving nor staying (nor waiting for a room) any more.
            here = order.status is not BookingStatus.COMPLETED
            if first == day and here:
                out.append(DayLine(order, line, "arrival", units, index))
            elif last == day:
                out.append(DayLine(order, line, "departure", units, index))
            elif first < day < last and here:
                out.append(DayLine(order, line, "in_house", units, index))
            elif first <= day < last:  # left early: its night tonight still held (room_board.py)
                out.append(DayLine(order, line, "left", units, index))
        elif first == day or _late(line, day, late):
            role = "session" if resource.kind is ResourceKind.SESSION else "appointment"
            out.append(DayLine(order, line, role, units, index))
        elif carried_from and first < day and line.end > carried_from:
            out.append(DayLine(order, line, "carried", units, index))
    return out


def _late(line: Line, day: date, late: int) -> bool:
    """A line of the small hours after `day` that its evening's hours run on into."""
    if not late or line.local_date != (day + timedelta(days=1)).isoformat():
        return False
    clock = line.local_start[11:16]
    return int(clock[:2]) * 60 + int(clock[3:5]) < late


def _sessions(resource: Resource, day: date, tz: str, lines: list[DayLine]) -> tuple[Session, ...]:
    """Every session of the day: those the schedule has (booked or not) and any that still
    has bookings after its time was taken off the schedule."""
    by_start: dict[str, list[DayLine]] = {}
    for minute in resource.sessions_on(day):
        instant = local_instant(day, minute, tz)
        if instant is not None:
            by_start.setdefault(iso_utc(instant), [])
    for dl in lines:
        by_start.setdefault(dl.line.start, []).append(dl)
    capacity = resource.capacity_on(day)
    return tuple(
        Session(
            start=start,
            local_start=_local_text(start, tz),
            local_end=_local_text(
                iso_utc(parse_iso_utc(start) + timedelta(minutes=resource.session_minutes)), tz
            ),
            capacity=capacity,
            booked=sum(dl.units for dl in group),
            lines=tuple(group),
        )
        for start, group in sorted(by_start.items())
    )


def _local_text(start: str, tz: str) -> str:
    return to_local(parse_iso_utc(start), tz).isoformat(timespec="minutes")


def question_labels(ctx: BookingContext, offering_ids: set[str]) -> dict[str, dict[str, str]]:
    """Each offering's questions by id, as their labels: what a printout shows beside an
    answer (an offering since deleted, or a question since removed: its id)."""
    labels: dict[str, dict[str, str]] = {}
    for offering_id in sorted(offering_ids):
        offering = ctx.data.catalog.get_offering(offering_id)
        if offering is not None:
            labels[offering_id] = {q.id: q.label for q in offering.questions}
    return labels
