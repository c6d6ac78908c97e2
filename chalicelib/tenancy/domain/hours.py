"""The business's public opening hours: per weekday zero or more ranges of local wall-clock
time, and the dates it is closed.

These are what the business tells its customers (the widget shows them, messages may), not
what can be booked: each resource keeps its own schedule (working hours, session times,
closures) and availability reads only those. So nothing here can make a booking possible or
impossible, and a change needs no check against the catalog or the orders.

A weekday's ranges are written in order, none overlapping, each closing after it opens, within
the day ("24:00" ends one): a shop open over midnight writes two ranges (Fri 18:00-24:00 and
Sat 00:00-02:00). They are refused rather than sorted or merged, so what a manager typed is
exactly what customers read, and each rule broken has its own code naming the weekday.
"""

from __future__ import annotations

from chalicelib.kernel.domain.business import OpeningHours, Range
from chalicelib.kernel.domain.calendar import MINUTES_PER_DAY
from chalicelib.kernel.domain.errors import InvalidInput

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_RANGES_PER_DAY = 6
MAX_CLOSED_DATES = 366


def validate_day(ranges: tuple[Range, ...], weekday: str) -> tuple[Range, ...]:
    """`ranges` as given, when each closes after it opens and follows the one before."""
    field = f"opening_hours.weekly.{weekday}"
    if len(ranges) > MAX_RANGES_PER_DAY:
        raise InvalidInput(
            f"A day has at most {MAX_RANGES_PER_DAY} opening ranges.",
            code="too_many_opening_ranges",
            field=field,
        )
    previous: Range | None = None
    for opens, closes in ranges:
        if not 0 <= opens < closes <= MINUTES_PER_DAY:
            raise InvalidInput(
                f"{weekday}: each range closes after it opens, on the same day (a range over "
                "midnight is two: until 24:00, and from 00:00 the next day).",
                code="opening_range_backwards",
                field=field,
            )
        if previous is not None and opens < previous[0]:
            raise InvalidInput(
                f"{weekday}: write the ranges in the order of the day.",
                code="opening_ranges_out_of_order",
                field=field,
            )
        if previous is not None and opens < previous[1]:
            raise InvalidInput(
                f"{weekday}: the ranges overlap; one range closes before the next opens.",
                code="opening_ranges_overlap",
                field=field,
            )
        previous = (opens, closes)
    return ranges


def validate_opening_hours(hours: OpeningHours) -> OpeningHours:
    """The hours, each weekday's ranges checked; closed dates sorted, each once."""
    if len(hours.weekly) != len(WEEKDAYS):
        raise ValueError("opening hours name each of the seven weekdays")
    weekly = tuple(validate_day(r, WEEKDAYS[i]) for i, r in enumerate(hours.weekly))
    closed = tuple(sorted(set(hours.closed_dates)))
    if len(closed) > MAX_CLOSED_DATES:
        raise InvalidInput(
            f"List at most {MAX_CLOSED_DATES} closed dates.",
            code="too_many_closed_dates",
            field="opening_hours.closed_dates",
        )
    return OpeningHours(weekly=weekly, closed_dates=closed)
