"""An instalment plan's dates and amounts, as they are fixed when the booking is made: the
first part at booking, part k `k * months` calendar months later, and none after the
service. Pure rules; the plan is stored on the order (payments/services/collection.py) and
kept in step with its total (booking/domain/plan_fit.py).

An outside tester (a revenue manager) booked a tour on 6 December for 20 December in three
monthly parts: two thirds were due on 6 January and 6 February, after the tour. A serious
plan never collects after the service: the customer would be charged for something already
had (or missed), and a card declined then leaves the business chasing the money. So:

- The last day a part may be due is the day before the service's day (local): collected at
  09:00 then, before any start on its day, with the booking confirmed and kept meanwhile.
- A part whose month would fall later is due on that last day instead; several landing on
  it are one part (their amounts added), so the customer is never charged twice that day.
- When no day is left between the booking and that last day (booked the day before, or on
  the day), there is no plan: the whole is taken at booking, as the deposit of a full
  payment is (the payment step says so before the card is asked).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """Calendar months, the day clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def instalment_amounts(total: int, count: int) -> tuple[int, ...]:
    """`total` in `count` instalments adding up to it exactly; the remainder of the division
    on the first (taken at booking), so the later ones are equal."""
    part = total // count
    return (total - part * (count - 1), *([part] * (count - 1)))


def last_due_day(start_day: date) -> date:
    """The last local day a part may be due: the day before the service's."""
    return start_day - timedelta(days=1)


def plan_parts(
    total: int, count: int, months: int, booked_on: date, start_day: date
) -> tuple[tuple[date, int], ...]:
    """(local due day, amount) of each part of a plan booked on `booked_on` for a service on
    `start_day`; the amounts add up to `total` exactly. One part: the whole at booking."""
    last = last_due_day(start_day)
    if last <= booked_on:
        return ((booked_on, total),)
    parts: list[tuple[date, int]] = []
    for k, amount in enumerate(instalment_amounts(total, count)):
        day = min(add_months(booked_on, k * months), last)
        if parts and parts[-1][0] == day:  # two parts on the last day: one charge
            parts[-1] = (day, parts[-1][1] + amount)
        else:
            parts.append((day, amount))
    return tuple(parts)


def first_part(
    total: int, count: int, months: int, booked_on: date | None, start_day: date | None
) -> int:
    """What the plan takes at booking (the whole when nothing else fits before the service;
    without the days, the plan as the offering states it)."""
    if booked_on is None or start_day is None:
        return instalment_amounts(total, count)[0]
    return plan_parts(total, count, months, booked_on, start_day)[0][1]
