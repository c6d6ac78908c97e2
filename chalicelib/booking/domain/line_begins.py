"""When a line begins for its customer: a timed line at its start; a night at the business's
check-in time on its arrival day, on the business's wall clock (a time the day skips: the
moment the clocks jump past it). A stay's line starts at the local midnight that names its
night, which is no time a guest arrives: counted from there, a "free up to 24 hours before"
policy charged a guest cancelling 31 hours before a 15:00 check-in (an outside tester's
finding). The cancellation's tiers and the reminders count from here."""

from __future__ import annotations

from datetime import date, datetime

from chalicelib.booking.domain.orders import Line
from chalicelib.kernel.domain.calendar import parse_iso_utc
from chalicelib.kernel.domain.stay_times import first_instant_from


def line_begins(line: Line, tz: str, check_in: int) -> datetime:
    """`check_in`: the business's check-in time in minutes after midnight, in `tz`."""
    if not line.nights:
        return parse_iso_utc(line.start)  # a line's start is to the minute: 2026-12-24T14:00Z
    return first_instant_from(date.fromisoformat(line.local_date), check_in, tz)
