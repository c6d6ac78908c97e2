"""A timed resource's working hours as a booking may use them: spans that touch are one, and a
span to midnight goes on into the next day's span from 00:00.

A day's hours are written per weekday within 00:00-24:00, so a restaurant open 18:00-02:00
writes Monday 18:00-24:00 and Tuesday 00:00-02:00, and a business open without a break may
write 12:00-15:00 and 15:00-18:00. Read span by span, a restaurant tester's 23:00 two-hour
table, and a 14:00 two-hour lunch across the two spans, could never be sold. Joined here, a
start is still offered only on its own day (minutes below 24:00); the booking may run on past
midnight into the next day's hours, whose slots hold its units as any other's do.
"""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib.catalog.domain.catalog import Resource, Span
from chalicelib.kernel.domain.calendar import MINUTES_PER_DAY


def _joined(spans: tuple[Span, ...]) -> list[Span]:
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and out[-1][1] == start:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def open_spans(resource: Resource, day: date) -> tuple[Span, ...]:
    """The day's spans joined where they touch; the last, when it ends at 24:00, runs on to
    the end of the next day's first span when that one opens at 00:00 (an end past 1440 is
    the next day's minute: calendar.local_instant takes it so)."""
    spans = _joined(resource.hours_on(day))
    if spans and spans[-1][1] == MINUTES_PER_DAY:
        after = _joined(resource.hours_on(day + timedelta(days=1)))
        if after and after[0][0] == 0:
            spans[-1] = (spans[-1][0], MINUTES_PER_DAY + after[0][1])
    return tuple(spans)
