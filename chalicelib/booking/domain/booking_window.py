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
    # What has passed is said so (422 `date_in_past`); the notice's words only for what is
    # still ahead but sooner than the notice (422 `too_short_notice`).
    if nightly:
        # A night can be booked until it is over at the latest notice allowed.
        if start + timedelta(days=1) <= now:
            raise InvalidInput("That date has passed.", code="date_in_past")
        if start + timedelta(days=1) <= now + ahead:
            raise _too_soon(offering)
    elif start < now:
        raise InvalidInput("That time has passed.", code="date_in_past")
    elif start < now + ahead:
        raise _too_soon(offering)
    if start > now + timedelta(days=offering.max_advance_days):
        raise InvalidInput(
            f"Bookings open {offering.max_advance_days} days ahead.", code="too_far_ahead"
        )


def _too_soon(offering: Offering) -> InvalidInput:
    return InvalidInput(
        f"Bookings need {notice_words(offering.min_notice_minutes)} notice.",
        code="too_short_notice",
        min_notice_minutes=offering.min_notice_minutes,
    )


def notice_words(minutes: int) -> str:
    """A notice as people say it: "a day's", "2 hours'", "90 minutes'"."""
    for size, one, many in ((1440, "a day's", "days'"), (60, "an hour's", "hours'")):
        if minutes % size == 0:
            return one if minutes == size else f"{minutes // size} {many}"
    return f"{minutes} minutes'"
