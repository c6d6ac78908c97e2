"""A resource's day, as the desk works it: a room type's arrivals, departures and guests
staying on; a stylist's or a table's appointments; a departure's manifest.

One Query of the resource's index (`RESORD#<resource>`, one entry per order line, written
with the order) over the lines that can touch the day, and one BatchGetItem of their orders.
A stay touches a day it started up to `MAX_NIGHTS` nights before, so a room type's window
starts that far back; a timed or session resource's is the day itself. Orders that are
cancelled or expired hold nothing and are left out.
"""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib.booking.domain.order_search import ByResource, local_midnight
from chalicelib.booking.domain.orders import BookingStatus, Line, Order
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.catalog.domain.catalog import MAX_NIGHTS, Resource, ResourceKind
from chalicelib.kernel.domain.calendar import iso_utc, local_instant, parse_iso_utc, to_local
from chalicelib.kernel.domain.errors import NotFound
from chalicelib.kernel.domain.values import value

GONE = frozenset({BookingStatus.CANCELLED, BookingStatus.EXPIRED})
PAGE = 100
MAX_PAGES = 50  # 5,000 lines: more than any one resource serves in a day


@value
class DayLine:
    """One order line on the resource that day, and what it is to the desk."""

    order: Order
    line: Line
    role: str  # arrival, departure, in_house (nightly); appointment (timed); session
    units: int  # units of this resource the line takes (rooms a night, seats, 1 for a slot)


@value
class Session:
    start: str  # UTC instant
    local_start: str
    capacity: int
    booked: int
    lines: tuple[DayLine, ...]


@value
class DaySheet:
    resource: Resource
    day: date
    lines: tuple[DayLine, ...]
    sessions: tuple[Session, ...] = ()


def resource_day(ctx: BookingContext, resource_id: str, day: date) -> DaySheet:
    resource = ctx.data.catalog.get_resource(resource_id)
    if resource is None:
        raise NotFound("No such resource.", resource_id=resource_id)
    tz = ctx.tenant.timezone
    back = MAX_NIGHTS if resource.kind is ResourceKind.NIGHTLY else 0
    index = ByResource(
        resource.id,
        resource.shards,
        iso_utc(local_midnight(day - timedelta(days=back), tz)),
        iso_utc(local_midnight(day + timedelta(days=1), tz)),
    )
    ids: list[str] = []
    after: str | None = None
    for _ in range(MAX_PAGES):
        page = ctx.data.orders.index_page(index, after=after, descending=False, limit=PAGE)
        ids += [e.order_id for e in page.entries]
        after = page.next
        if after is None:
            break
    orders = ctx.data.orders.get_many(ids)
    lines = sorted(
        (
            dl
            for order in orders.values()
            if order.status not in GONE
            for dl in _lines_on(order, resource, day)
        ),
        key=lambda dl: (dl.line.start, dl.order.customer.name, dl.order.id),
    )
    sessions: tuple[Session, ...] = ()
    if resource.kind is ResourceKind.SESSION:
        sessions = _sessions(resource, day, tz, lines)
    return DaySheet(resource, day, tuple(lines), sessions)


def _units(line: Line, resource_id: str) -> int:
    takes = [t for a in line.allocations if a.resource_id == resource_id for t in a.takes]
    if not takes:
        return 0
    if line.nights:  # a stay takes its rooms every night: the rooms of one night
        first = min(t.bucket.key for t in takes)
        return sum(t.units for t in takes if t.bucket.key == first)
    return max(t.units for t in takes) if takes else 0


def _lines_on(order: Order, resource: Resource, day: date) -> list[DayLine]:
    out = []
    for line in order.lines:
        if not any(a.resource_id == resource.id for a in line.allocations):
            continue
        first = date.fromisoformat(line.local_date)
        units = _units(line, resource.id)
        if resource.kind is ResourceKind.NIGHTLY:
            last = first + timedelta(days=line.nights)  # the departure date
            if first == day:
                out.append(DayLine(order, line, "arrival", units))
            elif last == day:
                out.append(DayLine(order, line, "departure", units))
            elif first < day < last:
                out.append(DayLine(order, line, "in_house", units))
        elif first == day:
            role = "session" if resource.kind is ResourceKind.SESSION else "appointment"
            out.append(DayLine(order, line, role, units))
    return out


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
            capacity=capacity,
            booked=sum(dl.units for dl in group),
            lines=tuple(group),
        )
        for start, group in sorted(by_start.items())
    )


def _local_text(start: str, tz: str) -> str:
    return to_local(parse_iso_utc(start), tz).isoformat(timespec="minutes")
