"""The dates the business marked closed ("Closed on these dates", the tenant's
`opening_hours.closed_dates`) close online bookings (PROBE5 defect 10): the widget's
availability leaves them out and its hold and move refuse them, so a customer never sees a
date the business says is closed offered or sold. The desk (staff and secret keys) may still
book one (a private booking on a day closed to the public). Partners are held to them in their
own package (channels): an OCTO reseller sees the date CLOSED and its reservation is refused
(`check_days_open`), a channel manager is sent the date closed (stop sell), and a reservation a
channel manager sold on one anyway becomes a conflict for the staff (`first_closed`).
What can be booked otherwise stays each resource's schedule ("The booking engine")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from chalicelib.booking.domain.orders import Line
from chalicelib.booking.domain.placement import Placement
from chalicelib.kernel.domain.errors import InvalidInput


def line_days(line: Line) -> list[date]:
    """The local dates a line is on: a stay's nights, or an appointment's or a session's day."""
    first = date.fromisoformat(line.local_date)
    return [first + timedelta(days=n) for n in range(max(1, line.nights))]


def open_options(closed: Iterable[date], placements: Sequence[Placement]) -> list[Placement]:
    """The options on no closed date (a stay: none of its nights)."""
    shut = frozenset(closed)
    if not shut:
        return list(placements)
    return [p for p in placements if shut.isdisjoint(p.days)]


def first_closed(
    closed: Iterable[date], days: Iterable[date], *, kept: Iterable[date] = ()
) -> date | None:
    """The first of `days` that is closed and not in `kept`; None when every one is open."""
    shut = frozenset(closed) - frozenset(kept)
    return min((day for day in days if day in shut), default=None)


def check_days_open(
    closed: Iterable[date], days: Iterable[date], *, kept: Iterable[date] = ()
) -> None:
    """422 `business_closed` naming the first of `days` that is closed (`kept` excepted)."""
    day = first_closed(closed, days, kept=kept)
    if day is not None:
        raise InvalidInput(
            f"The business is closed on {day.isoformat()}.",
            code="business_closed",
            date=day.isoformat(),
        )


def check_open(closed: Iterable[date], lines: Iterable[Line], *, kept: Iterable[date] = ()) -> None:
    """422 `business_closed` for a line on a closed date; `kept`: dates the order held already
    (a move keeps what was booked before the date was closed, and adds no closed date)."""
    check_days_open(closed, [day for line in lines for day in line_days(line)], kept=kept)
