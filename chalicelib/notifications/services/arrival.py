"""When a booking begins, as its reminders count: a timed line at its start; a stay when its
guests may arrive, the check-in time of its first night (`CHECK_IN_FROM`, 15:00 on the
tenant's wall clock), not the local midnight its line starts at. Neither the tenant's
settings nor a nightly offering name a check-in time yet, so 15:00 is the one for all: the
day-before reminder goes at 15:00 the day before, the 2-hour one at 13:00 on the day, and
they read "tomorrow, check-in from 15:00", not "in 2 hours" of a midnight.
"""

from __future__ import annotations

from datetime import date, datetime

from chalicelib.booking.domain.orders import Line, Order
from chalicelib.kernel.domain.calendar import hhmm, local_date, local_instant, parse_iso_utc
from chalicelib.kernel.domain.timefmt import parse

CHECK_IN_FROM = 15 * 60  # minutes after local midnight


def is_stay(order: Order) -> bool:
    """Nights only: a stay is named by its dates (its start is a local midnight, not a time)."""
    return all(line.nights for line in order.lines)


def arrival(order: Order, tz: str) -> datetime:
    """The instant the booking begins for its guest (UTC): its earliest line's."""
    return min(_line_arrival(line, tz) for line in order.lines)


def _line_arrival(line: Line, tz: str) -> datetime:
    start = _instant(line.start)
    if not line.nights:
        return start
    # A check-in time that does not exist that day (no zone skips 15:00): the line's start.
    return local_instant(date.fromisoformat(line.local_date), CHECK_IN_FROM, tz) or start


def stay_in_time(order: Order, tz: str, now: str, locale: str) -> str:
    """When a stay's reminder says it begins: "tomorrow, check-in from 15:00", "明天（15:00 起
    可入住）"; the days counted on the tenant's calendar from `now`."""
    check_in = min(date.fromisoformat(line.local_date) for line in order.lines)
    days = max(0, (check_in - local_date(_instant(now), tz)).days)
    clock = hhmm(CHECK_IN_FROM)
    if locale == "zh-Hans":
        day = {0: "今天", 1: "明天"}.get(days, f"{days} 天后")
        return f"{day}（{clock} 起可入住）"
    day = {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")
    return f"{day}, check-in from {clock}"


def _instant(text: str) -> datetime:
    return parse(text) if len(text) > 17 else parse_iso_utc(text)
