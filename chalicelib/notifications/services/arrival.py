"""When a booking begins, as its reminders count: a timed line at its start; a stay when its
guests may arrive, the business's check-in time (`business.check_in_time`, 15:00 when it set
none) on its first night, on the tenant's wall clock, not the local midnight its line starts
at. The day-before reminder of a hotel checking in from 14:00 goes at 14:00 the day before,
the 2-hour one at 12:00 on the day, and they read "tomorrow, check-in from 14:00", not "in 2
hours" of a midnight. A check-in time the day does not have (02:30 on a spring-forward day)
counts from the first instant after it, the moment the clocks jump (kernel/domain/stay_times).
"""

from __future__ import annotations

from datetime import date, datetime

from chalicelib.booking.domain.line_begins import line_begins
from chalicelib.booking.domain.orders import Line, Order
from chalicelib.kernel.domain.business import BusinessDetails
from chalicelib.kernel.domain.calendar import local_date, parse_iso_utc
from chalicelib.kernel.domain.stay_times import shown
from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.domain.timefmt import parse


def is_stay(order: Order) -> bool:
    """Nights only: a stay is named by its dates (its start is a local midnight, not a time)."""
    return all(line.nights for line in order.lines)


def arrival(order: Order, tenant: Tenant) -> datetime:
    """The instant the booking begins for its guest (UTC): its earliest line's."""
    return min(_line_arrival(line, tenant) for line in order.lines)


def _line_arrival(line: Line, tenant: Tenant) -> datetime:
    return line_begins(line, tenant.timezone, tenant.settings.business.check_in)


def stay_in_time(order: Order, tenant: Tenant, now: str, locale: str) -> str:
    """When a stay's reminder says it begins: "tomorrow, check-in from 14:00", "明天（14:00 起
    可入住）"; the days counted on the tenant's calendar from `now`. The clock is the
    business's check-in time as it set it (a 02:30 the day skips is still said 02:30: the
    guest reads the hotel's own rule; the reminder itself counts from 03:00)."""
    check_in = min(date.fromisoformat(line.local_date) for line in order.lines)
    days = max(0, (check_in - local_date(_instant(now), tenant.timezone)).days)
    clock = shown(tenant.settings.business.check_in)
    if locale == "zh-Hans":
        day = {0: "今天", 1: "明天"}.get(days, f"{days} 天后")
        return f"{day}（{clock} 起可入住）"
    day = {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")
    return f"{day}, check-in from {clock}"


def stay_hours(details: BusinessDetails, locale: str) -> str:
    """A stay's times as its messages say them: "check-in from 14:00, check-out by 11:00",
    "14:00 起入住，11:00 前退房" (the business's clock, business.check_in_time)."""
    check_in, check_out = shown(details.check_in), shown(details.check_out)
    if locale == "zh-Hans":
        return f"{check_in} 起入住，{check_out} 前退房"
    return f"check-in from {check_in}, check-out by {check_out}"


def _instant(text: str) -> datetime:
    return parse(text) if len(text) > 17 else parse_iso_utc(text)
