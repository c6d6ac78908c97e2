"""When an offering may be booked: not before its minimum notice, not past how far ahead it
sells (`min_notice_minutes`, `max_advance_days`). placement.plan_line asks it for every line
and every listed option."""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.catalog.domain.catalog import Offering
from chalicelib.kernel.domain.errors import InvalidInput


def check_window(
    offering: Offering, start: datetime, now: datetime, *, nightly: bool, notice: bool = True
) -> None:
    """The booking window: not before the notice (`notice`: an online booker; the desk books
    from now), not past `max_advance_days`. Instants in UTC, so the zone's DST changes the
    local clock, never the notice's length."""
    ahead = timedelta(minutes=offering.min_notice_minutes if notice else 0)
    if nightly:
        # A night can be booked until it is over at the latest notice allowed.
        if start + timedelta(days=1) <= now + ahead:
            raise InvalidInput("That date has passed.", code="date_in_past")
    elif start < now + ahead:
        code = "date_in_past" if start < now else "too_short_notice"
        raise InvalidInput(
            f"Bookings need {offering.min_notice_minutes} minutes' notice.", code=code
        )
    if start > now + timedelta(days=offering.max_advance_days):
        raise InvalidInput(
            f"Bookings open {offering.max_advance_days} days ahead.", code="too_far_ahead"
        )
